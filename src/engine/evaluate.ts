/**
 * The engine: `evaluate(rules, inventory) -> Result[]`. Pure and deterministic: no I/O, no
 * clock. Trail rules judge each TrailARN once; region and account rules quantify over the
 * trails that apply, with Kleene logic so that an unreadable datum never passes or fails.
 */
import type { Inventory } from '../inventory/types.ts';
import { evalCheck, show, valueAt, type CompiledCheck, type Tri } from '../rules/check.ts';
import type { CompiledRule } from '../rules/compiled.ts';
import { describeFailedRead } from './reads.ts';
import type { FailedRead, Result, Subject } from './result.ts';
import { buildModel, type AccountSubject, type Model, type RegionSubject, type TrailSubject } from './subjects.ts';

/** Evaluates every rule against the inventory. Results come in rule order, then subject order. */
export function evaluate(rules: readonly CompiledRule[], inventory: Inventory): Result[] {
  const model = buildModel(inventory);
  const results: Result[] = [];
  for (const rule of rules) {
    if (rule.meta.scope === 'trail') {
      for (const t of model.trails) results.push(judgeTrail(rule, t));
      results.push(...unseenTrails(rule, model));
    } else if (rule.meta.scope === 'region') for (const r of model.regions) results.push(judgeCollection(rule, r));
    else for (const a of model.accounts) results.push(judgeCollection(rule, a));
  }
  return results;
}

export type { Model };

/**
 * A trail rule cannot judge trails it cannot see: where an account's trail list could not be
 * read (a region's DescribeTrails failed, or the whole account), it says so with an `error`
 * for that region or account, so the gap is never a silent pass.
 */
function unseenTrails(rule: CompiledRule, model: Model): Result[] {
  const out: Result[] = [];
  const covered = new Set<string>();
  for (const r of model.regions) {
    if (r.listState.ok) continue;
    covered.add(r.accountId);
    out.push(errorResult(rule, { kind: 'region', accountId: r.accountId, region: r.region }, r.anchor, [r.listState.failed], `the trails of account ${r.accountId} in ${r.region}`));
  }
  for (const a of model.accounts) {
    if (a.listState.ok || covered.has(a.accountId)) continue;
    out.push(errorResult(rule, { kind: 'account', accountId: a.accountId }, a.anchor, [a.listState.failed], `the trails of account ${a.accountId}`));
  }
  return out;
}

function trailSubjectOf(t: TrailSubject): Subject {
  return { kind: 'trail', accountId: t.accountId, region: t.region, arn: t.Trail.TrailARN, name: t.Trail.Name };
}

function base(rule: CompiledRule, subject: Subject, anchor: { accountId: string; pointer: string }) {
  return { ruleId: rule.meta.id, severity: rule.meta.severity, subject, anchor };
}

function errorResult(rule: CompiledRule, subject: Subject, anchor: Result['anchor'] & object, failed: FailedRead[], what: string): Result {
  return {
    ...base(rule, subject, anchor),
    status: 'error',
    message: `cannot judge ${what}: ${failed.map(describeFailedRead).join('; ')}`,
    failedReads: failed,
  };
}

function judgeTrail(rule: CompiledRule, t: TrailSubject): Result {
  const subject = trailSubjectOf(t);
  const what = `trail ${t.Trail.Name ?? t.Trail.TrailARN}`;
  if (rule.where) {
    const w = evalCheck(rule.where, t);
    if (w.value === 'unknown') return errorResult(rule, subject, t.anchor, [w.failedRead!], what);
    if (w.value === false) return { ...base(rule, subject, t.anchor), status: 'skipped', message: `not applicable: ${w.reason}` };
  }
  const a = rule.assertion;
  if (a.kind === 'builtin') {
    const v = a.builtin.judge(t, rule.params);
    const r: Result = { ...base(rule, subject, t.anchor), status: v.status, message: v.message };
    if (v.evidence) r.evidence = v.evidence;
    if (v.failedReads) r.failedReads = v.failedReads;
    return r;
  }
  if (a.kind !== 'check') throw new Error(`rule ${rule.meta.id}: a trail rule cannot use ${a.kind}`);
  const out = evalCheck(a.check, t);
  if (out.value === false) return { ...base(rule, subject, t.anchor), status: 'fail', message: render(rule.message?.fail, rule, t, out.reason!) };
  const missing = out.value === 'unknown' ? [out.failedRead!] : unavailable(rule.reads, t);
  if (missing.length > 0) return errorResult(rule, subject, t.anchor, missing, what);
  return { ...base(rule, subject, t.anchor), status: 'pass', message: render(rule.message?.pass, rule, t, rule.meta.title) };
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

interface Judged {
  trail: TrailSubject;
  where: Tri;
  check: Tri;
  reason?: string;
  failedRead?: FailedRead;
}

function judgeItem(t: TrailSubject, where: CompiledCheck | undefined, check: CompiledCheck | undefined): Judged {
  if (where) {
    const w = evalCheck(where, t);
    if (w.value !== true) return { trail: t, where: w.value, check: false, reason: w.reason, failedRead: w.failedRead };
  }
  if (!check) return { trail: t, where: true, check: true };
  const c = evalCheck(check, t);
  return { trail: t, where: true, check: c.value, reason: c.reason, failedRead: c.failedRead };
}

const SHOWN = 5;

function nameOf(t: TrailSubject): string {
  return t.Trail.Name ?? t.Trail.TrailARN;
}

function listing(items: Judged[], withReason: boolean): string {
  const shown = items.slice(0, SHOWN).map((j) => (withReason && j.reason ? `${nameOf(j.trail)} (${j.reason})` : nameOf(j.trail)));
  return shown.join('; ') + (items.length > SHOWN ? `; and ${items.length - SHOWN} more` : '');
}

function judgeCollection(rule: CompiledRule, s: RegionSubject | AccountSubject): Result {
  const subject: Subject = s.kind === 'region' ? { kind: 'region', accountId: s.accountId, region: s.region } : { kind: 'account', accountId: s.accountId };
  const where = s.kind === 'region' ? `account ${s.accountId} in ${s.region}` : `account ${s.accountId}`;
  const a = rule.assertion;
  const judged = s.trails.map((t) =>
    a.kind === 'count' ? judgeItem(t, a.where, undefined) : a.kind === 'some' || a.kind === 'every' || a.kind === 'none' ? judgeItem(t, a.where, a.check) : undefined,
  ) as Judged[];
  if (a.kind === 'check' || a.kind === 'builtin') throw new Error(`rule ${rule.meta.id}: a ${s.kind} rule cannot use ${a.kind}`);
  const incomplete = s.listState.ok ? undefined : s.listState.failed;
  const unknowns = judged.filter((j) => j.where === 'unknown' || (j.where === true && j.check === 'unknown'));
  const failedReads = (): FailedRead[] => {
    const reads = unknowns.map((j) => j.failedRead!).filter(Boolean);
    if (incomplete) reads.unshift(incomplete);
    return dedupe(reads);
  };
  const ctx = { accountId: s.accountId, region: s.kind === 'region' ? s.region : undefined };
  const fail = (reason: string, evidence?: Record<string, unknown>): Result => ({
    ...base(rule, subject, s.anchor),
    status: 'fail',
    message: render(rule.message?.fail, rule, { ...ctx, ...evidence }, reason),
    ...(evidence ? { evidence } : {}),
  });
  const pass = (reason: string, evidence?: Record<string, unknown>): Result => ({
    ...base(rule, subject, s.anchor),
    status: 'pass',
    message: render(rule.message?.pass, rule, { ...ctx, ...evidence }, reason),
    ...(evidence ? { evidence } : {}),
  });
  const uncertain = incomplete !== undefined || unknowns.length > 0;

  if (a.kind === 'some') {
    const good = judged.find((j) => j.where === true && j.check === true);
    if (good) return pass(`trail ${nameOf(good.trail)} qualifies`, { trail: good.trail.Trail.TrailARN });
    if (uncertain) return errorResult(rule, subject, s.anchor, failedReads(), where);
    const considered = judged.filter((j) => j.where === true);
    return fail(
      considered.length === 0
        ? `no trail applies to ${where}`
        : `none of the ${considered.length} trail${considered.length === 1 ? '' : 's'} that apply to ${where} qualifies: ${listing(considered, true)}`,
    );
  }
  if (a.kind === 'every' || a.kind === 'none') {
    const want = a.kind === 'every' ? false : true;
    const bad = judged.filter((j) => j.where === true && j.check === want);
    if (bad.length > 0) {
      const verb = a.kind === 'every' ? 'does not qualify' : 'must not match';
      return fail(`${bad.length} trail${bad.length === 1 ? '' : 's'} ${verb}: ${listing(bad, a.kind === 'every')}`, { trails: bad.map((j) => j.trail.Trail.TrailARN) });
    }
    if (uncertain) return errorResult(rule, subject, s.anchor, failedReads(), where);
    const n = judged.filter((j) => j.where === true).length;
    return pass(a.kind === 'every' ? `all ${n} trail${n === 1 ? '' : 's'} qualify` : `no trail matches`);
  }
  if (a.kind !== 'count') throw new Error(`rule ${rule.meta.id}: unexpected assertion ${a.kind}`);
  const counted = judged.filter((j) => j.where === true);
  const n = counted.length;
  const evidence = { count: n, trails: counted.map((j) => j.trail.Trail.TrailARN) };
  const names = n > 0 ? `: ${listing(counted, false)}` : '';
  if (a.max !== undefined && n > a.max) return fail(`${n} trails count in ${where}; at most ${a.max} allowed${names}`, evidence);
  if (a.min !== undefined && n < a.min && !uncertain) return fail(`${n} trails count in ${where}; at least ${a.min} required${names}`, evidence);
  if (uncertain) return errorResult(rule, subject, s.anchor, failedReads(), where);
  return pass(`${n} trail${n === 1 ? '' : 's'} count in ${where}${a.max !== undefined ? ` (at most ${a.max})` : ''}`, evidence);
}

function dedupe(reads: FailedRead[]): FailedRead[] {
  const seen = new Set<string>();
  return reads.filter((r) => {
    const k = `${r.operation}\u0000${r.resource ?? ''}\u0000${r.region ?? ''}\u0000${r.code}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

const PLACEHOLDER = /\{([A-Za-z][A-Za-z0-9]*(?:\.[A-Za-z0-9]+)*)\}/g;

/**
 * Fills a message template: `{Trail.Name}` from the subject, `{param.max}` from the rule's
 * parameters, `{reason}` with the default message. An unknown placeholder stays as written.
 */
function render(template: string | undefined, rule: CompiledRule, subject: object, reason: string): string {
  if (template === undefined) return reason;
  const own: Record<string, unknown> = { param: rule.params, reason };
  return template.replace(PLACEHOLDER, (whole, path: string) => {
    const segments = path.split('.');
    const v = segments[0] in own ? valueAt(own, segments) : valueAt(subject, segments);
    return v === undefined ? whole : typeof v === 'string' ? v : show(v);
  });
}
