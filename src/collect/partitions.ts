/** Partitions by region name, apart from the collector: the CLI's option checks need them without the SDK. */
import { PARTITIONS } from '../inventory/partition.ts';

/** Region name prefixes of the partitions other than `aws`, whose regions have no prefix of their own. */
export const PARTITION_PREFIXES: readonly [string, string][] = [
  ['cn-', 'aws-cn'],
  ['us-gov-', 'aws-us-gov'],
  ['us-iso-', 'aws-iso'],
  ['us-isob-', 'aws-iso-b'],
  ['us-isof-', 'aws-iso-f'],
  ['eu-isoe-', 'aws-iso-e'],
  ['eusc-', 'aws-eusc'],
];

/** The partition a region name belongs to, by its prefix (`aws` for a name of no other's). */
export function regionPartition(region: string): string {
  return PARTITION_PREFIXES.find(([prefix]) => region.startsWith(prefix))?.[1] ?? 'aws';
}

/**
 * Why `region` cannot be audited, when its name says it belongs to a partition trailgate does not
 * audit (`eusc-de-east-1`, `us-iso-east-1`); undefined otherwise. Said before a name check, which
 * `eusc-` would fail as "no region name", though the region is real.
 */
export function unauditedRegion(region: string): string | undefined {
  const partition = regionPartition(region);
  if ((PARTITIONS as readonly string[]).includes(partition)) return undefined;
  // Worded as the refusal of such credentials (accounts.ts), which this one comes before.
  return `"${region}" is a region of the AWS partition ${partition}, which trailgate does not support; it audits ${PARTITIONS.join(', ')}`;
}
