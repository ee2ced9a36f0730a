/** The read-only guarantee: one declaration, a policy generated from it, and a wrapper that refuses the rest. */
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { call, Session, type Runtime } from '../../src/collect/call.ts';
import { CREDENTIAL_OPERATIONS, declaredOperation, iamPolicy, isReadOnlyName, OPERATIONS } from '../../src/collect/operations.ts';
import { Sdk } from '../../src/collect/sdk.ts';
import { Agent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { runCollect } from './harness.ts';
import { MEMBER, LOGS, MGMT, orgScenario, ROLE } from './world.ts';

const README = new URL('../../README.md', import.meta.url);

function runtime(): Runtime {
  const rate = { perSecond: 100, burst: 100 };
  return {
    sdk: new Sdk(),
    settings: { maxAttempts: 1, requestTimeoutMs: 1000, httpAgent: new Agent(), httpsAgent: new HttpsAgent() },
    rates: { cloudtrail: rate, s3: rate, kms: rate, sts: rate, ec2: rate, organizations: rate, account: rate },
    stsRegion: 'us-east-1',
  };
}

describe('collect: read-only by construction', () => {
  it('declares only Describe/Get/List/Lookup operations, each with an IAM action of its service', () => {
    expect(OPERATIONS.length).to.be.greaterThan(15);
    for (const o of OPERATIONS) {
      expect(isReadOnlyName(o.name), o.name).to.equal(true);
      expect(o.action.startsWith(`${o.service}:`), o.action).to.equal(true);
      expect(o.action.split(':')[1]).to.match(/^(Describe|Get|List|Lookup)[A-Z]/);
    }
    expect(isReadOnlyName('Getaway')).to.equal(false);
    expect(isReadOnlyName('DeleteTrail')).to.equal(false);
  });

  it('generates the minimal IAM policy: one Allow of the sorted, distinct declared actions', () => {
    const policy = JSON.parse(iamPolicy()) as { Version: string; Statement: { Effect: string; Action: string[]; Resource: string }[] };
    expect(policy.Version).to.equal('2012-10-17');
    expect(policy.Statement).to.have.length(1);
    const actions = policy.Statement[0].Action;
    expect(actions).to.deep.equal([...new Set(OPERATIONS.map((o) => o.action))].sort());
    expect(actions).to.include.members(['cloudtrail:DescribeTrails', 's3:GetBucketPublicAccessBlock', 's3:ListAllMyBuckets', 'kms:GetKeyPolicy']);
    expect(actions.some((a) => a.includes('*'))).to.equal(false);
  });

  it('prints exactly the generated policy in the README, so the two cannot drift', () => {
    const text = readFileSync(README, 'utf8');
    const m = /<!-- iam-policy:start -->\s*```json\n([\s\S]*?)\n```\s*<!-- iam-policy:end -->/.exec(text);
    expect(m, 'README.md has the iam-policy markers around a json block').to.not.equal(null);
    expect(m![1]).to.equal(iamPolicy());
  });

  it('refuses to call an operation that is not declared, or is not a read, before anything is sent', async () => {
    const session = new Session(runtime(), async () => ({ accessKeyId: 'x', secretAccessKey: 'y' }), MGMT);
    for (const [service, operation] of [
      ['cloudtrail', 'DeleteTrail'],
      ['cloudtrail', 'StopLogging'],
      ['cloudtrail', 'ListTrails'],
      ['s3', 'PutBucketPolicy'],
      ['kms', 'ScheduleKeyDeletion'],
      ['sts', 'AssumeRole'],
    ] as const) {
      let thrown: unknown;
      try {
        await call(session, 'us-east-1', service, operation);
      } catch (err) {
        thrown = err;
      }
      expect(thrown, `${service}:${operation}`).to.be.instanceOf(Error);
      expect((thrown as Error).message).to.contain('may not call');
    }
    expect(() => declaredOperation('cloudtrail', 'DescribeTrails')).not.to.throw();
  });

  it('makes no call outside the declared list in a full multi-account collection (as the endpoint saw it)', async () => {
    const { fake } = await runCollect(orgScenario(), { accounts: [MGMT, LOGS, MEMBER], roleName: ROLE });
    const declared = new Set([...OPERATIONS, ...CREDENTIAL_OPERATIONS].map((o) => `${o.service}:${o.name}`));
    const made = new Set(fake.calls.map((c) => `${c.service}:${c.operation}`));
    expect([...made].filter((m) => !declared.has(m))).to.deep.equal([]);
    // The only operation not named Describe/Get/List is the credential exchange the SDK makes.
    expect([...made].filter((m) => !isReadOnlyName(m.split(':')[1]))).to.deep.equal(['sts:AssumeRole']);
  });

  // A bucket named like an S3 Express directory bucket (`--x-s3`) made the S3 client call
  // s3express:CreateSession on its own before each read: an operation nobody declared.
  it('makes no s3express:CreateSession for a bucket named like a directory bucket', async () => {
    const scenario = orgScenario();
    const bucket = 'logs--use1-az4--x-s3';
    scenario.trails = scenario.trails.filter((t) => t.account === MGMT).map((t) => ({ ...t, bucket }));
    scenario.buckets = [{ name: bucket, account: MGMT, region: 'us-east-1' }];
    const { fake } = await runCollect(scenario, { regions: ['us-east-1', 'eu-west-1'] });
    const declared = new Set([...OPERATIONS, ...CREDENTIAL_OPERATIONS].map((o) => `${o.service}:${o.name}`));
    // Reads of such a bucket are signed for s3express (its endpoint wants that); what matters is which operation.
    const made = new Set(fake.calls.map((c) => `${c.service === 's3express' ? 's3' : c.service}:${c.operation}`));
    expect([...made].filter((m) => !declared.has(m))).to.deep.equal([]);
    expect(fake.calls.filter((c) => c.resource === bucket).length).to.be.greaterThan(0);
  });

  it('loads no AWS SDK package when the CLI and the collector are imported, only when a client is needed', () => {
    const watch = new URL('./sdk-watch.mjs', import.meta.url).pathname;
    const run = (code: string) =>
      spawnSync(process.execPath, ['--import', watch, '--import', 'tsx', '--input-type=module', '-e', code], { cwd: new URL('../..', import.meta.url).pathname, encoding: 'utf8' });
    const cli = run("await import('./src/cli/program.ts'); await import('./src/collect/index.ts'); console.log('ok')");
    expect(cli.stdout.trim()).to.equal('ok');
    expect(cli.stderr).not.to.contain('AWS-SDK-RESOLVED');
    const used = run("const { Sdk } = await import('./src/collect/sdk.ts'); await new Sdk().module('kms'); console.log('ok')");
    expect(used.stderr).to.contain('AWS-SDK-RESOLVED @aws-sdk/client-kms');
  });

  it('never imports the AWS SDK statically from src/ (a snapshot scan must not load it)', () => {
    const offenders: string[] = [];
    const walk = (dir: string): void => {
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        const p = join(dir, e.name);
        if (e.isDirectory()) walk(p);
        else if (p.endsWith('.ts')) {
          const src = readFileSync(p, 'utf8');
          for (const line of src.split('\n')) {
            if (/^\s*import\s+(?!type\b)[^('"]*from\s+['"]@aws-sdk\//.test(line) || /^\s*import\s+['"]@aws-sdk\//.test(line)) offenders.push(`${p}: ${line.trim()}`);
          }
        }
      }
    };
    walk(new URL('../../src', import.meta.url).pathname);
    expect(offenders).to.deep.equal([]);
  });
});
