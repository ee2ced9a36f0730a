/**
 * A trail listed more than once in one account (an inventory pieced together from several
 * regions' DescribeTrails lists a multi-region trail in each) is one trail. That is sound only
 * while the copies complement each other. Two copies that hold the same field with different
 * values say two things about one trail, and whichever came first would win: swapping the entries
 * would flip the verdict. So, as for a bucket or key whose copies differ (inventory.md), that is
 * an input error, at the second copy's field.
 */
import { InputError, type InputPosition } from '../errors.ts';
import { escapePointerSegment } from '../input/document.ts';
import { parseTimestamp } from '../input/timestamp.ts';
import { addMissing, differingField, sameJson } from './copies.ts';
import type { Inventory, TrailEntry } from './types.ts';

/** The sections of an entry compared field by field (AWS shapes: objects); the rest are compared whole (lists). */
const BY_FIELD = ['Trail', 'Status'] as const;
const WHOLE = ['InsightSelectors'] as const;
/**
 * The two lists of one GetEventSelectors answer, compared and united as one value: a copy holding
 * only EventSelectors and another only AdvancedEventSelectors are two answers, and their union a
 * selector set no trail has.
 */
const SELECTORS = ['EventSelectors', 'AdvancedEventSelectors'] as const;

/**
 * The `Trail` and `Status` fields an entry wrote as null, which the loader drops before validation
 * (AWS leaves unset fields out): keyed by `unsetKey`. A null says "not set", which contradicts a
 * value in another copy; a field left out says nothing.
 */
export type UnsetFields = ReadonlyMap<string, ReadonlySet<string>>;

export function unsetKey(account: number, trail: number, section: (typeof BY_FIELD)[number]): string {
  return `${account}/${trail}/${section}`;
}

const NONE: ReadonlySet<string> = new Set();

/**
 * Refuses, at the second copy's field, a trail whose copies in one account disagree; copies that
 * agree are each replaced by their union. The engine folds a trail's copies section by section
 * (a Status from the first copy that has one), so without the union one copy's Status holding
 * IsLogging and another's holding only LatestDeliveryError would judge differently by their
 * order. Every copy stays where it is, so positions in the file still point at each.
 */
export function foldTrailCopies(inv: Inventory, at: (pointer: string) => InputPosition, unset: UnsetFields = new Map()): void {
  inv.accounts.forEach((account, a) => {
    if (account.trails.length < 2) return;
    // The indices in account.trails of each trail's copies (the array keeps its length throughout).
    const copiesOf = new Map<string, number[]>();
    account.trails.forEach((entry, t) => {
      const arn = entry.Trail.TrailARN;
      const copies = copiesOf.get(arn);
      if (copies === undefined) {
        copiesOf.set(arn, [t]);
        return;
      }
      for (const c of copies) {
        const unsetIn = (i: number) => (section: (typeof BY_FIELD)[number]) => unset.get(unsetKey(a, i, section)) ?? NONE;
        const field = conflict(account.trails[c]!, entry, unsetIn(c), unsetIn(t));
        if (field === undefined) continue;
        const here = `/accounts/${a}/trails/${t}/${field.pointer}`;
        const there = at(`/accounts/${a}/trails/${c}/${field.otherPointer ?? field.pointer}`);
        throw new InputError(
          `invalid inventory: trail ${arn} is listed twice in account ${account.accountId} with a different ${field.name} (the other copy's is at line ${there.line}); the copies of one trail must agree`,
          at(here),
        );
      }
      copies.push(t);
    });
    for (const copies of copiesOf.values()) {
      if (copies.length < 2) continue;
      const union = unionOf(copies.map((t) => account.trails[t]!));
      for (const t of copies) account.trails[t] = union;
    }
  });
}

/** One entry holding every field any of the (agreeing) copies holds: the first copy's where several do. */
function unionOf(copies: readonly TrailEntry[]): TrailEntry {
  const [first] = copies;
  if (first === undefined) throw new Error('unionOf needs at least one copy');
  const union: TrailEntry = { Trail: { ...first.Trail } };
  for (const copy of copies) {
    for (const section of BY_FIELD) {
      const from = copy[section];
      if (from === undefined) continue;
      addMissing((union[section] ??= {} as never) as Record<string, unknown>, from);
    }
    for (const section of WHOLE) if (union[section] === undefined && copy[section] !== undefined) (union as unknown as Record<string, unknown>)[section] = copy[section];
    if (!hasSelectors(union) && hasSelectors(copy)) for (const list of SELECTORS) if (copy[list] !== undefined) union[list] = copy[list] as never;
  }
  return union;
}

/**
 * The first field both copies hold with different values, or undefined when they complement each
 * other; `otherPointer` is the first copy's, where it holds another field than the second (a
 * selector list).
 */
function conflict(
  first: TrailEntry,
  second: TrailEntry,
  firstUnset: (section: (typeof BY_FIELD)[number]) => ReadonlySet<string>,
  secondUnset: (section: (typeof BY_FIELD)[number]) => ReadonlySet<string>,
): { name: string; pointer: string; otherPointer?: string } | undefined {
  for (const section of BY_FIELD) {
    const x = first[section] as Record<string, unknown> | undefined;
    const y = second[section] as Record<string, unknown> | undefined;
    if (x === undefined || y === undefined) continue;
    // A null (dropped by now) in one copy against a value in the other is two answers, "not set"
    // and that value: uniting them would let the value win, whichever copy came first.
    // An empty string says "not set" too (the rules read `KmsKeyId: ""` and a null alike).
    const setIn = (r: Record<string, unknown>, k: string) => Object.hasOwn(r, k) && r[k] !== '';
    const key =
      differingField(x, y, (_, a, b) => sameJson(a, b) || (section === 'Status' && sameTime(a, b))) ??
      [...secondUnset(section)].find((k) => setIn(x, k)) ??
      Object.keys(y).find((k) => firstUnset(section).has(k) && setIn(y, k));
    if (key !== undefined) return { name: `${section}.${key}`, pointer: `${section}/${escapePointerSegment(key)}` };
  }
  if (hasSelectors(first) && hasSelectors(second)) {
    // A list one copy lacks is absent from its answer, so it differs from one the other copy holds.
    const differing = SELECTORS.filter((list) => !sameJson(first[list], second[list]));
    if (differing.length > 0) {
      const held = (entry: TrailEntry) => differing.find((list) => entry[list] !== undefined) ?? SELECTORS.find((list) => entry[list] !== undefined)!;
      return { name: differing.join(' and '), pointer: held(second), otherPointer: held(first) };
    }
  }
  for (const section of WHOLE) {
    const x = first[section];
    const y = second[section];
    if (x !== undefined && y !== undefined && !sameJson(x, y)) return { name: section, pointer: section };
  }
  return undefined;
}

function hasSelectors(entry: TrailEntry): boolean {
  return SELECTORS.some((list) => entry[list] !== undefined);
}

/** Two writings of one moment (`2026-11-20T02:00:00Z` and epoch seconds read as `...00.000Z`) are one value. */
function sameTime(x: unknown, y: unknown): boolean {
  if (typeof x !== 'string' || typeof y !== 'string') return false;
  const t = parseTimestamp(x);
  return t !== undefined && t === parseTimestamp(y);
}
