/**
 * Which read (AWS operation) stands behind each piece of a subject, and whether it succeeded.
 * A datum is usable only when it was collected and its read did not fail: everything else
 * makes the rules that need it say `error`, naming the read.
 */
import type { ReadError } from '../inventory/types.ts';
import { CREDENTIAL_OPERATIONS, OPERATIONS } from '../collect/operations.ts';
import type { FailedRead } from './result.ts';

/** The inventory field each S3 and KMS operation fills. */
export const BUCKET_OPERATIONS: Record<string, string> = {
  Region: 'GetBucketLocation',
  Policy: 'GetBucketPolicy',
  PolicyStatus: 'GetBucketPolicyStatus',
  PublicAccessBlock: 'GetPublicAccessBlock',
  OwnershipControls: 'GetBucketOwnershipControls',
  Acl: 'GetBucketAcl',
  Logging: 'GetBucketLogging',
  Versioning: 'GetBucketVersioning',
  RequestPayer: 'GetBucketRequestPayment',
};

export const KEY_OPERATIONS: Record<string, string> = {
  KeyMetadata: 'DescribeKey',
  KeyRotationEnabled: 'GetKeyRotationStatus',
  Policy: 'GetKeyPolicy',
};

/** The trail entry field each CloudTrail operation fills. */
export const TRAIL_OPERATIONS: Record<string, string> = {
  Status: 'GetTrailStatus',
  EventSelectors: 'GetEventSelectors',
  InsightSelectors: 'GetInsightSelectors',
};

/** The reads a rule may declare, for validation and documentation. */
export const KNOWN_READS: readonly string[] = [
  'Trail',
  ...Object.keys(TRAIL_OPERATIONS),
  'Bucket',
  ...Object.keys(BUCKET_OPERATIONS).map((f) => `Bucket.${f}`),
  'Key',
  ...Object.keys(KEY_OPERATIONS).map((f) => `Key.${f}`),
];

/** Available, or the read that is missing. */
export type ReadState = { ok: true } | { ok: false; failed: FailedRead };

export const READ_OK: ReadState = { ok: true };

/** Reads without which nothing of an account is known: the role into it, the list of its regions. */
const ACCOUNT_READS: ReadonlySet<string> = new Set(['AssumeRole', 'AssumeRoleWithWebIdentity', 'GetCallerIdentity', 'ListRegions', 'DescribeRegions']);

/** The CloudTrail reads of a trail list and its trails. */
const TRAIL_READS: ReadonlySet<string> = new Set(['DescribeTrails', ...Object.values(TRAIL_OPERATIONS)]);

/** The failed reads of an inventory, indexed for the questions the engine asks. */
export class ErrorIndex {
  private readonly byResource = new Map<string, ReadError[]>();
  private readonly byAccountRegion = new Map<string, ReadError[]>();
  private readonly accountWide = new Map<string, ReadError>();
  private readonly byAccountOperation = new Map<string, ReadError[]>();
  private readonly byAccountOnly = new Map<string, ReadError>();
  /** Accounts that recorded a failed read of a trail (its list, status or selectors). */
  private readonly trailReaders = new Set<string>();

  constructor(errors: readonly ReadError[]) {
    // In one fixed order, not the inventory's: errors from several files are concatenated in the
    // order the files were given, and which of two failures a result names must not depend on it.
    for (const e of errors.map(canonical).sort(compareErrors)) {
      if (TRAIL_READS.has(e.operation)) this.trailReaders.add(e.accountId);
      // Wherever it was called and whatever it names, a failure to get into the account or to
      // list its regions leaves the whole account unread.
      if (ACCOUNT_READS.has(e.operation)) {
        if (!this.accountWide.has(e.accountId)) this.accountWide.set(e.accountId, e);
      } else if (e.resource !== undefined) push(this.byResource, `${e.operation}\u0000${e.resource}`, e);
      else if (e.region !== undefined) {
        push(this.byAccountRegion, `${e.accountId}\u0000${e.region}`, e);
        push(this.byAccountOperation, `${e.accountId}\u0000${e.operation}`, e);
      } else if (e.operation === 'DescribeTrails') {
        // A trail list that failed without naming a region: none of the account's regions is known.
        if (!this.accountWide.has(e.accountId)) this.accountWide.set(e.accountId, e);
      } else {
        // Any other failure that names neither region nor resource (DescribeOrganization, say)
        // stands for no datum a rule reads: it only explains a value that is missing (the
        // organization id bucket-delivery needs for an organization trail's log path).
        const key = `${e.accountId}\u0000${e.operation}`;
        if (!this.byAccountOnly.has(key)) this.byAccountOnly.set(key, e);
      }
    }
  }

  /** A failure of `operation` recorded for the account that names no resource: partition-wide, else in some region. */
  forAccountOperation(accountId: string, operation: string): ReadError | undefined {
    return this.byAccountOnly.get(`${accountId}\u0000${operation}`) ?? this.byAccountOperation.get(`${accountId}\u0000${operation}`)?.[0];
  }

  /**
   * A failure of `operation` on `resource` (trail ARN, bucket name, key ARN); only one `accountId`
   * recorded, when given, and then in `region`, when given, or with `orNone` in none too (a
   * failure that names no region cannot be placed in another).
   */
  forResource(operation: string, resource: string, accountId?: string, region?: string, orNone = false): ReadError | undefined {
    const found = this.byResource.get(`${operation}\u0000${resource}`);
    return accountId === undefined ? found?.[0] : found?.find((e) => e.accountId === accountId && (region === undefined || e.region === region || (orNone && e.region === undefined)));
  }

  /**
   * Accounts that `accounts` leaves out but whose reads failed: an account-wide failure (a
   * hand-written inventory may record a role that could not be assumed only in `errors`), or a
   * failed read of a trail (its list, its status, its selectors), which says the account was
   * looked at and what it showed is missing. Sorted. (A failed bucket or key read alone does
   * not: a log archive's buckets come without their account.)
   */
  unlistedAccounts(listed: ReadonlySet<string>): string[] {
    const ids = new Set<string>();
    for (const id of this.accountWide.keys()) if (!listed.has(id)) ids.add(id);
    for (const id of this.trailReaders) if (!listed.has(id)) ids.add(id);
    return [...ids].sort();
  }

  /** A failure that makes the whole account unreadable (its role could not be assumed, say). */
  forAccount(accountId: string): ReadError | undefined {
    return this.accountWide.get(accountId);
  }

  /**
   * The region-wide failures of `operation` in any region of the account, by region:
   * a DescribeTrails that failed in a region the account's `regions` does not list still leaves
   * its trail list incomplete.
   */
  forAnyRegion(accountId: string, operation: string): readonly ReadError[] {
    return this.byAccountOperation.get(`${accountId}\u0000${operation}`) ?? [];
  }

  /** A region-wide failure of `operation` (DescribeTrails in one region, say). */
  forRegion(accountId: string, region: string, operation: string): ReadError | undefined {
    return this.byAccountRegion.get(`${accountId}\u0000${region}`)?.find((e) => e.operation === operation);
  }
}

/**
 * Every operation an inventory's errors may name, per service, as AWS spells it, by its
 * lowercase form: the collector's own, the credential calls (a role assumed with a web identity
 * too), HeadBucket (which other tools record for a bucket), and the IAM action names that differ
 * from the operation's (`s3:ListAllMyBuckets`). The loader refuses any other: a misspelt
 * operation would match no read and change no verdict.
 */
export const RECORDED_OPERATIONS: ReadonlyMap<string, ReadonlyMap<string, string>> = (() => {
  const byService = new Map<string, Map<string, string>>();
  const add = (service: string, spelling: string, name: string) => {
    let names = byService.get(service);
    if (names === undefined) byService.set(service, (names = new Map()));
    names.set(spelling.toLowerCase(), name);
  };
  for (const o of [...OPERATIONS, ...CREDENTIAL_OPERATIONS]) {
    add(o.service, o.name, o.name);
    add(o.service, o.action.slice(o.action.indexOf(':') + 1), o.name);
  }
  add('sts', 'AssumeRoleWithWebIdentity', 'AssumeRoleWithWebIdentity');
  add('s3', 'HeadBucket', 'HeadBucket');
  return byService;
})();

/** The same spellings whatever the service, for matching (the loader has checked the service). */
const OPERATION_NAMES = new Map<string, string>();
for (const names of RECORDED_OPERATIONS.values()) for (const [spelling, name] of names) OPERATION_NAMES.set(spelling, name);
for (const name of ACCOUNT_READS) OPERATION_NAMES.set(name.toLowerCase(), name);

/**
 * An error with its operation as AWS spells it. A hand-written inventory may write
 * `describeTrails` or `cloudtrail:DescribeTrails`; matched only as written, such a failure would
 * explain nothing, and the data it stands for would read as absent or, for a trail list, empty.
 */
function canonical(e: ReadError): ReadError {
  const bare = e.operation.slice(e.operation.indexOf(':') + 1);
  const name = OPERATION_NAMES.get(bare.toLowerCase()) ?? bare;
  return name === e.operation ? e : { ...e, operation: name };
}

function compareErrors(a: ReadError, b: ReadError): number {
  for (const k of ['accountId', 'region', 'operation', 'resource', 'service', 'code', 'message'] as const) {
    const x = a[k] ?? '';
    const y = b[k] ?? '';
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

function push<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const list = m.get(k);
  if (list) list.push(v);
  else m.set(k, [v]);
}

/** A FailedRead from a recorded error. */
export function failedFrom(e: ReadError): ReadState {
  return { ok: false, failed: failedRead(e) };
}

/** The read a recorded error names, as results name it. */
export function failedRead(e: ReadError): FailedRead {
  return { accountId: e.accountId, operation: e.operation, resource: e.resource, region: e.region, code: e.code, message: e.message };
}

/** A FailedRead for a datum that the inventory simply does not have; `more` adds to the sentence. */
export function notCollected(operation: string, resource: string | undefined, what: string, more = ''): ReadState {
  return { ok: false, failed: { operation, resource, code: 'NotCollected', message: `${what} is not in the inventory${more}` } };
}

/**
 * The error codes AWS services answer a refused request with (S3, most JSON APIs, EC2), and the
 * forms other tools record them in: S3's HeadBucket has no error body, so its refusal is known
 * only as `Forbidden`, or by its HTTP status.
 */
const DENIED = new Set(['AccessDenied', 'AccessDeniedException', 'UnauthorizedOperation', 'Forbidden', '403']);

/** One failed read however many times it is met: the call, what it was on, where, and the answer. */
export function sameRead(a: FailedRead, b: FailedRead): boolean {
  return a === b || (a.operation === b.operation && a.resource === b.resource && a.region === b.region && a.code === b.code);
}

/** One line naming a failed read, for result messages; a refused read says which permission it needs. */
export function describeFailedRead(f: FailedRead): string {
  const on = f.resource ? ` for ${f.resource}` : f.region ? ` in ${f.region}` : '';
  const msg = f.message ? `: ${f.message}` : '';
  // What is missing first, then the read that would have filled it.
  if (f.code === 'NotCollected') return f.message ? `${f.message} (${f.operation}${on})` : `${f.operation}${on} was not collected`;
  // A value the inventory holds but that cannot be used: no call failed, so the value comes first.
  if (f.code === 'InvalidValue' && f.message) return `${f.message} (${f.operation}${on})`;
  return `${f.operation}${on} failed with ${f.code}${msg}${DENIED.has(f.code) ? permissionHint(f) : ''}`;
}

/** HeadBucket as a read with its IAM action (S3 API reference, HeadBucket: "you must have permissions to perform the s3:ListBucket action"). */
const HEAD_BUCKET = { service: 's3', action: 's3:ListBucket' } as const;

/** KMS operations that work only in the key's own account (KMS API reference: "Cross-account use: No"). */
const OWN_ACCOUNT_ONLY: ReadonlySet<string> = new Set(['GetKeyPolicy']);

/**
 * What a refused read needs, from the collector's own list of operations. The resource's own
 * policy has its say too: a key policy must allow the call (IAM alone is not enough unless the
 * key policy delegates to it), and a bucket policy must not deny it. A read that KMS refuses to
 * any account but the key's own needs no permission: it needs the key's account in the scan.
 */
function permissionHint(f: FailedRead): string {
  const operation = f.operation;
  const keyAccount = OWN_ACCOUNT_ONLY.has(operation) ? /^arn:[^:]+:kms:[^:]*:(\d{12}):/.exec(f.resource ?? '')?.[1] : undefined;
  if (keyAccount !== undefined && f.accountId !== undefined && keyAccount !== f.accountId) {
    return ` (${operation} works only in the key's own account, and account ${f.accountId} asked for a key of account ${keyAccount}: add account ${keyAccount}, or its snapshot, to the scan)`;
  }
  // HeadBucket is no read of the collector's, but other tools record it (its refusal as Forbidden
  // or 403, having no body); S3 authorizes it as s3:ListBucket.
  const op = operation === 'HeadBucket' ? HEAD_BUCKET : OPERATIONS.find((o) => o.name === operation);
  if (!op) return '';
  // A bucket is most often another account's (a log archive's): refused there, the cure is to
  // read it from its own account, which the inventory cannot name (it lists buckets apart).
  const resource = op.service === 'kms' ? ', and the key policy must allow it' : op.service === 's3' ? ', and the bucket policy must not deny it; a bucket of another account is best read from that account: add it to the scan' : '';
  return ` (the scanning role needs ${op.action}${resource})`;
}
