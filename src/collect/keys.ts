/**
 * One trail KMS key: DescribeKey (which also resolves an alias to the key ARN), then
 * GetKeyRotationStatus and GetKeyPolicy by ARN, in the key's region, with the credentials of
 * the key's account when it is scanned (GetKeyPolicy does not work across accounts).
 */
import type { Key } from '../inventory/types.ts';
import { call, type Session } from './call.ts';
import { isAbsent, malformed } from './classify.ts';
import { recordError, type Context } from './context.ts';
import { plainObject } from './shapes.ts';

/** The alias name (`alias/x`) a key id refers to, or undefined when it is a key id or key ARN. */
function aliasName(keyId: string): string | undefined {
  if (keyId.startsWith('alias/')) return keyId;
  const m = /^arn:[^:]+:kms:[^:]*:\d*:(alias\/.+)$/.exec(keyId);
  return m ? m[1] : undefined;
}

/** What GetKeyRotationStatus and GetKeyPolicy add to a described key. */
type Details = Pick<Key, 'KeyRotationEnabled' | 'Policy'>;

/**
 * The rotation and policy reads of each key, by reader account and key ARN: a key one trail
 * names by alias and another by ARN resolves to the same ARN, and is read (and a failure
 * recorded) once.
 */
export type KeyDetails = Map<string, Promise<Details>>;

/** Reads one key by the id a trail gives; undefined when DescribeKey failed (recorded). */
export async function collectKey(ctx: Context, session: Session, keyId: string, region: string, details: KeyDetails): Promise<{ arn: string; key: Key } | undefined> {
  const described = await call(session, region, 'kms', 'DescribeKey', { KeyId: keyId });
  if (!described.ok) {
    recordError(ctx, session, { region, resource: keyId }, 'kms', 'DescribeKey', described.failure);
    return undefined;
  }
  const metadata = plainObject(described.value.KeyMetadata);
  const arn = metadata?.Arn;
  if (!metadata || typeof arn !== 'string' || !arn.startsWith('arn:')) {
    recordError(ctx, session, { region, resource: keyId }, 'kms', 'DescribeKey', malformed('DescribeKey', 'no key ARN'));
    return undefined;
  }
  const key: Key = { KeyMetadata: metadata as Key['KeyMetadata'] };
  const alias = aliasName(keyId);
  if (alias) key.Aliases = [alias];
  const detailsKey = `${session.accountId}\u0000${arn}`;
  let read = details.get(detailsKey);
  if (!read) {
    read = readDetails(ctx, session, arn, region);
    details.set(detailsKey, read);
  }
  return { arn, key: { ...key, ...(await read) } };
}

async function readDetails(ctx: Context, session: Session, arn: string, region: string): Promise<Details> {
  const out: Details = {};
  const where = { region, resource: arn };
  // GetKeyPolicy works only in the key's own account (KMS API reference: "Cross-account use: No"):
  // asked from another, it is always refused, and the refusal lands as an AccessDenied event in
  // the key owner's CloudTrail, where a security team may well alert on it. Not asked, and said why.
  const owner = /^arn:[^:]+:kms:[^:]*:(\d{12}):/.exec(arn)?.[1];
  const foreign = owner !== undefined && owner !== session.accountId;
  const [rotation, policy] = await Promise.all([
    call(session, region, 'kms', 'GetKeyRotationStatus', { KeyId: arn }),
    foreign ? undefined : call(session, region, 'kms', 'GetKeyPolicy', { KeyId: arn, PolicyName: 'default' }),
  ]);
  if (rotation.ok && typeof rotation.value.KeyRotationEnabled === 'boolean') out.KeyRotationEnabled = rotation.value.KeyRotationEnabled;
  else if (!rotation.ok && isAbsent('GetKeyRotationStatus', rotation.failure.code)) out.KeyRotationEnabled = null;
  else recordError(ctx, session, where, 'kms', 'GetKeyRotationStatus', rotation.ok ? malformed('GetKeyRotationStatus', 'no KeyRotationEnabled') : rotation.failure);
  if (policy === undefined) {
    // The key's account may be in the scan already, its role refused: "add it" would send the user
    // looking for an account they did list; what is missing is a role the scan can assume there.
    const refused = ctx.errors.find((e) => e.accountId === owner && e.operation === 'AssumeRole');
    const remedy = refused
      ? `account ${owner} is in the scan, but its role could not be assumed (AssumeRole failed with ${refused.code}): let the scan assume a role there, or add its snapshot`
      : `add account ${owner}, or its snapshot, to the scan`;
    const message = `GetKeyPolicy works only in the key's own account, and account ${session.accountId} is not account ${owner}: ${remedy}`;
    recordError(ctx, session, where, 'kms', 'GetKeyPolicy', { code: 'NotCollected', message });
  } else if (policy.ok && typeof policy.value.Policy === 'string') out.Policy = policy.value.Policy;
  else recordError(ctx, session, where, 'kms', 'GetKeyPolicy', policy.ok ? malformed('GetKeyPolicy', 'no Policy') : policy.failure);
  return out;
}

/** Two reads of the same key (by alias and by ARN, say) as one entry. */
export function mergeKeys(a: Key, b: Key): Key {
  const merged: Key = { ...b, ...a };
  const aliases = [...new Set([...(a.Aliases ?? []), ...(b.Aliases ?? [])])].sort();
  if (aliases.length > 0) merged.Aliases = aliases;
  return merged;
}
