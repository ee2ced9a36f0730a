/**
 * Derived facts about a trail's event selectors, computed in one place so every rule
 * (and every user rule, through `facts.*`) agrees on them.
 */
import type { AdvancedEventSelector, AdvancedFieldSelector, EventSelector, Trail } from '../inventory/types.ts';
import { parseStatusTime, parseTimestamp } from '../input/timestamp.ts';

/** The selector AWS applies to a trail that has no custom selectors. */
const DEFAULT_EVENT_SELECTOR: EventSelector = {
  ReadWriteType: 'All',
  IncludeManagementEvents: true,
  DataResources: [],
  ExcludeManagementEventSources: [],
};

/** The selectors in effect, or undefined when they were not collected. */
export interface Selectors {
  basic: EventSelector[];
  advanced: AdvancedEventSelector[];
}

/**
 * The selectors in effect for a trail: what was collected, or AWS's default selector when the
 * trail says it has no custom selectors and none were given. Undefined means "not collected".
 */
export function effectiveSelectors(
  trail: Trail,
  basic: EventSelector[] | undefined,
  advanced: AdvancedEventSelector[] | undefined,
): Selectors | undefined {
  const none = (basic === undefined || basic.length === 0) && (advanced === undefined || advanced.length === 0);
  // AWS's own flag settles it: a trail without custom selectors has the default one, whether the
  // inventory leaves the lists out or, as some endpoints answer, gives them empty.
  if (none && trail.HasCustomEventSelectors === false) return { basic: [DEFAULT_EVENT_SELECTOR], advanced: [] };
  if (basic === undefined && advanced === undefined) return undefined;
  return { basic: basic ?? [], advanced: advanced ?? [] };
}

/**
 * True when one basic selector logs read and write management events from every source. An
 * omitted field takes AWS's default (IncludeManagementEvents true, ReadWriteType All), as a
 * hand-written inventory may leave them out.
 */
function basicRecordsAllManagement(s: EventSelector): boolean {
  return (
    (s.IncludeManagementEvents ?? true) === true &&
    (s.ReadWriteType ?? 'All') === 'All' &&
    (s.ExcludeManagementEventSources === undefined || s.ExcludeManagementEventSources.length === 0)
  );
}

/**
 * True when one advanced selector logs every management event: `eventCategory Equals
 * [Management]` and no other field, since any other narrows it (readOnly, eventSource, and in a
 * hand-written or planned inventory eventName, errorCode, userIdentity.arn...). Never decided by Name.
 */
function advancedRecordsAllManagement(s: AdvancedEventSelector): boolean {
  let management = false;
  for (const f of s.FieldSelectors ?? []) {
    if (f.Field === 'eventCategory') {
      const onlyEquals = f.Equals !== undefined && f.Equals.length === 1 && f.Equals[0] === 'Management';
      const noOther = !f.StartsWith?.length && !f.EndsWith?.length && !f.NotEquals?.length && !f.NotStartsWith?.length && !f.NotEndsWith?.length;
      if (!(onlyEquals && noOther)) return false;
      management = true;
    } else {
      return false;
    }
  }
  return management;
}

/**
 * Whether the trail records any management events at all: a basic selector that includes them
 * (AWS's default), or an advanced selector whose eventCategory admits Management. Global service
 * events (IAM, STS, CloudFront) are management events, so a trail with none, such as one that
 * selects only data events, records none of them whatever IncludeGlobalServiceEvents says.
 */
export function recordsManagementEvents(sel: Selectors): boolean {
  if (sel.basic.some((s) => (s.IncludeManagementEvents ?? true) === true)) return true;
  return sel.advanced.some((s) => {
    const categories = (s.FieldSelectors ?? []).filter((f) => f.Field === 'eventCategory');
    return categories.length > 0 && categories.every((f) => admits(f, 'Management'));
  });
}

/** Whether the trail records all management events, read and write, from every event source. */
export function recordsAllManagementEvents(sel: Selectors): boolean {
  return sel.basic.some(basicRecordsAllManagement) || sel.advanced.some(advancedRecordsAllManagement);
}

/** Data-resource values across all basic selectors (quota: 250 per trail). */
export function dataResourceCount(sel: Selectors): number {
  let n = 0;
  for (const s of sel.basic) for (const d of s.DataResources ?? []) n += d.Values?.length ?? 0;
  return n;
}

/** Values across all conditions of all advanced selectors (quota: 500 per trail). */
export function advancedValueCount(sel: Selectors): number {
  let n = 0;
  for (const s of sel.advanced) {
    for (const f of s.FieldSelectors ?? []) {
      n +=
        (f.Equals?.length ?? 0) +
        (f.StartsWith?.length ?? 0) +
        (f.EndsWith?.length ?? 0) +
        (f.NotEquals?.length ?? 0) +
        (f.NotStartsWith?.length ?? 0) +
        (f.NotEndsWith?.length ?? 0);
    }
  }
  return n;
}

/** Which S3 object-level (data) events a trail records for every bucket of its partition. */
export interface S3DataEventCoverage {
  read: boolean;
  write: boolean;
}

const S3_OBJECT = 'AWS::S3::Object';

/**
 * What a trail's selectors record of S3 object events for all buckets. Basic: a data resource
 * of type AWS::S3::Object whose values include `arn:P:s3` or `arn:P:s3:::` (P the trail's
 * partition), read or write by ReadWriteType (AWS's default is All). Advanced: eventCategory
 * Equals [Data], resources.type AWS::S3::Object, resources.ARN absent (or only a StartsWith
 * that every object ARN meets), readOnly absent or admitting the direction, and eventName absent
 * or only excluding (NotEquals) events of the other direction; any other field narrows what is
 * recorded, so such a selector does not count. Never decided by Name.
 */
export function s3DataEventCoverage(sel: Selectors, partition: string): S3DataEventCoverage {
  const out: S3DataEventCoverage = { read: false, write: false };
  const allBuckets = new Set([`arn:${partition}:s3`, `arn:${partition}:s3:::`]);
  for (const s of sel.basic) {
    const rw = s.ReadWriteType ?? 'All';
    for (const d of s.DataResources ?? []) {
      if (d.Type !== S3_OBJECT || !(d.Values ?? []).some((v) => allBuckets.has(v))) continue;
      if (rw === 'All' || rw === 'ReadOnly') out.read = true;
      if (rw === 'All' || rw === 'WriteOnly') out.write = true;
    }
  }
  for (const s of sel.advanced) {
    const c = advancedS3Coverage(s, partition);
    out.read ||= c.read;
    out.write ||= c.write;
  }
  return out;
}

function advancedS3Coverage(s: AdvancedEventSelector, partition: string): S3DataEventCoverage {
  const none = { read: false, write: false };
  let data = false;
  let objects = false;
  // Every readOnly condition: a selector's conditions are ANDed, even two on one field.
  const readOnly: AdvancedFieldSelector[] = [];
  // Event names left out: a selector that only drops reads still records every write, and the reverse.
  const excluded: string[] = [];
  for (const f of s.FieldSelectors ?? []) {
    if (f.Field === 'eventCategory') {
      if (!equalsOnly(f, (v) => v === 'Data')) return none;
      data = true;
    } else if (f.Field === 'resources.type') {
      if (!equalsOnly(f, (v) => v === S3_OBJECT)) return none;
      objects = true;
    } else if (f.Field === 'resources.ARN') {
      if (!arnUnrestricted(f, partition)) return none;
    } else if (f.Field === 'readOnly') {
      readOnly.push(f);
    } else if (f.Field === 'eventName' && notEqualsOnly(f)) {
      excluded.push(...f.NotEquals!);
    } else {
      return none;
    }
  }
  if (!data || !objects) return none;
  return {
    read: readOnly.every((f) => admits(f, 'true')) && excluded.every((n) => S3_OBJECT_WRITES.has(n)),
    write: readOnly.every((f) => admits(f, 'false')) && excluded.every((n) => S3_OBJECT_READS.has(n)),
  };
}

/**
 * S3 object-level API calls CloudTrail logs as data events, by direction (readOnly true, or
 * false). Only names that are surely one or the other: excluding any other name (CopyObject,
 * which reads one object and writes another; a name AWS adds later) counts as narrowing both.
 */
const S3_OBJECT_READS: ReadonlySet<string> = new Set([
  'GetObject',
  'GetObjectAcl',
  'GetObjectAttributes',
  'GetObjectLegalHold',
  'GetObjectRetention',
  'GetObjectTagging',
  'GetObjectTorrent',
  'HeadObject',
  'ListParts',
  'SelectObjectContent',
]);
const S3_OBJECT_WRITES: ReadonlySet<string> = new Set([
  'PutObject',
  'PutObjectAcl',
  'PutObjectLegalHold',
  'PutObjectRetention',
  'PutObjectTagging',
  'DeleteObject',
  'DeleteObjects',
  'DeleteObjectTagging',
  'CreateMultipartUpload',
  'UploadPart',
  'UploadPartCopy',
  'CompleteMultipartUpload',
  'AbortMultipartUpload',
  'RestoreObject',
]);

/** A condition that only excludes values (NotEquals, and no other operator). */
function notEqualsOnly(f: AdvancedFieldSelector): boolean {
  return onlyOperator(f, 'NotEquals') && (f.NotEquals?.length ?? 0) > 0;
}

const OPERATORS = ['Equals', 'StartsWith', 'EndsWith', 'NotEquals', 'NotStartsWith', 'NotEndsWith'] as const;

/** Whether a field selector uses no operator but `op` (which may itself be empty). */
function onlyOperator(f: AdvancedFieldSelector, op: (typeof OPERATORS)[number]): boolean {
  return OPERATORS.every((o) => o === op || !f[o]?.length);
}

/** An `Equals` condition (and no other operator) whose values include one that `wanted` accepts. */
function equalsOnly(f: AdvancedFieldSelector, wanted: (v: string) => boolean): boolean {
  return onlyOperator(f, 'Equals') && (f.Equals ?? []).some(wanted);
}

/** A resources.ARN condition that every S3 object ARN of the partition meets: only StartsWith, with a prefix of `arn:P:s3:::`. */
function arnUnrestricted(f: AdvancedFieldSelector, partition: string): boolean {
  const objectArn = `arn:${partition}:s3:::`;
  return onlyOperator(f, 'StartsWith') && (f.StartsWith ?? []).some((v) => v !== '' && objectArn.startsWith(v));
}

/** Whether a field selector lets an event with `value` through (no selector: every value). Conditions on one field are ANDed. */
function admits(f: AdvancedFieldSelector, value: string): boolean {
  if (f.Equals?.length && !f.Equals.includes(value)) return false;
  if (f.StartsWith?.length && !f.StartsWith.some((p) => value.startsWith(p))) return false;
  if (f.EndsWith?.length && !f.EndsWith.some((p) => value.endsWith(p))) return false;
  if (f.NotEquals?.includes(value)) return false;
  if (f.NotStartsWith?.some((p) => value.startsWith(p))) return false;
  if (f.NotEndsWith?.some((p) => value.endsWith(p))) return false;
  return true;
}

/** Hours from `then` to `now` (both ISO 8601), or undefined when either is missing or not a timestamp. */
export function hoursBetween(then: string | undefined, now: string | undefined): number | undefined {
  if (then === undefined || now === undefined) return undefined;
  const a = parseStatusTime(then);
  const b = parseTimestamp(now);
  return a === undefined || b === undefined ? undefined : (b - a) / 3_600_000;
}
