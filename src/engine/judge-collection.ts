/**
 * Judging regions and accounts (collections): a region or account rule's verdict on each one,
 * chosen by the rule's own `where` and decided by its quantifier over the trails that apply,
 * and the errors for the regions and accounts whose trail lists were not read.
 */
import { evalCheck } from '../rules/check.ts';
import type { Assertion, CompiledRule } from '../rules/compiled.ts';
import { conditionTemplate } from '../rules/template.ts';
import { errorResult, render, result } from './messages.ts';
import { judgeCount, judgeEveryOrNone, judgeSome, unknownVerdict, type Collection } from './quantifiers.ts';
import { READ_OK } from './reads.ts';
import type { Result } from './result.ts';
import type { AccountSubject, Model, RegionSubject } from './subjects.ts';
import { undecided, type Judged, type Judgements } from './trail-judgements.ts';

/** A region or account rule's verdict on one region or account: skipped by its where, else its quantifier's. */
export function judgeCollection(rule: CompiledRule, s: RegionSubject | AccountSubject, judge: Judgements): Result {
  const a = rule.assertion;
  if (a.kind === 'check' || a.kind === 'builtin') throw new Error(`rule ${rule.meta.id}: a ${s.kind} rule cannot use ${a.kind}`);
  if (rule.where) {
    // The rule's own `where` chooses regions or accounts (by accountId and region); the loader allows no other path.
    const chosen = { accountId: s.accountId, region: s.kind === 'region' ? s.region : undefined, read: () => READ_OK };
    const w = evalCheck(rule.where, chosen);
    if (w.value === false) return result(rule, s.subject, s.anchor, 'skipped', `not applicable: ${render(conditionTemplate(rule.message?.skipped, w.conjunct), rule, chosen, w.reason!)}`);
  }
  const where = s.kind === 'region' ? `account ${s.accountId} in ${s.region}` : `account ${s.accountId}`;
  const judged: Judged[] = [];
  let uncertain = !s.listState.ok;
  for (const t of s.trails) {
    const j = judge(t, s.accountId);
    if (undecided(j, a.kind)) uncertain = true;
    judged.push(j);
  }
  const c: Collection = { rule, s, judged, uncertain, where, context: { accountId: s.accountId, region: s.kind === 'region' ? s.region : undefined } };
  let r: Result;
  if (a.kind === 'some') r = judgeSome(c, a);
  else if (a.kind === 'every' || a.kind === 'none') r = judgeEveryOrNone(c, a);
  else if (a.kind === 'count') r = judgeCount(c, a);
  else throw new Error(`rule ${rule.meta.id}: unexpected assertion ${(a as Assertion).kind}`);
  // An account whose entry lists no region is an input problem, not a pass (architecture.md):
  // the trails it shows may qualify, but nothing says they are all it has, nor that they were
  // read at all. A fail stands, as the trails it shows already break the rule.
  if (r.status === 'pass' && s.kind === 'account' && s.regions.length === 0) return unknownVerdict(c, a.kind);
  return r;
}

/**
 * A region rule cannot judge regions it cannot see either: an account whose trail list is
 * incomplete in no region it lists (its entry lists no region, it is known only from a failed
 * AssumeRole, or DescribeTrails failed in a region it does not list) gets an `error` for the
 * account, as a trail rule does, never no result at all. A rule-level `where` that leaves the
 * account out by its id still leaves it out. Its region conditions cannot when which regions the
 * account has is unknown, but can when every unseen region is named (a failure recorded for a
 * region the entry leaves out): they judge each such region as they judge a listed one.
 */
export function unseenRegions(rule: CompiledRule, model: Model): Result[] {
  const out: Result[] = [];
  const where = rule.where;
  const chooses = (accountId: string, region: string | undefined): boolean => {
    if (where === undefined) return true;
    const subject = { accountId, region, read: () => READ_OK };
    return evalCheck(where, subject).value !== false;
  };
  // An account already has an error for a listed region whose list failed, where the rule judges
  // that region; one the where leaves out (`skipped`) says nothing of the regions unseen.
  const covered = new Set<string>();
  for (const r of model.regions) if (!r.listState.ok && chooses(r.accountId, r.region)) covered.add(r.accountId);
  const byAccount = where ? { conjuncts: where.conjuncts.filter((c) => c.path[0] !== 'region') } : undefined;
  for (const a of model.accounts) {
    if (a.listState.ok || covered.has(a.accountId)) continue;
    const chosen = { accountId: a.accountId, read: () => READ_OK };
    if (byAccount && evalCheck(byAccount, chosen).value === false) continue;
    let failed = [a.listState.failed];
    // An entry that lists its regions leaves unseen only those its failures name: the where judges
    // them as it judges a listed region, and only those it chooses (or cannot place) leave the rule
    // unjudged. An entry that lists none leaves every region unseen, whatever the where chooses.
    if (a.unlistedRegionFailures) {
      failed = a.unlistedRegionFailures.filter((f) => f.region === undefined || chooses(a.accountId, f.region));
      if (failed.length === 0) continue;
    }
    out.push(errorResult(rule, a.subject, a.anchor, failed.slice(0, 1), `the regions of account ${a.accountId}`));
  }
  return out;
}
