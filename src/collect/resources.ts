/**
 * The second phase of a collection: every bucket and key the trails name, each read once, by
 * the scanned account that owns it when there is one (S3 and KMS refuse some reads to anyone
 * else), otherwise by the trail's owner, otherwise by an account that uses it.
 */
import type { AccountInventory, Bucket, Key } from '../inventory/types.ts';
import type { Session } from './call.ts';
import type { Context } from './context.ts';
import { collectBucket } from './buckets.ts';
import { collectKey, mergeKeys, type KeyDetails } from './keys.ts';
import { mapBounded } from './ratelimit.ts';
import { arnAccountOf, arnRegionOf, sortedRecord } from './shapes.ts';

/** One account after the first phase: its inventory entry, its session, the buckets it owns. */
export interface Collected {
  account: AccountInventory;
  session?: Session;
  ownedBuckets: string[];
  /** None of the regions the user chose is enabled in the account: it is left out of the inventory (its buckets may still be read for others' trails). */
  outOfScope?: boolean;
  /** The regions enabled in the account, whatever --region chose; undefined when they could not be listed. */
  enabled?: ReadonlySet<string>;
}

/** Reads every bucket and key the collected trails name. */
export async function collectBucketsAndKeys(ctx: Context, collected: Collected[], concurrency: number): Promise<{ buckets: Record<string, Bucket>; keys: Record<string, Key> }> {
  const sessions = new Map<string, Session>();
  const owner = new Map<string, Session>();
  for (const c of collected) {
    if (!c.session) continue;
    sessions.set(c.account.accountId, c.session);
    for (const b of c.ownedBuckets) owner.set(b, c.session);
  }
  const bucketJobs = new Map<string, Session>();
  const keyJobs = new Map<string, { session: Session; keyId: string; region: string }>();
  for (const c of [...collected].sort((a, b) => (a.account.accountId < b.account.accountId ? -1 : 1))) {
    if (!c.session) continue;
    for (const { Trail: t } of c.account.trails) {
      const trailOwner = sessions.get(arnAccountOf(t.TrailARN) ?? '');
      if (t.S3BucketName && !bucketJobs.has(t.S3BucketName)) bucketJobs.set(t.S3BucketName, owner.get(t.S3BucketName) ?? trailOwner ?? c.session);
      if (t.KmsKeyId) {
        const keyAccount = arnAccountOf(t.KmsKeyId);
        // An alias name or key id names a key of the trail owner's account: without a session
        // there, asking in this account would read (or miss) another key, so it is left unread.
        const keySession = keyAccount !== undefined ? (sessions.get(keyAccount) ?? trailOwner ?? c.session) : arnAccountOf(t.TrailARN) === c.account.accountId ? c.session : trailOwner;
        if (keySession === undefined) continue;
        const region = arnRegionOf(t.KmsKeyId) ?? t.HomeRegion ?? arnRegionOf(t.TrailARN) ?? ctx.globalRegion;
        // A key or alias ARN names the same key whoever asks: one read, by the first reader. An
        // alias name or key id is relative to the account that asks, so it is read per account.
        const jobKey = keyAccount !== undefined ? t.KmsKeyId : `${keySession.accountId}\u0000${region}\u0000${t.KmsKeyId}`;
        if (!keyJobs.has(jobKey)) keyJobs.set(jobKey, { session: keySession, keyId: t.KmsKeyId, region });
      }
    }
  }
  const limit = Math.max(8, concurrency * 4);
  const bucketNames = [...bucketJobs.keys()].sort();
  const keyDetails: KeyDetails = new Map();
  const [bucketResults, keyResults] = await Promise.all([
    mapBounded(bucketNames, limit, (name) => collectBucket(ctx, bucketJobs.get(name)!, name)),
    mapBounded([...keyJobs.values()], limit, (j) => collectKey(ctx, j.session, j.keyId, j.region, keyDetails)),
  ]);
  const buckets = new Map<string, Bucket>();
  bucketNames.forEach((name, i) => {
    const b = bucketResults[i];
    if (b) buckets.set(name, b);
  });
  const keys = new Map<string, Key>();
  for (const r of keyResults) {
    if (!r) continue;
    const seen = keys.get(r.arn);
    keys.set(r.arn, seen ? mergeKeys(seen, r.key) : r.key);
  }
  return { buckets: sortedRecord(buckets), keys: sortedRecord(keys) };
}

