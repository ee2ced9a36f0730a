/** Running the CLI in-process with a fake Io, and as a real process from the built bundle. */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from '../../src/cli/program.ts';
import type { Io } from '../../src/cli/io.ts';

export const REPO = join(import.meta.dirname, '..', '..');

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `trailgate ...args` in-process, in `cwd` (default: the repository). */
export async function cli(args: string[], options: { cwd?: string; stdin?: string; env?: Record<string, string> } = {}): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const io: Io = {
    stdout: (s) => void (stdout += s),
    stderr: (s) => void (stderr += s),
    readStdin: () => options.stdin ?? '',
    cwd: options.cwd ?? REPO,
    env: options.env ?? {},
    stdoutIsTTY: false,
    stderrIsTTY: false,
    now: () => new Date('2026-11-21T00:00:00Z'),
  };
  const code = await run(args, io);
  return { code, stdout, stderr };
}

let built = false;

/**
 * Builds lib/trailgate.js from this source, once per test process: a test that runs the built CLI
 * must not run a bundle left from older sources, nor find none. Test files run on two mocha
 * workers in no fixed order, so each such file builds for itself (the build replaces the bundle
 * by a rename, so a build on the other worker never leaves half of one).
 */
export function buildCli(): void {
  if (built) return;
  execFileSync(process.execPath, ['--import', 'tsx', 'scripts/build.ts'], { cwd: REPO, stdio: 'ignore' });
  built = true;
}

/** Runs the built CLI (bin/trailgate.js -> lib/trailgate.js) as a child process. */
export function cliProcess(args: string[], options: { cwd?: string; stdin?: string; env?: Record<string, string> } = {}): CliRun {
  const r = spawnSync(process.execPath, [join(REPO, 'bin', 'trailgate.js'), ...args], {
    cwd: options.cwd ?? REPO,
    input: options.stdin ?? '',
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', ...options.env },
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

const made: string[] = [];

/** Removes the directories tempDir made, when the test process ends: a run leaves none behind. */
function removeTempDirs(): void {
  for (const dir of made.splice(0)) {
    try {
      rmSync(dir, { recursive: true, force: true, maxRetries: 2 });
    } catch {
      // best effort: a directory a test made unreadable stays, and the run's outcome is unchanged
    }
  }
}

/** A fresh temporary directory, removed when the test process exits. */
export function tempDir(prefix = 'trailgate-test-'): string {
  if (made.length === 0) process.once('exit', removeTempDirs);
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}
