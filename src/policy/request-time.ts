/**
 * The time of CloudTrail's requests: a snapshot is judged at the moment it was collected (its
 * collectedAt), never at the clock of the machine that scans it, so the same inventory gives
 * the same verdicts whenever it is scanned. Without collectedAt, a decision that hangs on the
 * time cannot be made.
 */
import type { FailedRead } from '../engine/result.ts';
import type { TrailSubject } from '../engine/subjects.ts';
import { parseTimestamp } from '../input/timestamp.ts';
import { statementsOn, type Hang } from './hangs.ts';

/**
 * aws:CurrentTime and aws:EpochTime for a moment, kept for the last moment asked for: every trail
 * of a snapshot is judged at its one collectedAt, and formatting it (a Date, an ISO string, a
 * regex) cost each of 20,000 trails more than the rest of its context, twice.
 */
export function requestTime(now: number): { current: string; epoch: string } {
  if (lastTime === undefined || lastTime.now !== now) {
    lastTime = { now, current: new Date(now).toISOString().replace(/\.\d{3}Z$/, 'Z'), epoch: String(Math.floor(now / 1000)) };
  }
  return lastTime;
}

let lastTime: { now: number; current: string; epoch: string } | undefined;

/** The condition keys that carry the time of a request. */
export const TIME_KEYS: readonly string[] = ['aws:CurrentTime', 'aws:EpochTime'];
const TIME_KEYS_LOWER = new Set(TIME_KEYS.map((k) => k.toLowerCase()));

/** When the inventory of the trail was collected (epoch ms): "now" for its requests. Undefined without collectedAt. */
export function collectedTime(t: TrailSubject): number | undefined {
  const text = t.collectedAt;
  if (text === undefined) return undefined;
  // Every trail of a snapshot shares its one collectedAt, asked for several times per trail:
  // the last one read is kept, so 20,000 trails do not parse the same timestamp 100,000 times.
  if (text !== lastCollectedAt) {
    lastCollectedTime = parseTimestamp(text);
    lastCollectedAt = text;
  }
  return lastCollectedTime;
}

let lastCollectedAt: string | undefined;
let lastCollectedTime: number | undefined;

/**
 * What is missing when the inventory has no collectedAt and a request's decision hangs on the
 * time (`hangs`, from hangsOn over TIME_KEYS): AWS always sends it, so the request cannot be
 * judged. The same kind of failed read as a CloudWatch Logs delivery age without collectedAt.
 * `account`, in a merged scan whose files differ in collectedAt, is the one whose inventory lacks it.
 */
export function timeNotCollected(request: string, hangs: readonly Hang[], account?: string): FailedRead {
  const on = statementsOn(hangs, (k) => TIME_KEYS_LOWER.has(k));
  const inventory = account === undefined ? 'the inventory' : `the inventory of account ${account}`;
  return { operation: 'collectedAt', code: 'NotCollected', message: `${inventory} has no collectedAt, and ${on}, so whether CloudTrail ${request} is allowed depends on a time the inventory does not give` };
}
