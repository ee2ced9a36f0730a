/**
 * The Action's entry point (bundled into dist/action.js): runs the Action with the runner's
 * process and sets the exit code. A crash still exits non-zero and says where to report it.
 */
import { exitForError } from '../cli/exit.ts';
import { runAction } from './run.ts';

try {
  process.exitCode = await runAction({
    env: process.env,
    cwd: process.cwd(),
    stdout: (s) => void process.stdout.write(s),
    stderr: (s) => void process.stderr.write(s),
    now: () => new Date(),
  });
} catch (e) {
  const { code, message } = exitForError(e);
  process.stderr.write(`${message}\n`);
  process.exitCode = code;
}
