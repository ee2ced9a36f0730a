/**
 * Building the inventory of the trail-rule differential test (differential-trail-rules.test.ts):
 * the inventory a plan describes, as a collector (or a merge of shards) would write it, and the
 * facts of a plan that the model shares with the build (which accounts see a trail, how it names
 * its key, when its logs last reached CloudWatch).
 */
import type { Inventory, ReadError, TrailEntry } from '../../../src/inventory/types.ts';
import { ACLS, LOGGINGS, MALFORMED_POLICY, policyStatements, POLICY_STATUSES, VERSIONINGS } from './bucket-pieces.ts';
import type { BucketRead, BucketSpec, CwTime, KeyForm, KeyRead, Plan, Selectors, TrailRead, TrailSpec } from './generate.ts';
import { ACCOUNTS, ALIASES, BUCKETS, HOUR, KEY_ACCOUNTS, KEY_IDS, KEY_REGIONS, KEYS, NOW, ORG, OWNERS } from './world.ts';

export function trailArn(t: TrailSpec): string {
  return `arn:aws:cloudtrail:${t.home}:${OWNERS[t.owner]}:trail/${t.name}`;
}

/** Only a member of the organization can own an organization trail; the outsider is its management account. */
function isOrgTrail(plan: Plan, t: TrailSpec): boolean {
  return t.org && (t.owner === ACCOUNTS.length || plan.inOrg[t.owner]);
}

/** The listed accounts whose DescribeTrails shows the trail, in inventory order. */
export function viewersOf(plan: Plan, t: TrailSpec): number[] {
  const org = isOrgTrail(plan, t);
  return plan.listed.filter((a) => {
    if (plan.accountFailures.some((f) => f.kind === 'assume' && f.account === a)) return false;
    // A failed DescribeTrails in the home region hides a single-region trail; a multi-region one shows from elsewhere.
    const regions = plan.regions[a].filter((r) => !plan.accountFailures.some((f) => f.kind === 'describe' && f.account === a && f.region === r));
    const visible = t.multi || org ? regions.length > 0 : regions.includes(t.home);
    return visible && (a === t.owner || (org && plan.inOrg[a]));
  });
}

function formatTime(ms: number, format: CwTime['format']): string | number {
  switch (format) {
    case 'iso':
      return new Date(ms).toISOString().replace('.000Z', 'Z');
    case 'millis':
      return new Date(ms).toISOString();
    case 'offset': {
      // The same instant written in UTC+02:00.
      const local = new Date(ms + 2 * HOUR).toISOString().replace('.000Z', '');
      return `${local}+02:00`;
    }
    case 'noZone':
      // A time without a zone is UTC, as AWS's own are (README).
      return new Date(ms).toISOString().replace('.000Z', '');
    case 'epoch':
      return ms / 1000;
    case 'epochFraction':
      return ms / 1000 + 0.25;
    // No timestamp at all: a relative date, and a calendar day that does not exist.
    case 'notATime':
      return 'yesterday';
    case 'noSuchDay':
      return '2026-02-30T11:00:00Z';
  }
}

export function timeMs(c: CwTime): number {
  return NOW + c.offsetSeconds * 1000 + (c.format === 'epochFraction' ? 250 : 0);
}

function eventSelectors(s: Selectors): Pick<TrailEntry, 'EventSelectors' | 'AdvancedEventSelectors'> {
  if (s.kind === 'default') {
    // What GetEventSelectors answers for a trail without custom selectors, or empty lists (read as the default too), or nothing.
    if (s.listed === 'default') return { EventSelectors: [{ ReadWriteType: 'All', IncludeManagementEvents: true, DataResources: [], ExcludeManagementEventSources: [] }] };
    return s.listed === 'empty' ? { EventSelectors: [], AdvancedEventSelectors: [] } : {};
  }
  if (s.kind === 'basic') {
    const values = Array.from({ length: s.dataValues }, (_, i) => `arn:aws:s3:::bucket-${i}/`);
    const half = Math.ceil(values.length / 2);
    const list = Array.from({ length: s.count }, (_, i) => ({ ReadWriteType: i % 2 === 0 ? 'All' : 'WriteOnly', IncludeManagementEvents: i === 0, DataResources: [] as { Type: string; Values: string[] }[] }));
    // Spread the values over two data resources of different selectors, so a per-selector count is not enough.
    if (values.length > 0) {
      list[0].DataResources.push({ Type: 'AWS::S3::Object', Values: values.slice(0, half) });
      list[list.length - 1].DataResources.push({ Type: 'AWS::Lambda::Function', Values: values.slice(half).map((v, i) => `arn:aws:lambda:us-east-1:${ACCOUNTS[0]}:function:f${i}`) });
    }
    return { EventSelectors: list };
  }
  const OPS = ['Equals', 'StartsWith', 'EndsWith', 'NotEquals', 'NotStartsWith', 'NotEndsWith'];
  // Each selector: eventCategory and resources.type (one value each), then the rest over three ARN conditions.
  let rest = s.values - 2 * s.selectors;
  return {
    AdvancedEventSelectors: Array.from({ length: s.selectors }, (_, i) => {
      const mine = i === s.selectors - 1 ? rest : Math.floor(rest / 2);
      rest -= mine;
      const fields: Record<string, unknown>[] = [
        { Field: 'eventCategory', Equals: ['Data'] },
        { Field: 'resources.type', Equals: ['AWS::S3::Object'] },
      ];
      const third = Math.floor(mine / 3);
      [third, third, mine - 2 * third].forEach((n, j) => {
        if (n === 0) return;
        fields.push({ Field: 'resources.ARN', [OPS[s.ops[j]]]: Array.from({ length: n }, (_, k) => `arn:aws:s3:::b${i}-${j}-${k}/`) });
      });
      return { Name: `Data ${i}`, FieldSelectors: fields } as never;
    }),
  };
}

function bucketDoc(name: string, spec: BucketSpec): Record<string, unknown> {
  if (!spec.exists) return { Exists: false };
  const out: Record<string, unknown> = { Region: 'us-east-1' };
  if (spec.policy === null) out.Policy = null;
  else if (spec.policy !== undefined) {
    const doc = { Version: '2012-10-17', Statement: policyStatements(name)[spec.policy.index][0] };
    out.Policy = spec.policy.malformed ? MALFORMED_POLICY : spec.policy.asString ? JSON.stringify(doc) : doc;
  }
  if (spec.policyStatus !== undefined) out.PolicyStatus = POLICY_STATUSES[spec.policyStatus][0];
  if (spec.acl !== undefined) out.Acl = ACLS[spec.acl][0];
  if (spec.logging !== undefined) out.Logging = LOGGINGS[spec.logging][0];
  if (spec.versioning !== undefined) out.Versioning = VERSIONINGS[spec.versioning][0];
  return out;
}

const BUCKET_FIELD: Record<BucketRead, string> = {
  GetBucketPolicy: 'Policy',
  GetBucketPolicyStatus: 'PolicyStatus',
  GetBucketAcl: 'Acl',
  GetBucketLogging: 'Logging',
  GetBucketVersioning: 'Versioning',
  GetBucketLocation: 'Region',
};
const KEY_FIELD: Record<KeyRead, string> = { DescribeKey: 'KeyMetadata', GetKeyRotationStatus: 'KeyRotationEnabled', GetKeyPolicy: 'Policy' };
const TRAIL_FIELDS: Record<TrailRead, (keyof TrailEntry)[]> = {
  GetTrailStatus: ['Status'],
  GetEventSelectors: ['EventSelectors', 'AdvancedEventSelectors'],
  GetInsightSelectors: ['InsightSelectors'],
};

/**
 * How the trail names its key. A bare key id or alias name means a key of the trail's own account
 * and home region (as CloudTrail resolves it), so it is written only there; elsewhere the key ARN.
 */
export function keyForm(t: TrailSpec): KeyForm | undefined {
  if (t.key === undefined) return undefined;
  const local = KEY_ACCOUNTS[t.key.index] === OWNERS[t.owner] && KEY_REGIONS[t.key.index] === t.home;
  return local ? t.key.form : 'arn';
}

function kmsKeyId(t: TrailSpec): string | undefined {
  if (t.key === undefined) return undefined;
  const form = keyForm(t);
  if (form === 'id') return KEY_IDS[t.key.index];
  if (form === 'alias') return ALIASES[t.key.index];
  if (form === 'aliasArn') return `arn:aws:kms:${KEY_REGIONS[t.key.index]}:${KEY_ACCOUNTS[t.key.index]}:${ALIASES[t.key.index]}`;
  return KEYS[t.key.index];
}

/** The inventory a plan describes, as a collector (or a merge of shards) would write it. */
export function build(plan: Plan): Inventory {
  const inv: Inventory = { version: 1, accounts: [] };
  if (plan.collectedAt === 'z') inv.collectedAt = '2026-01-10T12:00:00Z';
  if (plan.collectedAt === 'offset') inv.collectedAt = '2026-01-10T07:00:00-05:00';
  const errors: ReadError[] = [];
  for (const a of plan.listed) {
    inv.accounts.push({ accountId: ACCOUNTS[a], ...(plan.inOrg[a] ? { organizationId: ORG } : {}), regions: [...plan.regions[a]], trails: [] });
  }
  for (const f of plan.accountFailures) {
    if (!plan.listed.includes(f.account)) continue;
    if (f.kind === 'assume') errors.push({ accountId: ACCOUNTS[f.account], service: 'sts', operation: 'AssumeRole', code: 'AccessDenied', message: 'not authorized' });
    else errors.push({ accountId: ACCOUNTS[f.account], region: f.region, service: 'cloudtrail', operation: 'DescribeTrails', code: 'AccessDenied' });
  }
  for (const t of plan.trails) {
    const viewers = viewersOf(plan, t);
    const org = isOrgTrail(plan, t);
    const trail: Record<string, unknown> = {
      Name: t.name,
      TrailARN: trailArn(t),
      HomeRegion: t.home,
      IsMultiRegionTrail: t.multi || org,
      IncludeGlobalServiceEvents: true,
      IsOrganizationTrail: org,
    };
    if (t.validation !== undefined) trail.LogFileValidationEnabled = t.validation;
    if (t.bucket !== undefined) trail.S3BucketName = BUCKETS[t.bucket];
    const unsetMember = { absent: undefined, null: null, empty: '' }[t.unset];
    const keyId = kmsKeyId(t);
    if (keyId !== undefined) trail.KmsKeyId = keyId;
    else if (unsetMember !== undefined) trail.KmsKeyId = unsetMember;
    if (t.sns) trail.SnsTopicARN = `arn:aws:sns:${t.home}:${OWNERS[t.owner]}:trail-notices`;
    else if (unsetMember !== undefined) trail.SnsTopicARN = unsetMember;
    if (t.cloudWatch) {
      trail.CloudWatchLogsLogGroupArn = `arn:aws:logs:${t.home}:${OWNERS[t.owner]}:log-group:trail-logs:*`;
      trail.CloudWatchLogsRoleArn = `arn:aws:iam::${OWNERS[t.owner]}:role/CloudTrailToLogs`;
    } else if (unsetMember !== undefined) trail.CloudWatchLogsLogGroupArn = unsetMember;
    if (t.selectors.kind === 'default') trail.HasCustomEventSelectors = false;
    else if (t.selectors.flag) trail.HasCustomEventSelectors = true;
    if (t.insightsFlag) trail.HasInsightSelectors = t.insights > 0;

    const status: Record<string, unknown> = { IsLogging: t.isLogging };
    const unset = t.unset === 'null' ? null : undefined;
    status.LatestDeliveryError = t.deliveryError ?? unset;
    status.LatestDigestDeliveryError = t.digestError ?? unset;
    status.LatestCloudWatchLogsDeliveryError = t.cwError ?? unset;
    status.LatestCloudWatchLogsDeliveryTime = t.cwTime !== undefined ? formatTime(timeMs(t.cwTime), t.cwTime.format) : unset;
    for (const k of Object.keys(status)) if (status[k] === undefined) delete status[k];
    const insights = [{ InsightType: 'ApiCallRateInsight' }, { InsightType: 'ApiErrorRateInsight' }].slice(0, t.insights);

    const removed = new Map<number, Set<string>>();
    for (const f of t.failures) {
      if (viewers.length === 0) continue;
      const by = viewers[f.by % viewers.length];
      errors.push({ accountId: ACCOUNTS[by], region: t.home, service: 'cloudtrail', operation: f.op, resource: trailArn(t), code: 'AccessDeniedException', message: 'denied' });
      if (!f.keep) for (const field of TRAIL_FIELDS[f.op]) (removed.get(by) ?? removed.set(by, new Set()).get(by)!).add(field);
    }
    for (const a of viewers) {
      const gone = removed.get(a) ?? new Set();
      const masks = a === viewers[0] && t.twice > 0 ? [t.copies[a], t.twice - 1] : [t.copies[a]];
      for (const mask of masks) {
        const entry: TrailEntry = { Trail: structuredClone(trail) as TrailEntry['Trail'] };
        if (mask & 1 && !gone.has('Status')) entry.Status = structuredClone(status);
        if (mask & 2 && !gone.has('EventSelectors')) Object.assign(entry, structuredClone(eventSelectors(t.selectors)));
        if (mask & 4 && !gone.has('InsightSelectors')) entry.InsightSelectors = structuredClone(insights);
        inv.accounts.find((x) => x.accountId === ACCOUNTS[a])!.trails.push(entry);
      }
    }
  }
  plan.buckets.forEach((spec, i) => {
    if (spec === undefined) return;
    const doc = bucketDoc(BUCKETS[i], spec);
    for (const f of spec.failures) {
      errors.push({ accountId: ACCOUNTS[3], region: 'us-east-1', service: 's3', operation: f.op, resource: BUCKETS[i], code: 'AccessDenied', message: 'Access Denied' });
      if (!f.keep) delete doc[BUCKET_FIELD[f.op]];
    }
    (inv.buckets ??= {})[BUCKETS[i]] = doc as never;
  });
  plan.keys.forEach((spec, i) => {
    if (spec === undefined) return;
    const doc: Record<string, unknown> = {};
    if (spec.metadata !== undefined) {
      doc.KeyMetadata = {
        AWSAccountId: KEY_ACCOUNTS[i],
        KeyId: KEY_IDS[i],
        Arn: KEYS[i],
        KeyState: spec.metadata.state,
        Enabled: spec.metadata.state === 'Enabled',
        KeyUsage: { SYMMETRIC_DEFAULT: 'ENCRYPT_DECRYPT', RSA_2048: 'ENCRYPT_DECRYPT', HMAC_256: 'GENERATE_VERIFY_MAC' }[spec.metadata.spec] ?? 'SIGN_VERIFY',
        KeySpec: spec.metadata.spec,
        KeyManager: spec.metadata.manager,
        Origin: 'AWS_KMS',
        MultiRegion: spec.metadata.multiRegion,
      };
    }
    if (spec.rotation !== undefined) doc.KeyRotationEnabled = spec.rotation;
    if (spec.aliased) doc.Aliases = [ALIASES[i]];
    for (const f of spec.failures) {
      errors.push({ accountId: KEY_ACCOUNTS[i], region: KEY_REGIONS[i], service: 'kms', operation: f.op, resource: KEYS[i], code: 'AccessDeniedException' });
      if (!f.keep) delete doc[KEY_FIELD[f.op]];
    }
    (inv.keys ??= {})[KEYS[i]] = doc as never;
  });
  if (errors.length > 0) inv.errors = errors;
  return inv;
}
