/**
 * The regions to look at for one account: every enabled region (account:ListRegions, else
 * ec2:DescribeRegions), or the user's choice less the regions that are not enabled.
 */
import { call, callPaged, type Session } from './call.ts';
import { PARTITION_PREFIXES, regionPartition } from './partitions.ts';
import { recordError, type Context } from './context.ts';
import type { AwsFailure } from './classify.ts';

/** The regions to collect and whether each is known to be enabled. */
export interface RegionPlan {
  regions: string[];
  /** The enabled regions, when AWS told us; undefined when neither listing was allowed. */
  enabled?: ReadonlySet<string>;
}

/** Plans the regions of one account; records errors only when no region could be determined. */
export async function planRegions(ctx: Context, session: Session, accountId: string): Promise<RegionPlan> {
  const listed = await enabledRegions(ctx, session);
  if ('failures' in listed) {
    // The role could not be assumed again: no region of the account can be read (recordError says so).
    if (listed.failures.some((f) => f.renewal)) {
      recordError(ctx, session, {}, 'account', 'ListRegions', listed.failures[0], accountId);
      recordError(ctx, session, {}, 'ec2', 'DescribeRegions', listed.failures[1], accountId);
      return { regions: [] };
    }
    if (ctx.regions) {
      // Each region once (`--region us-east-1,us-east-1`): a region listed twice made an inventory that its own scan refused.
      const regions = [...new Set(ctx.regions)].sort();
      ctx.progress(`warning: account ${accountId}: cannot list its enabled regions (${listed.failures[0].code}); trying ${regions.join(', ')}`);
      return { regions };
    }
    recordError(ctx, session, {}, 'account', 'ListRegions', listed.failures[0], accountId);
    recordError(ctx, session, {}, 'ec2', 'DescribeRegions', listed.failures[1], accountId);
    ctx.progress(`warning: account ${accountId}: cannot list its enabled regions, so no region was collected`);
    return { regions: [] };
  }
  const enabled = listed.enabled;
  if (!ctx.regions) return { regions: [...enabled].sort(), enabled };
  const chosen: string[] = [];
  for (const r of [...new Set(ctx.regions)].sort()) {
    if (enabled.has(r)) chosen.push(r);
    else ctx.progress(`warning: account ${accountId}: region ${r} is not enabled, skipped`);
  }
  return { regions: chosen, enabled };
}

async function enabledRegions(ctx: Context, session: Session): Promise<{ enabled: Set<string> } | { failures: [AwsFailure, AwsFailure] }> {
  const viaAccount = await callPaged(
    session,
    ctx.globalRegion,
    'account',
    'ListRegions',
    { RegionOptStatusContains: ['ENABLED', 'ENABLED_BY_DEFAULT'], MaxResults: 50 },
    { field: 'Regions', required: true },
  );
  // AWS lists only the caller's partition; an emulator (moto) may list cn-* and us-gov-* too.
  const mine = (r: Record<string, unknown>) => inPartition(String(r.RegionName), ctx.partition);
  if (viaAccount.ok) {
    // AWS names every region's RegionOptStatus: one listed without it is not known to be disabled,
    // and dropped as such, its trails would never be looked at. The list is then no answer.
    const names = namesOf(viaAccount.items, 'RegionName', (r) => (r.RegionOptStatus === 'ENABLED' || r.RegionOptStatus === 'ENABLED_BY_DEFAULT') && mine(r), 'RegionOptStatus');
    if (names) return { enabled: names };
  }
  const viaEc2 = await call(session, ctx.globalRegion, 'ec2', 'DescribeRegions', { AllRegions: false });
  if (viaEc2.ok) {
    const list = viaEc2.value.Regions;
    const names = Array.isArray(list) ? namesOf(list, 'RegionName', (r) => r.OptInStatus !== 'not-opted-in' && mine(r)) : undefined;
    if (names) return { enabled: names };
  }
  const malformed: AwsFailure = { code: 'MalformedResponse', message: 'the region list is not a list of region names' };
  return { failures: [viaAccount.ok ? malformed : viaAccount.failure, viaEc2.ok ? malformed : viaEc2.failure] };
}

function namesOf(items: unknown[], field: string, keep: (r: Record<string, unknown>) => boolean, status?: string): Set<string> | undefined {
  const out = new Set<string>();
  for (const item of items) {
    if (item === null || typeof item !== 'object') return undefined;
    const r = item as Record<string, unknown>;
    const name = r[field];
    if (typeof name !== 'string' || !/^[a-z]{2}(-[a-z]+)+-\d+$/.test(name)) return undefined;
    if (status !== undefined && typeof r[status] !== 'string') return undefined;
    if (keep(r)) out.add(name);
  }
  return out.size > 0 ? out : undefined;
}

const KNOWN_PARTITIONS = new Set(['aws', ...PARTITION_PREFIXES.map(([, p]) => p)]);

/** Whether `region` may belong to `partition` (always, for a partition this table does not know). */
function inPartition(region: string, partition: string): boolean {
  if (!KNOWN_PARTITIONS.has(partition)) return true;
  return regionPartition(region) === partition;
}
