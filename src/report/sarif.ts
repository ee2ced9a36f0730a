/**
 * SARIF 2.1.0 for GitHub code scanning (and any other SARIF reader). Only what needs
 * attention becomes a result: violations, results that could not be evaluated, and suppressed
 * violations (marked as such). Passes are left out: GitHub shows every result as an alert and
 * stores at most 5,000 results of a run, which an organization's passes alone can exceed.
 */
import { createHash } from 'node:crypto';
import { filterResults, severityRank, sortResults, subjectKey, type FailedRead, type Result } from '../engine/result.ts';
import { jsonWithoutCommands } from './escape.ts';
import { tierOf } from './rank.ts';
import { GITHUB_LIMITS, levelFor, ruleDescriptor, sortedCompliance, unknownRuleDescriptor } from './sarif-rules.ts';
import type { ReportInput, RepositoryPath } from './types.ts';

const SCHEMA_URI = 'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json';

type Json = Record<string, unknown>;

/**
 * Where the inventory files are in the repository. GitHub reads a relative URI from the
 * repository root: with `repositoryPath` (inside GitHub Actions), a snapshot's path is given from
 * there, so alerts land on the file wherever the scan runs.
 */
export interface SarifOptions {
  repositoryPath?: RepositoryPath;
}

/** Renders the run as a SARIF 2.1.0 log with a single run. */
export function sarifReport(input: ReportInput, options: SarifOptions = {}): string {
  return jsonWithoutCommands(JSON.stringify(sarifLog(input, GITHUB_LIMITS.results, options), null, 2)) + '\n';
}

/** The SARIF log as an object; `maxResults` exists so tests can exercise the cap cheaply. */
export function sarifLog(input: ReportInput, maxResults: number = GITHUB_LIMITS.results, options: SarifOptions = {}): Json {
  // Sorting input that is already in order (ReportInput's contract) costs one pass; it keeps a careless caller's order out of the file.
  const all = sortResults(filterResults(input.results, isReported));
  const kept = all.length > maxResults ? mostSevere(all, maxResults, input.failOn) : all;

  // Sorted and unique by id: GitHub rejects a run that describes one rule twice.
  const metas = [...input.rules]
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .filter((m, i, sorted) => i === 0 || sorted[i - 1]!.id !== m.id);
  const descriptors = metas.map((m) => ruleDescriptor(m, input.tool.informationUri));
  const index = new Map(metas.map((m, i) => [m.id, i]));
  for (const r of kept) {
    if (index.has(r.ruleId)) continue;
    index.set(r.ruleId, descriptors.length);
    descriptors.push(unknownRuleDescriptor(r.ruleId, r.severity, input.tool.informationUri));
  }

  // The spec wants `suppressions` on every result of a run or on none.
  const withSuppressions = kept.some((r) => r.suppression);
  const compliance = new Map(metas.map((m) => [m.id, Object.keys(m.compliance).length > 0 ? sortedCompliance(m.compliance) : undefined]));
  const results = kept.map((r) => sarifResult(r, index.get(r.ruleId) ?? 0, compliance.get(r.ruleId), withSuppressions, options.repositoryPath));

  const notifications = readFailures(all);
  if (kept.length < all.length) {
    const omitted = all.length - kept.length;
    notifications.push({
      level: 'warning',
      message: message(
        `${omitted} of ${all.length} results were left out of this SARIF file: accepted ones (suppressed or in the baseline) first, then violations below --fail-on, errors before violations and the least severe first within each, ` +
          `because GitHub code scanning stores at most ${maxResults} results per run. The JSON report has them all.`,
      ),
    });
  }
  const start = new Date(input.startTime);
  const invocation: Json = {
    executionSuccessful: !all.some((r) => evaluatedAs(r) === 'error'),
    ...(Number.isNaN(start.getTime()) ? {} : { startTimeUtc: start.toISOString() }),
    ...(notifications.length > 0 ? { toolExecutionNotifications: notifications } : {}),
  };

  const { name, version, informationUri } = input.tool;
  return {
    $schema: SCHEMA_URI,
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name, version, informationUri, rules: descriptors } },
        // No automationDetails: the category is the upload's to choose. upload-sarif fills it in
        // (its `category` input, else workflow and job) only when the run has none, and uploads
        // that share a category (a nightly audit, a pull-request gate) close each other's alerts.
        // Columns are counted as JavaScript counts them, in UTF-16 code units (an emoji is two);
        // SARIF's default, code points, would misplace every column after an astral character.
        columnKind: 'utf16CodeUnits',
        invocations: [invocation],
        results,
      },
    ],
  };
}

/**
 * The verdict the engine reached: a suppressed result is `skipped` in every report, and keeps its
 * own status in `evidence.suppressedStatus`. An accepted error is still a subject nobody could
 * judge, and a read that failed: it is written as such, never as a violation.
 */
function evaluatedAs(r: Result): Result['status'] {
  const before = r.suppression !== undefined ? r.evidence?.suppressedStatus : undefined;
  return before === 'fail' || before === 'error' ? before : r.status;
}

function isReported(r: Result): boolean {
  return r.status === 'fail' || r.status === 'error' || (r.status === 'skipped' && r.suppression !== undefined);
}

const STATUS_PRIORITY: Record<Result['status'], number> = { fail: 0, error: 1, skipped: 2, pass: 3 };

/** The `max` results most worth showing (those that count first, then other violations, then accepted ones; violations before unknowns; by severity), kept in report order. */
function mostSevere(results: readonly Result[], max: number, failOn: string): Result[] {
  const tier = tierOf(failOn);
  // A suppressed result ranks as what it was judged (its status is `skipped`).
  const status = (r: Result) => STATUS_PRIORITY[evaluatedAs(r)];
  // A stable sort of results already in report order: ties keep that order, not the input's.
  const ranked = [...results].sort(
    (a, b) => tier(a) - tier(b) || status(a) - status(b) || severityRank(b.severity) - severityRank(a.severity),
  );
  const keep = new Set(ranked.slice(0, max));
  return results.filter((r) => keep.has(r));
}

function sarifResult(r: Result, ruleIndex: number, compliance: Record<string, string[]> | undefined, withSuppressions: boolean, repositoryPath: RepositoryPath | undefined): Json {
  const s = r.subject;
  const resource = s.arn ?? subjectKey(s);
  return {
    ruleId: r.ruleId,
    ruleIndex,
    // SARIF: a result whose kind is not `fail` must have level `none`; `open` says "could not tell".
    ...(evaluatedAs(r) === 'error' ? { kind: 'open', level: 'none' } : { level: levelFor(r.severity) }),
    // GitHub needs a message to show; an empty one from the engine or a user rule gets a plain statement.
    message: message(r.message || `${r.ruleId}: ${evaluatedAs(r) === 'error' ? 'could not evaluate' : 'violated by'} ${resource}`),
    locations: [
      {
        physicalLocation: physicalLocation(r, repositoryPath),
        logicalLocations: [{ ...(s.name ? { name: s.name } : {}), fullyQualifiedName: resource, kind: 'resource' }],
      },
    ],
    partialFingerprints: { primaryLocationLineHash: fingerprint(r) },
    ...(withSuppressions ? { suppressions: r.suppression ? [suppression(r.suppression)] : [] } : {}),
    properties: {
      accountId: s.accountId,
      ...(s.region ? { region: s.region } : {}),
      resource,
      status: r.status,
      severity: r.severity,
      ...(compliance ? { compliance } : {}),
      ...(r.failedReads && r.failedReads.length > 0 ? { failedReads: r.failedReads.map(failedRead) } : {}),
    },
  };
}

/**
 * A SARIF `message` object (a result's or a notification's) holding `text` as plain text, never
 * read as SARIF markup. Its text quotes untrusted strings (trail names, AWS error messages), and
 * SARIF 2.1.0 gives some of its characters a meaning there:
 *
 * - §3.11.5: "Within both plain text and formatted message strings, the characters "{" and "}"
 *   SHALL be represented by the character sequences "{{" and "}}" respectively." A lone `{0}`
 *   would be a placeholder for an `arguments` entry that does not exist.
 * - §3.11.6: a plain text message may hold embedded links, `"[", link text, "](", link
 *   destination, ")"`, which a viewer shows as a link. trailgate never writes one, so `](` is
 *   broken into `]\(`: no text in the data can become a link to a phishing page.
 *
 * Only message objects: a rule's help and descriptions (multiformatMessageString objects) are
 * written as they are.
 */
export function sarifMessageText(text: string): string {
  return text.replace(/[{}]/g, '$&$&').replaceAll('](', ']\\(');
}

function message(text: string): Json {
  return { text: sarifMessageText(text) };
}

function suppression(s: NonNullable<Result['suppression']>): Json {
  const properties = { source: s.kind, ...(s.owner ? { owner: s.owner } : {}), ...(s.expires ? { expires: s.expires } : {}) };
  return { kind: 'external', status: 'accepted', justification: s.reason, properties };
}

/** Stable across runs: only the rule and the subject's identity go in, never the message or position. */
function fingerprint(r: Result): string {
  const identity = JSON.stringify([r.ruleId, r.subject.accountId, r.subject.region ?? '', r.subject.arn ?? '']);
  return createHash('sha256').update(identity).digest('hex').slice(0, 32) + ':1';
}

/**
 * The inventory file and the line (and column) where the result's trail or account begins; for a
 * result with no inventory file GitHub can show, a path naming the resource, at line 1: GitHub
 * code scanning wants a startLine, and the inventory's line and column would point into a
 * different file, and move whenever that inventory is regenerated.
 */
function physicalLocation(r: Result, repositoryPath: RepositoryPath | undefined): Json {
  const file = inventoryUri(r, repositoryPath);
  return file === undefined ? { artifactLocation: { uri: resourceUri(r.subject) }, region: { startLine: 1 } } : { artifactLocation: { uri: file }, region: regionIn(r.location) };
}

/**
 * The inventory file the result came from, as a relative URI GitHub accepts; undefined for a live
 * scan saved nowhere, or, inside GitHub Actions, an inventory outside the repository, which
 * GitHub cannot show. Segments are percent-encoded, so no space, `:` (which would read as a
 * scheme) or other raw character gets through.
 */
function inventoryUri(r: Result, repositoryPath: RepositoryPath | undefined): string | undefined {
  // Already forward slashes (displayPath): a backslash left is part of a POSIX name, and is percent-encoded.
  const written = r.location?.file ?? '';
  const file = ((repositoryPath === undefined || written === '' ? written : repositoryPath(written)) ?? '').replace(/^(?:\.\/|\/)+/, '');
  return file === '' ? undefined : file.split('/').map(encodeSegment).join('/');
}

/** Where the result is in its inventory file: its line, and its column when known. */
function regionIn(location: Result['location']): Json {
  const line = location && Number.isFinite(location.line) ? Math.max(1, Math.trunc(location.line)) : 1;
  const column = location?.column;
  return { startLine: line, ...(column !== undefined && Number.isInteger(column) && column >= 1 ? { startColumn: column } : {}) };
}

/** A stable path naming the resource (`aws/<account>/<region|global>/<kind>/<name>`), for a result with no inventory file GitHub can show. */
function resourceUri(s: Result['subject']): string {
  const name = s.kind === 'trail' ? s.name || s.arn?.split('/').pop() || s.accountId : s.accountId;
  const segments = ['aws', s.accountId, s.region ?? 'global', s.kind, name];
  // A synthetic segment must not be `.` or `..`, which would move the path up a level.
  return segments.map((seg) => encodeSegment(seg).replace(/^\.{1,2}$/, (dots) => '%2E'.repeat(dots.length))).join('/');
}

function encodeSegment(segment: string): string {
  // encodeURIComponent throws on unpaired surrogates; U+FFFD stands in for them.
  const wellFormed = segment.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
  return encodeURIComponent(wellFormed);
}

/**
 * One error notification per distinct failed read, naming it and how many results it left
 * unevaluated, so a run with a missing permission does not repeat itself thousands of times.
 */
function readFailures(results: readonly Result[]): Json[] {
  const byRead = new Map<string, { text: string; rules: Set<string>; count: number }>();
  for (const r of results) {
    if (evaluatedAs(r) !== 'error') continue;
    const reads = r.failedReads && r.failedReads.length > 0 ? r.failedReads : [undefined];
    for (const read of reads) {
      // The account is part of the read: a role missing in two accounts is two failures to fix.
      const key = read ? JSON.stringify(read, ['accountId', 'operation', 'region', 'resource', 'code', 'message']) : `${r.ruleId}\n${subjectKey(r.subject)}`;
      const text = read ? describeRead(read) : `${r.ruleId} could not evaluate ${subjectKey(r.subject)}: ${r.message}`;
      const entry = byRead.get(key) ?? { text, rules: new Set<string>(), count: 0 };
      entry.rules.add(r.ruleId);
      entry.count++;
      byRead.set(key, entry);
    }
  }
  const all = [...byRead.values()];
  const shown: Json[] = all.slice(0, MAX_READ_NOTIFICATIONS).map(({ text, rules, count }) => ({
    level: 'error',
    message: message(`${text.replace(/\.$/, '')}. ${count} result${count === 1 ? '' : 's'} could not be evaluated (${[...rules].join(', ')}).`),
  }));
  // An organization with a role missing everywhere fails a read per account: the file must stay
  // within GitHub's upload size, and the first thousand say what is wrong as well as all would.
  if (all.length > shown.length) {
    const rest = all.slice(shown.length);
    const results = rest.reduce((n, e) => n + e.count, 0);
    shown.push({ level: 'error', message: message(`${rest.length} more failed reads left ${results} more results unevaluated; the JSON report names each one.`) });
  }
  return shown;
}

/** Failed reads listed one by one in a run's notifications; past this, one line counts the rest. */
export const MAX_READ_NOTIFICATIONS = 1000;

/** A failed read with its keys in one order, whatever order the engine built them in. */
function failedRead(f: FailedRead): Json {
  const { accountId, operation, region, resource, code, message } = f;
  return { ...(accountId ? { accountId } : {}), operation, ...(region ? { region } : {}), ...(resource ? { resource } : {}), code, ...(message ? { message } : {}) };
}

function describeRead(f: FailedRead): string {
  const where = [f.accountId && `account ${f.accountId}`, f.region, f.resource].filter(Boolean).join(', ');
  return `Read failed: ${f.operation}${where ? ` (${where})` : ''}: ${f.code}${f.message ? `: ${f.message}` : ''}`;
}
