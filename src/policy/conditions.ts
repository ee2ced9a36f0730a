/**
 * The Condition element: every operator family IAM defines, the `IfExists` suffix, the
 * `ForAnyValue:` / `ForAllValues:` qualifiers, and what each does when its key is absent.
 * Values are checked when the policy is parsed, so a bad number or address is a problem
 * reported once, never a silent "does not match".
 */
import { cidrContains, parseAddress, parseCidr, type Cidr } from './ip.ts';
import { arnPartsMatch, collectVariables, compileMatcher, matcherMatches, parsePattern, resolvePieces, splitArn, splitArnPieces, type Matcher, type Piece, type VariableLookup } from './match.ts';
import { parseTimestamp } from '../input/timestamp.ts';
import { OPERATORS, type Family, type OperatorSpec } from './operators.ts';

/** A policy value made ready for its family. */
type Value =
  | { kind: 'string'; m: Matcher; ignoreCase: boolean }
  | { kind: 'pieces'; pieces: Piece[] }
  | { kind: 'arn'; parts: Piece[][] | undefined }
  | { kind: 'number'; n: number }
  | { kind: 'cidr'; cidr: Cidr }
  | { kind: 'text'; text: string }
  | { kind: 'bool'; b: boolean };

/** One (operator, key) pair of a Condition block, compiled. */
export interface Condition {
  /** The operator as written, e.g. `ForAnyValue:StringLikeIfExists`. */
  operator: string;
  /** The condition key as written. */
  key: string;
  keyLower: string;
  spec: OperatorSpec;
  set?: 'ForAnyValue' | 'ForAllValues';
  ifExists: boolean;
  values: Value[];
  /** The values as written (what a compiled value no longer shows). */
  texts: readonly string[];
  /**
   * The keys (lower-cased) of the policy variables in the values, when there are any: the
   * condition depends on them as on its own key (unknown-keys.ts bounds both alike).
   */
  variables?: readonly string[];
  /**
   * Only on a bound's copy of a condition whose values name an unknown key's variable
   * (unknown-keys.ts): whether it holds when the request carries the condition's own key, where
   * the variable's value would decide it. Without the key, the operator alone decides, whatever
   * the variable's value (a negated or IfExists operator holds), so the condition is judged as
   * written then.
   */
  whenKeyPresent?: boolean;
}

/** A request context value, as the evaluator sees it after normalisation. */
export type ContextValue = string | string[];

/** Context lookups by lower-cased key. */
export type Context = ReadonlyMap<string, ContextValue>;

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)$/;

/** Compiles one operator's block (`{"aws:SourceAccount": "1111..."}`); a string is a problem. */
export function compileOperator(operator: string, block: unknown, variables: boolean): Condition[] | string {
  let rest = operator;
  let set: Condition['set'];
  const colon = rest.indexOf(':');
  if (colon !== -1) {
    const qualifier = rest.slice(0, colon).toLowerCase();
    if (qualifier === 'foranyvalue') set = 'ForAnyValue';
    else if (qualifier === 'forallvalues') set = 'ForAllValues';
    else return `unknown condition qualifier "${rest.slice(0, colon)}" in "${operator}"`;
    rest = rest.slice(colon + 1);
  }
  let ifExists = false;
  let spec = OPERATORS.get(rest.toLowerCase());
  if (!spec && rest.toLowerCase().endsWith('ifexists')) {
    ifExists = true;
    spec = OPERATORS.get(rest.slice(0, -'IfExists'.length).toLowerCase());
  }
  if (!spec) return `unknown condition operator "${operator}"`;
  // IAM takes IfExists on every operator but Null, which already tests whether the key exists.
  if (ifExists && spec.family === 'Null') return `unknown condition operator "${operator}" (IfExists cannot be added to Null)`;
  if (typeof block !== 'object' || block === null || Array.isArray(block)) {
    return `condition operator "${operator}" must map condition keys to values`;
  }
  const out: Condition[] = [];
  for (const [key, raw] of Object.entries(block as Record<string, unknown>)) {
    const list = Array.isArray(raw) ? raw : [raw];
    if (list.length === 0) return `condition "${operator}" on "${key}" has no values`;
    const values: Value[] = [];
    for (const item of list) {
      if (typeof item !== 'string' && typeof item !== 'number' && typeof item !== 'boolean') {
        return `condition "${operator}" on "${key}" has a value that is not a string, number or boolean`;
      }
      const v = compileValue(spec, String(item), variables);
      if (typeof v === 'string') return `condition "${operator}" on "${key}": ${v}`;
      values.push(v);
    }
    const condition: Condition = { operator, key, keyLower: key.toLowerCase(), spec, set, ifExists, values, texts: list.map(String) };
    if (variables) {
      const names = valueVariables(values);
      if (names.length > 0) condition.variables = names;
    }
    out.push(condition);
  }
  return out;
}

/** The keys of the policy variables in compiled values, each once. */
function valueVariables(values: readonly Value[]): string[] {
  const out: string[] = [];
  for (const v of values) {
    if (v.kind === 'string' && v.m.kind === 'pieces') collectVariables(v.m.pieces, out);
    else if (v.kind === 'pieces') collectVariables(v.pieces, out);
    else if (v.kind === 'arn' && v.parts !== undefined) for (const part of v.parts) collectVariables(part, out);
  }
  return out;
}

function compileValue(spec: OperatorSpec, text: string, variables: boolean): Value | string {
  switch (spec.family) {
    case 'String': {
      const ignoreCase = spec.comparison === 'eqIgnoreCase';
      const m = compileMatcher(ignoreCase ? text.toLowerCase() : text, { wildcards: spec.comparison === 'like', variables });
      return { kind: 'string', m, ignoreCase };
    }
    case 'Arn': {
      const parts = splitArnPieces(parsePattern(text, { wildcards: true, variables }));
      // A value that is not ARN-shaped can never match (and makes a negated test false).
      return { kind: 'arn', parts: parts.length === 6 ? parts : undefined };
    }
    case 'Bool': {
      const lower = text.toLowerCase();
      if (lower === 'true' || lower === 'false') return { kind: 'bool', b: lower === 'true' };
      if (variables && text.includes('${')) return { kind: 'pieces', pieces: parsePattern(text, { wildcards: false, variables }) };
      return `"${text}" is not true or false`;
    }
    case 'Null': {
      const lower = text.toLowerCase();
      if (lower === 'true' || lower === 'false') return { kind: 'bool', b: lower === 'true' };
      return `"${text}" is not true or false`;
    }
    case 'Numeric':
      return NUMBER.test(text) ? { kind: 'number', n: Number(text) } : `"${text}" is not a number`;
    case 'Date': {
      const ms = policyDate(text);
      return ms === undefined ? `"${text}" is not a date (ISO 8601 or epoch seconds)` : { kind: 'number', n: ms };
    }
    case 'IpAddress': {
      const cidr = parseCidr(text);
      return cidr ? { kind: 'cidr', cidr } : `"${text}" is not an IP address or CIDR block`;
    }
    case 'Binary':
      return { kind: 'text', text };
  }
}

/**
 * Whether one request value satisfies the operator against the policy values: for a plain
 * operator, some value matches (OR); for a negated one, none does. A policy variable with no
 * value is "effectively null" (IAM's words): nothing equals it, so it never matches a plain
 * operator and always satisfies a negated one. A value that cannot be compared at all (a
 * request value of the wrong type, a policy value that is not ARN-shaped) never matches, and
 * makes a negated operator false rather than vacuously true.
 */
function valueHolds(c: Condition, requestValue: string, lookup: VariableLookup): boolean {
  const prepared = prepareRequestValue(c.spec.family, requestValue);
  if (prepared === undefined) return false;
  let any = false;
  for (const v of c.values) {
    const r = compare(c.spec, v, prepared, lookup);
    if (r === INVALID) {
      if (c.spec.negated) return false;
    } else if (r === true) {
      if (!c.spec.negated) return true;
      any = true;
    }
  }
  return c.spec.negated ? !any : false;
}

/** A comparison that could not be made: the values are not of the operator's type. */
const INVALID = 'invalid';
/** A comparison against a policy variable that has no value in the request. */
const UNRESOLVED = 'unresolved';
type Outcome = boolean | typeof INVALID | typeof UNRESOLVED;

type Prepared = string | number | boolean | string[] | { v6: boolean; bits: bigint };

/**
 * A Date condition's value: a timestamp, or W3C's year and month (`2027-01`), which IAM accepts
 * as one of its ISO 8601 forms and which means the month's first moment. Only here: a delivery
 * time given so coarsely says nothing of its age.
 */
function policyDate(text: string): number | undefined {
  return parseTimestamp(/^\d{4}-\d{2}$/.test(text) ? `${text}-01` : text);
}

function prepareRequestValue(family: Family, v: string): Prepared | undefined {
  switch (family) {
    case 'Numeric':
      return NUMBER.test(v) ? Number(v) : undefined;
    case 'Date':
      return policyDate(v);
    case 'Bool': {
      const lower = v.toLowerCase();
      return lower === 'true' ? true : lower === 'false' ? false : undefined;
    }
    case 'IpAddress':
      return parseAddress(v);
    case 'Arn':
      return splitArn(v);
    default:
      return v;
  }
}

function compare(spec: OperatorSpec, v: Value, r: Prepared, lookup: VariableLookup): Outcome {
  switch (v.kind) {
    case 'string': {
      // An IgnoreCase value was lower-cased when compiled; a variable's value is lower-cased
      // with the request value, which is equivalent for an equality test.
      const s = v.ignoreCase ? (r as string).toLowerCase() : (r as string);
      const m = v.ignoreCase ? matcherMatches(v.m, s, (k) => lookup(k)?.toLowerCase()) : matcherMatches(v.m, s, lookup);
      return m === undefined ? UNRESOLVED : m;
    }
    case 'pieces': {
      // Bool values that hold a policy variable.
      const resolved = resolvePieces(v.pieces, lookup);
      if (resolved === undefined) return UNRESOLVED;
      const text = resolved.join('').toLowerCase();
      return text === 'true' || text === 'false' ? (text === 'true') === r : INVALID;
    }
    case 'arn': {
      if (v.parts === undefined) return INVALID;
      return arnPartsMatch(v.parts, r as string[], lookup) ?? UNRESOLVED;
    }
    case 'bool':
      return v.b === r;
    case 'text':
      return v.text === r;
    case 'cidr':
      return cidrContains(v.cidr, r as { v6: boolean; bits: bigint });
    case 'number': {
      const x = r as number;
      switch (spec.comparison) {
        case 'lt':
          return x < v.n;
        case 'lte':
          return x <= v.n;
        case 'gt':
          return x > v.n;
        case 'gte':
          return x >= v.n;
        default:
          return x === v.n;
      }
    }
  }
}

/**
 * Whether a condition holds for a request context. Missing keys: `Null` tests presence;
 * `ForAnyValue` is false; `ForAllValues` is true; `IfExists` is true; a negated operator is
 * true; any other operator is false. An empty list counts as absent. A multivalued key under
 * a plain operator does not match: IAM wants a set qualifier for those.
 */
export function conditionHolds(c: Condition, ctx: Context, lookup: VariableLookup): boolean {
  const raw = ctx.get(c.keyLower);
  const absent = raw === undefined || (Array.isArray(raw) && raw.length === 0);
  if (!absent && c.whenKeyPresent !== undefined) return c.whenKeyPresent;
  if (c.spec.family === 'Null') return c.values.some((v) => v.kind === 'bool' && v.b === absent);
  if (c.set === 'ForAnyValue') {
    if (absent) return c.ifExists;
    return toList(raw).some((v) => valueHolds(c, v, lookup));
  }
  if (c.set === 'ForAllValues') {
    if (absent) return true;
    return toList(raw).every((v) => valueHolds(c, v, lookup));
  }
  if (absent) return c.ifExists || c.spec.negated;
  if (Array.isArray(raw)) return false;
  return valueHolds(c, raw, lookup);
}

function toList(v: ContextValue | undefined): string[] {
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}
