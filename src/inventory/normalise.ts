/**
 * An inventory's other forms read as the collector writes them, before validation: a
 * hand-written file's nulls for "not set", a bucket's raw LocationConstraint, AWS CLI v1's epoch
 * seconds, a collectedAt without seconds or zone. What the schema would refuse, or a rule misjudge.
 */
import { InputError, type InputPosition } from '../errors.ts';
import { parseTimestamp } from '../input/timestamp.ts';
import { unsetKey, type UnsetFields } from './trail-copies.ts';
import type { Inventory } from './types.ts';

/** collectedAt as the reports and the engine read it: a date and time with its zone, in UTC. */
const ZONED = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * ISO 8601 allows a date alone, a time without seconds or without a zone: such a collectedAt is
 * read as UTC (as AWS writes its own times), never as the scanning machine's local time, and
 * written out in full. A day no calendar has (2026-13-45) is refused at its position: "now" for
 * every time-based rule cannot be a guess.
 */
export function normaliseCollectedAt(inv: Inventory, at: (pointer: string) => InputPosition): void {
  const text = inv.collectedAt;
  if (text === undefined) return;
  const ms = parseTimestamp(text);
  if (ms === undefined) throw new InputError(`invalid inventory: collectedAt ${JSON.stringify(text)} is no real date and time; write it as 2026-11-20T02:00:00Z`, at('/collectedAt'));
  if (!ZONED.test(text)) inv.collectedAt = new Date(ms).toISOString();
}

/**
 * A hand-written inventory may say "not set" with null in a trail or its status
 * (`KmsKeyId: null`, `LatestDeliveryError: ~`); AWS leaves such fields out, so they are left out
 * here too, before validation, instead of rejecting the whole file. Nulls elsewhere keep their
 * meaning (inventory.md: "read, and there is none") or are reported by the schema. Which fields
 * were null is returned: a copy of the trail that says "no key" contradicts one that names a key,
 * where a copy that leaves the field out does not (trail-copies.ts).
 */
export function dropUnsetTrailFields(value: Record<string, unknown>): UnsetFields {
  const unset = new Map<string, Set<string>>();
  // A YAML alias lets entries share one section object: what was dropped from it is remembered
  // per object, so every entry sharing it records the same nulls, not only the first one seen.
  const droppedFrom = new WeakMap<object, Set<string>>();
  const accounts = value.accounts;
  if (!Array.isArray(accounts)) return unset;
  accounts.forEach((account, a) => {
    const trails = (account as { trails?: unknown } | null)?.trails;
    if (!Array.isArray(trails)) return;
    trails.forEach((entry, t) => {
      if (entry === null || typeof entry !== 'object') return;
      for (const section of ['Trail', 'Status'] as const) {
        const o = (entry as Record<string, unknown>)[section];
        const seen = o !== null && typeof o === 'object' ? droppedFrom.get(o) : undefined;
        const dropped = seen ?? dropNulls(o);
        if (seen === undefined && o !== null && typeof o === 'object') droppedFrom.set(o, dropped);
        if (dropped.size > 0) unset.set(unsetKey(a, t, section), dropped);
      }
      epochTimesToIso((entry as Record<string, unknown>).Status);
    });
  });
  return unset;
}

/**
 * A bucket's Region is GetBucketLocation's answer normalised (inventory.md): a hand-written
 * inventory may copy the raw LocationConstraint, where null and "" mean us-east-1 and EU means
 * eu-west-1, so it is normalised here the same way instead of being judged as a region named "EU".
 */
export function normaliseBucketRegions(value: Record<string, unknown>): void {
  const buckets = value.buckets;
  if (buckets === null || typeof buckets !== 'object' || Array.isArray(buckets)) return;
  for (const bucket of Object.values(buckets as Record<string, unknown>)) {
    if (bucket === null || typeof bucket !== 'object' || Array.isArray(bucket) || !Object.hasOwn(bucket, 'Region')) continue;
    const b = bucket as Record<string, unknown>;
    if (b.Region === null || b.Region === '') b.Region = 'us-east-1';
    else if (b.Region === 'EU') b.Region = 'eu-west-1';
  }
}

/** GetTrailStatus's timestamps. The API itself answers them in seconds since the epoch, as AWS CLI v1 prints them. */
const STATUS_TIMES = ['LatestDeliveryTime', 'LatestNotificationTime', 'StartLoggingTime', 'StopLoggingTime', 'LatestCloudWatchLogsDeliveryTime', 'LatestDigestDeliveryTime'];

/**
 * A status copied from AWS CLI v1 (or the raw API) has its times as epoch seconds
 * (`1763604000.123`); they are read as the ISO 8601 strings CLI v2 and SDK v3 give.
 */
function epochTimesToIso(o: unknown): void {
  if (o === null || typeof o !== 'object' || Array.isArray(o)) return;
  const record = o as Record<string, unknown>;
  for (const k of STATUS_TIMES) {
    const v = record[k];
    if (typeof v !== 'number') continue;
    // Down to the millisecond, as Date.parse reads an ISO fraction: one instant, one verdict,
    // whatever the form. (Through microseconds first: 1763604000.123 * 1000 is 1763604000122.9998.)
    const d = new Date(Math.floor(Math.round(v * 1e6) / 1000));
    // A number no date has (1e400 reads as Infinity), or none before year 10000 (milliseconds
    // given as seconds), stays what it says, as text that is no timestamp: a delivery whose time
    // is unknown, never "no delivery", and named as the file writes it.
    record[k] = Number.isNaN(d.getTime()) || d.getUTCFullYear() > 9999 ? String(v) : d.toISOString();
  }
}

/** Deletes the null fields of `o`, returning their names. */
function dropNulls(o: unknown): Set<string> {
  const dropped = new Set<string>();
  if (o === null || typeof o !== 'object' || Array.isArray(o)) return dropped;
  const record = o as Record<string, unknown>;
  for (const k in record) {
    if (record[k] !== null) continue;
    dropped.add(k);
    delete record[k];
  }
  return dropped;
}
