/**
 * Running the committed Action bundle the way the runner does: `node dist/action.js` in the
 * workspace, inputs as INPUT_* variables, GITHUB_OUTPUT and GITHUB_STEP_SUMMARY as files.
 * Asynchronous, so a fake AWS endpoint in this process keeps answering while it runs.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO } from '../config/run.ts';

/** What one run of the Action left behind. */
export interface ActionRun {
  code: number;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  summary: string;
}

/** Parses GITHUB_OUTPUT's heredoc records. */
export function parseOutputs(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const m = /^([^<]+)<<(.+)$/.exec(lines[i]);
    if (!m) continue;
    const value: string[] = [];
    for (i++; lines[i] !== m[2]; i++) value.push(lines[i]);
    out[m[1]] = value.join('\n');
  }
  return out;
}

/** Runs the Action in `workspace` with `inputs` by their action.yml names, plus `env` (AWS credentials, say). */
export async function runAction(workspace: string, inputs: Record<string, string>, env: Record<string, string> = {}): Promise<ActionRun> {
  const runner = mkdtempSync(join(tmpdir(), 'trailgate-runner-'));
  const outputFile = join(runner, 'output');
  const summaryFile = join(runner, 'summary');
  writeFileSync(outputFile, '');
  writeFileSync(summaryFile, '');
  const childEnv: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    GITHUB_ACTIONS: 'true',
    GITHUB_WORKSPACE: workspace,
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    RUNNER_TEMP: runner,
    ...env,
  };
  // The runner upper-cases input names and keeps their hyphens.
  for (const [name, value] of Object.entries(inputs)) childEnv[`INPUT_${name.toUpperCase()}`] = value;
  const child = spawn(process.execPath, [join(REPO, 'dist', 'action.js')], { cwd: workspace, env: childEnv });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
  const code = await new Promise<number>((done, fail) => {
    child.on('error', fail);
    child.on('close', (c) => done(c ?? -1));
  });
  return { code, stdout, stderr, outputs: parseOutputs(readFileSync(outputFile, 'utf8')), summary: readFileSync(summaryFile, 'utf8') };
}
