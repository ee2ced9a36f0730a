/**
 * Where a policy decision that the inventory cannot settle hangs: the statements whose
 * conditions (or policy variables) on unknown keys make the difference between allow and deny,
 * and the words that name them in a result's message.
 */
import { describeStatement, evaluate, requestContext, type PolicyRequest, type StatementRef } from './evaluate.ts';
import type { Context } from './conditions.ts';
import { writtenVariables } from './match.ts';
import type { Statement } from './parse.ts';
import type { Bounds } from './unknown-keys.ts';

/**
 * A statement a decision hangs on, and the unknown keys it depends on: those it conditions on,
 * as the policy writes them, and those it names only as a policy variable (also in `variables`).
 */
export interface Hang {
  statement: string;
  keys: string[];
  variables?: string[];
}

/**
 * For a request `bounded` cannot decide, the statements that make the difference: the Allow
 * that applies when the unknown values suit it, and the Deny that applies when they do not.
 * Only statements that depend on an unknown key can: the others are the same in both bounds.
 */
export function hangsOn(bounds: Bounds, request: PolicyRequest): Hang[] {
  const most = evaluate(bounds.most, request);
  const least = evaluate(bounds.least, request);
  const ctx = contextOf(request);
  return [most.statement, least.denyStatement].flatMap((ref) => (ref === undefined ? [] : (hangOf(bounds, ref, ctx) ?? [])));
}

/** The request's context as the evaluator reads it (lower-cased keys). */
export function contextOf(request: PolicyRequest): Context {
  const c = request.context;
  return c instanceof Map ? c : requestContext(c as Record<string, string | string[] | boolean | number>);
}

/**
 * The unknown keys the statement `ref` depends on in a request with context `ctx`; undefined
 * when it depends on none.
 */
export function hangOf(bounds: Bounds, ref: StatementRef, ctx: Context): Hang | undefined {
  const s = bounds.policy.statements.find((x) => x.index === ref.index)!;
  // A Null condition on a key AWS always sends is decided, not bounded (keyBounds): it makes no difference between the two.
  const conditioned = s.conditions.filter((c) => bounds.unknown(c.keyLower) && !(c.spec.family === 'Null' && bounds.nullDecided(c.keyLower)));
  // Named in one order, whatever order the policy's Condition object lists them in (JSON keys carry none).
  const keys = [...new Set(conditioned.map((c) => c.key))].sort(byLowerCase);
  const lower = new Set(conditioned.map((c) => c.keyLower));
  // A variable in a condition on a key the request does not carry decides nothing (boundVariables).
  const valued = s.conditions.filter((c) => bounds.unknown(c.keyLower) || carries(ctx, c.keyLower));
  const named = [...valued.flatMap((c) => c.variables ?? []), ...(s.resourceVariables ?? [])].filter((k) => bounds.unknown(k) && !lower.has(k));
  const variables = [...new Set(named)].map((k) => writtenIn(s, k)).sort(byLowerCase);
  if (keys.length + variables.length === 0) return undefined;
  return variables.length > 0 ? { statement: describeStatement(ref), keys: [...keys, ...variables], variables } : { statement: describeStatement(ref), keys };
}

/**
 * The key (lower-cased) of a variable the statement uses, as the statement writes it: its
 * condition values and Resource/NotResource keep the text as written, where the compiled
 * variable keeps only the lower-cased key.
 */
function writtenIn(s: Statement, keyLower: string): string {
  for (const text of [...s.conditions.flatMap((c) => (c.variables ? c.texts : [])), ...(s.resourceVariables ? s.resourceText : [])]) {
    const name = writtenVariables(text).find((n) => n.toLowerCase() === keyLower);
    if (name !== undefined) return name;
  }
  return keyLower;
}

function byLowerCase(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  return x < y ? -1 : x > y ? 1 : a < b ? -1 : a > b ? 1 : 0;
}

/** Whether the request carries a key, as conditionHolds reads it: an empty list is no value. */
function carries(ctx: Context, keyLower: string): boolean {
  const v = ctx.get(keyLower);
  return v !== undefined && !(Array.isArray(v) && v.length === 0);
}

/**
 * What follows statementsOn's text about the keys it names: `whose value ... (or whether it
 * sends one)` for one key, `whose values ... (or whether it sends them)` for several.
 */
export function whoseValueIn(hangs: readonly Hang[], of: (keyLower: string) => boolean, atAll = ''): string {
  const keys = new Set(hangs.flatMap((h) => h.keys.filter((k) => of(k.toLowerCase())).map((k) => k.toLowerCase())));
  return keys.size > 1 ? `whose values in CloudTrail's request (or whether it sends them${atAll})` : `whose value in CloudTrail's request (or whether it sends one${atAll})`;
}

/**
 * `statement "S" conditions on k1 and k2, and statement "T" uses ${k3}`, for the keys `of`
 * picks; empty when none.
 */
export function statementsOn(hangs: readonly Hang[], of: (keyLower: string) => boolean): string {
  const out: string[] = [];
  for (const h of hangs) {
    const keys = h.keys.filter((k) => of(k.toLowerCase()));
    if (keys.length === 0) continue;
    const conditioned = keys.filter((k) => !h.variables?.includes(k));
    const used = keys.filter((k) => h.variables?.includes(k));
    const what = [...(conditioned.length > 0 ? [`conditions on ${conditioned.join(' and ')}`] : []), ...(used.length > 0 ? [`uses ${used.map((k) => `\${${k}}`).join(' and ')}`] : [])];
    out.push(`statement ${h.statement} ${what.join(' and ')}`);
  }
  return out.join(', and ');
}
