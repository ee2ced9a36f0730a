/**
 * The GitHub Action: inputs to `trailgate scan` arguments, the CLI's own `run()` with an Io
 * bound to the runner's process, then the step outputs. Exit codes are the CLI's.
 */
import { appendFileSync, closeSync, mkdtempSync, openSync, readSync, rmSync, statSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { tmpdir } from 'node:os';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { EXIT, exitForError } from '../cli/exit.ts';
import { isSystemError } from '../cli/write-file.ts';
import type { Io } from '../cli/io.ts';
import { fileProblem, InputError, InputProblems } from '../errors.ts';
import { leavesBase } from '../input/display-path.ts';
import { run } from '../cli/program.ts';
import { escapeTerminal } from '../report/escape.ts';
import { escapeData, escapeProperty, printable } from '../report/github.ts';
import { checkInputs, getInput, inputWording, scanArguments } from './inputs.ts';
import { writeOutputs } from './outputs.ts';

/** What the Action touches of its process, passed in so tests can run it in-process too. */
export interface ActionProcess {
  env: Record<string, string | undefined>;
  /** The runner's working directory (the workspace). */
  cwd: string;
  stdout(text: string): void;
  stderr(text: string): void;
  now(): Date;
}

/** Runs the Action; returns the exit code (the CLI's: 0, 1, 2 or 3). */
export async function runAction(proc: ActionProcess): Promise<number> {
  const cwd = resolve(proc.cwd, getInput(proc.env, 'working-directory') || '.');
  const temp = makeTemp(proc);
  if (temp === undefined) return EXIT.input;
  // The errors the run ended on, for the annotation: not the progress and warnings around them.
  const errors: string[] = [];
  // The same, when every one is at a line of a file in the workspace.
  let onLines: LineAnnotation[] = [];
  // The run's own counts, told once it has judged everything: undefined when it never got that far.
  let counts: Record<'pass' | 'fail' | 'error' | 'skipped', number> | undefined;
  // What a run that judged everything could not write, when that is why it ends 2.
  let unwritten: { snapshot: boolean; reports: number } | undefined;
  // Each report file as it was before the run: a file at that path afterwards is this run's only
  // if it is another file (reports are renamed into place) or was not there.
  const before = new Map<string, string | undefined>();
  const written = (path: string): boolean => {
    const now = fileVersion(path);
    return now !== undefined && now !== before.get(path);
  };
  try {
    let code: number;
    let reports;
    try {
      const notDirectory = workingDirectoryProblem(cwd);
      if (notDirectory !== undefined) {
        throw new InputError(`the input "working-directory" names ${getInput(proc.env, 'working-directory')}, which is not a directory of the workspace${notDirectory}`);
      }
      checkInputs(proc.env, cwd);
      const args = scanArguments(proc.env, temp);
      reports = args.reports;
      for (const path of reportPaths(cwd, reports)) before.set(path, fileVersion(path));
      const io: Io = {
        stdout: proc.stdout,
        // The CLI names the flags the Action passed; the workflow wrote inputs.
        stderr: (text) => proc.stderr(inputWording(proc.env, text)),
        failed: (message, error) => {
          errors.push(inputWording(proc.env, message));
          onLines = linesOf(error, cwd, proc.cwd).map((a) => ({ ...a, text: inputWording(proc.env, a.text) }));
        },
        // The runner gives a step no input to read: an inventory of `-` or `/dev/stdin` (from the
        // config's `snapshots`; the input is refused sooner) would read as empty, or as whatever
        // the runner left there. Refused by the loader with these words, at the config's entry.
        noStdin: 'the Action does not give the run',
        readStdin: () => {
          throw new InputError('standard input is not given to the Action\'s run');
        },
        cwd,
        env: proc.env,
        stdoutIsTTY: false,
        stderrIsTTY: false,
        now: proc.now,
        judged: (c) => (counts = c),
        unwritten: (w) => (unwritten = w),
        // The annotation that says why the step failed comes after the run's: keep it a slot.
        reservedErrorAnnotations: 1,
        // The workflow wrote an input; `--fail-on` is how the Action passes it on.
        failOnFlag: 'the input "fail-on" is never',
      };
      code = await run(args.argv, io);
    } catch (e) {
      const { code: exit, message } = exitForError(e);
      errors.push(message);
      onLines = linesOf(e, cwd, proc.cwd);
      proc.stderr(`${message}\n`);
      code = exit;
    }
    // Why the step failed, said once, after the log's text report: GitHub keeps a step's first
    // 10 error annotations, and the run's own leave one free for this (Io.reservedErrorAnnotations).
    const finished = code === EXIT.ok || code === EXIT.violations || code === EXIT.incomplete;
    // A run that judged everything but could not write some report (exit 2) still wrote the
    // others: later steps (an upload with `if: !cancelled()`) get those.
    const failed: Failed | undefined = finished ? undefined : unwritten !== undefined && code === EXIT.input ? unwritten : 'run';
    let outputsLost = false;
    if (reports?.text !== undefined) showTextReport(proc, resolve(cwd, reports.text));
    const outputs: Record<string, string> = { 'exit-code': String(code), pass: '', fail: '', error: '', skipped: '', sarif: '', junit: '', json: '' };
    if (counts) for (const k of ['pass', 'fail', 'error', 'skipped'] as const) outputs[k] = String(counts[k]);
    if (reports) {
      // Only what this run wrote: a file at a report's path otherwise is an earlier run's.
      for (const k of ['sarif', 'junit', 'json'] as const) if (reports[k] !== undefined && written(resolve(cwd, reports[k]!))) outputs[k] = shown(proc.cwd, resolve(cwd, reports[k]!));
    }
    try {
      writeOutputs(proc.env.GITHUB_OUTPUT, outputs);
    } catch (e) {
      if (!isSystemError(e)) throw e;
      // The runner's file, not trailgate, failed (a full disk, a path that is gone): later steps
      // that read this step's outputs would see none, so the step fails as a report it could not
      // write does (exit 2). A crash stays 70.
      const message = `trailgate: cannot write the step outputs to GITHUB_OUTPUT (${escapeTerminal(proc.env.GITHUB_OUTPUT ?? '')}): ${escapeTerminal(fileProblem(e, 'a file'))}`;
      proc.stderr(`${message}\n`);
      errors.push(message);
      outputsLost = true;
      if (code !== EXIT.internal) code = EXIT.input;
    }
    if (failed === 'run' && !outputsLost && onLines.length > 0) {
      // Mistakes in files of the repository (a config, a rule, an inventory) are annotated on
      // their lines, where a pull request shows them; ten at most, as the CLI lists.
      const title = escapeProperty(failureTitle(failed, outputsLost));
      for (const a of onLines) proc.stdout(`::error file=${escapeProperty(a.file)},line=${a.line}${a.column !== undefined ? `,col=${a.column}` : ''},title=${title}::${escapeData(a.text)}\n`);
    } else if (failed !== undefined || outputsLost) {
      const why = errors.join('\n') || `trailgate exited with ${code}`;
      proc.stdout(`::error title=${escapeProperty(failureTitle(failed, outputsLost))}::${escapeData(why)}\n`);
    }
    if (outputsLost) noteInSummary(proc.env, `The step ends with exit ${code}: its outputs could not be written to GITHUB_OUTPUT.`);
    return code;
  } finally {
    rmSync(temp, { recursive: true, force: true });
  }
}

/**
 * Why the working directory cannot be used: undefined when it is a directory, '' when nothing is
 * there or it is something else, and the reason in words when it cannot even be looked at (a
 * path through a file, a name too long, a folder it may not enter): statSync throws for those,
 * whatever throwIfNoEntry says, and the error ended the step as a crash (exit 70) with a stack trace.
 */
function workingDirectoryProblem(cwd: string): string | undefined {
  try {
    return statSync(cwd, { throwIfNoEntry: false })?.isDirectory() ? undefined : '';
  } catch (e) {
    if (!isSystemError(e)) throw e;
    return ` (${fileProblem(e, 'a directory')})`;
  }
}

/** What stopped the run short of its exit code: running at all, or writing some of its files. */
type Failed = 'run' | { snapshot: boolean; reports: number };

/**
 * The failure annotation's title, by what failed: "trailgate could not run", "... could not write
 * the snapshot, every report or the step outputs" (as many of those as failed).
 */
function failureTitle(failed: Failed | undefined, outputsLost: boolean): string {
  const outputs = outputsLost ? ['the step outputs'] : [];
  if (failed === 'run') return `trailgate could not run${outputsLost ? ' or write the step outputs' : ''}`;
  const files = [...(failed?.snapshot ? ['the snapshot'] : []), ...((failed?.reports ?? 0) > 0 ? ['every report'] : []), ...outputs];
  return `trailgate could not write ${files.length === 1 ? files[0] : `${files.slice(0, -1).join(', ')} or ${files.at(-1)}`}`;
}

/** An error annotation placed at a line of a file of the workspace. */
interface LineAnnotation {
  file: string;
  line: number;
  column?: number;
  text: string;
}

/**
 * The input error's problems, each at its line of a file of the workspace, with its message as
 * the log shows it (the count of problems not shown joins the last); none unless every problem
 * is at a line of such a file (standard input, a built-in rule or a file outside the workspace
 * has no place GitHub can show).
 */
function linesOf(e: unknown, cwd: string, workspace: string): LineAnnotation[] {
  if (!(e instanceof InputError)) return [];
  const problems = e instanceof InputProblems ? e.problems : [e];
  const texts = e.describeAll().map((line) => `trailgate: ${escapeTerminal(line)}`);
  const out: LineAnnotation[] = [];
  for (const [i, p] of problems.entries()) {
    const at = p.position;
    if (at === undefined || at.line === undefined || at.file === 'stdin' || at.file === '<stdin>') return [];
    const file = shown(workspace, resolve(cwd, at.file));
    // A path with a character the log must not carry raw (ESC, U+202E...) cannot be written as it
    // is, and escaped it would name another file: the one annotation on the step, as the
    // results' annotations do (see githubReport).
    if (isAbsolute(file) || !printable(file)) return [];
    out.push({ file, line: at.line, ...(at.column !== undefined ? { column: at.column } : {}), text: texts[i] ?? '' });
  }
  // "N more problems not shown" rides with the last.
  const last = out.at(-1);
  if (last !== undefined && texts.length > problems.length) last.text += `\n${texts.slice(problems.length).join('\n')}`;
  return out;
}

/**
 * A line added to the step summary after the CLI wrote it, when the Action itself then fails:
 * the summary's first line gave the run's exit code. Losing it costs only the line.
 */
function noteInSummary(env: Record<string, string | undefined>, line: string): void {
  if (!env.GITHUB_STEP_SUMMARY) return;
  try {
    appendFileSync(env.GITHUB_STEP_SUMMARY, `\n${line}\n`);
  } catch {
    // The summary file is the runner's; the annotation already says why the step failed.
  }
}

/**
 * A folder of the run's own for the text report, in the runner's temporary folder. A runner
 * whose RUNNER_TEMP cannot take it (full, gone, read-only) is the environment's fault, not a
 * bug: said where the workflow's page shows it, exit 2, no stack trace. Anything else is a bug.
 */
function makeTemp(proc: ActionProcess): string | undefined {
  const parent = proc.env.RUNNER_TEMP || tmpdir();
  try {
    return mkdtempSync(join(parent, 'trailgate-'));
  } catch (e) {
    if (!isSystemError(e)) throw e;
    const message = `trailgate: cannot create a temporary folder in ${escapeTerminal(parent)} (RUNNER_TEMP): ${escapeTerminal(fileProblem(e, 'a directory'))}`;
    proc.stderr(`${message}\n`);
    proc.stdout(`::error title=${escapeProperty('trailgate could not run')}::${escapeData(message)}\n`);
    try {
      writeOutputs(proc.env.GITHUB_OUTPUT, { 'exit-code': String(EXIT.input), pass: '', fail: '', error: '', skipped: '', sarif: '', junit: '', json: '' });
    } catch (w) {
      if (!isSystemError(w)) throw w;
    }
    return undefined;
  }
}

/** The files a run writes its reports to, absolute. */
function reportPaths(cwd: string, reports: { sarif?: string; junit?: string; json?: string }): string[] {
  return [reports.sarif, reports.junit, reports.json].filter((p): p is string => p !== undefined).map((p) => resolve(cwd, p));
}

/** Which file is at a path (inode, modification time and size), or undefined when none is. */
function fileVersion(path: string): string | undefined {
  try {
    const st = statSync(path, { bigint: true });
    return st.isFile() ? `${st.ino}:${st.mtimeNs}:${st.size}` : undefined;
  } catch {
    return undefined;
  }
}

/** Bytes of the text report read and written to the log at a time. */
const TEXT_CHUNK = 1 << 20;

/**
 * The text report in a collapsed group of the log. Every line of it starts with trailgate's own
 * words and untrusted text in it is escaped, so no line of it can be read as a workflow command.
 * Passed on a megabyte at a time: the report of a large organization is hundreds of megabytes,
 * and one string of it would cost as much memory (and fail past V8's 512 MB string limit).
 */
function showTextReport(proc: ActionProcess, file: string): void {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch {
    return;
  }
  proc.stdout('::group::trailgate report\n');
  let endsLine = true;
  try {
    const buffer = Buffer.alloc(TEXT_CHUNK);
    // A character split between two reads is held back until its other bytes come.
    const decoder = new StringDecoder('utf8');
    for (let n; (n = readSync(fd, buffer, 0, TEXT_CHUNK, null)) > 0; ) {
      proc.stdout(decoder.write(buffer.subarray(0, n)));
      endsLine = buffer[n - 1] === 0x0a;
    }
    proc.stdout(decoder.end());
  } catch {
    // A read that fails half-way (the runner's disk) loses the rest of the log's copy, not the run.
    endsLine = false;
  } finally {
    closeSync(fd);
  }
  proc.stdout(`${endsLine ? '' : '\n'}::endgroup::\n`);
}

/**
 * A report path for later steps: relative to the workspace when inside it, else absolute. Only
 * the platform's separator becomes `/`: on POSIX a backslash is part of a file name.
 */
function shown(workspace: string, path: string): string {
  const rel = relative(workspace, path);
  return rel === '' || leavesBase(rel) ? path : rel.split(sep).join('/');
}
