import { assert } from 'chai';
import { junitReport } from '../../src/report/junit.ts';
import { assertValidJunit, parseXml, type XmlElement } from '../helpers/junit-check.ts';
import { ACCOUNT, result, rule, sampleInput, trail } from './sample.ts';

async function render(input = sampleInput()): Promise<XmlElement> {
  const xml = junitReport(input);
  await assertValidJunit(xml);
  return parseXml(xml);
}

const cases = (suite: XmlElement): XmlElement[] => suite.children.filter((c) => c.name === 'testcase');

describe('junitReport', () => {
  it('writes a document both XSDs accept, with a bare <testsuites>', async () => {
    const root = await render();
    assert.strictEqual(root.name, 'testsuites');
    assert.deepEqual(root.attributes, {}, 'windyroad declares no attributes on testsuites');
  });

  it('writes one suite per rule that ran, sorted, with counts and fixed metadata', async () => {
    const input = sampleInput();
    input.rules.reverse();
    const root = await render(input);
    assert.deepEqual(
      root.children.map((s) => s.attributes.name),
      ['kms-encryption', 'log-file-validation', 'multi-region-trail', 'region-has-trail', 'trail-insights'],
    );
    root.children.forEach((suite, i) => {
      const mine = input.results.filter((r) => r.ruleId === suite.attributes.name);
      const count = (status: string): string => String(mine.filter((r) => r.status === status).length);
      assert.deepEqual(suite.attributes, {
        name: suite.attributes.name,
        tests: String(mine.length),
        failures: count('fail'),
        errors: count('error'),
        skipped: count('skipped'),
        time: '0',
        timestamp: '2026-01-02T03:04:05',
        hostname: 'trailgate',
        id: String(i),
        package: 'trailgate',
      });
      assert.deepEqual(
        suite.children.map((c) => c.name),
        ['properties', ...mine.map(() => 'testcase'), 'system-out', 'system-err'],
      );
    });
  });

  it('records severity, scope and compliance as properties', async () => {
    const suite = (await render()).children.find((s) => s.attributes.name === 'log-file-validation')!;
    const props = Object.fromEntries(suite.children[0].children.map((p) => [p.attributes.name, p.attributes.value]));
    assert.strictEqual(props.severity, 'high');
    assert.strictEqual(props.scope, 'trail');
    assert.strictEqual(props['compliance.cis-aws-foundations-v3.0'], '3.2');
    assert.strictEqual(props['compliance.nist-800-53-r5'], 'AU-9, AU-9(3), SI-4, SI-7, SI-7(1), SI-7(3), SI-7(7)');
  });

  it('names test cases by subject: ARN, account/region, account', async () => {
    const root = await render();
    const names = root.children.flatMap(cases).map((c) => `${c.attributes.classname} ${c.attributes.name}`);
    assert.include(names, `kms-encryption ${trail('prod').arn}`);
    assert.include(names, `region-has-trail ${ACCOUNT}/us-east-1`);
    assert.include(names, `multi-region-trail ${ACCOUNT}`);
  });

  it('makes a repeated name unique within its rule with a counter', async () => {
    const suite = (await render()).children.find((s) => s.attributes.name === 'trail-insights')!;
    const arn = trail('prod').arn;
    assert.deepEqual(cases(suite).map((c) => c.attributes.name).slice(0, 2), [arn, `${arn} (2)`]);
  });

  it('counts names equal once forbidden characters and extra whitespace are gone as the same', async () => {
    const input = sampleInput();
    input.rules = [rule('r', 'low')];
    input.results = ['a b', 'a\u0000 b', 'a  b', 'a\tb', 'a b (2)'].map((name) => result('r', 'pass', { kind: 'account', accountId: name }));
    const names = cases((await render(input)).children[0]).map((c) => c.attributes.name);
    assert.deepEqual(names, ['a b', 'a\tb (2)', 'a  b (3)', 'a b (4)', 'a b (2) (2)']);
  });

  it('writes a failure with the severity, the message and the remediation', async () => {
    const suite = (await render()).children.find((s) => s.attributes.name === 'log-file-validation')!;
    const input = sampleInput();
    input.results = [result('log-file-validation', 'fail', trail('prod'), { severity: 'high', message: 'Validation is off' })];
    const failure = cases((await render(input)).children.find((s) => s.attributes.name === 'log-file-validation')!)[0].children[0];
    assert.strictEqual(failure.name, 'failure');
    assert.deepEqual(failure.attributes, { type: 'high', message: 'Validation is off' });
    assert.strictEqual(
      failure.text,
      'Validation is off\n\nRemediation: Turn on log file validation.\naws cloudtrail update-trail --name NAME --enable-log-file-validation',
    );
    assert.lengthOf(cases(suite), 3);
  });

  it('writes a baselined failure or error as skipped, saying what it was, and counts it with the skipped (only new findings fail a test report)', async () => {
    const input = sampleInput();
    const baseline = { kind: 'baseline' as const, reason: 'in baseline .trailgate/baseline.json' };
    input.results = [
      result('log-file-validation', 'fail', trail('new'), { severity: 'high', message: 'Validation is off' }),
      result('log-file-validation', 'fail', trail('old'), { severity: 'high', message: 'Validation is off', suppression: baseline }),
      result('log-file-validation', 'error', trail('unread'), { message: 'Could not tell', suppression: baseline }),
    ];
    const suite = (await render(input)).children.find((s) => s.attributes.name === 'log-file-validation')!;
    assert.include(suite.attributes, { tests: '3', failures: '1', errors: '0', skipped: '2' });
    // Cases come in report order: by name.
    const [fresh, old, unread] = cases(suite).map((c) => c.children[0]);
    assert.strictEqual(fresh.name, 'failure');
    assert.deepEqual(old, { name: 'skipped', attributes: { message: 'baseline: in baseline .trailgate/baseline.json; known violation: Validation is off' }, children: [], text: '' });
    assert.deepEqual(unread, { name: 'skipped', attributes: { message: 'baseline: in baseline .trailgate/baseline.json; known error: Could not tell' }, children: [], text: '' });
  });

  it('writes an error typed by the failed read, listing the reads', async () => {
    const suite = (await render()).children.find((s) => s.attributes.name === 'log-file-validation')!;
    const [withRead, withoutRead] = cases(suite).map((c) => c.children[0]);
    assert.strictEqual(withRead.name, 'error');
    assert.deepEqual(withRead.attributes, { type: 'AccessDeniedException', message: 'Could not tell whether log file validation is on' });
    assert.include(withRead.text, `- cloudtrail:GetTrail (us-east-1, ${trail('prod').arn}): AccessDeniedException: not authorized`);
    assert.deepEqual(withoutRead.attributes, { type: 'ReadError', message: 'Trail details were not collected' });
  });

  it('writes skips with the suppression reason, owner and expiry, and passes as empty cases', async () => {
    const root = await render();
    const suppressed = cases(root.children.find((s) => s.attributes.name === 'multi-region-trail')!)[1].children;
    assert.deepEqual(suppressed, [
      { name: 'skipped', attributes: { message: 'Org trail covers "this" <account> (owner secops, expires 2027-01-31)' }, children: [], text: '' },
    ]);
    const region = cases(root.children.find((s) => s.attributes.name === 'region-has-trail')!);
    assert.deepEqual(region.map((c) => c.children.map((x) => x.attributes.message ?? x.name)), [['Region not enabled'], []]);
  });

  it('keeps a suite for a rule with no results, and one for a result whose rule has no metadata', async () => {
    const input = sampleInput();
    input.rules = [rule('quiet', 'low')];
    input.results = [result('user-rule', 'fail', trail('prod'), { severity: 'high' })];
    const root = await render(input);
    assert.deepEqual(root.children.map((s) => [s.attributes.name, s.attributes.tests]), [['quiet', '0'], ['user-rule', '1']]);
    assert.strictEqual(cases(root.children[1])[0].children[0].text, 'user-rule fail for ' + trail('prod').arn);
  });

  it('writes an empty but valid document for a run with no rules', async () => {
    const root = await render({ ...sampleInput(), rules: [], results: [] });
    assert.deepEqual(root.children, []);
  });

  it('writes the start time in UTC without fraction or zone, and survives a bad one', async () => {
    const stamp = async (startTime: string): Promise<string> => (await render({ ...sampleInput(), startTime })).children[0].attributes.timestamp;
    assert.strictEqual(await stamp('2026-06-30T23:59:59.999-02:00'), '2026-07-01T01:59:59');
    assert.strictEqual(await stamp('not a time'), '1970-01-01T00:00:00');
    // XSD 1.0 has no year 0000: the file would not validate.
    assert.strictEqual(await stamp('0000-03-02T12:00:00Z'), '1970-01-01T00:00:00');
    assert.strictEqual(await stamp('0001-03-02T12:00:00Z'), '0001-03-02T12:00:00');
  });
});

describe('assertValidJunit', () => {
  const valid = junitReport(sampleInput());
  const broken: Array<[string, string]> = [
    ['attributes on testsuites', valid.replace('<testsuites>', '<testsuites tests="1">')],
    ['a suite without properties', valid.replace(/<properties>[^]*?<\/properties>/, '')],
    ['a suite without hostname', valid.replace(' hostname="trailgate"', '')],
    ['a timestamp with a zone', valid.replace('2026-01-02T03:04:05"', '2026-01-02T03:04:05Z"')],
    ['a failure without type', valid.replace('<failure type="medium"', '<failure')],
    ['a file attribute on a test case', valid.replace('<testcase classname', '<testcase file="x" classname')],
    ['a duplicate test case', valid.replace('trail/prod (2)', 'trail/prod')],
    ['a forbidden character', valid.replace('trailgate', 'trail&#1;gate')],
  ];
  for (const [name, xml] of broken) {
    it(`rejects ${name}`, async () => {
      assert.notStrictEqual(xml, valid, 'the mutation applied');
      let failed = false;
      await assertValidJunit(xml).catch(() => (failed = true));
      assert.isTrue(failed);
    });
  }
});
