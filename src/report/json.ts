/**
 * The JSON report: the run as data, described by schemas/report.schema.json. Keys come in a
 * fixed order and each result stands on one line, so reports diff well and stay byte-identical.
 */
import type { Result } from '../engine/result.ts';
import type { RuleMeta } from '../rules/types.ts';
import { INVISIBLE_CLASS, jsonWithoutCommands } from './escape.ts';
import { sortedCompliance } from './sarif-rules.ts';
import type { ReportInput } from './types.ts';

/** Counts of results by status. */
export function countByStatus(results: readonly Result[]): Record<'pass' | 'fail' | 'error' | 'skipped', number> {
  const counts = { pass: 0, fail: 0, error: 0, skipped: 0 };
  // A branch per status: a keyed increment by a string read from each of 500,000 results is slower.
  for (const r of results) {
    const s = r.status;
    if (s === 'pass') counts.pass++;
    else if (s === 'fail') counts.fail++;
    else if (s === 'error') counts.error++;
    else counts.skipped++;
  }
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
  if (r.remediation !== undefined) o.remediation = r.remediation;
  if (r.location !== undefined) o.location = r.location;
  if (r.suppression !== undefined) o.suppression = r.suppression;
  return o;
}

/** Renders the JSON report. */
export function jsonReport(input: ReportInput): string {
  return [...jsonChunks(input)].join('');
}

/**
 * The JSON report as chunks: the head, then one line per result, then the tail. Each line is
 * exactly `JSON.stringify(resultRecord(...))`, assembled from parts that repeat (the rule's
 * fields, a subject's location) encoded once, because a large organization yields 500,000 lines.
 */
export function* jsonChunks(input: ReportInput): Generator<string> {
  const head = {
    tool: { name: input.tool.name, version: input.tool.version, informationUri: input.tool.informationUri },
    startTime: input.startTime,
    inputs: input.inputs,
    failOn: input.failOn,
    exitCode: input.exitCode,
    summary: countByStatus(input.results),
    // Frameworks in one order, here as on every result line.
    rules: input.rules.map((m) => ({ id: m.id, severity: m.severity, scope: m.scope, title: m.title, compliance: sortedCompliance(m.compliance) })),
  };
  const body = JSON.stringify(head, null, 2);
  yield jsonWithoutCommands(`${body.slice(0, -2)},\n  "results": [`);
  const write = lineWriter(input);
  const results = input.results;
  // Lines go out in batches: one yield per line would cost more than the line, and a batch of
  // BATCH lines (about 100 kB) is still small enough for V8's young generation, where a string
  // that is garbage once written costs next to nothing (a larger one is a page-faulted large
  // object). The writer gathers batches into larger writes. Each
  // line's pieces go into one list and are joined once, rather than concatenated line by line:
  // half a million lines would otherwise leave millions of intermediate strings to collect.
  const parts: string[] = [];
  for (let i = 0; i < results.length; i += BATCH) {
    parts.length = 0;
    const end = Math.min(i + BATCH, results.length);
    for (let j = i; j < end; j++) {
      parts.push(j === 0 ? '\n    ' : ',\n    ');
      write(results[j]!, parts);
    }
    // Each piece is already free of what jsonWithoutCommands escapes (see lineWriter).
    yield parts.join('');
  }
  yield `${results.length === 0 ? '' : '\n  '}]\n}\n`;
}

/** Lines per chunk of the report (see jsonChunks). */
const BATCH = 150;

/**
 * Appends one result's line to `parts`: together, the same text as
 * jsonWithoutCommands(JSON.stringify(resultRecord(r, compliance))). Each piece is made safe on its
 * own (`quote` for a string, `q` for the rest), not the whole report afterwards: a second pass over
 * 314 MB cost a 10,000-account scan 0.25 s. The same text, because what jsonWithoutCommands
 * escapes can only be inside a JSON string (no structural character is among them, nor `#`),
 * and every string of the line is whole within one piece, with its quotes.
 */
function lineWriter(input: ReportInput): (r: Result, parts: string[]) => void {
  const compliance = new Map<string, string>();
  for (const m of input.rules) {
    if (Object.keys(m.compliance).length > 0) compliance.set(m.id, flat(`,"compliance":${q(sortedCompliance(m.compliance))}`));
  }
  // Rule, status and kind repeat across results; a subject's identity and position repeat across
  // rules. The line's start is found by rule, status, severity and kind in turn (results come
  // sorted by rule), with no key string built for each of 500,000 results.
  const prefixes = new Map<string, Map<string, Map<string, Map<string, string>>>>();
  let ruleId: string | undefined;
  let byStatus = new Map<string, Map<string, Map<string, string>>>();
  let ruleCompliance = '';
  const subjects = new Map<object, string>();
  const locations = new Map<object, string>();
  const repeats = repeatedScopes(input.rules);
  return (r, parts) => {
    const s = r.subject;
    if (r.ruleId !== ruleId) {
      ruleId = r.ruleId;
      let known = prefixes.get(ruleId);
      if (known === undefined) prefixes.set(ruleId, (known = new Map()));
      byStatus = known;
      ruleCompliance = compliance.get(ruleId) ?? '';
    }
    let bySeverity = byStatus.get(r.status);
    if (bySeverity === undefined) byStatus.set(r.status, (bySeverity = new Map()));
    let byKind = bySeverity.get(r.severity);
    if (byKind === undefined) bySeverity.set(r.severity, (byKind = new Map()));
    let prefix = byKind.get(s.kind);
    if (prefix === undefined) {
      prefix = flat(`{"ruleId":${q(r.ruleId)},"status":${q(r.status)},"severity":${q(r.severity)},"scope":${q(s.kind)},"accountId":`);
      byKind.set(s.kind, prefix);
    }
    // Only a subject that another rule may name again is remembered (see repeatedScopes).
    const remember = repeats.has(s.kind);
    let identity = remember ? subjects.get(s) : undefined;
    if (identity === undefined) {
      identity = quote(s.accountId);
      if (s.region !== undefined) identity += `,"region":${quote(s.region)}`;
      if (s.arn !== undefined) identity += `,"resource":${quote(s.arn)}`;
      if (s.name !== undefined) identity += `,"name":${quote(s.name)}`;
      if (remember) subjects.set(s, flat(identity));
    }
    parts.push(prefix, identity, ',"message":', quote(r.message), ruleCompliance);
    if (r.evidence !== undefined) parts.push(',"evidence":', q(r.evidence));
    if (r.failedReads !== undefined) parts.push(',"failedReads":', q(r.failedReads));
    if (r.remediation !== undefined) parts.push(',"remediation":', quote(r.remediation));
    if (r.location !== undefined) {
      let loc = remember ? locations.get(r.location) : undefined;
      if (loc === undefined) {
        loc = q(r.location);
        if (remember) locations.set(r.location, loc);
      }
      parts.push(',"location":', loc);
    }
    if (r.suppression !== undefined) parts.push(',"suppression":', q(r.suppression));
    parts.push('}');
  };
}

/**
 * The scopes of which more than one rule ran: only their subjects (and those subjects' locations)
 * can come up again in a report that lists results rule by rule, so only theirs are worth keeping
 * for the rest of the report. The built-in rules have one region rule, and the 170,000 region
 * subjects of a 10,000-account organization each come up once: kept, each cost a map entry and,
 * living to the end of the report, a copy through every generation of the garbage collector.
 * (A result whose subject is of another scope than its rule, such as a trail rule's error for a
 * region whose trails could not be listed, is rare; it is only written without the shortcut.)
 */
export function repeatedScopes(rules: readonly RuleMeta[]): ReadonlySet<string> {
  const seen = new Set<string>();
  const repeated = new Set<string>();
  for (const m of rules) (seen.has(m.scope) ? repeated : seen).add(m.scope);
  return repeated;
}

/** JSON.stringify(value), with what a terminal or a log must not receive raw escaped (jsonWithoutCommands). */
function q(value: unknown): string {
  return jsonWithoutCommands(JSON.stringify(value));
}

/**
 * What JSON.stringify escapes in a string (`"`, `\\`, the C0 controls, a surrogate: a lone one;
 * a pair goes to JSON.stringify too, which keeps it), and what jsonWithoutCommands escapes after
 * it (the characters from DEL on of INVISIBLE_CLASS; those past U+FFFF are surrogate pairs, and `##[`).
 */
const JSON_ESCAPED = new RegExp(`["\\\\\\u0000-\\u001f\\ud800-\\udfff${INVISIBLE_CLASS}]|##\\[`);

/**
 * q(s), for a string: the same text. JSON.stringify builds its result in pieces that grow as it
 * writes, a few times the text's size in garbage for a message; a string with nothing to escape
 * is itself between quotes, which the batch's join copies straight into its text (measured on a
 * 10,000-account scan: 90 MB less garbage, and 0.15 s less CPU in the report). One scan of the
 * string tells both JSON.stringify's escapes and jsonWithoutCommands' apart from nothing to do.
 */
function quote(s: string): string {
  return JSON_ESCAPED.test(s) ? q(s) : `"${s}"`;
}

/**
 * The string, flat: built with `+` or a template, a string is a tree of fragments in V8, walked
 * again each time it is copied. The pieces used for every line are copied half a million times;
 * reading a character makes V8 flatten the string in place once. The value is unchanged.
 */
function flat(s: string): string {
  s.charCodeAt(0);
  return s;
}
