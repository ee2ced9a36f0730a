/** Turns Ajv's validation errors into one readable sentence with the JSON pointer it is about. */
import type { ErrorObject } from 'ajv';
import { patternWords } from './pattern-words.ts';
import { clipAt } from '../errors.ts';
import { closest } from './closest.ts';

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
  return pick(errors).problem;
}

/**
 * Every independent problem of an Ajv run (`allErrors`), the most useful first, at most `limit`:
 * a config or rule file with three mistakes is fixed in one edit, not three runs. Errors that
 * tell the same mistake are told once: those at the chosen place, and the branches of a union
 * (`oneOf`, `anyOf`) that encloses it, which only say the value matches no other form either.
 */
export function pickErrors(errors: readonly ErrorObject[], limit: number): { problems: Problem[]; more: number } {
  const problems: Problem[] = [];
  let left = errors;
  let more = 0;
  while (left.some(isConcrete)) {
    const { problem, used } = pick(left);
    if (used.length === 1 && used[0].keyword === 'additionalProperties') problem.message += meantKey(used[0]);
    if (problems.length < limit) problems.push(problem);
    else more++;
    const unions = left.filter((e) => !isConcrete(e) && used.some((u) => within(e.instancePath, u.instancePath))).map((e) => e.instancePath);
    left = left.filter((e) => !used.includes(e) && !sameMistake(e, problem, unions));
  }
  return { problems, more };
}

/** Whether `e` tells the mistake `problem` tells (beside the errors it was made of). */
function sameMistake(e: ErrorObject, problem: Problem, unions: readonly string[]): boolean {
  // A missing key is told by the errors it was made of: another key missing there is its own problem.
  if (e.keyword !== 'required' && pointerOf(e) === problem.pointer) return true;
  // Everything under a union that encloses the chosen error: the other forms it fails.
  return unions.some((u) => within(u, e.instancePath));
}

/** Whether the value at `inner` is the value at `outer` or inside it. */
function within(outer: string, inner: string): boolean {
  return inner === outer || inner.startsWith(`${outer}/`);
}

/** Where an error points: an unknown key at the key, others at their value. */
function pointerOf(e: ErrorObject): string {
  // A `propertyNames` failure comes twice: the key's own error (propertyName) and the summary (params).
  const key = e.keyword === 'additionalProperties' ? e.params.additionalProperty : e.keyword === 'propertyNames' ? e.params.propertyName : e.propertyName;
  return key === undefined ? e.instancePath : `${e.instancePath}/${String(key).replace(/~/g, '~0').replace(/\//g, '~1')}`;
}

function isConcrete(e: ErrorObject): boolean {
  return !['oneOf', 'anyOf', 'if'].includes(e.keyword);
}

function pick(errors: readonly ErrorObject[]): { problem: Problem; used: ErrorObject[] } {
  // Errors from inside oneOf/anyOf branches are noisy; prefer the deepest concrete one.
  const concrete = errors.filter(isConcrete);
  const pool = concrete.length > 0 ? concrete : errors;
  let best = pool[0];
  for (const e of pool) if (depth(e.instancePath) > depth(best.instancePath)) best = e;
  let message = describe(best);
  let used = [best];
  if (best.keyword === 'required') {
    const here = (keyword: string) => pool.filter((e) => e.keyword === keyword && e.instancePath === best.instancePath);
    const unknowns = here('additionalProperties');
    const missing = here('required');
    // A misspelt key (`raeds`) is both unknown and leaves the real one missing: point at what was written.
    const pair = misspelt(unknowns, missing);
    if (pair) {
      message = `${describe(pair[0])}; the required key "${keyName(pair[1])}" is missing`;
      best = pair[0];
      used = pair;
    } else {
      // No key written here is one of them misspelt: the keys missing here are one problem.
      used = missing;
      if (missing.length > 1) message = `missing required keys ${wordList(missing.map((m) => `"${keyName(m)}"`))}`;
    }
  }
  let pointer = best.instancePath;
  // A key that breaks `propertyNames` (a check path with a space in it) is named, and shown where it is written.
  const badKey = best.keyword === 'additionalProperties' ? best.params.additionalProperty : best.propertyName;
  if (badKey !== undefined && best.keyword !== 'additionalProperties' && best.keyword !== 'propertyNames') message = `the key "${String(badKey)}" ${message}`;
  if (badKey !== undefined) pointer += `/${String(badKey).replace(/~/g, '~0').replace(/\//g, '~1')}`;
  // An unknown key is best shown where the key is written, not where its value starts.
  return { problem: { pointer, message, atKey: badKey !== undefined }, used };
}

/**
 * The unknown key that stands for a missing one, with that missing key's error: a key a typo
 * away from it (`raeds` for `reads`), else the only unknown key where only one is missing (a
 * rename). None when the keys written there are simply extra.
 */
function misspelt(unknowns: readonly ErrorObject[], missing: readonly ErrorObject[]): [ErrorObject, ErrorObject] | undefined {
  for (const m of missing) {
    const u = unknowns.find((e) => closest(keyName(e), [keyName(m)]).length > 0);
    if (u) return [u, m];
  }
  return unknowns.length === 1 && missing.length === 1 ? [unknowns[0], missing[0]] : undefined;
}

/** The key an `additionalProperties` error names, or the one a `required` error misses. */
function keyName(e: ErrorObject): string {
  return String(e.keyword === 'required' ? e.params.missingProperty : e.params.additionalProperty);
}

/**
 * `; did you mean "failOn"?` for an unknown key a typo away from a key the schema allows there
 * (`fail-on`, `Stauts`), else nothing. The schema object comes with the error when the validator
 * was compiled `verbose` (its schemaPath alone would restart at each $ref).
 */
function meantKey(e: ErrorObject): string {
  const properties = (e.parentSchema as { properties?: unknown } | undefined)?.properties;
  if (properties === null || typeof properties !== 'object') return '';
  const near = closest(keyName(e), Object.keys(properties));
  return near.length > 0 && near.length <= 3 ? `; did you mean ${wordList(near.map((k) => `"${k}"`)).replace(/ and (?=[^,]*$)/, ' or ')}?` : '';
}

/** `"a"`, `"a" and "b"`, `"a", "b" and "c"`. */
function wordList(words: readonly string[]): string {
  return words.length === 1 ? words[0] : `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`;
}

/** A key as a message quotes it: a crafted 50 MB key is named by its start, not echoed whole. */
function clipped(key: string): string {
  return key.length > 80 ? `${clipAt(key, 77)}...` : key;
}

function depth(p: string): number {
  return p === '' ? 0 : p.split('/').length;
}

function describe(e: ErrorObject): string {
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'additionalProperties':
      return `unknown key "${clipped(String(p.additionalProperty))}"`;
    case 'required':
      return `missing required key "${String(p.missingProperty)}"`;
    case 'enum':
      return `must be one of ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    case 'const':
      return `must be ${JSON.stringify(p.allowedValue)}`;
    case 'type':
      // Several allowed types: "string, object or null", not ajv's "string,object,null".
      return `must be of type ${Array.isArray(p.type) ? `${p.type.slice(0, -1).join(', ')} or ${p.type[p.type.length - 1]}` : String(p.type)}`;
    case 'pattern':
      return patternWords(String(p.pattern));
    case 'propertyNames':
      return `has an invalid key "${String(p.propertyName)}"`;
    default:
      return e.message ?? `fails ${e.keyword}`;
  }
}
