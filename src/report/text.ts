/**
 * The text report, for people reading a terminal or a CI log: failing and erroring results
 * grouped by account, then one summary line. Untrusted strings are escaped; colour only when
 * asked (the CLI asks on a TTY without NO_COLOR).
 */
import { subjectKey, type Result, type Status } from '../engine/result.ts';
import { escapeTerminal } from './escape.ts';
import { countByStatus } from './json.ts';
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
  if (s.kind === 'trail') return `trail ${escapeTerminal(s.name ?? s.arn ?? '')} (${escapeTerminal(s.region ?? '')})`;
  if (s.kind === 'region') return `region ${escapeTerminal(s.region ?? '')}`;
  return 'account';
}

/** Renders the text report. */
export function textReport(input: ReportInput, options: TextOptions = { color: false, verbose: false }): string {
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
  const out: string[] = [];
  for (const account of [...byAccount.keys()].sort()) {
    out.push(`Account ${escapeTerminal(account)}`);
    const list = byAccount.get(account)!.sort((a, b) => (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : subjectKey(a.subject) < subjectKey(b.subject) ? -1 : 1));
    for (const r of list) {
      const where = r.location ? `  [${escapeTerminal(r.location.file)}:${r.location.line}]` : '';
      out.push(`  ${paint(r.status, LABEL[r.status])} ${r.severity.padEnd(8)} ${r.ruleId.padEnd(idWidth)}  ${subjectText(r)}: ${escapeTerminal(r.message)}${where}`);
      if (r.suppression) out.push(`         suppressed: ${escapeTerminal(suppressionText(r.suppression))}`);
    }
    out.push('');
  }
  const notes = suppressionNoteLines(input.suppressionNotes);
  for (const line of notes) out.push(`warning: ${escapeTerminal(line)}`);
  if (notes.length > 0) out.push('');
  const c = countByStatus(input.results);
  const accounts = new Set(input.results.map((r) => r.subject.accountId)).size;
  out.push(
    `${input.rules.length} rule${input.rules.length === 1 ? '' : 's'}, ${accounts} account${accounts === 1 ? '' : 's'}: ` +
      `${c.pass} passed, ${c.fail} failed, ${c.error} error${c.error === 1 ? '' : 's'}, ${c.skipped} skipped${suppressionCounts(input.results)}`,
  );
  out.push(exitMeaning(input.exitCode, input.failOn));
  return `${out.join('\n')}\n`;
}

/** `(2 suppressed, 5 in baseline)` after the counts, when anything was suppressed or baselined. */
function suppressionCounts(results: readonly Result[]): string {
  const suppressed = results.filter((r) => r.suppression?.kind === 'suppression').length;
  const baselined = results.filter((r) => r.suppression?.kind === 'baseline').length;
  const parts = [suppressed > 0 ? `${suppressed} suppressed` : '', baselined > 0 ? `${baselined} in baseline` : ''].filter(Boolean);
  return parts.length > 0 ? ` (${parts.join(', ')})` : '';
}

/** The counts of a run and what its exit code means: the text report's last two lines. */
export function summaryLines(input: ReportInput): [string, string] {
  const c = countByStatus(input.results);
  const accounts = new Set(input.results.map((r) => r.subject.accountId)).size;
  return [
    `${input.rules.length} rule${input.rules.length === 1 ? '' : 's'}, ${accounts} account${accounts === 1 ? '' : 's'}: ` +
      `${c.pass} passed, ${c.fail} failed, ${c.error} error${c.error === 1 ? '' : 's'}, ${c.skipped} skipped`,
    exitMeaning(input.exitCode, input.failOn),
  ];
}

/** One sentence saying what the exit code means for this run. */
export function exitMeaning(code: number, failOn: string): string {
  switch (code) {
    case 0:
      return failOn === 'never' ? 'exit 0: violations never fail this run (--fail-on never)' : `exit 0: no violation at or above ${failOn}`;
    case 1:
      return `exit 1: violations at or above ${failOn}`;
    case 3:
      // Violations below --fail-on may be there: "no violation" alone would say more than is true.
      return `exit 3: ${failOn === 'never' ? 'violations never fail this run (--fail-on never)' : `no violation at or above ${failOn}`}, but some results are errors: trailgate could not see everything it had to judge`;
    default:
      return `exit ${code}`;
  }
}
