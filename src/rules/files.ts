/**
 * Rule files on disk: where the built-in ones are, which files a run loads (the built-in ones,
 * then those each `--rules` path names, each once), reading one with positions (a built-in one
 * from the bundle when it can), and the ids a set-aside folder holds without compiling it.
 */
import { existsSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fileProblem, InputError, PathArgumentError } from '../errors.ts';
import { relativePath } from '../input/display-path.ts';
import { parseYaml, type ParsedDocument } from '../input/document.ts';
import { readInputFile } from '../input/read-input.ts';
import { decodeUtf8 } from '../input/utf8.ts';
import { PRECOMPILED } from './precompiled.ts';

/** The folder of built-in rules: `rules/` beside the package.json above this module (bundled in lib/ or run from src/). */
export function builtinRulesDir(): string {
  let dir = fileURLToPath(new URL('.', import.meta.url));
  for (let i = 0; i < 4; i++) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'rules'))) return join(dir, 'rules');
    dir = dirname(dir);
  }
  throw new Error(`the built-in rules folder was not found above ${fileURLToPath(import.meta.url)}`);
}

/** A built-in rule file, named as reports name it (`rules/kms-encryption.yaml`). */
export function builtinFile(path: string, dir: string): { path: string; shown: string; builtin: true } {
  return { path, shown: `rules/${relative(dir, path).split('\\').join('/')}`, builtin: true };
}

/**
 * The rule ids written in the rule files under `paths` (files or folders), without validating or
 * compiling them: a folder a `--rules` flag set aside may hold a broken rule on purpose. A path
 * that is not there holds no rule, nor does a file without an `id` key (an empty one, say). A
 * path or file that cannot be read or parsed, or whose id is not text, is in `unread`: some
 * rule may then exist whose id this run cannot know.
 */
export function ruleIdsIn(paths: readonly string[]): { ids: Set<string>; unread: { path: string; why: string }[] } {
  const ids = new Set<string>();
  const unread: { path: string; why: string }[] = [];
  for (const p of paths) {
    let files: string[];
    try {
      files = statSync(p).isDirectory() ? yamlFiles(p, p) : [p];
    } catch (e) {
      // A folder the reader has yet to make (the config may name one) holds no rule.
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') unread.push({ path: p, why: fileProblem(e, 'a rules folder') });
      continue;
    }
    for (const f of files) {
      try {
        const text = readFileSync(f, 'utf8');
        if (text.trim() === '') continue;
        const value = parseYaml(text, f).value as { id?: unknown } | null;
        if (value === null || typeof value !== 'object' || !('id' in value)) continue;
        if (typeof value.id === 'string') ids.add(value.id);
        else unread.push({ path: f, why: 'its id is not text' });
      } catch (e) {
        unread.push({ path: f, why: e instanceof InputError ? 'it is not valid YAML' : fileProblem(e, 'a rule file') });
      }
    }
  }
  return { ids, unread };
}

/** The ids of the built-in rules, without compiling them (each file is named after its rule id). */
export function builtinRuleIds(): string[] {
  return builtinRuleFiles().map(builtinIdOf);
}

/** A built-in rule file's rule id: its name (a test holds every file to that). */
export const builtinIdOf = (file: string): string => basename(file).replace(/\.ya?ml$/, '');

/** The built-in rule files; each is named after its rule id (a test holds every one to that). */
export function builtinRuleFiles(): string[] {
  const dir = builtinRulesDir();
  return PRECOMPILED.builtinRules ? Object.keys(PRECOMPILED.builtinRules).map((n) => join(dir, n)) : yamlFiles(dir, 'rules');
}

/** A rule file parsed with positions; a built-in one comes already parsed from the bundle when it can. */
export function readRuleFile(f: { path: string; shown: string; builtin: boolean }): ParsedDocument {
  const embedded = f.builtin ? PRECOMPILED.builtinRules?.[basename(f.path)] : undefined;
  if (embedded !== undefined) {
    // Validated when the bundle was built; should it fail now, the file itself gives positions.
    return { value: structuredClone(embedded), locate: (p) => parseYaml(readFileSync(f.path, 'utf8'), f.shown).locate(p) };
  }
  let bytes: Buffer;
  try {
    bytes = readInputFile(f.path, f.shown);
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError(`cannot read the rule file: ${fileProblem(e, 'a rule file')}`, { file: f.shown });
  }
  // An editor does not show a BOM, so columns on line 1 are counted without it (as for config files and inventories).
  const text = decodeUtf8(bytes, f.shown);
  return parseYaml(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text, f.shown);
}

/** A file's path with links resolved, to tell one file named two ways; as given when it cannot be resolved (reading it will say why). */
export function realPath(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return resolve(path);
  }
}

export function yamlFiles(dir: string, shown: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (e) {
    throw new InputError(`cannot read the rules directory: ${fileProblem(e, 'a rules directory')}`, { file: shown });
  }
  return names
    // `B.YAML` is as much a rule file as `a.yaml`: dropping it silently would drop its rule.
    .filter((n) => /\.ya?ml$/i.test(n))
    .sort()
    .map((n) => join(dir, n));
}

/** A rule file to load: where it is, how reports name it, and whether it is one of trailgate's. */
export interface RuleFile {
  path: string;
  shown: string;
  builtin: boolean;
}

/** Every rule file the run loads, in order: the built-in ones (unless left out), then those of each --rules path. */
export function ruleFiles(options: { builtin?: boolean; paths?: string[]; cwd?: string }): RuleFile[] {
  const cwd = options.cwd ?? process.cwd();
  const files: RuleFile[] = [];
  // A file named twice (`--rules r1 --rules r1/a.yaml`, or once through a link) is one rule file:
  // loaded once, where it is first named, not refused as a duplicate of itself.
  const named = new Set<string>();
  const add = (f: RuleFile): void => {
    const real = realPath(f.path);
    if (named.has(real)) return;
    named.add(real);
    files.push(f);
  };
  if (options.builtin !== false) {
    const dir = builtinRulesDir();
    for (const f of builtinRuleFiles()) add(builtinFile(f, dir));
  }
  for (const [index, p] of (options.paths ?? []).entries()) {
    for (const f of rulePathFiles(p, index, cwd)) add({ path: f, shown: relativePath(cwd, f), builtin: false });
  }
  return files;
}

/** The rule files one --rules path names: the file itself, or a directory's .yaml and .yml files. */
function rulePathFiles(p: string, index: number, cwd: string): string[] {
  // Named as the reports name files (relativePath: from the working directory, `/` for the
  // platform's separator, a backslash on POSIX kept as part of the name).
  const shown = relativePath(cwd, p);
  let st;
  try {
    st = statSync(p);
  } catch (e) {
    // ENOTDIR (`afile/x.yaml`) is said as the other flags say it: a part of the path is a file.
    const missing = (e as NodeJS.ErrnoException).code === 'ENOENT';
    throw new PathArgumentError(missing ? 'no such rule file or directory' : `cannot read the rules: ${fileProblem(e, 'a rule file or directory')}`, shown, '--rules', index);
  }
  const list = st.isDirectory() ? yamlFiles(p, shown) : [p];
  if (st.isDirectory() && list.length === 0) throw new PathArgumentError('the rules directory holds no .yaml or .yml file', shown, '--rules', index);
  return list;
}
