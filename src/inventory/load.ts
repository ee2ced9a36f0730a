/**
 * Loading inventory files: read (a path, or `-` for standard input), parse JSON fast or YAML
 * with positions, validate against the published schema, and merge several files into one.
 * Every problem is an InputError naming the file, the line and column, and the JSON pointer.
 * This module reads the files, each once, and merges them; parsing and validating one
 * inventory's text is parse.ts's part, and reading its other forms as the collector writes them
 * normalise.ts's.
 */
import { fstatSync, realpathSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { isatty } from 'node:tty';
import { fileProblem, InputError, PathArgumentError } from '../errors.ts';
import { mergeInventories } from './merge.ts';
import { parseInventory } from './parse.ts';
import type { LoadedInventory } from './types.ts';
import { relativePath } from '../input/display-path.ts';
import { namesStdin } from '../input/descriptors.ts';
import { decodeUtf8 } from '../input/utf8.ts';
import { readAll, readInputFile } from '../input/read-input.ts';

/** The file name an inventory read from standard input goes by until reports name it (`stdin`). */
export const STDIN_SOURCE = '<stdin>';

/**
 * Reads standard input whole (for `--snapshot -`), however slowly the writer produces it, and no
 * further than the longest text Node can hold. A terminal is refused with a hint: it was read as
 * empty, and "the inventory is empty" sent the user looking for a problem in a file.
 */
export function readStdin(fd = 0): string {
  if (isatty(fd)) throw new InputError(STDIN_IS_TERMINAL);
  let bytes: Buffer;
  try {
    bytes = readAll(fd, STDIN_SOURCE);
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError(`cannot read standard input: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, { file: STDIN_SOURCE });
  }
  return decodeUtf8(bytes, STDIN_SOURCE);
}

/** Why `--snapshot -` stops when standard input is a terminal, and what to do instead. */
const STDIN_IS_TERMINAL = '--snapshot - reads an inventory from standard input, which is a terminal here: pipe or redirect one into trailgate (trailgate scan --snapshot - < inventory.json), or name the file (--snapshot inventory.json)';

/**
 * Loads and merges inventory files. `-` reads standard input. Each file is named in messages as
 * reports name it (relative to the working directory, forward slashes), whatever way it was given.
 */
export function loadInventories(files: readonly string[], options: { cwd?: string; readStdin?: () => string; noStdin?: string } = {}): LoadedInventory {
  if (files.length === 0) throw new InputError('no inventory given: pass --snapshot FILE');
  const cwd = options.cwd ?? '.';
  // A caller that gives the run no standard input (the GitHub Action) refuses it by any name,
  // `/dev/stdin` too, which would otherwise read whatever the runner left there; before the
  // check below, whose "given more than once" would say that once is fine.
  if (options.noStdin !== undefined) {
    files.forEach((f, i) => {
      if (f === '-' || namesStdin(cwd, f)) throw new PathArgumentError(`is standard input, which ${options.noStdin}: name an inventory file`, f, '--snapshot', i);
    });
  }
  // Standard input can be read once: a second `-` would find it empty and blame the inventory.
  if (files.filter((f) => f === '-').length > 1) throw new InputError('--snapshot - is given more than once: standard input can be read only once');
  // A file given twice is read where it is first given: that is the value a problem is about.
  const parsed = eachFileOnce(files, cwd).map((f) => {
    // `/dev/stdin` and `/dev/fd/0` are standard input too, and named so: as a path relative to
    // the working directory they read `../../dev/stdin`, a file of no repository.
    if (f === '-' || namesStdin(cwd, f)) return parseInventory((options.readStdin ?? readStdin)(), STDIN_SOURCE);
    // A file named `<stdin>` keeps a `./`: by the name standard input is loaded under, messages
    // and reports would take it for standard input (and GitHub put its annotations on a file `stdin`).
    const rel = relativePath(cwd, f);
    const name = rel === STDIN_SOURCE ? `./${rel}` : rel;
    return parseInventory(readInventoryFile(resolve(cwd, f), name, files.indexOf(f)), name);
  });
  return mergeInventories(parsed);
}

/**
 * The files, each once, where it is first given. One file given twice (`./sub/../a.json` and
 * `a.json`, a glob that also matches a file named on its own, or a link) is one inventory, as a
 * rule file named twice is one rule file: read twice, its accounts would be refused as "in two
 * inventories", naming the same file under two names. Told apart by their resolved path.
 */
function eachFileOnce(files: readonly string[], cwd: string): string[] {
  const seen = new Set<string>();
  return files.filter((f) => {
    // `-` and another name of standard input (`/dev/stdin`, `/dev/fd/0`) are one input too: read
    // again, the pipe would be found empty, and the inventory blamed for it.
    const stdin = f === '-' || namesStdin(cwd, f);
    let real = stdin ? STDIN_SOURCE : resolve(cwd, f);
    try {
      if (!stdin) real = realpathSync(real);
    } catch {
      // A file that cannot be resolved is named when it cannot be read.
    }
    // Standard input redirected from a file (`< a.json`) is that file too, under whichever name.
    const keys = [real];
    const file = regularFile(stdin ? 0 : real);
    if (file !== undefined) keys.push(file);
    if (keys.some((k) => seen.has(k))) return false;
    for (const k of keys) seen.add(k);
    return true;
  });
}

/** `dev:ino` of a regular file (a path, or a descriptor), or undefined. */
function regularFile(at: string | number): string | undefined {
  try {
    const s = typeof at === 'number' ? fstatSync(at) : statSync(at);
    return s.isFile() ? `\u0000${s.dev}:${s.ino}` : undefined;
  } catch {
    return undefined;
  }
}

/** Reads an inventory file, the `index`th --snapshot; `file` is the name used in messages. */
function readInventoryFile(path: string, file: string, index: number): string {
  let bytes: Buffer;
  try {
    bytes = readInputFile(path, file);
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new PathArgumentError(`cannot read the inventory: ${fileProblem(e, 'an inventory file')}`, file, '--snapshot', index);
  }
  return decodeUtf8(bytes, file);
}
