/**
 * The second phase of a collection: every bucket and key the trails name, each read once, by
 * the scanned account that owns it when there is one (S3 and KMS refuse some reads to anyone
 * else), otherwise by the trail's owner, otherwise by an account that uses it: the first, by id,
 * with the resource's region enabled (credentials are refused in a region an account never
 * enabled: a member without an opt-in region would have every read there refused).
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
  /** Why there is no session: the code AssumeRole failed with. */
  assumeRoleFailure?: string;
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
  const bucketJobs = new Map<string, Readers>();
  const keyJobs = new Map<string, Readers & { keyId: string; region: string }>();
  for (const c of [...collected].sort((a, b) => (a.account.accountId < b.account.accountId ? -1 : 1))) {
    if (!c.session) continue;
    for (const { Trail: t } of c.account.trails) {
      const trailOwner = sessions.get(arnAccountOf(t.TrailARN) ?? '');
      if (t.S3BucketName) {
        const job = bucketJobs.get(t.S3BucketName);
        const readers = chooseReaders(job, owner.get(t.S3BucketName) ?? trailOwner, c.session);
        if (readers !== job) bucketJobs.set(t.S3BucketName, readers);
      }
      if (t.KmsKeyId) {
        const keyAccount = arnAccountOf(t.KmsKeyId);
        const region = arnRegionOf(t.KmsKeyId) ?? t.HomeRegion ?? arnRegionOf(t.TrailARN) ?? ctx.globalRegion;
        if (keyAccount !== undefined) {
          // A key or alias ARN names the same key whoever asks: one read.
          const job = keyJobs.get(t.KmsKeyId);
          const readers = chooseReaders(job, sessions.get(keyAccount) ?? trailOwner, c.session);
          if (readers !== job) keyJobs.set(t.KmsKeyId, { ...readers, keyId: t.KmsKeyId, region });
          continue;
        }
        // An alias name or key id names a key of the trail owner's account, relative to the account
        // that asks: read per account, and left unread without a session there (asking in this
        // account would read, or miss, another key).
        const keySession = arnAccountOf(t.TrailARN) === c.account.accountId ? c.session : trailOwner;
        if (keySession === undefined) continue;
        const jobKey = `${keySession.accountId}\u0000${region}\u0000${t.KmsKeyId}`;
        if (!keyJobs.has(jobKey)) keyJobs.set(jobKey, { sessions: [keySession], open: false, keyId: t.KmsKeyId, region });
      }
    }
  }
  const enabled = new Map(collected.map((c) => [c.session, c.enabled]));
  // An account known to have the region enabled first; else one whose enabled regions could not
  // be listed, which may have it (asking tells); else the first. Taking the first whose regions
  // are unknown over a later one known to have the region would have every read refused.
  const readerIn = (job: Readers, region: string): Session =>
    job.sessions.find((s) => enabled.get(s)?.has(region) === true) ?? job.sessions.find((s) => enabled.get(s) === undefined) ?? job.sessions[0];
  const limit = Math.max(8, concurrency * 4);
  const bucketNames = [...bucketJobs.keys()].sort();
  const keyDetails: KeyDetails = new Map();
  const [bucketResults, keyResults] = await Promise.all([
    mapBounded(bucketNames, limit, (name) => collectBucket(ctx, (region) => readerIn(bucketJobs.get(name)!, region), name)),
    mapBounded([...keyJobs.values()], limit, (j) => collectKey(ctx, readerIn(j, j.region), j.keyId, j.region, keyDetails)),
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

/**
 * Who may read a bucket or key: the one session that should (its owner's, or the trail owner's),
 * or, with neither scanned, every account that uses it (`open`), in id order; the reads then go
 * through the first of them with the resource's region enabled.
 */
interface Readers {
  sessions: [Session, ...Session[]];
  open: boolean;
}

/** The readers once one more trail names the resource: a session that should read it replaces mere users; a user joins users. */
function chooseReaders(job: Readers | undefined, should: Session | undefined, user: Session): Readers {
  if (job === undefined) return should !== undefined ? { sessions: [should], open: false } : { sessions: [user], open: true };
  if (!job.open) return job;
  if (should !== undefined) return { sessions: [should], open: false };
  if (!job.sessions.includes(user)) job.sessions.push(user);
  return job;
}
