/**
 * The Action run the way the runner runs it: `node dist/action.js` in the workspace, inputs as
 * INPUT_* variables, GITHUB_OUTPUT and GITHUB_STEP_SUMMARY as files it appends to.
 */
import { assert } from 'chai';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { outputRecords } from '../../src/action/outputs.ts';
import { assertValidJunit } from '../helpers/junit-check.ts';
import { assertValidSarif } from '../helpers/sarif-check.ts';
import { CORE, workspace } from '../config/run.ts';
import { parseOutputs, runAction } from './runner.ts';

describe('the GitHub Action (dist/action.js)', function () {
  this.timeout(30_000);

  it('scans, annotates, writes the reports, the outputs and the step summary, and fails on violations', async () => {
    const dir = workspace();
    const r = await runAction(dir, { snapshots: 'org.yaml', only: CORE, sarif: 'reports/trailgate.sarif', junit: 'reports/trailgate.xml', json: 'reports/trailgate.json' });
    assert.strictEqual(r.code, 1, r.stderr);
    assert.deepEqual(r.outputs, {
      error: '0',
      'exit-code': '1',
      fail: '3',
      json: 'reports/trailgate.json',
      junit: 'reports/trailgate.xml',
      pass: '3',
      sarif: 'reports/trailgate.sarif',
      skipped: '0',
    });
    const annotations = r.stdout.split('\n').filter((l) => /^::(error|warning|notice) /.test(l));
    assert.lengthOf(annotations, 3);
    assert.match(r.stdout, /^::group::trailgate report\n[^]*3 rules, 2 accounts: 3 passed, 3 failed[^]*\n::endgroup::$/m, 'the text report, collapsed in the log');
    assert.match(annotations[0], /^::error file=org\.yaml,line=\d+,col=\d+,title=bucket-delivery \(high\)::arn:aws:cloudtrail:eu-west-1:444455556666:trail\/dev-trail: /);
    assert.match(annotations[1], /^::warning file=org\.yaml,line=\d+,col=\d+,title=kms-encryption \(medium\)::/);
    assert.match(annotations[2], /^::warning file=org\.yaml,line=\d+,col=\d+,title=log-file-validation \(medium\)::/);
    assert.include(r.summary, '## trailgate');
    assert.include(r.summary, '| 3 | 3 | 0 | 0 | 0 | 0 |');
    assert.include(r.summary, '| fail | high | bucket-delivery | arn:aws:cloudtrail:eu-west-1:444455556666:trail/dev-trail |');
    assertValidSarif(readFileSync(join(dir, 'reports', 'trailgate.sarif'), 'utf8'));
    await assertValidJunit(readFileSync(join(dir, 'reports', 'trailgate.xml'), 'utf8'));
  });

  it('honours fail-on, the working directory and the config file there', async () => {
    const dir = workspace();
    const sub = join(dir, 'audit');
    mkdirSync(sub);
    writeFileSync(join(sub, 'org.yaml'), readFileSync(join(dir, 'org.yaml')));
    writeFileSync(
      join(sub, '.trailgate.yml'),
      `snapshots: [org.yaml]\nonly: [${CORE}]\nsuppressions:\n  - {rule: bucket-delivery, resource: "444455556666", reason: bucket policy fix in review, expires: 2099-01-01}\n`,
    );
    const r = await runAction(dir, { 'working-directory': 'audit', 'fail-on': 'high', sarif: 'out.sarif' });
    assert.strictEqual(r.code, 0, r.stderr);
    assert.strictEqual(r.outputs['exit-code'], '0');
    assert.strictEqual(r.outputs.skipped, '1');
    assert.strictEqual(r.outputs.sarif, 'audit/out.sarif', 'paths are given relative to the workspace');
    assert.strictEqual(r.outputs.json, '', 'no JSON report was asked for');
    assert.notInclude(r.stdout, 'bucket-delivery', 'the suppressed violation is not annotated');
    assert.include(r.summary, '| 3 | 2 | 0 | 1 | 1 | 0 |');
  });

  it('with a working-directory, annotations name files from the repository root, where GitHub looks for them', async () => {
    const dir = workspace();
    mkdirSync(join(dir, 'audit'));
    writeFileSync(join(dir, 'audit', 'org.yaml'), readFileSync(join(dir, 'org.yaml')));
    const r = await runAction(dir, { 'working-directory': 'audit', snapshots: 'org.yaml', only: CORE });
    assert.strictEqual(r.code, 1, r.stderr);
    const annotations = r.stdout.split('\n').filter((l) => /^::(error|warning|notice) /.test(l));
    assert.lengthOf(annotations, 3);
    for (const a of annotations) assert.match(a, /^::\w+ file=audit\/org\.yaml,line=\d+,/);
  });

  it('a run that cannot start exits 2 with an error annotation and exit-code 2', async () => {
    const dir = workspace({ 'old.json': JSON.stringify({ summary: { pass: 9, fail: 9, error: 9, skipped: 9 } }) });
    const r = await runAction(dir, { snapshots: 'missing.yaml', sarif: 'out.sarif', json: 'old.json' });
    assert.strictEqual(r.code, 2);
    assert.strictEqual(r.outputs['exit-code'], '2');
    assert.strictEqual(r.outputs.sarif, '', 'no report was written');
    assert.strictEqual(r.outputs.fail, '', 'an earlier report at the json path is not read as this run\'s');
    assert.strictEqual(r.outputs.json, '');
    assert.match(r.stdout, /^::error title=trailgate could not run::trailgate: missing\.yaml: cannot read the inventory: no such file or directory$/m);
  });

  it('a report that cannot be written costs only itself: exit 2, and the outputs name the reports this run did write', async () => {
    const dir = workspace({ 'stale.xml': '<old/>' });
    // The SARIF path runs through a file, so only that report fails; the JUnit path holds an earlier run's file.
    const r = await runAction(dir, { snapshots: 'org.yaml', only: CORE, sarif: 'org.yaml/out.sarif', junit: 'stale.xml', json: 'reports/r.json' });
    assert.strictEqual(r.code, 2, r.stderr);
    assert.strictEqual(r.outputs['exit-code'], '2');
    assert.strictEqual(r.outputs.sarif, '', 'the report that failed');
    assert.strictEqual(r.outputs.junit, 'stale.xml', 'rewritten by this run');
    assert.strictEqual(r.outputs.json, 'reports/r.json');
    assert.strictEqual(r.outputs.fail, '3', 'the counts of this run');
    assert.notInclude(readFileSync(join(dir, 'stale.xml'), 'utf8'), '<old/>');
    assert.match(r.stdout, /^::error title=trailgate could not write every report::.*org\.yaml\/out\.sarif: cannot write the report/m);
  });

  // The CLI's hint (`aws configure`, --profile) names what a workflow cannot run or pass.
  it('a live scan without credentials says how a workflow gives them, naming no flag the Action lacks', async () => {
    const r = await runAction(workspace(), { regions: 'us-east-1', 'fail-on': 'high' }, {
      HOME: workspace(),
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_CONFIG_FILE: '/nonexistent/trailgate-test-aws-config',
      AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/trailgate-test-aws-credentials',
    });
    assert.strictEqual(r.code, 2, r.stderr);
    assert.match(r.stdout, /^::error title=trailgate could not run::trailgate: no usable AWS credentials: .*; give the job credentials in a step before this one \(aws-actions\/configure-aws-credentials\), or name a profile with the config file's `profile`$/m);
    assert.notInclude(r.stdout + r.stderr, '--profile');
    assert.notInclude(r.stdout + r.stderr, 'aws configure');
  });

  it('a working-directory that does not exist is an input error that names it', async () => {
    const r = await runAction(workspace(), { 'working-directory': 'no-such-dir', snapshots: 'org.yaml' });
    assert.strictEqual(r.code, 2);
    assert.strictEqual(r.outputs['exit-code'], '2');
    assert.match(r.stdout, /^::error title=trailgate could not run::trailgate: the input "working-directory" names no-such-dir, which is not a directory/m);
    assert.notInclude(r.stderr, '    at ', 'no stack trace');
  });

  it('a malformed boolean input is an input error', async () => {
    const r = await runAction(workspace(), { snapshots: 'org.yaml', organization: 'yes' });
    assert.strictEqual(r.code, 2);
    assert.include(r.stdout, 'the input "organization" must be true or false');
  });

  it('a list input of separators only is an input error, not a run widened to everything', async () => {
    for (const name of ['only', 'skip', 'regions', 'accounts', 'snapshots']) {
      const r = await runAction(workspace(), { snapshots: 'org.yaml', [name]: ' , \n,' });
      assert.strictEqual(r.code, 2, name);
      assert.include(r.stdout, `the input "${name}" lists nothing, only separators`, name);
    }
  });

  it('outputs survive values with newlines and delimiter-like text', () => {
    const text = outputRecords({ a: 'one\ntwo', b: 'ghadelimiter_x\nEOF' });
    assert.deepEqual(parseOutputs(text), { a: 'one\ntwo', b: 'ghadelimiter_x\nEOF' });
  });
});
