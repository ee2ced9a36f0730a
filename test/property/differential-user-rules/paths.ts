/**
 * The reference interpreter's half that reads one trail subject and judges one condition, written
 * from docs/rule-format.md alone ("Subjects and paths", "Reads"):
 *
 * - a path is read from the subject; a field missing from a read that was made is *absent*: the
 *   condition is false, or true when the path ends in `?`;
 * - a read that was not made or failed (its inventory key is missing; errors[] then says why)
 *   makes the condition *unknown*, with or without `?`; bucket and key data the inventory holds
 *   count even when errors[] also records a failed attempt at them, and a trail's status and
 *   selectors count when some account's copy holds them and that account recorded no failure of
 *   the read (docs/rule-format.md, "Reads");
 * - the schema is plain JSON Schema: a keyword for another type (`pattern` on a boolean,
 *   `minimum` on a string) says nothing (the loader refuses one on a field whose type it knows,
 *   so the rules drawn have them only on the others).
 * - a Key path of a trail without a key, and a Bucket path of a bucket that does not exist
 *   (`{Exists: false}`), are absent.
 */
import type { Inventory, TrailEntry } from '../../../src/inventory/types.ts';
import { paramValue, type Cond, type Fragment, type RuleSpec } from './world.ts';

export type Tri = 'T' | 'F' | 'U';

export type Lookup = { t: 'value'; v: unknown } | { t: 'absent' } | { t: 'unread' };

/** A trail as seen from one account. */
export interface View {
  entry: TrailEntry;
  viewer: string;
  inv: Inventory;
}

export const ownerOf = (arn: string): string => arn.split(':')[4];

function walk(value: unknown, segments: string[]): Lookup {
  let v = value;
  for (const s of segments) {
    if (v === null || typeof v !== 'object' || Array.isArray(v) || !(s in v)) return { t: 'absent' };
    v = (v as Record<string, unknown>)[s];
  }
  return v === undefined ? { t: 'absent' } : { t: 'value', v };
}

/**
 * Whether a trail datum is usable: some account's copy of the trail holds it, and that account did
 * not record the read as failed (on the trail, or region-wide in its home region). The copies of
 * this generator's trails hold the same data, so the view's own entry gives the value.
 */
function heldUncontradicted(view: View, field: 'Status' | 'EventSelectors', operation: string): boolean {
  const t = view.entry.Trail;
  const refused = (account: string) =>
    (view.inv.errors ?? []).some((e) => e.operation === operation && e.accountId === account && (e.resource === t.TrailARN || (e.resource === undefined && e.region === t.HomeRegion)));
  return view.entry[field] !== undefined && view.inv.accounts.some((a) => !refused(a.accountId) && a.trails.some((e) => e.Trail.TrailARN === t.TrailARN && e[field] !== undefined));
}

/** The value at a subject path (without its `?`). */
export function lookup(view: View, path: string): Lookup {
  const { entry, inv } = view;
  const t = entry.Trail;
  const arn = t.TrailARN;
  const [head, ...rest] = path.split('.');
  const value = (v: unknown): Lookup => ({ t: 'value', v });
  switch (head) {
    case 'Trail':
      return walk(t, rest);
    case 'Status':
      if (!heldUncontradicted(view, 'Status', 'GetTrailStatus')) return { t: 'unread' };
      // README: a Status without IsLogging leaves the trail's logging unknown (GetTrailStatus
      // always answers it), so IsLogging reads as not collected, not as absent.
      if (rest[0] === 'IsLogging' && entry.Status?.IsLogging === undefined) return { t: 'unread' };
      return walk(entry.Status, rest);
    case 'EventSelectors':
      return !heldUncontradicted(view, 'EventSelectors', 'GetEventSelectors') ? { t: 'unread' } : value(entry.EventSelectors);
    case 'accountId':
      // "the owning account and the home region"
      return value(ownerOf(arn));
    case 'region':
      return value(t.HomeRegion);
    case 'Bucket': {
      const name = t.S3BucketName!;
      const bucket = inv.buckets?.[name];
      if (bucket === undefined) return { t: 'unread' };
      // A bucket that does not exist has no fields: they are absent.
      if (bucket.Exists === false) return { t: 'absent' };
      const [field, ...more] = rest;
      if (bucket[field] === undefined) return { t: 'unread' };
      return walk(bucket[field], more);
    }
    case 'Key': {
      // A trail without a key has no Key fields: they are absent.
      if (t.KmsKeyId === undefined) return { t: 'absent' };
      const key = inv.keys?.[t.KmsKeyId];
      if (key === undefined) return { t: 'unread' };
      const [field, ...more] = rest;
      if (key[field] === undefined) return { t: 'unread' };
      return walk(key[field], more);
    }
    case 'facts': {
      const owner = ownerOf(arn);
      switch (rest[0]) {
        case 'owned':
          return value(owner === view.viewer);
        case 'ownerAccountId':
          return value(owner);
        case 'isOrganizationTrail':
          return value(t.IsOrganizationTrail === true);
        case 'multiRegion':
          return value(t.IsMultiRegionTrail === true);
        case 'kmsEncrypted':
          return value(typeof t.KmsKeyId === 'string' && t.KmsKeyId !== '');
        case 'eventSelectorCount': {
          const l = lookup(view, 'EventSelectors');
          return l.t === 'value' ? value((l.v as unknown[]).length) : l;
        }
      }
    }
  }
  throw new Error(`the interpreter does not know ${path}`);
}

/** `{ $param: NAME }` replaced by the parameter's value, everywhere. */
export function resolve(value: unknown, rule: RuleSpec): unknown {
  if (Array.isArray(value)) return value.map((v) => resolve(v, rule));
  if (value === null || typeof value !== 'object') return value;
  const o = value as Record<string, unknown>;
  if (typeof o.$param === 'string' && Object.keys(o).length === 1) return paramValue(rule.params[o.$param]);
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, resolve(v, rule)]));
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

function isType(v: unknown, type: string): boolean {
  switch (type) {
    case 'integer':
      return Number.isInteger(v);
    case 'number':
      return typeof v === 'number';
    case 'null':
      return v === null;
    case 'array':
      return Array.isArray(v);
    case 'object':
      return v !== null && typeof v === 'object' && !Array.isArray(v);
    default:
      return typeof v === type;
  }
}

/** JSON Schema (draft-07) for the keywords the generator uses; parameters already resolved. */
export function holds(schema: Fragment, v: unknown): boolean {
  for (const [k, s] of Object.entries(schema)) {
    const ok = (() => {
      switch (k) {
        case 'const':
          return same(v, s);
        case 'enum':
          return (s as unknown[]).some((e) => same(v, e));
        case 'type':
          return isType(v, s as string);
        case 'pattern':
          return typeof v !== 'string' || new RegExp(s as string, 'u').test(v);
        case 'minimum':
          return typeof v !== 'number' || v >= (s as number);
        case 'maximum':
          return typeof v !== 'number' || v <= (s as number);
        case 'minItems':
          return !Array.isArray(v) || v.length >= (s as number);
        case 'maxItems':
          return !Array.isArray(v) || v.length <= (s as number);
        case 'not':
          return !holds(s as Fragment, v);
      }
      throw new Error(`the interpreter does not know the keyword ${k}`);
    })();
    if (!ok) return false;
  }
  return true;
}

/** One condition on one trail. */
export function judge(view: View, c: Cond, rule: RuleSpec): Tri {
  const l = lookup(view, c.def.path);
  if (l.t === 'unread') return 'U';
  if (l.t === 'absent') return c.opt ? 'T' : 'F';
  return holds(resolve(c.schema, rule) as Fragment, l.v) ? 'T' : 'F';
}

/** Kleene conjunction; the empty one is true. */
export function and(ts: Tri[]): Tri {
  if (ts.includes('F')) return 'F';
  return ts.includes('U') ? 'U' : 'T';
}

export function or(ts: Tri[]): Tri {
  if (ts.includes('T')) return 'T';
  return ts.includes('U') ? 'U' : 'F';
}

export const not = (t: Tri): Tri => (t === 'T' ? 'F' : t === 'F' ? 'T' : 'U');

export const all = (view: View, cs: Cond[], rule: RuleSpec): Tri => and(cs.map((c) => judge(view, c, rule)));
