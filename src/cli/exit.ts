/**
 * Exit codes, in one table. Commands return an outcome; the entry point (src/cli/main.ts) is
 * the only place that ends the process.
 */
import { CollectionError, InputError } from '../errors.ts';
import { severityRank, type Result, type Severity } from '../engine/result.ts';
import { escapeLineStart, escapeTerminal } from '../report/escape.ts';

export const EXIT = {
  ok: 0,
  violations: 1,
  input: 2,
  incomplete: 3,
  /** A crash: a bug in trailgate. Never 0. */
  internal: 70,
} as const;

export type FailOn = Severity | 'never';
export const FAIL_ON_VALUES: readonly FailOn[] = ['critical', 'high', 'medium', 'low', 'info', 'never'];

/**
 * The exit code of a finished run: 1 when a violation at or above `failOn` stands, else 3 when
 * some result is an error, else 0. Suppressed and baselined results do not count.
 */
export function exitCodeFor(results: readonly Result[], failOn: FailOn): 0 | 1 | 3 {
  let errors = false;
  const threshold = failOn === 'never' ? Infinity : severityRank(failOn);
  for (const r of results) {
    if (r.suppression) continue;
    if (r.status === 'fail' && severityRank(r.severity) >= threshold) return 1;
    if (r.status === 'error') errors = true;
  }
  return errors ? 3 : 0;
}

/**
 * The exit code for an error that stopped the run, and the message to print. An input or
 * collection error quotes untrusted text (a file's content, a file name, an AWS message): its
 * control and bidi characters are escaped, so it stays one line and cannot move the cursor, and
 * so is a backslash, so a file named `a\x1b` is not shown as one named `a<ESC>`.
 */
export function exitForError(e: unknown): { code: number; message: string } {
  if (e instanceof InputError) return { code: EXIT.input, message: e.describeAll().map((line) => `trailgate: ${escapeTerminal(line)}`).join('\n') };
  if (e instanceof CollectionError) return { code: EXIT.input, message: `trailgate: ${escapeTerminal(e.message)}` };
  // A bug's message can quote untrusted text too, over several lines: each line of the trace is
  // escaped on its own, and none may start a workflow command.
  const detail = (e instanceof Error ? (e.stack ?? e.message) : String(e)).split('\n').map(escapeLineStart).join('\n');
  return {
    code: EXIT.internal,
    message: `trailgate: internal error (a bug in trailgate; please report it at https://github.com/trailgate/trailgate/issues with this text):\n${detail}`,
  };
}
