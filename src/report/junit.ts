/**
 * JUnit XML: one test suite per rule, one test case per result. Written to what both the
 * windyroad XSD (the strictest in use) and Jenkins' junit-10 XSD accept, so `<testsuites>`
 * carries no attributes: windyroad declares none, and totals there would be rejected.
 */
import { sortResults, subjectKey, type Result } from '../engine/result.ts';
import type { RuleMeta } from '../rules/types.ts';
import { helpCommand } from '../rules/template.ts';
import { repeatedScopes } from './json.ts';
import { complianceEntries } from './sarif-rules.ts';
import { suppressionText } from './notes.ts';
import type { ReportInput, Reporter } from './types.ts';
import { INVISIBLE_CLASS } from './escape.ts';
import { stripForbidden, xmlEscape, xmlTag } from './xml.ts';

/** A name with nothing to strip or collapse (an ARN, an account id): its own key. */
// eslint-disable-next-line no-control-regex -- the characters a name may not hold
const PLAIN_NAME = /^[^\u0000-\u0020\uFFFE\uFFFF\uD800-\uDFFF]+$/;

/** Never the machine's real name: the report must not depend on where it was written. */
const HOSTNAME = 'trailgate';

/** Renders the run as a JUnit XML document. */
export const junitReport: Reporter = (input: ReportInput): string => [...junitChunks(input)].join('');

/** The JUnit document as chunks, a suite at a time and a test case at a time, for large runs. */
export function* junitChunks(input: ReportInput): Generator<string> {
  // Sorting input that is already in order (ReportInput's contract) costs one pass; it keeps a careless caller's order out of the file.
  const results = sortResults(input.results);
  const timestamp = junitTimestamp(input.startTime);
  yield '<?xml version="1.0" encoding="UTF-8"?>\n<testsuites>\n';
  // Every rule names the same subjects: each subject's name, its comparison form and its
  // escaped text are made once, not once per rule (a large organization has 500,000 cases).
  const subjectNames = new Map<object, SubjectName>();
  const keys = new Map<string, KeyUse>();
  // Only a subject that another rule may name again is remembered (see repeatedScopes).
  const repeats = repeatedScopes(input.rules);
  const nameOf = (s: Result['subject']): SubjectName => {
    const remember = repeats.has(s.kind);
    let n = remember ? subjectNames.get(s) : undefined;
    if (n === undefined) {
      const name = subjectKey(s);
      const key = comparisonKey(name);
      let use = keys.get(key);
      if (use === undefined) keys.set(key, (use = { suite: -1 }));
      n = { name, key, escaped: xmlEscape(name), use };
      if (remember) subjectNames.set(s, n);
    }
    return n;
  };
  let id = 0;
  for (const [ruleId, meta, cases] of suites(input.rules, results)) {
    const counts = { pass: 0, fail: 0, error: 0, skipped: 0 };
    for (const r of cases) counts[accepted(r) ? 'skipped' : r.status]++;
    const out: string[] = [
      '  ' +
        xmlTag('testsuite', [
          // windyroad wants a non-empty token here; a rule id is never blank once loaded, but a report must not fail on it.
          ['name', stripForbidden(ruleId).trim() || 'unnamed-rule'],
          ['tests', String(cases.length)],
          ['failures', String(counts.fail)],
          ['errors', String(counts.error)],
          ['skipped', String(counts.skipped)],
          ['time', '0'],
          ['timestamp', timestamp],
          ['hostname', HOSTNAME],
          ['id', String(id++)],
          ['package', 'trailgate'],
        ]),
    ];
    const props = properties(meta, cases[0]);
    out.push(props.length === 0 ? '    <properties/>' : '    <properties>');
    for (const [name, value] of props) out.push('      ' + xmlTag('property', [['name', name], ['value', value]], true));
    if (props.length > 0) out.push('    </properties>');
    yield out.join('\n') + '\n';
    const names = uniqueNamer(id, keys);
    const plainRegions = distinctPlainRegions(cases);
    const suite = suiteText(ruleId, meta);
    // Test cases go out in batches: one yield per case would cost more than the case, and a batch
    // of BATCH cases (about 100 kB) still dies young in V8 (see jsonChunks).
    // Their pieces go into one list, joined once per batch, not concatenated case by case.
    const parts: string[] = [];
    for (let i = 0; i < cases.length; i += BATCH) {
      parts.length = 0;
      const end = Math.min(i + BATCH, cases.length);
      for (let j = i; j < end; j++) {
        const c = cases[j]!;
        const s = c.subject;
        // The name `account/region` in its two pieces: the same text, without building it (see distinctPlainRegions).
        if (plainRegions) parts.push(suite.open, s.accountId, '/', s.region!);
        else parts.push(suite.open, names(nameOf(s)));
        testcase(c, meta, suite, parts);
      }
      yield parts.join('');
    }
    yield '    <system-out/>\n    <system-err/>\n  </testsuite>\n';
  }
  yield '</testsuites>\n';
}

/** Test cases per chunk of the report. */
const BATCH = 300;

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
  for (const [framework, controls] of complianceEntries(meta.compliance)) props.push([`compliance.${framework}`, controls.join(', ')]);
  return props;
}

/** What every test case of a suite shares, made once per rule instead of once per case. */
interface SuiteText {
  /** The start of each test case, up to its name. */
  open: string;
  /** For a failure: the rule's remediation text before a command, as is and escaped, and escaped without a command after it. */
  remediationHead?: { plain: string; escaped: string; alone: string };
  /** The rule's own command (its help form), when it has one as a single template. */
  help?: string;
}

function suiteText(ruleId: string, meta: RuleMeta | undefined): SuiteText {
  const suite: SuiteText = { open: `    <testcase classname="${xmlEscape(ruleId)}" name="` };
  if (meta) {
    const plain = `\n\nRemediation: ${meta.remediation.text ? `${meta.remediation.text}\n` : ''}`;
    const alone = meta.remediation.text ? xmlEscape(`\n\nRemediation: ${meta.remediation.text}`, 'text') : xmlEscape(plain, 'text');
    suite.remediationHead = { plain, escaped: xmlEscape(plain, 'text'), alone };
    if (typeof meta.remediation.cli === 'string') suite.help = helpCommand(meta.remediation.cli, meta.params);
  }
  return suite;
}

/** Appends the rest of one test case to `parts`, after its start (`suite.open`) and its escaped name. */
function testcase(r: Result, meta: RuleMeta | undefined, suite: SuiteText, parts: string[]): void {
  if (r.status === 'pass') {
    parts.push('" time="0"/>\n');
    return;
  }
  parts.push('" time="0">\n      ');
  if (accepted(r)) {
    parts.push(xmlTag('skipped', [['message', `${skipReason(r)}; known ${r.status === 'fail' ? 'violation' : 'error'}: ${r.message}`]], true));
  } else if (r.status === 'fail') {
    // The command filled in for this subject when the engine could, else the rule's own.
    const command = r.remediation ?? suite.help;
    parts.push(xmlTag('failure', [['type', r.severity], ['message', r.message]]), failureText(r.message, meta, suite, command), '</failure>');
  } else if (r.status === 'error') {
    const reads = (r.failedReads ?? []).map((f) => {
      const where = [f.region, f.resource].filter(Boolean).join(', ');
      return `- ${f.operation}${where ? ` (${where})` : ''}: ${f.code}${f.message ? `: ${f.message}` : ''}`;
    });
    const body = reads.length > 0 ? `${r.message}\n\nFailed reads:\n${reads.join('\n')}` : r.message;
    // A code of nothing but characters XML drops would leave the required `type` empty.
    const type = stripForbidden(r.failedReads?.[0]?.code ?? '').trim() || 'ReadError';
    parts.push(xmlTag('error', [['type', type], ['message', r.message]]), xmlEscape(body, 'text'), '</error>');
  } else {
    parts.push(xmlTag('skipped', [['message', skipReason(r)]], true));
  }
  parts.push('\n    </testcase>\n');
}

/**
 * A command whose first character could join it to the line break before it: white space, a
 * colon, or a character XML forbids (stripped, it would bring what follows it to the join).
 */
// eslint-disable-next-line no-control-regex -- the characters stripForbidden removes
const JOINS_LINE = /^[\s\u0085:\u0000-\u001f\ud800-\udfff\ufffe\uffff]/;

/**
 * A failure's text, escaped: the message, then the rule's remediation and the command. The
 * same as escaping the whole text at once, done piece by piece so that the rule's part is
 * escaped once per suite: the rule's part starts with a blank line and ends with a newline or a
 * space, so no `##[`, surrogate pair or line that starts with `:` can span a join, unless the
 * command starts with one of JOINS_LINE's characters; such a command is escaped with the rest.
 */
function failureText(message: string, meta: RuleMeta | undefined, suite: SuiteText, command: string | undefined): string {
  const head = suite.remediationHead;
  if (!meta || !head) return xmlEscape(message, 'text');
  if (!command) return xmlEscape(message, 'text') + head.alone;
  if (JOINS_LINE.test(command)) return xmlEscape(`${message}${head.plain}${command}`, 'text');
  return xmlEscape(message, 'text') + head.escaped + xmlEscape(command, 'text');
}

/**
 * A violation or error the baseline accepts is written as skipped, with the baseline and what it
 * was: JUnit has no "accepted failure", and as a failure it turned the test report of every CI
 * (Jenkins' unstable build, Azure's failed tests) red on the day a baseline was adopted, while
 * the run's exit code said 0. Only new findings are failures and errors, as they are for the exit code.
 */
function accepted(r: Result): boolean {
  return r.suppression?.kind === 'baseline' && (r.status === 'fail' || r.status === 'error');
}

function skipReason(r: Result): string {
  const s = r.suppression;
  if (!s) return r.message;
  return `${s.kind === 'baseline' ? 'baseline: ' : ''}${suppressionText(s)}`;
}

/**
 * Test case names unique within a suite. Consumers identify a case by (classname, name) and
 * GitLab drops repeats; classname is the rule id, so per suite is per file. Unique by name alone
 * across the file would rename an ARN by how many rules ran before it, churning CI history.
 * Names are compared as a validating reader sees them (forbidden characters gone, whitespace
 * collapsed, since the XSD types them `xs:token`); a repeat gets ` (2)`, ` (3)`, ...
 *
 * A name is taken in suite `suite` when its key's use says so (`keys`: every subject's key, made
 * once for the file), or when it is a renamed repeat of this suite (`renamed`). A set of every
 * name of the suite would cost a large organization 500,000 insertions into sets of up to
 * 170,000 strings; repeats are rare, so marking the key's use is nearly all there is to do.
 */
function uniqueNamer(suite: number, keys: ReadonlyMap<string, KeyUse>): (subject: SubjectName) => string {
  const renamed = new Set<string>();
  const taken = (key: string, use: KeyUse | undefined): boolean => use?.suite === suite || (renamed.size > 0 && renamed.has(key));
  return ({ name, key, escaped, use }) => {
    if (!taken(key, use)) {
      use.suite = suite;
      return escaped;
    }
    let candidate: string;
    let k: string;
    for (let n = 2; ; n++) {
      candidate = `${name} (${n})`;
      k = comparisonKey(candidate);
      if (!taken(k, keys.get(k))) break;
    }
    renamed.add(k);
    return xmlEscape(candidate);
  };
}

/**
 * A piece of a name that XML escaping leaves as it is and that compares as itself: no character
 * xmlEscape changes (`#` too, for `##[`), none that comparisonKey strips or collapses, and no `/`.
 */
const PLAIN_PIECE = new RegExp(`^[^\\u0000-\\u0020/#&<>"'${INVISIBLE_CLASS}\\ud800-\\udfff]+$`);

/**
 * Whether every case of the suite is a region subject named `account/region` of plain pieces, each
 * (account, region) once. Then each case's name is its escaped text and its comparison key, and
 * no two are equal (no `/` in an account: one name, one pair), so uniqueNamer would return every
 * name as it is: the suite is written without it. The built-in rules' one region rule names
 * 170,000 region subjects on a 10,000-account scan, each built, hashed and recorded in `keys` for
 * nothing (0.2 s). Results come sorted by account, then region: a pair seen twice is adjacent.
 */
function distinctPlainRegions(cases: readonly Result[]): boolean {
  let account: string | undefined;
  let region: string | undefined;
  for (const { subject: s } of cases) {
    if (s.kind !== 'region' || s.region === undefined) return false;
    if (s.accountId !== account) {
      if (!PLAIN_PIECE.test(s.accountId)) return false;
      account = s.accountId;
    } else if (s.region === region) return false;
    if (!PLAIN_PIECE.test(s.region)) return false;
    region = s.region;
  }
  return true;
}

/** The last suite (by id) in which a comparison key named a test case. */
interface KeyUse {
  suite: number;
}

/** A test case name, the form a validating reader compares, the name escaped, and its key's use. */
interface SubjectName {
  name: string;
  key: string;
  escaped: string;
  use: KeyUse;
}

/** The name as a validating reader sees it: forbidden characters gone, whitespace collapsed. */
function comparisonKey(s: string): string {
  return PLAIN_NAME.test(s) ? s : stripForbidden(s).replace(/[ \t\n\r]+/g, ' ').trim();
}

/** `YYYY-MM-DDTHH:MM:SS` in UTC, the only form windyroad's XSD accepts (no fraction, no zone). */
function junitTimestamp(startTime: string): string {
  const t = new Date(startTime);
  const year = t.getUTCFullYear();
  // XSD 1.0's dateTime has no year 0000.
  const iso = year >= 1 && year <= 9999 ? t.toISOString() : new Date(0).toISOString();
  return iso.slice(0, 19);
}
