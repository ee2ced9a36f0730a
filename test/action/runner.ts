/**
 * Running the committed Action bundle the way the runner does: `node dist/action.js` in the
 * workspace, inputs as INPUT_* variables, GITHUB_OUTPUT and GITHUB_STEP_SUMMARY as files.
 * Asynchronous, so a fake AWS endpoint in this process keeps answering while it runs. Or its
 * sources, in this process, for what the Action decides before and after the CLI's run.
 */
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runAction as runActionSources } from '../../src/action/run.ts';
import { REPO } from '../config/run.ts';
import { MGMT } from '../collect/world.ts';
import { principalFor } from '../fake-aws/scenario.ts';
import { tempDir } from '../helpers/cli.ts';

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

/** The runner's files and environment for one run: inputs as INPUT_* variables, then `env` over the runner's own. */
function runnerEnv(workspace: string, inputs: Record<string, string>, env: Record<string, string>): { childEnv: Record<string, string>; outputFile: string; summaryFile: string } {
  const runner = tempDir('trailgate-runner-');
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
  return { childEnv, outputFile, summaryFile };
}

/** Reads a file the run may have been unable to write to (its path replaced by `env`): '' when there is none. */
function readIfThere(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

/** Runs the Action in `workspace` with `inputs` by their action.yml names, plus `env` (AWS credentials, say). */
export async function runAction(workspace: string, inputs: Record<string, string>, env: Record<string, string> = {}): Promise<ActionRun> {
  const { childEnv, outputFile, summaryFile } = runnerEnv(workspace, inputs, env);
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

/**
 * runAction on the sources (src/action/run.ts) in this process, as the bundle's entry runs them:
 * for what the Action itself decides, tested without rebuilding dist/action.js first. The
 * runner's files are the given `env`'s, when it names others (`GITHUB_OUTPUT=/nonexistent/x`).
 */
export async function runActionInProcess(workspace: string, inputs: Record<string, string>, env: Record<string, string> = {}): Promise<ActionRun> {
  const { childEnv } = runnerEnv(workspace, inputs, env);
  let stdout = '';
  let stderr = '';
  const code = await runActionSources({
    env: childEnv,
    cwd: workspace,
    stdout: (s) => void (stdout += s),
    stderr: (s) => void (stderr += s),
    now: () => new Date('2026-11-21T12:00:00Z'),
  });
  return { code, stdout, stderr, outputs: parseOutputs(readIfThere(childEnv.GITHUB_OUTPUT)), summary: readIfThere(childEnv.GITHUB_STEP_SUMMARY) };
}

/**
 * The environment of an Action step that audits the fake AWS endpoint at `url` as its
 * management account, and reads no AWS config of the machine running the tests.
 */
export function fakeAwsStepEnv(url: string): Record<string, string> {
  const principal = principalFor(MGMT);
  return {
    AWS_ENDPOINT_URL: url,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: principal.accessKeyId,
    AWS_SECRET_ACCESS_KEY: principal.secretAccessKey,
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_CONFIG_FILE: '/nonexistent/trailgate-test-aws-config',
    AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/trailgate-test-aws-credentials',
    AWS_MAX_ATTEMPTS: '3',
  };
}
