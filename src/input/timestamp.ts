/**
 * Timestamps, read the same on every machine: ISO 8601 (a date, optionally a time, optionally
 * a zone), or an integer of seconds since the epoch. A time without a zone is UTC (as AWS's own
 * timestamps are), never the local time of the machine that runs the scan; anything else that
 * JavaScript's lenient date parser would take ("Nov 20 2026") is not a timestamp.
 */

/** Groups: year, month, day, time, zone. */
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)([Zz]|[+-]\d{2}:?\d{2})?)?$/;

/** Milliseconds since the epoch, or undefined when `text` is no timestamp or no real calendar day. */
export function parseTimestamp(text: string): number | undefined {
  // Epoch seconds, within the range of dates JavaScript has (±8.64e15 ms): 1e20 is no moment, and
  // read as one it would be a delivery far in the future, younger than any limit.
  if (/^-?\d+$/.test(text)) {
    const ms = Number(text) * 1000;
    return Math.abs(ms) <= 8.64e15 ? ms : undefined;
  }
  const m = ISO_DATE.exec(text);
  if (!m) return undefined;
  const day = utcDay(Number(m[1]), Number(m[2]), Number(m[3]));
  if (day.getUTCMonth() !== Number(m[2]) - 1 || day.getUTCDate() !== Number(m[3])) return undefined;
  const ms = Date.parse(m[4] === undefined ? `${m[1]}-${m[2]}-${m[3]}` : `${m[1]}-${m[2]}-${m[3]}T${m[4]}${m[5] ?? 'Z'}`);
  return Number.isNaN(ms) ? undefined : ms;
}

/**
 * A time CloudTrail reported in a trail's status (a delivery, say), in ms: as parseTimestamp, but
 * none past year 9999, which no status holds (epoch milliseconds given as seconds, say). Policy
 * conditions keep every date IAM reads: `"aws:EpochTime": "999999999999"` is a "never" sentinel.
 */
export function parseStatusTime(text: string): number | undefined {
  const ms = parseTimestamp(text);
  return ms !== undefined && new Date(ms).getUTCFullYear() <= 9999 ? ms : undefined;
}

/**
 * Midnight UTC of a calendar day, for any year: Date.UTC reads years 0 to 99 as 1900 to 1999, so
 * `0004-01-01` would not be the day it names.
 */
export function utcDay(year: number, month: number, day: number): Date {
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  return d;
}
