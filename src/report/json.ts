/**
 * The JSON report: the run as data, described by schemas/report.schema.json. Keys come in a
 * fixed order and each result stands on one line, so reports diff well and stay byte-identical.
 */
import { SEVERITIES, type Result } from '../engine/result.ts';
import { sortedCompliance } from './sarif-rules.ts';
import type { ReportInput } from './types.ts';

/** Counts of results by status. */
export function countByStatus(results: readonly Result[]): Record<'pass' | 'fail' | 'error' | 'skipped', number> {
  const counts = { pass: 0, fail: 0, error: 0, skipped: 0 };
  for (const r of results) counts[r.status]++;
  return counts;
}

/** One result as the JSON report writes it, in a fixed key order; `compliance` is its rule's control ids, when it has any. */
export function resultRecord(r: Result, compliance?: Record<string, string[]>): Record<string, unknown> {
  const o: Record<string, unknown> = { ruleId: r.ruleId, status: r.status, severity: r.severity, scope: r.subject.kind, accountId: r.subject.accountId };
  if (r.subject.region !== undefined) o.region = r.subject.region;
  if (r.subject.arn !== undefined) o.resource = r.subject.arn;
  if (r.subject.name !== undefined) o.name = r.subject.name;
  o.message = r.message;
  if (compliance !== undefined && Object.keys(compliance).length > 0) o.compliance = sortedCompliance(compliance);
  if (r.evidence !== undefined) o.evidence = r.evidence;
  if (r.failedReads !== undefined) o.failedReads = r.failedReads;
  if (r.location !== undefined) o.location = r.location;
  if (r.suppression !== undefined) o.suppression = r.suppression;
  return o;
}

/** Renders the JSON report. */
export function jsonReport(input: ReportInput): string {
  const head = {
    tool: { name: input.tool.name, version: input.tool.version, informationUri: input.tool.informationUri },
    startTime: input.startTime,
    inputs: input.inputs,
    failOn: input.failOn,
    exitCode: input.exitCode,
    summary: countByStatus(input.results),
    rules: input.rules.map((m) => ({ id: m.id, severity: m.severity, scope: m.scope, title: m.title, compliance: m.compliance })),
  };
  const body = JSON.stringify(head, null, 2);
  // One result per line: a 300,000-result report stays fast to write and easy to grep.
  const controls = new Map(input.rules.map((m) => [m.id, m.compliance]));
  const lines = input.results.map((r) => `    ${JSON.stringify(resultRecord(r, controls.get(r.ruleId)))}`);
  return `${body.slice(0, -2)},\n  "results": [${lines.length ? `\n${lines.join(',\n')}\n  ` : ''}]\n}\n`;
}

export { SEVERITIES };
