/**
 * The engine: `evaluate(rules, inventory) -> Result[]`. Pure and deterministic: no I/O, no
 * clock. Trail rules judge each TrailARN once; region and account rules quantify over the
 * trails that apply, with Kleene logic so that an unreadable datum never passes or fails.
 */
import type { Inventory } from '../inventory/types.ts';
import { evalCheck, subjectValueAt, valueAt, type CompiledCheck, type Tri } from '../rules/check.ts';
import { showValue } from '../input/show-value.ts';
import type { Assertion, CompiledRule } from '../rules/compiled.ts';
import { compileTemplate, conditionTemplate, SHELL_SAFE } from '../rules/template.ts';
import { describeFailedRead, READ_OK, sameRead } from './reads.ts';
import type { FailedRead, Result, Subject } from './result.ts';
import { buildModel, type AccountSubject, type Anchor, type Model, type RegionSubject, type TrailSubject } from './subjects.ts';
import { trailName } from './trail-subject.ts';

/** Evaluates every rule against the inventory. Results come in rule order, then subject order. */
export function evaluate(rules: readonly CompiledRule[], inventory: Inventory): Result[] {
  const model = buildModel(inventory);
  const byTrail = judgeTrails(rules, model.trails);
  const results: Result[] = [];
  for (const [i, rule] of rules.entries()) {
    if (rule.meta.scope === 'trail') {
      for (const r of byTrail[i]) results.push(r);
      results.push(...unseenTrails(rule, model));
    } else {
      const judged = judgements(rule);
      if (rule.meta.scope === 'region') {
        for (const r of model.regions) results.push(judgeCollection(rule, r, judged));
        // A region nobody looked at speaks only when the trails it shows already break the rule.
        for (const r of model.unlistedRegions) {
          const result = judgeCollection(rule, r, judged);
          if (result.status === 'fail') results.push(result);
        }
        results.push(...unseenRegions(rule, model));
      } else for (const a of model.accounts) results.push(judgeCollection(rule, a, judged));
    }
  }
  return results;
}

/**
 * Each trail rule's results, in trail order, by the rule's index (empty for other rules). Judged
 * trail by trail, every rule in turn, rather than rule by rule: a trail's reads, bucket, key and
 * parsed policies are then still in the CPU's caches for its next rule, where a pass of each rule
 * over 60,000 trails found them evicted. Judging is pure, so the order changes no result;
 * evaluate puts them back in rule order.
 */
function judgeTrails(rules: readonly CompiledRule[], trails: readonly TrailSubject[]): Result[][] {
  const lists = rules.map((): Result[] => []);
  const trailRules = [...rules.keys()].filter((i) => rules[i].meta.scope === 'trail');
  for (const t of trails) for (const i of trailRules) lists[i].push(judgeTrail(rules[i], t));
  return lists;
}

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
    out.push(errorResult(rule, r.subject, r.anchor, [r.listState.failed], `the trails of account ${r.accountId} in ${r.region}`));
  }
  for (const a of model.accounts) {
    if (a.listState.ok || covered.has(a.accountId)) continue;
    out.push(errorResult(rule, a.subject, a.anchor, [a.listState.failed], `the trails of account ${a.accountId}`));
  }
  return out;
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
function unseenRegions(rule: CompiledRule, model: Model): Result[] {
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

/** A result; one literal shape, so the hundreds of thousands an organization yields stay cheap. */
function result(rule: CompiledRule, subject: Subject, anchor: Anchor, status: Result['status'], message: string): Result {
  return { ruleId: rule.meta.id, severity: rule.meta.severity, subject, anchor, status, message: flat(message) };
}

/**
 * The message as one flat string. Built from template pieces, a message is a tree of string
 * fragments in V8 until something reads it character by character; kept as a tree for the
 * whole run, 500,000 messages hold about twice their size and cost the garbage collector time.
 * Reading a character makes V8 flatten the string in place (its fragments become garbage at
 * once, while still young); the value is unchanged.
 */
function flat(s: string): string {
  s.charCodeAt(0);
  return s;
}

/** Failed reads an error message names; the rest are counted (the JSON report's failedReads has them all). */
const SHOWN_READS = 3;

function errorResult(rule: CompiledRule, subject: Subject, anchor: Anchor, failed: FailedRead[], what: string): Result {
  // An account of many unreadable trails would otherwise give a message of thousands of
  // characters, one sentence per read, on every account rule.
  const shown = failed.slice(0, SHOWN_READS).map(describeFailedRead).join('; ');
  const rest = failed.length - SHOWN_READS;
  const more = rest > 0 ? `; and ${rest} more failed ${rest === 1 ? 'read' : 'reads'} (the JSON report's failedReads lists each)` : '';
  const r = result(rule, subject, anchor, 'error', `cannot judge ${what}: ${shown}${more}`);
  r.failedReads = failed;
  return r;
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

/**
 * Fills the rule's remediation command with the subject's values, when it names any. A command
 * chosen by what failed (the check's condition, or a built-in's kinds of failure) is attached
 * even without placeholders: the rule's help cannot say which of its commands fits this failure.
 */
function withRemediation(r: Result, rule: CompiledRule, subject: object, conjunct?: string, failures?: readonly string[]): Result {
  const commands = rule.meta.remediation.cli;
  const cli = typeof commands === 'object' && failures !== undefined ? failureCommand(commands, failures) : conditionTemplate(commands, conjunct);
  if (cli !== undefined && (typeof commands !== 'string' || compileTemplate(cli).some((part) => typeof part !== 'string'))) r.remediation = flat(render(cli, rule, subject, '', true));
  return r;
}

/**
 * The command for a built-in's failures: each kind's command, in the verdict's order, joined
 * with `&&` (a bucket that is Requester Pays and refused by its policy needs both fixes), once
 * each. None when some kind has no command: half of a fix would pass for the whole of it.
 */
function failureCommand(commands: Readonly<Record<string, string>>, failures: readonly string[]): string | undefined {
  const chosen: string[] = [];
  for (const f of failures) {
    // Own keys only: a kind never reaches Object.prototype's names.
    if (!Object.hasOwn(commands, f)) return undefined;
    if (!chosen.includes(commands[f])) chosen.push(commands[f]);
  }
  return chosen.length > 0 ? chosen.join(' && ') : undefined;
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

interface Judged {
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
      return { trail: t, where: 'unknown', check: c ? c.value : 'unknown', reason: w.reason, failedReads };
    }
  }
  if (!check) return { trail: t, where: true, check: true };
  const c = evalCheck(check, t);
  return { trail: t, where: true, check: c.value, reason: c.reason, conjunct: c.conjunct, failedReads: c.failedReads };
}

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

/** How a collection rule judges a trail in an account: judgeItem, or the same judgement made before. */
type Judgements = (t: TrailSubject, accountId: string) => Judged;

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
function judgements(rule: CompiledRule): Judgements {
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

/** One region or account judged by a collection rule: its trails' judgements, and what its verdicts say. */
interface Collection {
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
type SomeEveryNone = Extract<Assertion, { kind: 'some' | 'every' | 'none' }>;
/** A count of trails, with its bounds. */
type Count = Extract<Assertion, { kind: 'count' }>;

/** A region or account rule's verdict on one region or account: skipped by its where, else its quantifier's. */
function judgeCollection(rule: CompiledRule, s: RegionSubject | AccountSubject, judge: Judgements): Result {
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
function unknownVerdict(c: Collection, kind: Quantifier): Result {
  return errorResult(c.rule, c.s.subject, c.s.anchor, failedReadsOf(c.s, c.judged, kind), c.where);
}

/** "some": passes on the first trail that applies and qualifies; fails, naming why the others do not, when no trail is left open. */
function judgeSome(c: Collection, a: SomeEveryNone): Result {
  const { judged, where } = c;
  const good = judged.find((j) => j.where === true && j.check === true);
  if (good) return verdict(c, 'pass', `trail ${trailName(good.trail)} qualifies`, { trail: good.trail.Trail.TrailARN });
  if (c.uncertain) return unknownVerdict(c, a.kind);
  const considered = judged.filter((j) => j.where === true);
  // With the quantifier's own `where`, the trails it leaves out apply all the same: say that
  // none (or only these) meet it, not that no trail applies.
  const chosen = a.where === undefined ? '' : ' and meets the where of "some"';
  const chosenPlural = a.where === undefined ? '' : ' and meet the where of "some"';
  return verdict(
    c,
    'fail',
    considered.length === 0
      ? a.where === undefined || judged.length === 0
        ? `no trail applies to ${where}`
        : `no trail that applies to ${where} meets the where of "some" (${judged.length === 1 ? 'the one trail that applies does not' : `${judged.length} trails apply`})`
      : considered.length === 1
        ? `the only trail that applies to ${where}${chosen} does not qualify: ${listing(considered, true, c.rule)}`
        : `none of the ${considered.length} trails that apply to ${where}${chosenPlural} qualifies: ${listing(considered, true, c.rule)}`,
  );
}

/** "every" / "none": fails on the trails that do not qualify / that match; passes when no trail is left open. */
function judgeEveryOrNone(c: Collection, a: SomeEveryNone): Result {
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
function judgeCount(c: Collection, a: Count): Result {
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

/** The reads that left a collection's verdict unknown: the trail list first, then each trail's. */
function failedReadsOf(s: RegionSubject | AccountSubject, judged: readonly Judged[], kind: Quantifier): FailedRead[] {
  const reads: FailedRead[] = [];
  if (!s.listState.ok) reads.push(s.listState.failed);
  for (const j of judged) {
    if (undecided(j, kind) && j.failedReads) reads.push(...j.failedReads);
  }
  return dedupe(reads);
}

type Quantifier = Exclude<Assertion['kind'], 'check' | 'builtin'>;

/**
 * Whether one trail leaves an aggregate open. Its part is `where AND check` ("some", "none") or
 * `where AND NOT check` ("every": a counterexample), so an unknown `where` matters only when
 * the check does not already make that part false; a counted trail matters by its `where` alone.
 */
function undecided(j: Judged, kind: Quantifier): boolean {
  if (j.where === true) return j.check === 'unknown';
  if (j.where === false) return false;
  if (kind === 'count') return true;
  return j.check !== (kind === 'every');
}

function dedupe(reads: FailedRead[]): FailedRead[] {
  return reads.filter((r, i) => reads.findIndex((x) => sameRead(x, r)) === i);
}


/**
 * A trail's name when the inventory leaves Trail.Name out (DescribeTrails always gives it; a
 * hand-written inventory need not): the name is the end of its TrailARN, `...:trail/NAME`.
 */
/** A subject's value for a placeholder; a trail without a name (none, or `""` by hand) goes by its ARN's. */
function subjectText(subject: object, path: readonly string[]): unknown {
  const v = subjectValueAt(subject, path);
  return v === undefined || v === '' ? (nameFromArn(subject, path) ?? v) : v;
}

function nameFromArn(subject: object, path: readonly string[]): string | undefined {
  if (path.length !== 2 || path[0] !== 'Trail' || path[1] !== 'Name') return undefined;
  const arn = (subject as Partial<TrailSubject>).Trail?.TrailARN;
  const at = arn?.indexOf(':trail/') ?? -1;
  return at < 0 ? undefined : arn!.slice(at + ':trail/'.length);
}

/**
 * Fills a message template: `{Trail.Name}` from the subject, `{param.max}` from the rule's
 * parameters, `{reason}` with the default message. An unknown placeholder stays as written.
 * For a `command`, a value that is absent or not shell-safe is left for the user to fill in, as
 * `<Trail.Name>`, so the command can be copied and run without surprises.
 */
function render(template: string | undefined, rule: CompiledRule, subject: object, reason: string, command = false): string {
  if (template === undefined) return reason;
  let out = '';
  for (const part of compileTemplate(template)) {
    if (typeof part === 'string') {
      out += part;
      continue;
    }
    const path = part.path;
    const v = path[0] === 'param' ? valueAt(rule.params, path.slice(1)) : path[0] === 'reason' && path.length === 1 ? reason : subjectText(subject, path);
    const text = v === undefined ? undefined : typeof v === 'string' ? v : showValue(v);
    // A command never keeps `{Trail.KmsKeyId}`: it is left as the blank the rule's help shows.
    if (text === undefined) out += part.fallback ?? (command ? `<${path.join('.')}>` : part.written);
    else if (command && !SHELL_SAFE.test(text)) out += `<${path.join('.')}>`;
    else out += text;
  }
  return out;
}
