/** `trailgate scan` on inventories: verdicts, exit codes and their precedence, formats, determinism. */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { assertValidJunit } from '../helpers/junit-check.ts';
import { assertValidSarif } from '../helpers/sarif-check.ts';
import { cli, tempDir } from '../helpers/cli.ts';

const EXAMPLE = 'examples/organization.yaml';
/** The seven core rules: the expectations below are about them, whatever else the pack grows. */
const CORE = ['--only', 'multi-region-trail,global-service-events,log-file-validation,kms-encryption,trails-per-region,event-selectors-per-trail,bucket-delivery'];

/** A one-account inventory with a single trail, the trail's fields given. */
function inventory(trail: Record<string, unknown>, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    version: 1,
    collectedAt: '2026-11-20T02:00:00Z',
    accounts: [
      {
        accountId: '123456789012',
        regions: ['us-east-1'],
        trails: [
          {
            Trail: { Name: 't', TrailARN: 'arn:aws:cloudtrail:us-east-1:123456789012:trail/t', HomeRegion: 'us-east-1', IsMultiRegionTrail: true, ...trail },
            Status: { IsLogging: true },
          },
        ],
      },
    ],
    ...extra,
  });
}

describe('scan', () => {
  it('reports the careless member trail of the example and exits 1', async () => {
    const r = await cli(['scan', '--snapshot', EXAMPLE, ...CORE]);
    expect(r.code).to.equal(1);
    expect(r.stdout).to.include('Account 444455556666');
    expect(r.stdout).to.match(/FAIL .*log-file-validation .*trail dev-trail \(eu-west-1\)/);
    expect(r.stdout).to.match(/FAIL .*kms-encryption .*dev-trail/);
    expect(r.stdout).to.not.include('Account 111122223333');
    // The failures broken down by severity add up to the count; the exit line counts what decides it.
    expect(r.stdout).to.match(/passed, 3 failed \(1 high, 2 medium\), 0 errors, 0 skipped\nexit 1: 3 violations at or above low\n$/);
    expect(r.stderr).to.equal('');
  });

  it('--fail-on sets the lowest failing severity', async () => {
    const core = ['scan', '--snapshot', EXAMPLE, '--only', 'log-file-validation,kms-encryption,bucket-delivery'];
    expect((await cli([...core, '--fail-on', 'medium'])).code).to.equal(1);
    expect((await cli([...core, '--fail-on', 'high'])).code).to.equal(1);
    expect((await cli([...core, '--fail-on', 'critical'])).code).to.equal(0);
    expect((await cli([...core, '--fail-on', 'never'])).code).to.equal(0);
    expect((await cli(['scan', '--snapshot', EXAMPLE, '--only', 'log-file-validation,kms-encryption', '--fail-on', 'high'])).code).to.equal(0);
  });

  it('exits 3 when nothing fails but something could not be read, and 1 takes precedence over 3', async () => {
    const dir = tempDir();
    const errorsOnly = inventory({ LogFileValidationEnabled: true }, {
      errors: [{ accountId: '123456789012', region: 'us-east-1', service: 'cloudtrail', operation: 'GetEventSelectors', resource: 'arn:aws:cloudtrail:us-east-1:123456789012:trail/t', code: 'AccessDeniedException' }],
    });
    writeFileSync(join(dir, 'e.json'), errorsOnly);
    const r = await cli(['scan', '--snapshot', 'e.json', '--only', 'log-file-validation,event-selectors-per-trail'], { cwd: dir });
    expect(r.code, r.stdout).to.equal(3);
    expect(r.stdout).to.include('ERROR');
    expect(r.stdout).to.include('GetEventSelectors for arn:aws:cloudtrail:us-east-1:123456789012:trail/t failed with AccessDeniedException');
    expect(r.stdout).to.include('exit 3: no violation at or above low, but 1 result is an error');
    const both = await cli(['scan', '--snapshot', 'e.json', '--only', 'kms-encryption,event-selectors-per-trail'], { cwd: dir });
    expect(both.code).to.equal(1);
    // A violation below --fail-on is still a violation: the sentence must not deny it.
    const below = await cli(['scan', '--snapshot', 'e.json', '--only', 'kms-encryption,event-selectors-per-trail', '--fail-on', 'high'], { cwd: dir });
    expect(below.code).to.equal(3);
    expect(below.stdout).to.include('exit 3: no violation at or above high, but 1 result is an error');
    const never = await cli(['scan', '--snapshot', 'e.json', '--only', 'kms-encryption,event-selectors-per-trail', '--fail-on', 'never'], { cwd: dir });
    expect(never.code).to.equal(3);
    expect(never.stdout).to.include('exit 3: violations never fail this run (--fail-on never), but 1 result is an error');
  });

  it('judges an account known only from its errors even when no account is listed (exit 3, not 2)', async () => {
    const dir = tempDir();
    // A hand-written inventory of one account whose role could not be assumed: `accounts` is empty.
    const assumeFailed = { accountId: '123456789012', service: 'sts', operation: 'AssumeRole', code: 'AccessDenied', message: 'not authorized' };
    writeFileSync(join(dir, 'a.json'), JSON.stringify({ version: 1, collectedAt: '2026-11-20T02:00:00Z', accounts: [], errors: [assumeFailed] }));
    const r = await cli(['scan', '--snapshot', 'a.json', '--only', 'multi-region-trail,log-file-validation'], { cwd: dir });
    expect(r.code, r.stderr).to.equal(3);
    expect(r.stdout).to.include('Account 123456789012');
    expect(r.stdout).to.include('AssumeRole failed with AccessDenied');
    // Errors that leave no account unread do not make an empty inventory judgeable: still nothing to judge.
    const bucketOnly = { accountId: '123456789012', region: 'us-east-1', service: 's3', operation: 'GetBucketPolicy', resource: 'b', code: 'AccessDenied' };
    writeFileSync(join(dir, 'b.json'), JSON.stringify({ version: 1, accounts: [], errors: [bucketOnly] }));
    const empty = await cli(['scan', '--snapshot', 'b.json'], { cwd: dir });
    expect(empty.code).to.equal(2);
    expect(empty.stderr).to.include('b.json:1:14: the inventory holds no accounts');
  });

  it('counts the accounts scanned in the summary, also one that the rules chosen say nothing of', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'a.yaml'), 'version: 1\naccounts:\n  - accountId: "123456789012"\n    regions: [us-east-1]\n    trails: []\n');
    const r = await cli(['scan', '--snapshot', 'a.yaml', '--only', 'log-file-validation'], { cwd: dir });
    expect(r.stdout).to.include('1 rule, 1 account: 0 passed');
    // A member's view of another account's organization trail: that owner was not scanned.
    const org = { Name: 'org', TrailARN: 'arn:aws:cloudtrail:us-east-1:999988887777:trail/org', HomeRegion: 'us-east-1', IsMultiRegionTrail: true, IsOrganizationTrail: true };
    writeFileSync(join(dir, 'm.json'), JSON.stringify({ version: 1, accounts: [{ accountId: '123456789012', regions: ['us-east-1'], trails: [{ Trail: org }] }] }));
    const member = await cli(['scan', '--snapshot', 'm.json', '--only', 'log-file-validation,multi-region-trail'], { cwd: dir });
    expect(member.stdout).to.include('2 rules, 1 account:');
  });

  it('points the results of an account known only from its errors at the error that names it, not at a made-up path', async () => {
    const dir = tempDir();
    const assumeFailed = { accountId: '123456789012', service: 'sts', operation: 'AssumeRole', code: 'AccessDenied' };
    const other = { accountId: '210987654321', regions: ['us-east-1'], trails: [] };
    writeFileSync(join(dir, 'a.json'), JSON.stringify({ version: 1, accounts: [other], errors: [assumeFailed] }, null, 2));
    const r = await cli(['scan', '--snapshot', 'a.json', '--only', 'multi-region-trail', '--format', 'json', '--format', 'sarif=r.sarif'], { cwd: dir });
    const result = JSON.parse(r.stdout).results.find((x: { accountId: string }) => x.accountId === '123456789012');
    expect(result.location).to.deep.equal({ file: 'a.json', line: 13, column: 5, pointer: '/errors/0' });
    writeFileSync(join(dir, 'a.yaml'), 'version: 1\naccounts: []\nerrors:\n  - { accountId: "123456789012", service: sts, operation: AssumeRole, code: AccessDenied }\n');
    const yaml = await cli(['scan', '--snapshot', 'a.yaml', '--only', 'multi-region-trail', '--format', 'json'], { cwd: dir });
    expect(JSON.parse(yaml.stdout).results[0].location).to.deep.equal({ file: 'a.yaml', line: 4, column: 5, pointer: '/errors/0' });
    const sarif = JSON.parse(readFileSync(join(dir, 'r.sarif'), 'utf8'));
    const uris = sarif.runs[0].results.map((x: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }) => x.locations[0].physicalLocation.artifactLocation.uri);
    expect(uris).to.deep.equal(['a.json', 'a.json']);
  });

  it('--only and --skip choose rules, and an unknown id is an input error', async () => {
    const only = await cli(['scan', '--snapshot', EXAMPLE, '--only', 'log-file-validation', '--format', 'json']);
    const ids = new Set(JSON.parse(only.stdout).results.map((r: { ruleId: string }) => r.ruleId));
    expect([...ids]).to.deep.equal(['log-file-validation']);
    const skip = await cli(['scan', '--snapshot', EXAMPLE, '--skip', 'log-file-validation', '--skip', 'kms-encryption', '--format', 'json']);
    const skipped = new Set(JSON.parse(skip.stdout).results.map((r: { ruleId: string }) => r.ruleId));
    expect(skipped.has('log-file-validation') || skipped.has('kms-encryption')).to.equal(false);
    const bad = await cli(['scan', '--snapshot', EXAMPLE, '--only', 'log-file-validaton']);
    expect(bad.code).to.equal(2);
    expect(bad.stderr).to.include('--only names an unknown rule "log-file-validaton"');
  });

  it('refuses an --only or --skip with no id in it (an unset variable), rather than running every rule', async () => {
    for (const [flag, value] of [['--only', ''], ['--only', ','], ['--skip', ' ']] as const) {
      const r = await cli(['scan', '--snapshot', EXAMPLE, flag, value, '--format', 'json']);
      expect(r.code, `${flag} ${JSON.stringify(value)}`).to.equal(2);
      expect(r.stdout).to.equal('');
      expect(r.stderr.trim()).to.equal(`trailgate: ${flag} was given no rule id (${JSON.stringify(value)}); name at least one, or leave ${flag} out`);
    }
    const listed = await cli(['rules', '--only', '']);
    expect(listed.code).to.equal(2);
    // Empty entries beside real ids are only separators.
    const trailing = await cli(['scan', '--snapshot', EXAMPLE, '--only', 'log-file-validation,', '--format', 'json']);
    expect(new Set(JSON.parse(trailing.stdout).results.map((r: { ruleId: string }) => r.ruleId))).to.deep.equal(new Set(['log-file-validation']));
  });

  it('writes the JSON report with the documented fields', async () => {
    const r = await cli(['scan', '--snapshot', EXAMPLE, '--format', 'json']);
    const report = JSON.parse(r.stdout);
    expect(report.tool.name).to.equal('trailgate');
    expect(report.exitCode).to.equal(1);
    expect(report.startTime).to.equal('2026-11-20T02:00:00Z');
    const lfv = report.results.find((x: Record<string, unknown>) => x.ruleId === 'log-file-validation' && x.status === 'fail');
    expect(lfv).to.include({
      severity: 'medium',
      accountId: '444455556666',
      region: 'eu-west-1',
      resource: 'arn:aws:cloudtrail:eu-west-1:444455556666:trail/dev-trail',
    });
    // The entry begins at `- Trail:`, the line above the trail's name.
    const entryLine = readFileSync(EXAMPLE, 'utf8').split('\n').findIndex((l) => l.includes('Name: dev-trail'));
    expect(lfv.location).to.include({ file: 'examples/organization.yaml', line: entryLine });
    // The fix command, filled in for this trail as the text report prints it; passes have none.
    expect(lfv.remediation).to.equal('aws cloudtrail update-trail --name arn:aws:cloudtrail:eu-west-1:444455556666:trail/dev-trail --region eu-west-1 --enable-log-file-validation');
    expect(report.results.filter((x: { status: string; remediation?: string }) => x.status === 'pass' && x.remediation !== undefined)).to.deep.equal([]);
    const region = report.results.find((x: Record<string, unknown>) => x.ruleId === 'trails-per-region');
    expect(region).to.include({ scope: 'region', accountId: '111122223333' });
    expect(region.region).to.be.a('string');
    expect(region.resource).to.equal(undefined);
    expect(report.summary.fail).to.equal(report.results.filter((x: { status: string }) => x.status === 'fail').length);
  });

  it('writes SARIF and JUnit files that validate, with a summary on stderr', async () => {
    const dir = tempDir();
    const example = join(dir, 'org.yaml');
    writeFileSync(example, readFileSync(EXAMPLE));
    const r = await cli(['scan', '--snapshot', 'org.yaml', '--format', 'sarif=out/r.sarif', '--format', 'junit=out/r.xml'], { cwd: dir });
    expect(r.code).to.equal(1);
    expect(r.stdout).to.equal('');
    expect(r.stderr).to.match(/^trailgate: \d+ rules, 2 accounts: \d+ passed, 16 failed \(3 high, 2 medium, 7 low, 4 info\), 0 errors, \d+ skipped; exit 1: 12 violations at or above low\. Reports: out\/r\.sarif, out\/r\.xml\n$/);
    const quiet = await cli(['scan', '--snapshot', 'org.yaml', '--format', 'json=out/r.json', '--quiet'], { cwd: dir });
    expect(quiet.stderr).to.equal('');
    const sarif = readFileSync(join(dir, 'out/r.sarif'), 'utf8');
    assertValidSarif(sarif);
    const uris = new Set(JSON.parse(sarif).runs[0].results.map((x: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }) => x.locations[0].physicalLocation.artifactLocation.uri));
    expect([...uris]).to.deep.equal(['org.yaml']);
    await assertValidJunit(readFileSync(join(dir, 'out/r.xml'), 'utf8'));
  });

  it('gives byte-identical reports for the same input', async () => {
    const dir = tempDir();
    for (const n of ['a', 'b']) {
      await cli(['scan', '--snapshot', `${process.cwd()}/${EXAMPLE}`, '--format', `sarif=${n}.sarif`, '--format', `junit=${n}.xml`, '--format', `json=${n}.json`], { cwd: dir });
    }
    for (const ext of ['sarif', 'xml', 'json']) {
      expect(readFileSync(join(dir, `a.${ext}`), 'utf8')).to.equal(readFileSync(join(dir, `b.${ext}`), 'utf8'));
    }
  });

  it('reads standard input with -, and merges several inventories', async () => {
    const text = readFileSync(EXAMPLE, 'utf8');
    const viaStdin = await cli(['scan', '--snapshot', '-', '--format', 'json'], { stdin: text });
    expect(viaStdin.code).to.equal(1);
    expect(JSON.parse(viaStdin.stdout).inputs).to.deep.equal(['stdin']);
    // The text and JSON reports keep the lines of a text piped in; GitHub gets no file for them:
    // named `stdin`, they would pass for a file of that name in the repository, which would get
    // every annotation and alert. Annotations say the line, SARIF names the resource.
    const located = JSON.parse(viaStdin.stdout).results.filter((r: { location?: { file: string } }) => r.location?.file === 'stdin');
    expect(located.length).to.be.greaterThan(0);
    const stdinDir = tempDir();
    writeFileSync(join(stdinDir, 'stdin'), 'an unrelated file\n');
    for (const env of [{ GITHUB_WORKSPACE: stdinDir }, {}] as Record<string, string>[]) {
      const github = await cli(['scan', '--snapshot', '-', '--format', 'github', '--format', 'sarif=r.sarif'], { stdin: text, cwd: stdinDir, env });
      expect(github.stdout, JSON.stringify(env)).to.not.include('file=stdin');
      expect(github.stdout).to.match(/ {2}\[stdin:\d+\]/);
      const uris = new Set<string>(JSON.parse(readFileSync(join(stdinDir, 'r.sarif'), 'utf8')).runs[0].results.map((r: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }) => r.locations[0].physicalLocation.artifactLocation.uri));
      expect([...uris].every((u) => u.startsWith('aws/')), [...uris].join(' ')).to.equal(true);
    }

    // The member's trail delivers to a bucket of the log-archive account, collected in another file.
    const dir = tempDir();
    const member = JSON.parse(inventory({ S3BucketName: 'archive-logs' }));
    const archive = { version: 1, accounts: [{ accountId: '999999999999', regions: ['us-east-1'], trails: [] }], buckets: { 'archive-logs': { Exists: false } } };
    writeFileSync(join(dir, 'member.json'), JSON.stringify(member));
    writeFileSync(join(dir, 'archive.json'), JSON.stringify(archive));
    const alone = await cli(['scan', '--snapshot', 'member.json', '--only', 'bucket-delivery', '--format', 'json'], { cwd: dir });
    expect(JSON.parse(alone.stdout).results[0].status).to.equal('error');
    const merged = await cli(['scan', '--snapshot', 'member.json', '--snapshot', 'archive.json', '--only', 'bucket-delivery', '--format', 'json'], { cwd: dir });
    expect(JSON.parse(merged.stdout).results[0].status).to.equal('fail');
    // The order of the files changes nothing, not even the list of inputs.
    const reversed = await cli(['scan', '--snapshot', 'archive.json', '--snapshot', 'member.json', '--only', 'bucket-delivery', '--format', 'json'], { cwd: dir });
    expect(reversed.stdout).to.equal(merged.stdout);
    expect(JSON.parse(merged.stdout).inputs).to.deep.equal(['archive.json', 'member.json']);
  });

  it("ages a trail's status against the collectedAt of the file whose copy supplied it", async () => {
    // The owner recorded its own GetTrailStatus as failed, so the member's copy (collected five
    // months later, in another file) supplies the status: its delivery is old by the member's clock.
    const dir = tempDir();
    const arn = 'arn:aws:cloudtrail:us-east-1:111122223333:trail/org';
    const trail = { Name: 'org', TrailARN: arn, HomeRegion: 'us-east-1', IsMultiRegionTrail: true, IsOrganizationTrail: true, CloudWatchLogsLogGroupArn: 'arn:aws:logs:us-east-1:111122223333:log-group:x' };
    const owner = {
      version: 1,
      collectedAt: '2026-01-01T00:00:00Z',
      accounts: [{ accountId: '111122223333', organizationId: 'o-a1b2c3d4e5', regions: ['us-east-1'], trails: [{ Trail: trail, Status: { IsLogging: true, LatestCloudWatchLogsDeliveryTime: '2025-12-31T23:00:00Z' } }] }],
      errors: [{ accountId: '111122223333', region: 'us-east-1', service: 'cloudtrail', operation: 'GetTrailStatus', resource: arn, code: 'AccessDenied' }],
    };
    const member = {
      version: 1,
      collectedAt: '2026-06-01T00:00:00Z',
      accounts: [{ accountId: '222233334444', organizationId: 'o-a1b2c3d4e5', regions: ['us-east-1'], trails: [{ Trail: trail, Status: { IsLogging: true, LatestCloudWatchLogsDeliveryTime: '2025-12-31T12:00:00Z' } }] }],
    };
    writeFileSync(join(dir, 'owner.json'), JSON.stringify(owner));
    writeFileSync(join(dir, 'member.json'), JSON.stringify(member));
    const r = await cli(['scan', '--snapshot', 'owner.json', '--snapshot', 'member.json', '--only', 'cloudwatch-logs', '--format', 'json'], { cwd: dir });
    const [result] = JSON.parse(r.stdout).results;
    expect(result.status, result.message).to.equal('fail');
    expect(result.message).to.include('2025-12-31T12:00:00Z');
  });

  it('refuses two formats on standard output', async () => {
    const r = await cli(['scan', '--snapshot', EXAMPLE, '--format', 'json', '--format', 'sarif']);
    expect(r.code).to.equal(2);
    expect(r.stderr).to.include('only one format may write to standard output');
  });
});
