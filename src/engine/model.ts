/**
 * Building the subjects of an inventory: each TrailARN's subject from its copies
 * (trail-copies.ts), then each account's regions and the account itself over the trails that
 * apply to it (collection-subjects.ts), in the order the reports list them.
 */
import type { Inventory, Partition } from '../inventory/types.ts';
import { partitionOf } from '../inventory/partition.ts';
import { collectionSubjects, type TrailViews } from './collection-subjects.ts';
import { ErrorIndex } from './reads.ts';
import type { Model, TrailSubject } from './subjects.ts';
import { byId, organizationMembers, ownedTrail, trailCopies, type TrailContext } from './trail-copies.ts';
import { keyIndex } from './key-index.ts';
import { newerCopyFirst } from './trail-subject.ts';

/** Builds the subjects of an inventory. Pure; the inventory is not modified. */
export function buildModel(inv: Inventory): Model {
  const partition: Partition = partitionOf(inv);
  const errors = new ErrorIndex(inv.errors ?? []);
  const { copies, seenFromOrg } = trailCopies(inv);
  const context: TrailContext = {
    inv,
    partition,
    errors,
    lookupKey: keyIndex(inv.keys),
    orgOf: new Map(inv.accounts.map((a) => [a.accountId, a.organizationId])),
    regionsOf: new Map(inv.accounts.map((a) => [a.accountId, a.regions])),
    membersOf: organizationMembers(inv),
    seenFromOrg,
    newer: newerCopyFirst(inv.collectedAtByAccount),
  };
  // `foreign`, the view of an organization trail from a member account, is made the first time a
  // member lists the trail: making it sets the owned subject as its prototype, and V8 gives every
  // prototype a map of its own, so were every trail given one, no two trail subjects would share a
  // map and each property read of every rule would go through a megamorphic lookup (measured: 10%
  // of a large scan's CPU). Only organization trails need one.
  const subjects = new Map<string, TrailViews>();
  const trails: TrailSubject[] = [];
  for (const [arn, list] of copies) {
    const s = ownedTrail(arn, list, context);
    subjects.set(arn, { owned: s });
    trails.push(s);
  }
  const { regions, unlistedRegions, accounts } = collectionSubjects(inv, errors, subjects);
  // In report order, so sorting the results afterwards is a single pass.
  trails.sort((a, b) => byId(a.accountId, b.accountId) || byId(a.region, b.region) || byId(a.Trail.TrailARN, b.Trail.TrailARN));
  return { trails, regions, unlistedRegions, accounts, partition };
}
