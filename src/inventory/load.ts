/**
 * Loading inventory files: read (a path, or `-` for standard input), parse JSON fast or YAML
 * with positions, validate against the published schema, and merge several files into one.
 * Every problem is an InputError naming the file, the line and column, and the JSON pointer.
 */
import { fstatSync, realpathSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { isatty } from 'node:tty';
import { Ajv, type ValidateFunction } from 'ajv';
import { PRECOMPILED } from '../rules/precompiled.ts';
import inventorySchema from '../../schemas/inventory.schema.json' with { type: 'json' };
import { fileProblem, InputError, PathArgumentError, type InputPosition } from '../errors.ts';
import { BARE_DIGITS_HINT, parseJsonFast, parseYaml } from '../input/document.ts';
import { pickError } from '../input/schema-errors.ts';
import { showValue } from '../input/show-value.ts';
import { parseTimestamp } from '../input/timestamp.ts';
import { jsonSourceMap } from './locate-json.ts';
import { mergeInventories } from './merge.ts';
import { checkPartitions } from './partition.ts';
import { checkReadErrors } from './read-errors.ts';
import { foldTrailCopies, unsetKey, type UnsetFields } from './trail-copies.ts';
import type { Inventory, LoadedInventory, SourceMap } from './types.ts';
import { relativePath } from '../input/display-path.ts';
import { namesStdin } from '../input/descriptors.ts';
import { decodeUtf8 } from '../input/utf8.ts';
import { readAll, readInputFile } from '../input/read-input.ts';
import { locateJsonPointer } from '../input/json-pointer.ts';

/** One parsed and validated file. */
export interface InventoryFile {
  file: string;
  inventory: Inventory;
  sourceMap: SourceMap;
  /**
   * Line and column of any value (with `key`, of the key naming it), for input errors found while
   * merging. Only until the source map is first used: a JSON file's text is let go then.
   */
  locateInput?: (pointer: string, key?: boolean) => { line: number; column: number };
}

let validator: ValidateFunction | undefined;
function validate(value: unknown): ValidateFunction {
  validator ??= PRECOMPILED.inventory ?? new Ajv({ strict: false, allErrors: false }).compile(inventorySchema);
  validator(value);
  return validator;
}

/**
 * The errors to explain. The fast validator stops at the first, and for a misspelt key
 * (`acounts:`) that is "missing accounts" at the top of the file; validating again with every
 * error (only on this failure path) also finds the unknown key, which is where the typo is.
 */
function explained(value: unknown, first: NonNullable<ValidateFunction['errors']>): NonNullable<ValidateFunction['errors']> {
  if (!first.some((e) => e.keyword === 'required')) return first;
  const all = new Ajv({ strict: false, allErrors: true }).compile(inventorySchema);
  all(value);
  return all.errors ?? first;
}

/**
 * An account id written without quotes is a number to YAML (and loses its leading zeros), and
 * "must be of type string" alone does not say so: give the advice the config and rule files give.
 */
function withHint(value: unknown, pointer: string, message: string): string {
  if (!/\/accountId$/.test(pointer)) return message;
  let v = value;
  for (const seg of pointer.split('/').slice(1)) v = v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[seg] : undefined;
  return typeof v === 'number' ? `${message}: ${BARE_DIGITS_HINT}` : message;
}

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

/** Parses and validates one inventory's text. `file` is the name shown in messages. */
export function parseInventory(text: string, file: string): InventoryFile {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const trimmed = text.trimStart();
  if (trimmed === '') throw new InputError('the inventory is empty; expected a JSON or YAML document with version: 1 and accounts', { file, line: 1, column: 1 });
  let isJson = trimmed.startsWith('{') || trimmed.startsWith('[');
  let value: unknown;
  let locateYaml: ((p: string, key?: boolean) => { line: number; column: number }) | undefined;
  if (isJson) {
    try {
      value = parseJsonFast(text, file);
    } catch (e) {
      // A YAML document may start with a flow mapping too (`{version: 1, accounts: [...]}`): one
      // that is not JSON is read as YAML, unless its name says JSON. Failing both, the JSON problem is named.
      if (/\.json$/i.test(file)) throw e;
      let doc: ReturnType<typeof parseYaml>;
      try {
        doc = parseYaml(text, file);
      } catch {
        throw e;
      }
      isJson = false;
      value = doc.value;
      locateYaml = doc.locate;
    }
  } else {
    const doc = parseYaml(text, file);
    value = doc.value;
    locateYaml = doc.locate;
  }
  // The text is kept only until positions are known: on a large inventory it is the biggest thing in memory.
  let source: string | undefined = text;
  // A JSON file's positions come from a pass that follows only the pointer: parsing it again as
  // YAML for one position would build a node for every value, minutes and gigabytes on a large file.
  const locate = (pointer: string, key = false) => (locateYaml ? locateYaml(pointer, key) : locateJsonPointer(source ?? '', pointer, key));
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new InputError('an inventory is a mapping with version: 1 and accounts', { file, ...locate('') });
  }
  const version = (value as Record<string, unknown>).version;
  if (version !== 1) {
    const pos = locate(version === undefined ? '' : '/version');
    throw new InputError(
      version === undefined
        ? 'missing required key "version" (this trailgate reads version 1)'
        : typeof version === 'string' && Number(version) === 1
          ? // `version: "1"` or `version: !!str 1`: "version "1"; reads version 1" would hide the cause.
            `the inventory version is the text ${JSON.stringify(version)}, not the number 1; write version: 1, without quotes or a tag`
          : `unsupported inventory version ${typeof version !== 'number' ? showValue(version) : Number.isFinite(version) ? String(version) : '(a number too large to hold)'}; this trailgate reads version 1`,
      { file, ...pos, pointer: '/version' },
    );
  }
  const unset = dropUnsetTrailFields(value as Record<string, unknown>);
  normaliseBucketRegions(value as Record<string, unknown>);
  checkPartitions(value as Record<string, unknown>, (pointer) => ({ file, ...locate(pointer), pointer }));
  const v = validate(value);
  if (v.errors) {
    const { pointer, message, atKey } = pickError(explained(value, v.errors));
    throw new InputError(`invalid inventory: ${withHint(value, pointer, message)}`, { file, ...locate(pointer, atKey), pointer });
  }
  normaliseCollectedAt(value as Inventory, (pointer) => ({ file, ...locate(pointer), pointer }));
  checkReadErrors((value as Inventory).errors, (pointer) => ({ file, ...locate(pointer), pointer }));
  foldTrailCopies(value as Inventory, (pointer) => ({ file, ...locate(pointer), pointer }), unset);
  // Positions are needed only by reports that show them, so they are computed on first use.
  let map: SourceMap | undefined;
  let withErrors = false;
  const sourceMap: SourceMap = {
    wantErrors() {
      withErrors = true;
    },
    locate(pointer) {
      if (map === undefined) {
        map = isJson ? jsonSourceMap(source ?? '', file, withErrors) : { locate: (p) => ({ file, ...locate(p) }) };
        if (isJson) source = undefined;
      }
      return map.locate(pointer);
    },
  };
  return { file, inventory: value as Inventory, sourceMap, locateInput: (p, key) => locate(p, key) };
}

/** collectedAt as the reports and the engine read it: a date and time with its zone, in UTC. */
const ZONED = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * ISO 8601 allows a date alone, a time without seconds or without a zone: such a collectedAt is
 * read as UTC (as AWS writes its own times), never as the scanning machine's local time, and
 * written out in full. A day no calendar has (2026-13-45) is refused at its position: "now" for
 * every time-based rule cannot be a guess.
 */
function normaliseCollectedAt(inv: Inventory, at: (pointer: string) => InputPosition): void {
  const text = inv.collectedAt;
  if (text === undefined) return;
  const ms = parseTimestamp(text);
  if (ms === undefined) throw new InputError(`invalid inventory: collectedAt ${JSON.stringify(text)} is no real date and time; write it as 2026-11-20T02:00:00Z`, at('/collectedAt'));
  if (!ZONED.test(text)) inv.collectedAt = new Date(ms).toISOString();
}

/**
 * A hand-written inventory may say "not set" with null in a trail or its status
 * (`KmsKeyId: null`, `LatestDeliveryError: ~`); AWS leaves such fields out, so they are left out
 * here too, before validation, instead of rejecting the whole file. Nulls elsewhere keep their
 * meaning (inventory.md: "read, and there is none") or are reported by the schema. Which fields
 * were null is returned: a copy of the trail that says "no key" contradicts one that names a key,
 * where a copy that leaves the field out does not (trail-copies.ts).
 */
function dropUnsetTrailFields(value: Record<string, unknown>): UnsetFields {
  const unset = new Map<string, Set<string>>();
  // A YAML alias lets entries share one section object: what was dropped from it is remembered
  // per object, so every entry sharing it records the same nulls, not only the first one seen.
  const droppedFrom = new WeakMap<object, Set<string>>();
  const accounts = value.accounts;
  if (!Array.isArray(accounts)) return unset;
  accounts.forEach((account, a) => {
    const trails = (account as { trails?: unknown } | null)?.trails;
    if (!Array.isArray(trails)) return;
    trails.forEach((entry, t) => {
      if (entry === null || typeof entry !== 'object') return;
      for (const section of ['Trail', 'Status'] as const) {
        const o = (entry as Record<string, unknown>)[section];
        const seen = o !== null && typeof o === 'object' ? droppedFrom.get(o) : undefined;
        const dropped = seen ?? dropNulls(o);
        if (seen === undefined && o !== null && typeof o === 'object') droppedFrom.set(o, dropped);
        if (dropped.size > 0) unset.set(unsetKey(a, t, section), dropped);
      }
      epochTimesToIso((entry as Record<string, unknown>).Status);
    });
  });
  return unset;
}

/**
 * A bucket's Region is GetBucketLocation's answer normalised (inventory.md): a hand-written
 * inventory may copy the raw LocationConstraint, where null and "" mean us-east-1 and EU means
 * eu-west-1, so it is normalised here the same way instead of being judged as a region named "EU".
 */
function normaliseBucketRegions(value: Record<string, unknown>): void {
  const buckets = value.buckets;
  if (buckets === null || typeof buckets !== 'object' || Array.isArray(buckets)) return;
  for (const bucket of Object.values(buckets as Record<string, unknown>)) {
    if (bucket === null || typeof bucket !== 'object' || Array.isArray(bucket) || !Object.hasOwn(bucket, 'Region')) continue;
    const b = bucket as Record<string, unknown>;
    if (b.Region === null || b.Region === '') b.Region = 'us-east-1';
    else if (b.Region === 'EU') b.Region = 'eu-west-1';
  }
}

/** GetTrailStatus's timestamps. The API itself answers them in seconds since the epoch, as AWS CLI v1 prints them. */
const STATUS_TIMES = ['LatestDeliveryTime', 'LatestNotificationTime', 'StartLoggingTime', 'StopLoggingTime', 'LatestCloudWatchLogsDeliveryTime', 'LatestDigestDeliveryTime'];

/**
 * A status copied from AWS CLI v1 (or the raw API) has its times as epoch seconds
 * (`1763604000.123`); they are read as the ISO 8601 strings CLI v2 and SDK v3 give.
 */
function epochTimesToIso(o: unknown): void {
  if (o === null || typeof o !== 'object' || Array.isArray(o)) return;
  const record = o as Record<string, unknown>;
  for (const k of STATUS_TIMES) {
    const v = record[k];
    if (typeof v !== 'number') continue;
    // Down to the millisecond, as Date.parse reads an ISO fraction: one instant, one verdict,
    // whatever the form. (Through microseconds first: 1763604000.123 * 1000 is 1763604000122.9998.)
    const d = new Date(Math.floor(Math.round(v * 1e6) / 1000));
    // A number no date has (1e400 reads as Infinity), or none before year 10000 (milliseconds
    // given as seconds), stays what it says, as text that is no timestamp: a delivery whose time
    // is unknown, never "no delivery", and named as the file writes it.
    record[k] = Number.isNaN(d.getTime()) || d.getUTCFullYear() > 9999 ? String(v) : d.toISOString();
  }
}

/** Deletes the null fields of `o`, returning their names. */
function dropNulls(o: unknown): Set<string> {
  const dropped = new Set<string>();
  if (o === null || typeof o !== 'object' || Array.isArray(o)) return dropped;
  const record = o as Record<string, unknown>;
  for (const k in record) {
    if (record[k] !== null) continue;
    dropped.add(k);
    delete record[k];
  }
  return dropped;
}

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
