/**
 * One trail as rules judge it: the copies of a TrailARN folded into one entry (the owner's first,
 * then the newest member's), and the TrailSubject built from it, facts and reads included.
 * model.ts groups these into the model's trail, region and account views.
 */
import type { Bucket, Inventory, Key, Partition, ReadError, Trail, TrailEntry } from '../inventory/types.ts';
import { parseTimestamp } from '../input/timestamp.ts';
import { advancedValueCount, dataResourceCount, effectiveSelectors, hoursBetween, recordsAllManagementEvents, recordsManagementEvents, s3DataEventCoverage, type Selectors } from './facts.ts';
import { ErrorIndex, failedFrom, type ReadState } from './reads.ts';
import type { KeyScope } from './key-index.ts';
import { ORGANIZATION_KNOWN, organizationState, resolveRead, trailReadFailure } from './trail-reads.ts';
import type { Anchor, TrailFacts, TrailSubject } from './subjects.ts';

/** How messages name a trail: its name, or its ARN when DescribeTrails gave none. */
export function trailName(t: { Trail: Trail }): string {
  // `||`: an empty name (a hand-written inventory) would print as nothing at all.
  return t.Trail.Name || t.Trail.TrailARN;
}

/** The global region of each partition: where global service events are delivered. */
const GLOBAL_REGION: Record<Partition, string> = {
  aws: 'us-east-1',
  'aws-us-gov': 'us-gov-west-1',
  'aws-cn': 'cn-north-1',
};

/** The fields of a trail entry that its reads fill (the rest is DescribeTrails' Trail). */
type EntryKey = 'Status' | 'EventSelectors' | 'AdvancedEventSelectors' | 'InsightSelectors';

/** The account id in an ARN (`arn:partition:service:region:account:...`), or undefined. */
export function arnAccount(arn: string): string | undefined {
  const parts = arn.split(':');
  const account = parts[4];
  return parts.length >= 6 && account !== undefined && /^\d{12}$/.test(account) ? account : undefined;
}

/** The region in an ARN, or undefined. */
export function arnRegion(arn: string): string | undefined {
  const parts = arn.split(':');
  return parts.length >= 6 && parts[3] !== '' ? parts[3] : undefined;
}

/**
 * Which accounts' copies a folded trail entry came from: `from[field]` is the account whose copy
 * supplied that field, `viewers` every account that lists the trail, the owner first.
 */
export interface TrailSources {
  from: Partial<Record<EntryKey, string>>;
  viewers: readonly string[];
}

/** The read behind each group of entry fields: the selectors come from one answer of GetEventSelectors. */
const FOLDED: ReadonlyArray<{ fields: readonly EntryKey[]; operation: string }> = [
  { fields: ['Status'], operation: 'GetTrailStatus' },
  { fields: ['EventSelectors', 'AdvancedEventSelectors'], operation: 'GetEventSelectors' },
  { fields: ['InsightSelectors'], operation: 'GetInsightSelectors' },
];

/**
 * Orders two accounts' copies of a trail by when their files were collected, the newer first; a
 * file without a (readable) time counts as the oldest, so the order stays a total one whatever the
 * input order. Only merged files of different times have a map; otherwise every copy ties.
 */
export function newerCopyFirst(collectedAtByAccount: ReadonlyMap<string, string | undefined> | undefined): (a: string, b: string) => number {
  if (collectedAtByAccount === undefined) return () => 0;
  const times = new Map<string, number | undefined>();
  const at = (account: string): number | undefined => {
    if (!times.has(account)) {
      const text = collectedAtByAccount.get(account);
      times.set(account, text === undefined ? undefined : parseTimestamp(text));
    }
    return times.get(account);
  };
  return (a, b) => {
    const ta = at(a) ?? -Infinity;
    const tb = at(b) ?? -Infinity;
    return ta === tb ? 0 : tb > ta ? 1 : -1;
  };
}

/**
 * One entry from every account's copy of a trail (`list` in precedence order: the owner's first):
 * the Trail from the first copy, each read's fields from the first copy that holds them and whose
 * account did not record that very read as failed. What only contradicted copies hold is left out:
 * its read then resolves to the recorded failure (inventory.md: a recorded error makes the rules
 * that need the datum `error`), and no fact is drawn from it. Also says which account supplied
 * each field, and every account that sees the trail.
 */
export function fold(list: readonly [{ entry: TrailEntry; anchor: Anchor }, ...{ entry: TrailEntry; anchor: Anchor }[]], arn: string, errors: ErrorIndex): { entry: TrailEntry; sources: TrailSources } {
  const first = list[0].entry;
  const viewers = list.length === 1 ? [list[0].anchor.accountId] : [...new Set(list.map((c) => c.anchor.accountId))];
  const home = first.Trail.HomeRegion ?? arnRegion(arn) ?? '';
  // One copy (nearly every trail): its own entry, unless it holds a datum its account says it could not read.
  let entry: TrailEntry | undefined = list.length === 1 ? undefined : { Trail: first.Trail };
  const from: TrailSources['from'] = {};
  for (const { fields, operation } of FOLDED) {
    const holders = list.length === 1 ? (fields.some((f) => first[f] !== undefined) ? list : []) : list.filter((c) => fields.some((f) => c.entry[f] !== undefined));
    if (holders.length === 0) continue;
    const chosen = holders.find((c) => trailReadFailure(errors, operation, arn, home, c.anchor.accountId) === undefined);
    if (chosen === undefined) {
      entry ??= { ...first };
      for (const f of fields) delete entry[f];
      continue;
    }
    for (const f of fields) {
      if (chosen.entry[f] === undefined) continue;
      if (list.length > 1) (entry as unknown as Record<string, unknown>)[f] = chosen.entry[f];
      from[f] = chosen.anchor.accountId;
    }
  }
  return { entry: entry ?? first, sources: { from, viewers } };
}

/**
 * The subject rules judge for one folded trail entry: its bucket and key looked up, its facts
 * drawn, and its reads resolved when a rule first asks for them.
 */
export function trailSubject(
  entry: TrailEntry,
  owner: string,
  anchor: Anchor,
  partition: Partition,
  organizationId: string | undefined,
  collectedAt: string | undefined,
  inv: Inventory,
  errors: ErrorIndex,
  lookupKey: (id: string, scope: KeyScope) => Key | undefined,
  sources: TrailSources,
): TrailSubject {
  const t = entry.Trail;
  const arn = t.TrailARN;
  const home = t.HomeRegion ?? arnRegion(arn) ?? '';
  const selectors = effectiveSelectors(t, entry.EventSelectors, entry.AdvancedEventSelectors);
  // Own properties only: a bucket may be called `constructor`.
  const bucket = t.S3BucketName !== undefined && inv.buckets && Object.hasOwn(inv.buckets, t.S3BucketName) ? inv.buckets[t.S3BucketName] : undefined;
  // A key id or alias name means a key of the trail's owner in its home region.
  const key = t.KmsKeyId ? lookupKey(t.KmsKeyId, { account: owner, region: home }) : undefined;
  const facts = trailFacts(entry, owner, home, partition, selectors, key, collectedAt);
  const accountError = errors.forAccount(owner);
  const states = new Map<string, ReadState>();
  // `read` closes over this trail's own pieces, never the whole inventory: optimised code may
  // keep a closure it inlined alive for a few collections after evaluation, and through it the
  // inventory (200 MB for 10,000 accounts) would outlive the judging while the reports are made.
  const subject: TrailSubject = {
    kind: 'trail',
    accountId: owner,
    region: home,
    subject: { kind: 'trail', accountId: owner, region: home, arn, name: t.Name },
    partition,
    organizationId,
    collectedAt,
    Trail: t,
    Status: entry.Status,
    // A trail without custom selectors has AWS's default one (inventory.md), which the facts
    // judge: a rule's path sees it too, as GetEventSelectors answers it, rather than nothing.
    EventSelectors: defaultSelectorOnly(t, entry) ? selectors!.basic : entry.EventSelectors,
    AdvancedEventSelectors: entry.AdvancedEventSelectors,
    InsightSelectors: entry.InsightSelectors,
    selectors,
    Bucket: bucket,
    Key: key,
    facts,
    anchor,
    read(name: string): ReadState {
      let s = states.get(name);
      if (s === undefined) {
        s = readState(name, subject, entry, selectors, bucket, key, collectedAt, errors, sources, accountError);
        states.set(name, s);
      }
      return s;
    },
  };
  // A key KMS answered NotFoundException for does not exist: nothing about it is unknown, and a
  // rule that judges the key's settings has nothing to judge (kms-key-usable fails the trail).
  if (facts.kmsEncrypted) facts.keyFound = keyFound(subject, key);
  return subject;
}

/** The facts rules judge of a trail: what its DescribeTrails entry, selectors, status and key say. */
function trailFacts(
  entry: TrailEntry,
  owner: string,
  home: string,
  partition: Partition,
  selectors: Selectors | undefined,
  key: Key | undefined,
  collectedAt: string | undefined,
): TrailFacts {
  const t = entry.Trail;
  const multiRegion = t.IsMultiRegionTrail === true;
  const facts: TrailFacts = {
    owned: true,
    ownerAccountId: owner,
    isOrganizationTrail: t.IsOrganizationTrail === true,
    multiRegion,
    coversGlobalRegion: multiRegion || home === GLOBAL_REGION[partition],
    kmsEncrypted: typeof t.KmsKeyId === 'string' && t.KmsKeyId !== '',
    knownToSkipManagementEvents: false,
  };
  if (facts.kmsEncrypted) facts.keyRegion = (t.KmsKeyId!.startsWith('arn:') ? arnRegion(t.KmsKeyId!) : undefined) ?? home;
  if (selectors) addSelectorFacts(facts, selectors, t.TrailARN.split(':')[1] || partition);
  const cwlAge = hoursBetween(entry.Status?.LatestCloudWatchLogsDeliveryTime, collectedAt);
  if (cwlAge !== undefined) facts.cloudWatchLogsDeliveryAgeHours = cwlAge;
  const meta = key?.KeyMetadata;
  if (meta !== undefined) {
    // Leaning towards "applicable": a rule that then judges the key can fail, never falsely pass.
    facts.keyCustomerManaged = meta.KeyManager !== 'AWS';
    const spec = meta.KeySpec ?? meta.CustomerMasterKeySpec;
    facts.keySymmetric = spec === undefined || spec === 'SYMMETRIC_DEFAULT';
  }
  if (Array.isArray(entry.InsightSelectors)) facts.hasInsightSelectors = entry.InsightSelectors.length > 0;
  else if (typeof t.HasInsightSelectors === 'boolean') facts.hasInsightSelectors = t.HasInsightSelectors;
  return facts;
}

/** Adds to a trail's facts what its effective event selectors record (management events, data events, their counts). */
function addSelectorFacts(facts: TrailFacts, selectors: Selectors, partition: string): void {
  facts.knownToSkipManagementEvents = !recordsManagementEvents(selectors);
  facts.recordsAllManagementEvents = recordsAllManagementEvents(selectors);
  facts.eventSelectorCount = selectors.basic.length;
  facts.dataResourceCount = dataResourceCount(selectors);
  facts.advancedSelectorCount = selectors.advanced.length;
  facts.advancedValueCount = advancedValueCount(selectors);
  const s3 = s3DataEventCoverage(selectors, partition);
  facts.recordsS3WriteDataEvents = s3.write;
  facts.recordsS3ReadDataEvents = s3.read;
}

/** Whether one read of a trail is usable, as its subject's `read` gives it (before remembering it). */
function readState(
  name: string,
  subject: TrailSubject,
  entry: TrailEntry,
  selectors: Selectors | undefined,
  bucket: Bucket | undefined,
  key: Key | undefined,
  collectedAt: string | undefined,
  errors: ErrorIndex,
  sources: TrailSources,
  accountError: ReadError | undefined,
): ReadState {
  const s =
    name === ORGANIZATION_KNOWN
      ? organizationState(subject, errors)
      : resolveRead(name, entry, selectors, bucket, key, entry.Trail, collectedAt, errors, sources.viewers, subject.collectedAtAccount);
  // What another account's snapshot supplied (a log-archive bucket) stays usable; what is
  // missing is missing because the owner could not be read at all, which says more.
  return !s.ok && s.failed.code === 'NotCollected' && accountError ? failedFrom(accountError) : s;
}

/** Whether the trail's key exists as far as the inventory says: not when KMS answered NotFoundException for it. */
function keyFound(subject: TrailSubject, key: Key | undefined): boolean {
  if (key !== undefined) return true;
  const keyRead = subject.read('Key');
  return keyRead.ok || keyRead.failed.code !== 'NotFoundException';
}

/** The trail says it has no custom selectors, and the entry gives none (absent or empty lists): AWS's default selector is in effect. */
function defaultSelectorOnly(t: Trail, entry: TrailEntry): boolean {
  return t.HasCustomEventSelectors === false && !entry.EventSelectors?.length && !entry.AdvancedEventSelectors?.length;
}
