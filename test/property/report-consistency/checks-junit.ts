/**
 * The JUnit report, against the JSON report.
 *
 * junit: well-formed (saxes); no totals on <testsuites> (windyroad declares none); one suite
 * per rule that ran, in id order, whose tests/failures/errors/skipped count that rule's JSON
 * results (so the suites add up to the JSON summary); one case per result, in order,
 * classname = rule id, name = the subject (TrailARN, account/region, account) with only the
 * characters XML 1.0 cannot carry removed (a repeat after that gets " (n)"); pass: empty;
 * fail: <failure type=SEVERITY message=MESSAGE>; error: <error type=CODE message=MESSAGE>
 * naming each failed read; skipped: <skipped message=...>, the suppression's
 * "REASON (owner O, expires D)" when suppressed; a baselined violation or error (README,
 * Baselines) is skipped too, "baseline: REASON; known violation: MESSAGE" (or "known error"),
 * and counted with the skipped.
 */
import { expect } from 'chai';
import { parseXml, type XmlElement } from '../../helpers/junit-check.ts';
import { subjectKeyOf, suppressionText, xmlCarriable, type Any } from './decode.ts';

export function checkJunit(xml: string, json: Any): void {
  const root: XmlElement = parseXml(xml);
  expect(root.name).to.equal('testsuites');
  expect(root.attributes, 'windyroad declares no attributes on <testsuites>').to.deep.equal({});
  const suites = root.children;
  expect(suites.map((s) => s.attributes.name), 'a suite per rule that ran, in id order').to.deep.equal(json.rules.map((r: Any) => xmlCarriable(r.id)));
  const total = { tests: 0, failures: 0, errors: 0, skipped: 0 };
  for (const suite of suites) {
    const mine: Any[] = json.results.filter((r: Any) => r.ruleId === suite.attributes.name);
    // A baselined violation or error is written as skipped (README, Baselines).
    const accepted = (r: Any): boolean => r.suppression?.kind === 'baseline' && (r.status === 'fail' || r.status === 'error');
    const shownAs = (r: Any): string => (accepted(r) ? 'skipped' : r.status);
    const count = (status: string) => String(mine.filter((r) => shownAs(r) === status).length);
    const a = suite.attributes;
    expect([a.tests, a.failures, a.errors, a.skipped], `counts of suite ${a.name}`).to.deep.equal([String(mine.length), count('fail'), count('error'), count('skipped')]);
    total.tests += mine.length;
    total.failures += Number(a.failures);
    total.errors += Number(a.errors);
    total.skipped += Number(a.skipped);
    expect(a.timestamp).to.equal(json.startTime.slice(0, 19));
    expect(suite.children.map((c) => c.name)).to.deep.equal(['properties', ...mine.map(() => 'testcase'), 'system-out', 'system-err']);
    const cases = suite.children.filter((c) => c.name === 'testcase');
    const seen = new Set<string>();
    cases.forEach((tc, i) => {
      const r = mine[i];
      const where = `${r.ruleId} ${JSON.stringify(subjectKeyOf(r))}`;
      expect(tc.attributes.classname, where).to.equal(r.ruleId);
      // The name is the subject with what XML cannot carry removed; only a name that then
      // repeats (as a validating reader compares xs:token values) gets a " (n)".
      const name = xmlCarriable(subjectKeyOf(r));
      const token = name.replace(/[ \t\n\r]+/g, ' ').trim();
      if (seen.has(token)) expect(tc.attributes.name.startsWith(`${name} (`), where).to.equal(true);
      else expect(tc.attributes.name, where).to.equal(name);
      seen.add(tc.attributes.name.replace(/[ \t\n\r]+/g, ' ').trim());
      const children = tc.children;
      if (r.status === 'pass') {
        expect(children, where).to.deep.equal([]);
        return;
      }
      expect(children, where).to.have.lengthOf(1);
      const [child] = children;
      if (accepted(r)) {
        const said = `baseline: ${suppressionText(r.suppression)}; known ${r.status === 'fail' ? 'violation' : 'error'}: ${r.message}`;
        expect([child.name, child.attributes.message], where).to.deep.equal(['skipped', xmlCarriable(said)]);
      } else if (r.status === 'fail') {
        expect([child.name, child.attributes.type, child.attributes.message], where).to.deep.equal(['failure', r.severity, xmlCarriable(r.message)]);
        expect(child.text.startsWith(xmlCarriable(r.message)), `${where}: the failure's text starts with the message`).to.equal(true);
      } else if (r.status === 'error') {
        expect([child.name, child.attributes.message], where).to.deep.equal(['error', xmlCarriable(r.message)]);
        const code = r.failedReads?.[0]?.code;
        if (code !== undefined && xmlCarriable(code).trim() !== '') expect(child.attributes.type, `${where}: type is the AWS error code`).to.equal(xmlCarriable(code).trim());
        for (const read of r.failedReads ?? []) {
          expect(child.text, `${where}: the failed read is named`).to.include(xmlCarriable(read.code));
          if (read.message !== undefined) expect(child.text, `${where}: with its message`).to.include(xmlCarriable(read.message));
        }
      } else {
        const message = r.suppression ? suppressionText(r.suppression) : r.message;
        expect([child.name, child.attributes.message], where).to.deep.equal(['skipped', xmlCarriable(message)]);
      }
    });
  }
  const baselined = (status: string): number => json.results.filter((r: Any) => r.status === status && r.suppression?.kind === 'baseline').length;
  expect(total, 'the suites add up to the JSON summary, baselined findings with the skipped').to.deep.equal({
    tests: json.results.length,
    failures: json.summary.fail - baselined('fail'),
    errors: json.summary.error - baselined('error'),
    skipped: json.summary.skipped + baselined('fail') + baselined('error'),
  });
}
