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
  const pieces = pattern.split('*');
  const first = pieces[0];
  if (pieces.length === 1) return text === first;
  const last = pieces[pieces.length - 1];
  if (text.length < first.length + last.length || !text.startsWith(first) || !text.endsWith(last)) return false;
  const end = text.length - last.length;
  let at = first.length;
  for (let i = 1; i < pieces.length - 1; i++) {
    const found = text.indexOf(pieces[i], at);
    if (found < 0 || found + pieces[i].length > end) return false;
    at = found + pieces[i].length;
  }
  return true;
}

/**
 * Whether a resource pattern covers a subject. An account id covers everything in that
 * account; `account/region` covers the region and the trails homed there; an ARN its trail.
 */
export function coversSubject(pattern: string, subject: Subject): boolean {
  const names = [subject.accountId];
  if (subject.region !== undefined) names.push(`${subject.accountId}/${subject.region}`);
  if (subject.arn !== undefined) names.push(subject.arn);
  return names.some((n) => globMatch(pattern, n));
}

/** Whether an entry matches a result (rule and resource), ignoring its expiry. */
export function matchesResult(entry: SuppressionEntry, r: Result): boolean {
  return globMatch(entry.rule, r.ruleId) && coversSubject(entry.resource, r.subject);
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
  const live = entries.filter((e) => e.expires === undefined || (expiryInstant(e.expires) ?? -Infinity) > at);
  const used = new Set<SuppressionEntry>();
  const out = results.map((r) => {
    if (!suppressible(r)) return r;
    const hits = live.filter((e) => matchesResult(e, r));
    if (hits.length === 0) return r;
    for (const e of hits) used.add(e);
    const e = hits[0];
    return {
      ...r,
      status: 'skipped' as const,
      evidence: { ...r.evidence, suppressedStatus: r.status },
      suppression: { kind: 'suppression' as const, reason: e.reason, ...(e.owner !== undefined ? { owner: e.owner } : {}), ...(e.expires !== undefined ? { expires: e.expires } : {}) },
    };
  });
  const expired = entries
    .filter((e) => !live.includes(e))
    .map((entry) => {
      let matched = 0;
      let stillSuppressed = 0;
      results.forEach((r, i) => {
        if (!suppressible(r) || !matchesResult(entry, r)) return;
        if (out[i] === r) matched++;
        else stillSuppressed++;
      });
      // The baseline is applied later: until then, nothing is known to be in it (see noteBaseline).
      return { entry, matched, stillSuppressed, inBaseline: 0, judged: judgeable(entry, scope) };
    });
  const stale = live.filter((e) => !used.has(e) && judgeable(e, scope));
  return { results: out, notes: { expired, stale } };
}

/**
 * The notes once the baseline has had its say (`results` as `applyBaseline` returned them). An
 * expired entry's results that the baseline holds do not count again, so its note must not say
 * they do: the gate still passes on them. Only results counted as `matched` can be in the
 * baseline, since it marks only what no suppression hides.
 */
export function noteBaseline(notes: SuppressionNotes, results: readonly Result[]): SuppressionNotes {
  const expired = notes.expired.map((note) => {
    if (note.matched === 0) return note;
    let inBaseline = 0;
    for (const r of results) if (r.suppression?.kind === 'baseline' && matchesResult(note.entry, r)) inBaseline++;
    return { ...note, matched: note.matched - inBaseline, inBaseline: note.inBaseline + inBaseline };
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
