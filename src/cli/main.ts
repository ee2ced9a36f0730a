/**
 * The process entry point, and the only place that ends the process: it runs the CLI with the
 * real streams and sets the exit code. A crash still exits non-zero and says where to report it.
 */
import { isatty } from 'node:tty';
import v8 from 'node:v8';
import vm from 'node:vm';
import { readStdin } from '../inventory/load.ts';
import { exitForError } from './exit.ts';
import { run } from './program.ts';

// V8 learns from the first objects an allocation site makes whether to place its later objects
// straight in the old generation. A scan's short-lived objects (trail judgements, message
// pieces) can trip that, and then pile up as garbage beside the inventory until the next full
// collection: the peak memory of a 10,000-account scan swung from 810 MB to 980 MB between
// identical runs. Without it the peak holds at the low end, at no cost in time (measured).
v8.setFlagsFromString('--no-allocation-site-pretenuring');

process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  // A closed pipe (`trailgate scan | head`) is the reader's choice, not a failure to report.
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  // Any other failure (a full disk under `> report.json`) lost part of a report: as for a report
  // file that cannot be written, say so and exit 2, whatever the verdict would have been.
  process.stderr.write(`trailgate: cannot write the report to standard output: ${e.code ?? e.message}\n`);
  process.exit(2);
});

try {
  const code = await run(process.argv.slice(2), {
    stdout: (s) => void process.stdout.write(s),
    stderr: (s) => void process.stderr.write(s),
    // isatty, not process.stdin.isTTY: touching process.stdin would make a piped stdin non-blocking.
    readStdin: () => (isatty(0) ? '' : readStdin()),
    cwd: process.cwd(),
    env: process.env,
    stdoutIsTTY: process.stdout.isTTY === true,
    stderrIsTTY: process.stderr.isTTY === true,
    stderrColumns: process.stderr.isTTY === true ? process.stderr.columns : undefined,
    now: () => new Date(),
    releaseMemory: fullCollection(),
  });
  process.exitCode = code;
} catch (e) {
  const { code, message } = exitForError(e);
  process.stderr.write(`${message}\n`);
  process.exitCode = code;
}

/** A full garbage collection on demand, through V8's own `gc` (enabled here, as `node --expose-gc` would). */
function fullCollection(): () => void {
  let gc: (() => void) | undefined;
  return () => {
    if (gc === undefined) {
      v8.setFlagsFromString('--expose-gc');
      gc = vm.runInNewContext('gc') as () => void;
    }
    gc();
  };
}
