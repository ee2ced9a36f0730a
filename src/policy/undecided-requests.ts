/**
 * The requests of bucket-delivery whose decision hangs on a value the inventory cannot give, and
 * what to say of them: the read that would have decided them (DescribeKey, collectedAt,
 * DescribeOrganization), or why no read can (a value of CloudTrail's request no inventory holds).
 */
import { notCollected } from '../engine/reads.ts';
import type { FailedRead } from '../engine/result.ts';
import type { TrailSubject } from '../engine/subjects.ts';
import { KMS_KEY_ID_KEY, S3_MAYBE_ABSENT_KEYS, S3_UNKNOWN_KEYS, SOURCE_ORG_ID, type DeliveryRequest } from './delivery-requests.ts';
import { timeNotCollected, TIME_KEYS } from './request-time.ts';
import { statementsOn, whoseValueIn, type Hang } from './hangs.ts';

/** A request whose decision hangs on a value the inventory cannot give. */
export interface Undecided {
  r: DeliveryRequest;
  hangs: Hang[];
}

/**
 * The reads that would have decided the undecided requests: DescribeKey, for a statement on the
 * key ARN CloudTrail sends; collectedAt, for one on the time (named with the first request that
 * hangs on it).
 */
export function unknownReads(t: TrailSubject, undecided: readonly Undecided[]): FailedRead[] {
  const on = (u: Undecided, keys: ReadonlySet<string>) => u.hangs.some((h) => h.keys.some((k) => keys.has(k.toLowerCase())));
  const out: FailedRead[] = [];
  if (undecided.some((u) => on(u, KEY_ID_KEYS))) out.push(keyArnRead(t));
  const onTime = undecided.find((u) => on(u, TIME_KEYS_LOWER));
  if (onTime) out.push(timeNotCollected(`${onTime.r.label} on ${onTime.r.request.resource}`, onTime.hangs, t.collectedAtAccount));
  return out;
}

/**
 * When a request hangs on aws:SourceOrgID, which the failed `read` (DescribeOrganization) would
 * have given: that read, and which statement conditions on the key.
 */
export function organizationHang(t: TrailSubject, read: FailedRead, undecided: readonly Undecided[]): { read: FailedRead; note: string } | undefined {
  const of = (k: string) => k === SOURCE_ORG_ID_LOWER;
  for (const u of undecided) {
    const on = statementsOn(u.hangs, of);
    if (on !== '') return { read, note: `${on}, the organization of the trail owner's account ${t.accountId}, which that read gives, so whether CloudTrail ${u.r.label} on ${u.r.request.resource} is allowed is unknown` };
  }
  return undefined;
}

const SOURCE_ORG_ID_LOWER = SOURCE_ORG_ID.toLowerCase();

/**
 * Why a request could not be judged when it hangs on a value of CloudTrail's request that no
 * read gives (the TLS version, the bucket owner's account and organization, the organization path, the region
 * of a bucket whose location the inventory lacks), naming the statements; undefined otherwise.
 */
export function unknowableHang(undecided: readonly Undecided[]): string | undefined {
  for (const u of undecided) {
    const of = (k: string) => UNKNOWABLE_LOWER.has(k);
    const on = statementsOn(u.hangs, of);
    if (on !== '') return `${on}, ${whoseValueIn(u.hangs, of)} no inventory gives, so whether CloudTrail ${u.r.label} on ${u.r.request.resource} is allowed is unknown`;
  }
  return undefined;
}

const UNKNOWABLE_LOWER: ReadonlySet<string> = new Set([...S3_UNKNOWN_KEYS, ...S3_MAYBE_ABSENT_KEYS].map((k) => k.toLowerCase()));
const KEY_ID_KEYS: ReadonlySet<string> = new Set([KMS_KEY_ID_KEY]);
const TIME_KEYS_LOWER: ReadonlySet<string> = new Set(TIME_KEYS.map((k) => k.toLowerCase()));

/**
 * The read that would have given the trail's key ARN (DescribeKey of the alias or key id it
 * names): the error recorded for it, or what was not collected.
 */
function keyArnRead(t: TrailSubject): FailedRead {
  const id = t.Trail.KmsKeyId ?? '';
  const key = t.read('Key');
  if (!key.ok && key.failed.code !== 'NotCollected') return key.failed;
  const what = `the ARN of KMS key ${id}, which the bucket policy's ${KMS_KEY_ID_KEY} condition compares,`;
  const missing = notCollected('DescribeKey', id, what);
  return missing.ok ? { operation: 'DescribeKey', resource: id, code: 'NotCollected' } : missing.failed;
}
