/**
 * The step between evaluation and reporting: apply the config's suppressions at the run's
 * clock, then the baseline, and warn on stderr about suppressions that expired or hide nothing
 * (once both are applied, so the warnings say what the exit code does).
 */
import type { Io } from '../cli/io.ts';
import type { Result } from '../engine/result.ts';
import { applyBaseline, applySuppressions, noteBaseline, type RuleScope, type SuppressionEntry, type SuppressionNotes } from '../engine/suppress.ts';
import { relativePath } from '../input/display-path.ts';
import { namesStdin } from '../input/descriptors.ts';
import { PathArgumentError } from '../errors.ts';
import { escapeTerminal } from '../report/escape.ts';
import { suppressionNoteLines } from '../report/notes.ts';
import { loadBaseline } from './baseline.ts';

/** What judging needs from the scan options. */
export interface JudgeOptions {
  suppressions?: SuppressionEntry[];
  /** An earlier run's JSON report. */
  baseline?: string;
}

/** A baseline read before the run (see `readBaseline`), so a bad one stops it before any collection. */
export interface LoadedBaseline {
  file: string;
  known: ReadonlySet<string>;
}

/** Reads the baseline, if there is one: done first, so a missing or malformed file is exit 2 before a long live collection. */
export function readBaseline(options: JudgeOptions, io: Io): LoadedBaseline | undefined {
  if (options.baseline === undefined) return undefined;
  // A caller with no standard input to give (the Action; see Io.noStdin) would read it as empty, or as what the runner left there.
  if (io.noStdin !== undefined && namesStdin(io.cwd, options.baseline)) {
    throw new PathArgumentError(`is standard input, which ${io.noStdin}: name the JSON report to use as the baseline`, options.baseline, '--baseline');
  }
  // Named as reports name inventories, so `./base.json` and an absolute path give the same bytes.
  return { file: relativePath(io.cwd, options.baseline), known: loadBaseline(io.cwd, options.baseline) };
}

/**
 * Applies suppressions (time from `io.now()`) and the baseline (`baseline`, else read now); warns
 * on stderr. `scope` says which rules ran, so entries for the others are not called stale.
 * Returns new results and the notes for reports.
 */
export function judgeResults(results: readonly Result[], options: JudgeOptions, io: Io, scope?: RuleScope, baseline = readBaseline(options, io)): { results: Result[]; notes?: SuppressionNotes } {
  let out = [...results];
  let notes: SuppressionNotes | undefined;
  if (options.suppressions && options.suppressions.length > 0) ({ results: out, notes } = applySuppressions(out, options.suppressions, io.now(), scope));
  if (baseline) out = applyBaseline(out, baseline.known, `in baseline ${baseline.file}`);
  // Worded once the baseline is applied: an expired entry's finding it holds still does not count.
  if (notes && baseline) notes = noteBaseline(notes, out);
  for (const line of suppressionNoteLines(notes)) io.stderr(`trailgate: warning: ${escapeTerminal(line)}\n`);
  return { results: out, notes };
}
