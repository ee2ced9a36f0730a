/**
 * Judging a policy for a request that carries condition keys whose values the inventory cannot
 * give: the KMS key ARN behind an alias it does not resolve, or the time when it has no
 * collectedAt. AWS sends a value; trailgate does not know which. Each statement that conditions
 * on such a key's value is taken both ways, so a decision stands only when every value would give it.
 */
import { describeStatement, evaluate, type Decision, type PolicyRequest } from './evaluate.ts';
import type { Condition } from './conditions.ts';
import type { Policy, Statement } from './parse.ts';

/**
 * The policy as the most and the least the unknown values could make it allow: in `most`, an
 * Allow's conditions on the keys hold and a Deny that conditions on them never applies; in
 * `least` the other way round. Statements keep their index, so messages name them as written.
 */
export interface Bounds {
  most: Policy;
  least: Policy;
  /** The policy as written, to say which of its statements the decision hangs on. */
  policy: Policy;
  /** The unknown keys, lower-cased. */
  keys: ReadonlySet<string>;
}

/**
 * The bounds of `policy` over the unknown `keys`; undefined when no statement conditions on any of
 * them. Each key is one AWS always sends, only its value is unknown: a `Null` condition on it is
 * decided as for a present key (`Null: false` holds, `Null: true` never does), not bounded.
 */
export function keyBounds(policy: Policy, keys: readonly string[]): Bounds | undefined {
  const unknown = new Set(keys.map((k) => k.toLowerCase()));
  if (unknown.size === 0 || !policy.statements.some((s) => s.conditions.some((c) => unknown.has(c.keyLower)))) return undefined;
  const statements = policy.statements.flatMap((s) => {
    const nulls = s.conditions.filter((c) => unknown.has(c.keyLower) && c.spec.family === 'Null');
    if (nulls.length === 0) return [s];
    // A statement whose Null condition wants the key absent never applies.
    if (!nulls.every(holdsForPresentKey)) return [];
    return [{ ...s, conditions: s.conditions.filter((c) => !nulls.includes(c)) }];
  });
  const on = (s: Statement) => s.conditions.some((c) => unknown.has(c.keyLower));
  const holding = (s: Statement): Statement => ({ ...s, conditions: s.conditions.filter((c) => !unknown.has(c.keyLower)) });
  const most = statements.flatMap((s) => (!on(s) ? [s] : s.effect === 'Allow' ? [holding(s)] : []));
  const least = statements.flatMap((s) => (!on(s) ? [s] : s.effect === 'Deny' ? [holding(s)] : []));
  return { most: { ...policy, statements: most }, least: { ...policy, statements: least }, policy, keys: unknown };
}

/** Whether a `Null` condition holds for a key the request carries (conditions.ts: it tests absence against each value). */
function holdsForPresentKey(c: Condition): boolean {
  return c.values.some((v) => v.kind === 'bool' && !v.b);
}

/** The decision that holds for every value of the unknown keys, or undefined when they differ. */
export function bounded(bounds: Bounds, request: PolicyRequest): Decision | undefined {
  // With every statement that applies, as the callers name them all (in an order-free way).
  const most = evaluate(bounds.most, request, true);
  if (most.decision !== 'allow') return most;
  const least = evaluate(bounds.least, request, true);
  return least.decision === 'allow' ? least : undefined;
}

/** A statement a decision hangs on, and the unknown keys it conditions on (as the policy writes them). */
export interface Hang {
  statement: string;
  keys: string[];
}

/**
 * For a request `bounded` cannot decide, the statements that make the difference: the Allow
 * that applies when the unknown values suit it, and the Deny that applies when they do not.
 * Only statements that condition on an unknown key can: the others are the same in both bounds.
 */
export function hangsOn(bounds: Bounds, request: PolicyRequest): Hang[] {
  const most = evaluate(bounds.most, request);
  const least = evaluate(bounds.least, request);
  const out: Hang[] = [];
  for (const ref of [most.statement, least.denyStatement]) {
    if (ref === undefined) continue;
    const s = bounds.policy.statements.find((x) => x.index === ref.index)!;
    // A Null condition is decided, not bounded (keyBounds): it makes no difference between the two.
    const keys = [...new Set(s.conditions.filter((c) => bounds.keys.has(c.keyLower) && c.spec.family !== 'Null').map((c) => c.key))];
    if (keys.length > 0) out.push({ statement: describeStatement(ref), keys });
  }
  return out;
}
