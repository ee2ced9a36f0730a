/**
 * Subjects: the inventory seen as the things rules judge. One TrailSubject per TrailARN
 * (shadow copies and the copies member accounts see folded together: trail-subject.ts), and per
 * account the region and account views over the trails that apply to it. Built once per evaluation.
 */
import type {
  AccountInventory,
  AdvancedEventSelector,
  Bucket,
  EventSelector,
  InsightSelector,
  Inventory,
  Key,
  Partition,
  Trail,
  TrailEntry,
  TrailStatus,
} from '../inventory/types.ts';
import { partitionOf } from '../inventory/partition.ts';
import type { FailedRead, Subject } from './result.ts';
import type { Selectors } from './facts.ts';
import { ErrorIndex, failedFrom, failedRead, notCollected, READ_OK, type ReadState } from './reads.ts';
import { keyIndex, type KeyScope } from './trail-reads.ts';
import { arnAccount, fold, newerCopyFirst, trailSubject } from './trail-subject.ts';

/** Derived facts about a trail, named so rule authors can use them as `facts.<name>`. */
export interface TrailFacts {
  /** The account the trail is seen from owns it (always true on a trail-scoped subject). */
  owned: boolean;
  ownerAccountId: string;
  isOrganizationTrail: boolean;
  multiRegion: boolean;
  coversGlobalRegion: boolean;
  kmsEncrypted: boolean;
  /**
   * The region of the trail's KMS key: the one in KmsKeyId when it is an ARN, else the trail's
   * home region (a bare key id or alias names a key there). Absent without a key. KMS commands
   * must be sent there, which need not be the trail's home region (the key follows the bucket).
   */
  keyRegion?: string;
  /**
   * The selectors were collected and take no management events (a data-only trail). False when
   * they take some, and also when they were not collected: a rule may use it only to leave a
   * trail out where that leans towards failing, never to pass one.
   */
  knownToSkipManagementEvents: boolean;
  /** Undefined below when the selectors were not collected. */
  recordsAllManagementEvents?: boolean;
  eventSelectorCount?: number;
  dataResourceCount?: number;
  advancedSelectorCount?: number;
  advancedValueCount?: number;
  /** S3 object write / read events for every bucket of the partition (undefined: selectors not collected). */
  recordsS3WriteDataEvents?: boolean;
  recordsS3ReadDataEvents?: boolean;
  /** Hours from Status.LatestCloudWatchLogsDeliveryTime to the inventory's collectedAt (undefined: either is missing). */
  cloudWatchLogsDeliveryAgeHours?: number;
  /**
   * The trail's KMS key is customer managed / symmetric unless its metadata says otherwise
   * (KeyManager AWS; a KeySpec other than SYMMETRIC_DEFAULT). Undefined when there is no key.
   */
  keyCustomerManaged?: boolean;
  keySymmetric?: boolean;
  /** False when KMS answered DescribeKey with NotFoundException: the trail's key does not exist. Undefined when there is no key. */
  keyFound?: boolean;
  /** The trail has insight selectors: from GetInsightSelectors, else DescribeTrails' HasInsightSelectors. */
  hasInsightSelectors?: boolean;
}


/** Where in the inventory a subject's entry is: an account id and a pointer inside its entry. */
export interface Anchor {
  accountId: string;
  pointer: string;
}

/** One trail, once per TrailARN, under the account that owns it. */
export interface TrailSubject {
  kind: 'trail';
  accountId: string;
  region: string;
  /** What its results are about, built once and shared by every result. */
  subject: Subject;
  partition: Partition;
  /** The owner's organization id, when the inventory knows it. */
  organizationId?: string;
  /**
   * For an organization trail whose organization id the inventory does not know: the recorded
   * DescribeOrganization failure that explains why (the owner's, else that of an account that
   * sees the trail), so a rule that needs the id can name the read and the permission.
   */
  organizationFailure?: FailedRead;
  /**
   * For an organization trail: the other accounts of its organization that the inventory lists
   * (naming the organization id, or seeing the trail), in id order. CloudTrail delivers each
   * one's logs under `AWSLogs/<org-id>/<account>/`.
   */
  organizationMembers?: readonly string[];
  /**
   * For a multi-region trail: the regions besides the home region that the inventories of its
   * owner and (for an organization trail) its members list, in name order. CloudTrail writes each
   * one's logs under `.../CloudTrail/<region>/`.
   */
  otherRegions?: readonly string[];
  collectedAt?: string;
  /**
   * When merged inventories differ in collectedAt: the account whose inventory's collectedAt is
   * this trail's "now", so that a message about a missing one can say which inventory lacks it.
   */
  collectedAtAccount?: string;
  Trail: Trail;
  Status?: TrailStatus;
  EventSelectors?: EventSelector[];
  AdvancedEventSelectors?: AdvancedEventSelector[];
  InsightSelectors?: InsightSelector[];
  /** The selectors in effect (AWS's default when the trail has no custom ones). */
  selectors?: Selectors;
  Bucket?: Bucket;
  Key?: Key;
  facts: TrailFacts;
  anchor: Anchor;
  /** Whether a read (`Status`, `Bucket.Policy`, ...) is usable for this trail. */
  read(name: string): ReadState;
}

/** The trails that cover one region of one account. */
export interface RegionSubject {
  kind: 'region';
  accountId: string;
  region: string;
  subject: Subject;
  trails: TrailSubject[];
  anchor: Anchor;
  /** Whether the trail list itself is complete. */
  listState: ReadState;
}

/** The trails that apply to one account. */
export interface AccountSubject {
  kind: 'account';
  accountId: string;
  subject: Subject;
  organizationId?: string;
  regions: string[];
  trails: TrailSubject[];
  anchor: Anchor;
  listState: ReadState;
  /**
   * When the entry lists its regions: each DescribeTrails failure recorded for a region it does not
   * list (a hand-written inventory that left such a region out; empty when there is none), naming
   * its region, so that a region rule whose `where` leaves those regions out need not call them
   * unseen. Undefined when the entry lists no region: which regions the account has is unknown.
   */
  unlistedRegionFailures?: FailedRead[];
}

export interface Model {
  trails: TrailSubject[];
  regions: RegionSubject[];
  /**
   * Regions an account's entry does not list where single-region trails it owns are homed (a hand-written
   * inventory, a planned configuration): nobody looked there, so a region rule judges them only
   * for what the trails they show already break (evaluate.ts), never passing them and never
   * calling them unread. Their trail lists are incomplete (NotCollected).
   */
  unlistedRegions: RegionSubject[];
  accounts: AccountSubject[];
  partition: Partition;
}

/** Each organization id the inventory names, with its accounts in id order. */
function organizationMembers(inv: Inventory): Map<string, string[]> {
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

/** A trail's subject as its owner sees it, and (once a member lists an organization trail) as a member sees it. */
interface TrailViews {
  owned: TrailSubject;
  foreign?: TrailSubject;
}

/** What making each TrailARN's subject from its copies needs: the inventory's indexes, made once. */
interface TrailContext {
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

/** The order of two account ids, regions or TrailARNs: the reports' order, by code unit. */
function byId(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

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

/** Every account's entries of each TrailARN (folded into one trail later), and which member vouches for its organization. */
function trailCopies(inv: Inventory): { copies: Map<string, TrailCopy[]>; seenFromOrg: Map<string, string> } {
  const copies = new Map<string, TrailCopy[]>();
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
function ownedTrail(arn: string, list: TrailCopy[], context: TrailContext): TrailSubject {
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
    // The regions the inventory looks at the owner in and, for an organization trail, its
    // members in (a member may use a region the owner does not, and the owner may be outside
    // the scan). Every account's folder is checked in each of them: a shard collected with
    // fewer regions than another says nothing of where that account has logs.
    const others = new Set([owner, ...(s.organizationMembers ?? [])].flatMap((a) => context.regionsOf.get(a) ?? []));
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

/** The region and account subjects: accounts in id order (those known only from failed reads too), each one's regions in name order. */
function collectionSubjects(inv: Inventory, errors: ErrorIndex, subjects: ReadonlyMap<string, TrailViews>): Pick<Model, 'regions' | 'unlistedRegions' | 'accounts'> {
  const regions: RegionSubject[] = [];
  const unlistedRegions: RegionSubject[] = [];
  const accounts: AccountSubject[] = [];
  // Accounts in id order and each account's regions in name order: the region views come out in
  // report order without sorting them all (170,000 of them for a 10,000-account organization).
  // An account known only from its failed reads is judged too, as the collector would have
  // listed it (no regions, no trails): its rules then say `error`, never nothing at all.
  const unlisted = errors.unlistedAccounts(new Set(inv.accounts.map((a) => a.accountId))).map((accountId): AccountInventory => ({ accountId, regions: [], trails: [] }));
  const inOrder = [...inv.accounts, ...unlisted].sort((a, b) => byId(a.accountId, b.accountId));
  for (const account of inOrder) {
    const views = trailsApplying(account, subjects);
    const listState = regionSubjects(account, views, errors, regions);
    unlistedHomes(account, views, unlistedRegions);
    accounts.push(accountSubject(account, views, listState, errors, unlisted.includes(account)));
  }
  return { regions, unlistedRegions, accounts };
}

/** The trails that apply to an account, once per TrailARN and in TrailARN order: its own, and the organization trails it sees. */
function trailsApplying(account: AccountInventory, subjects: ReadonlyMap<string, TrailViews>): TrailSubject[] {
  // Once per TrailARN: an inventory pieced together from several regions' DescribeTrails may list a trail twice.
  const views: TrailSubject[] = [];
  const listed = new Set<string>();
  for (const e of account.trails) {
    const arn = e.Trail.TrailARN;
    if (listed.has(arn)) continue;
    listed.add(arn);
    const pair = subjects.get(arn)!;
    if ((arnAccount(arn) ?? account.accountId) === account.accountId) views.push(pair.owned);
    // Another account's trail applies here only as an organization trail (rules.md). DescribeTrails
    // lists no other foreign trail, but a hand-written inventory can: one that says it is not an
    // organization trail covers nothing of this account. Without the flag, it is taken for what
    // such an entry is (inventory.md): an organization trail seen from a member. This account's
    // own copy saying false keeps it out here, whatever another account's copy says.
    else if (pair.owned.facts.isOrganizationTrail && e.Trail.IsOrganizationTrail !== false) views.push((pair.foreign ??= foreignView(pair.owned)));
  }
  // By TrailARN, not the order DescribeTrails (or a hand) listed them: the trails a message
  // names, and which qualifying trail a pass names, must not move when the list is reordered.
  if (views.length > 1) views.sort((a, b) => byId(a.Trail.TrailARN, b.Trail.TrailARN));
  return views;
}

/** Adds an account's region subjects to `regions`; returns whether its trail list is complete as the account and its listed regions say. */
function regionSubjects(account: AccountInventory, views: TrailSubject[], errors: ErrorIndex, regions: RegionSubject[]): ReadState {
  const accountError = errors.forAccount(account.accountId);
  let listState: ReadState = accountError ? failedFrom(accountError) : READ_OK;
  const regionOrder = account.regions.map((region, k) => ({ region, k })).sort((a, b) => byId(a.region, b.region));
  for (const { region, k } of regionOrder) {
    const regionError = errors.forRegion(account.accountId, region, 'DescribeTrails');
    const state = accountError ? failedFrom(accountError) : regionError ? failedFrom(regionError) : READ_OK;
    if (!state.ok && listState.ok) listState = state;
    regions.push({
      kind: 'region',
      accountId: account.accountId,
      region,
      subject: { kind: 'region', accountId: account.accountId, region },
      trails: views.filter((t) => covers(t, region)),
      anchor: { accountId: account.accountId, pointer: `/regions/${k}` },
      listState: state,
    });
  }
  return listState;
}

/**
 * Adds a region subject for each region the account's own single-region trails are homed in that its entry
 * does not list: six trails homed there are six trails there all the same, and without a subject
 * trails-per-region never counted them. Nobody looked there for more, so the list is incomplete.
 */
function unlistedHomes(account: AccountInventory, views: TrailSubject[], unlistedRegions: RegionSubject[]): void {
  const homes = new Map<string, TrailSubject>();
  // Single-region trails only: a multi-region trail counts in the listed regions already, and a
  // live scan limited by --region lists those homed in regions it left out (as shadows): their
  // home regions would give a second result for a region the user chose not to scan.
  for (const t of views) if (t.facts.owned && t.Trail.IsMultiRegionTrail !== true && !account.regions.includes(t.region) && !homes.has(t.region)) homes.set(t.region, t);
  for (const [region, first] of [...homes].sort(([a], [b]) => byId(a, b))) {
    unlistedRegions.push({
      kind: 'region',
      accountId: account.accountId,
      region,
      subject: { kind: 'region', accountId: account.accountId, region },
      trails: views.filter((t) => covers(t, region)),
      anchor: first.anchor,
      listState: notCollected('DescribeTrails', undefined, `the trail list of account ${account.accountId} in ${region}, a region its entry does not list,`),
    });
  }
}

/** An account's subject; its trail list is incomplete too where DescribeTrails failed in a region it does not list, and unknown where it lists none. */
function accountSubject(account: AccountInventory, views: TrailSubject[], listState: ReadState, errors: ErrorIndex, inErrorsOnly = false): AccountSubject {
  // A DescribeTrails that failed in a region the account does not list (a hand-written
  // inventory may leave it out) still leaves the account's trail list incomplete.
  // Also when a listed region failed too: a region rule whose `where` leaves that region out
  // must still see the unlisted ones. Only an entry that lists its regions says which they are.
  const unlisted = errors.forAnyRegion(account.accountId, 'DescribeTrails').filter((e) => !account.regions.includes(e.region!));
  if (unlisted.length > 0 && listState.ok) listState = failedFrom(unlisted[0]);
  // A failure that leaves the whole account unread (its role, its region list, a DescribeTrails
  // naming no region) leaves its listed regions no complete list either: which it has is unknown.
  const unlistedRegionFailures = account.regions.length > 0 && errors.forAccount(account.accountId) === undefined ? unlisted.map(failedRead) : undefined;
  // No region looked at and no failure recorded: nothing says what the account holds.
  if (listState.ok && account.regions.length === 0) {
    const whose = inErrorsOnly ? 'which only the inventory\'s errors name' : 'whose entry lists no region';
    listState = notCollected('DescribeTrails', undefined, `the trail list of account ${account.accountId}, ${whose},`);
  }
  return {
    kind: 'account',
    accountId: account.accountId,
    subject: { kind: 'account', accountId: account.accountId },
    organizationId: account.organizationId,
    regions: account.regions,
    trails: views,
    anchor: { accountId: account.accountId, pointer: '' },
    listState,
    ...(unlistedRegionFailures ? { unlistedRegionFailures } : {}),
  };
}

/**
 * An organization trail as a member account sees it: the owner's subject (its fields inherited
 * through the prototype chain, so each read is shared) with facts that say it is not owned here.
 */
function foreignView(owned: TrailSubject): TrailSubject {
  return Object.create(owned, { facts: { value: { ...owned.facts, owned: false } } });
}

/** A trail covers a region when it is multi-region or homed there. */
function covers(t: TrailSubject, region: string): boolean {
  return t.Trail.IsMultiRegionTrail === true || t.region === region;
}
