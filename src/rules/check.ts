/**
 * Compiling a rule's `path: schema` conjuncts once, and evaluating them on a subject with
 * three-valued logic: a conjunct whose data could not be read is unknown, not false.
 */
import { Ajv, type ValidateFunction } from 'ajv';
import { RE2JS } from 're2js';
import type { FailedRead } from '../engine/result.ts';
import { BUCKET_OPERATIONS, KEY_OPERATIONS, sameRead } from '../engine/reads.ts';
import { COLLECTED_AT_KNOWN, ORGANIZATION_KNOWN, SELECTORS_UNLESS_UNREAD } from '../engine/trail-reads.ts';
import { placeInSchema } from './schema-place.ts';
import { PRECOMPILED } from './precompiled.ts';
import { escapePointerSegment, pointerSegments } from '../input/document.ts';
import { showValue } from '../input/show-value.ts';
import { policyDocument, policyHolder, type PolicyHolder } from './policy-document.ts';
import { fieldProblem } from './shapes.ts';
import { wholeObject, wholeValue, type WholeObject } from './whole-object.ts';
import type { CheckSpec } from './types.ts';

/** Three-valued truth: true, false, or unknown because a read failed. */
export type Tri = true | false | 'unknown';

export interface Conjunct {
  /** As written, without the trailing `?`. */
  display: string;
  path: string[];
  optional: boolean;
  /** The read this path depends on (`Trail`, `Status`, `Bucket.Policy`, ...). */
  read: string;
  validate: ValidateFunction;
  schema: unknown;
  /** For a path to `Bucket.Policy` or `Key.Policy` or below: which, and the rest of the path inside the policy document. */
  policy?: { holder: PolicyHolder; inside: string[] };
  /** For a path that is a whole bucket or key: the reads of the fields its schema looks at. */
  whole?: WholeObject;
}

export interface CompiledCheck {
  conjuncts: Conjunct[];
}

export interface CheckOutcome {
  value: Tri;
  /** The first conjunct that is false, and why. */
  reason?: string;
  /** That conjunct's path, as written without the `?`. */
  conjunct?: string;
  /** For unknown: every read that is missing (a conjunct that is false would have decided). */
  failedReads?: FailedRead[];
}

/** Something a check can read: a subject with paths and a read-state oracle. */
export interface Checkable {
  read(name: string): { ok: true } | { ok: false; failed: FailedRead };
}

/** The read each derived fact depends on. */
const FACT_READS: Record<string, string> = {
  owned: 'Trail',
  ownerAccountId: 'Trail',
  isOrganizationTrail: 'Trail',
  multiRegion: 'Trail',
  coversGlobalRegion: 'Trail',
  kmsEncrypted: 'Trail',
  keyRegion: 'Trail',
  knownToSkipManagementEvents: SELECTORS_UNLESS_UNREAD,
  recordsAllManagementEvents: 'EventSelectors',
  eventSelectorCount: 'EventSelectors',
  dataResourceCount: 'EventSelectors',
  advancedSelectorCount: 'EventSelectors',
  advancedValueCount: 'EventSelectors',
  recordsS3WriteDataEvents: 'EventSelectors',
  recordsS3ReadDataEvents: 'EventSelectors',
  cloudWatchLogsDeliveryAgeHours: 'Status.collectedAt',
  keyCustomerManaged: 'Key.KeyMetadata',
  keySymmetric: 'Key.KeyMetadata',
  keyFound: 'Trail',
  hasInsightSelectors: 'Trail.HasInsightSelectors',
};

/**
 * Top-level subject fields beside the trail, each with the read it depends on: the owner's
 * organization id on DescribeOrganization (absent for an account in no organization, unknown
 * when the read failed), collectedAt on the inventory having one. The account, region and
 * partition are known with the trail.
 */
const PLAIN_FIELDS: Record<string, string> = { accountId: 'Trail', region: 'Trail', partition: 'Trail', organizationId: ORGANIZATION_KNOWN, collectedAt: COLLECTED_AT_KNOWN };

/** The read a path depends on, or an explanation of why the path is not valid. */
export function readForPath(path: string[]): { read: string } | { problem: string } {
  const r = rootRead(path);
  if ('problem' in r) return r;
  const problem = fieldProblem(path);
  return problem === undefined ? r : { problem };
}

/** The read behind a path's first segment (and, for a bucket, a key or a fact, its second). */
function rootRead(path: string[]): { read: string } | { problem: string } {
  const [root, field] = path;
  switch (root) {
    case 'Trail':
      return { read: 'Trail' };
    case 'Status':
      return { read: 'Status' };
    case 'EventSelectors':
    case 'AdvancedEventSelectors':
      return { read: 'EventSelectors' };
    case 'InsightSelectors':
      return { read: 'InsightSelectors' };
    case 'Bucket':
      // Own keys only: `in` would take `constructor` or `toString` for an operation or a fact.
      return { read: field !== undefined && Object.hasOwn(BUCKET_OPERATIONS, field) ? `Bucket.${field}` : 'Bucket' };
    case 'Key':
      return { read: field !== undefined && Object.hasOwn(KEY_OPERATIONS, field) ? `Key.${field}` : 'Key' };
    case 'facts':
      if (field === undefined || !Object.hasOwn(FACT_READS, field)) {
        return { problem: `unknown fact "${field ?? ''}"; known facts: ${Object.keys(FACT_READS).join(', ')}` };
      }
      // A fact is one value (true, a count, an account id): nothing is ever below it.
      if (path.length > 2) return { problem: `facts.${field} is a single value, so ${path.join('.')} names nothing; write facts.${field}` };
      return { read: FACT_READS[field] };
    default:
      if (Object.hasOwn(PLAIN_FIELDS, root) && path.length === 1) return { read: PLAIN_FIELDS[root] };
      return {
        problem: `unknown path "${path.join('.')}"; a path starts with Trail, Status, EventSelectors, AdvancedEventSelectors, InsightSelectors, Bucket, Key, facts, accountId, region, partition, organizationId or collectedAt`,
      };
  }
}

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
    return ajv;
  };
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
      onPathError(written, `invalid JSON Schema: ${message}`, within);
    }
    // An async schema's validator returns a promise, which is truthy: every value would pass, and
    // its rejection would end the process.
    if ((validate as { $async?: unknown }).$async === true) onPathError(written, 'invalid JSON Schema: "$async" is not supported in checks; a check is synchronous');
    const holder = policyHolder(path);
    const conjunct: Conjunct = { display, path, optional, read: (r as { read: string }).read, validate, schema };
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

/**
 * The value at a dotted path, or undefined. Inventory data holds no functions, so a function
 * found on the way is a built-in (`Trail.constructor`, `EventSelectors.map`): absent, not a value
 * a check could pass on. (Lookups follow the prototype chain on purpose: an organization trail
 * seen from a member inherits its fields from the owner's subject.)
 */
export function valueAt(subject: unknown, path: readonly string[]): unknown {
  let v: unknown = subject;
  for (const seg of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[seg];
  }
  return typeof v === 'function' ? undefined : v;
}

/**
 * The value at a subject path, as rule paths see it: below `Bucket.Policy` or `Key.Policy`, inside
 * the policy document whether the inventory holds it as text or as an object. Undefined when the
 * path is absent, or when the policy text cannot be parsed (a check says `error` for that; a
 * message placeholder prints its fallback).
 */
export function subjectValueAt(subject: unknown, path: readonly string[]): unknown {
  const holder = policyHolder(path);
  if (holder === undefined) return valueAt(subject, path);
  const policy = policyDocument(subject, holder);
  return policy.ok ? valueAt(policy.document, path.slice(2)) : undefined;
}

/** The outcome of every check that holds: shared, as most checks of a large run hold. */
const HOLDS: CheckOutcome = Object.freeze({ value: true });

/**
 * Evaluates a check with Kleene AND: false as soon as a readable conjunct is false,
 * unknown when no conjunct is false but one could not be read, true otherwise.
 */
export function evalCheck(check: CompiledCheck, subject: Checkable): CheckOutcome {
  let unknown: FailedRead[] | undefined;
  for (const c of check.conjuncts) {
    // The trail itself is always there; every other read is asked for.
    let failed: FailedRead | undefined;
    let value: unknown;
    if (c.read !== 'Trail') {
      const state = subject.read(c.read);
      if (!state.ok) failed = state.failed;
    }
    if (failed === undefined && c.whole !== undefined) {
      const whole = wholeValue(subject, c.whole);
      if (whole.ok) value = whole.value;
      else failed = whole.failed;
    } else if (failed === undefined) {
      if (c.policy === undefined) value = valueAt(subject, c.path);
      else {
        const policy = policyDocument(subject, c.policy.holder);
        if (policy.ok) value = valueAt(policy.document, c.policy.inside);
        else failed = policy.failed;
      }
    }
    if (failed !== undefined) {
      // Two conjuncts may miss the same read (two fields of one unread bucket): name it once.
      if (unknown === undefined) unknown = [failed];
      else if (!unknown.some((f) => sameRead(f, failed))) unknown.push(failed);
      continue;
    }
    if (value === undefined) {
      if (c.optional) continue;
      return { value: false, reason: `${c.display} is absent`, conjunct: c.display };
    }
    if (!c.validate(value)) return { value: false, reason: explain(c, value), conjunct: c.display };
  }
  return unknown ? { value: 'unknown', failedReads: unknown } : HOLDS;
}

function explain(c: Conjunct, value: unknown): string {
  const first = c.validate.errors?.[0];
  if (!first) return `${c.display} is ${showValue(value)}`;
  // An error inside one alternative of anyOf/oneOf is not why the condition failed: meeting any
  // other alternative would do. The failed anyOf/oneOf itself is explained instead.
  const alternatives = c.validate.errors!.find((x) => (x.keyword === 'anyOf' || x.keyword === 'oneOf') && first.schemaPath.startsWith(`${x.schemaPath}/`));
  const e = alternatives ?? first;
  const p = e.params as Record<string, unknown>;
  // ajv's instancePath is a JSON pointer (`aws:PrincipalTag/team` is `aws:PrincipalTag~1team`): decoded, a step at a time.
  const where = pointerSegments(e.instancePath).reduce(pathStep, c.display);
  // A keyword below the path (`Trail: { properties: { X: { const: true } } }`) is about the field
  // it names: the whole object would hide which field failed, and what that field holds.
  const found = (): string => showValue(e.instancePath ? atPointer(value, e.instancePath) : value);
  // Under propertyNames, what failed is a key's name, which ajv names beside the error.
  const key = (e as { propertyName?: unknown }).propertyName;
  const at = (): string => (typeof key === 'string' ? `${where} has the key ${JSON.stringify(key)}` : `${where} is ${found()}`);
  if (e.keyword === 'additionalProperties' && typeof p.additionalProperty === 'string') return extraKey(c, e.schemaPath, where, p.additionalProperty);
  switch (e.keyword) {
    case 'const':
      return `${at()}; expected ${JSON.stringify(p.allowedValue)}`;
    case 'enum':
      return `${at()}; expected one of ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    case 'maximum':
    case 'minimum':
    case 'exclusiveMaximum':
    case 'exclusiveMinimum':
      return `${at()}; must be ${String(p.comparison)} ${String(p.limit)}`;
    case 'not': {
      // ajv says "must NOT be valid", which names no value; say what the value may not be.
      // The error's schemaPath (`#/properties/env/not`) leads to the negated schema itself.
      // ajv URI-encodes the segments (`%5ES3` for `^S3`) after escaping `/` and `~` the JSON-pointer way.
      const negated = atPointer(c.schema, decodeURIComponent(e.schemaPath.replace(/^#/, '')));
      if (isObject(negated) && 'const' in negated) return `${at()}; expected anything but ${JSON.stringify(negated.const)}`;
      if (isObject(negated) && Array.isArray(negated.enum)) return `${at()}; expected none of ${negated.enum.map((v) => JSON.stringify(v)).join(', ')}`;
      return `${at()}; expected it not to match ${showValue(negated)}`;
    }
    case 'anyOf':
    case 'oneOf': {
      const branches = atPointer(c.schema, decodeURIComponent(e.schemaPath.replace(/^#/, '')));
      const n = Array.isArray(branches) ? branches.length : 0;
      const passing = p.passingSchemas;
      if (e.keyword === 'oneOf' && Array.isArray(passing)) return `${at()}; it matches ${passing.length} of the ${n} alternatives (${passing.map((i) => Number(i) + 1).join(' and ')}), and must match exactly one`;
      return `${at()}; it matches none of the ${n} alternatives`;
    }
    case 'false schema': {
      // ajv says "boolean schema is false", which names neither the keyword that holds the false
      // nor why it applies: a `then: false` beside an `if` the value matches, say.
      const holder = pointerSegments(decodeURIComponent(e.schemaPath.replace(/^#/, ''))).at(-2);
      if (holder === 'then') return `${at()}; it matches the "if" beside "then: false", so it cannot pass`;
      if (holder === 'else') return `${at()}; it does not match the "if" beside "else: false", so it cannot pass`;
      return `${at()}; the schema ${holder === undefined ? '' : `"${holder}" `}here is false, which no value passes`;
    }
    default:
      if (typeof key === 'string') return `${at()}, and a key's name ${e.message ?? `fails ${e.keyword}`}`;
      return `${where} ${e.message ?? `fails ${e.keyword}`} (found ${found()})`;
  }
}

/**
 * `additionalProperties: false` failed: ajv's words ("must NOT have additional properties") name
 * neither the key nor what is allowed, and the object, cut short, may hide the key.
 */
function extraKey(c: Conjunct, schemaPath: string, where: string, extra: string): string {
  const parent = atPointer(c.schema, decodeURIComponent(schemaPath.replace(/^#/, '').replace(/\/additionalProperties$/, '')));
  const names = isObject(parent) && isObject(parent.properties) ? Object.keys(parent.properties).map((n) => JSON.stringify(n)) : [];
  const patterns = isObject(parent) && isObject(parent.patternProperties) ? Object.keys(parent.patternProperties).map((n) => `keys matching ${JSON.stringify(n)}`) : [];
  const allowed = [...names, ...patterns];
  return `${where} has the key ${JSON.stringify(extra)}, which additionalProperties does not allow; expected ${allowed.length > 0 ? `only ${allowed.join(', ')}` : 'no keys'}`;
}

/**
 * A path one key further down, as messages write it: `.Name`, or `["a.b"]` for a key a dot
 * would split (or an empty key), so that the name cannot be read as two.
 */
export function pathStep(path: string, key: string): string {
  return key === '' || /[.[\]]/.test(key) ? `${path}[${JSON.stringify(key)}]` : `${path}.${key}`;
}

/** What a JSON pointer from an ajv error names inside a value or a schema (own properties only). */
function atPointer(node: unknown, pointer: string): unknown {
  for (const seg of pointerSegments(pointer)) {
    if (node === null || typeof node !== 'object' || !Object.hasOwn(node, seg)) return undefined;
    node = (node as Record<string, unknown>)[seg];
  }
  return node;
}

/** A plain object: not null, not an array. */
export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
