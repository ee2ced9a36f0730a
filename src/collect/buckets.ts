/**
 * One trail bucket, read once, with the credentials of the account that owns it when that
 * account is being scanned (S3 answers MethodNotAllowed to anyone else for its policy):
 * GetBucketLocation first, then every other read in the bucket's own region.
 */
import type { Bucket } from '../inventory/types.ts';
import { call, type Outcome, type Session } from './call.ts';
import { isAbsent, malformed } from './classify.ts';
import { recordError, type Context } from './context.ts';
import { normaliseBucketRegion, plain, plainObject, plainObjects } from './shapes.ts';

type Field = Exclude<keyof Bucket, 'Exists' | 'Region'>;

/**
 * Per bucket read: the operation and how its output becomes the inventory field (undefined when
 * the answer lacks what AWS always sends: an emulator that does not implement a subresource may
 * answer it with a bucket listing, which must not read as "none").
 */
const READS: readonly { field: Field; operation: string; needs: string; pick: (out: Record<string, unknown>) => unknown }[] = [
  { field: 'Policy', operation: 'GetBucketPolicy', needs: 'a JSON policy document', pick: (o) => (isJsonObject(o.Policy) ? o.Policy : undefined) },
  { field: 'PolicyStatus', operation: 'GetBucketPolicyStatus', needs: 'PolicyStatus.IsPublic', pick: (o) => policyStatus(o.PolicyStatus) },
  { field: 'PublicAccessBlock', operation: 'GetPublicAccessBlock', needs: 'the four settings of a PublicAccessBlockConfiguration', pick: (o) => publicAccessBlock(o.PublicAccessBlockConfiguration) },
  { field: 'OwnershipControls', operation: 'GetBucketOwnershipControls', needs: 'OwnershipControls.Rules', pick: (o) => ownershipControls(o.OwnershipControls) },
  {
    field: 'Acl',
    operation: 'GetBucketAcl',
    needs: 'an Owner and a list of Grants',
    pick: (o) => {
      // AWS always names the owner; an answer without one (a bucket listing, say) has no grants to trust.
      const owner = plainObject(o.Owner);
      const grants = o.Grants === undefined ? [] : plainObjects(o.Grants);
      return owner && grants ? { Grants: grants, Owner: owner } : undefined;
    },
  },
  { field: 'Logging', operation: 'GetBucketLogging', needs: 'a LoggingEnabled object', pick: (o) => (o.LoggingEnabled === undefined ? {} : plainObject(o.LoggingEnabled)) },
  { field: 'Versioning', operation: 'GetBucketVersioning', needs: 'a versioning configuration', pick: (o) => plainObject({ Status: o.Status, MFADelete: o.MFADelete }) },
  { field: 'RequestPayer', operation: 'GetBucketRequestPayment', needs: 'a Payer', pick: (o) => (typeof o.Payer === 'string' ? o.Payer : undefined) },
];

/** Whether a GetBucketPolicy answer is a policy document (a JSON object), as AWS always sends. */
function isJsonObject(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  try {
    const parsed: unknown = JSON.parse(value);
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed);
  } catch {
    return false;
  }
}

/** GetBucketPolicyStatus's PolicyStatus, which AWS always answers with IsPublic. */
function policyStatus(value: unknown): Record<string, unknown> | undefined {
  const status = plainObject(value);
  return typeof status?.IsPublic === 'boolean' ? status : undefined;
}

const BLOCK_SETTINGS = ['BlockPublicAcls', 'IgnorePublicAcls', 'BlockPublicPolicy', 'RestrictPublicBuckets'] as const;

/** GetPublicAccessBlock's configuration, which AWS always answers with its four settings (a setting never put is false). */
function publicAccessBlock(value: unknown): Record<string, unknown> | undefined {
  const block = plainObject(value);
  return block && BLOCK_SETTINGS.every((k) => typeof block[k] === 'boolean') ? block : undefined;
}

/** GetBucketOwnershipControls' answer, which AWS always gives as Rules, each naming its ObjectOwnership. */
function ownershipControls(value: unknown): Record<string, unknown> | undefined {
  const controls = plainObject(value);
  const rules = controls === undefined ? undefined : plainObjects(controls.Rules);
  return rules && rules.length > 0 && rules.every((r) => typeof r.ObjectOwnership === 'string') ? controls : undefined;
}

/**
 * Reads one bucket, with the session `readerIn` gives for the region asked in (GetBucketLocation
 * in the partition's global region, then the rest in the bucket's); undefined when not even its
 * region could be read (the error is recorded).
 */
export async function collectBucket(ctx: Context, readerIn: (region: string) => Session, name: string): Promise<Bucket | undefined> {
  let session = readerIn(ctx.globalRegion);
  const location = await call(session, ctx.globalRegion, 's3', 'GetBucketLocation', { Bucket: name });
  if (!location.ok) {
    if (location.failure.code === 'NoSuchBucket') return { Exists: false };
    recordError(ctx, session, { region: ctx.globalRegion, resource: name }, 's3', 'GetBucketLocation', location.failure);
    return undefined;
  }
  const region = normaliseBucketRegion(location.value.LocationConstraint);
  if (region === undefined) {
    const failure = { code: 'MalformedResponse', message: `GetBucketLocation returned ${JSON.stringify(plain(location.value.LocationConstraint))}` };
    recordError(ctx, session, { region: ctx.globalRegion, resource: name }, 's3', 'GetBucketLocation', failure);
    return undefined;
  }
  session = readerIn(region);
  const outcomes = await Promise.all(READS.map((r) => call(session, region, 's3', r.operation, { Bucket: name })));
  const bucket: Bucket = { Region: region };
  let gone = false;
  READS.forEach((r, i) => {
    // outcomes is READS mapped, one outcome per read.
    const out: Outcome = outcomes[i]!;
    if (out.ok) {
      const value = r.pick(out.value);
      if (value !== undefined) bucket[r.field] = value as never;
      else recordError(ctx, session, { region, resource: name }, 's3', r.operation, malformed(r.operation, `an answer without ${r.needs}`));
    } else if (out.failure.code === 'NoSuchBucket') gone = true;
    else if (isAbsent(r.operation, out.failure.code)) bucket[r.field] = null;
    else recordError(ctx, session, { region, resource: name }, 's3', r.operation, out.failure);
  });
  // Deleted between GetBucketLocation and the reads: what AWS says now is that it does not exist.
  return gone ? { Exists: false } : bucket;
}
