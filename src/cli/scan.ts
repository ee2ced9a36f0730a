/**
 * `trailgate scan`: load rules and an inventory, evaluate, attach source locations, write every
 * report, and return the exit code. Live collection supplies the inventory when no --snapshot
 * is given.
 */
import { appendFileSync } from 'node:fs';
import { fileProblem, InputError } from '../errors.ts';
import { judgeResults, readBaseline, type LoadedBaseline } from '../config/judge.ts';
import { evaluate } from '../engine/evaluate.ts';
import type { SuppressionEntry } from '../engine/suppress.ts';
import { sortResults, type Result } from '../engine/result.ts';
import { loadInventories, STDIN_SOURCE } from '../inventory/load.ts';
import { displayPath, relativePath } from '../input/display-path.ts';
import { namesStdin } from '../input/descriptors.ts';
import type { Inventory, LoadedInventory } from '../inventory/types.ts';
import { githubSummary, type GithubOptions } from '../report/github.ts';
import { escapeTerminal } from '../report/escape.ts';
import { chooseRules, type RuleChoice } from './choose-rules.ts';
import { FORMATS } from '../report/index.ts';
import { countByStatus } from '../report/json.ts';
import { summaryLines } from '../report/text.ts';
import type { ReportInput, RepositoryPath } from '../report/types.ts';
import type { CompiledRule } from '../rules/compiled.ts';
import { EXIT, exitCodeFor, exitForError, type FailOn } from './exit.ts';
import { checkReportTargets, type FormatSpec } from './formats.ts';
import { batched, writeStreamAtomically } from './write-file.ts';
import { fail, type Io } from './io.ts';
import { loadCatalogue } from '../compliance/frameworks.ts';
import { UNCATALOGUED } from '../compliance/view.ts';
import { LIVE_SOURCE } from './live.ts';
import { repositoryPaths } from './repository-paths.ts';
import { TOOL } from './tool.ts';

export interface ScanOptions extends RuleChoice {
  snapshots: string[];
  formats: FormatSpec[];
  failOn: FailOn;
  /** The config file whose `failOn` key set `failOn`, if one did (see ReportInput). */
  failOnSource?: string;
  verbose: boolean;
  /** undefined: colour when stdout is a TTY, NO_COLOR is unset or empty, and TERM is not dumb. */
  color?: boolean;
  quiet: boolean;
  /** Accepted findings from the config file, applied at io.now(). */
  suppressions?: SuppressionEntry[];
  /** An earlier run's JSON report: violations already in it do not count. */
  baseline?: string;
  /** The config file whose `compliance` key set `compliance`, if one did: a warning then names the key, not --compliance. */
  complianceSource?: string;
  /** The config file the options came from, if any: no report may be written over it. */
  configFile?: string;
  /** A live scan's `--save-snapshot`: no report may be written over it. */
  saveSnapshot?: string;
  /** Why a live scan's `--save-snapshot` could not be written: the reports still are, then the run exits 2. */
  saveFailure?: string;
}

/** What a scan prepares before it reads any inventory: the rules to run, every rule id there is, and the baseline. */
export interface ScanPlan {
  rules: CompiledRule[];
  /** Every rule id that exists (built-in ones even with --no-builtin-rules, and those of a rules folder --rules replaced), so suppressions for rules left out are not called stale. */
  known: ReadonlySet<string>;
  /** A rules folder `--rules` set aside could not be read whole: rules may exist whose ids `known` lacks. */
  unknowable?: boolean;
  baseline?: LoadedBaseline;
}

/**
 * Everything a scan needs besides the inventory, in the order the user would fix it: rules, then
 * the baseline. Done before any collection, so a bad baseline stops a live scan at once (exit 2)
 * instead of after minutes of AWS calls.
 */
export function planScan(options: ScanOptions, io: Io): ScanPlan {
  checkReportTargets(io.cwd, options.formats, options.snapshots, options.saveSnapshot, { config: options.configFile, baseline: options.baseline, rulePaths: options.rulePaths });
  const { rules, all, leftOut, leftOutComplete } = chooseRules(options, io);
  if (options.compliance !== undefined && !options.quiet && loadCatalogue(options.compliance) === undefined) {
    // A gate on such a framework passes on a handful of rules: the log must say it is not the framework.
    const ids = rules.map((r) => r.meta.id);
    const chosen = options.complianceSource === undefined ? `--compliance ${escapeTerminal(options.compliance)}` : `compliance: ${escapeTerminal(options.compliance)} in ${escapeTerminal(options.complianceSource)}`;
    io.stderr(`trailgate: warning: ${chosen}: ${UNCATALOGUED} It runs ${ids.length} rule${ids.length === 1 ? '' : 's'}: ${ids.map(escapeTerminal).join(', ')}.\n`);
  }
  const known = new Set([...all.map((r) => r.meta.id), ...leftOut]);
  return { rules, known, ...(leftOutComplete ? {} : { unknowable: true }), baseline: readBaseline(options, io) };
}

/** Runs a scan of inventory files. Throws InputError for bad input; returns the exit code otherwise. */
export function scanSnapshots(options: ScanOptions, io: Io): Promise<number> {
  const plan = planScan(options, io);
  return finishScan(plan, () => loadInventories(options.snapshots, { cwd: io.cwd, readStdin: io.readStdin, noStdin: io.noStdin }), options, io);
}

/**
 * Evaluates a loaded inventory and writes the reports: shared by snapshot and live scans, so
 * both give the same results for the same inventory.
 */
export async function finishScan(plan: ScanPlan | CompiledRule[], loaded: LoadedInventory | (() => LoadedInventory), options: ScanOptions, io: Io): Promise<number> {
  const input = judgeLoaded(plan, loaded, options, io);
  io.judged?.(countByStatus(input.results));
  // Once, when the inventory has just become garbage: without it the peak of a 10,000-account scan
  // passes 1 GB. Not between reports: what one leaves behind is young and cheap, and a full
  // collection over the 500,000 results costs more than it saves (measured: same peak, more CPU).
  if (input.results.length > LARGE_RUN) io.releaseMemory?.();
  // One report that cannot be written (a full disk, a device that refuses it) must not cost the
  // others: CI uploads whatever reports exist, even from a failed step. Each is tried; the run
  // then exits 2 and names every one that failed.
  // The reason, or undefined for standard output that stopped taking the report (the entry
  // point says why, once, whatever wrote there).
  const failed = new Map<FormatSpec, string | undefined>();
  for (const spec of options.formats) {
    try {
      if (!(await writeReport(spec, input, options, io))) failed.set(spec, undefined);
    } catch (e) {
      // Only a write that failed; anything else is a bug, and stops the run as one.
      if (!(e instanceof InputError)) throw e;
      failed.set(spec, exitForError(e).message);
    }
  }
  const unsaved = options.saveFailure;
  // What could not be written makes the run exit 2; each place that states the exit code says so.
  const lost = [
    ...(unsaved !== undefined ? ['the snapshot'] : []),
    ...(failed.size > 0 ? [options.formats.length === 1 ? 'the report' : `${failed.size} of ${options.formats.length} reports`] : []),
  ];
  if (lost.length > 0) io.unwritten?.({ snapshot: unsaved !== undefined, reports: failed.size });
  const outcome = (meaning: string) => (lost.length === 0 ? meaning : `exit 2: ${lost.join(' and ')} could not be written (without that, ${meaning})`);
  // One summary per run, however many `github` reports it writes (annotations to standard output
  // and to a file): the job's page would show the same table twice.
  if (options.formats.some((f) => f.format === 'github')) appendStepSummary(io, input, { repositoryPath: reportPaths(io, options), configPath: repositoryPaths(io), outcome });
  // Every report went to a file: the log gets the counts and where to look, not every finding.
  if (!options.quiet && options.formats.every((f) => f.file !== undefined)) {
    const [counts, meaning] = summaryLines(input);
    const written = options.formats.filter((f) => !failed.has(f)).map((f) => escapeTerminal(f.file ?? ''));
    io.stderr(`trailgate: ${counts}; ${outcome(meaning)}. Reports: ${written.length > 0 ? written.join(', ') : 'none written'}\n`);
  }
  if (unsaved !== undefined) fail(io, unsaved);
  for (const message of failed.values()) if (message !== undefined) fail(io, message);
  return failed.size > 0 || unsaved !== undefined ? EXIT.input : input.exitCode;
}

/**
 * Loads (when given a function) and judges the inventory. A function of its own so that, once
 * it returns, nothing on the stack still holds the inventory (hundreds of megabytes for a large
 * organization): the reports are written with only the results alive.
 */
function judgeLoaded(plan: ScanPlan | CompiledRule[], loaded: LoadedInventory | (() => LoadedInventory), options: ScanOptions, io: Io): ReportInput {
  const full = Array.isArray(plan) ? { rules: plan, known: new Set(plan.map((r) => r.meta.id)), baseline: readBaseline(options, io) } : plan;
  return judgeScan(full, typeof loaded === 'function' ? loaded() : loaded, options, io);
}

/**
 * Writes one report; its generator and caches are garbage once this returns. False when standard
 * output stopped taking it part way.
 */
async function writeReport(spec: FormatSpec, input: ReportInput, options: ScanOptions, io: Io): Promise<boolean> {
  // no-color.org: NO_COLOR counts when it is set to anything but the empty string. TERM=dumb is
  // a terminal that understands no escape (Emacs' shell, some CI log viewers): it gets none.
  const color = options.color ?? (io.stdoutIsTTY && (io.env.NO_COLOR ?? '') === '' && io.env.TERM !== 'dumb');
  const repositoryPath = reportPaths(io, options);
  const chunks = FORMATS[spec.format](input, { color: spec.file === undefined && color, verbose: options.verbose, repositoryPath, reservedErrors: io.reservedErrorAnnotations });
  if (spec.file === undefined) {
    for (const chunk of batched(chunks)) {
      io.stdout(chunk);
      // Standard output failed (the reader of a pipe is gone): the entry point reports that and
      // exits 2; the rest of this report would be made for nobody.
      if (io.stdoutReady !== undefined && !(await io.stdoutReady())) return false;
    }
    // A pipe fails a write after it was made: the report is whole only once the last one is done,
    // and the step summary, written after the reports, must know.
    if (io.stdoutFlushed !== undefined && !(await io.stdoutFlushed())) return false;
  } else await writeStreamAtomically(io.cwd, spec.file, chunks);
  return true;
}

/**
 * Where GitHub finds each inventory file (repository-paths.ts), with one more rule: an inventory
 * piped on standard input is shown as `stdin`, which is no file of the repository (one of that
 * name would get every annotation and alert), so, like an inventory outside the repository, it
 * gets no annotation `file` and a SARIF URI naming the resource; the text and JSON reports keep
 * its lines. A real file named `stdin` scanned in the same run is taken for it too.
 */
function reportPaths(io: Io, options: Pick<ScanOptions, 'snapshots'>): RepositoryPath | undefined {
  const base = repositoryPaths(io);
  if (!options.snapshots.some((f) => f === '-' || namesStdin(io.cwd, f))) return base;
  // The name locate gives the inventory read from standard input, so that the two cannot differ.
  const piped = sourceName(io.cwd, STDIN_SOURCE);
  return (file) => (file === piped ? undefined : base === undefined ? file : base(file));
}

/**
 * Past this many results, memory is handed back once the inventory is judged: left to itself, V8
 * lets the heap of a 10,000-account scan grow to twice what is alive before it collects.
 */
const LARGE_RUN = 50_000;

/** Evaluates, locates, applies suppressions and the baseline, and sorts: everything a report needs. */
function judgeScan({ rules, known, unknowable, baseline }: ScanPlan, loaded: LoadedInventory, options: ScanOptions, io: Io): ReportInput {
  const ran = new Set(rules.map((r) => r.meta.id));
  const judged = judgeResults(locate(evaluate(rules, loaded.inventory), loaded, io.cwd), options, io, { ran, known, unknowable }, baseline);
  // Sorted once here, where suppressions and baselines have had their say; the reporters reuse it.
  const results = sortResults(judged.results);
  return {
    tool: TOOL,
    rules: rules.map((r) => r.meta),
    results,
    startTime: reportTime(loaded.inventory),
    // Sorted: the order the --snapshot flags came in changes no verdict, so it changes no byte either.
    inputs: loaded.files
      .filter((f) => f !== LIVE_SOURCE)
      .map((f) => sourceName(io.cwd, f))
      .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)),
    failOn: options.failOn,
    failOnSource: options.failOnSource,
    failOnFlag: io.failOnFlag,
    exitCode: exitCodeFor(results, options.failOn),
    suppressionNotes: judged.notes,
    // Listed, or known only from their errors (judged as accounts, whatever the rules); not the
    // owner of an organization trail that only its members' entries show.
    accountCount: new Set([...loaded.inventory.accounts.map((a) => a.accountId), ...results.filter((r) => r.subject.kind !== 'trail').map((r) => r.subject.accountId)]).size,
  };
}

/** Inside GitHub Actions, adds the run's Markdown summary to the job's page (`$GITHUB_STEP_SUMMARY`). */
function appendStepSummary(io: Io, input: ReportInput, options: GithubOptions): void {
  const file = io.env.GITHUB_STEP_SUMMARY;
  if (!file) return;
  try {
    appendFileSync(file, githubSummary(input, options));
  } catch (e) {
    io.stderr(`trailgate: warning: cannot append to GITHUB_STEP_SUMMARY: ${fileProblem(e, 'a file')}\n`);
  }
}

/**
 * The time reports record: the inventory's own collectedAt, so a report is about the moment the
 * evidence was taken and the same inventory always gives the same bytes.
 */
function reportTime(inv: Inventory): string {
  if (inv.collectedAt !== undefined) {
    const t = Date.parse(inv.collectedAt);
    if (!Number.isNaN(t)) return new Date(t).toISOString().replace(/\.\d{3}Z$/, 'Z');
  }
  return '1970-01-01T00:00:00Z';
}

/**
 * How reports name the file an inventory came from (its name as loaded): `stdin` for standard
 * input, and any other as the file it is. Not displayPath, for which `-` is the argument that
 * reads standard input: a file named `-` (`--snapshot ./-`) is loaded as `-`, and would be shown,
 * and annotated on GitHub, as a file named `stdin`.
 */
function sourceName(cwd: string, file: string): string {
  return file === STDIN_SOURCE ? displayPath(cwd, file) : relativePath(cwd, file);
}

/** Turns each result's anchor into a file and line, through the source map of the file that holds the account. */
function locate(results: Result[], loaded: LoadedInventory, cwd: string): Result[] {
  const shown = new Map<string, string>();
  // Every rule's result for one subject shares the subject's anchor, so each is located once.
  const located = new Map<object, Result['location'] | null>();
  for (const r of results) {
    const anchor = r.anchor;
    if (!anchor) continue;
    let location = located.get(anchor);
    if (location === undefined) {
      location = null;
      const src = loaded.sources.get(anchor.accountId);
      const pointer = src && `${src.base ?? `/accounts/${src.index}`}${anchor.pointer}`;
      const pos = src && pointer !== undefined ? src.map.locate(pointer) : undefined;
      // A live inventory saved nowhere has no lines to point at; reports name the resource instead.
      if (pos && pointer !== undefined && pos.file !== LIVE_SOURCE) {
        let file = shown.get(pos.file);
        if (file === undefined) shown.set(pos.file, (file = sourceName(cwd, pos.file)));
        location = { file, line: pos.line, column: pos.column, pointer };
      }
      located.set(anchor, location);
    }
    if (location) r.location = location;
  }
  return results;
}
