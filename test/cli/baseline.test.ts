import { assert } from 'chai';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseBaseline } from '../../src/config/baseline.ts';
import { baselineKey } from '../../src/engine/suppress.ts';
import { InputError } from '../../src/errors.ts';
import { CORE, trailgate, workspace } from '../config/run.ts';
import { withFake } from '../collect/harness.ts';
import { orgScenario } from '../collect/world.ts';

const ORG = 'arn:aws:cloudtrail:us-east-1:111122223333:trail/org-trail';

describe('baselines', () => {
  it('adoption: record today, pass with nothing fixed, fail on a new violation naming only it', async () => {
    const dir = workspace();
    const first = await trailgate(['scan', '--snapshot', 'org.yaml', '--only', CORE, '--format', 'json=baseline.json'], dir);
    assert.strictEqual(first.code, 1, 'the example has three violations');

    const adopted = await trailgate(['scan', '--snapshot', 'org.yaml', '--only', CORE, '--baseline', 'baseline.json'], dir);
    assert.strictEqual(adopted.code, 0, 'nothing fixed, nothing new: the gate passes');
    // Baselined results keep their status: they are part of the failed count, not of skipped.
    assert.include(adopted.stdout, '3 failed (1 high, 2 medium; 3 in baseline), 0 errors, 0 skipped\nexit 0: no violation at or above low\n');
    assert.include(adopted.stdout, 'suppressed: in baseline baseline.json');

    // Someone turns off log file validation on the organization trail.
    const inventory = readFileSync(join(dir, 'org.yaml'), 'utf8');
    writeFileSync(join(dir, 'org.yaml'), inventory.replace('LogFileValidationEnabled: true', 'LogFileValidationEnabled: false'));
    const regressed = await trailgate(['scan', '--snapshot', 'org.yaml', '--only', CORE, '--baseline', 'baseline.json', '--format', 'github', '--format', 'json=now.json'], dir);
    assert.strictEqual(regressed.code, 1);
    const annotations = regressed.stdout.trimEnd().split('\n');
    assert.lengthOf(annotations, 1, 'only the new violation is annotated');
    assert.match(annotations[0], /^::warning file=org\.yaml,line=\d+,col=\d+,title=log-file-validation \(medium\)::arn:aws:cloudtrail:us-east-1:111122223333:trail\/org-trail: /);
    const now = JSON.parse(readFileSync(join(dir, 'now.json'), 'utf8'));
    const open = now.results.filter((r: { status: string; suppression?: unknown }) => r.status === 'fail' && r.suppression === undefined);
    assert.deepEqual(open.map((r: { ruleId: string; resource: string }) => [r.ruleId, r.resource]), [['log-file-validation', ORG]]);
    assert.strictEqual(now.results.filter((r: { suppression?: { kind: string } }) => r.suppression?.kind === 'baseline').length, 3);
  });

  it('and the config file are named the same however their paths are spelled, so reports stay byte-identical', async () => {
    const dir = workspace({ 'c.yml': 'suppressions:\n  - rule: log-file-validation\n    resource: "*"\n    reason: old\n    expires: 2000-01-01\n' });
    await trailgate(['scan', '--snapshot', 'org.yaml', '--only', CORE, '--format', 'json=base.json'], dir);
    const runs = [];
    for (const [baseline, config] of [['base.json', 'c.yml'], ['./base.json', './c.yml'], [join(dir, 'base.json'), join(dir, 'c.yml')]]) {
      const r = await trailgate(['scan', '--snapshot', 'org.yaml', '--only', CORE, '--baseline', baseline, '--config', config, '--format', 'text', '--format', 'json=out.json'], dir);
      runs.push([r.stdout, readFileSync(join(dir, 'out.json'), 'utf8')]);
    }
    assert.include(runs[0][0], 'in baseline base.json');
    assert.include(runs[0][0], 'c.yml:');
    assert.deepEqual(runs[1], runs[0]);
    assert.deepEqual(runs[2], runs[0]);
  });

  it('matches by rule id, subject and status, never by message', () => {
    const report = JSON.stringify({
      results: [
        { ruleId: 'kms-encryption', status: 'fail', scope: 'trail', accountId: '1', region: 'us-east-1', resource: 'arn:t', message: 'worded one way' },
        { ruleId: 'trails-per-region', status: 'error', scope: 'region', accountId: '1', region: 'eu-west-1', message: 'x' },
        { ruleId: 'kms-encryption', status: 'pass', scope: 'trail', accountId: '1', region: 'us-east-1', resource: 'arn:u', message: 'x' },
        { ruleId: 'kms-encryption', status: 'skipped', scope: 'trail', accountId: '1', region: 'us-east-1', resource: 'arn:v', message: 'x' },
      ],
    });
    const keys = parseBaseline(report, 'b.json');
    assert.deepEqual(
      [...keys].sort(),
      [baselineKey('kms-encryption', { kind: 'trail', accountId: '1', region: 'us-east-1', arn: 'arn:t' }, 'fail'), baselineKey('trails-per-region', { kind: 'region', accountId: '1', region: 'eu-west-1' }, 'error')].sort(),
    );
  });

  it('an error in the baseline does not hide a violation found once the read succeeds', async () => {
    // Recorded while the trail's bucket could not be read: the baseline accepted "could not
    // tell", not "the bucket is public", and a gate that passed on it would be a silent pass.
    const dir = workspace();
    const inventory = readFileSync(join(dir, 'org.yaml'), 'utf8');
    const unread = inventory.replace(/\n {2}dev-team-trail:\n(?: {4}.*\n)+/, '\n');
    assert.notStrictEqual(unread, inventory);
    writeFileSync(join(dir, 'org.yaml'), unread);
    const only = ['--only', 'bucket-not-public,bucket-delivery'];
    const first = await trailgate(['scan', '--snapshot', 'org.yaml', ...only, '--format', 'json=baseline.json'], dir);
    assert.strictEqual(first.code, 3, 'the bucket could not be read: errors only');
    assert.strictEqual((await trailgate(['scan', '--snapshot', 'org.yaml', ...only, '--baseline', 'baseline.json'], dir)).code, 0, 'the same errors are in the baseline');

    writeFileSync(join(dir, 'org.yaml'), inventory.replace(/(\n {2}dev-team-trail:\n(?: {4}.*\n)*? {4}PolicyStatus: \{ IsPublic: )false/, '$1true'));
    const now = await trailgate(['scan', '--snapshot', 'org.yaml', ...only, '--baseline', 'baseline.json', '--format', 'json=-'], dir);
    assert.strictEqual(now.code, 1, now.stderr);
    const open = JSON.parse(now.stdout).results.filter((r: { status: string; suppression?: unknown }) => r.status === 'fail' && r.suppression === undefined);
    assert.includeMembers(open.map((r: { ruleId: string }) => r.ruleId), ['bucket-not-public']);
  });

  it('an expired suppression of a finding the baseline holds says it still does not count: on stderr, in the text report and in the step summary', async () => {
    const dir = workspace();
    await trailgate(['scan', '--snapshot', 'org.yaml', '--only', CORE, '--format', 'json=baseline.json'], dir);
    // The finding was accepted twice: by a suppression that has expired since, and by the baseline.
    writeFileSync(join(dir, '.trailgate.yml'), 'suppressions:\n  - rule: kms-encryption\n    resource: "444455556666"\n    reason: sandbox\n    expires: 2026-11-01\n');
    const summary = join(dir, 'summary.md');
    const r = await trailgate(['scan', '--snapshot', 'org.yaml', '--only', CORE, '--baseline', 'baseline.json', '--format', 'text', '--format', 'github=gh.txt'], dir, { env: { GITHUB_STEP_SUMMARY: summary } });
    assert.strictEqual(r.code, 0, 'the baseline still holds the finding');
    const note = 'suppression expired on 2026-11-01 (.trailgate.yml:2:5): rule kms-encryption, resource 444455556666; 1 result it matches is in the baseline, so it still does not count';
    assert.strictEqual(r.stderr, `trailgate: warning: ${note}\n`);
    assert.include(r.stdout, `\nwarning: ${note}\n`);
    assert.include(r.stdout, 'exit 0: no violation at or above low');
    const md = readFileSync(summary, 'utf8');
    assert.include(md, 'rule kms-encryption, resource 444455556666; 1 result it matches is in the baseline, so it still does not count');
    for (const said of [r.stderr, r.stdout, md]) assert.notInclude(said, 'counts again');
  });

  it('a reworded message still matches the baseline', async () => {
    const dir = workspace();
    await trailgate(['scan', '--snapshot', 'org.yaml', '--only', CORE, '--format', 'json=baseline.json'], dir);
    const report = JSON.parse(readFileSync(join(dir, 'baseline.json'), 'utf8'));
    for (const r of report.results) r.message = 'reworded';
    writeFileSync(join(dir, 'baseline.json'), JSON.stringify(report));
    assert.strictEqual((await trailgate(['scan', '--snapshot', 'org.yaml', '--only', CORE, '--baseline', 'baseline.json'], dir)).code, 0);
  });

  describe('a malformed baseline is an input error, located', () => {
    const cases: Array<[string, string, RegExp]> = [
      ['not JSON', '{"results": [\n  {"ruleId": "x",}\n]}', /^b\.json:2:\d+: invalid JSON in the baseline: \S/],
      ['not a report', '{"rules": []}', /^b\.json:1:1: invalid baseline \(expected a trailgate JSON report\): missing required key "results"/],
      ['a result without a status', '{"results": [\n  {"ruleId": "x", "accountId": "1"}\n]}', /^b\.json:2:3: invalid baseline .*missing required key "status"/],
      ['an unknown status', '{"results": [\n  {"ruleId": "x", "accountId": "1",\n   "status": "failed"}\n]}', /^b\.json:3:14: invalid baseline .*must be one of "pass", "fail", "error", "skipped"/],
      ['empty', '', /^b\.json:1:1: the baseline is empty/],
      ['another tool\'s report', '{"tool": {"name": "othertool", "version": "1.0"}, "results": []}', /^b\.json:1:19: invalid baseline \(expected a trailgate JSON report\): must be "trailgate"/],
    ];
    for (const [name, text, expected] of cases) {
      it(name, () => {
        try {
          parseBaseline(text, 'b.json');
          assert.fail('expected an InputError');
        } catch (e) {
          assert.instanceOf(e, InputError);
          assert.match((e as InputError).describe(), expected);
        }
      });
    }

    it('the CLI exits 2 and names the file; a missing one too', async () => {
      const dir = workspace({ 'b.json': '{"results": 3}' });
      const bad = await trailgate(['scan', '--snapshot', 'org.yaml', '--baseline', 'b.json'], dir);
      assert.strictEqual(bad.code, 2);
      assert.match(bad.stderr, /^trailgate: b\.json:1:13: invalid baseline \(expected a trailgate JSON report\): must be of type array/);
      const missing = await trailgate(['scan', '--snapshot', 'org.yaml', '--baseline', 'gone.json'], dir);
      assert.strictEqual(missing.code, 2);
      assert.include(missing.stderr, 'gone.json: cannot read the baseline: no such file');
    });
  });

  it('a UTF-16 baseline is named as such; a report of another trailgate version is accepted', async () => {
    const dir = workspace();
    await trailgate(['scan', '--snapshot', 'org.yaml', '--only', CORE, '--format', 'json=baseline.json'], dir);
    const report = JSON.parse(readFileSync(join(dir, 'baseline.json'), 'utf8'));
    writeFileSync(join(dir, 'utf16.json'), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(JSON.stringify(report), 'utf16le')]));
    const utf16 = await trailgate(['scan', '--snapshot', 'org.yaml', '--only', CORE, '--baseline', 'utf16.json'], dir);
    assert.strictEqual(utf16.code, 2);
    assert.include(utf16.stderr, 'utf16.json:1:1: the file is not UTF-8 text: it looks like UTF-16');
    report.tool.version = '0.0.1';
    writeFileSync(join(dir, 'old.json'), JSON.stringify(report));
    assert.strictEqual((await trailgate(['scan', '--snapshot', 'org.yaml', '--only', CORE, '--baseline', 'old.json'], dir)).code, 0, 'matching is by rule and subject; an upgrade must not make every finding new');
  });

  it('a bad baseline stops a live scan before any AWS call', async () => {
    const dir = workspace({ 'b.json': '{"results": 3}' });
    const r = await withFake(orgScenario(), async (fake) => {
      const out = await trailgate(['scan', '--region', 'us-east-1', '--baseline', 'b.json', '--save-snapshot', 'evidence.json'], dir);
      return { ...out, calls: fake.calls.length };
    });
    assert.strictEqual(r.code, 2, r.stderr);
    assert.include(r.stderr, 'b.json:1:13: invalid baseline');
    assert.strictEqual(r.calls, 0, 'nothing was collected');
    assert.isFalse(existsSync(join(dir, 'evidence.json')));
  });

  it('the baseline can come from the config file', async () => {
    const dir = workspace();
    await trailgate(['scan', '--snapshot', 'org.yaml', '--only', CORE, '--format', 'json=ci/baseline.json'], dir);
    writeFileSync(join(dir, 'ci', 'trailgate.yml'), `snapshots: [../org.yaml]\nonly: [${CORE}]\nbaseline: baseline.json\n`);
    const r = await trailgate(['scan', '--config', 'ci/trailgate.yml'], dir);
    assert.strictEqual(r.code, 0);
    assert.include(r.stdout, 'in baseline ci/baseline.json');
  });
});
