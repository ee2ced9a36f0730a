/**
 * Compiling a rule's `path: schema` conjuncts once, at load: `{ $param: NAME }` substituted,
 * each path's read found, each schema compiled by one shared, strict Ajv whose patterns run on
 * RE2, and refused with words that say what to write instead when a check could not run safely.
 */
import { Ajv, type ValidateFunction } from 'ajv';
import { RE2JS } from 're2js';
import { escapePointerSegment } from '../input/document.ts';
import { isObject, type CompiledCheck, type Conjunct } from './check.ts';
import { readForPath } from './path-reads.ts';
import { policyHolder } from './policy-document.ts';
import { PRECOMPILED } from './precompiled.ts';
import { placeInSchema } from './schema-place.ts';
import type { CheckSpec } from './types.ts';
import { wholeObject, wholeStatusRead } from './whole-object.ts';

/**
 * A `{ $param: NAME }` whose NAME the rule does not declare. `pointer` is where it stands within
 * the value given to substituteParams: the rule file's error is shown there, not at the top of the
 * check, lines above it, where it gave no hint which of the check's parameters was meant.
 */
export class UnknownParamError extends Error {
  constructor(
    message: string,
    readonly pointer: string,
  ) {
    super(message);
  }
}

/** Replaces every `{ $param: NAME }` with the parameter's value. Throws an UnknownParamError on a name `params` does not have. */
export function substituteParams(value: unknown, params: Record<string, unknown>, at = ''): unknown {
  if (Array.isArray(value)) return value.map((v, i) => substituteParams(v, params, `${at}/${i}`));
  if (value !== null && typeof value === 'object') {
    const obj = value as Record<string, unknown>;
    if (Object.keys(obj).length === 1 && typeof obj.$param === 'string') {
      if (!Object.hasOwn(params, obj.$param)) {
        const declared = Object.keys(params);
        throw new UnknownParamError(`unknown parameter "${obj.$param}"; the rule declares ${declared.length > 0 ? declared.join(', ') : 'no parameters'}`, at);
      }
      return params[obj.$param];
    }
    return Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, substituteParams(v, params, `${at}/${escapePointerSegment(k)}`)]));
  }
  return value;
}

/** One Ajv for every rule's schemas: unknown keywords are errors (a misspelt `cosnt` must not silently pass), but `{maximum: 5}` needs no `type`. */
export const CHECK_AJV_OPTIONS = {
  strictSchema: true,
  strictNumbers: true,
  strictTypes: false,
  strictTuples: false,
  strictRequired: false,
  allErrors: false,
  allowUnionTypes: true,
  // A property that also matches a patternProperties pattern is valid JSON Schema (both apply).
  allowMatchingProperties: true,
  // Every rule's checks share one Ajv: a schema's $id is its own business, not a name to register
  // (two rules, or a where and a check, with the same $id were refused as "already exists").
  addUsedSchema: false,
} as const;

/** A lazily created Ajv for check schemas: a bundled scan whose checks are all precompiled never builds one. */
export function createCheckAjv(): () => Ajv {
  let ajv: Ajv | undefined;
  return () => {
    if (ajv) return ajv;
    // No logger: a schema whose validator JavaScript cannot compile is refused (compileCheck), and
    // Ajv's own log would put the whole generated code, megabytes of it, on standard error first.
    ajv = new Ajv({ ...CHECK_AJV_OPTIONS, logger: false, code: { regExp: guardedRegExp } });
    // Ajv finds a keyword with `RULES.keywords[key]` on a plain object, so `constructor`,
    // `toString` or `__proto__` written as a keyword would pass for a known one and be silently
    // ignored (the check then holds for every subject). Without a prototype they are unknown,
    // and strict mode refuses them as it refuses `cosnt`.
    Object.setPrototypeOf(ajv.RULES.keywords, null);
    useLinearEnumCheck(ajv);
    return ajv;
  };
}

const DRAFT_07 = 'http://json-schema.org/draft-07/schema';

/**
 * Draft-07's meta-schema asks an `enum` for `uniqueItems`, which Ajv checks for values of any
 * type by comparing every pair: an enum of 40,000 values (account ids, say) took 4 s to load,
 * 80,000 four times that. The meta-schema here asks instead for `uniqueEnumValues`, which finds
 * a repeated value with one pass over the values, and refuses it in Ajv's words, naming the pair
 * Ajv names (the last value repeated, and the last copy before it).
 */
function useLinearEnumCheck(ajv: Ajv): void {
  const meta = structuredClone(ajv.getSchema(DRAFT_07)?.schema) as { properties: { enum: Record<string, unknown> } };
  delete meta.properties.enum.uniqueItems;
  meta.properties.enum.uniqueEnumValues = true;
  ajv.addKeyword({
    keyword: 'uniqueEnumValues',
    type: 'array',
    schemaType: 'boolean',
    errors: true,
    // The meta-schema's keyword, not a rule's: written in a check it is refused as strict mode
    // refuses any unknown keyword, not taken as a second spelling of uniqueItems.
    compile: (_schema: boolean, _parent: unknown, it?: { baseId?: string }) => {
      if (it?.baseId?.replace(/#$/, '') !== DRAFT_07) throw new Error('strict mode: unknown keyword: "uniqueEnumValues"');
      return uniqueEnumValues as (data: unknown) => boolean;
    },
  });
  ajv.removeSchema(DRAFT_07);
  ajv.addMetaSchema(meta, DRAFT_07, false);
}

/** Counts the values uniqueEnumValues looked at, for tests: one pass, not one per pair. */
export const enumValuesSeen = { count: 0 };

function uniqueEnumValues(values: unknown[]): boolean {
  const last = new Map<string, number>();
  let found: { i: number; j: number } | undefined;
  values.forEach((v, i) => {
    enumValuesSeen.count++;
    const key = sameValueKey(v);
    const before = last.get(key);
    if (before !== undefined) found = { i, j: before };
    last.set(key, i);
  });
  if (found === undefined) return true;
  uniqueEnumValues.errors = [{ keyword: 'uniqueItems', message: `must NOT have duplicate items (items ## ${found.j} and ${found.i} are identical)`, params: found }];
  return false;
}
uniqueEnumValues.errors = [] as object[];

/**
 * One text for values Ajv's deep equality takes as equal: an object's keys in any order, -0 as 0.
 * A number is written by String, not JSON.stringify, which writes NaN, Infinity and -Infinity
 * (YAML's .nan, .inf and -.inf) all as null: `enum: [.inf, -.inf]` was refused as a repeat.
 */
function sameValueKey(value: unknown): string {
  if (typeof value === 'number') return String(value);
  if (Array.isArray(value)) return `[${value.map(sameValueKey).join(',')}]`;
  if (isObject(value)) return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${sameValueKey(value[k])}`).join(',')}}`;
  return JSON.stringify(value) ?? String(value);
}

/**
 * The matcher behind a rule's `pattern` (and `patternProperties` keys): RE2, whose time grows
 * only linearly with the text. The values a pattern meets are untrusted (anyone who may name a
 * trail chooses one), and JavaScript's backtracking RegExp can take exponential or high
 * polynomial time: `^(a|aa)*b$` or `^a*a*a*a*a*a*a*a*a*a*b$` on forty `a`s ran for minutes. No
 * analysis of the pattern can tell every such case apart; a matcher that cannot backtrack does
 * not need to. The pattern is checked as JavaScript syntax first (JSON Schema's patterns are
 * ECMA-262 regexes, and its messages read best); what RE2 does not have (lookahead, lookbehind,
 * backreferences) is refused with a message that says so.
 */
function guardedRegExp(pattern: string, flags: string): { test(s: string): boolean; toString(): string } {
  // JavaScript's syntax first (a SyntaxError here is reported as before). Ajv keys its compiled
  // patterns by toString(), as a RegExp shows itself: without one, every pattern would be
  // "[object Object]" and share the first one compiled.
  const shown = new RegExp(pattern, flags).toString();
  let re: RE2JS;
  try {
    re = RE2JS.compile(pattern);
  } catch (e) {
    // The pattern is quoted as written: the CLI escapes the whole message for the terminal,
    // which shows each backslash as `\\`; JSON quoting would double every one of them again.
    const why = (e as Error).message;
    // What JavaScript takes and RE2 does not: lookaround and backreferences above all (RE2 reads
    // a lookbehind `(?<=` or `(?<!` as a named group it cannot parse), but also a repeat count
    // over 1,000 (nested repeats multiply: `(a{100}){100}` is 10,000), groups nested past RE2's
    // limit, or a JavaScript escape RE2 lacks (`\u0041`, `\cJ`). Each is named as what it is, and
    // advice is given only for what it fits.
    const lookaround = /unsupported Perl syntax|invalid named capture: `\(\?<[=!]|invalid escape sequence: `\\[1-9k]/.test(why);
    const advice = /invalid repeat count/.test(why)
      ? ' (repeat counts up to 1000, nested repeats multiplied)'
      : /nests too deeply/.test(why)
        ? ' (groups nested less deeply)'
        : '';
    throw new Error(
      `pattern "${pattern}" is refused: trailgate matches patterns with RE2, whose time grows only linearly with the text (so a crafted trail name cannot stall the gate), and ${
        lookaround ? `RE2 has no lookahead, lookbehind or backreferences (${why}); rewrite it without them` : `RE2 cannot take this one (${why}); rewrite it in a form RE2 takes${advice}`
      }`,
      { cause: e },
    );
  }
  return { test: (s: string) => re.test(s), toString: () => shown };
}
// Ajv asks an engine for the code that makes it in standalone output; the precompiled built-in
// checks are made with Ajv's default engine, so this one is never written out.
guardedRegExp.code = 'new RegExp';

/**
 * Compiles a check. Throws an Error whose message says what is wrong with which path; the
 * rule loader adds the file position.
 */
export function compileCheck(spec: CheckSpec, ajv: () => Ajv, onPathError: (path: string, message: string, within?: string) => never): CompiledCheck {
  const conjuncts: Conjunct[] = [];
  for (const [written, schema] of Object.entries(spec)) {
    const optional = written.endsWith('?');
    const display = optional ? written.slice(0, -1) : written;
    const path = display.split('.');
    const r = readForPath(path);
    if ('problem' in r) onPathError(written, r.problem);
    // A reference can make a schema recursive (`$ref: "#"`), and Ajv's validator then recurses
    // until the stack runs out mid-scan; a check's schema is small enough to write out.
    const reference = referenceIn(schema);
    if (reference) onPathError(written, `invalid JSON Schema: "${reference}" is not supported in checks; write the schema it names out in its place`);
    let validate: ValidateFunction;
    try {
      validate = PRECOMPILED.checks[JSON.stringify(schema)] ?? ajv().compile(schema as object);
      // Ajv writes a schema's keywords, properties and alternatives one inside the other: V8 parses
      // the validator on its first call, and with a couple of thousand of them its parser runs out
      // of stack there, mid-scan (exit 70). One call now makes that the rule's error, at its line.
      // (Not an $async one, refused below: its call would answer a promise that rejects.)
      if ((validate as { $async?: unknown }).$async !== true) validate(null);
    } catch (e) {
      if (e instanceof RangeError) {
        onPathError(written, 'invalid JSON Schema: too large to run (its validator nests deeper than JavaScript allows); write a list of values as one enum, or split the condition into several');
      }
      const message = (e as Error).message;
      // Ajv's wording ("ignored") reads as if the rule ran anyway; it did not, so say what to use.
      const format = /^unknown format "([^"]*)"/.exec(message);
      const within = placeInSchema(schema, message);
      if (format) onPathError(written, `invalid JSON Schema: "format": "${format[1]}" is not supported in checks; match the text with "pattern" instead`, within);
      // `Trail: { S3BucketName: {...} }`, the fields nested as in the inventory: a field's name
      // (AWS writes them capitalised; no keyword is) where a keyword goes.
      const field = /^strict mode: unknown keyword: "([A-Z][A-Za-z0-9]*)"$/.exec(message)?.[1];
      if (field !== undefined && within === `/${field}` && !('problem' in readForPath([...path, field]))) {
        onPathError(written, `invalid JSON Schema: "${field}" is no JSON Schema keyword; to check the field ${display}.${field}, write that path as the condition's key (${display}.${field}: {...}), or put ${field} under "properties"`, within);
      }
      onPathError(written, `invalid JSON Schema: ${message}`, within);
    }
    // An async schema's validator returns a promise, which is truthy: every value would pass, and
    // its rejection would end the process.
    if ((validate as { $async?: unknown }).$async === true) onPathError(written, 'invalid JSON Schema: "$async" is not supported in checks; a check is synchronous');
    const holder = policyHolder(path);
    const conjunct: Conjunct = { display, path, optional, read: wholeStatusRead(path, schema) ?? (r as { read: string }).read, validate, schema };
    if (holder !== undefined) conjunct.policy = { holder, inside: path.slice(2) };
    const whole = wholeObject(path, schema);
    if (whole !== undefined) conjunct.whole = whole;
    conjuncts.push(conjunct);
  }
  return { conjuncts };
}

const REFERENCES = new Set(['$ref', '$dynamicRef', '$recursiveRef']);

/**
 * The first reference keyword anywhere in a schema, or undefined. Anywhere, data included: a
 * key named `enum` under `properties` or `dependencies` holds a schema, not data, so telling the
 * two apart by key name would let a reference through, and no check needs a `$ref` key in its data.
 */
function referenceIn(schema: unknown): string | undefined {
  const stack: unknown[] = [schema];
  while (stack.length > 0) {
    const node = stack.pop();
    if (Array.isArray(node)) stack.push(...node);
    else if (isObject(node)) {
      for (const [k, v] of Object.entries(node)) {
        if (REFERENCES.has(k)) return k;
        stack.push(v);
      }
    }
  }
  return undefined;
}
