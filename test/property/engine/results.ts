/** Loading an inventory as `scan` does, and what the results must be or may become. */
import { expect } from 'chai';
import { stringify } from 'yaml';
import { compareResults, type Result } from '../../../src/engine/result.ts';
import { parseInventory } from '../../../src/inventory/parse.ts';
import { mergeInventories } from '../../../src/inventory/merge.ts';
import type { Inventory } from '../../../src/inventory/types.ts';

/** The CloudTrail reads of a trail list and its trails. */
const TRAIL_READS: ReadonlySet<string> = new Set(['DescribeTrails', 'GetTrailStatus', 'GetEventSelectors', 'GetInsightSelectors']);

/** Loads an inventory the way `scan` does: text through parseInventory, then mergeInventories. */
export function load(inv: Inventory, file = 'inventory.json'): Inventory {
  const text = file.endsWith('.json') ? JSON.stringify(inv, null, 1) : stringify(inv);
  return mergeInventories([parseInventory(text, file)]).inventory;
}

/** Results without where they point in the input, sorted in report order. */
export function comparable(results: readonly Result[]): Result[] {
  return [...results].sort(compareResults).map((r) => {
    const { anchor: _anchor, location: _location, ...rest } = r;
    return rest as Result;
  });
}

export function keyOf(r: Result): string {
  return `${r.ruleId} ${r.subject.kind} ${r.subject.accountId} ${r.subject.region ?? ''} ${r.subject.arn ?? ''}`;
}

const ACCOUNT_WIDE = new Set(['AssumeRole', 'AssumeRoleWithWebIdentity', 'GetCallerIdentity', 'ListRegions', 'DescribeRegions']);

/** The subjects rules.md promises, worked out from the inventory alone. */
export function expectedSubjects(inv: Inventory) {
  const errors = inv.errors ?? [];
  const accountWide = (id: string) => errors.some((e) => e.accountId === id && (ACCOUNT_WIDE.has(e.operation) || (e.resource === undefined && e.region === undefined)));
  const describeFailed = (id: string) => errors.filter((e) => e.accountId === id && e.operation === 'DescribeTrails' && e.region !== undefined && e.resource === undefined).map((e) => e.region!);
  const regionsOf = new Map(inv.accounts.map((a) => [a.accountId, a.regions]));
  const ids = new Set(inv.accounts.map((a) => a.accountId));
  // An account that `accounts` leaves out is judged when its role, region list or a trail read failed.
  for (const e of errors) if (accountWide(e.accountId) || TRAIL_READS.has(e.operation)) ids.add(e.accountId);
  const accounts = [...ids].sort();
  const regions = accounts.flatMap((id) => (regionsOf.get(id) ?? []).map((r) => `${id} ${r}`));
  const trails = new Map<string, string>();
  for (const a of inv.accounts) for (const e of a.trails) trails.set(e.Trail.TrailARN, e.Trail.TrailARN.split(':')[4]);
  // Where a trail rule cannot see the trails: a region whose DescribeTrails failed (or the whole
  // account, in every listed region), else the account when its list is incomplete some other way.
  const unseenRegions: string[] = [];
  const unseenAccounts: string[] = [];
  for (const id of accounts) {
    const listedRegions = regionsOf.get(id) ?? [];
    const failed = describeFailed(id);
    const inRegions = listedRegions.filter((r) => accountWide(id) || failed.includes(r));
    unseenRegions.push(...inRegions.map((r) => `${id} ${r}`));
    if (inRegions.length === 0 && (accountWide(id) || failed.length > 0 || listedRegions.length === 0)) unseenAccounts.push(id);
  }
  // Regions an entry leaves out where its own single-region trails are homed: a region rule may fail there.
  const homes = new Set<string>();
  for (const a of inv.accounts) {
    for (const e of a.trails) {
      const owner = e.Trail.TrailARN.split(':')[4];
      if (owner === a.accountId && e.Trail.IsMultiRegionTrail !== true && e.Trail.HomeRegion !== undefined && !a.regions.includes(e.Trail.HomeRegion)) homes.add(`${owner} ${e.Trail.HomeRegion}`);
    }
  }
  return { accounts, regions, trails, unseenRegions, unseenAccounts, homes };
}

export function byKey(results: readonly Result[]): Map<string, Result> {
  return new Map(results.map((r) => [keyOf(r), r]));
}

/** With less data, a verdict may only stay as it was or become an error (Kleene: unknown). */
export function expectWeaker(before: Result, after: Result | undefined, what: string): void {
  expect(after, `${what}: the subject disappeared`).to.not.equal(undefined);
  if (after!.status === before.status || after!.status === 'error') return;
  expect.fail(`${what}: ${before.status} became ${after!.status}\n  before: ${before.message}\n  after:  ${after!.message}`);
}
