/** Which AWS partition an inventory describes. */
import type { Inventory } from './types.ts';

/** The inventory's partition: as its envelope says, else as its first TrailARN says, else aws. */
export function partitionOf(inv: Inventory): NonNullable<Inventory['partition']> {
  return statedPartition(inv) ?? 'aws';
}

/**
 * The partition an inventory states, by its envelope or its TrailARNs; undefined when it says
 * nothing (a log-archive file holding only buckets), so that it merges with any partition.
 */
export function statedPartition(inv: Inventory): Inventory['partition'] {
  if (inv.partition !== undefined) return inv.partition;
  for (const a of inv.accounts) {
    for (const e of a.trails) {
      const p = e.Trail.TrailARN.split(':')[1];
      if (p === 'aws' || p === 'aws-us-gov' || p === 'aws-cn') return p;
    }
  }
  return undefined;
}
