/**
 * The process entry point, and the only place that ends the process: it runs the CLI with the
 * real streams and sets the exit code. A crash still exits non-zero and says where to report it.
 */
import v8 from 'node:v8';
import vm from 'node:vm';
import { fileProblem } from '../errors.ts';
import { readStdin } from '../inventory/load.ts';
import { EXIT, exitForError } from './exit.ts';
import { run } from './program.ts';

// V8 learns from the first objects an allocation site makes whether to place its later objects
// straight in the old generation. A scan's short-lived objects (trail judgements, message
// pieces) can trip that, and then pile up as garbage beside the inventory until the next full
// collection: the peak memory of a 10,000-account scan swung from 810 MB to 980 MB between
// identical runs. Without it the peak holds at the low end, at no cost in time (measured).
v8.setFlagsFromString('--no-allocation-site-pretenuring');

const stdout = watchedStdout(process.stdout);
const stderr = lossyStderr(process.stderr);

try {
  const code = await run(process.argv.slice(2), {
    stdout: stdout.write,
    stdoutReady: stdout.ready,
    stdoutFlushed: async () => (await stdout.flushed()) === undefined,
    stderr,
    // Not process.stdin: touching it would make a piped stdin non-blocking. A terminal is refused there, with a hint.
    readStdin: () => readStdin(),
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
  stderr(`${message}\n`);
  process.exitCode = code;
}

// A pipe takes writes asynchronously: the command has returned, but the end of its output may
// still be on its way, and fail. The verdict stands only once the reader has all of it.
const failure = await stdout.flushed();
if (failure !== undefined) {
  // A report cut short (`| head`, a full disk under `> report.json`) is a report lost, as when a
  // report file cannot be written: exit 2, whatever the verdict. A crash keeps its own code.
  const what = outputNoun(process.argv.slice(2));
  stderr(`trailgate: cannot write ${what === undefined ? '' : `${what} `}to standard output: ${stdoutProblem(failure, what)}\n`);
  if (process.exitCode !== EXIT.internal) process.exitCode = EXIT.input;
}

/**
 * Standard output, with its failures kept. Node reports a failed write to a pipe later, through
 * the write's callback and an 'error' event, often after the command has returned its exit code;
 * without this, that event would be the only sign, and the process would end as if all was written.
 */
function watchedStdout(stream: NodeJS.WriteStream): { write(text: string): void; ready(): Promise<boolean>; flushed(): Promise<NodeJS.ErrnoException | undefined> } {
  let failure: NodeJS.ErrnoException | undefined;
  // The callback of the latest write: writes complete in order, so once it is called, all are.
  let last = Promise.resolve();
  const fail = (e: NodeJS.ErrnoException): void => void (failure ??= e);
  // Kept, not thrown: an 'error' event with no listener would crash the process with a stack trace.
  stream.on('error', fail);
  return {
    write(text) {
      if (failure !== undefined) return; // every later write would fail the same way
      last = new Promise((resolve) => {
        stream.write(text, (e) => {
          if (e) fail(e);
          resolve();
        });
      });
    },
    ready() {
      if (failure !== undefined || !stream.writableNeedDrain) return Promise.resolve(failure === undefined);
      // After a failure no 'drain' comes: the error ends the wait too.
      return new Promise((resolve) => {
        const done = (): void => {
          stream.off('drain', done).off('error', done).off('close', done);
          resolve(failure === undefined);
        };
        stream.on('drain', done).on('error', done).on('close', done);
      });
    },
    async flushed() {
      await last;
      return failure;
    },
  };
}

/**
 * Standard error, whose failures change nothing. It carries progress, warnings and the words
 * about an exit code, never the verdict: when its reader is gone (`2>&1 | true`, a closed log
 * pipe), the run's exit code stands, whatever it is. Not exit 2, as for standard output: the
 * reports and the exit code, which a CI step reads, are whole; and a passing run must not fail
 * for a log nobody reads. Unwatched, the failure was an uncaught 'error' event: Node then
 * exited 1, which reads as "violations found".
 */
function lossyStderr(stream: NodeJS.WriteStream): (text: string) => void {
  let lost = false;
  stream.on('error', () => void (lost = true));
  return (text) => {
    if (lost) return; // every later write would fail the same way
    try {
      stream.write(text);
    } catch {
      lost = true; // a write that fails at once (a stream already destroyed)
    }
  };
}

/** Why standard output failed, in words where the code alone would puzzle. */
function stdoutProblem(e: NodeJS.ErrnoException, what: string | undefined): string {
  if (e.code === 'EPIPE') return `EPIPE (the reader closed the pipe before the end${what === undefined ? '' : ` of ${what}`})`;
  return fileProblem(e, 'a file');
}

/**
 * What a command writes to standard output, for the line that says it was cut short: a scan's
 * report, a snapshot's inventory; nothing to name for help, the version or the rule list.
 */
function outputNoun(args: readonly string[]): string | undefined {
  if (args.some((a) => a === '--help' || a === '-h' || a === '--version' || a === '-V')) return undefined;
  const command = args.find((a) => !a.startsWith('-'));
  return command === 'scan' ? 'the report' : command === 'snapshot' ? 'the inventory' : undefined;
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
