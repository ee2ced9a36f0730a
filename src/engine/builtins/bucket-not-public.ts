/**
 * The `bucket-not-public` built-in: the trail's log bucket grants nothing to the public. Its
 * ACL must grant nothing to AllUsers or AuthenticatedUsers, its policy must allow nothing to
 * everyone without a condition that pins the caller, and S3's own PolicyStatus, when it was
 * collected, must not say IsPublic. Any definite public grant fails; otherwise a read that is
 * missing makes the verdict `error`, never a pass.
 */
import type { Bucket } from '../../inventory/types.ts';
import type { BuiltinVerdict, TrailBuiltin } from '../builtin-types.ts';
import type { FailedRead } from '../result.ts';
import type { TrailSubject } from '../subjects.ts';
import { trailName } from '../trail-subject.ts';
import { parsePolicy } from '../../policy/index.ts';
import { publicGrants, publicStatements } from './public-policy.ts';
import { presentRead, readErrorVerdict } from './reads.ts';

/**
 * The ways a bucket is public, each with its own fix: an ACL is replaced by one call, a policy
 * statement has to be taken out of the policy. Block Public Access fixes neither (the grant
 * stays, and turning it off again would expose the logs), so it is not a kind of its own.
 */
const FAILURES = {
  PublicAcl: 'the bucket ACL grants access to everyone (AllUsers) or to any AWS account (AuthenticatedUsers)',
  PublicPolicy: 'the bucket policy allows everyone without a condition that pins the caller, or S3 reports it as public',
} as const;

type Failure = keyof typeof FAILURES;

/** The built-in registered as `bucket-not-public`. */
export const bucketNotPublic: TrailBuiltin = {
  name: 'bucket-not-public',
  scope: 'trail',
  reads: ['Trail', 'Bucket', 'Bucket.Acl', 'Bucket.Policy'],
  failures: FAILURES,
  judge,
};

/** Per bucket (shared by every trail that writes to it), the public statements of its policy or why it cannot be read. */
const verdicts = new WeakMap<Bucket, string[] | { problem: string }>();

function policyVerdict(b: Bucket, policy: string | object): string[] | { problem: string } {
  let v = verdicts.get(b);
  if (v === undefined) {
    const parsed = parsePolicy(policy, b);
    v = parsed.ok ? publicStatements(policy) : { problem: parsed.problem };
    verdicts.set(b, v);
  }
  return v;
}

function judge(t: TrailSubject): BuiltinVerdict {
  const bucket = t.Trail.S3BucketName;
  const whole = t.read('Bucket');
  // No bucket name: the read says the trail entry lacks it (every trail has a bucket).
  if (bucket === undefined || bucket === '') return readErrorVerdict(`whether the bucket of trail ${trailName(t)} is public`, whole.ok ? [] : [whole.failed], {});
  const evidence: Record<string, unknown> = { bucket };
  if (!whole.ok) {
    // A bucket the inventory holds no entry for: the read's message says how to bring it in.
    return readErrorVerdict(`whether bucket ${bucket} is public`, [whole.failed], evidence);
  }
  const b = t.Bucket!;
  if (b.Exists === false) return { status: 'skipped', message: `not applicable: bucket ${bucket} does not exist (bucket-delivery reports it)` };

  const reasons: string[] = [];
  const failures = new Set<Failure>();
  const failed: FailedRead[] = [];
  let problem: string | undefined;

  // Block Public Access changes what S3 does with a public grant, not whether the grant is there
  // (rules.md judges the grant): the message says so, since turning it on does not clear the finding.
  const block = t.read('Bucket.PublicAccessBlock').ok ? b.PublicAccessBlock : undefined;
  const acl = presentRead(t.read('Bucket.Acl'), b.Acl, 'GetBucketAcl', bucket, `the Acl of bucket ${bucket}`);
  if (!acl.ok) failed.push(acl.failed);
  else {
    const grants = publicGrants(b.Acl);
    const ignored = block?.IgnorePublicAcls === true ? ', which Block Public Access makes S3 ignore today, but which stays until it is removed' : '';
    reasons.push(...grants.map((g) => g + ignored));
    if (grants.length > 0) failures.add('PublicAcl');
  }

  const policy = presentRead(t.read('Bucket.Policy'), b.Policy, 'GetBucketPolicy', bucket, `the Policy of bucket ${bucket}`);
  if (!policy.ok) failed.push(policy.failed);
  else if (b.Policy !== null && b.Policy !== undefined) {
    const verdict = policyVerdict(b, b.Policy);
    const restricted = block?.RestrictPublicBuckets === true ? ', which Block Public Access limits to AWS services and the owner account today, but which stays until it is removed' : '';
    if (Array.isArray(verdict)) {
      reasons.push(...verdict.map((v) => v + restricted));
      if (verdict.length > 0) failures.add('PublicPolicy');
    } else problem = `the policy of bucket ${bucket} cannot be evaluated: ${verdict.problem}`;
  }

  // S3's own verdict counts when it was read; when it was not, trailgate's analysis stands alone.
  const status = t.read('Bucket.PolicyStatus');
  if (status.ok && b.PolicyStatus?.IsPublic === true) {
    reasons.push('S3 reports the bucket policy as public (PolicyStatus.IsPublic is true)');
    failures.add('PublicPolicy');
  }
  if (status.ok && b.PolicyStatus !== undefined) evidence.policyStatusIsPublic = b.PolicyStatus?.IsPublic ?? false;

  if (reasons.length > 0) {
    // In the order FAILURES declares them, so the commands of both come ACL first.
    const kinds = (Object.keys(FAILURES) as Failure[]).filter((f) => failures.has(f));
    return { status: 'fail', message: `bucket ${bucket} is public: ${reasons.join('; ')}`, evidence: { ...evidence, reasons }, failures: kinds };
  }
  if (failed.length > 0) return readErrorVerdict(`whether bucket ${bucket} is public`, failed, evidence);
  if (problem !== undefined) return { status: 'error', message: problem, evidence };
  return { status: 'pass', message: `bucket ${bucket} grants nothing to the public in its ACL or its policy`, evidence };
}
