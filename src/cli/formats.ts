/** Parsing `--format FMT[=FILE]` and writing each report where it belongs. */
import { randomBytes } from 'node:crypto';
import { closeSync, fchmodSync, lstatSync, mkdirSync, openSync, readSync, realpathSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { open, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join, normalize, resolve, sep } from 'node:path';
import { fileProblem, InputError } from '../errors.ts';
import { relativePath } from '../input/display-path.ts';
import { descriptorOf, holdsRegularFile, linkTarget, namesStdin, namesStdout, stdinSource, unopenedDescriptor, unopenedDescriptorProblem } from '../input/descriptors.ts';
import { FORMATS, isFormatName, type FormatName } from '../report/index.ts';

export interface FormatSpec {
  format: FormatName;
  /** Undefined: standard output. */
  file?: string;
}

/**
 * A `--format` value refused, the `index`th: one from the config's `formats` list is shown at its
 * entry (config/apply.ts). Found by its place, not its words: `json=/dev/stdout` is the entry
 * that takes standard output a second time, though it does not say `-`.
 */
export class FormatError extends InputError {
  constructor(
    message: string,
    readonly index: number,
  ) {
    super(message);
  }
}

/**
 * Parses the `--format` values; at most one may take standard output. Without any, text goes to
 * standard output; when every report goes to a file, the scan prints only a summary, on stderr.
 * A file that is standard output under another name (`/dev/stdout`, `/dev/fd/1`, resolved from
 * `cwd`) is standard output: written as a file, it would be opened afresh, and with `> out.txt`
 * it would overwrite, or replace, what the other report there wrote.
 */
export function parseFormats(values: readonly string[], cwd?: string): FormatSpec[] {
  const specs: FormatSpec[] = values.map((v, index) => {
    const eq = v.indexOf('=');
    const name = eq < 0 ? v : v.slice(0, eq);
    const file = eq < 0 ? undefined : v.slice(eq + 1);
    if (!isFormatName(name)) throw new FormatError(`unknown format "${name}" in --format ${v}; expected one of ${Object.keys(FORMATS).join(', ')}`, index);
    if (file === '') throw new FormatError(`--format ${v} names no file; write ${name}=FILE, or ${name} alone for standard output`, index);
    // `json=reports/` means a folder: writing a file named `reports` instead would surprise.
    if (file !== undefined && namesDirectory(file)) {
      throw new FormatError(`--format ${v} names a directory, not a file; write ${name}=${file.endsWith('/') || file.endsWith(sep) ? file : `${file}/`}trailgate.${name}, for example`, index);
    }
    // `-` is standard output, as `--snapshot -` is standard input.
    return file === undefined || file === '-' || (cwd !== undefined && namesStdout(cwd, file)) ? { format: name } : { format: name, file };
  });
  const toStdout = specs.filter((s) => s.file === undefined);
  if (toStdout.length > 1) {
    throw new FormatError(`only one format may write to standard output, got ${toStdout.map((s) => s.format).join(' and ')}; give the others a file (--format sarif=results.sarif)`, specs.findLastIndex((s) => s.file === undefined));
  }
  const files = new Set<string>();
  for (const [index, s] of specs.entries()) {
    if (s.file === undefined) continue;
    // `a.json` and `./a.json` are one file: the second report would silently replace the first.
    const same = normalize(s.file);
    if (files.has(same)) throw new FormatError(`two formats write to the same file ${s.file}`, index);
    files.add(same);
  }
  if (specs.length === 0) specs.push({ format: 'text' });
  return specs;
}

/**
 * Checks, before any work, that the report files are distinct files and none is an input: two
 * spellings of one file (`r.json` and `/abs/r.json`, or a link to it) would leave only the last
 * report, and a report written over a `--snapshot` would destroy the evidence it was made from.
 * A report path that is a directory is refused here too, rather than after the other reports are out.
 * A live scan's `--save-snapshot` is checked the same way, before collecting. The config file, the
 * baseline and the rule files are inputs too: a report over one breaks the next run. Only the
 * JSON report may replace the baseline, which records it again (read first, replaced once whole).
 */
export function checkReportTargets(cwd: string, specs: readonly FormatSpec[], inputs: readonly string[], saveSnapshot?: string, others: OtherInputs = {}): void {
  const read = readFiles(cwd, inputs, others);
  const { seen, ruleDirs, baseline } = read;
  let saved: string | undefined;
  if (saveSnapshot !== undefined) {
    // Standard output carries the reports (text by default): an inventory there would be mixed
    // into them, and the results would point into a "file" named `-` that nobody can open.
    if (saveSnapshot === '-' || namesStdout(cwd, saveSnapshot)) {
      throw new InputError(`--save-snapshot ${saveSnapshot} would write the inventory to standard output, which carries the reports; give it a file (--save-snapshot audit.json), or collect with \`trailgate snapshot\`, which writes to standard output`);
    }
    saved = checkSavedInventory(cwd, saveSnapshot, '--save-snapshot', read);
  }
  const readsStdin = inputs.includes('-');
  for (const [index, s] of specs.entries()) {
    if (s.file === undefined) continue;
    const stdin = stdinProblem(cwd, s.format, s.file, readsStdin);
    if (stdin !== undefined) throw new FormatError(stdin, index);
    const fd = unopenedDescriptor(resolve(cwd, s.file));
    if (fd !== undefined) throw new FormatError(unopenedDescriptorProblem(`--format ${s.format}=${s.file}`, fd, `>trailgate.${s.format}`), index);
    const id = fileIdentity(cwd, s.file);
    const kind = kindOf(id);
    // A device or a pipe (`/dev/null`) is written in place, not replaced: it is no file to protect.
    if (kind === 'special') continue;
    if (id === saved) throw new InputError(`--save-snapshot ${saveSnapshot} and --format ${s.format}=${s.file} name the same file: the report would replace the inventory`);
    const other = seen.get(id) ?? (id === baseline?.id && s.format !== 'json' ? `${baseline.shown}, which must stay a JSON report` : undefined);
    if (other !== undefined) throw new FormatError(`--format ${s.format}=${s.file} would overwrite ${other}; give each report its own file`, index);
    const ruleDir = ruleDirectoryFile(id, ruleDirs);
    if (ruleDir !== undefined) throw new FormatError(`--format ${s.format}=${s.file} would put a report among the rule files of ${ruleDir}, and the next run would read it as a rule; give it another name or folder`, index);
    seen.set(id, `the ${s.format} report ${s.file}`);
    if (kind === 'directory') throw new FormatError(`--format ${s.format}=${s.file} names a directory, not a file; write ${s.format}=${s.file.replace(/[\\/]+$/, '')}/trailgate.${s.format}, for example`, index);
  }
}

/**
 * Checks, before any AWS call, where `trailgate snapshot -o FILE` will write: as `--save-snapshot`
 * is checked, it may be no directory, and it may replace nothing a scan with the same config reads
 * (the config file, its baseline, its rule files, or a YAML file in its rules folders, which the
 * next run would load as a rule). The config's `snapshots` may name it: a nightly snapshot then
 * scanned is what that key is for.
 */
export function checkSnapshotOutput(cwd: string, file: string, flag: string, others: OtherInputs = {}): void {
  checkSavedInventory(cwd, file, flag, readFiles(cwd, [], others));
}

/** What a run reads, by file identity, as messages name it; rule folders apart, as any YAML file in one is read. */
interface ReadFiles {
  seen: Map<string, string>;
  ruleDirs: Map<string, string>;
  /** Apart from `seen`: the JSON report may replace it. */
  baseline?: { id: string; shown: string };
}

function readFiles(cwd: string, inputs: readonly string[], others: OtherInputs): ReadFiles {
  const seen = new Map<string, string>();
  // Named as every other message names an inventory: relative to the working directory.
  for (const f of inputs) if (f !== '-') seen.set(fileIdentity(cwd, f), `the inventory ${relativePath(cwd, f)}`);
  if (others.config !== undefined) seen.set(fileIdentity(cwd, others.config), `the config file ${relativePath(cwd, others.config)}`);
  const ruleDirs = new Map<string, string>();
  for (const r of others.rulePaths ?? []) {
    const id = fileIdentity(cwd, r);
    if (kindOf(id) === 'directory') ruleDirs.set(id, relativePath(cwd, r));
    else seen.set(id, `the rule file ${relativePath(cwd, r)}`);
  }
  const baseline = others.baseline === undefined ? undefined : { id: fileIdentity(cwd, others.baseline), shown: `the baseline ${relativePath(cwd, others.baseline)}` };
  return { seen, ruleDirs, baseline };
}

/**
 * Why the `format` report may not go to `file` when that is trailgate's standard input. With
 * `--snapshot -` reading the inventory there (`readsStdin`), a report to `/dev/stdin` (or the pipe
 * it reads) went back into trailgate's own input: lost while the summary said it was written or,
 * over the pipe's 64 KiB, blocking the run forever; with standard input read from a file
 * (`< inv.json`), writing to the read-only descriptor failed with a bare EBADF after the whole
 * scan. That file is the inventory itself, which no report may replace under any name. Without
 * `--snapshot -` the same happens to a report on `/dev/stdin`: a descriptor the shell opened for
 * reading is never where a report is meant to go.
 */
function stdinProblem(cwd: string, format: FormatName, file: string, readsStdin: boolean): string | undefined {
  const what = `--format ${format}=${file}`;
  const named = namesStdin(cwd, file);
  if (!readsStdin) return named ? `${what} ${onlyRead('the report')}; give it a file (--format ${format}=trailgate.${format}), or write ${format} alone for standard output` : undefined;
  const source = stdinSource(resolve(cwd, file));
  if (named || source === 'pipe') {
    return `${what} is trailgate's standard input, from which --snapshot - reads the inventory: the report would be written back into the scan's own input, never to a file or a reader; give it a file (--format ${format}=trailgate.${format})`;
  }
  return source === 'file' ? `${what} would overwrite the inventory that --snapshot - reads: it is the file standard input comes from; give each report its own file` : undefined;
}

/** Why `what` (`the report`, `the inventory`) may not be written to standard input, which no `--snapshot -` reads. */
function onlyRead(what: string): string {
  return `is trailgate's standard input, which it only reads: ${what} would go back into its own input, or fail on a file opened for reading`;
}

/** A collected inventory's file (`flag` is `--save-snapshot` or `-o`) checked as a target and against what the run reads; returns its identity. */
function checkSavedInventory(cwd: string, file: string, flag: string, read: ReadFiles): string {
  checkSnapshotTarget(cwd, file, flag);
  const saved = fileIdentity(cwd, file);
  const input = saved === read.baseline?.id ? read.baseline.shown : read.seen.get(saved);
  if (input !== undefined) throw new InputError(`${flag} ${file} would overwrite ${input}; save the inventory to a file of its own`);
  const ruleDir = ruleDirectoryFile(saved, read.ruleDirs);
  if (ruleDir !== undefined) throw new InputError(`${flag} ${file} would put the inventory among the rule files of ${ruleDir}, and the next run would read it as a rule; give it another name or folder`);
  return saved;
}

/** The inputs of a scan besides its inventories, which no report may replace. */
export interface OtherInputs {
  config?: string;
  baseline?: string;
  /** `--rules` files and directories. */
  rulePaths?: readonly string[];
}

/** `the rules directory D` when `id` is a YAML file directly in one of `dirs` (identity -> shown name), as the rule loader reads them. */
function ruleDirectoryFile(id: string, dirs: ReadonlyMap<string, string>): string | undefined {
  const shown = dirs.get(dirname(id));
  return shown !== undefined && /\.ya?ml$/i.test(id) ? `the rules directory ${shown}` : undefined;
}

/**
 * Checks, before any AWS call, that a collected inventory can be saved at `file` (`flag` is
 * `--save-snapshot` or `-o`): it is no directory, and no part of its path is a file. Collecting
 * an organization takes minutes, and the snapshot is the evidence the run is for: such a target
 * found only afterwards would cost all of it. (A report whose path runs through a file is left to
 * fail when it is written: the other reports are written all the same.)
 */
function checkSnapshotTarget(cwd: string, file: string, flag: string): void {
  const path = resolve(cwd, file);
  const fd = unopenedDescriptor(path);
  if (fd !== undefined) throw new InputError(unopenedDescriptorProblem(`${flag} ${file}`, fd, '>snapshot.json'));
  if (namesStdin(cwd, file)) throw new InputError(`${flag} ${file} ${onlyRead('the inventory')}; save it to a file (${flag} snapshot.json)`);
  if (namesDirectory(file) || kindOf(path) === 'directory') {
    throw new InputError(`${flag} ${file} names a directory, not a file; write ${flag} ${file.replace(/[\\/]+$/, '')}/snapshot.json, for example`);
  }
  const blocker = fileOnPath(path);
  if (blocker !== undefined) throw new InputError(`${flag} ${file} cannot be written: ${relativePath(cwd, blocker)} is a file, not a directory`);
}

/** The first part of `path` above it that exists and is not a directory, or undefined (missing directories are created). */
function fileOnPath(path: string): string | undefined {
  for (let dir = dirname(path); ; dir = dirname(dir)) {
    try {
      return statSync(dir).isDirectory() ? undefined : dir;
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      // Not there yet (it will be created), or below a file: look further up.
      if ((code !== 'ENOENT' && code !== 'ENOTDIR') || dirname(dir) === dir) return undefined;
    }
  }
}

/** One name per file: symbolic links followed, for a file that exists or a new one in an existing directory. */
function fileIdentity(cwd: string, file: string): string {
  let path = resolve(cwd, file);
  try {
    return realpathSync(path);
  } catch {
    // A dangling link names the file writing through it will create: that file is its identity.
    for (let hops = 0; hops < 40; hops++) {
      const next = linkTarget(path);
      if (next === undefined) break;
      path = next;
    }
    try {
      return join(realpathSync(dirname(path)), basename(path));
    } catch {
      return path;
    }
  }
}

/** What is at a path, following links: a file, a directory, something else (a device, a pipe), or nothing. */
function kindOf(path: string): 'file' | 'directory' | 'special' | undefined {
  try {
    const st = statSync(path);
    return st.isFile() ? 'file' : st.isDirectory() ? 'directory' : 'special';
  } catch {
    return undefined;
  }
}

/** Whether a path can only be a directory: it ends in a separator, `.` or `..` (a backslash is a separator on Windows only). */
export function namesDirectory(file: string): boolean {
  const last = file.split(sep === '/' ? '/' : /[/\\]/).pop();
  return last === '' || last === '.' || last === '..';
}

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
      const buffers = [Buffer.allocUnsafe(2 * WRITE_SIZE), Buffer.allocUnsafe(2 * WRITE_SIZE)];
      let turn = 0;
      let used = 0;
      const flush = async (): Promise<void> => {
        await inFlight;
        inFlight = writeAll(handle, buffers[turn].subarray(0, used));
        // The other buffer's write was the one just awaited: it is free.
        turn ^= 1;
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
  });
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
function atomically(cwd: string, file: string, role: FileRole, write: (temp: string, how: TempFile) => Promise<void>): Promise<void>;
function atomically(cwd: string, file: string, role: FileRole, write: (temp: string, how: TempFile) => void | Promise<void>): void | Promise<void> {
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
    const done = write(temp, how);
    if (done instanceof Promise) {
      // Written over many turns of the event loop, where a signal can end the run half-way.
      if (dest.how !== 'in place') removedOnSignal(temp);
      return done.then(place).catch(fail);
    }
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
