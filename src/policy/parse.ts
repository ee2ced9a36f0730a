/**
 * Parsing a resource policy (a bucket policy, a key policy) into statements ready to evaluate.
 * Anything IAM would reject, or that we do not understand, is a problem with a message: the
 * evaluator never guesses what a malformed policy meant.
 */
import { parseUnambiguous } from '../input/json-members.ts';
import { showValue } from '../input/show-value.ts';
import { compileOperator, type Condition } from './conditions.ts';
import { collectVariables, compileMatcher, hasWildcards, parsePattern, splitArnPieces, STAR, type Matcher, type Piece } from './match.ts';

/** Who a Principal or NotPrincipal element names. */
export interface PrincipalSet {
  /** `"*"` or `{"AWS": "*"}`: everyone, services included. */
  everyone: boolean;
  /** AWS principals: account ids (`123456789012`), root ARNs, role and user ARNs. */
  aws: readonly string[];
  service: readonly string[];
  /** Federated and canonical-user principals: kept for completeness, never a service or an IAM ARN. */
  other: readonly string[];
}

const NONE: readonly string[] = Object.freeze([]);

/**
 * A compiled Resource/NotResource entry: everything; an exact ARN or an ARN prefix (a single
 * trailing `*` inside the resource part, so a plain string test is exact); the six ARN parts
 * matched one by one; or nothing at all (a short ARN without wildcard).
 */
export type ResourcePattern =
  | { kind: 'all' }
  | { kind: 'exact'; text: string }
  | { kind: 'prefix'; text: string }
  | { kind: 'parts'; parts: Piece[][] }
  | { kind: 'none' };

/** One statement, compiled. `index` is its position in the Statement array. */
export interface Statement {
  index: number;
  sid?: string;
  effect: 'Allow' | 'Deny';
  principal?: PrincipalSet;
  notPrincipal?: PrincipalSet;
  /** Lower-cased action patterns; exactly one of actions/notActions is set. */
  actions?: Matcher[];
  notActions?: Matcher[];
  resources?: ResourcePattern[];
  notResources?: ResourcePattern[];
  /** The Resource or NotResource strings as written (what a compiled pattern no longer shows). */
  resourceText: readonly string[];
  /** The keys (lower-cased) of the policy variables in Resource or NotResource, when there are any. */
  resourceVariables?: readonly string[];
  conditions: Condition[];
}

/** A parsed policy. */
export interface Policy {
  version?: string;
  statements: Statement[];
}

/** A parsed policy, or why it could not be parsed. */
export type ParseResult = { ok: true; policy: Policy } | { ok: false; problem: string };

/** The elements a statement and a policy may have (rule paths below a policy are checked against them too). */
export const STATEMENT_KEYS: ReadonlySet<string> = new Set(['Sid', 'Effect', 'Principal', 'NotPrincipal', 'Action', 'NotAction', 'Resource', 'NotResource', 'Condition']);
export const POLICY_KEYS: ReadonlySet<string> = new Set(['Version', 'Id', 'Statement']);

/**
 * Parsed policies, most recently used last. Small on purpose: a policy shared by many trails (a
 * log-archive bucket) stays in it, while the one-bucket-per-account policies of a large
 * inventory pass through without being kept alive for the whole run.
 */
const cache = new Map<string | object, ParseResult>();
const CACHE_SIZE = 256;

/** Parses, by the object that holds them (a bucket), policies every rule on that bucket reuses; they go when it goes. */
const byOwner = new WeakMap<object, { doc: string | object; result: ParseResult }>();

/**
 * Parses a policy given as JSON text or as an object. Recently used policies are not parsed
 * again; given its `owner` (the bucket or key whose policy it is), a policy is parsed once for
 * as long as the owner lives, whichever rules ask and in whatever order.
 */
export function parsePolicy(doc: string | object, owner?: object): ParseResult {
  if (owner !== undefined) {
    const known = byOwner.get(owner);
    if (known !== undefined && known.doc === doc) return known.result;
    const result = typeof doc === 'string' ? parseText(doc) : parseDocument(doc);
    byOwner.set(owner, { doc, result });
    return result;
  }
  let r = cache.get(doc);
  if (r) {
    cache.delete(doc);
  } else {
    r = typeof doc === 'string' ? parseText(doc) : parseDocument(doc);
    if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value!);
  }
  cache.set(doc, r);
  return r;
}

function parseText(text: string): ParseResult {
  const parsed = parseUnambiguous(text);
  if (parsed.ok) return parseDocument(parsed.value);
  if (parsed.why === 'invalid') return { ok: false, problem: `the policy is not valid JSON (${parsed.reason})` };
  // JSON.parse keeps the last of a repeated key: `"Effect": "Allow", ..., "Effect": "Deny"` would
  // be judged as whichever came last, a guess. Such a policy is malformed: reported, not read.
  return { ok: false, problem: 'the policy repeats a key within one object, so what it says is ambiguous' };
}

function parseDocument(doc: unknown): ParseResult {
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) return { ok: false, problem: 'the policy is not a JSON object' };
  const d = doc as Record<string, unknown>;
  for (const k of Object.keys(d)) if (!POLICY_KEYS.has(k)) return { ok: false, problem: `unknown policy element "${k}"` };
  const version = d.Version;
  if (version !== undefined && version !== '2012-10-17' && version !== '2008-10-17') {
    return { ok: false, problem: `unknown policy Version ${showValue(version)}` };
  }
  // IAM substitutes policy variables only under the 2012-10-17 language version.
  const variables = version === '2012-10-17';
  const raw = d.Statement;
  if (raw === undefined) return { ok: false, problem: 'the policy has no Statement' };
  const list = Array.isArray(raw) ? raw : [raw];
  const statements: Statement[] = [];
  for (let i = 0; i < list.length; i++) {
    const s = parseStatement(list[i], i, variables);
    if (typeof s === 'string') return { ok: false, problem: `${statementName(list[i], i)}: ${s}` };
    statements.push(s);
  }
  return { ok: true, policy: { version: version as string | undefined, statements } };
}

/** How a problem names a statement: by index, and by its Sid when it has one (as the console shows it). */
function statementName(raw: unknown, index: number): string {
  const sid = raw !== null && typeof raw === 'object' ? (raw as Record<string, unknown>).Sid : undefined;
  return typeof sid === 'string' && sid !== '' ? `Statement[${index}] ("${sid}")` : `Statement[${index}]`;
}

function parseStatement(raw: unknown, index: number, variables: boolean): Statement | string {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return 'a statement must be a JSON object';
  const s = raw as Record<string, unknown>;
  for (const k of Object.keys(s)) if (!STATEMENT_KEYS.has(k)) return `unknown statement element "${k}"`;
  // Absent, it is named as such: showValue has nothing to show, and the message said `not undefined`.
  if (s.Effect === undefined) return 'needs an Effect, "Allow" or "Deny"';
  if (s.Effect !== 'Allow' && s.Effect !== 'Deny') return `Effect must be "Allow" or "Deny", not ${showValue(s.Effect)}`;
  if (s.Sid !== undefined && typeof s.Sid !== 'string') return 'Sid must be a string';
  const out: Statement = { index, sid: s.Sid as string | undefined, effect: s.Effect, resourceText: [], conditions: [] };

  const principalChoice = exactlyOne(s, 'Principal', 'NotPrincipal');
  if ('problem' in principalChoice) return principalChoice.problem;
  const pair = principalChoice.key;
  const principals = parsePrincipal(s[pair]);
  if (typeof principals === 'string') return `${pair}: ${principals}`;
  if (pair === 'Principal') out.principal = principals;
  else out.notPrincipal = principals;

  const actionChoice = exactlyOne(s, 'Action', 'NotAction');
  if ('problem' in actionChoice) return actionChoice.problem;
  const actionKey = actionChoice.key;
  const actions = stringList(s[actionKey], actionKey);
  if (typeof actions === 'string') return actions;
  const compiledActions: Matcher[] = [];
  for (const a of actions) {
    if (a !== '*' && !/^[^:\s]+:[^:\s]+$/.test(a)) return `${actionKey} "${a}" is not "*" or "service:action"`;
    compiledActions.push(compileMatcher(a.toLowerCase(), { wildcards: true, variables: false }));
  }
  if (actionKey === 'Action') out.actions = compiledActions;
  else out.notActions = compiledActions;

  const resourceChoice = exactlyOne(s, 'Resource', 'NotResource');
  if ('problem' in resourceChoice) return resourceChoice.problem;
  const resourceKey = resourceChoice.key;
  const resources = stringList(s[resourceKey], resourceKey);
  if (typeof resources === 'string') return resources;
  const compiledResources: ResourcePattern[] = [];
  for (const r of resources) {
    const c = parseResource(r, variables);
    if (typeof c === 'string') return `${resourceKey} "${r}" ${c}`;
    compiledResources.push(c);
  }
  if (resourceKey === 'Resource') out.resources = compiledResources;
  else out.notResources = compiledResources;
  out.resourceText = resources;
  if (variables) {
    const names: string[] = [];
    for (const c of compiledResources) if (c.kind === 'parts') for (const part of c.parts) collectVariables(part, names);
    if (names.length > 0) out.resourceVariables = names;
  }

  if (s.Condition !== undefined) {
    if (typeof s.Condition !== 'object' || s.Condition === null || Array.isArray(s.Condition)) return 'Condition must be a JSON object';
    for (const [operator, block] of Object.entries(s.Condition as Record<string, unknown>)) {
      const c = compileOperator(operator, block, variables);
      if (typeof c === 'string') return `Condition: ${c}`;
      out.conditions.push(...c);
    }
  }
  return out;
}

/** Which of two mutually exclusive elements a statement uses; a problem when not exactly one. */
function exactlyOne<A extends string, B extends string>(s: Record<string, unknown>, a: A, b: B): { key: A | B } | { problem: string } {
  const hasA = s[a] !== undefined;
  const hasB = s[b] !== undefined;
  if (hasA && hasB) return { problem: `a statement cannot have both ${a} and ${b}` };
  if (!hasA && !hasB) return { problem: `a statement of a resource policy needs ${a} or ${b}` };
  return { key: hasA ? a : b };
}

function stringList(v: unknown, what: string): string[] | string {
  const list = Array.isArray(v) ? v : [v];
  if (list.length === 0) return `${what} is empty`;
  for (const x of list) if (typeof x !== 'string' || x === '') return `${what} must be a string or a list of strings`;
  return list as string[];
}

function parsePrincipal(v: unknown): PrincipalSet | string {
  if (v === '*') return { everyone: true, aws: NONE, service: NONE, other: NONE };
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return 'must be "*" or an object such as {"Service": ...}';
  let everyone = false;
  const aws: string[] = [];
  const service: string[] = [];
  const other: string[] = [];
  for (const [type, value] of Object.entries(v as Record<string, unknown>)) {
    const list = stringList(value, type);
    if (typeof list === 'string') return list;
    if (type === 'AWS') {
      for (const p of list) {
        if (p === '*') everyone = true;
        else if (/^\d{12}$/.test(p) || /^arn:[^:]+:(iam|sts)::\d{12}:.+$/.test(p)) aws.push(p);
        // The unique id of a deleted user or role: AWS shows it in place of the ARN it can no
        // longer map back to. It names no principal that can still make a request.
        else if (/^A(IDA|ROA)[A-Z0-9]{12,}$/.test(p)) other.push(p);
        else return `"${p}" is not an account id or an IAM ARN (nor the unique id of a deleted user or role)`;
      }
    } else if (type === 'Service') service.push(...list);
    else if (type === 'Federated' || type === 'CanonicalUser') other.push(...list);
    else return `unknown principal type "${type}"`;
  }
  // Shared empty lists keep the many compiled policies of a large inventory small.
  return { everyone, aws: aws.length ? aws : NONE, service: service.length ? service : NONE, other: other.length ? other : NONE };
}

/** A resource's compiled pattern, or what is wrong with it, as a predicate (`is not ...`). */
function parseResource(r: string, variables: boolean): ResourcePattern | string {
  if (r === '*') return { kind: 'all' };
  if (!r.startsWith('arn:')) return 'is not "*" or an ARN';
  const m = compileMatcher(r, { wildcards: true, variables });
  // A string test equals the part-by-part one when there is no wildcard, or when the only one
  // is a trailing `*` that sits in the resource part (after the fifth colon).
  if (m.kind === 'exact' && colons(m.text) >= 5) return { kind: 'exact', text: m.text };
  if (m.kind === 'prefix' && colons(m.text) >= 5) return { kind: 'prefix', text: m.text };
  const parts = splitArnPieces(parsePattern(r, { wildcards: true, variables }));
  if (parts.length === 6) return { kind: 'parts', parts };
  // A short ARN with a wildcard covers everything its missing parts could hold; without one it
  // names nothing a request can carry.
  if (!hasWildcards(parts.flat())) return { kind: 'none' };
  while (parts.length < 6) parts.push([STAR]);
  return { kind: 'parts', parts };
}

function colons(text: string): number {
  let n = 0;
  for (let i = text.indexOf(':'); i !== -1 && n < 5; i = text.indexOf(':', i + 1)) n++;
  return n;
}
