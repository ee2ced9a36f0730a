/**
 * Writing reports and collected inventories: atomically (a temporary file beside the target, then
 * a rename), in place for a device or a pipe, through the descriptor for `/dev/stderr` and kin,
 * and with the temporary files removed when a signal ends the run.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, fchmodSync, lstatSync, mkdirSync, openSync, readSync, realpathSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { open, type FileHandle } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileProblem, InputError } from '../errors.ts';
import { descriptorOf, holdsRegularFile } from '../input/descriptors.ts';

/**
 * Writes a report atomically: a temporary file beside it, then a rename, so a killed run never
 * leaves a half-written report that a later CI step could read as clean.
 */
export function writeAtomically(cwd: string, file: string, content: string | Iterable<string>, role: FileRole = REPORT): void {
  // A string is iterable too, by character: take it whole.
  const chunks = typeof content === 'string' ? [content] : content;
  atomically(cwd, file, role, (temp, { flags, mode }) => {
    // Created with the old file's permissions (less the umask), so it is never more readable than that file was.
    const fd = openSync(temp, flags, mode ?? 0o666);
    try {
      if (mode !== undefined) fchmodSync(fd, mode);
      for (const chunk of chunks) writeSync(fd, chunk);
    } finally {
      closeSync(fd);
    }
  });
}

/**
 * writeAtomically for the streaming reports: chunks are encoded into a buffer, and each full
 * buffer is handed to the file system's threads while the next one is being filled, so on a large
 * run the disk writes (a second or more for 450 MB of reports) overlap the work instead of adding
 * to it. One write is in flight at a time, so memory holds two buffers.
 */
export async function writeStreamAtomically(cwd: string, file: string, chunks: Iterable<string>): Promise<void> {
  await atomically(cwd, file, REPORT, async (temp, { flags, mode }) => {
    const handle = await open(temp, flags, mode ?? 0o666);
    let inFlight: Promise<void> = Promise.resolve();
    try {
      if (mode !== undefined) await handle.chmod(mode);
      // Two buffers in turn, reused: while one is being written, chunks are encoded into the
      // other. A new buffer per chunk (450 MB of them for a large run) costs more to allocate and
      // collect than the encoding itself; and gathering small chunks into one write lets the
      // reports yield chunks small enough to die young.
      const buffers: [Buffer, Buffer] = [Buffer.allocUnsafe(2 * WRITE_SIZE), Buffer.allocUnsafe(2 * WRITE_SIZE)];
      let turn: 0 | 1 = 0;
      let used = 0;
      const flush = async (): Promise<void> => {
        await inFlight;
        inFlight = writeAll(handle, buffers[turn].subarray(0, used));
        // The other buffer's write was the one just awaited: it is free.
        turn = turn === 0 ? 1 : 0;
        used = 0;
      };
      for (const chunk of chunks) {
        // At most three bytes per UTF-16 code unit: when that fits, there is no need to measure.
        if (chunk.length * 3 > buffers[turn].length - used) {
          const size = Buffer.byteLength(chunk, 'utf8');
          if (size > buffers[turn].length - used) {
            if (used > 0) await flush();
            if (size > buffers[turn].length) buffers[turn] = Buffer.allocUnsafe(size);
          }
        }
        used += buffers[turn].write(chunk, used, 'utf8');
        if (used >= WRITE_SIZE) await flush();
      }
      if (used > 0) await flush();
      await inFlight;
    } finally {
      // A failed write must not leave the next one's rejection unobserved.
      await inFlight.catch(() => undefined);
      await handle.close();
    }
  }, true);
}

/** Bytes gathered before a streamed report is written: few enough writes, small enough buffers. */
const WRITE_SIZE = 1 << 20;

async function writeAll(handle: FileHandle, bytes: Buffer): Promise<void> {
  for (let offset = 0; offset < bytes.length; ) {
    const { bytesWritten } = await handle.write(bytes, offset, bytes.length - offset);
    offset += bytesWritten;
  }
}

/**
 * Runs `write` on a temporary file beside `file`, then renames it into place; an InputError if any
 * step fails. A target that is not a regular file (`/dev/null`, a FIFO or a process
 * substitution) is written in place instead: renaming over it would replace the device itself,
 * for every other program on the machine. A symbolic link to a regular file is kept, and the file
 * it points to replaced. A path that names an open file descriptor (`/dev/stderr`, `/dev/fd/3`)
 * is never replaced either: the report goes through the descriptor, see `destination`.
 *
 * The temporary file gets an unguessable name and is created exclusively (O_EXCL): in a shared
 * directory, a link planted at a predictable name would otherwise have the report written
 * through it into any file the user can write. A file being replaced keeps its permissions (a
 * snapshot made 0600 stays 0600); a new file gets the usual 0666 less the umask.
 */
function atomically(cwd: string, file: string, role: FileRole, write: (temp: string, how: TempFile) => void): void;
function atomically(cwd: string, file: string, role: FileRole, write: (temp: string, how: TempFile) => Promise<void>, streamed: true): Promise<void>;
function atomically(cwd: string, file: string, role: FileRole, write: (temp: string, how: TempFile) => void | Promise<void>, streamed = false): void | Promise<void> {
  const dest = destination(resolve(cwd, file));
  const unique = `trailgate-tmp-${process.pid}-${randomBytes(6).toString('hex')}`;
  // Made whole in a private file first, then copied through the descriptor: a report that breaks
  // half-way is not left half-written in the redirect target.
  const temp = dest.how === 'in place' ? dest.target : dest.how === 'through' ? join(tmpdir(), unique) : `${dest.target}.${unique}`;
  const how: TempFile = dest.how === 'in place' ? { flags: 'w' } : dest.how === 'through' ? { flags: 'wx', mode: 0o600 } : { flags: 'wx', mode: dest.mode };
  const removeTemp = (): void => {
    if (dest.how === 'in place') return;
    pendingTemps.delete(temp);
    try {
      unlinkSync(temp);
    } catch {
      // the temporary file was never created, or is already gone
    }
  };
  const fail = (e: unknown): never => {
    removeTemp();
    // Only the file system's refusals are a report that could not be written (exit 2); anything
    // else thrown while the report was made is a bug in trailgate, and stays one (exit 70).
    if (!isSystemError(e)) throw e;
    throw new InputError(`cannot write ${role.noun}: ${fileProblem(e, role.kind)}`, { file });
  };
  const place = (): void => {
    if (dest.how === 'replace') {
      renameSync(temp, dest.target);
      pendingTemps.delete(temp);
    }
    if (dest.how === 'through') {
      copyInto(temp, dest.fd);
      removeTemp();
    }
  };
  try {
    if (dest.how === 'replace') makeDirectories(dirname(dest.target));
    // Written over many turns of the event loop, where a signal can end the run half-way. Marked
    // before the write starts: the file system's threads may create the file before write()
    // returns, and a signal in between would find no handler and leave it behind.
    if (streamed && dest.how !== 'in place') removedOnSignal(temp);
    const done = write(temp, how);
    if (done instanceof Promise) return done.then(place).catch(fail);
    place();
  } catch (e) {
    fail(e);
  }
}

/**
 * The temporary files of the reports being written. SIGINT (Ctrl-C, a CI job cancelled), SIGTERM
 * (a timeout, `kill`) or SIGHUP (the terminal closed) used to end the run with its temporary
 * files left beside the reports, half-written (`trailgate.json.trailgate-tmp-...`), where an
 * upload of the report folder took them along; one per killed run, never cleaned.
 *
 * The handler is installed only once a report is being written, and stays: a JavaScript handler
 * runs only when the event loop turns, so installed earlier it would hold a Ctrl-C back until
 * the synchronous loading and judging of a large inventory ended; and a signal caught by a
 * handler that is removed before the loop turns would be lost. Only the report writing, which
 * turns the loop at every buffer, and the end of the run follow it. A file written in one
 * synchronous call (a snapshot) is gone before any handler could run. The handler removes the
 * files, then ends the process by the same signal, as if no handler had been there (exit status
 * 128 + the signal's number).
 */
const pendingTemps = new Set<string>();
const CLEANUP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
let cleanupInstalled = false;

function removedOnSignal(temp: string): void {
  pendingTemps.add(temp);
  if (cleanupInstalled) return;
  cleanupInstalled = true;
  for (const signal of CLEANUP_SIGNALS) process.on(signal, onSignal);
}

function onSignal(signal: NodeJS.Signals): void {
  for (const temp of pendingTemps) {
    try {
      unlinkSync(temp);
    } catch {
      // not created yet, or already gone
    }
  }
  pendingTemps.clear();
  // Without a listener Node restores the signal's default action, which the signal then takes.
  for (const s of CLEANUP_SIGNALS) process.off(s, onSignal);
  cleanupInstalled = false;
  process.kill(process.pid, signal);
}

/** Appends the content of `file` to the open descriptor `fd`, at the descriptor's own offset. */
function copyInto(file: string, fd: number): void {
  const from = openSync(file, 'r');
  try {
    const buffer = Buffer.allocUnsafe(1 << 20);
    for (let n = readSync(from, buffer); n > 0; n = readSync(from, buffer)) {
      for (let offset = 0; offset < n; ) offset += writeSync(fd, buffer, offset, n - offset);
    }
  } finally {
    closeSync(from);
  }
}

/**
 * An error from the operating system (open, write, rename...): Node gives those a `syscall` and a
 * string `code`. A path with a NUL character in it (a config file can hold one) is refused by Node
 * before the system is asked, as ERR_INVALID_ARG_VALUE without a syscall: it is the file's name
 * that cannot be used all the same, not a bug (it ended the run with exit 70 and a stack trace).
 */
export function isSystemError(e: unknown): boolean {
  const x = e as NodeJS.ErrnoException;
  if (!(e instanceof Error) || typeof x.code !== 'string') return false;
  return typeof x.syscall === 'string' || (x.code === 'ERR_INVALID_ARG_VALUE' && /null bytes/.test(x.message));
}

/**
 * `mkdir -p`. Not mkdirSync's own `recursive`: on Node 20 it loops forever, at full CPU, when
 * the kernel answers ENOENT for a directory whose parent exists (`/proc/x/report.sarif`).
 */
function makeDirectories(dir: string): void {
  try {
    mkdirSync(dir);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return;
    if (code !== 'ENOENT' || dirname(dir) === dir) throw e;
    makeDirectories(dirname(dir));
    mkdirSync(dir);
  }
}

/** What a written file is, for the message when it cannot be written. */
export interface FileRole {
  /** `the report` */
  noun: string;
  /** What a directory in its place is not: `a report file`. */
  kind: string;
}

const REPORT: FileRole = { noun: 'the report', kind: 'a report file' };

/** A collected inventory, saved by `--save-snapshot` or `snapshot -o`. */
export const SNAPSHOT: FileRole = { noun: 'the snapshot', kind: 'a snapshot file' };

/** How the temporary file is opened, and the permissions of the file it replaces, if any. */
interface TempFile {
  flags: 'w' | 'wx';
  mode?: number;
}

/**
 * Where a report goes: a regular file is replaced by a rename (keeping its permissions, `mode`);
 * anything else there (a device, a FIFO) is written in place. A path naming one of this
 * process's descriptors that holds a regular file (`--format json=/dev/stderr 2>log`) is
 * written `through` the descriptor itself, as a shell's `>&2` would: opening the path would
 * start a new offset at 0 and, with `w`, truncate the file, overwriting what the descriptor wrote
 * before and having its later writes overwrite the report. The descriptor of a pipe, a terminal
 * or a device, or another process's, is written in place through its path.
 */
function destination(path: string): { how: 'replace'; target: string; mode?: number } | { how: 'in place'; target: string } | { how: 'through'; fd: number } {
  const descriptor = descriptorOf(path);
  if (descriptor !== undefined) return descriptor.own && holdsRegularFile(descriptor.fd) ? { how: 'through', fd: descriptor.fd } : { how: 'in place', target: path };
  let link;
  try {
    link = lstatSync(path);
  } catch {
    return { how: 'replace', target: path }; // not there yet
  }
  if (!link.isSymbolicLink()) return link.isFile() || link.isDirectory() ? { how: 'replace', target: path, ...(link.isFile() ? { mode: link.mode & 0o777 } : {}) } : { how: 'in place', target: path };
  try {
    const real = statSync(path);
    if (real.isFile()) return { how: 'replace', target: realpathSync(path), mode: real.mode & 0o777 };
  } catch {
    // a dangling link: writing through it creates the file it names
  }
  return { how: 'in place', target: path };
}

/** Joins small chunks into writes of about a megabyte: few system calls, little memory. */
export function* batched(chunks: Iterable<string>, size = 1 << 20): Generator<string> {
  let parts: string[] = [];
  let length = 0;
  for (const c of chunks) {
    parts.push(c);
    length += c.length;
    if (length >= size) {
      yield parts.join('');
      parts = [];
      length = 0;
    }
  }
  if (length > 0) yield parts.join('');
}
