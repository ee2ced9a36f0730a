/**
 * Judging trails: a trail rule's verdict on each TrailARN (its `where`, then its check or
 * built-in), and the errors for the trails it cannot see because a trail list was not read.
 */
import { evalCheck } from '../rules/check.ts';
import type { CompiledRule } from '../rules/compiled.ts';
import { conditionTemplate } from '../rules/template.ts';
import { errorResult, render, result, withRemediation } from './messages.ts';
import type { FailedRead, Result } from './result.ts';
import type { Model, TrailSubject } from './subjects.ts';
import { trailName } from './trail-subject.ts';

/**
 * Each rule with its results, in trail order (none for rules of other scopes), in rule order. Judged
 * trail by trail, every rule in turn, rather than rule by rule: a trail's reads, bucket, key and
 * parsed policies are then still in the CPU's caches for its next rule, where a pass of each rule
 * over 60,000 trails found them evicted. Judging is pure, so the order changes no result;
 * evaluate puts them back in rule order.
 */
export function judgeTrails(rules: readonly CompiledRule[], trails: readonly TrailSubject[]): { rule: CompiledRule; results: Result[] }[] {
  const judged = rules.map((rule) => ({ rule, results: [] as Result[] }));
  const trailRules = judged.filter((j) => j.rule.meta.scope === 'trail');
  for (const t of trails) for (const j of trailRules) j.results.push(judgeTrail(j.rule, t));
  return judged;
}

/**
 * A trail rule cannot judge trails it cannot see: where an account's trail list could not be
 * read (a region's DescribeTrails failed, or the whole account), it says so with an `error`
 * for that region or account, so the gap is never a silent pass.
 */
export function unseenTrails(rule: CompiledRule, model: Model): Result[] {
  const out: Result[] = [];
  const covered = new Set<string>();
  for (const r of model.regions) {
    if (r.listState.ok) continue;
    covered.add(r.accountId);
    out.push(errorResult(rule, r.subject, r.anchor, [r.listState.failed], `the trails of account ${r.accountId} in ${r.region}`));
  }
  for (const a of model.accounts) {
    if (a.listState.ok || covered.has(a.accountId)) continue;
    out.push(errorResult(rule, a.subject, a.anchor, [a.listState.failed], `the trails of account ${a.accountId}`));
  }
  return out;
}

function judgeTrail(rule: CompiledRule, t: TrailSubject): Result {
  const subject = t.subject;
  if (rule.where) {
    const w = evalCheck(rule.where, t);
    if (w.value === 'unknown') return errorResult(rule, subject, t.anchor, w.failedReads!, trailWhat(t));
    if (w.value === false) return result(rule, subject, t.anchor, 'skipped', `not applicable: ${render(conditionTemplate(rule.message?.skipped, w.conjunct), rule, t, w.reason!)}`);
  }
  const a = rule.assertion;
  if (a.kind === 'builtin') {
    const v = a.builtin.judge(t, rule.params);
    const r = result(rule, subject, t.anchor, v.status, v.message);
    if (v.evidence) r.evidence = v.evidence;
    if (v.failedReads) r.failedReads = v.failedReads;
    if (v.status === 'fail') withRemediation(r, rule, t, undefined, v.failures);
    return r;
  }
  if (a.kind !== 'check') throw new Error(`rule ${rule.meta.id}: a trail rule cannot use ${a.kind}`);
  const out = evalCheck(a.check, t);
  if (out.value === false) return withRemediation(result(rule, subject, t.anchor, 'fail', render(conditionTemplate(rule.message?.fail, out.conjunct), rule, t, out.reason!)), rule, t, out.conjunct);
  const missing = out.value === 'unknown' ? out.failedReads! : unavailable(rule.reads, t);
  if (missing.length > 0) return errorResult(rule, subject, t.anchor, missing, trailWhat(t));
  return result(rule, subject, t.anchor, 'pass', render(rule.message?.pass, rule, t, rule.meta.title));
}

function trailWhat(t: TrailSubject): string {
  return `trail ${trailName(t)}`;
}

/** Declared reads that are not usable for this trail. */
function unavailable(reads: readonly string[], t: TrailSubject): FailedRead[] {
  const out: FailedRead[] = [];
  for (const r of reads) {
    const s = t.read(r);
    if (!s.ok) out.push(s.failed);
  }
  return out;
}
