/**
 * The region and account subjects (collections): per account, in id order, the trails that
 * apply to it (its own and the organization trails it sees), one subject per region it lists
 * and per unlisted region its trails are homed in, and whether each one's trail list is complete.
 */
import type { AccountInventory, Inventory } from '../inventory/types.ts';
import { failedFrom, failedRead, notCollected, READ_OK, type ErrorIndex, type ReadState } from './reads.ts';
import type { AccountSubject, Anchor, Model, RegionSubject, TrailSubject } from './subjects.ts';
import { byId } from './trail-copies.ts';
import { arnAccount } from './trail-subject.ts';

/** A trail's subject as its owner sees it, and (once a member lists an organization trail) as a member sees it. */
export interface TrailViews {
  owned: TrailSubject;
  foreign?: TrailSubject;
}

/** The region and account subjects: accounts in id order (those known only from failed reads too), each one's regions in name order. */
export function collectionSubjects(inv: Inventory, errors: ErrorIndex, subjects: ReadonlyMap<string, TrailViews>): Pick<Model, 'regions' | 'unlistedRegions' | 'accounts'> {
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
    regions.push(regionSubject(account.accountId, region, views, { accountId: account.accountId, pointer: `/regions/${k}` }, state));
  }
  return listState;
}

/** One region of one account, with the trails that cover it: one literal, so every region subject shares one V8 shape. */
function regionSubject(accountId: string, region: string, views: readonly TrailSubject[], anchor: Anchor, listState: ReadState): RegionSubject {
  return { kind: 'region', accountId, region, subject: { kind: 'region', accountId, region }, trails: views.filter((t) => covers(t, region)), anchor, listState };
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
    const what = `the trail list of account ${account.accountId} in ${region}, a region its entry does not list,`;
    unlistedRegions.push(regionSubject(account.accountId, region, views, first.anchor, notCollected('DescribeTrails', undefined, what)));
  }
}

/** An account's subject; its trail list is incomplete too where DescribeTrails failed in a region it does not list, and unknown where it lists none. */
function accountSubject(account: AccountInventory, views: TrailSubject[], listState: ReadState, errors: ErrorIndex, inErrorsOnly = false): AccountSubject {
  // A DescribeTrails that failed in a region the account does not list (a hand-written
  // inventory may leave it out) still leaves the account's trail list incomplete.
  // Also when a listed region failed too: a region rule whose `where` leaves that region out
  // must still see the unlisted ones. Only an entry that lists its regions says which they are.
  const unlisted = errors.forAnyRegion(account.accountId, 'DescribeTrails').filter((e) => !account.regions.includes(e.region!));
  if (unlisted.length > 0 && listState.ok) listState = failedFrom(unlisted[0]!);
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
