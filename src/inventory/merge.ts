/**
 * Merging inventories from several files (shards of an organization, or member accounts plus
 * the log-archive account): accounts are concatenated and must not repeat; buckets and keys
 * are united field by field, and a field two files hold must agree; errors are concatenated.
 */
import { ErrorIndex } from '../engine/reads.ts';
import { InputError } from '../errors.ts';
import { escapePointerSegment } from '../input/document.ts';
import { parseUnambiguous } from '../input/json-members.ts';
import { addMissing, differingField, sameJson } from './copies.ts';
import type { InventoryFile } from './parse.ts';
import { partitionSource } from './partition.ts';
import { resolveTrailNames } from './read-errors.ts';
import type { Inventory, LoadedInventory } from './types.ts';

/** Merges parsed files into one inventory, keeping where each account came from. */
export function mergeInventories(files: readonly InventoryFile[]): LoadedInventory {
  const sources: LoadedInventory['sources'] = new Map();
  const accountFile = new Map<string, string>();
  const merged: Inventory = { version: 1, accounts: [] };
  // The partition of the first file that states one: every other file that states one must agree.
  let first: { partition: NonNullable<Inventory['partition']>; file: string } | undefined;
  const collectedAtOf = new Map<string, string | undefined>();
  // In the order of their names, as buckets and keys are united: an account in two files, or two
  // partitions, is refused at the later file by name, whatever the order of the command line.
  for (const f of byName(files)) {
    const inv = f.inventory;
    const stated = partitionSource(inv);
    const partition = stated?.partition;
    if (partition !== undefined) first ??= { partition, file: f.file };
    if (partition !== undefined && partition !== first!.partition) {
      // At what states the partition: the `partition` key, else the TrailARN that sets it.
      throw new InputError(`this inventory is in partition ${partition}, but ${first!.file} is in ${first!.partition}; scan each partition on its own`, {
        file: f.file,
        ...f.locateInput?.(stated!.pointer),
        pointer: stated!.pointer,
      });
    }
    if (inv.collectedAt !== undefined && (merged.collectedAt === undefined || Date.parse(inv.collectedAt) > Date.parse(merged.collectedAt))) {
      merged.collectedAt = inv.collectedAt;
    }
    inv.accounts.forEach((account, index) => {
      const other = accountFile.get(account.accountId);
      if (other !== undefined) {
        const pos = f.sourceMap.locate(`/accounts/${index}`);
        const earlier = sources.get(account.accountId);
        const line = earlier?.map.locate(`/accounts/${earlier.index}`)?.line;
        const where = other === f.file ? `also at line ${line ?? '?'}` : `also in ${other}${line === undefined ? '' : `, line ${line}`}`;
        throw new InputError(`account ${account.accountId} appears twice (${where}); each account belongs in one inventory`, {
          file: f.file,
          line: pos?.line,
          column: pos?.column,
          pointer: `/accounts/${index}`,
        });
      }
      accountFile.set(account.accountId, f.file);
      collectedAtOf.set(account.accountId, inv.collectedAt);
      sources.set(account.accountId, { map: f.sourceMap, index });
      merged.accounts.push(account);
    });
  }
  uniteBucketsAndKeys(files, merged);
  // Once every account is known: an error may name a trail by its name, and the trail be listed in another file.
  for (const f of files) {
    const errors = f.inventory.errors;
    if (errors?.length) (merged.errors ??= []).push(...resolveTrailNames(errors, merged.accounts, (pointer) => ({ file: f.file, ...f.locateInput?.(pointer), pointer })));
  }
  merged.partition = first?.partition ?? 'aws';
  locateUnlisted(files, sources);
  // The latest collectedAt dates the run (its reports); each account's own dates its ages.
  if (new Set(files.map((f) => f.inventory.collectedAt)).size > 1) merged.collectedAtByAccount = collectedAtOf;
  // An inventory without accounts is empty, unless its errors name an account that could not be
  // read at all (a role that could not be assumed, recorded by hand): that account is judged, `error`.
  if (merged.accounts.length === 0 && new ErrorIndex(merged.errors ?? []).unlistedAccounts(new Set()).length === 0) {
    // Valid by the format, but a scan of nothing would pass silently: refused, at the file's accounts key.
    if (files.length === 1) {
      const file = files[0]!;
      const at = file.locateInput?.('/accounts', true);
      throw new InputError('the inventory holds no accounts: there is nothing to judge', { file: file.file, ...at, ...(at ? { pointer: '/accounts' } : {}) });
    }
    // Several files have no one position: they are named in the sentence, not where a file:line goes.
    const names = files.map((f) => f.file);
    throw new InputError(`the inventories ${names.slice(0, -1).join(', ')} and ${names[names.length - 1]} hold no accounts: there is nothing to judge`);
  }
  return { inventory: merged, sources, files: files.map((f) => f.file) };
}

/**
 * Buckets and keys are shared: a member account's shard reads the log-archive account's bucket
 * with the member's credentials, and holds what those reads could get (its Region, say, with the
 * denied GetBucketPolicy in its errors), while the log-archive shard holds it all. So copies are
 * united field by field: a field one copy lacks says nothing, and is taken from the copy that
 * holds it (the engine uses a datum that is there whoever recorded a failure reading it). A field
 * two copies hold with different values, `null` ("read: there is none") against a value
 * included, is refused: whichever file came first would win.
 *
 * The files are taken in the order of their names, not as given: the copy a union starts from,
 * and the file a disagreement is reported in (the later of the two), do not depend on the order
 * of the command line.
 */
function uniteBucketsAndKeys(files: readonly InventoryFile[], merged: Inventory): void {
  const ordered = byName(files);
  for (const kind of ['buckets', 'keys'] as const) {
    if (!files.some((f) => f.inventory[kind] !== undefined)) continue;
    // Without a prototype, so bucket and key names (`constructor`...) are only ever names.
    const into = Object.create(null) as Record<string, Record<string, unknown>>;
    ordered.forEach((f, n) => {
      for (const [name, copy] of Object.entries(f.inventory[kind] ?? {})) {
        const earlier = into[name];
        // Where a field of the union came from: the first file, by name, that holds it.
        const holderOf = (field: string) => ordered.slice(0, n).find((e) => Object.hasOwn(copyOf(e, kind, name) ?? {}, field))!;
        into[name] = earlier === undefined ? copy : unite(kind, name, earlier, copy, f, holderOf);
      }
    });
    merged[kind] = into;
  }
}

/** The files in the order of their names (the command line's between two of one name). */
function byName(files: readonly InventoryFile[]): InventoryFile[] {
  return files.map((f, i) => ({ f, i })).sort((a, b) => (a.f.file < b.f.file ? -1 : a.f.file > b.f.file ? 1 : a.i - b.i)).map((e) => e.f);
}

/** A file's copy of a bucket or key (an own member: a bucket named `constructor` is not the object's). */
function copyOf(f: InventoryFile, kind: 'buckets' | 'keys', name: string): Record<string, unknown> | undefined {
  const all = f.inventory[kind];
  return all !== undefined && Object.hasOwn(all, name) ? all[name] : undefined;
}

/** The union of two copies of a bucket or key, or an input error at the later copy's field that contradicts the earlier. */
function unite(
  kind: 'buckets' | 'keys',
  name: string,
  earlier: Record<string, unknown>,
  later: Record<string, unknown>,
  file: InventoryFile,
  holderOf: (field: string) => InventoryFile,
): Record<string, unknown> {
  const what = kind === 'buckets' ? `bucket ${name}` : `key ${name}`;
  /** Refuses `field` of the later copy, which contradicts `otherField` of the union (`message` gets the file it came from, and its line there). */
  const refuse = (field: string, otherField: string, message: (other: string, line: string) => string): never => {
    const other = holderOf(otherField);
    const line = other.locateInput?.(`/${kind}/${escapePointerSegment(name)}/${escapePointerSegment(otherField)}`).line;
    const pointer = `/${kind}/${escapePointerSegment(name)}/${escapePointerSegment(field)}`;
    throw new InputError(message(other.file, line === undefined ? '' : `line ${line}`), { file: file.file, ...file.locateInput?.(pointer), pointer });
  };
  const paren = (line: string) => (line === '' ? '' : ` (${line})`);
  // A bucket that does not exist has no fields: one copy saying so and another holding a field
  // are two different moments. (An empty copy, or one with only `Exists: true`, says nothing against it.)
  if (kind === 'buckets' && (earlier.Exists === false) !== (later.Exists === false)) {
    if (later.Exists === false) {
      const held = Object.keys(earlier).find((k) => k !== 'Exists');
      if (held !== undefined) refuse('Exists', held, (other, line) => `${what} does not exist here (Exists: false), but ${other}${paren(line)} holds its ${held}; collect the inventories at the same moment`);
    } else {
      const held = Object.keys(later).find((k) => k !== 'Exists');
      if (held !== undefined) refuse(held, 'Exists', (other, line) => `${what} does not exist in ${other} (Exists: false${line && ` at ${line}`}), but this inventory holds its ${held}; collect the inventories at the same moment`);
    }
  }
  const field = differingField(earlier, later, (k, x, y) => sameJson(x, y) || (k === 'Policy' && samePolicy(x, y)) || (kind === 'keys' && k === 'Aliases'));
  if (field !== undefined) {
    refuse(field, field, (other, line) => `${what} holds a different ${field} in ${other}${paren(line)}; the inventories merged may each lack some of its fields, but must agree on those both hold: collect them at the same moment`);
  }
  const union = { ...earlier };
  addMissing(union, later);
  // Aliases are the names trails gave the key (as `trailgate snapshot` unites them within one
  // run), not something read of it: the names of both copies.
  if (kind === 'keys' && Array.isArray(earlier.Aliases) && Array.isArray(later.Aliases)) union.Aliases = [...new Set([...earlier.Aliases, ...later.Aliases])].sort();
  return union;
}

/**
 * GetBucketPolicy and GetKeyPolicy answer with JSON text, which `trailgate snapshot` writes as it
 * is; a hand-written inventory may hold the document as an object (the schema takes either), and
 * the rules read both alike. So a text and an object, or two texts, that hold one document are
 * one value. A text the rules cannot read (not JSON, not an object, or repeating a key, which
 * JSON.parse would settle by keeping the last) is equal only to the same text.
 */
function samePolicy(x: unknown, y: unknown): boolean {
  const a = policyDocument(x);
  const b = policyDocument(y);
  return a !== undefined && b !== undefined && sameJson(a, b);
}

function policyDocument(value: unknown): object | undefined {
  let doc: unknown = value;
  if (typeof value === 'string') {
    const parsed = parseUnambiguous(value);
    if (!parsed.ok) return undefined;
    doc = parsed.value;
  }
  return doc !== null && typeof doc === 'object' && !Array.isArray(doc) ? doc : undefined;
}

/**
 * An account known only from its errors (a role that could not be assumed, recorded by hand) is
 * located at the error that names it, so its results point into the snapshot like any other's.
 * Of several, the first in a fixed order of their fields, then file name: whatever order the
 * files come in, the reports point at the same entry.
 */
function locateUnlisted(files: readonly InventoryFile[], sources: LoadedInventory['sources']): void {
  const best = new Map<string, { key: string; file: InventoryFile; base: string }>();
  for (const f of files) {
    f.inventory.errors?.forEach((e, i) => {
      if (sources.has(e.accountId)) return;
      const key = JSON.stringify([e.operation, e.region ?? '', e.resource ?? '', e.service, e.code, e.message ?? '', f.file, i]);
      const seen = best.get(e.accountId);
      if (seen === undefined || key < seen.key) best.set(e.accountId, { key, file: f, base: `/errors/${i}` });
    });
  }
  for (const [accountId, { file: f, base }] of best) {
    f.sourceMap.wantErrors?.();
    // Both locators find `/errors/N` (never a second, positioned parse of a large JSON file:
    // ten times JSON.parse, held for the whole run); failing that, the file's first line.
    const map: InventoryFile['sourceMap'] = { locate: (p) => f.sourceMap.locate(p) ?? f.sourceMap.locate('') };
    sources.set(accountId, { map, index: -1, base });
  }
}
