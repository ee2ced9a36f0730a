/**
 * Suppressions and baselines, applied to a run's results after evaluation. Pure: the time
 * comes in as an argument (the CLI passes its one clock), inputs are never mutated.
 */
import { subjectKey, type Result, type Subject } from './result.ts';
import { utcDay } from '../input/timestamp.ts';

/** One accepted finding, as written under `suppressions:` in the config file. */
export interface SuppressionEntry {
  /** A rule id; `*` matches any characters. */
  rule: string;
  /** A TrailARN, an account id or `account/region`; `*` matches any characters. */
  resource: string;
  reason: string;
  owner?: string;
  /** `YYYY-MM-DD` (through that day, UTC) or an ISO 8601 timestamp. */
  expires?: string;
  /** Where the entry is written, for warnings that point at it. */
  source?: { file: string; line: number; column: number };
}

/** What applying suppressions found besides the results: entries past their date, entries that hide nothing. */
export interface SuppressionNotes {
  /**
   * Expired entries: how many violations and errors they match that now count again, how many
   * they match that another, live entry still suppresses, and how many they match that the
   * baseline holds (see `noteBaseline`), which do not count either. `judged`: every rule the entry
   * names ran, so matching nothing means there is nothing to hide (not that nothing was looked for).
   */
  expired: Array<{ entry: SuppressionEntry; matched: number; stillSuppressed: number; inBaseline: number; judged: boolean }>;
  /** Unexpired entries that match no violation or error: the finding is gone, the entry can go too. */
  stale: SuppressionEntry[];
}

/**
 * Which rules a run evaluated (`ran`) and which exist at all (`known`). An entry naming a rule
 * that did not run (left out by --only, --skip, --compliance or --no-builtin-rules) cannot be
 * judged stale: its finding was not looked for. An entry naming no rule that exists still is (a typo).
 */
export interface RuleScope {
  ran: ReadonlySet<string>;
  known: ReadonlySet<string>;
  /** Rules may exist whose ids `known` lacks (a set-aside rules folder could not be read whole). */
  unknowable?: boolean;
}

/**
 * Whether this run can tell if an entry still matches something: every rule it names ran (true
 * too when it names no rule at all). Not "any": `rule: "*"` or `kms-*` under `--only` may hide
 * findings of the rules left out, which this run did not look for.
 */
function judgeable(entry: SuppressionEntry, scope: RuleScope | undefined): boolean {
  if (!scope) return true;
  for (const id of scope.known) if (!scope.ran.has(id) && globMatch(entry.rule, id)) return false;
  // An entry for an id no rule here has, or a pattern, may name a rule of a folder that could not be read.
  return !(scope.unknowable === true && (entry.rule.includes('*') || !scope.known.has(entry.rule)));
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$/;

/**
 * The instant (ms since the epoch) from which an `expires` value no longer suppresses: the
 * next UTC midnight for a date, the moment itself for a timestamp. Undefined when it is no
 * real calendar date or time.
 */
export function expiryInstant(expires: string): number | undefined {
  const m = DATE.exec(expires);
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const day = utcDay(y, mo, d);
  if (day.getUTCFullYear() !== y || day.getUTCMonth() !== mo - 1 || day.getUTCDate() !== d) return undefined;
  if (m[4] === undefined) return day.getTime() + 24 * 3600 * 1000;
  if (Number(m[4]) > 23 || Number(m[5]) > 59 || Number(m[6] ?? 0) > 59) return undefined;
  const t = Date.parse(expires);
  return Number.isNaN(t) ? undefined : t;
}

/**
 * Whether `text` matches a pattern in which `*` stands for any run of characters (and nothing else
 * is special). Not a RegExp: `^.*a.*a.*a...$` backtracks polynomially, and seven stars against a
 * long trail name (an inventory may hold any name) kept a scan busy for minutes. With only `*`,
 * taking each literal piece at its first place after the last one is complete, so this is linear
 * in the pieces, each found with indexOf.
 */
export function globMatch(pattern: string, text: string): boolean {
  return globMatcher(pattern)(text);
}

/** `globMatch` for one pattern, split once: an entry is matched against every result of a run. */
function globMatcher(pattern: string): (text: string) => boolean {
  const pieces = pattern.split('*');
  // A split has one piece at least, two here when there is a star.
  const first = pieces[0]!;
  if (pieces.length === 1) return (text) => text === first;
  const last = pieces[pieces.length - 1]!;
  return (text) => {
    if (text.length < first.length + last.length || !text.startsWith(first) || !text.endsWith(last)) return false;
    const end = text.length - last.length;
    let at = first.length;
    for (let i = 1; i < pieces.length - 1; i++) {
      const piece = pieces[i]!;
      const found = text.indexOf(piece, at);
      if (found < 0 || found + piece.length > end) return false;
      at = found + piece.length;
    }
    return true;
  };
}

/**
 * Whether a resource pattern covers a subject. An account id covers everything in that
 * account; `account/region` covers the region and the trails homed there; an ARN its trail.
 */
export function coversSubject(pattern: string, subject: Subject): boolean {
  const match = globMatcher(pattern);
  return subjectNames(subject).some((n) => match(n));
}

/** The names a resource pattern may give a subject: its account, `account/region`, its TrailARN. */
function subjectNames(subject: Subject): string[] {
  const names = [subject.accountId];
  if (subject.region !== undefined) names.push(`${subject.accountId}/${subject.region}`);
  if (subject.arn !== undefined) names.push(subject.arn);
  return names;
}

/**
 * The entries that match a result (rule and resource), in the order given. Matching each result
 * against every entry cost results x entries: a 10,000-account scan (518,000 results) with 300
 * entries took 15 s more. An entry whose resource has no `*` (an account id, `account/region`, a
 * TrailARN) can only cover a subject that has that very name, so those are looked up by name, and
 * only entries with a `*` in their resource are tried on every result.
 */
function entryIndex(entries: readonly SuppressionEntry[]): (r: Result) => SuppressionEntry[] {
  interface Prepared {
    entry: SuppressionEntry;
    order: number;
    rule: (id: string) => boolean;
    resource: (name: string) => boolean;
  }
  const byName = new Map<string, Prepared[]>();
  const patterns: Prepared[] = [];
  // One entry listed twice (a YAML alias, `- *accepted`) is one entry: found twice, it would be
  // counted twice for each result in its expiry note, which has it once.
  const indexed = new Set<SuppressionEntry>();
  entries.forEach((entry, order) => {
    if (indexed.has(entry)) return;
    indexed.add(entry);
    const p: Prepared = { entry, order, rule: globMatcher(entry.rule), resource: globMatcher(entry.resource) };
    if (entry.resource.includes('*')) patterns.push(p);
    else {
      const list = byName.get(entry.resource);
      if (list === undefined) byName.set(entry.resource, [p]);
      else list.push(p);
    }
  });
  return (r) => {
    const names = subjectNames(r.subject);
    const found: Prepared[] = [];
    for (const n of new Set(names)) for (const p of byName.get(n) ?? []) if (p.rule(r.ruleId)) found.push(p);
    for (const p of patterns) if (p.rule(r.ruleId) && names.some((n) => p.resource(n))) found.push(p);
    if (found.length > 1) found.sort((a, b) => a.order - b.order);
    return found.map((p) => p.entry);
  };
}

function suppressible(r: Result): boolean {
  return (r.status === 'fail' || r.status === 'error') && r.suppression === undefined;
}

/**
 * Applies suppressions at time `now`: each violation or error that an unexpired entry matches
 * becomes `skipped`, carrying the entry's reason, owner and expiry, and its former status in
 * `evidence.suppressedStatus`. Returns new results (same order) and the notes to report;
 * with `scope`, entries for rules that did not run are not called stale.
 */
export function applySuppressions(results: readonly Result[], entries: readonly SuppressionEntry[], now: Date, scope?: RuleScope): { results: Result[]; notes: SuppressionNotes } {
  const at = now.getTime();
  const live = new Set(entries.filter((e) => e.expires === undefined || (expiryInstant(e.expires) ?? -Infinity) > at));
  const matching = entryIndex(entries);
  const used = new Set<SuppressionEntry>();
  // Per expired entry: the results it matches that count again, and those a live entry still hides.
  const expiredCounts = new Map<SuppressionEntry, { matched: number; stillSuppressed: number }>();
  for (const e of entries) if (!live.has(e)) expiredCounts.set(e, { matched: 0, stillSuppressed: 0 });
  const out = results.map((r) => {
    if (!suppressible(r)) return r;
    const all = matching(r);
    if (all.length === 0) return r;
    const hits = all.filter((e) => live.has(e));
    for (const e of all) {
      const counts = expiredCounts.get(e);
      if (counts === undefined) continue;
      if (hits.length === 0) counts.matched++;
      else counts.stillSuppressed++;
    }
    const e = hits[0];
    if (e === undefined) return r;
    for (const hit of hits) used.add(hit);
    return {
      ...r,
      status: 'skipped' as const,
      evidence: { ...r.evidence, suppressedStatus: r.status },
      suppression: { kind: 'suppression' as const, reason: e.reason, ...(e.owner !== undefined ? { owner: e.owner } : {}), ...(e.expires !== undefined ? { expires: e.expires } : {}) },
    };
  });
  // The baseline is applied later: until then, nothing is known to be in it (see noteBaseline).
  const expired = [...expiredCounts].map(([entry, counts]) => ({ entry, ...counts, inBaseline: 0, judged: judgeable(entry, scope) }));
  const stale = entries.filter((e) => live.has(e) && !used.has(e) && judgeable(e, scope));
  return { results: out, notes: { expired, stale } };
}

/**
 * The notes once the baseline has had its say (`results` as `applyBaseline` returned them). An
 * expired entry's results that the baseline holds do not count again, so its note must not say
 * they do: the gate still passes on them. Only results counted as `matched` can be in the
 * baseline, since it marks only what no suppression hides.
 */
export function noteBaseline(notes: SuppressionNotes, results: readonly Result[]): SuppressionNotes {
  const counted = notes.expired.filter((note) => note.matched > 0).map((note) => note.entry);
  if (counted.length === 0) return notes;
  const matching = entryIndex(counted);
  const inBaseline = new Map<SuppressionEntry, number>();
  for (const r of results) {
    if (r.suppression?.kind !== 'baseline') continue;
    for (const e of matching(r)) inBaseline.set(e, (inBaseline.get(e) ?? 0) + 1);
  }
  const expired = notes.expired.map((note) => {
    const n = note.matched === 0 ? 0 : (inBaseline.get(note.entry) ?? 0);
    return n === 0 ? note : { ...note, matched: note.matched - n, inBaseline: note.inBaseline + n };
  });
  return { ...notes, expired };
}

/**
 * A result's identity for baselines: rule id, subject and status, never the message. The status
 * is part of it because an error and a violation are different findings: a baseline taken while
 * a bucket policy could not be read accepted "could not tell", not "the bucket is public", and
 * must not hide the violation once the read succeeds (nor a violation hide a later error).
 */
export function baselineKey(ruleId: string, subject: Subject, status: Result['status']): string {
  return `${status}\u0000${ruleId}\u0000${subjectKey(subject)}`;
}

/**
 * Marks the violations and errors already present in a baseline with the same status (keys from
 * `baselineKey`): they keep their status but carry a `baseline` suppression, so they no longer
 * fail the run.
 */
export function applyBaseline(results: readonly Result[], known: ReadonlySet<string>, reason: string): Result[] {
  return results.map((r) => (suppressible(r) && known.has(baselineKey(r.ruleId, r.subject, r.status)) ? { ...r, suppression: { kind: 'baseline' as const, reason } } : r));
}
