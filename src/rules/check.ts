/**
 * Evaluating a rule's compiled `path: schema` conjuncts on a subject with three-valued logic: a
 * conjunct whose data could not be read is unknown, not false; one that is false says why, in
 * words about the field and its value rather than Ajv's. Compiling them is compile-check.ts's
 * part; the read behind each path, path-reads.ts's.
 */
import type { ValidateFunction } from 'ajv';
import type { FailedRead } from '../engine/result.ts';
import { sameRead } from '../engine/reads.ts';
import { pointerSegments } from '../input/document.ts';
import { showValue } from '../input/show-value.ts';
import { policyDocument, policyHolder, type PolicyHolder } from './policy-document.ts';
import { wholeValue, type WholeObject } from './whole-object.ts';

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
      return `${at()}; expected one of ${someValues(p.allowedValues as unknown[])}`;
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
      if (isObject(negated) && Array.isArray(negated.enum)) return `${at()}; expected none of ${someValues(negated.enum)}`;
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

/** The most values of an enum a message lists: a rule's list of 5,000 account ids would make every failing result's message 69 KB. */
const VALUES_SHOWN = 10;

/** An enum's values for a message: all of a short list, else the first VALUES_SHOWN and how many more. */
function someValues(values: readonly unknown[]): string {
  const shown = values.slice(0, VALUES_SHOWN).map((v) => JSON.stringify(v)).join(', ');
  const more = values.length - VALUES_SHOWN;
  return more > 0 ? `${shown} and ${more.toLocaleString('en-US')} more` : shown;
}
