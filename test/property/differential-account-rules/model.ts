/**
 * The oracle of the account- and region-rule differential test
 * (differential-account-rules.test.ts): rules.md's words, in Kleene logic (undefined is "unknown").
 *
 * The oracle is written from the design (the rules' definitions and the inventory format),
 * not from trailgate's rule files or engine, in three-valued (Kleene) logic: every trail fact is
 * true, false or unknown, and an aggregate is decided only when the known facts decide it. Where
 * the design is silent, it follows the README's documented reading, and says so.
 */
import type { AdvancedEventSelector, AdvancedFieldSelector, EventSelector, Inventory, Partition, Trail, TrailEntry } from '../../../src/inventory/types.ts';
import { ACCOUNT_WIDE, MAX_TRAILS, PARTITIONS, RULE_IDS, type RuleId, type Verdict } from './world.ts';

/** The CloudTrail reads of a trail list and its trails. */
const TRAIL_READS: ReadonlySet<string> = new Set(['DescribeTrails', 'GetTrailStatus', 'GetEventSelectors', 'GetInsightSelectors']);

type K = boolean | undefined;

const and = (...xs: K[]): K => (xs.some((x) => x === false) ? false : xs.every((x) => x === true) ? true : undefined);

/** What the inventory says about one TrailARN, folded over every account's copy of it. */
interface TrailFacts {
  trail: Trail;
  owner: string;
  status: TrailEntry['Status'];
  /** The copy that holds selectors (EventSelectors or AdvancedEventSelectors), if any does. */
  selectors: { basic?: EventSelector[]; advanced?: AdvancedEventSelector[] } | undefined;
  /** Whether an error is recorded for the trail's GetEventSelectors. */
  selectorsFailed: boolean;
}

/**
 * The selectors a trail records with, or undefined when they were not read. inventory.md: an
 * empty list is "collected and empty"; the default selector only when HasCustomEventSelectors is
 * false and no selectors are given. That default is inferred, not read: a recorded GetEventSelectors
 * failure leaves it unknown (inventory.md: an error recorded for a read makes the rules that need it
 * `error`), unless some copy holds the lists.
 */
function selectorsOf(f: TrailFacts): { basic: EventSelector[]; advanced: AdvancedEventSelector[] } | undefined {
  const basic = f.selectors?.basic ?? [];
  const advanced = f.selectors?.advanced ?? [];
  if (f.trail.HasCustomEventSelectors === false && basic.length === 0 && advanced.length === 0) {
    if (f.selectors === undefined && f.selectorsFailed) return undefined;
    return { basic: [{ ReadWriteType: 'All', IncludeManagementEvents: true, DataResources: [] }], advanced: [] };
  }
  return f.selectors === undefined ? undefined : { basic, advanced };
}

/** AWS's defaults for a basic selector's omitted members (PutEventSelectors: All, true). */
const readWriteOf = (s: EventSelector) => s.ReadWriteType ?? 'All';
const includesManagementOf = (s: EventSelector) => s.IncludeManagementEvents ?? true;

function fieldsNamed(sel: AdvancedEventSelector, field: string) {
  return sel.FieldSelectors.filter((f) => f.Field === field);
}

/** The field is there with exactly `Equals: [value]` (and nothing else constrains it). */
function equalsOnly(sel: AdvancedEventSelector, field: string, value: string): boolean {
  const fs = fieldsNamed(sel, field);
  return fs.length > 0 && fs.every((f) => f.Equals !== undefined && f.Equals.length === 1 && f.Equals[0] === value && Object.keys(f).length === 2);
}

/** The selectors were read and none of them takes a management event of any kind. */
function takesNoManagementEvents(f: TrailFacts): boolean {
  const s = selectorsOf(f);
  if (s === undefined) return false;
  const basicTakes = s.basic.some((b) => includesManagementOf(b) === true);
  const advancedTakes = s.advanced.some((a) => {
    const categories = fieldsNamed(a, 'eventCategory');
    return categories.length > 0 && categories.every((c) => admitsValue(c, 'Management'));
  });
  return !basicTakes && !advancedTakes;
}

function recordsAllManagement(f: TrailFacts): K {
  const s = selectorsOf(f);
  if (s === undefined) return undefined;
  const basic = s.basic.some((x) => includesManagementOf(x) === true && readWriteOf(x) === 'All' && (x.ExcludeManagementEventSources ?? []).length === 0);
  // Any field besides eventCategory narrows what is recorded (readOnly, eventSource, eventName...).
  const advanced = s.advanced.some((x) => equalsOnly(x, 'eventCategory', 'Management') && x.FieldSelectors.every((f) => f.Field === 'eventCategory'));
  return basic || advanced;
}

/** An advanced field condition lets `value` through: every operator it uses accepts it (CloudTrail ANDs them). */
function admitsValue(f: AdvancedFieldSelector, value: string): boolean {
  const any = (xs: string[] | undefined, test: (x: string) => boolean) => xs === undefined || xs.length === 0 || xs.some(test);
  const none = (xs: string[] | undefined, test: (x: string) => boolean) => !(xs ?? []).some(test);
  return (
    any(f.Equals, (x) => x === value) &&
    any(f.StartsWith, (x) => value.startsWith(x)) &&
    any(f.EndsWith, (x) => value.endsWith(x)) &&
    none(f.NotEquals, (x) => x === value) &&
    none(f.NotStartsWith, (x) => value.startsWith(x)) &&
    none(f.NotEndsWith, (x) => value.endsWith(x))
  );
}

/** A resources.ARN condition every S3 object ARN of the partition meets restricts nothing. */
function matchesEveryObject(f: AdvancedFieldSelector, partition: Partition): boolean {
  return Object.keys(f).length === 2 && (f.StartsWith ?? []).includes(`arn:${partition}:s3:::`);
}

function recordsS3(f: TrailFacts, partition: Partition, kind: 'write' | 'read'): K {
  const s = selectorsOf(f);
  if (s === undefined) return undefined;
  const everyBucket = new Set([`arn:${partition}:s3`, `arn:${partition}:s3:::`]);
  const wanted = kind === 'write' ? ['WriteOnly', 'All'] : ['ReadOnly', 'All'];
  const basic = s.basic.some(
    (x) => wanted.includes(readWriteOf(x)) && (x.DataResources ?? []).some((d) => d.Type === 'AWS::S3::Object' && (d.Values ?? []).some((v) => everyBucket.has(v))),
  );
  const advanced = s.advanced.some(
    (x) =>
      equalsOnly(x, 'eventCategory', 'Data') &&
      equalsOnly(x, 'resources.type', 'AWS::S3::Object') &&
      // Only these fields: any other (the generator's eventName Equals, a resources.ARN that names a bucket) records some of the events, not all.
      x.FieldSelectors.every((f) => ['eventCategory', 'resources.type', 'readOnly'].includes(f.Field) || (f.Field === 'resources.ARN' && matchesEveryObject(f, partition))) &&
      (fieldsNamed(x, 'readOnly').length === 0 || equalsOnly(x, 'readOnly', kind === 'write' ? 'false' : 'true')),
  );
  return basic || advanced;
}

/**
 * Unknown when no account's copy holds Status (a failed GetTrailStatus in one account does not
 * hide what another account read of the same trail: README), and when the Status holds no
 * IsLogging: AWS always answers it, so a Status without it says nothing about logging (README:
 * "a Status without it leaves the trail's logging unknown").
 */
function isLogging(f: TrailFacts): K {
  if (f.status === undefined || typeof f.status.IsLogging !== 'boolean') return undefined;
  return f.status.IsLogging;
}

const homeOf = (t: Trail) => t.HomeRegion ?? t.TrailARN.split(':')[3];
/** Inside a Trail, AWS leaves unset fields out: an absent flag is false (README, inventory format). */
const isMulti = (t: Trail): K => t.IsMultiRegionTrail === true;
const flag = (v: boolean | undefined): K => v === true;

/** Which trails that apply to an account may be missing from its list. */
type Missing = { all: true } | { all: false; regions: Set<string> };

interface AccountView {
  accountId: string;
  applies: TrailFacts[];
  missing: Missing;
}

/**
 * "Some trail satisfies P": pass if one surely does; fail only if every trail surely does not
 * and no trail can be missing that might; otherwise error. `couldBeMissing` says whether a trail
 * not in the list could satisfy P at all.
 */
function some(v: AccountView, p: (t: TrailFacts) => K, couldBeMissing: boolean): Verdict {
  const values = v.applies.map(p);
  if (values.includes(true)) return 'pass';
  if (couldBeMissing) return 'error';
  return values.every((x) => x === false) ? 'fail' : 'error';
}

/**
 * Whether a trail missing from the account's list could be a single-region trail homed in
 * `region` (a failed DescribeTrails there) or anything at all (nothing was listed).
 * A multi-region trail is listed by DescribeTrails in every region (shadow trails, which
 * inventory.md folds into one entry), so one region that answered lists all of them.
 */
function missingCould(m: Missing, opts: { multiRegion: boolean; homedIn?: string }): boolean {
  if (m.all) return true;
  if (opts.multiRegion) return false;
  if (opts.homedIn === undefined) return m.regions.size > 0;
  return m.regions.has(opts.homedIn);
}

/**
 * A trail's partition is the one its ARN names: an inventory that leaves `partition` out (aws by
 * default) while its ARNs say aws-cn still has aws-cn trails, whose global region is cn-north-1.
 */
const partitionOf = (t: Trail) => t.TrailARN.split(':')[1] as Partition;

function judgeAccount(rule: RuleId, v: AccountView, partition: Partition): Verdict {
  const global = PARTITIONS[partition].global;
  const coversGlobal = (t: TrailFacts): K => isMulti(t.trail) === true || homeOf(t.trail) === PARTITIONS[partitionOf(t.trail)].global;
  const logsGlobal = (t: TrailFacts): K => and(isLogging(t), flag(t.trail.IncludeGlobalServiceEvents), coversGlobal(t));
  switch (rule) {
    case 'multi-region-trail':
      return some(v, (t) => and(isMulti(t.trail), isLogging(t), recordsAllManagement(t)), missingCould(v.missing, { multiRegion: true }));
    case 'global-service-events':
      return some(v, logsGlobal, missingCould(v.missing, { multiRegion: false, homedIn: global }));
    case 's3-data-events-write':
    case 's3-data-events-read':
      return some(
        v,
        (t) => and(isMulti(t.trail), isLogging(t), recordsS3(t, partitionOf(t.trail), rule === 's3-data-events-write' ? 'write' : 'read')),
        missingCould(v.missing, { multiRegion: true }),
      );
    case 'security-trail':
      return some(
        v,
        (t) => and(isMulti(t.trail), isLogging(t), flag(t.trail.IncludeGlobalServiceEvents), flag(t.trail.LogFileValidationEnabled), Boolean(t.trail.KmsKeyId), recordsAllManagement(t)),
        missingCould(v.missing, { multiRegion: true }),
      );
    case 'global-events-duplicated': {
      // "At most one": fail when two surely do; pass when at most one possibly does and none can be missing.
      // rules.md "logs global service events": they are management events, so a trail whose
      // collected selectors take none logs none (the README's reading). Selectors merely left out
      // leave the flag to decide; selectors whose read failed leave it unknown (inventory.md: an
      // error recorded for a read makes the rules that need it `error`).
      const takesManagement = (t: TrailFacts): K => (selectorsOf(t) === undefined && t.selectorsFailed ? undefined : !takesNoManagementEvents(t));
      const values = v.applies.map((t) => and(logsGlobal(t), takesManagement(t)));
      const sure = values.filter((x) => x === true).length;
      const possible = values.filter((x) => x !== false).length;
      if (sure >= 2) return 'fail';
      if (possible <= 1 && !missingCould(v.missing, { multiRegion: false, homedIn: global })) return 'pass';
      return 'error';
    }
    case 'trails-per-region':
      throw new Error('region-scoped');
  }
}

/** trails-per-region for one listed region: the account's own trails homed there plus its multi-region trails. */
function judgeRegion(v: AccountView, region: string, listedHere: boolean): Verdict {
  const own = v.applies.filter((t) => t.owner === v.accountId);
  const counted = own.filter((t) => homeOf(t.trail) === region || isMulti(t.trail) === true).length;
  if (counted > MAX_TRAILS) return 'fail';
  // A region whose DescribeTrails answered lists every trail that counts there (its own and the shadows).
  if (!listedHere) return 'error';
  return 'pass';
}

/**
 * A DescribeTrails that failed in any region leaves every account-scoped verdict but pass
 * unknown (the design's "an error recorded for a read makes every rule that needs that datum
 * evaluate to error", with the trail list as the datum). A finer reading is possible, since the
 * regions that answered list every multi-region trail as a shadow, so only single-region trails
 * homed where the call failed can be missing; the design does not choose it, and trailgate does
 * not. false checks that finer reading instead.
 */
const DESCRIBE_FAILURE_HIDES_ALL = true;
/** Every verdict the oracle expects, keyed `ruleId subjectKey`. */
export function oracle(inv: Inventory): Map<string, Verdict> {
  const partition: Partition = inv.partition ?? 'aws';
  const errors = inv.errors ?? [];
  const accountWide = (id: string) => errors.some((e) => e.accountId === id && (ACCOUNT_WIDE.has(e.operation) || (e.resource === undefined && e.region === undefined)));
  const describeFailed = (id: string) => new Set(errors.filter((e) => e.accountId === id && e.operation === 'DescribeTrails' && e.resource === undefined && e.region !== undefined).map((e) => e.region!));

  const facts = new Map<string, TrailFacts>();
  for (const a of inv.accounts) {
    for (const e of a.trails) {
      const arn = e.Trail.TrailARN;
      let f = facts.get(arn);
      if (f === undefined) {
        f = {
          trail: e.Trail,
          owner: arn.split(':')[4],
          status: undefined,
          selectors: undefined,
          selectorsFailed: errors.some((x) => x.operation === 'GetEventSelectors' && x.resource === arn),
        };
        facts.set(arn, f);
      }
      if (f.status === undefined && e.Status !== undefined) f.status = e.Status;
      if (f.selectors === undefined && (e.EventSelectors !== undefined || e.AdvancedEventSelectors !== undefined)) f.selectors = { basic: e.EventSelectors, advanced: e.AdvancedEventSelectors };
    }
  }

  const ids = new Set(inv.accounts.map((a) => a.accountId));
  // An account that `accounts` leaves out is judged when its role, region list or a trail read failed.
  for (const e of errors) if (accountWide(e.accountId) || TRAIL_READS.has(e.operation)) ids.add(e.accountId);

  const out = new Map<string, Verdict>();
  for (const id of ids) {
    const listed = inv.accounts.find((a) => a.accountId === id);
    const failed = describeFailed(id);
    const answered = (listed?.regions ?? []).filter((r) => !failed.has(r));
    const missing: Missing = listed === undefined || accountWide(id) || answered.length === 0 || (DESCRIBE_FAILURE_HIDES_ALL && failed.size > 0) ? { all: true } : { all: false, regions: failed };
    const applies = [...new Set((listed?.trails ?? []).map((e) => e.Trail.TrailARN))].map((arn) => facts.get(arn)!);
    const view: AccountView = { accountId: id, applies, missing };
    for (const rule of RULE_IDS) {
      if (rule === 'trails-per-region') {
        const regions = listed?.regions ?? [];
        for (const r of regions) out.set(`${rule} ${id}/${r}`, judgeRegion(view, r, !accountWide(id) && !failed.has(r)));
        // A region the entry leaves out where its own single-region trails are homed: nobody
        // looked there, so only a sure fail (more trails there than the quota) is said.
        for (const t of view.applies) {
          const home = homeOf(t.trail);
          if (t.owner === id && isMulti(t.trail) !== true && home !== undefined && !regions.includes(home) && judgeRegion(view, home, false) === 'fail') out.set(`${rule} ${id}/${home}`, 'fail');
        }
        // A trail list incomplete in no listed region (none listed, or a failure in a region the
        // entry leaves out) leaves regions unseen: an error for the account, never no result.
        const unseenInListed = regions.some((r) => accountWide(id) || failed.has(r));
        if (!unseenInListed && (accountWide(id) || failed.size > 0 || regions.length === 0)) out.set(`${rule} ${id}`, 'error');
      } else {
        const v = judgeAccount(rule, view, partition);
        // architecture.md: "an account with no regions is an input problem, not a pass".
        out.set(`${rule} ${id}`, v === 'pass' && (listed?.regions ?? []).length === 0 ? 'error' : v);
      }
    }
  }
  return out;
}
