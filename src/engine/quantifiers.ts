/**
 * The quantifiers over a region's or account's trails: "some", "every", "none" and "count",
 * each judging the trails' judgements into a pass, a fail naming the trails, or an error when
 * unreadable trails could go either way; and the words of those verdicts.
 */
import type { Assertion, CompiledRule } from '../rules/compiled.ts';
import { conditionTemplate } from '../rules/template.ts';
import { errorResult, render, result, withRemediation } from './messages.ts';
import type { Result } from './result.ts';
import type { AccountSubject, RegionSubject, TrailSubject } from './subjects.ts';
import { failedReadsOf, type Judged, type Quantifier } from './trail-judgements.ts';
import { trailName } from './trail-subject.ts';

/** One region or account judged by a collection rule: its trails' judgements, and what its verdicts say. */
export interface Collection {
  rule: CompiledRule;
  s: RegionSubject | AccountSubject;
  judged: Judged[];
  /** The trail list, or some trail, leaves the verdict open. */
  uncertain: boolean;
  /** How messages name it: `account X in REGION`, or `account X`. */
  where: string;
  /** What a template's placeholders are filled from: the account id, and the region of a region subject. */
  context: { accountId: string; region: string | undefined };
}

/** A quantifier over trails, as the rule asserts it. */
export type SomeEveryNone = Extract<Assertion, { kind: 'some' | 'every' | 'none' }>;
/** A count of trails, with its bounds. */
export type Count = Extract<Assertion, { kind: 'count' }>;

/** A collection's pass or fail: the rule's template filled in (else the reason), with the evidence and, on a fail, the command. */
function verdict(c: Collection, status: 'pass' | 'fail', reason: string, evidence?: Record<string, unknown>): Result {
  const { rule, context } = c;
  const template = status === 'pass' ? rule.message?.pass : conditionTemplate(rule.message?.fail, undefined);
  // Without a template the message is the reason: no subject to fill one in from (most of the
  // 170,000 region verdicts of an organization).
  const message = template === undefined ? reason : render(template, rule, evidence ? { ...context, ...evidence } : context, reason);
  const r = result(rule, c.s.subject, c.s.anchor, status, message);
  if (evidence) r.evidence = evidence;
  if (status === 'fail') withRemediation(r, rule, context);
  return r;
}

/** A collection's error: the reads that left its verdict open, the trail list's first. */
export function unknownVerdict(c: Collection, kind: Quantifier): Result {
  return errorResult(c.rule, c.s.subject, c.s.anchor, failedReadsOf(c.s, c.judged, kind), c.where);
}

/** The trails a message names; the rest are counted. */
const SHOWN = 5;

/** The first trails, each with why it does not qualify (in the rule's words when it gives them), and how many more. */
function listing(items: Judged[], withReason: boolean, rule: CompiledRule): string {
  const why = (j: Judged): string => render(conditionTemplate(rule.message?.reasons, j.conjunct), rule, j.trail, j.reason!);
  // Two trails of one name (an organization's `main` and a member's own) are told apart by ARN.
  const names = new Map<string, number>();
  for (const j of items) names.set(trailName(j.trail), (names.get(trailName(j.trail)) ?? 0) + 1);
  const label = (t: TrailSubject): string => (names.get(trailName(t))! > 1 ? t.Trail.TrailARN : trailName(t));
  const shown = items.slice(0, SHOWN).map((j) => (withReason && j.reason ? `${label(j.trail)} (${why(j)})` : label(j.trail)));
  return shown.join('; ') + (items.length > SHOWN ? `; and ${items.length - SHOWN} more` : '');
}

/** "some": passes on the first trail that applies and qualifies; fails, naming why the others do not, when no trail is left open. */
export function judgeSome(c: Collection, a: SomeEveryNone): Result {
  const { judged, where } = c;
  const good = judged.find((j) => j.where === true && j.check === true);
  if (good) return verdict(c, 'pass', `trail ${trailName(good.trail)} qualifies`, { trail: good.trail.Trail.TrailARN });
  if (c.uncertain) return unknownVerdict(c, a.kind);
  const considered = judged.filter((j) => j.where === true);
  // Trails whose `where` could not be read, but whose check is false (else the verdict would be
  // open): they cannot qualify either way, and the message must not say that they do not apply.
  const unsure = judged.filter((j) => j.where === 'unknown');
  const anyway =
    unsure.length === 0
      ? ''
      : `; ${unsure.length === 1 ? 'the one trail' : `the ${unsure.length} trails`} that may meet it (whether ${unsure.length === 1 ? 'it does' : 'they do'} could not be read) ${
          unsure.length === 1 ? 'does' : 'do'
        } not qualify anyway: ${listing(unsure, true, c.rule)}`;
  // With the quantifier's own `where`, the trails it leaves out apply all the same: say that
  // none (or only these) meet it, not that no trail applies.
  // (A trail's `where` is unknown only in a "some" that has one.)
  const chosen = a.where === undefined ? '' : unsure.length > 0 ? ' and is known to meet the where of "some"' : ' and meets the where of "some"';
  const chosenPlural = a.where === undefined ? '' : unsure.length > 0 ? ' and are known to meet the where of "some"' : ' and meet the where of "some"';
  return verdict(
    c,
    'fail',
    (considered.length === 0
      ? a.where === undefined || judged.length === 0
        ? `no trail applies to ${where}`
        : unsure.length > 0
          ? `no trail that applies to ${where} is known to meet the where of "some"`
          : `no trail that applies to ${where} meets the where of "some" (${judged.length === 1 ? 'the one trail that applies does not' : `${judged.length} trails apply`})`
      : considered.length === 1
        ? `the only trail that applies to ${where}${chosen} does not qualify: ${listing(considered, true, c.rule)}`
        : `none of the ${considered.length} trails that apply to ${where}${chosenPlural} qualifies: ${listing(considered, true, c.rule)}`) + anyway,
  );
}

/** "every" / "none": fails on the trails that do not qualify / that match; passes when no trail is left open. */
export function judgeEveryOrNone(c: Collection, a: SomeEveryNone): Result {
  const { judged, where } = c;
  const want = a.kind === 'every' ? false : true;
  const bad = judged.filter((j) => j.where === true && j.check === want);
  if (bad.length > 0) {
    const verb = a.kind === 'every' ? (bad.length === 1 ? 'does not qualify' : 'do not qualify') : `${bad.length === 1 ? 'matches' : 'match'}, and none may`;
    return verdict(c, 'fail', `${bad.length} trail${bad.length === 1 ? '' : 's'} ${verb}: ${listing(bad, a.kind === 'every', c.rule)}`, { trails: bad.map((j) => j.trail.Trail.TrailARN) });
  }
  if (c.uncertain) return unknownVerdict(c, a.kind);
  const n = judged.filter((j) => j.where === true).length;
  // Trails whose `where` could not be read, but whose check decides the same either way: the
  // pass holds, and must not say that they do not apply.
  const unsure = judged.filter((j) => j.where === 'unknown').length;
  const anyway =
    unsure === 0
      ? ''
      : `; ${unsure === 1 ? 'the one trail' : `the ${unsure} trails`} that may apply (whether ${unsure === 1 ? 'it does' : 'they do'} could not be read) ${
          a.kind === 'every' ? (unsure === 1 ? 'qualifies' : 'qualify') : unsure === 1 ? 'does not match' : 'do not match'
        } anyway`;
  // Trails the quantifier's own `where` leaves out still apply: a pass must not say that none does.
  const filtered = a.where !== undefined && judged.length > 0;
  const none =
    unsure !== 0
      ? `no trail is known to apply to ${where}`
      : filtered
        ? `no trail that applies to ${where} meets the where of "${a.kind}", so none fails`
        : `no trail applies to ${where}, so none fails`;
  const all =
    n === 0
      ? none
      : filtered
        ? n === 1
          ? `the one trail that applies and meets the where of "${a.kind}" qualifies`
          : `all ${n} trails that apply and meet the where of "${a.kind}" qualify`
        : n === 1
          ? 'the one trail that applies qualifies'
          : `all ${n} trails that apply qualify`;
  return verdict(c, 'pass', `${a.kind === 'every' ? all : 'no trail matches'}${anyway}`);
}

/** "count": fails when the trails counted are known to break max or min; an error when the unjudged trails could; else passes. */
export function judgeCount(c: Collection, a: Count): Result {
  const { judged, where, s } = c;
  const counted = judged.filter((j) => j.where === true);
  const n = counted.length;
  // The trails counted are evidence of a violation; a pass (most of an organization's regions) keeps just the count.
  const evidence = (): Record<string, unknown> => ({ count: n, trails: counted.map((j) => j.trail.Trail.TrailARN) });
  const names = (): string => (n > 0 ? `: ${listing(counted, false, c.rule)}` : '');
  const howMany = `${n} ${n === 1 ? 'trail counts' : 'trails count'} in ${where}`;
  // The count is known to lie between n and n plus the trails whose `where` is unknown (with no
  // upper end when the trail list itself is unread). A bound that every count in that range
  // meets, or none does, decides the verdict; the one unreadable trail of an account cannot
  // make "at most one" untrue, so it is no reason for an error.
  const upTo = s.listState.ok ? n + judged.filter((j) => j.where === 'unknown').length : Infinity;
  if (a.max !== undefined && n > a.max) return verdict(c, 'fail', `${howMany}, more than the ${a.max} allowed${names()}`, evidence());
  if (a.min !== undefined && upTo < a.min) return verdict(c, 'fail', `${howMany}, fewer than the ${a.min} required${names()}`, evidence());
  if ((a.max !== undefined && upTo > a.max) || (a.min !== undefined && n < a.min)) return unknownVerdict(c, a.kind);
  if (upTo === n) return verdict(c, 'pass', `${howMany}${a.max !== undefined ? ` (at most ${a.max})` : ''}`, { count: n });
  // A pass that holds whichever way the unreadable trails go: say the count is a range, not n.
  const range = upTo === Infinity ? `at least ${n}` : `${n} to ${upTo}`;
  const open = upTo === Infinity ? 'the trail list could not be read' : `${upTo - n} could not be judged`;
  // "at least 1 trail counts", "0 to 2 trails count": the noun follows the number it is read with.
  const counts = upTo === Infinity && n === 1 ? 'trail counts' : 'trails count';
  const reason = `${range} ${counts} in ${where} (${open})${a.max !== undefined ? ` (at most ${a.max})` : ''}`;
  const pass = verdict(c, 'pass', reason, { count: range });
  pass.evidence = upTo === Infinity ? { count: n, listUnread: true } : { count: n, unjudged: upTo - n };
  return pass;
}
