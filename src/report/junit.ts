/**
 * JUnit XML: one test suite per rule, one test case per result. Written to what both the
 * windyroad XSD (the strictest in use) and Jenkins' junit-10 XSD accept, so `<testsuites>`
 * carries no attributes: windyroad declares none, and totals there would be rejected.
 */
import { compareResults, subjectKey, type Result } from '../engine/result.ts';
import type { RuleMeta } from '../rules/types.ts';
import type { ReportInput, Reporter } from './types.ts';
import { stripForbidden, xmlEscape, xmlTag } from './xml.ts';

/** Never the machine's real name: the report must not depend on where it was written. */
const HOSTNAME = 'trailgate';

/** Renders the run as a JUnit XML document. */
export const junitReport: Reporter = (input: ReportInput): string => {
  const results = reportOrder(input.results);
  const timestamp = junitTimestamp(input.startTime);
  const out = ['<?xml version="1.0" encoding="UTF-8"?>', '<testsuites>'];
  suites(input.rules, results).forEach(([ruleId, meta, cases], id) => {
    const count = (status: Result['status']): string => String(cases.filter((r) => r.status === status).length);
    out.push(
      '  ' +
        xmlTag('testsuite', [
          // windyroad wants a non-empty token here; a rule id is never blank once loaded, but a report must not fail on it.
          ['name', stripForbidden(ruleId).trim() || 'unnamed-rule'],
          ['tests', String(cases.length)],
          ['failures', count('fail')],
          ['errors', count('error')],
          ['skipped', count('skipped')],
          ['time', '0'],
          ['timestamp', timestamp],
          ['hostname', HOSTNAME],
          ['id', String(id)],
          ['package', 'trailgate'],
        ]),
    );
    const props = properties(meta, cases[0]);
    out.push(props.length === 0 ? '    <properties/>' : '    <properties>');
    for (const [name, value] of props) out.push('      ' + xmlTag('property', [['name', name], ['value', value]], true));
    if (props.length > 0) out.push('    </properties>');
    const names = uniqueNamer();
    for (const r of cases) out.push(...testcase(r, meta, names(subjectKey(r.subject))));
    out.push('    <system-out/>', '    <system-err/>', '  </testsuite>');
  });
  out.push('</testsuites>', '');
  return out.join('\n');
};

/** The rules that ran (sorted by id), plus any rule a result names without metadata, each with its results. */
function suites(rules: readonly RuleMeta[], results: readonly Result[]): Array<[string, RuleMeta | undefined, Result[]]> {
  const byId = new Map<string, [RuleMeta | undefined, Result[]]>();
  for (const meta of rules) byId.set(meta.id, [meta, []]);
  for (const r of results) {
    const entry = byId.get(r.ruleId) ?? [undefined, []];
    entry[1].push(r);
    byId.set(r.ruleId, entry);
  }
  return [...byId.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([id, [meta, rs]]) => [id, meta, rs]);
}

function properties(meta: RuleMeta | undefined, first: Result | undefined): Array<[string, string]> {
  if (!meta) return first ? [['severity', first.severity]] : [];
  const props: Array<[string, string]> = [
    ['title', meta.title],
    ['severity', meta.severity],
    ['scope', meta.scope],
  ];
  for (const framework of Object.keys(meta.compliance).sort()) {
    props.push([`compliance.${framework}`, meta.compliance[framework].join(', ')]);
  }
  return props;
}

function testcase(r: Result, meta: RuleMeta | undefined, name: string): string[] {
  const attrs: Array<[string, string]> = [['classname', r.ruleId], ['name', name], ['time', '0']];
  if (r.status === 'pass') return ['    ' + xmlTag('testcase', attrs, true)];
  let child: string;
  if (r.status === 'fail') {
    const remediation = meta ? `\n\nRemediation: ${[meta.remediation.text, meta.remediation.cli].filter(Boolean).join('\n')}` : '';
    child = xmlTag('failure', [['type', r.severity], ['message', r.message]]) + xmlEscape(r.message + remediation, 'text') + '</failure>';
  } else if (r.status === 'error') {
    const reads = (r.failedReads ?? []).map((f) => {
      const where = [f.region, f.resource].filter(Boolean).join(', ');
      return `- ${f.operation}${where ? ` (${where})` : ''}: ${f.code}${f.message ? `: ${f.message}` : ''}`;
    });
    const body = reads.length > 0 ? `${r.message}\n\nFailed reads:\n${reads.join('\n')}` : r.message;
    // A code of nothing but characters XML drops would leave the required `type` empty.
    const type = stripForbidden(r.failedReads?.[0]?.code ?? '').trim() || 'ReadError';
    child = xmlTag('error', [['type', type], ['message', r.message]]) + xmlEscape(body, 'text') + '</error>';
  } else {
    child = xmlTag('skipped', [['message', skipReason(r)]], true);
  }
  return ['    ' + xmlTag('testcase', attrs), '      ' + child, '    </testcase>'];
}

function skipReason(r: Result): string {
  const s = r.suppression;
  if (!s) return r.message;
  const details = [s.owner && `owner ${s.owner}`, s.expires && `expires ${s.expires}`].filter(Boolean).join(', ');
  return `${s.kind === 'baseline' ? 'baseline: ' : ''}${s.reason}${details ? ` (${details})` : ''}`;
}

/**
 * Test case names unique within a suite. Consumers identify a case by (classname, name) and
 * GitLab drops repeats; classname is the rule id, so per suite is per file. Unique by name alone
 * across the file would rename an ARN by how many rules ran before it, churning CI history.
 * Names are compared as a validating reader sees them (forbidden characters gone, whitespace
 * collapsed, since the XSD types them `xs:token`); a repeat gets ` (2)`, ` (3)`, ...
 */
function uniqueNamer(): (name: string) => string {
  const seen = new Set<string>();
  const key = (s: string): string => stripForbidden(s).replace(/[ \t\n\r]+/g, ' ').trim();
  return (name) => {
    let candidate = name;
    for (let n = 2; seen.has(key(candidate)); n++) candidate = `${name} (${n})`;
    seen.add(key(candidate));
    return candidate;
  };
}

/** `YYYY-MM-DDTHH:MM:SS` in UTC, the only form windyroad's XSD accepts (no fraction, no zone). */
function junitTimestamp(startTime: string): string {
  const t = new Date(startTime);
  const year = t.getUTCFullYear();
  const iso = year >= 0 && year <= 9999 ? t.toISOString() : new Date(0).toISOString();
  return iso.slice(0, 19);
}

/**
 * sortResults' order, made total: results that tie on rule and subject (a trail seen twice, a
 * subject without an ARN) are ordered by their content, so the input's order cannot show through.
 */
function reportOrder(results: readonly Result[]): Result[] {
  const content = (r: Result): string => JSON.stringify(r);
  return [...results].sort((a, b) => compareResults(a, b) || (content(a) < content(b) ? -1 : content(a) > content(b) ? 1 : 0));
}
