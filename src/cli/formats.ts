/**
 * Parsing `--format FMT[=FILE]`, and checking before any work that each report, and a collected
 * inventory, can go where it is asked to (writing them is write-file.ts's).
 */
import { realpathSync, statSync } from 'node:fs';
import { basename, dirname, join, normalize, resolve, sep } from 'node:path';
import { InputError } from '../errors.ts';
import { relativePath } from '../input/display-path.ts';
import { linkTarget, namesStdin, namesStdout, stdinSource, unopenedDescriptor, unopenedDescriptorProblem } from '../input/descriptors.ts';
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
