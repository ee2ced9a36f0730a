/** Turns Ajv's validation errors into one readable sentence with the JSON pointer it is about. */
import type { ErrorObject } from 'ajv';
import { closest } from './closest.ts';
import { escapePointerSegment, pointerSegments } from './document.ts';
import { clipped, describe, keyName, meantKey, wordList } from './schema-words.ts';

/** How many of a file's problems a message lists; more are counted. */
export const PROBLEMS_SHOWN = 10;

/** One problem of a file, as a message tells it: where, and what. */
export interface Problem {
  pointer: string;
  message: string;
  /** Shown where the key is written (an unknown key), not where its value starts. */
  atKey: boolean;
}

/** The most useful error of an Ajv run and its pointer: the deepest one, as the user's mistake is usually there. */
export function pickError(errors: readonly ErrorObject[]): Problem {
  const [first] = pickErrors(errors, 1).problems;
  if (first !== undefined) return first;
  // Only unions failed, with no branch's own error (not seen with trailgate's schemas): Ajv's words.
  const e = errors.reduce<ErrorObject | undefined>((a, b) => (a === undefined || depth(b.instancePath) > depth(a.instancePath) ? b : a), undefined);
  // A failed validation always has an error: none is a bug, said as one.
  if (e === undefined) throw new Error('pickError: the validation failed without an error');
  return { pointer: e.instancePath, message: describe(e), atKey: false };
}

/**
 * Every independent problem of an Ajv run (`allErrors`), deepest first, at most `limit` of them
 * with the rest counted: a file with three mistakes is fixed in one edit, not three runs. Errors
 * that tell the same mistake are told once: those at the same place, the unknown key and the
 * required key it is a typo of, the keys missing from one object, and the branches of a union
 * (`oneOf`, `anyOf`) that encloses a problem, which only say the value matches no other form.
 * Linear in the errors: a large generated inventory can hold tens of thousands.
 */
export function pickErrors(errors: readonly ErrorObject[], limit: number, order?: (a: string, b: string) => number): { problems: Problem[]; more: number } {
  const index = indexErrors(errors);
  const problems: Problem[] = [];
  let more = 0;
  for (const e of index.deepestFirst) {
    if (index.told.has(e)) continue;
    const problem = tell(errors, e, index);
    if (order === undefined) {
      if (problems.length < limit) problems.push(problem);
      else more++;
      continue;
    }
    // The first `limit` in the document's order, kept sorted: a top-level typo on line 2 is not
    // left among the "more" for ten deeper problems further down.
    let at = problems.length;
    while (at > 0 && order(problem.pointer, problems[at - 1]!.pointer) < 0) at--;
    if (at >= limit) {
      more++;
      continue;
    }
    problems.splice(at, 0, problem);
    if (problems.length > limit) {
      problems.pop();
      more++;
    }
  }
  return { problems, more };
}

/**
 * Compares two JSON pointers into `value` by where they are written: by the order of the keys of
 * each object as parsed (the file's, but for keys that are whole numbers, which JavaScript puts
 * first) and of the items of each array; a value before what is inside it.
 */
export function documentOrder(value: unknown): (a: string, b: string) => number {
  const keyRanks = new WeakMap<object, Map<string, number>>();
  const rank = (parent: unknown, segment: string): number => {
    if (Array.isArray(parent)) return /^\d+$/.test(segment) ? Number(segment) : Number.MAX_SAFE_INTEGER;
    if (parent === null || typeof parent !== 'object') return Number.MAX_SAFE_INTEGER;
    let ranks = keyRanks.get(parent);
    if (ranks === undefined) keyRanks.set(parent, (ranks = new Map(Object.keys(parent).map((k, i) => [k, i]))));
    return ranks.get(segment) ?? Number.MAX_SAFE_INTEGER;
  };
  return (a, b) => {
    const [sa, sb] = [pointerSegments(a), pointerSegments(b)];
    let v = value;
    for (let i = 0; i < sa.length && i < sb.length; i++) {
      const [x, y] = [sa[i]!, sb[i]!];
      if (x !== y) return rank(v, x) - rank(v, y);
      v = v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[x] : undefined;
    }
    return sa.length - sb.length;
  };
}

/** What pickErrors looks errors up by, and which it has told. */
interface ErrorIndex {
  /** The concrete errors, deepest first, in Ajv's order among equals. */
  deepestFirst: ErrorObject[];
  told: Set<ErrorObject>;
  /** Errors other than `required`, by the place they point at. */
  byPointer: Map<string, ErrorObject[]>;
  /** The unknown keys and missing keys of each object, paired once per object (see objectPlan). */
  plans: Map<string, ObjectPlan>;
  /** The paths where a union failed. */
  unions: string[];
  unionsSwept: Set<string>;
}

/** How one object's unknown and missing keys are told: typos with the key they stand for, the other missing keys together. */
interface ObjectPlan {
  /** An unknown key's error to the error of the missing key it stands for, and back. */
  pairs: Map<ErrorObject, ErrorObject>;
  /** The missing keys no unknown key stands for: one problem. */
  missing: ErrorObject[];
  /**
   * A missing key whose own fields were written beside it (a trail's `Name` and `TrailARN` with
   * no `Trail:` around them): each of those errors to the group, the missing key's first.
   */
  nested: Map<ErrorObject, ErrorObject[]>;
}

function indexErrors(errors: readonly ErrorObject[]): ErrorIndex {
  const concrete: { e: ErrorObject; depth: number }[] = [];
  const byPointer = new Map<string, ErrorObject[]>();
  const objects = new Map<string, { unknowns: ErrorObject[]; missing: ErrorObject[] }>();
  const unions: string[] = [];
  for (const e of errors) {
    if (!isConcrete(e)) {
      unions.push(e.instancePath);
      continue;
    }
    concrete.push({ e, depth: depth(e.instancePath) });
    if (e.keyword !== 'required') push(byPointer, pointerOf(e), e);
    if (e.keyword === 'required' || e.keyword === 'additionalProperties') {
      let o = objects.get(e.instancePath);
      if (o === undefined) objects.set(e.instancePath, (o = { unknowns: [], missing: [] }));
      (e.keyword === 'required' ? o.missing : o.unknowns).push(e);
    }
  }
  // A value that is one form of a union but wrong inside it (`max: { $parm: m }`, an object where
  // an integer or a { $param } object goes) is told by the form it took: the other form's "must be
  // of type integer" comes last among the errors of its depth. A stable sort: Ajv's order otherwise.
  const unionPaths = new Set(unions);
  const otherForm = (e: ErrorObject) => (e.keyword === 'type' && unionPaths.has(e.instancePath) ? 1 : 0);
  const deepestFirst = concrete.sort((a, b) => b.depth - a.depth || otherForm(a.e) - otherForm(b.e)).map((c) => c.e);
  const plans = new Map<string, ObjectPlan>();
  for (const [path, o] of objects) plans.set(path, objectPlan(o.unknowns, o.missing));
  return { deepestFirst, told: new Set(), byPointer, plans, unions, unionsSwept: new Set() };
}

/**
 * Pairs each missing key with an unknown key a typo away from it (`raeds` for `reads`), else,
 * when one key is unknown and one missing, the two (a rename), unless the unknown key is a typo
 * of another key allowed there (`chek` for the optional `check` is no rename of `reads`). Missing
 * keys are few (the schema names them), so this is linear in the unknown keys, however many a
 * hostile file writes.
 */
function objectPlan(unknowns: readonly ErrorObject[], missing: readonly ErrorObject[]): ObjectPlan {
  const pairs = new Map<ErrorObject, ErrorObject>();
  const pair = (u: ErrorObject, m: ErrorObject) => {
    pairs.set(u, m);
    pairs.set(m, u);
  };
  for (const m of missing) {
    const u = unknowns.find((e) => !pairs.has(e) && closest(keyName(e), [keyName(m)]).length > 0);
    if (u !== undefined) pair(u, m);
  }
  const nested = new Map<ErrorObject, ErrorObject[]>();
  for (const m of missing) {
    const fields = fieldsOf(m);
    if (pairs.has(m) || fields === undefined) continue;
    const inside = unknowns.filter((e) => !pairs.has(e) && !nested.has(e) && Object.hasOwn(fields, keyName(e)));
    if (inside.length === 0) continue;
    const group = [m, ...inside];
    for (const e of group) nested.set(e, group);
  }
  const [u] = unknowns;
  const [m] = missing;
  if (pairs.size === 0 && nested.size === 0 && unknowns.length === 1 && missing.length === 1 && u !== undefined && m !== undefined && meantKey(u) === '') pair(u, m);
  return { pairs, nested, missing: missing.filter((e) => !pairs.has(e) && !nested.has(e)) };
}

/** The keys the schema allows inside the value a `required` error misses, when it lists them (verbose errors). */
function fieldsOf(m: ErrorObject): object | undefined {
  const properties = (m.parentSchema as { properties?: Record<string, unknown> } | undefined)?.properties;
  const missed = properties !== null && typeof properties === 'object' ? properties[keyName(m)] : undefined;
  const fields = (missed as { properties?: unknown } | undefined)?.properties;
  return fields !== null && typeof fields === 'object' ? fields : undefined;
}

/** Tells the problem error `e` is part of, marking every error that tells the same. */
function tell(errors: readonly ErrorObject[], e: ErrorObject, index: ErrorIndex): Problem {
  const plan = index.plans.get(e.instancePath);
  const pairedWith = plan?.pairs.get(e);
  const group = plan?.nested.get(e);
  let used = [e];
  let problem: Problem;
  if (group !== undefined) {
    // One mistake, not one per key: the fields were written a level too high.
    const [missing, ...inside] = group as [ErrorObject, ...ErrorObject[]];
    const names = inside.slice(0, 3).map((u) => `"${clipped(keyName(u))}"`);
    const rest = inside.length - names.length;
    const written = rest > 0 ? `${names.join(', ')} and ${rest} more` : wordList(names);
    const verb = inside.length > 1 ? `keys ${written} written here belong` : `key ${written} written here belongs`;
    problem = { pointer: e.instancePath, message: `${describe(missing)}: the ${verb} inside it`, atKey: false };
    used = group;
  } else if (pairedWith !== undefined) {
    // A misspelt key is both unknown and leaves the real one missing: point at what was written.
    const [unknown, missing] = e.keyword === 'additionalProperties' ? [e, pairedWith] : [pairedWith, e];
    problem = { ...located(unknown), message: `${describe(unknown)}; the required key "${keyName(missing)}" is missing` };
    used = [unknown, missing];
  } else if (plan !== undefined && e.keyword === 'required') {
    used = plan.missing;
    const names = used.map((m) => `"${keyName(m)}"`);
    problem = { pointer: e.instancePath, message: names.length > 1 ? `missing required keys ${wordList(names)}` : describe(e), atKey: false };
  } else {
    problem = located(e);
    if (e.keyword === 'additionalProperties') problem.message += meantKey(e);
  }
  for (const u of used) index.told.add(u);
  // The same place told by another keyword (a value both of the wrong type and too long).
  for (const other of index.byPointer.get(problem.pointer) ?? []) index.told.add(other);
  // Under a union that encloses the problem, the other branches only say the value is none of their forms.
  for (const u of index.unions) {
    if (index.unionsSwept.has(u) || !used.some((x) => within(u, x.instancePath))) continue;
    index.unionsSwept.add(u);
    for (const other of errors) if (within(u, other.instancePath)) index.told.add(other);
  }
  return problem;
}

/** One error told alone: where (an unknown or invalid key at the key) and what. */
function located(e: ErrorObject): Problem {
  let message = describe(e);
  // A key that breaks `propertyNames` (a check path with a space in it) is named, and shown where it is written.
  const badKey = e.keyword === 'additionalProperties' ? e.params.additionalProperty : e.propertyName;
  if (badKey !== undefined && e.keyword !== 'additionalProperties' && e.keyword !== 'propertyNames') message = `the key "${clipped(String(badKey))}" ${message}`;
  // An unknown or refused key is best shown where the key is written, not where its value starts.
  return { pointer: pointerOf(e), message, atKey: badKey !== undefined || (e.keyword === 'false schema' && e.instancePath !== '') };
}

function push<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const list = m.get(k);
  if (list) list.push(v);
  else m.set(k, [v]);
}

/** Whether the value at `inner` is the value at `outer` or inside it. */
function within(outer: string, inner: string): boolean {
  return inner === outer || inner.startsWith(`${outer}/`);
}

/** Where an error points: an unknown key at the key, others at their value. */
function pointerOf(e: ErrorObject): string {
  // A `propertyNames` failure comes twice: the key's own error (propertyName) and the summary (params).
  const key = e.keyword === 'additionalProperties' ? e.params.additionalProperty : e.keyword === 'propertyNames' ? e.params.propertyName : e.propertyName;
  return key === undefined ? e.instancePath : `${e.instancePath}/${escapePointerSegment(String(key))}`;
}

function isConcrete(e: ErrorObject): boolean {
  return !['oneOf', 'anyOf', 'if'].includes(e.keyword);
}

function depth(p: string): number {
  return p === '' ? 0 : p.split('/').length;
}
