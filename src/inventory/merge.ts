/**
 * Merging inventories from several files (shards of an organization, or member accounts plus
 * the log-archive account): accounts are concatenated and must not repeat; buckets and keys
 * are united and must agree; errors are concatenated.
 */
import { isDeepStrictEqual } from 'node:util';
import { InputError } from '../errors.ts';
import type { InventoryFile } from './load.ts';
import { partitionOf } from './partition.ts';
import type { Inventory, LoadedInventory } from './types.ts';

/** Merges parsed files into one inventory, keeping where each account came from. */
export function mergeInventories(files: readonly InventoryFile[]): LoadedInventory {
  const sources: LoadedInventory['sources'] = new Map();
  const accountFile = new Map<string, string>();
  const merged: Inventory = { version: 1, accounts: [] };
  const partitions = new Set<string>();
  for (const f of files) {
    const inv = f.inventory;
    partitions.add(partitionOf(inv));
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
      sources.set(account.accountId, { map: f.sourceMap, index });
      merged.accounts.push(account);
    });
    for (const kind of ['buckets', 'keys'] as const) {
      const from = inv[kind];
      if (!from) continue;
      // Without a prototype, so bucket and key names (`constructor`...) are only ever names.
      const into = (merged[kind] ??= Object.create(null)) as Record<string, unknown>;
      for (const [name, value] of Object.entries(from)) {
        if (Object.hasOwn(into, name) && !isDeepStrictEqual(into[name], value)) {
          throw new InputError(`${kind === 'buckets' ? 'bucket' : 'key'} ${name} differs between the inventories merged; collect them at the same moment`, {
            file: f.file,
            pointer: `/${kind}/${name.replace(/~/g, '~0').replace(/\//g, '~1')}`,
          });
        }
        into[name] = value;
      }
    }
    if (inv.errors?.length) (merged.errors ??= []).push(...inv.errors);
  }
  if (partitions.size > 1) throw new InputError(`the inventories come from different partitions (${[...partitions].sort().join(', ')}); scan each partition on its own`);
  merged.partition = [...partitions][0] as Inventory['partition'];
  if (merged.accounts.length === 0) {
    throw new InputError('the inventory holds no accounts: there is nothing to judge', { file: files.map((f) => f.file).join(', ') });
  }
  return { inventory: merged, sources, files: files.map((f) => f.file) };
}
