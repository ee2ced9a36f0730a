/**
 * The SARIF report, against the JSON report.
 *
 * sarif: the helper's OASIS-schema and GitHub checks; the results are exactly the JSON
 * violations, errors and suppressed results (no pass, no plain skip), in report order, with
 * the same rule id, message (braces doubled and `](` broken, as SARIF's placeholders and
 * embedded links are not meant), subject and location (uri = the file, percent-encoded per
 * segment; startLine, startColumn); ruleIndex names the rule; rule levels and
 * security-severity bands follow the severity, a fail's level too, an error (suppressed or
 * not) is kind open, level none; suppressions on every result or none, a suppressed result carries its reason;
 * primaryLocationLineHash is distinct per (rule, subject) and the same for that pair in every
 * run, whatever else the inventory holds; executionSuccessful is false exactly when a result
 * is an error (suppressed or not), and each failed read appears in an error notification.
 */
import { expect } from 'chai';
import { assertValidSarif } from '../../helpers/sarif-check.ts';
import { BAND, LEVEL, linkless, sarifShown, subjectKeyOf, type Any } from './decode.ts';

/** Every primaryLocationLineHash seen in any run, by rule and subject: it must never change, nor be shared. */
const fingerprints = new Map<string, string>();
const identities = new Map<string, string>();

/** What the engine concluded: a suppressed result is `skipped`, and keeps its own status in evidence.suppressedStatus (README). */
function evaluatedAs(r: Any): string {
  return r.suppression !== undefined && r.evidence?.suppressedStatus !== undefined ? r.evidence.suppressedStatus : r.status;
}

export function checkSarif(text: string, json: Any): void {
  assertValidSarif(text);
  const run = JSON.parse(text).runs[0];
  const rules: Any[] = run.tool.driver.rules;
  expect(rules.map((r) => r.id), 'driver.rules: the rules that ran').to.deep.equal(json.rules.map((r: Any) => r.id));
  for (const [i, rule] of rules.entries()) {
    const severity = json.rules[i].severity;
    expect(rule.defaultConfiguration.level, rule.id).to.equal(LEVEL[severity]);
    const score = Number(rule.properties['security-severity']);
    expect(score, `${rule.id}: security-severity in the ${severity} band`).to.be.within(...BAND[severity]);
  }
  // Passes and plain skips (not applicable) stay out: every SARIF result becomes an alert.
  const expected: Any[] = json.results.filter((r: Any) => r.status === 'fail' || r.status === 'error' || r.suppression !== undefined);
  const results: Any[] = run.results;
  expect(results.map((r) => `${r.ruleId} ${r.properties.resource}`)).to.deep.equal(expected.map((r) => `${r.ruleId} ${r.resource ?? subjectKeyOf(r)}`));
  const inRun = new Set<string>();
  results.forEach((s, i) => {
    const r = expected[i];
    const where = `${r.ruleId} ${JSON.stringify(subjectKeyOf(r))}`;
    expect(rules[s.ruleIndex].id, `${where}: ruleIndex`).to.equal(r.ruleId);
    if (r.message !== '') expect(sarifShown(s.message.text), `${where}: message`).to.equal(linkless(r.message));
    expect(s.message.text.replace(/\{\{|\}\}/g, ''), `${where}: braces doubled, as placeholders are not meant`).to.not.match(/[{}]/);
    expect(s.message.text, `${where}: no embedded link`).to.not.include('](');
    if (evaluatedAs(r) === 'error') expect([s.kind, s.level], `${where}: an error (suppressed or not) is open, level none`).to.deep.equal(['open', 'none']);
    else expect([s.kind, s.level], `${where}: level by severity`).to.deep.equal([undefined, LEVEL[r.severity]]);
    expect(s.properties, where).to.include({ accountId: r.accountId, status: r.status, severity: r.severity });
    expect(s.properties.region, where).to.equal(r.region);
    if (r.failedReads !== undefined) expect(s.properties.failedReads, where).to.deep.equal(r.failedReads);
    const [location] = s.locations;
    expect(location.logicalLocations[0].fullyQualifiedName, where).to.equal(r.resource ?? subjectKeyOf(r));
    expect(location.logicalLocations[0].name, where).to.equal(r.name);
    const physical = location.physicalLocation;
    if (r.location !== undefined) {
      const file = physical.artifactLocation.uri.split('/').map(decodeURIComponent).join('/');
      expect(file, `${where}: the uri names the JSON location's file`).to.equal(r.location.file);
      expect([physical.region.startLine, physical.region.startColumn], `${where}: line and column`).to.deep.equal([r.location.line, r.location.column]);
    }
    if (s.suppressions !== undefined && r.suppression !== undefined) {
      expect(s.suppressions, where).to.have.lengthOf(1);
      expect(s.suppressions[0].justification, `${where}: the reason`).to.equal(r.suppression.reason);
    } else if (r.suppression !== undefined) expect.fail(`${where}: suppressed in JSON, not in SARIF`);
    else if (s.suppressions !== undefined) expect(s.suppressions, where).to.deep.equal([]);
    const identity = JSON.stringify([r.ruleId, r.accountId, r.region ?? '', r.resource ?? '']);
    const hash = s.partialFingerprints.primaryLocationLineHash;
    expect(fingerprints.get(identity) ?? hash, `${where}: the same fingerprint in every run`).to.equal(hash);
    expect(identities.get(hash) ?? identity, `${where}: a fingerprint names one rule and subject`).to.equal(identity);
    fingerprints.set(identity, hash);
    identities.set(hash, identity);
    inRun.add(hash);
  });
  expect(inRun.size, 'fingerprints distinct in a run').to.equal(results.length);

  const errors: Any[] = json.results.filter((r: Any) => evaluatedAs(r) === 'error');
  const invocation = run.invocations[0];
  expect(invocation.executionSuccessful, 'unsuccessful exactly when something could not be evaluated').to.equal(errors.length === 0);
  const notes: string[] = (invocation.toolExecutionNotifications ?? []).filter((n: Any) => n.level === 'error').map((n: Any) => sarifShown(n.message.text));
  if (errors.length > 0) expect(notes, 'errors are also notifications').to.not.have.lengthOf(0);
  for (const r of errors) {
    for (const read of r.failedReads ?? []) {
      const named = notes.some((n) => n.includes(read.operation) && n.includes(linkless(read.code)) && (read.message === undefined || n.includes(linkless(read.message))));
      expect(named, `${r.ruleId}: the failed read ${JSON.stringify(read)} is a notification`).to.equal(true);
    }
  }
  expect(invocation.startTimeUtc.replace('.000Z', 'Z')).to.equal(json.startTime);
}
