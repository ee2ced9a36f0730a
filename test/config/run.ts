/** Running the CLI in-process for config, suppression and baseline tests: a temp working directory and a fixed clock. */
import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { run } from '../../src/cli/program.ts';
import type { Io } from '../../src/cli/io.ts';
import { tempDir } from '../helpers/cli.ts';

export const REPO = join(import.meta.dirname, '..', '..');
export const EXAMPLE = join(REPO, 'examples', 'organization.yaml');
/** The three rules the example inventory violates once each; pinned so new built-in rules do not move the counts. */
export const CORE = 'bucket-delivery,kms-encryption,log-file-validation';

export interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `trailgate ...args` in `cwd` at time `now`. */
export async function trailgate(args: string[], cwd: string, options: { now?: string; env?: Record<string, string> } = {}): Promise<Outcome> {
  let stdout = '';
  let stderr = '';
  const io: Io = {
    stdout: (s) => void (stdout += s),
    stderr: (s) => void (stderr += s),
    readStdin: () => '',
    cwd,
    env: options.env ?? {},
    stdoutIsTTY: false,
    stderrIsTTY: false,
    now: () => new Date(options.now ?? '2026-11-21T12:00:00Z'),
  };
  const code = await run(args, io);
  return { code, stdout, stderr };
}

/** A temporary directory holding a copy of the example inventory as `org.yaml`, plus the given files. */
export function workspace(files: Record<string, string> = {}): string {
  const dir = tempDir('trailgate-config-');
  copyFileSync(EXAMPLE, join(dir, 'org.yaml'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}
