/**
 * The text report, for people reading a terminal or a CI log: failing and erroring results
 * grouped by account, then one summary line. Untrusted strings are escaped; colour only when
 * asked (the CLI asks on a TTY without NO_COLOR).
 */
import { SEVERITIES, severityRank, subjectKey, type Result, type Severity, type Status } from '../engine/result.ts';
import { escapeTerminal } from './escape.ts';
import { suppressionNoteLines, suppressionText } from './notes.ts';
import type { ReportInput } from './types.ts';

export interface TextOptions {
  color: boolean;
  /** Show passing and skipped results too. */
  verbose: boolean;
}

const COLORS: Record<Status, string> = { fail: '\x1b[31m', error: '\x1b[33m', pass: '\x1b[32m', skipped: '\x1b[2m' };
const RESET = '\x1b[0m';
const LABEL: Record<Status, string> = { fail: 'FAIL ', error: 'ERROR', pass: 'PASS ', skipped: 'SKIP ' };

/** What a result is about, in a few words. */
function subjectText(r: Result): string {
  const s = r.subject;
  if (s.kind === 'trail') return `trail ${escapeTerminal(s.name || s.arn || '')} (${escapeTerminal(s.region ?? '')})`;
  if (s.kind === 'region') return `region ${escapeTerminal(s.region ?? '')}`;
  return 'account';
}

/** Renders the text report. */
export function textReport(input: ReportInput, options: TextOptions = { color: false, verbose: false }): string {
  let out = '';
  for (const chunk of textChunks(input, options)) out += chunk;
  return out;
}

/** Characters per chunk of the text report: large enough to write efficiently, small enough never to hold the whole report. */
const CHUNK_CHARS = 1 << 16;

/**
 * The text report in chunks of lines. One string for the whole report could pass the longest
 * string V8 can make (about 512 MiB) on a large organization, or on a trail name of tens of
 * megabytes repeated on every line about it, which ended in an internal error.
 */
export function* textChunks(input: ReportInput, options: TextOptions = { color: false, verbose: false }): Generator<string> {
  const paint = (status: Status, s: string) => (options.color ? `${COLORS[status]}${s}${RESET}` : s);
  const shown = input.results.filter((r) => options.verbose || r.status === 'fail' || r.status === 'error');
  const byAccount = new Map<string, Result[]>();
  for (const r of shown) {
    const list = byAccount.get(r.subject.accountId);
    if (list) list.push(r);
    else byAccount.set(r.subject.accountId, [r]);
  }
  let idWidth = 0; // a loop, not Math.max(...): an organization has more results than a call has arguments
  for (const r of shown) idWidth = Math.max(idWidth, r.ruleId.length);
  let out: string[] = [];
  let size = 0;
  const line = (text: string): void => {
    out.push(text);
    size += text.length + 1;
  };
  for (const account of [...byAccount.keys()].sort()) {
    line(`Account ${escapeTerminal(account)}`);
    // Equal keys compare 0, so the stable sort keeps the order the results came in (two results of one rule on one subject).
    const list = byAccount.get(account)!.sort((a, b) => compareText(a.ruleId, b.ruleId) || compareText(subjectKey(a.subject), subjectKey(b.subject)));
    for (const r of list) {
      const where = r.location ? `  [${escapeTerminal(r.location.file)}:${r.location.line}]` : '';
      line(`  ${paint(r.status, LABEL[r.status])} ${r.severity.padEnd(8)} ${r.ruleId.padEnd(idWidth)}  ${subjectText(r)}: ${escapeTerminal(r.message)}${where}`);
      // Continuation lines start under the severity column, so the status labels stay a clean column.
      if (r.suppression) line(`${INDENT}suppressed: ${escapeTerminal(suppressionText(r.suppression))}`);
      // The fix next to the finding: the rule's command with this subject's values filled in.
      // Not for accepted findings (suppressed or in the baseline): nobody is asked to fix those now.
      else if (r.status === 'fail' && r.remediation) line(`${INDENT}remediation: ${escapeTerminal(r.remediation)}`);
      if (size >= CHUNK_CHARS) {
        yield `${out.join('\n')}\n`;
        out = [];
        size = 0;
      }
    }
    line('');
  }
  const notes = suppressionNoteLines(input.suppressionNotes);
  for (const note of notes) out.push(`warning: ${escapeTerminal(note)}`);
  if (notes.length > 0) out.push('');
  out.push(...summaryLines(input));
  yield `${out.join('\n')}\n`;
}

/** Under the severity column: two spaces, the five-character status label, one space. */
const INDENT = ' '.repeat(8);

/** What the summary counts, in one pass over the results. */
interface Tally {
  status: Record<Status, number>;
  /** Failed results by severity. */
  failedBySeverity: Record<Severity, number>;
  suppressed: number;
  baselinedFailed: number;
  baselinedErrors: number;
  /** Results that decide the exit code: not suppressed, not in the baseline. */
  openFailedAtOrAbove: number;
  openErrors: number;
}

function tally(results: readonly Result[], failOn: string): Tally {
  const t: Tally = {
    status: { pass: 0, fail: 0, error: 0, skipped: 0 },
    failedBySeverity: { critical: 0, high: 0, medium: 0, low: 0, info: 0 },
    suppressed: 0,
    baselinedFailed: 0,
    baselinedErrors: 0,
    openFailedAtOrAbove: 0,
    openErrors: 0,
  };
  const threshold = (SEVERITIES as readonly string[]).includes(failOn) ? severityRank(failOn as Severity) : Infinity;
  for (const r of results) {
    t.status[r.status]++;
    const kind = r.suppression?.kind;
    if (kind === 'suppression') t.suppressed++;
    if (r.status === 'fail') {
      t.failedBySeverity[r.severity]++;
      if (kind === 'baseline') t.baselinedFailed++;
      else if (kind === undefined && severityRank(r.severity) >= threshold) t.openFailedAtOrAbove++;
    } else if (r.status === 'error') {
      if (kind === 'baseline') t.baselinedErrors++;
      else if (kind === undefined) t.openErrors++;
    }
  }
  return t;
}

function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}

/** `(3 high, 2 medium; 1 in baseline)`: what a count is made of, or '' when there is nothing to say. */
function breakdown(...groups: string[][]): string {
  const parts = groups.map((g) => g.join(', ')).filter(Boolean);
  return parts.length > 0 ? ` (${parts.join('; ')})` : '';
}

/**
 * The counts of a run and what its exit code means: the text report's last two lines, and the
 * one-line summary on standard error when every report goes to a file. Each parenthesis breaks
 * down the count before it: failures by severity, and the ones in the baseline (baselined
 * results keep their status); skipped results that were suppressed.
 */
export function summaryLines(input: ReportInput): [string, string] {
  const t = tally(input.results, input.failOn);
  const accounts = input.accountCount ?? new Set(input.results.map((r) => r.subject.accountId)).size;
  const bySeverity = SEVERITIES.filter((s) => t.failedBySeverity[s] > 0).map((s) => `${t.failedBySeverity[s]} ${s}`);
  const inBaseline = (n: number) => (n > 0 ? [`${n} in baseline`] : []);
  return [
    `${plural(input.rules.length, 'rule')}, ${plural(accounts, 'account')}: ` +
      `${t.status.pass} passed, ${t.status.fail} failed${breakdown(bySeverity, inBaseline(t.baselinedFailed))}, ` +
      `${plural(t.status.error, 'error')}${breakdown(inBaseline(t.baselinedErrors))}, ` +
      `${t.status.skipped} skipped${breakdown(t.suppressed > 0 ? [`${t.suppressed} suppressed`] : [])}`,
    // For a terminal: the config file's path is the user's text (the step summary escapes it for Markdown).
    exitMeaning(input.exitCode, input.failOn, { violations: t.openFailedAtOrAbove, errors: t.openErrors }, input.failOnSource === undefined ? undefined : escapeTerminal(input.failOnSource), input.failOnFlag),
  ];
}

/**
 * One sentence saying what the exit code means for this run; with `counts` (the results that
 * decide it: not suppressed, not in the baseline), how many violations or errors that is.
 * `failOnSource` is the config file that set `failOn`, and `failOnFlag` the words for a flag
 * that did (see ReportInput), named for `never`.
 */
export function exitMeaning(code: number, failOn: string, counts?: { violations: number; errors: number }, failOnSource?: string, failOnFlag = '--fail-on never'): string {
  const never = `violations never fail this run (${failOnSource === undefined ? failOnFlag : `failOn: never in ${failOnSource}`})`;
  switch (code) {
    case 0:
      return failOn === 'never' ? `exit 0: ${never}` : `exit 0: no violation at or above ${failOn}`;
    case 1:
      return `exit 1: ${counts ? plural(counts.violations, 'violation') : 'violations'} at or above ${failOn}`;
    case 3:
      // Violations below --fail-on may be there: "no violation" alone would say more than is true.
      return `exit 3: ${failOn === 'never' ? never : `no violation at or above ${failOn}`}, but ${counts ? `${plural(counts.errors, 'result')} ${counts.errors === 1 ? 'is an error' : 'are errors'}` : 'some results are errors'}: trailgate could not see everything it had to judge`;
    default:
      return `exit ${code}`;
  }
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
