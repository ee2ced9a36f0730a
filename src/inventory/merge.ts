/**
 * Merging inventories from several files (shards of an organization, or member accounts plus
 * the log-archive account): accounts are concatenated and must not repeat; buckets and keys
 * are united and must agree; errors are concatenated.
 */
import { ErrorIndex } from '../engine/reads.ts';
import { InputError } from '../errors.ts';
import { sameJson } from './copies.ts';
import type { InventoryFile } from './load.ts';
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
  // Where each bucket and key came from, to name both files when they disagree.
  const origin = { buckets: new Map<string, string>(), keys: new Map<string, string>() };
  const collectedAtOf = new Map<string, string | undefined>();
  for (const f of files) {
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
        throw new InputError(`account ${account.accountId} appears twice (also in ${other}); each account belongs in one inventory`, {
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
    for (const kind of ['buckets', 'keys'] as const) {
      const from = inv[kind];
      if (!from) continue;
      // Without a prototype, so bucket and key names (`constructor`...) are only ever names.
      const into = (merged[kind] ??= Object.create(null)) as Record<string, unknown>;
      for (const [name, value] of Object.entries(from)) {
        if (Object.hasOwn(into, name) && !sameJson(into[name], value)) {
          const pointer = `/${kind}/${name.replace(/~/g, '~0').replace(/\//g, '~1')}`;
          throw new InputError(
            `${kind === 'buckets' ? 'bucket' : 'key'} ${name} differs between the inventories merged (also in ${origin[kind].get(name)}); collect them at the same moment`,
            { file: f.file, ...f.locateInput?.(pointer, true), pointer },
          );
        }
        if (!origin[kind].has(name)) origin[kind].set(name, f.file);
        into[name] = value;
      }
    }
  }
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
      const at = files[0].locateInput?.('/accounts', true);
      throw new InputError('the inventory holds no accounts: there is nothing to judge', { file: files[0].file, ...at, ...(at ? { pointer: '/accounts' } : {}) });
    }
    // Several files have no one position: they are named in the sentence, not where a file:line goes.
    const names = files.map((f) => f.file);
    throw new InputError(`the inventories ${names.slice(0, -1).join(', ')} and ${names[names.length - 1]} hold no accounts: there is nothing to judge`);
  }
  return { inventory: merged, sources, files: files.map((f) => f.file) };
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
