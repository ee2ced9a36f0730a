/** What one collection shares across accounts: options, the error list, progress. */
import type { Partition, ReadError } from '../inventory/types.ts';
import type { AwsFailure } from './classify.ts';
import type { Runtime, Session } from './call.ts';
import type { Service } from './operations.ts';
import type { Progress } from './types.ts';

/** The state of one collection run. */
export interface Context {
  runtime: Runtime;
  progress: Progress;
  errors: ReadError[];
  /** Regions the user chose, or undefined for "every enabled region". */
  regions?: string[];
  /** The region for partition-wide calls (STS, Organizations, Account, GetBucketLocation). */
  globalRegion: string;
  partition: Partition;
}

/** The accounts whose role could not be assumed again, per collection: each is said and recorded once. */
const RENEWAL_FAILED = new WeakMap<Context, Set<string>>();

/**
 * Records a failed read as an `errors[]` entry (region and resource only when they apply). A read
 * stopped because its session's role could not be assumed again is recorded as the AssumeRole
 * failure it is, once for the account (which an AssumeRole failure leaves unread as a whole),
 * not as a refusal of the read: that would send the user after a permission the role has.
 */
export function recordError(
  ctx: Context,
  session: Session,
  where: { region?: string; resource?: string },
  service: Service,
  operation: string,
  failure: AwsFailure,
  accountId?: string,
): void {
  if (failure.renewal) {
    const id = session.accountId ?? accountId ?? 'unknown';
    let failed = RENEWAL_FAILED.get(ctx);
    if (!failed) RENEWAL_FAILED.set(ctx, (failed = new Set()));
    if (failed.has(id)) return;
    failed.add(id);
    ctx.errors.push({ accountId: id, service: 'sts', operation: 'AssumeRole', code: failure.code, message: failure.message });
    ctx.progress(`warning: account ${id}: cannot assume ${session.roleArn ?? 'the role'} again to renew its credentials (${failure.code}); the reads still to make are not collected`);
    return;
  }
  const e: ReadError = { accountId: accountId ?? session.accountId ?? 'unknown', service, operation, code: failure.code, message: failure.message };
  if (where.region !== undefined) e.region = where.region;
  if (where.resource !== undefined) e.resource = where.resource;
  ctx.errors.push(reorder(e));
}

/** Key order as in inventory.md, so snapshots diff cleanly. */
function reorder(e: ReadError): ReadError {
  const out: ReadError = { accountId: e.accountId } as ReadError;
  if (e.region !== undefined) out.region = e.region;
  out.service = e.service;
  out.operation = e.operation;
  if (e.resource !== undefined) out.resource = e.resource;
  out.code = e.code;
  if (e.message !== undefined) out.message = e.message;
  return out;
}

/** Errors in a stable order: account, region, service, operation, resource, code. */
export function sortErrors(errors: readonly ReadError[]): ReadError[] {
  const key = (e: ReadError): string => [e.accountId, e.region ?? '', e.service, e.operation, e.resource ?? '', e.code, e.message ?? ''].join('\u0000');
  return [...errors].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

/** The partition's region for partition-wide APIs. */
export function globalRegionOf(partition: Partition): string {
  if (partition === 'aws-us-gov') return 'us-gov-west-1';
  if (partition === 'aws-cn') return 'cn-northwest-1';
  return 'us-east-1';
}
