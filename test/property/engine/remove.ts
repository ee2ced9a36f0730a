/** Taking collected data away from an inventory, as if it had not been collected. */
import fc from 'fast-check';
import type { Inventory } from '../../../src/inventory/types.ts';
import { BUCKETS, KEYS } from './generate.ts';

interface Removal {
  kind: 'entry' | 'bucket' | 'key';
  index: number;
  field: number;
}

const ENTRY_FIELDS = ['Status', 'EventSelectors', 'InsightSelectors'] as const;
const BUCKET_FIELDS = ['Region', 'Policy', 'PolicyStatus', 'Acl', 'Logging', 'Versioning', 'RequestPayer'];
const KEY_FIELDS = ['KeyMetadata', 'KeyRotationEnabled', 'Policy'];
export const removalArb: fc.Arbitrary<Removal> = fc.record({ kind: fc.constantFrom('entry' as const, 'bucket' as const, 'key' as const), index: fc.nat(), field: fc.nat() });

/**
 * Takes one collected datum out of the inventory, as if it had not been collected: a trail's
 * status, selectors or insight selectors (from every account's copy of it), a field of a bucket
 * or key, or the whole bucket or key. Returns the reads (as rules declare them) that lose data.
 */
export function remove(inv: Inventory, r: Removal): string[] {
  if (r.kind === 'entry') {
    const arns = [...new Set(inv.accounts.flatMap((a) => a.trails.map((e) => e.Trail.TrailARN)))];
    if (arns.length === 0) return [];
    const arn = arns[r.index % arns.length];
    const field = ENTRY_FIELDS[r.field % ENTRY_FIELDS.length];
    for (const a of inv.accounts) {
      for (const e of a.trails) {
        if (e.Trail.TrailARN !== arn) continue;
        delete e[field];
        if (field === 'EventSelectors') delete e.AdvancedEventSelectors;
      }
    }
    return [field];
  }
  const [names, fields, map, root] =
    r.kind === 'bucket' ? [BUCKETS, BUCKET_FIELDS, inv.buckets as Record<string, Record<string, unknown>> | undefined, 'Bucket'] : [KEYS, KEY_FIELDS, inv.keys as Record<string, Record<string, unknown>> | undefined, 'Key'];
  const name = names[r.index % names.length];
  if (map?.[name] === undefined) return [];
  const k = r.field % (fields.length + 1);
  if (k === fields.length) {
    delete map[name];
    return [root, ...fields.map((f) => `${root}.${f}`)];
  }
  delete map[name][fields[k]];
  return [`${root}.${fields[k]}`];
}

/** Everything but DescribeTrails' own output and the failed reads, gone. */
export function stripAll(inv: Inventory): void {
  for (const a of inv.accounts) for (const e of a.trails) for (const f of [...ENTRY_FIELDS, 'AdvancedEventSelectors'] as const) delete e[f];
  delete inv.buckets;
  delete inv.keys;
}
