/**
 * GitHub Actions: workflow-command annotations for the log (`--format github`), and a
 * Markdown step summary. Both are pure; the CLI appends the summary to $GITHUB_STEP_SUMMARY.
 * Every untrusted string is escaped, so nothing in the data can end a command early, start a
 * new one (`::stop-commands::`, `::add-mask::`), or add markup to the summary.
 */
import { severityRank, sortResults, subjectKey, type Result, type Severity } from '../engine/result.ts';
import { escapeTerminal } from './escape.ts';
import { tierOf } from './rank.ts';
import { countByStatus } from './json.ts';
import { suppressionNoteLines } from './notes.ts';
import { exitMeaning } from './text.ts';
import type { ReportInput, RepositoryPath } from './types.ts';

/**
 * GitHub shows at most this many annotations of each kind per step (its REST documentation for
 * check runs: "GitHub Actions are limited to 10 warning annotations and 10 error annotations per
 * step"; notices alike), and 50 per job. Writing more only hides which ones were dropped.
 */
/**
 * Where the results left out are: a JSON report has them all, but the run may not have written
 * one (`--format github` alone, an Action without its json input), so it says how to get one.
 */
const EVERY_RESULT = 'a JSON report (--format json, or the json input of the Action) lists them all';

export const ANNOTATIONS_PER_KIND = 10;
/** Rows in the summary's table, at most. */
export const SUMMARY_ROWS = 500;
/**
 * GitHub refuses a step summary over 1 MiB (the upload fails and the job page shows none), and
 * one row of 2,000-character trail names and messages takes kilobytes. So rows stop at this many
 * UTF-8 bytes, well under 1 MiB with room for the line that counts the rest.
 */
export const SUMMARY_BYTES = 900 * 1024;
/** Characters of one table cell, at most; past this a cell ends in an ellipsis and says how many more there were. */
export const SUMMARY_CELL_CHARS = 1000;
/**
 * Suppressions to review listed in the summary, at most, and the UTF-8 bytes they may take: a
 * config with thousands of stale entries once made a 1.69 MB summary that GitHub refused, and
 * pushed every violation out of the table. The rest are counted; the text report and the run's
 * warnings name every one.
 */
export const SUMMARY_NOTES = 20;
export const SUMMARY_NOTE_BYTES = 64 * 1024;

/** The workflow commands that make an annotation. */
export type AnnotationKind = 'error' | 'warning' | 'notice';

const KIND_OF: Record<Severity, AnnotationKind> = { critical: 'error', high: 'error', medium: 'warning', low: 'notice', info: 'notice' };
const KINDS: readonly AnnotationKind[] = ['error', 'warning', 'notice'];

/**
 * The kind of annotation for a result: by severity for a violation; `error` for a result that
 * could not be evaluated, since it makes the run exit non-zero and must not look minor.
 */
function annotationKind(r: Result): AnnotationKind {
  return r.status === 'error' ? 'error' : KIND_OF[r.severity];
}

/** Escapes a workflow command's message: `%`, CR and LF. */
export function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Escapes a workflow command's property value: as data, plus `:` and `,`. */
export function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/** The results worth an annotation: violations and errors that no suppression or baseline covers. */
function open(results: readonly Result[]): Result[] {
  return results.filter((r) => (r.status === 'fail' || r.status === 'error') && r.suppression === undefined);
}

/**
 * Open violations and errors: those that count toward the exit code first (see tierOf: under
 * `--fail-on critical` the errors that make the run exit 3 come before high violations that
 * change nothing), then violations before errors, most severe first, report order within (a
 * stable sort).
 */
function mostSevereFirst(results: readonly Result[], failOn: string): Result[] {
  const tier = tierOf(failOn);
  return open(sortResults(results)).sort(
    (a, b) => tier(a) - tier(b) || Number(a.status === 'error') - Number(b.status === 'error') || severityRank(b.severity) - severityRank(a.severity),
  );
}

/**
 * Where GitHub finds a result's inventory file: with `repositoryPath` (inside GitHub Actions), the
 * path from the repository root, or undefined for a file outside the repository; without it, the
 * path as the other reports give it.
 */
export interface GithubOptions {
  repositoryPath?: RepositoryPath;
  /**
   * Where GitHub finds the config file the summary's suppression notes name, when not as
   * `repositoryPath` finds inventories: the CLI's lookup for inventories takes a file shown as
   * `stdin` for standard input, and a config file named `stdin` is no such thing.
   */
  configPath?: RepositoryPath;
  /**
   * Error annotations the caller may write after the report (the GitHub Action's own "could not
   * write every report"): that many of GitHub's 10 are left free, or the runner drops the one
   * that says why the step failed.
   */
  reservedErrors?: number;
  /**
   * The summary's sentence on the exit code, from the one the results give: a run that then
   * could not write a report or the snapshot ends 2, and the job's page must not say 1.
   */
  outcome?: (meaning: string) => string;
}

/**
 * The annotations, most severe first within each kind, capped per kind with a line saying how many were left out.
 * GitHub reads an annotation's `file` from the repository root, so each path is given from
 * there (options.repositoryPath), not from the working directory.
 */
export function githubReport(input: ReportInput, options: GithubOptions = {}): string {
  const ranked = mostSevereFirst(input.results, input.failOn);
  const out: string[] = [];
  for (const kind of KINDS) {
    const list = ranked.filter((r) => annotationKind(r) === kind);
    const room = ANNOTATIONS_PER_KIND - (kind === 'error' ? (options.reservedErrors ?? 0) : 0);
    for (const r of list.slice(0, room)) out.push(annotation(kind, r, options));
    const omitted = list.length - room;
    if (omitted > 0) {
      out.push(`trailgate: ${omitted} more ${kind} annotation${omitted === 1 ? '' : 's'} not shown (GitHub shows at most ${ANNOTATIONS_PER_KIND} of each kind per step); ${EVERY_RESULT}`);
    }
  }
  return out.length === 0 ? '' : `${out.join('\n')}\n`;
}

/**
 * One annotation. The Actions log is a terminal too (it renders ANSI colours), so in the title
 * and message control and bidi characters become visible escapes first, and a backslash `\\`,
 * as in the text report (a trail named `a<ESC>b` reads `a\x1bb`, one named `a\x1bb` reads
 * `a\\x1bb`); then the workflow command's own escaping keeps the data inside its command.
 *
 * `file` is different: GitHub resolves it in the repository, so it is written as the path is (a
 * backslash is a plain character in a POSIX name). A path holding a character the log must not
 * carry raw cannot be written as it is, and escaped it would name another file (`a\x1b` for
 * `a<ESC>`): that annotation names no file, and the other reports still give its location.
 * An inventory outside the repository has no file GitHub could show: that annotation names none
 * either, and its message names the inventory as the text report does.
 */
function annotation(kind: AnnotationKind, r: Result, options: GithubOptions): string {
  const props: string[] = [];
  const file = r.location && repositoryFile(r.location.file, options);
  if (r.location && file !== undefined && printable(file)) {
    props.push(`file=${escapeProperty(file)}`, `line=${Math.max(1, Math.trunc(r.location.line))}`);
    if (r.location.column !== undefined) props.push(`col=${Math.max(1, Math.trunc(r.location.column))}`);
  }
  props.push(`title=${escapeProperty(escapeTerminal(r.status === 'error' ? `${r.ruleId} (could not evaluate)` : `${r.ruleId} (${r.severity})`))}`);
  const outside = r.location && file === undefined ? `  [${r.location.file}:${r.location.line}]` : '';
  return `::${kind} ${props.join(',')}::${escapeData(escapeTerminal(`${subjectKey(r.subject)}: ${r.message}${outside}`))}`;
}

/** A location's file as GitHub knows it (see GithubOptions): undefined when it is outside the repository. */
function repositoryFile(file: string, options: GithubOptions): string | undefined {
  return options.repositoryPath === undefined ? file : options.repositoryPath(file);
}

/** Whether `s` holds nothing escapeTerminal would change but backslashes, so it can be printed as it is. */
export function printable(s: string): boolean {
  return escapeTerminal(s) === s.replaceAll('\\', '\\\\');
}

/**
 * Escapes text for a Markdown table cell: no markup, no HTML, no line breaks that end the row.
 * Each line is escaped for the terminal first (controls made visible, `\` doubled, as in the
 * text report), and only then are Markdown's own backslashes added: the page then shows a
 * trail named `a<ESC>b` as `a\x1bb` and one named `a\x1bb` as `a\\x1bb`, never alike.
 */
export function escapeMarkdown(s: string): string {
  return s
    // Only a line feed is a line break here (trailgate's own messages break lines with it); a
    // carriage return shows as \r, so names `a\rb`, `a\nb` and `a\r\nb` stay apart.
    .split('\n')
    .map((line) =>
      escapeTerminal(line)
        .replace(/&/g, '&amp;')
        .replace(/</g, '&lt;')
        .replace(/>/g, '&gt;')
        .replace(/[\\`*_[\]|~]/g, '\\$&'),
    )
    .join('<br>');
}

/** The step summary: counts, suppressions needing attention, then a table of open violations and errors. */
export function githubSummary(input: ReportInput, options: GithubOptions = {}): string {
  const c = countByStatus(input.results);
  const suppressed = input.results.filter((r) => r.suppression?.kind === 'suppression').length;
  const baselined = input.results.filter((r) => r.suppression?.kind === 'baseline').length;
  // The config file as the suppression notes below name it (from the repository root), not from
  // the working directory: one summary names one file one way.
  const shownConfig = options.configPath ?? options.repositoryPath;
  const failOnSource = input.failOnSource === undefined ? undefined : (shownConfig?.(input.failOnSource) ?? input.failOnSource);
  const out = [
    '## trailgate',
    '',
    `${escapeMarkdown((options.outcome ?? ((m: string) => m))(exitMeaning(input.exitCode, input.failOn, undefined, failOnSource, input.failOnFlag)))}`,
    '',
    '| passed | failed | errors | skipped | suppressed | in baseline |',
    '|---:|---:|---:|---:|---:|---:|',
    `| ${c.pass} | ${c.fail} | ${c.error} | ${c.skipped} | ${suppressed} | ${baselined} |`,
    '',
  ];
  out.push(...noteSection(suppressionNoteLines(input.suppressionNotes, shownConfig)));
  // Ranked as the annotations are: when the table is cut, what is left out is the least severe.
  const rows = mostSevereFirst(input.results, input.failOn);
  if (rows.length === 0) {
    out.push('No open violations or errors.', '');
    return out.join('\n');
  }
  out.push('### Violations and errors', '', '| status | severity | rule | resource | message | location |', '|---|---|---|---|---|---|');
  // Bytes so far, each line with its newline; the line that counts what is left out needs fewer than 200 more.
  let bytes = out.reduce((n, line) => n + Buffer.byteLength(line, 'utf8') + 1, 0);
  let shown = 0;
  for (const r of rows.slice(0, SUMMARY_ROWS)) {
    // The annotations' path; a file outside the repository, as the text report names it.
    const where = r.location ? `${repositoryFile(r.location.file, options) ?? r.location.file}:${r.location.line}` : '';
    const cells = [r.status, r.severity, r.ruleId, subjectKey(r.subject), r.message, where].map((c) => escapeMarkdown(clip(c)));
    const row = `| ${cells.join(' | ')} |`;
    const size = Buffer.byteLength(row, 'utf8') + 1;
    if (bytes + size > SUMMARY_BYTES - 200) break;
    out.push(row);
    bytes += size;
    shown++;
  }
  if (shown < rows.length) {
    const why = shown < SUMMARY_ROWS ? 'a step summary must stay under 1 MiB' : `the table shows at most ${SUMMARY_ROWS} rows`;
    out.push('', `${rows.length - shown} more not shown (${why}); ${EVERY_RESULT}.`);
  }
  out.push('');
  return out.join('\n');
}

/**
 * The suppressions to review: how many, then the first SUMMARY_NOTES within SUMMARY_NOTE_BYTES
 * (each cut as a cell is), then how many more. Bounded whatever the config holds, so the table of
 * violations after it keeps most of SUMMARY_BYTES.
 */
function noteSection(notes: readonly string[]): string[] {
  if (notes.length === 0) return [];
  const out = [`### Suppressions to review (${notes.length})`, ''];
  let bytes = 0;
  let shown = 0;
  for (const note of notes.slice(0, SUMMARY_NOTES)) {
    const line = `- ${escapeMarkdown(clip(note))}`;
    bytes += Buffer.byteLength(line, 'utf8') + 1;
    if (bytes > SUMMARY_NOTE_BYTES) break;
    out.push(line);
    shown++;
  }
  const more = notes.length - shown;
  if (more > 0) out.push(`- ${more} more not shown; the text report and the run's warnings name every one.`);
  out.push('');
  return out;
}

/** A cell's text cut to SUMMARY_CELL_CHARS characters (never inside a surrogate pair), saying how many more there were. */
function clip(text: string): string {
  if (text.length <= SUMMARY_CELL_CHARS) return text;
  const chars = Array.from(text);
  if (chars.length <= SUMMARY_CELL_CHARS) return text;
  const more = chars.length - SUMMARY_CELL_CHARS;
  return `${chars.slice(0, SUMMARY_CELL_CHARS).join('')}… (${more} more character${more === 1 ? '' : 's'})`;
}
