/**
 * Evaluating a resource policy for one request: a statement applies when its principal,
 * action, resource and every condition match; an applying Deny wins over any Allow; with
 * neither, the request is implicitly denied. Pure and allocation-light: it runs for every
 * trail of a large inventory.
 */
import { conditionHolds, type Context, type ContextValue } from './conditions.ts';
import { arnPartsMatch, matcherMatches, splitArn, type VariableLookup } from './match.ts';
import type { Policy, PrincipalSet, ResourcePattern, Statement } from './parse.ts';

/** Who makes the request: a service principal, or an AWS principal (account id or IAM ARN). */
export interface RequestPrincipal {
  Service?: string;
  AWS?: string;
}

/** One request to authorise against a resource policy. */
export interface PolicyRequest {
  principal: RequestPrincipal;
  /** `service:Action`, e.g. `s3:PutObject`. */
  action: string;
  /** The resource ARN. */
  resource: string;
  /**
   * The request context; key names are case-insensitive. Booleans and numbers are compared as
   * IAM writes them. A caller that evaluates many requests may pass the result of
   * `requestContext()` instead, which is built once.
   */
  context: Record<string, string | string[] | boolean | number> | Context;
}

/** A statement named for messages: its Sid when it has one, else its position. */
export interface StatementRef {
  index: number;
  sid?: string;
}

/**
 * The verdict on one request. Where several statements apply, the one named is the first in
 * naming order (see byName), not in the document: IAM gives statement order no meaning, so the
 * same policy with its statements reordered must read the same.
 */
export interface Decision {
  decision: 'allow' | 'deny' | 'implicit-deny';
  /** The Allow statement that applies, first in naming order (present even when a Deny wins). */
  statement?: StatementRef;
  /** The Deny statement that applies, first in naming order. */
  denyStatement?: StatementRef;
  /** With `every`: each Allow statement that applies, in naming order. */
  allows?: StatementRef[];
  /** With `every`: each Deny statement that applies, in naming order. */
  denies?: StatementRef[];
}

/**
 * Evaluates a parsed policy for one request. With `every`, every statement is checked, and the
 * Decision lists all that apply; without, the first of each effect that applies is enough.
 */
export function evaluate(policy: Policy, request: PolicyRequest, every = false): Decision {
  const r = new Prepared(request);
  let allow: StatementRef | undefined;
  let deny: StatementRef | undefined;
  const allows: StatementRef[] | undefined = every ? [] : undefined;
  const denies: StatementRef[] | undefined = every ? [] : undefined;
  for (const s of inNamingOrder(policy.statements)) {
    if (!every && (s.effect === 'Allow' ? allow !== undefined : deny !== undefined)) continue;
    if (!statementApplies(s, r)) continue;
    const ref: StatementRef = s.sid !== undefined ? { index: s.index, sid: s.sid } : { index: s.index };
    if (s.effect === 'Deny') {
      deny ??= ref;
      denies?.push(ref);
    } else {
      allow ??= ref;
      allows?.push(ref);
    }
  }
  const out: Decision = { decision: deny ? 'deny' : allow ? 'allow' : 'implicit-deny' };
  if (allow) out.statement = allow;
  if (deny) out.denyStatement = deny;
  if (allows && denies) {
    out.allows = allows;
    out.denies = denies;
  }
  return out;
}

/**
 * The order statements are named in when several apply. Those with a Sid come first, by Sid
 * (compared by UTF-16 code units, as JavaScript compares strings: no locale can change it),
 * then those without, by position. A Sid is the author's name for a statement and moves with
 * it, so it names the same statement however the policy is ordered; `Statement[i]` names only a
 * place, so those come after the named ones, in the order of their places. Two statements with
 * one Sid stay in document order.
 */
export function byName(a: StatementRef, b: StatementRef): number {
  const sa = a.sid !== undefined && a.sid !== '' ? a.sid : undefined;
  const sb = b.sid !== undefined && b.sid !== '' ? b.sid : undefined;
  if (sa !== undefined && sb !== undefined && sa !== sb) return sa < sb ? -1 : 1;
  if (sa !== undefined && sb === undefined) return -1;
  if (sa === undefined && sb !== undefined) return 1;
  return a.index - b.index;
}

const namingOrder = new WeakMap<readonly Statement[], readonly Statement[]>();

/** A policy's statements in naming order, sorted once per statement list. */
function inNamingOrder(statements: readonly Statement[]): readonly Statement[] {
  let sorted = namingOrder.get(statements);
  if (sorted === undefined) {
    sorted = [...statements].sort(byName);
    namingOrder.set(statements, sorted);
  }
  return sorted;
}

/** A request with what matching needs, each piece computed only when first asked for. */
class Prepared {
  readonly action: string;
  private ctx?: Context;
  private parts?: string[] | null;
  readonly lookup: VariableLookup = (key) => {
    const v = this.context().get(key);
    return typeof v === 'string' ? v : undefined;
  };

  constructor(readonly request: PolicyRequest) {
    this.action = request.action.toLowerCase();
  }

  context(): Context {
    const c = this.request.context;
    return (this.ctx ??= c instanceof Map ? c : requestContext(c as Record<string, string | string[] | boolean | number>));
  }

  arnParts(): string[] | undefined {
    if (this.parts === undefined) this.parts = splitArn(this.request.resource) ?? null;
    return this.parts ?? undefined;
  }
}

/** Names a statement the way messages quote it: `"MySid"` or `Statement[2]`. */
export function describeStatement(ref: StatementRef): string {
  return ref.sid !== undefined && ref.sid !== '' ? `"${ref.sid}"` : `Statement[${ref.index}]`;
}

/**
 * Names the statements that apply, in naming order, for a message: the first, and how many
 * more there are (`"AllowCloudTrail" (and 2 more)`). The evidence lists them all.
 */
export function describeStatements(refs: readonly StatementRef[]): string {
  const first = refs[0];
  if (first === undefined) throw new Error('describeStatements needs at least one statement');
  const more = refs.length - 1;
  return more > 0 ? `${describeStatement(first)} (and ${more} more)` : describeStatement(first);
}

/**
 * A request context in the form the evaluator reads: lower-cased keys, string values. With
 * `base`, the context is `base` with these keys added (or replaced in place), as an object
 * spread `{ ...base, ...context }` would give, without lower-casing base's keys again.
 */
export function requestContext(context: Record<string, string | string[] | boolean | number>, base?: Context): Context {
  const m = base === undefined ? new Map<string, ContextValue>() : copyContext(base);
  addToContext(m, context);
  return m;
}

/** Adds the keys of `context` to `m` (or replaces them in place) in the evaluator's form, lower-cased with string values. */
export function addToContext(m: Map<string, ContextValue>, context: Readonly<Record<string, string | string[] | boolean | number>>): void {
  for (const k of Object.keys(context)) {
    const v = context[k];
    m.set(lowerKey(k), Array.isArray(v) ? v.map(String) : String(v));
  }
}

/**
 * A copy of a context, to add keys to. Not `new Map(base)`: the constructor goes through the
 * iterator protocol, an entry array per key, and copying with forEach is about a quarter faster;
 * a context is copied for every log path of every trail with a key.
 */
export function copyContext(base: Context): Map<string, ContextValue> {
  const m = new Map<string, ContextValue>();
  base.forEach((v, k) => m.set(k, v));
  return m;
}

/**
 * Condition keys lower-cased, kept: the same few dozen keys (aws:SourceArn...) are lower-cased for
 * every request context of every trail, each time a new string. Bounded, since a caller could
 * pass any key.
 */
function lowerKey(key: string): string {
  let lower = lowerKeys.get(key);
  if (lower === undefined) {
    lower = key.toLowerCase();
    if (lowerKeys.size < 1000) lowerKeys.set(key, lower);
  }
  return lower;
}

const lowerKeys = new Map<string, string>();

function statementApplies(s: Statement, r: Prepared): boolean {
  const principal = r.request.principal;
  if (s.principal && !principalMatches(s.principal, principal, true)) return false;
  if (s.notPrincipal && principalMatches(s.notPrincipal, principal, false)) return false;
  if (s.actions && !s.actions.some((a) => matcherMatches(a, r.action, r.lookup) === true)) return false;
  if (s.notActions && s.notActions.some((a) => matcherMatches(a, r.action, r.lookup) === true)) return false;
  if (s.resources && !s.resources.some((p) => resourceMatches(p, r))) return false;
  if (s.notResources && s.notResources.some((p) => resourceMatches(p, r))) return false;
  if (s.conditions.length === 0) return true;
  const ctx = r.context();
  for (const c of s.conditions) if (!conditionHolds(c, ctx, r.lookup)) return false;
  return true;
}

/**
 * Whether a request's resource matches one Resource (or NotResource) entry. An entry whose
 * variable has no value matches nothing: the Resource does not apply, and the NotResource
 * does, as IAM documents for variables without a value.
 */
function resourceMatches(p: ResourcePattern, r: Prepared): boolean {
  switch (p.kind) {
    case 'all':
      return true;
    case 'exact':
      return r.request.resource === p.text;
    case 'prefix':
      return r.request.resource.startsWith(p.text);
    case 'none':
      return false;
    case 'parts': {
      const parts = r.arnParts();
      return parts !== undefined && arnPartsMatch(p.parts, parts, r.lookup) === true;
    }
  }
}

/**
 * Whether a request principal is among those a Principal (or NotPrincipal) element names. In a
 * Principal, an account (id or root ARN) stands for every identity in it; in a NotPrincipal it
 * names only the account itself, so a role of that account is not exempted, as IAM documents.
 */
function principalMatches(set: PrincipalSet, p: RequestPrincipal, accountWide: boolean): boolean {
  if (set.everyone) return true;
  if (p.Service !== undefined && set.service.includes(p.Service)) return true;
  if (p.AWS === undefined) return false;
  const requestAccount = accountOf(p.AWS);
  for (const a of set.aws) {
    if (a === p.AWS) return true;
    const account = accountOf(a);
    if (account === undefined || account !== requestAccount) continue;
    const isAccount = /^\d{12}$/.test(a) || a.endsWith(':root');
    const requestIsAccount = /^\d{12}$/.test(p.AWS) || p.AWS.endsWith(':root');
    if (isAccount && (accountWide || requestIsAccount)) return true;
  }
  return false;
}

function accountOf(principal: string): string | undefined {
  if (/^\d{12}$/.test(principal)) return principal;
  const parts = principal.split(':');
  const account = parts[4];
  return parts.length >= 6 && account !== undefined && /^\d{12}$/.test(account) ? account : undefined;
}
