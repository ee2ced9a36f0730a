/** Which AWS partition an inventory describes. */
import { InputError, type InputPosition } from '../errors.ts';
import type { Inventory, Partition } from './types.ts';

/** The partitions trailgate reads (inventory.md), each with its own global region. */
export const PARTITIONS: readonly Partition[] = ['aws', 'aws-us-gov', 'aws-cn'];

/** The inventory's partition: as its envelope says, else as its first TrailARN says, else aws. */
export function partitionOf(inv: Inventory): NonNullable<Inventory['partition']> {
  return statedPartition(inv) ?? 'aws';
}

/**
 * The partition an inventory states, by its envelope or its TrailARNs; undefined when it says
 * nothing (a log-archive file holding only buckets), so that it merges with any partition.
 */
function statedPartition(inv: Inventory): Inventory['partition'] {
  return partitionSource(inv)?.partition;
}

/**
 * The partition an inventory states and what states it: its `partition` key, else its first
 * TrailARN (checkPartitions has made every other agree), as a JSON pointer.
 */
export function partitionSource(inv: Inventory): { partition: Partition; pointer: string } | undefined {
  if (inv.partition !== undefined) return { partition: inv.partition, pointer: '/partition' };
  for (const [i, a] of inv.accounts.entries()) {
    for (const [j, e] of a.trails.entries()) {
      const p = e.Trail.TrailARN.split(':')[1];
      if (isPartition(p)) return { partition: p, pointer: `/accounts/${i}/trails/${j}/Trail/TrailARN` };
    }
  }
  return undefined;
}

/** Whether `p` names a partition trailgate reads (the live collector refuses any other at its first call). */
export function isPartition(p: unknown): p is Partition {
  return (PARTITIONS as readonly unknown[]).includes(p);
}

/**
 * Refuses, at the TrailARN, a trail in a partition trailgate does not know (`arn:aws-foo:`), or in
 * another partition than the inventory's `partition` or, without one, than its first TrailARN.
 * One inventory is one partition: requests, bucket ARNs and the global region are all built for
 * it, and a trail judged in the wrong one can pass on policies written for another. Files are
 * held to the same across a merge (merge.ts).
 *
 * Run before schema validation, so a made-up partition is named as such rather than as a pattern
 * mismatch: every shape is checked before it is read, and anything malformed is left to the schema.
 */
export function checkPartitions(value: Record<string, unknown>, at: (pointer: string) => InputPosition): void {
  const declared = isPartition(value.partition) ? value.partition : undefined;
  let first: { partition: string; pointer: string } | undefined;
  const accounts = Array.isArray(value.accounts) ? (value.accounts as unknown[]) : [];
  for (const [i, account] of accounts.entries()) {
    const trails = (account as { trails?: unknown } | null)?.trails;
    if (!Array.isArray(trails)) continue;
    for (const [j, entry] of trails.entries()) {
      const arn = ((entry as { Trail?: unknown } | null)?.Trail as { TrailARN?: unknown } | null | undefined)?.TrailARN;
      if (typeof arn !== 'string' || !arn.startsWith('arn:')) continue;
      const colon = arn.indexOf(':', 4);
      const partition = colon < 0 ? arn.slice(4) : arn.slice(4, colon);
      const pointer = `/accounts/${i}/trails/${j}/Trail/TrailARN`;
      if (!isPartition(partition)) {
        throw new InputError(`invalid inventory: the TrailARN is in partition ${JSON.stringify(partition)}, which trailgate does not read; it reads ${PARTITIONS.join(', ')}`, at(pointer));
      }
      if (declared !== undefined && partition !== declared) {
        throw new InputError(
          `invalid inventory: this TrailARN is in partition ${partition}, but the inventory's partition (line ${at('/partition').line}) is ${declared}; an inventory describes one partition`,
          at(pointer),
        );
      }
      first ??= { partition, pointer };
      if (partition !== first.partition) {
        throw new InputError(
          `invalid inventory: this TrailARN is in partition ${partition}, but the first TrailARN (line ${at(first.pointer).line}) is in ${first.partition}; an inventory describes one partition, scan each on its own`,
          at(pointer),
        );
      }
    }
  }
}
