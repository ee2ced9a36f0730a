/**
 * The reference model of the trail-rule differential test (differential-trail-rules.test.ts):
 * rules.md and inventory.md, written out for the subjects the generator draws, from those design
 * documents alone, not from trailgate's rules.
 *
 * Where the design documents leave room, the model takes the reading trailgate documents, and says
 * so where it does: collected data wins over a failed read that another account recorded (README); insight
 * selectors not read are judged by DescribeTrails' HasInsightSelectors; KeyRotationEnabled null
 * ("read, and there is none") is no rotation; a failed GetBucketPolicyStatus leaves PolicyStatus
 * uncollected, which bucket-not-public only consults "when collected"; a bucket that does not exist,
 * or no bucket, is not applicable to the bucket rules (bucket-delivery reports it).
 */
import type { Status } from '../../../src/engine/result.ts';
import { ACLS, LOGGINGS, policyStatements, POLICY_STATUSES, VERSIONINGS } from './bucket-pieces.ts';
import { keyForm, timeMs, viewersOf } from './build.ts';
import type { BucketRead, KeyRead, Plan, TrailRead, TrailSpec } from './generate.ts';
import { BUCKETS, HOUR, NOW, type RuleId } from './world.ts';

/** Kleene truth: true, false, or unknown (a datum not collected or unreadable). */
type K = boolean | 'unknown';

function or3(...xs: K[]): K {
  if (xs.includes(true)) return true;
  return xs.includes('unknown') ? 'unknown' : false;
}

/** A "passes when X" rule: X true is pass, false is fail, unknown is error. */
function verdict(x: K): Status {
  return x === 'unknown' ? 'error' : x ? 'pass' : 'fail';
}

export function modelFor(plan: Plan, t: TrailSpec): Record<RuleId, Status> {
  const viewers = viewersOf(plan, t);
  /**
   * Whether a datum of the trail is known: collected in the copy of some account that did not
   * record that read as failed. A failed read recorded by another account (a member denied
   * GetTrailStatus on the organization trail its owner read) does not unmake what was collected:
   * inventory.md's merge of member shards with the log-archive shard relies on it, and the README
   * says so.
   */
  const copyHas = (bit: number, op: TrailRead) =>
    viewers.some((a) => {
      // A trail listed twice in one account is one trail: either copy may hold the datum.
      const mask = t.copies[a] | (a === viewers[0] && t.twice > 0 ? t.twice - 1 : 0);
      if ((mask & bit) === 0) return false;
      // A viewer that recorded the read as failed has no usable copy of it, whether or not it kept
      // the datum: its inventory contradicts itself (inventory.md: a recorded error makes the rules
      // that need the datum `error`). Another viewer's copy still counts.
      return !t.failures.some((f) => f.op === op && viewers[f.by % viewers.length] === a);
    });

  const statusKnown = copyHas(1, 'GetTrailStatus');

  const out = {} as Record<RuleId, Status>;
  out['log-file-validation'] = verdict(t.validation === true);
  out['kms-encryption'] = verdict(t.key !== undefined);
  out['sns-notifications'] = verdict(t.sns);
  out['trail-logging'] = verdict(statusKnown ? t.isLogging : 'unknown');
  const anyError = [t.deliveryError, t.digestError, t.cwError].some((e) => e !== undefined && e !== '');
  out['delivery-errors'] = verdict(statusKnown ? !anyError : 'unknown');

  // cloudwatch-logs: a log group, and a delivery at most maxAgeHours before collectedAt.
  if (!t.cloudWatch) out['cloudwatch-logs'] = 'fail';
  else if (!statusKnown) out['cloudwatch-logs'] = 'error';
  else if (t.cwTime === undefined) out['cloudwatch-logs'] = 'fail';
  // A delivery with no readable time: its age is unknown.
  else if (t.cwTime.format === 'notATime' || t.cwTime.format === 'noSuchDay') out['cloudwatch-logs'] = 'error';
  else if (plan.collectedAt === 'none') out['cloudwatch-logs'] = 'error';
  else out['cloudwatch-logs'] = verdict(NOW - timeMs(t.cwTime) <= 24 * HOUR);

  // event-selectors-per-trail: the default selector (HasCustomEventSelectors false, none given) is one basic selector.
  // Inferred, not read: when no copy holds the lists, a recorded GetEventSelectors failure makes it unknown
  // (inventory.md: an error recorded for a read makes the rules that need it `error`, never `pass`).
  const s = t.selectors;
  if (s.kind === 'default') {
    const listsHeld = s.listed !== 'none' && copyHas(2, 'GetEventSelectors');
    const failed = viewers.length > 0 && t.failures.some((f) => f.op === 'GetEventSelectors');
    out['event-selectors-per-trail'] = !listsHeld && failed ? 'error' : 'pass';
  } else {
    if (!copyHas(2, 'GetEventSelectors')) out['event-selectors-per-trail'] = 'error';
    else if (s.kind === 'basic') out['event-selectors-per-trail'] = verdict(s.count <= 5 && s.dataValues <= 250);
    else out['event-selectors-per-trail'] = verdict(s.values <= 500);
  }

  // InsightSelectors when collected; otherwise DescribeTrails' own HasInsightSelectors says the
  // same thing (the rule's description says so, and the field is part of the collected Trail).
  const insightsKnown = copyHas(4, 'GetInsightSelectors') || t.insightsFlag;
  out['insights-enabled'] = verdict(insightsKnown ? t.insights > 0 : 'unknown');

  Object.assign(out, bucketModel(plan, t));
  out['kms-key-rotation'] = keyRotationModel(plan, t);
  return out;
}

type BucketRule = 'bucket-not-public' | 'bucket-access-logging' | 'bucket-mfa-delete';

function bucketModel(plan: Plan, t: TrailSpec): Record<BucketRule, Status> {
  const all = (s: Status): Record<BucketRule, Status> => ({ 'bucket-not-public': s, 'bucket-access-logging': s, 'bucket-mfa-delete': s });
  // No S3BucketName: every trail has a bucket, so the entry was not read whole (error, as any
  // datum not collected).
  if (t.bucket === undefined) return all('error');
  const spec = t.bucket < plan.buckets.length ? plan.buckets[t.bucket] : undefined;
  // Not collected, or in an account that was not scanned.
  if (spec === undefined) return all('error');
  if (!spec.exists) return all('skipped');
  // What the build left in place (a failure that did not keep its datum took it out).
  const field = <T>(op: BucketRead, value: T | undefined): T | 'unknown' => (value === undefined || spec.failures.some((f) => f.op === op && !f.keep) ? 'unknown' : value);
  const acl = field('GetBucketAcl', spec.acl);
  const aclPublic: K = acl === 'unknown' ? 'unknown' : ACLS[acl][1];
  const policy = field('GetBucketPolicy', spec.policy);
  const policyPublic: K = policy === 'unknown' || policy?.malformed ? 'unknown' : policy === null ? false : policyStatements(BUCKETS[t.bucket])[policy.index][1];
  // PolicyStatus counts only "when collected" (rules.md): a failed GetBucketPolicyStatus leaves it
  // uncollected, and the ACL and policy decide alone.
  const policyStatus = field('GetBucketPolicyStatus', spec.policyStatus);
  const statusPublic: K = policyStatus !== 'unknown' ? POLICY_STATUSES[policyStatus][1] : false;
  const pub = or3(aclPublic, policyPublic, statusPublic);
  const logging = field('GetBucketLogging', spec.logging);
  const versioning = field('GetBucketVersioning', spec.versioning);
  return {
    'bucket-not-public': pub === 'unknown' ? 'error' : pub ? 'fail' : 'pass',
    'bucket-access-logging': verdict(logging === 'unknown' ? 'unknown' : LOGGINGS[logging][1]),
    'bucket-mfa-delete': verdict(versioning === 'unknown' ? 'unknown' : VERSIONINGS[versioning][1]),
  };
}

function keyRotationModel(plan: Plan, t: TrailSpec): Status {
  if (t.key === undefined) return 'skipped';
  const spec = t.key.index < plan.keys.length ? plan.keys[t.key.index] : undefined;
  if (spec === undefined) return 'error';
  // An alias resolves only through the Aliases the collector recorded.
  const form = keyForm(t);
  if ((form === 'alias' || form === 'aliasArn') && !spec.aliased) return 'error';
  const lost = (op: KeyRead) => spec.failures.some((f) => f.op === op && !f.keep);
  const metadata = lost('DescribeKey') ? undefined : spec.metadata;
  if (metadata === undefined) return 'error';
  // Rotation applies to customer-managed symmetric keys only: AWS rotates its own keys itself, and
  // asymmetric and HMAC keys cannot rotate automatically.
  if (metadata.manager !== 'CUSTOMER' || metadata.spec !== 'SYMMETRIC_DEFAULT') return 'skipped';
  const rotation = lost('GetKeyRotationStatus') ? undefined : spec.rotation;
  if (rotation === undefined) return 'error';
  // null is "read, and there is none" (inventory.md): no rotation. The docs do not say more.
  return rotation === true ? 'pass' : 'fail';
}
