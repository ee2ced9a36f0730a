/**
 * The GitHub Action: inputs to `trailgate scan` arguments, the CLI's own `run()` with an Io
 * bound to the runner's process, then the step outputs. Exit codes are the CLI's.
 */
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { EXIT, exitForError } from '../cli/exit.ts';
import type { Io } from '../cli/io.ts';
import { InputError } from '../errors.ts';
import { run } from '../cli/program.ts';
import { escapeData, escapeProperty } from '../report/github.ts';
import { getInput, scanArguments } from './inputs.ts';
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
  const temp = mkdtempSync(join(proc.env.RUNNER_TEMP || tmpdir(), 'trailgate-'));
  let errors = '';
  try {
    let code: number;
    let reports;
    try {
      if (!statSync(cwd, { throwIfNoEntry: false })?.isDirectory()) {
        throw new InputError(`the input "working-directory" names ${getInput(proc.env, 'working-directory')}, which is not a directory of the workspace`);
      }
      const args = scanArguments(proc.env, temp);
      reports = args.reports;
      const io: Io = {
        stdout: proc.stdout,
        stderr: (s) => {
          errors += s;
          proc.stderr(s);
        },
        readStdin: () => '',
        cwd,
        env: proc.env,
        stdoutIsTTY: false,
        stderrIsTTY: false,
        now: proc.now,
      };
      code = await run(args.argv, io);
    } catch (e) {
      const { code: exit, message } = exitForError(e);
      errors += `${message}\n`;
      proc.stderr(`${message}\n`);
      code = exit;
    }
    const finished = code === EXIT.ok || code === EXIT.violations || code === EXIT.incomplete;
    if (!finished) {
      // The run did not start: say why where the workflow's page shows it, not only in the log.
      const why = errors.trim().split('\n').filter((l) => !l.startsWith('trailgate: warning')).join('\n') || `trailgate exited with ${code}`;
      proc.stdout(`::error title=${escapeProperty('trailgate could not run')}::${escapeData(why)}\n`);
    }
    if (reports?.text !== undefined) showTextReport(proc, resolve(cwd, reports.text));
    const outputs: Record<string, string> = { 'exit-code': String(code), pass: '', fail: '', error: '', skipped: '', sarif: '', junit: '', json: '' };
    // Only a finished run wrote reports; a file at that path otherwise is an earlier run's.
    const counts = reports && finished ? readCounts(resolve(cwd, reports.countsFrom)) : undefined;
    if (counts) for (const k of ['pass', 'fail', 'error', 'skipped'] as const) outputs[k] = String(counts[k]);
    if (reports && counts) {
      for (const k of ['sarif', 'junit', 'json'] as const) if (reports[k] !== undefined) outputs[k] = shown(proc.cwd, resolve(cwd, reports[k]!));
    }
    writeOutputs(proc.env.GITHUB_OUTPUT, outputs);
    return code;
  } finally {
    rmSync(temp, { recursive: true, force: true });
  }
}

/**
 * The text report in a collapsed group of the log. Every line of it starts with trailgate's own
 * words and untrusted text in it is escaped, so no line of it can be read as a workflow command.
 */
function showTextReport(proc: ActionProcess, file: string): void {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return;
  }
  proc.stdout(`::group::trailgate report\n${text}${text.endsWith('\n') ? '' : '\n'}::endgroup::\n`);
}

/** The summary counts of the JSON report, or undefined when the run wrote none. */
function readCounts(file: string): Record<'pass' | 'fail' | 'error' | 'skipped', number> | undefined {
  try {
    return (JSON.parse(readFileSync(file, 'utf8')) as { summary: Record<'pass' | 'fail' | 'error' | 'skipped', number> }).summary;
  } catch {
    return undefined;
  }
}

/** A report path for later steps: relative to the workspace when inside it, else absolute. */
function shown(workspace: string, path: string): string {
  const rel = relative(workspace, path);
  return rel === '' || rel.startsWith('..') || isAbsolute(rel) ? path : rel.split('\\').join('/');
}
