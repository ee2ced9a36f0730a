/** The live CLI against the fake endpoint: snapshot, scan --save-snapshot, and the schema the loader enforces. */
import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { buildCli, cli, REPO, tempDir } from '../helpers/cli.ts';
import { principalFor } from '../fake-aws/scenario.ts';
import { withFake } from './harness.ts';
import { MGMT, orgScenario, ROLE, LOGS, MEMBER, ORG_KEY_ARN, ORG_TRAIL_ARN } from './world.ts';

const SCHEMA = new URL('../../schemas/inventory.schema.json', import.meta.url);

describe('collect: command line', () => {
  it('snapshot -o writes an inventory that passes the published inventory schema, atomically', async () => {
    const dir = tempDir();
    const run = await withFake(orgScenario(), () => cli(['snapshot', '-o', 'snap.json', '--accounts', `${MGMT},${LOGS},${MEMBER}`, '--role-name', ROLE], { cwd: dir }));
    expect(run.code, run.stderr).to.equal(0);
    expect(run.stdout).to.equal('');
    expect(readdirSync(dir)).to.deep.equal(['snap.json']);
    const inventory = JSON.parse(readFileSync(join(dir, 'snap.json'), 'utf8'));
    const validate = new Ajv({ strict: false, allErrors: true }).compile(JSON.parse(readFileSync(SCHEMA, 'utf8')));
    expect(validate(inventory), JSON.stringify(validate.errors)).to.equal(true);
    expect(inventory.accounts).to.have.length(3);
    expect(inventory.collectedAt).to.equal('2026-11-21T00:00:00.000Z');
  });

  it('snapshot writes to standard output by default, progress only to standard error, no secret anywhere', async () => {
    const run = await withFake(orgScenario(), () => cli(['snapshot', '--region', 'us-east-1,eu-west-1']));
    expect(run.code, run.stderr).to.equal(0);
    const inventory = JSON.parse(run.stdout);
    expect(inventory.accounts[0].regions).to.deep.equal(['eu-west-1', 'us-east-1']);
    expect(run.stderr).to.match(/^trailgate: collecting 1 account/m);
    expect(run.stderr).to.match(/^trailgate: collected 1 account/m);
    expect(run.stdout + run.stderr).not.to.contain(principalFor(MGMT).secretAccessKey);
  });

  it('snapshot to standard output holds no workflow command, whatever a bucket policy says', async () => {
    const scenario = orgScenario();
    const bucket = scenario.buckets.find((b) => b.name === 'mgmt-logs-eu')!;
    bucket.policy = JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'x', Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: '*', Condition: { StringEquals: { 'aws:UserAgent': '##[error]forged' } } }] });
    const run = await withFake(scenario, () => cli(['snapshot', '--region', 'us-east-1,eu-west-1']));
    expect(run.code, run.stderr).to.equal(0);
    expect(run.stdout).to.not.include('##[');
    expect(run.stdout).to.include('##\\u005berror]forged');
    expect(JSON.parse(run.stdout).buckets['mgmt-logs-eu'].Policy).to.include('##[error]forged');
  });

  it('takes the live keys of the config file (a flag still wins)', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, '.trailgate.yml'), 'version: 1\nregions: [us-west-2]\nconcurrency: 2\n');
    const fromConfig = await withFake(orgScenario(), () => cli(['snapshot', '--quiet'], { cwd: dir }));
    expect(fromConfig.code, fromConfig.stderr).to.equal(0);
    expect(JSON.parse(fromConfig.stdout).accounts[0].regions).to.deep.equal(['us-west-2']);
    const fromFlag = await withFake(orgScenario(), () => cli(['snapshot', '--quiet', '--region', 'eu-west-1'], { cwd: dir }));
    expect(JSON.parse(fromFlag.stdout).accounts[0].regions).to.deep.equal(['eu-west-1']);
  });

  it('a live scan gives the same results as a scan of the snapshot it saved', async () => {
    const dir = tempDir();
    const live = await withFake(orgScenario(), () =>
      cli(['scan', '--organization', '--role-name', ROLE, '--save-snapshot', 'evidence.json', '--format', 'json=live.json', '--quiet'], { cwd: dir }),
    );
    expect(live.code, live.stderr).to.be.oneOf([0, 1, 3]);
    const saved = await cli(['scan', '--snapshot', 'evidence.json', '--format', 'json=saved.json'], { cwd: dir });
    expect(saved.code).to.equal(live.code);
    const a = JSON.parse(readFileSync(join(dir, 'live.json'), 'utf8'));
    const b = JSON.parse(readFileSync(join(dir, 'saved.json'), 'utf8'));
    expect(a.results.length).to.be.greaterThan(0);
    expect(b.results).to.deep.equal(a.results);
  });

  it('a denied DescribeOrganization is recorded in the snapshot (schema-valid), and bucket-delivery of the organization trail names it, live and saved alike', async () => {
    const dir = tempDir();
    const scenario = orgScenario();
    // A policy CloudTrail can deliver under: only the organization id is missing to judge it.
    const bucket = scenario.buckets.find((b) => b.name === 'org-trail-logs')!;
    const cloudtrail = { Service: 'cloudtrail.amazonaws.com' };
    bucket.policy = JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        { Sid: 'Acl', Effect: 'Allow', Principal: cloudtrail, Action: 's3:GetBucketAcl', Resource: 'arn:aws:s3:::org-trail-logs' },
        { Sid: 'Write', Effect: 'Allow', Principal: cloudtrail, Action: 's3:PutObject', Resource: 'arn:aws:s3:::org-trail-logs/o/AWSLogs/*' },
      ],
    });
    const live = await withFake(
      scenario,
      () => cli(['scan', '--accounts', `${MGMT},${LOGS}`, '--role-name', ROLE, '--only', 'bucket-delivery', '--save-snapshot', 'evidence.json', '--format', 'json=live.json', '--quiet'], { cwd: dir }),
      { faults: [{ operation: 'DescribeOrganization', kind: 'accessDenied' }] },
    );
    // 1: the management account's own regional trail delivers to a bucket without a policy.
    expect(live.code, live.stderr).to.equal(1);
    const inventory = JSON.parse(readFileSync(join(dir, 'evidence.json'), 'utf8'));
    const validate = new Ajv({ strict: false, allErrors: true }).compile(JSON.parse(readFileSync(SCHEMA, 'utf8')));
    expect(validate(inventory), JSON.stringify(validate.errors)).to.equal(true);
    expect(inventory.errors.filter((e: { operation: string }) => e.operation === 'DescribeOrganization').map((e: { accountId: string }) => e.accountId)).to.deep.equal([MGMT, LOGS]);

    const saved = await cli(['scan', '--snapshot', 'evidence.json', '--only', 'bucket-delivery', '--format', 'json=saved.json'], { cwd: dir });
    expect(saved.code).to.equal(1);
    const results = (file: string) => JSON.parse(readFileSync(join(dir, file), 'utf8')).results as { status: string; message: string; resource: string; failedReads?: { operation: string; code: string }[] }[];
    expect(results('saved.json')).to.deep.equal(results('live.json'));
    const org = results('saved.json').find((r) => r.resource === ORG_TRAIL_ARN)!;
    expect(org.status).to.equal('error');
    expect(org.message).to.match(/organization id of its owner account 111111111111 is missing .*: DescribeOrganization failed with AccessDeniedException: .*\(the scanning role needs organizations:DescribeOrganization\)$/);
    expect(org.failedReads!.map((f) => `${f.operation}:${f.code}`)).to.deep.equal(['DescribeOrganization:AccessDeniedException']);
  });

  it('a snapshot of the accounts and one of the log-archive account, scanned together in either order, judge as one snapshot of all', async () => {
    const dir = tempDir();
    const scenario = orgScenario();
    // The management account may read the log-archive bucket's location and ACL, but not its policy.
    scenario.buckets.find((b) => b.name === 'org-trail-logs')!.readableBy = [MGMT];
    const snapshot = (accounts: string[], out: string) => withFake(scenario, () => cli(['snapshot', '-o', out, '--quiet', '--accounts', accounts.join(','), '--role-name', ROLE], { cwd: dir }));
    for (const [accounts, out] of [
      [[MGMT, MEMBER], 'members.json'],
      [[LOGS], 'log-archive.json'],
      [[MGMT, MEMBER, LOGS], 'all.json'],
    ] as const) {
      const run = await snapshot([...accounts], out);
      expect(run.code, run.stderr).to.equal(0);
    }
    // What the members' shard holds of the archive's bucket and key: the reads it was allowed, its failures recorded.
    const members = JSON.parse(readFileSync(join(dir, 'members.json'), 'utf8'));
    expect(Object.keys(members.buckets['org-trail-logs'])).to.include('Region').and.not.include('Policy');
    expect(Object.keys(members.keys[ORG_KEY_ARN])).to.include('KeyMetadata').and.not.include('Policy');
    expect(members.errors.filter((e: { resource?: string }) => e.resource === 'org-trail-logs' || e.resource === ORG_KEY_ARN).map((e: { operation: string }) => e.operation)).to.include.members(['GetBucketPolicy', 'GetKeyPolicy']);
    const results = async (files: string[]) => {
      const run = await cli(['scan', ...files.flatMap((f) => ['--snapshot', f]), '--format', 'json'], { cwd: dir });
      expect(run.stderr, files.join(' ')).to.equal('');
      return { code: run.code, results: (JSON.parse(run.stdout) as { results: Record<string, unknown>[] }).results.map(({ location: _, ...r }) => r) };
    };
    const all = await results(['all.json']);
    expect(all.results.find((r) => r.ruleId === 'bucket-delivery' && r.resource === ORG_TRAIL_ARN)?.status).to.equal('fail');
    expect(await results(['members.json', 'log-archive.json'])).to.deep.equal(all);
    expect(await results(['log-archive.json', 'members.json'])).to.deep.equal(all);
  });

  it('the built CLI writes only its own progress lines to standard error (no AWS SDK Node version warning)', async function () {
    this.timeout(120_000);
    buildCli();
    // A child process, so no earlier test has already used up the SDK's once-per-process warning.
    const run = await withFake(orgScenario(), async () => {
      const child = spawn(process.execPath, [join(REPO, 'bin', 'trailgate.js'), 'snapshot', '--region', 'us-east-1', '-o', join(tempDir(), 's.json')], {
        env: Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED')),
      });
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => void (stderr += d.toString()));
      const [code] = (await once(child, 'close')) as [number];
      return { code, stderr };
    });
    expect(run.code, run.stderr).to.equal(0);
    expect(run.stderr.trimEnd().split('\n').every((l) => l.startsWith('trailgate: ')), run.stderr).to.equal(true);
  });

  it('reports no credentials as a run that could not start (exit 2)', async () => {
    const run = await withFake(orgScenario(), () => cli(['scan', '--quiet']), {}, null);
    expect(run.code, run.stderr).to.equal(2);
    expect(run.stderr).to.match(/no usable AWS credentials/);
  });

  it('refuses a --save-snapshot file that a --format report would overwrite, before collecting', async () => {
    const dir = tempDir();
    const run = await withFake(orgScenario(), async (fake) => {
      const r = await cli(['scan', '--save-snapshot', 'out.json', '--format', 'json=./out.json', '--quiet'], { cwd: dir });
      expect(fake.calls).to.have.length(0);
      return r;
    });
    expect(run.code, run.stderr).to.equal(2);
    expect(run.stderr).to.match(/--save-snapshot out\.json and --format json=\.\/out\.json name the same file/);
    expect(readdirSync(dir)).to.deep.equal([]);
  });

  it('refuses, before any AWS call, a snapshot target that is a directory or whose path runs through a file', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'evidence'));
    writeFileSync(join(dir, 'blocked'), '');
    const cases: [string[], string][] = [
      [['scan', '--save-snapshot', 'evidence'], '--save-snapshot evidence names a directory, not a file; write --save-snapshot evidence/snapshot.json, for example'],
      [['scan', '--save-snapshot', 'new/'], '--save-snapshot new/ names a directory, not a file; write --save-snapshot new/snapshot.json, for example'],
      [['scan', '--save-snapshot', 'blocked/s.json', '--format', 'json=r.json'], '--save-snapshot blocked/s.json cannot be written: blocked is a file, not a directory'],
      [['snapshot', '-o', 'evidence'], '-o evidence names a directory, not a file; write -o evidence/snapshot.json, for example'],
      [['snapshot', '--output', 'blocked/a/s.json'], '-o blocked/a/s.json cannot be written: blocked is a file, not a directory'],
    ];
    for (const [args, message] of cases) {
      const run = await withFake(orgScenario(), async (fake) => {
        const r = await cli([...args, '--quiet'], { cwd: dir });
        expect(fake.calls, args.join(' ')).to.have.length(0);
        return r;
      });
      expect(run.code, run.stderr).to.equal(2);
      expect(run.stderr).to.equal(`trailgate: ${message}\n`);
    }
    expect(readdirSync(dir).sort()).to.deep.equal(['blocked', 'evidence']);
  });

  // `snapshot -o .trailgate.yml` replaced the config it had just read with an inventory, where
  // `scan --save-snapshot` refuses the same: the next run failed on its own config, baseline or rules.
  it('snapshot -o refuses, before any AWS call, the config file and the baseline and rules it names, as --save-snapshot does', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'ci', 'rules'), { recursive: true });
    const files = { 'ci/trailgate.yml': 'rules: [rules, own.yaml]\nbaseline: base.json\nsnapshots: [../inv.json]\nquiet: true\n', 'ci/base.json': '{"results": []}\n', 'ci/own.yaml': 'id: x\n', 'ci/rules/a.yaml': 'id: y\n' };
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
    const cases: [string, string][] = [
      ['ci/trailgate.yml', '-o ci/trailgate.yml would overwrite the config file ci/trailgate.yml; save the inventory to a file of its own'],
      ['./ci/base.json', '-o ./ci/base.json would overwrite the baseline ci/base.json; save the inventory to a file of its own'],
      ['ci/own.yaml', '-o ci/own.yaml would overwrite the rule file ci/own.yaml; save the inventory to a file of its own'],
      ['ci/rules/new.yaml', '-o ci/rules/new.yaml would put the inventory among the rule files of the rules directory ci/rules, and the next run would read it as a rule; give it another name or folder'],
    ];
    for (const [out, message] of cases) {
      const run = await withFake(orgScenario(), async (fake) => ({ ...(await cli(['snapshot', '--config', 'ci/trailgate.yml', '-o', out, '--region', 'us-east-1'], { cwd: dir })), calls: fake.calls.length }));
      expect(run.code, run.stderr).to.equal(2);
      expect(run.stderr).to.equal(`trailgate: ${message}\n`);
      expect(run.calls, 'no AWS call').to.equal(0);
    }
    for (const [name, text] of Object.entries(files)) expect(readFileSync(join(dir, name), 'utf8'), name).to.equal(text);
    // The inventory the config's `snapshots` scans is what a snapshot is for: written.
    const nightly = await withFake(orgScenario(), () => cli(['snapshot', '--config', 'ci/trailgate.yml', '-o', 'inv.json', '--region', 'us-east-1'], { cwd: dir }));
    expect(nightly.code, nightly.stderr).to.equal(0);
    expect(JSON.parse(readFileSync(join(dir, 'inv.json'), 'utf8')).version).to.equal(1);
  });

  it('a snapshot the disk refuses after the collection still lets the scan write every report, then exits 2 naming the snapshot', async function () {
    if (!existsSync('/dev/full')) this.skip(); // Linux's always-full device
    const dir = tempDir();
    const run = await withFake(orgScenario(), () => cli(['scan', '--save-snapshot', '/dev/full', '--format', 'json=r.json', '--format', 'junit=j.xml'], { cwd: dir }));
    expect(run.code, run.stderr).to.equal(2);
    const lines = run.stderr.trimEnd().split('\n').filter((l) => !/^trailgate: (collect|account)/.test(l));
    expect(lines.slice(-1)).to.deep.equal(['trailgate: /dev/full: cannot write the snapshot: no space left on the device']);
    expect(lines.slice(-2)[0]).to.match(/; exit 2: the snapshot could not be written \(without that, exit \d: .*\)\. Reports: r\.json, j\.xml$/);
    const report = JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8'));
    expect(report.results.length).to.be.greaterThan(0);
    expect(report.exitCode).to.be.oneOf([0, 1, 3]);
    // The results point at no file: the one they would name does not hold their inventory.
    expect(report.results.filter((r: { location?: unknown }) => r.location !== undefined)).to.deep.equal([]);
    expect(readdirSync(dir).sort()).to.deep.equal(['j.xml', 'r.json']);
  });

  it('snapshot -o that the disk refuses: exit 2, and the message names the snapshot, not a report', async function () {
    if (!existsSync('/dev/full')) this.skip();
    const run = await withFake(orgScenario(), () => cli(['snapshot', '-o', '/dev/full', '--quiet', '--region', 'us-east-1']));
    expect(run.code).to.equal(2);
    expect(run.stderr).to.equal('trailgate: /dev/full: cannot write the snapshot: no space left on the device\n');
  });

  it('snapshot to a standard output that the disk refuses: exit 2, and the message names the inventory, not a report', async function () {
    if (!existsSync('/dev/full')) this.skip();
    const out = openSync('/dev/full', 'w');
    try {
      // A child process of its own: main.ts, which reports a failed standard output, ends it.
      const run = await withFake(orgScenario(), async () => {
        const child = spawn(process.execPath, ['--import', 'tsx', join(REPO, 'src', 'cli', 'main.ts'), 'snapshot', '--quiet', '--region', 'us-east-1'], { cwd: REPO, stdio: ['ignore', out, 'pipe'] });
        let stderr = '';
        child.stderr!.on('data', (d: Buffer) => void (stderr += d.toString()));
        const [code] = (await once(child, 'close')) as [number];
        return { code, stderr };
      });
      expect(run.code, run.stderr).to.equal(2);
      expect(run.stderr).to.equal('trailgate: cannot write the inventory to standard output: no space left on the device\n');
    } finally {
      closeSync(out);
    }
  });

  it('a caller in a partition trailgate does not support: exit 2 before collecting, naming it, and no snapshot written', async () => {
    const dir = tempDir();
    const principal = { ...principalFor(MGMT), arn: `arn:aws-eusc:iam::${MGMT}:user/auditor` };
    const scenario = orgScenario();
    scenario.principals = [principal];
    for (const args of [['snapshot', '-o', 'snap.json'], ['scan', '--save-snapshot', 'snap.json']]) {
      const run = await withFake(scenario, () => cli([...args, '--quiet'], { cwd: dir }), {}, principal);
      expect(run.code, run.stderr).to.equal(2);
      expect(run.stderr).to.equal(`trailgate: the credentials are in the AWS partition aws-eusc (arn:aws-eusc:iam::${MGMT}:user/auditor), which trailgate does not support; it audits aws, aws-us-gov, aws-cn\n`);
    }
    expect(readdirSync(dir)).to.deep.equal([]);
  });

  it('refuses an empty --region or --accounts (an unset variable), instead of collecting every region or only the own account', async () => {
    for (const args of [['--region', ''], ['--region', ' , '], ['--accounts', '', '--role-name', ROLE]]) {
      const run = await withFake(orgScenario(), () => cli(['snapshot', ...args]));
      expect(run.code, args.join(' ')).to.equal(2);
      expect(run.stdout).to.equal('');
      expect(run.stderr).to.match(/^trailgate: --(region|accounts): no value given/);
    }
  });

  // The config file refuses `profile: ""` and a roleArn that is no role's ARN. The flags were taken
  // as given: `--profile ""` read as "no profile", and the run collected with the keys in the environment.
  it('refuses an empty --profile, --role-arn, --external-id or --role-name, and a --role-arn that names no IAM role, before any AWS call', async () => {
    const refused = [
      [['--profile', ''], '--profile: the value is empty; name a profile of the AWS config files, or leave --profile out to use the default credential chain'],
      [['--role-arn', ''], '--role-arn: the value is empty; give the ARN of the role to assume, or leave --role-arn out'],
      [['--role-arn', 'Audit'], '--role-arn: "Audit" must be the ARN of an IAM role, such as arn:aws:iam::111122223333:role/Audit'],
      [['--role-arn', `arn:aws:iam::${MGMT}:user/audit`], `--role-arn: "arn:aws:iam::${MGMT}:user/audit" must be the ARN of an IAM role, such as arn:aws:iam::111122223333:role/Audit`],
      [['--external-id', '', '--role-arn', `arn:aws:iam::${MGMT}:role/${ROLE}`], '--external-id: the value is empty; give the external id the roles require, or leave --external-id out'],
      [['--role-name', '', '--accounts', LOGS], '--role-name: the value is empty; give the name of the role to assume in each audited account'],
    ] as const;
    for (const [args, message] of refused) {
      for (const command of ['snapshot', 'scan']) {
        const run = await withFake(orgScenario(), async (fake) => ({ ...(await cli([command, ...args, '--region', 'us-east-1'])), calls: fake.calls.length }));
        expect(run.code, `${command} ${args.join(' ')}: ${run.stderr}`).to.equal(2);
        expect(run.stdout).to.equal('');
        expect(run.stderr).to.equal(`trailgate: ${message}\n`);
        expect(run.calls, 'no AWS call').to.equal(0);
      }
    }
  });

  // `-o -` wrote a file named `-`; cli.md says snapshot's -o defaults to standard output.
  it('snapshot -o - (or -o /dev/stdout) writes to standard output, as without -o', async () => {
    const dir = tempDir();
    for (const out of ['-', '/dev/stdout']) {
      const run = await withFake(orgScenario(), () => cli(['snapshot', '-o', out, '--region', 'us-east-1', '--quiet'], { cwd: dir }));
      expect(run.code, run.stderr).to.equal(0);
      expect(JSON.parse(run.stdout).accounts[0].regions, out).to.deep.equal(['us-east-1']);
    }
    expect(readdirSync(dir)).to.deep.equal([]);
  });

  // Standard output carries the reports: the inventory mixed into them would help nobody.
  it('refuses --save-snapshot - (or /dev/stdout) before collecting, instead of saving a file named `-`', async () => {
    const dir = tempDir();
    for (const out of ['-', '/dev/stdout']) {
      const run = await withFake(orgScenario(), () => cli(['scan', '--save-snapshot', out, '--format', 'json=r.json', '--quiet'], { cwd: dir }));
      expect(run.code).to.equal(2);
      expect(run.stderr).to.equal(`trailgate: --save-snapshot ${out} would write the inventory to standard output, which carries the reports; give it a file (--save-snapshot audit.json), or collect with \`trailgate snapshot\`, which writes to standard output\n`);
    }
    expect(readdirSync(dir)).to.deep.equal([]);
  });

  // Without a list of accounts only the credentials' own account is audited, with the credentials
  // themselves: the role name was ignored, and the run looked as if it went through the role.
  it('refuses --role-name, or --external-id, that no account list would use', async () => {
    const refused = [
      [['--role-name', ROLE], '--role-name is the role to assume in each audited account: it needs --accounts or --organization'],
      [['--external-id', 'x'], '--external-id is for the roles trailgate assumes: it needs --role-arn, or --accounts or --organization with --role-name'],
    ] as const;
    for (const [args, message] of refused) {
      for (const command of ['snapshot', 'scan']) {
        const run = await withFake(orgScenario(), () => cli([command, ...args, '--region', 'us-east-1']));
        expect(run.code, `${command} ${args.join(' ')}`).to.equal(2);
        expect(run.stdout).to.equal('');
        expect(run.stderr).to.include(`trailgate: ${message}`);
      }
    }
    const listed = await withFake(orgScenario(), () => cli(['snapshot', '--accounts', LOGS, '--role-name', ROLE, '--external-id', 'x', '--region', 'us-east-1', '--quiet']));
    expect(listed.code, listed.stderr).to.equal(0);
  });

  // From the config file, the same refusals are placed at the key and worded with keys: the user typed no flag.
  it('places a refused live key from the config file at its line and column, in the words of the file', async () => {
    const cases = [
      ['roleName: Audit\n', '.trailgate.yml:1:11: invalid config: `roleName` is the role to assume in each audited account: it needs `accounts` or `organization`'],
      ['organization: true\n', '.trailgate.yml:1:15: invalid config: `organization` needs `roleName` (the role to assume in each account) (at /organization)'],
    ] as const;
    for (const [config, message] of cases) {
      for (const command of ['snapshot', 'scan']) {
        const dir = tempDir();
        writeFileSync(join(dir, '.trailgate.yml'), config);
        const run = await withFake(orgScenario(), () => cli([command, '--region', 'us-east-1'], { cwd: dir }));
        expect(run.code, `${command} with ${config}`).to.equal(2);
        expect(run.stderr).to.include(`trailgate: ${message}`);
      }
    }
  });

  it('rejects --save-snapshot together with --snapshot', async () => {
    const run = await cli(['scan', '--snapshot', 'x.json', '--save-snapshot', 'y.json']);
    expect(run.code).to.equal(2);
  });
});
