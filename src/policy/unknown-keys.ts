/**
 * Judging a policy for a request that carries condition keys whose values the inventory cannot
 * give: the KMS key ARN behind an alias it does not resolve, the time when it has no
 * collectedAt, a KMS key's metadata that DescribeKey did not give, or what no read gives at all
 * (kms:ViaService, kms:CallerAccount for a service principal, the key's tags and aliases).
 * Each statement that conditions on such a key, or names it as a policy variable (`${key}` in a
 * condition's values or in Resource/NotResource), is taken both ways, so a decision stands only
 * when every value would give it. A variable in a condition on a key the request does not carry
 * is no unknown: the operator alone decides that condition, whatever the variable's value.
 */
import { evaluate, type Decision, type PolicyRequest } from './evaluate.ts';
import { conditionHolds, type Condition } from './conditions.ts';
import { matcherMatches, STAR, type Piece } from './match.ts';
import type { Policy, ResourcePattern, Statement } from './parse.ts';
import { contextOf, hangOf, type Hang } from './hangs.ts';

/**
 * The policy as the most and the least the unknown values could make it allow: in `most`, an
 * Allow that depends on the keys applies as widely as they could make it (its conditions on them
 * hold) and a Deny as narrowly (one that conditions on them never applies); in `least` the other
 * way round. Statements keep their index, so messages name them as written.
 */
export interface Bounds {
  most: Policy;
  least: Policy;
  /** The policy as written, to say which of its statements the decision hangs on. */
  policy: Policy;
  /** Whether a condition key (lower-cased) is one of the unknown keys. */
  unknown: (keyLower: string) => boolean;
  /** Whether a `Null` condition on the key (lower-cased) is decided, as for a key AWS always sends. */
  nullDecided: (keyLower: string) => boolean;
}

/** What `keyBounds` may be told beyond the keys AWS always sends. */
export interface BoundsOptions {
  /**
   * Unknown keys that AWS may not send at all (kms:ViaService, kms:CallerAccount, tags): a `Null`
   * condition on them is bounded both ways, like any other. A name ending in `/` stands for
   * every key under it (`aws:ResourceTag/`).
   */
  mayBeAbsent?: readonly string[];
  /**
   * The actions the caller will judge: a statement that applies to none of them cannot make a
   * difference, so its conditions alone do not call for bounds (the common key policy's
   * kms:CallerAccount on kms:Decrypt, say). Every action when not given.
   */
  actions?: readonly string[];
}

/**
 * The bounds of `policy` over the unknown `keys`; undefined when no statement (that may apply to
 * `options.actions`) depends on any of them. Each of `keys` is one AWS always sends, only its
 * value is unknown: a `Null` condition on it is decided as for a present key (`Null: false`
 * holds, `Null: true` never does), not bounded. Those of `options.mayBeAbsent` may be missing
 * too, so every condition on them, `Null` included, is taken both ways. A statement depends on a
 * key when it conditions on it, or when a condition's values or its Resource/NotResource name it
 * as a policy variable: an unknown key's variable has an unknown value as much as the key does
 * (IAM reads it "as no value" only when the request does not carry the key). Such a variable in
 * a condition on a known key matters only for requests that carry that key (boundVariables).
 */
export function keyBounds(policy: Policy, keys: readonly string[], options: BoundsOptions = {}): Bounds | undefined {
  // Every trail that delivers to one bucket asks for the same bounds of its one parsed policy:
  // built once, not once per trail (thousands of trails on a policy of thousands of statements
  // took seconds here alone).
  const id = `${keys.join(' ')}|${options.mayBeAbsent?.join(' ') ?? ''}|${options.actions?.join(' ') ?? '*'}`;
  let known = boundsOf.get(policy);
  if (known === undefined) boundsOf.set(policy, (known = new Map()));
  if (known.has(id)) return known.get(id);
  const bounds = buildBounds(policy, keys, options);
  known.set(id, bounds);
  return bounds;
}

/** The bounds already built, by policy and by what they were asked with (keyBounds). */
const boundsOf = new WeakMap<Policy, Map<string, Bounds | undefined>>();

function buildBounds(policy: Policy, keys: readonly string[], options: BoundsOptions): Bounds | undefined {
  const present = new Set(keys.map((k) => k.toLowerCase()));
  const absent = new Set<string>();
  const absentPrefixes: string[] = [];
  for (const k of options.mayBeAbsent ?? []) {
    if (k.endsWith('/')) absentPrefixes.push(k.toLowerCase());
    else absent.add(k.toLowerCase());
  }
  const mayBeAbsent = (k: string): boolean => absent.has(k) || absentPrefixes.some((p) => k.startsWith(p));
  const unknown = (k: string): boolean => present.has(k) || mayBeAbsent(k);
  const nullDecided = (k: string): boolean => present.has(k) && !mayBeAbsent(k);
  const actions = options.actions?.map((a) => a.toLowerCase());
  const relevant = (s: Statement): boolean => actions === undefined || actions.some((a) => mayApplyTo(s, a));
  const on = (s: Statement): boolean => s.conditions.some((c) => unknown(c.keyLower) || unknownVariable(c, unknown)) || (s.resourceVariables?.some(unknown) ?? false);
  if (!policy.statements.some((s) => relevant(s) && on(s))) return undefined;
  const statements = policy.statements.flatMap((s) => {
    const nulls = s.conditions.filter((c) => nullDecided(c.keyLower) && c.spec.family === 'Null');
    if (nulls.length === 0) return [s];
    // A statement whose Null condition wants the key absent never applies.
    if (!nulls.every(holdsForPresentKey)) return [];
    return [{ ...s, conditions: s.conditions.filter((c) => !nulls.includes(c)) }];
  });
  const widest = (s: Statement): Statement[] => [widestOf(s, unknown)];
  const narrowest = (s: Statement): Statement[] => narrowestOf(s, unknown);
  const most = statements.flatMap((s) => (!on(s) ? [s] : s.effect === 'Allow' ? widest(s) : narrowest(s)));
  const least = statements.flatMap((s) => (!on(s) ? [s] : s.effect === 'Deny' ? widest(s) : narrowest(s)));
  return { most: { ...policy, statements: most }, least: { ...policy, statements: least }, policy, unknown, nullDecided };
}

/** Whether a condition's values name an unknown key as a policy variable. */
function unknownVariable(c: Condition, unknown: (keyLower: string) => boolean): boolean {
  return c.variables !== undefined && c.variables.some(unknown);
}

/**
 * The statement as the unknown values could make it apply most widely: its conditions on them
 * hold (one that only names one as a variable, when the request carries its own key: see
 * boundVariables), a Resource entry's variable of one matches anything (a `*`), and a
 * NotResource entry that names one excludes nothing.
 */
function widestOf(s: Statement, unknown: (keyLower: string) => boolean): Statement {
  const conditions = boundVariables(s.conditions.filter((c) => !unknown(c.keyLower)), unknown, true);
  if (!s.resourceVariables?.some(unknown)) return { ...s, conditions };
  if (s.resources) return { ...s, conditions, resources: s.resources.map((r) => starred(r, unknown)) };
  return { ...s, conditions, notResources: s.notResources!.filter((r) => !namesUnknown(r, unknown)) };
}

/**
 * The statement as the unknown values could make it apply most narrowly, or none when they
 * could keep it from applying at all: a condition on them may not hold, a Resource entry that
 * names one may match nothing, and a NotResource entry's variable may match anything.
 */
function narrowestOf(s: Statement, unknown: (keyLower: string) => boolean): Statement[] {
  if (s.conditions.some((c) => unknown(c.keyLower))) return [];
  const conditions = boundVariables(s.conditions, unknown, false);
  if (s.notResources) return [{ ...s, conditions, notResources: s.notResources.map((r) => starred(r, unknown)) }];
  const resources = s.resources!.filter((r) => !namesUnknown(r, unknown));
  return resources.length === 0 ? [] : [{ ...s, conditions, resources }];
}

/**
 * The conditions with each one that names an unknown key as a variable (its own key known)
 * made to give `holds` when the request carries its own key, where the variable's value would
 * decide it. When the request does not carry that key, the operator alone decides whatever the
 * variable's value, as IAM does (`StringNotEqualsIfExists` on aws:PrincipalOrgID, which a
 * service principal's request lacks, holds), so the condition is kept and judged as written.
 */
function boundVariables(conditions: Condition[], unknown: (keyLower: string) => boolean, holds: boolean): Condition[] {
  if (!conditions.some((c) => unknownVariable(c, unknown))) return conditions;
  return conditions.map((c) => (unknownVariable(c, unknown) ? { ...c, whenKeyPresent: holds } : c));
}

/** Whether a Resource/NotResource entry names an unknown key as a policy variable. */
function namesUnknown(r: ResourcePattern, unknown: (keyLower: string) => boolean): boolean {
  return r.kind === 'parts' && r.parts.some((part) => part.some((p) => typeof p === 'object' && unknown(p.key)));
}

/** The entry with each variable of an unknown key made a `*`: every value it could have, and no more, within its part of the ARN. */
function starred(r: ResourcePattern, unknown: (keyLower: string) => boolean): ResourcePattern {
  if (!namesUnknown(r, unknown)) return r;
  const parts = (r as Extract<ResourcePattern, { kind: 'parts' }>).parts.map((part) => part.map((p): Piece => (typeof p === 'object' && unknown(p.key) ? STAR : p)));
  return { kind: 'parts', parts };
}

/** Whether a statement's Action or NotAction lets it apply to `action` (lower-cased); a pattern with a variable may. */
function mayApplyTo(s: Statement, action: string): boolean {
  const none = (): undefined => undefined;
  if (s.actions) return s.actions.some((m) => matcherMatches(m, action, none) !== false);
  if (s.notActions) return !s.notActions.some((m) => matcherMatches(m, action, none) === true);
  return true;
}

/** Whether a `Null` condition holds for a key the request carries (conditions.ts: it tests absence against each value). */
function holdsForPresentKey(c: Condition): boolean {
  return c.values.some((v) => v.kind === 'bool' && !v.b);
}

/**
 * A decision `bounded` makes. A request that no statement allows, whatever the values, may be
 * denied outright too, by a Deny that depends on them: a fix that only adds an Allow would not
 * be enough then, so such a refusal names those Denies.
 */
export interface BoundedDecision extends Decision {
  /** For an implicit deny: each Deny that applies for some values, and what it depends on. */
  mayDeny?: Hang[];
}

/** The decision that holds for every value of the unknown keys, or undefined when they differ. */
export function bounded(bounds: Bounds, request: PolicyRequest): BoundedDecision | undefined {
  // With every statement that applies, as the callers name them all (in an order-free way).
  const most = evaluate(bounds.most, request, true);
  if (most.decision === 'implicit-deny') return withMayDeny(bounds, request, most);
  if (most.decision !== 'allow') return most;
  const least = evaluate(bounds.least, request, true);
  return least.decision === 'allow' ? least : undefined;
}

/** `most`, an implicit deny, with the Denies that apply where the values suit them. Refusals only pay for it. */
function withMayDeny(bounds: Bounds, request: PolicyRequest, most: Decision): BoundedDecision {
  const least = evaluate(bounds.least, request, true);
  const ctx = contextOf(request);
  const mayDeny = least.denies!.flatMap((ref) => hangOf(bounds, ref, ctx) ?? []);
  return mayDeny.length > 0 ? { ...most, mayDeny } : most;
}

/** `, and the Deny in statement "S" may apply too, depending on k`, for a refusal that names such Denies; empty otherwise. */
export function mayAlsoDeny(d: BoundedDecision): string {
  if (d.mayDeny === undefined) return '';
  const named = d.mayDeny.map((h) => `the Deny in statement ${h.statement} may apply too, depending on ${h.keys.map((k) => (h.variables?.includes(k) ? `\${${k}}` : k)).join(' and ')}`);
  return `, and ${named.join(', and ')}`;
}

/**
 * `policy` with each statement's conditions on `key`, taken together, settled where every one
 * of `values` decides them alike: when together they hold for all of the values they are
 * dropped, and when they hold for none the statement never applies. A statement whose
 * conditions on `key` tell the values apart keeps them, and they are bounded as unknown. S3's TLS version is 1.2 or 1.3 (AWS refuses older ones): a Deny below 1.2, AWS's
 * recommended hardening, cannot apply to CloudTrail, while a Deny below 1.3 may.
 */
export function settleWithin(policy: Policy, key: string, values: readonly string[]): Policy {
  // One parsed policy per bucket, settled alike for each of its trails: once, and the same object
  // each time, so that keyBounds finds the bounds it built for it.
  const id = `${key}|${values.join(' ')}`;
  let known = settledOf.get(policy);
  if (known === undefined) settledOf.set(policy, (known = new Map()));
  let settled = known.get(id);
  if (settled === undefined) known.set(id, (settled = settle(policy, key, values)));
  return settled;
}

/** The policies already settled, by policy and by key and values (settleWithin). */
const settledOf = new WeakMap<Policy, Map<string, Policy>>();

function settle(policy: Policy, key: string, values: readonly string[]): Policy {
  const k = key.toLowerCase();
  if (!policy.statements.some((s) => s.conditions.some((c) => c.keyLower === k && c.spec.family !== 'Null'))) return policy;
  const none = (): undefined => undefined;
  const statements = policy.statements.flatMap((s) => {
    // A statement's conditions on the key together: `> 1.2` and `< 1.3` each tell the values
    // apart, but both at once hold for none of them.
    const on = s.conditions.filter((c) => c.keyLower === k && c.spec.family !== 'Null');
    if (on.length === 0) return [s];
    const answers = values.map((v) => on.every((c) => conditionHolds(c, new Map([[k, v]]), none)));
    if (answers.every((a) => a)) return [{ ...s, conditions: s.conditions.filter((c) => !on.includes(c)) }];
    if (answers.every((a) => !a)) return [];
    return [s];
  });
  return { ...policy, statements };
}
