/**
 * The step between evaluation and reporting: apply the config's suppressions at the run's
 * clock, then the baseline, and warn on stderr about suppressions that expired or hide nothing.
 */
import type { Io } from '../cli/io.ts';
import type { Result } from '../engine/result.ts';
import { applyBaseline, applySuppressions, type SuppressionEntry, type SuppressionNotes } from '../engine/suppress.ts';
import { escapeTerminal } from '../report/escape.ts';
import { suppressionNoteLines } from '../report/notes.ts';
import { loadBaseline } from './baseline.ts';

/** What judging needs from the scan options. */
export interface JudgeOptions {
  suppressions?: SuppressionEntry[];
  /** An earlier run's JSON report. */
  baseline?: string;
}

/** Applies suppressions (time from `io.now()`) and the baseline; warns on stderr. Returns new results and the notes for reports. */
export function judgeResults(results: readonly Result[], options: JudgeOptions, io: Io): { results: Result[]; notes?: SuppressionNotes } {
  let out = [...results];
  let notes: SuppressionNotes | undefined;
  if (options.suppressions && options.suppressions.length > 0) {
    ({ results: out, notes } = applySuppressions(out, options.suppressions, io.now()));
    for (const line of suppressionNoteLines(notes)) io.stderr(`trailgate: warning: ${escapeTerminal(line)}\n`);
  }
  if (options.baseline !== undefined) {
    const known = loadBaseline(io.cwd, options.baseline);
    out = applyBaseline(out, known, `in baseline ${options.baseline}`);
  }
  return { results: out, notes };
}
