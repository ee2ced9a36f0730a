/**
 * Each TrailARN's subject as its owner sees it, from every account's copy of the trail: which
 * copy's fields win, and what the copies together say of its organization, its members and the
 * other regions it covers. Whatever order the accounts or merged files come in, the same subject.
 */
import type { Inventory, Key, Partition, TrailEntry } from '../inventory/types.ts';
import { failedRead, type ErrorIndex } from './reads.ts';
import type { Anchor, TrailSubject } from './subjects.ts';
import type { KeyScope } from './key-index.ts';
import { arnAccount, fold, trailSubject } from './trail-subject.ts';
import { DEFAULT_REGIONS } from './default-regions.ts';

/** The order of two account ids, regions or TrailARNs: the reports' order, by code unit. */
export function byId(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Each organization id the inventory names, with its accounts in id order. */
export function organizationMembers(inv: Inventory): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const a of inv.accounts) {
    if (a.organizationId === undefined || a.organizationId === '') continue;
    let ids = out.get(a.organizationId);
    if (ids === undefined) out.set(a.organizationId, (ids = []));
    ids.push(a.accountId);
  }
  for (const ids of out.values()) ids.sort();
  return out;
}

/** One account's entry of a trail, where it is, and whether that account owns the trail. */
interface TrailCopy {
  entry: TrailEntry;
  anchor: Anchor;
  fromOwner: boolean;
}

/** A TrailARN's copies: one at least, as the list starts with the first copy met. */
type TrailCopies = [TrailCopy, ...TrailCopy[]];

/** What making each TrailARN's subject from its copies needs: the inventory's indexes, made once. */
export interface TrailContext {
  inv: Inventory;
  partition: Partition;
  errors: ErrorIndex;
  lookupKey: (id: string, scope: KeyScope) => Key | undefined;
  /** Per account, the organization id its entry names. */
  orgOf: ReadonlyMap<string, string | undefined>;
  /** Per account, the regions its entry lists. */
  regionsOf: ReadonlyMap<string, string[]>;
  /** Per organization id, its accounts in id order. */
  membersOf: ReadonlyMap<string, string[]>;
  /** Per TrailARN, the lowest id of an account that sees it and names its organization. */
  seenFromOrg: ReadonlyMap<string, string>;
  newer: (a: string, b: string) => number;
}

/** Every account's entries of each TrailARN (folded into one trail later), and which member vouches for its organization. */
export function trailCopies(inv: Inventory): { copies: Map<string, TrailCopies>; seenFromOrg: Map<string, string> } {
  const copies = new Map<string, TrailCopies>();
  // Per TrailARN, the lowest id of an account that sees it and names its organization: whatever
  // order the accounts (or the files merged) come in, the same member vouches for the id.
  const seenFromOrg = new Map<string, string>();
  for (const account of inv.accounts) {
    account.trails.forEach((entry, i) => {
      const arn = entry.Trail.TrailARN;
      const owner = arnAccount(arn) ?? account.accountId;
      const fromOwner = owner === account.accountId;
      const anchor = { accountId: account.accountId, pointer: `/trails/${i}` };
      if (account.organizationId) {
        const other = seenFromOrg.get(arn);
        if (other === undefined || account.accountId < other) seenFromOrg.set(arn, account.accountId);
      }
      const list = copies.get(arn);
      if (list === undefined) copies.set(arn, [{ entry, anchor, fromOwner }]);
      else list.push({ entry, anchor, fromOwner });
    });
  }
  return { copies, seenFromOrg };
}

/** The subject of one TrailARN as its owner sees it: whose copy's fields win, and its organization, members and other regions. */
export function ownedTrail(arn: string, list: TrailCopies, context: TrailContext): TrailSubject {
  const { inv, errors } = context;
  // The owner's copy first; then the other accounts' copies, the most recently collected first
  // (member shards taken on different days may disagree, the trail stopped in between, and the
  // latest reading is the trail as it is), then by id (an account's own repeats in inventory
  // order): whatever order the accounts or merged files come in, the same copy's fields win, and
  // the reports point at the same entry (a file path is part of a code scanning alert's identity).
  if (list.length > 1) list.sort((a, b) => Number(b.fromOwner) - Number(a.fromOwner) || context.newer(a.anchor.accountId, b.anchor.accountId) || byId(a.anchor.accountId, b.anchor.accountId));
  const { entry, sources } = fold(list, arn, errors);
  const anchor = list[0].anchor;
  const owner = arnAccount(arn) ?? anchor.accountId;
  // An organization trail belongs to the organization of every account that sees it; when the
  // management account is not in the inventory, the members that saw it know the id.
  const viewer = context.seenFromOrg.get(arn);
  const orgTrail = isOrganizationTrail(list);
  const organizationId = context.orgOf.get(owner) ?? (orgTrail && viewer !== undefined ? context.orgOf.get(viewer) : undefined);
  // "Now" for this trail's ages: when its status was read, that is, its file's collectedAt.
  // (The account whose copy supplied the status: another file's clock would age it wrongly.)
  const clockAccount = inv.collectedAtByAccount ? (sources.from.Status ?? list[0].anchor.accountId) : undefined;
  const collectedAt = clockAccount !== undefined ? inv.collectedAtByAccount!.get(clockAccount) : inv.collectedAt;
  const s = trailSubject(entry, owner, anchor, context.partition, organizationId, collectedAt, inv, errors, context.lookupKey, sources);
  if (clockAccount !== undefined) s.collectedAtAccount = clockAccount;
  s.facts.isOrganizationTrail = orgTrail;
  if (organizationId === undefined && s.facts.isOrganizationTrail) {
    for (const id of [owner, ...sources.viewers]) {
      const failure = errors.forAccountOperation(id, 'DescribeOrganization');
      if (failure) {
        s.organizationFailure = failedRead(failure);
        break;
      }
    }
  }
  if (s.facts.isOrganizationTrail && organizationId !== undefined) {
    const members = trailMembers(list, owner, context.membersOf.get(organizationId) ?? []);
    if (members.length > 0) s.organizationMembers = members;
  }
  if (s.facts.multiRegion) {
    // The regions every account of the partition has, and those the inventory looks at the
    // owner in and, for an organization trail, its members in (a member may use a region the
    // owner does not, and the owner may be outside the scan). Every account's folder is checked
    // in each of them: a shard collected with fewer regions than another says nothing of where
    // that account has logs, and a scan of one region none of the trail's other regions.
    const others = new Set([...DEFAULT_REGIONS[context.partition], ...[owner, ...(s.organizationMembers ?? [])].flatMap((a) => context.regionsOf.get(a) ?? [])]);
    others.delete(s.region);
    if (others.size > 0) s.otherRegions = [...others].sort();
  }
  return s;
}

/** Whether a trail's copies make it an organization trail: the owner's flag decides, else any member's copy that does not say false. */
function isOrganizationTrail(list: readonly TrailCopy[]): boolean {
  // A trail another account lists is an organization trail seen from a member (inventory.md),
  // unless a copy says it is not: DescribeTrails lists no other account's trail. The owner's
  // flag decides; without it, any member copy that does not say false (whatever the account ids).
  const ownerFlag = list.find((c) => c.fromOwner)?.entry.Trail.IsOrganizationTrail;
  return ownerFlag !== undefined ? ownerFlag === true : list.some((c) => !c.fromOwner && c.entry.Trail.IsOrganizationTrail !== false);
}

/** An organization trail's members other than its owner: the accounts naming its organization and those seeing it as an organization trail, in id order. */
function trailMembers(list: readonly TrailCopy[], owner: string, named: string[]): string[] {
  // The accounts other than the owner that see it as an organization trail are members of its
  // organization too, whether or not their entries name the organization id.
  const viewers = list.filter((c) => !c.fromOwner && c.entry.Trail.IsOrganizationTrail !== false).map((c) => c.anchor.accountId);
  return (viewers.length > 0 ? [...new Set([...named, ...viewers])].sort() : named).filter((id) => id !== owner);
}
