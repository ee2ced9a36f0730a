/**
 * CloudTrail as documented: DescribeTrails lists home-region trails plus shadow copies of
 * multi-region and organization trails; GetTrailStatus and the selector reads accept a name only
 * in the trail's home region and an ARN anywhere; a trail without custom selectors answers
 * with the default selector; a trail without Insights raises InsightNotEnabledException.
 */
import type { Trail } from '../../src/inventory/types.ts';
import { awsError, epoch, jsonOk, type Reply } from './protocol.ts';
import { trailArn, type FakeTrail } from './scenario.ts';
import type { FakeRequest, World } from './world.ts';

const DEFAULT_SELECTOR = { ReadWriteType: 'All', IncludeManagementEvents: true, DataResources: [], ExcludeManagementEventSources: [] };

function visible(world: World, t: FakeTrail, account: string): boolean {
  if (t.account === account) return true;
  return t.organization === true && world.inOrganization(account) && world.scenario.organization?.managementAccountId === t.account;
}

/** DescribeTrails' element for a trail: the fields the AWS API reference lists, as the world sets them. */
export function describedTrail(t: FakeTrail): Trail {
  const out: Trail = {
    Name: t.name,
    S3BucketName: t.bucket,
    IncludeGlobalServiceEvents: t.includeGlobalServiceEvents ?? true,
    IsMultiRegionTrail: t.multiRegion ?? false,
    HomeRegion: t.homeRegion,
    TrailARN: trailArn(t),
    LogFileValidationEnabled: t.logFileValidation ?? true,
    HasCustomEventSelectors: Boolean(t.eventSelectors?.length || t.advancedEventSelectors?.length),
    HasInsightSelectors: Boolean(t.insightSelectors?.length),
    IsOrganizationTrail: t.organization ?? false,
  };
  if (t.prefix !== undefined) out.S3KeyPrefix = t.prefix;
  if (t.kmsKeyId !== undefined) out.KmsKeyId = t.kmsKeyId;
  return out;
}

/** The trail a Name/TrailName parameter designates from `region`, or undefined (TrailNotFoundException). */
function resolve(world: World, req: FakeRequest, name: unknown): FakeTrail | undefined {
  if (typeof name !== 'string') return undefined;
  if (name.startsWith('arn:')) {
    const t = world.trailsByArn.get(name);
    return t && visible(world, t, req.account) ? t : undefined;
  }
  return world.scenario.trails.find((t) => t.name === name && t.account === req.account && t.homeRegion === req.region);
}

function notFound(req: FakeRequest, name: unknown): Reply {
  return awsError('cloudtrail', 400, 'TrailNotFoundException', `Unknown trail: ${String(name)} for the user: ${req.account}`);
}

/** Handles one CloudTrail request. */
export function cloudtrail(world: World, req: FakeRequest): Reply {
  const p = req.params;
  switch (req.operation) {
    case 'DescribeTrails': {
      const shadows = p.includeShadowTrails !== false;
      const names = Array.isArray(p.trailNameList) ? (p.trailNameList as string[]) : undefined;
      const list = world.scenario.trails.filter((t) => {
        if (!visible(world, t, req.account)) return false;
        if (names && !names.includes(t.name) && !names.includes(trailArn(t))) return false;
        return t.homeRegion === req.region || (shadows && t.multiRegion === true);
      });
      return jsonOk({ trailList: list.map(describedTrail) });
    }
    case 'GetTrailStatus': {
      const t = resolve(world, req, p.Name);
      if (!t) return notFound(req, p.Name);
      const logging = t.logging ?? true;
      const started = '2026-01-01T00:00:00.000Z';
      const status: Record<string, unknown> = {
        IsLogging: logging,
        LatestDeliveryTime: epoch('2026-11-20T23:55:00Z'),
        LatestDigestDeliveryTime: epoch('2026-11-20T23:00:00Z'),
        StartLoggingTime: epoch(started),
        LatestDeliveryAttemptTime: '2026-11-20T23:55:00Z',
        LatestDeliveryAttemptSucceeded: '2026-11-20T23:55:00Z',
        TimeLoggingStarted: started,
      };
      if (!logging) status.StopLoggingTime = epoch('2026-06-01T00:00:00Z');
      return jsonOk(status);
    }
    case 'GetEventSelectors': {
      const t = resolve(world, req, p.TrailName);
      if (!t) return notFound(req, p.TrailName);
      if (t.advancedEventSelectors?.length) return jsonOk({ TrailARN: trailArn(t), AdvancedEventSelectors: t.advancedEventSelectors });
      const fallback = t.emptyDefaultSelectors ? [] : [DEFAULT_SELECTOR];
      return jsonOk({ TrailARN: trailArn(t), EventSelectors: t.eventSelectors?.length ? t.eventSelectors : fallback });
    }
    case 'GetInsightSelectors': {
      const t = resolve(world, req, p.TrailName);
      if (!t) return notFound(req, p.TrailName);
      if (!t.insightSelectors?.length) return awsError('cloudtrail', 400, 'InsightNotEnabledException', `Trail ${t.name} does not have Insights enabled.`);
      return jsonOk({ TrailARN: trailArn(t), InsightSelectors: t.insightSelectors });
    }
    default:
      return awsError('cloudtrail', 400, 'UnknownOperationException', `${req.operation} is not served by the fake`);
  }
}
