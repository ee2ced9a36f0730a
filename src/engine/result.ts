/** The one Result type every reporter consumes. Reporters never re-derive anything. */

export type Status = 'pass' | 'fail' | 'error' | 'skipped';
export type Severity = 'critical' | 'high' | 'medium' | 'low' | 'info';
export type Scope = 'trail' | 'region' | 'account';

/** Severities from most to least severe. */
export const SEVERITIES: readonly Severity[] = ['critical', 'high', 'medium', 'low', 'info'];

/** Larger is more severe. */
export function severityRank(s: Severity): number {
  return SEVERITIES.length - SEVERITIES.indexOf(s);
}

/** What one result is about. */
export interface Subject {
  kind: Scope;
  accountId: string;
  region?: string;
  /** The TrailARN, for trail-scoped results. */
  arn?: string;
  /** The trail's name, for display. */
  name?: string;
}

export interface Location {
  /** Path relative to the working directory, forward slashes. */
  file: string;
  line: number;
  column?: number;
  /** JSON pointer into the inventory document. */
  pointer?: string;
}

export interface Suppression {
  reason: string;
  owner?: string;
  expires?: string;
  /** `suppression` from config; `baseline` for results already in the baseline. */
  kind: 'suppression' | 'baseline';
}

/** A read that a result needed and could not have. */
export interface FailedRead {
  /** The account whose recorded error this is (absent for a datum the inventory simply lacks). */
  accountId?: string;
  operation: string;
  resource?: string;
  region?: string;
  code: string;
  message?: string;
}

export interface Result {
  ruleId: string;
  status: Status;
  severity: Severity;
  subject: Subject;
  message: string;
  evidence?: Record<string, unknown>;
  location?: Location;
  suppression?: Suppression;
  /** For `error` results: the reads that failed or were not collected. */
  failedReads?: FailedRead[];
  /** For `fail` results: the rule's remediation command with this subject's values filled in. */
  remediation?: string;
  /** Where the subject's entry is in the inventory; the CLI turns it into `location`. */
  anchor?: { accountId: string; pointer: string };
}

/** Arrays sortResults made: already in order, so asking again costs nothing. */
const SORTED = new WeakSet<readonly Result[]>();

/**
 * Results sorted the way every report orders them: rule id, account, region, resource. Returns a
 * sorted copy, or the array itself when sortResults made it: results are never modified in place,
 * and every reporter sorts defensively, so the same 500,000 results are not sorted five times.
 */
export function sortResults(results: readonly Result[]): Result[] {
  if (SORTED.has(results)) return results as Result[];
  const sorted = [...results].sort(compareResults);
  SORTED.add(sorted);
  return sorted;
}

/** The results `keep` accepts, in order; a subset of a sorted array is still sorted, so it stays marked. */
export function filterResults(results: readonly Result[], keep: (r: Result) => boolean): Result[] {
  const kept = results.filter(keep);
  if (SORTED.has(results)) SORTED.add(kept);
  return kept;
}

/**
 * The report order, total: rule, account, region, resource, then (for the rare results that tie
 * on those, such as a subject seen twice) kind, status and message, so input order never shows.
 */
export function compareResults(a: Result, b: Result): number {
  if (a === b) return 0;
  return (
    cmp(a.ruleId, b.ruleId) ||
    cmp(a.subject.accountId, b.subject.accountId) ||
    cmp(a.subject.region ?? '', b.subject.region ?? '') ||
    cmp(a.subject.arn ?? '', b.subject.arn ?? '') ||
    cmp(a.subject.kind, b.subject.kind) ||
    cmp(a.status, b.status) ||
    cmp(a.message, b.message)
  );
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A stable identity for a result's subject: `account[/region][/arn]`. Used for fingerprints, baselines, JUnit names. */
export function subjectKey(s: Subject): string {
  if (s.kind === 'trail') return s.arn ?? `${s.accountId}/${s.region ?? ''}`;
  if (s.kind === 'region') return `${s.accountId}/${s.region}`;
  return s.accountId;
}
