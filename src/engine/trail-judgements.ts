/**
 * A region or account rule's judgement of one trail (its quantifier's `where` and check, each
 * true, false or unknown), made once per trail where it would be made again, and what such
 * judgements leave open: whether a trail leaves the verdict undecided, and the reads to blame.
 */
import { evalCheck, type CompiledCheck, type Tri } from '../rules/check.ts';
import type { Assertion, CompiledRule } from '../rules/compiled.ts';
import { sameRead } from './reads.ts';
import type { FailedRead } from './result.ts';
import type { AccountSubject, RegionSubject, TrailSubject } from './subjects.ts';

export interface Judged {
  trail: TrailSubject;
  where: Tri;
  check: Tri;
  reason?: string;
  /** The check condition that was false, for the rule's own words (`message.reasons`). */
  conjunct?: string;
  /** The reads that left `where` or the check unknown: both, when both are. */
  failedReads?: FailedRead[];
}

function judgeItem(t: TrailSubject, where: CompiledCheck | undefined, check: CompiledCheck | undefined): Judged {
  if (where) {
    const w = evalCheck(where, t);
    if (w.value === false) return { trail: t, where: false, check: false, reason: w.reason };
    if (w.value === 'unknown') {
      // Kleene: an unknown `where` with a check that settles the trail's part ("some": its check
      // is false; "every": true) leaves the verdict decided, so the check is judged too.
      const c = check ? evalCheck(check, t) : undefined;
      const failedReads = c?.value === 'unknown' ? [...w.failedReads!, ...c.failedReads!] : w.failedReads;
      // The check's reason and condition, when it is false: a "some" that fails says why such a
      // trail does not qualify anyway. (An unknown `where` gives no reason of its own.)
      return { trail: t, where: 'unknown', check: c ? c.value : 'unknown', reason: c?.reason ?? w.reason, conjunct: c?.conjunct, failedReads };
    }
  }
  if (!check) return { trail: t, where: true, check: true };
  const c = evalCheck(check, t);
  return { trail: t, where: true, check: c.value, reason: c.reason, conjunct: c.conjunct, failedReads: c.failedReads };
}

/** How a collection rule judges a trail in an account: judgeItem, or the same judgement made before. */
export type Judgements = (t: TrailSubject, accountId: string) => Judged;

/**
 * A collection rule's judgements of trails, each made once where it would be made again. A
 * trail's part in the rule depends on the trail alone, and a region rule meets each trail once per
 * region of its account (17 by default), an account rule an organization trail once per member
 * account. An account's own trails are forgotten when the rule moves to the next account (regions
 * and accounts come account by account): kept for the whole rule, the judgements of a large
 * organization's trails outlived the young generation and raised the scan's peak memory. The
 * views of organization trails, met again in every member account, are kept. Judgements are never
 * changed once made, so results may share them.
 */
export function judgements(rule: CompiledRule): Judgements {
  // (A check or builtin assertion is refused by judgeCollection before any trail is judged.)
  const a = rule.assertion;
  const where = a.kind === 'check' || a.kind === 'builtin' ? undefined : a.where;
  const check = a.kind === 'some' || a.kind === 'every' || a.kind === 'none' ? a.check : undefined;
  const foreign = new Map<TrailSubject, Judged>();
  let own = new Map<TrailSubject, Judged>();
  let account: string | undefined;
  return (t, accountId) => {
    if (accountId !== account) {
      account = accountId;
      if (own.size > 0) own = new Map();
    }
    const known = t.facts.owned ? own : foreign;
    let j = known.get(t);
    if (j === undefined) known.set(t, (j = judgeItem(t, where, check)));
    return j;
  };
}

/** The reads that left a collection's verdict unknown: the trail list first, then each trail's. */
export function failedReadsOf(s: RegionSubject | AccountSubject, judged: readonly Judged[], kind: Quantifier): FailedRead[] {
  const reads: FailedRead[] = [];
  if (!s.listState.ok) reads.push(s.listState.failed);
  for (const j of judged) {
    if (undecided(j, kind) && j.failedReads) reads.push(...j.failedReads);
  }
  return dedupe(reads);
}

export type Quantifier = Exclude<Assertion['kind'], 'check' | 'builtin'>;

/**
 * Whether one trail leaves an aggregate open. Its part is `where AND check` ("some", "none") or
 * `where AND NOT check` ("every": a counterexample), so an unknown `where` matters only when
 * the check does not already make that part false; a counted trail matters by its `where` alone.
 */
export function undecided(j: Judged, kind: Quantifier): boolean {
  if (j.where === true) return j.check === 'unknown';
  if (j.where === false) return false;
  if (kind === 'count') return true;
  return j.check !== (kind === 'every');
}

function dedupe(reads: FailedRead[]): FailedRead[] {
  return reads.filter((r, i) => reads.findIndex((x) => sameRead(x, r)) === i);
}
