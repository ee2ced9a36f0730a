/** Credentials: a run that cannot start says so, secrets never appear, endpoints come from the environment. */
import { expect } from 'chai';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { tempDir } from '../helpers/cli.ts';
import { collect, type CollectOptions } from '../../src/collect/index.ts';
import { unreachableHint } from '../../src/collect/account-hints.ts';
import { CollectionError, InputError } from '../../src/errors.ts';
import { PARTITIONS } from '../../src/inventory/partition.ts';
import { principalFor } from '../fake-aws/scenario.ts';
import { FIXED_NOW, runCollect, withFake } from './harness.ts';
import { LOGS, MEMBER, MGMT, orgScenario, ROLE } from './world.ts';

async function rejection(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected a rejection');
}

/**
 * Points the SDK at a config whose profile `audit` assumes the role in LOGS through `role_arn`,
 * from the management account's keys in profile `base`: the chain then makes its own STS client.
 */
function useRoleArnProfile(): void {
  const dir = tempDir();
  const p = principalFor(MGMT);
  writeFileSync(join(dir, 'config'), `[profile audit]\nregion = us-east-1\nrole_arn = arn:aws:iam::${LOGS}:role/${ROLE}\nsource_profile = base\n[profile base]\nregion = us-east-1\n`);
  writeFileSync(join(dir, 'credentials'), `[base]\naws_access_key_id = ${p.accessKeyId}\naws_secret_access_key = ${p.secretAccessKey}\n`);
  process.env.AWS_CONFIG_FILE = join(dir, 'config');
  process.env.AWS_SHARED_CREDENTIALS_FILE = join(dir, 'credentials');
}

describe('collect: credentials', () => {
  it('fails to start with a CollectionError when there are no credentials at all', async () => {
    const err = await rejection(runCollect(orgScenario(), {}, { principal: null }));
    expect(err).to.be.instanceOf(CollectionError);
    expect(err.message).to.match(/^no usable AWS credentials/);
  });

  it('names the --profile whose credentials could not be loaded', async () => {
    const err = await rejection(runCollect(orgScenario(), { profile: 'nosuch' }, { principal: null }));
    expect(err).to.be.instanceOf(CollectionError);
    expect(err.message).to.match(/^no usable AWS credentials from profile nosuch: /);
  });

  // The SDK's chain ends with "Could not load credentials from any providers", whether the profile
  // is misspelt, gives nothing, or none is set: the message said neither what nor where.
  it('says where credentials were looked for, and whether the profile in force exists', async () => {
    const none = await rejection(runCollect(orgScenario(), {}, { principal: null }));
    expect(none.message).to.equal(
      'no usable AWS credentials: none in the environment (AWS_ACCESS_KEY_ID), /nonexistent/trailgate-test-aws-config, /nonexistent/trailgate-test-aws-credentials, a web identity, container or instance role; run `aws configure` (or `aws configure sso`), or name a profile with --profile',
    );
    const flag = await rejection(runCollect(orgScenario(), { profile: 'nosuch' }, { principal: null }));
    expect(flag.message).to.equal('no usable AWS credentials from profile nosuch: there is no profile nosuch in /nonexistent/trailgate-test-aws-config or /nonexistent/trailgate-test-aws-credentials; `aws configure list-profiles` lists those there');
    const env = await rejection(runCollect(orgScenario(), {}, { principal: null, env: { AWS_PROFILE: 'nosuch' } }));
    expect(env.message).to.match(/^no usable AWS credentials from profile nosuch \(AWS_PROFILE\): there is no profile nosuch in /);
    const dir = tempDir();
    writeFileSync(join(dir, 'config'), '[profile empty]\nregion = us-east-1\n[sso-session nosuch]\nsso_region = us-east-1\n');
    writeFileSync(join(dir, 'credentials'), '[other]\naws_access_key_id = x\n');
    const files = { AWS_CONFIG_FILE: join(dir, 'config'), AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials') };
    const empty = await rejection(runCollect(orgScenario(), { profile: 'empty' }, { principal: null, env: files }));
    expect(empty.message).to.equal('no usable AWS credentials from profile empty: the profile gives no credentials the AWS SDK could use (its keys, source_profile, credential_process or SSO settings); `aws sts get-caller-identity --profile empty` shows why');
    // An sso-session section is no profile.
    const session = await rejection(runCollect(orgScenario(), { profile: 'nosuch' }, { principal: null, env: files }));
    expect(session.message).to.contain('there is no profile nosuch in');
  });

  // The SDK reads an empty profile as none: the collection went on with the keys in the environment.
  it('refuses an empty profile, role ARN, external id or role name before any call, whoever built the options', async () => {
    const cases: [CollectOptions, string][] = [
      [{ profile: '' }, '--profile'],
      [{ roleArn: '' }, '--role-arn'],
      [{ roleArn: `arn:aws:iam::${MGMT}:role/${ROLE}`, externalId: '' }, '--external-id'],
      [{ accounts: [LOGS], roleName: '' }, '--role-name'],
    ];
    for (const [options, flag] of cases) {
      const err = await rejection(runCollect(orgScenario(), options));
      expect(err, flag).to.be.instanceOf(InputError);
      expect(err.message).to.match(new RegExp(`^${flag}: the value is empty; `));
    }
  });

  it('fails to start with a CollectionError when the credentials are refused', async () => {
    const stranger = { ...principalFor('555555555555'), accessKeyId: 'AKIAUNKNOWN0000000' };
    const err = await rejection(runCollect(orgScenario(), {}, { principal: stranger }));
    expect(err).to.be.instanceOf(CollectionError);
    expect(err.message).to.contain('refused');
  });

  it('says the endpoint cannot be reached, not that the credentials were refused, when STS does not answer', async () => {
    const err = await rejection(runCollect(orgScenario(), {}, { env: { AWS_ENDPOINT_URL_STS: 'http://127.0.0.1:1' } }));
    expect(err).to.be.instanceOf(CollectionError);
    expect(err.message).to.match(/^cannot reach AWS STS .*: ECONNREFUSED: /);
    expect(err.message).not.to.contain('refused:');
  });

  it('does not blame the credentials when STS answers with a server error or something that is not AWS', async () => {
    const cases = [
      [500, '<ErrorResponse><Error><Code>InternalFailure</Code><Message>oops</Message></Error></ErrorResponse>', /^AWS STS could not check the credentials \(sts:GetCallerIdentity failed; check the region and the endpoint\): InternalFailure: /],
      [200, '<html>a web server</html>', /^sts:GetCallerIdentity returned no account/],
    ] as const;
    for (const [status, body, expected] of cases) {
      const server = createServer((_req, res) => {
        res.writeHead(status, { 'content-type': 'text/xml' });
        res.end(body);
      });
      await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
      try {
        const { port } = server.address() as AddressInfo;
        const err = await rejection(runCollect(orgScenario(), {}, { env: { AWS_ENDPOINT_URL_STS: `http://127.0.0.1:${port}`, AWS_MAX_ATTEMPTS: '1' } }));
        expect(err).to.be.instanceOf(CollectionError);
        expect(err.message, String(status)).to.match(expected);
        expect(err.message).not.to.contain('credentials were refused');
      } finally {
        server.close();
      }
    }
  });

  it('says the endpoint is not a URL, without quoting it (it may hold a password), when AWS_ENDPOINT_URL_STS is malformed', async () => {
    const err = await rejection(runCollect(orgScenario(), {}, { env: { AWS_ENDPOINT_URL_STS: 'http://user:s3cret@[bad' } }));
    expect(err).to.be.instanceOf(CollectionError);
    expect(err.message).to.match(/^the AWS endpoint is not a valid URL \(check AWS_ENDPOINT_URL/);
    expect(err.message).not.to.contain('s3cret');
  });

  // AWS_REGION=us-east1 failed as "cannot reach AWS STS ... (is the endpoint right?)", after the
  // retries; a GovCloud role ARN with STS in us-east-1 as an AccessDenied that named no partition.
  it('refuses, before any call, an STS region that is no region name and a --role-arn of another partition than it', async () => {
    const cases: [Record<string, string>, CollectOptions, string][] = [
      [{ AWS_REGION: 'us-east1' }, {}, 'AWS_REGION: "us-east1" is not an AWS region name (such as us-east-1); trailgate asks STS there who the credentials are'],
      [{ AWS_DEFAULT_REGION: 'useast1' }, {}, 'AWS_DEFAULT_REGION: "useast1" is not an AWS region name (such as us-east-1); trailgate asks STS there who the credentials are'],
      [{}, { profile: 'typo' }, 'the region of profile typo: "eu-west1" is not an AWS region name (such as us-east-1); trailgate asks STS there who the credentials are'],
      // A real region of a partition trailgate does not audit is named as such, not as "no region name".
      [{ AWS_REGION: 'eusc-de-east-1' }, {}, 'AWS_REGION: "eusc-de-east-1" is a region of the AWS partition aws-eusc, which trailgate does not support; it audits aws, aws-us-gov, aws-cn'],
      [
        {},
        { roleArn: `arn:aws-us-gov:iam::${MEMBER}:role/${ROLE}` },
        `--role-arn arn:aws-us-gov:iam::${MEMBER}:role/${ROLE}: a role of the aws-us-gov partition is assumed only through STS in that partition, but STS is called in us-east-1 (aws, as no region is configured); set AWS_REGION to a region of aws-us-gov, with credentials of that partition`,
      ],
      [
        { AWS_REGION: 'cn-north-1' },
        { roleArn: `arn:aws:iam::${MEMBER}:role/${ROLE}` },
        `--role-arn arn:aws:iam::${MEMBER}:role/${ROLE}: a role of the aws partition is assumed only through STS in that partition, but STS is called in cn-north-1 (aws-cn, from AWS_REGION); set AWS_REGION to a region of aws, with credentials of that partition`,
      ],
    ];
    for (const [env, options, message] of cases) {
      const dir = tempDir();
      writeFileSync(join(dir, 'config'), '[profile typo]\nregion = eu-west1\naws_access_key_id = AKIAFAKE111111111111\naws_secret_access_key = x\n');
      const err = await rejection(
        withFake(orgScenario(), () => {
          // No endpoint override: the names go to AWS itself, where they cannot work.
          delete process.env.AWS_ENDPOINT_URL;
          delete process.env.AWS_REGION;
          process.env.AWS_CONFIG_FILE = join(dir, 'config');
          Object.assign(process.env, env);
          return collect({ ...options, now: () => FIXED_NOW, maxAttempts: 1 });
        }),
      );
      expect(err, message).to.be.instanceOf(InputError);
      expect(err.message).to.equal(message);
    }
  });

  it('says where STS refused the keys as unknown: us-east-1 by default (GovCloud and China keys), or a region that may not be enabled', async () => {
    const stranger = { ...principalFor('555555555555'), accessKeyId: 'AKIAUNKNOWN0000000' };
    const byDefault = await rejection(withFake(orgScenario(), () => (delete process.env.AWS_REGION, collect({ maxAttempts: 1 })), {}, stranger));
    expect(byDefault.message).to.equal(
      'the AWS credentials were refused: InvalidClientTokenId: The security token included in the request is invalid. (asked in us-east-1, as no region is configured: keys of AWS GovCloud (US) or China need AWS_REGION set to a region of their partition)',
    );
    const optIn = await rejection(runCollect(orgScenario(), { maxAttempts: 1 }, { env: { AWS_REGION: 'ap-east-1' } }));
    expect(optIn.message).to.equal(
      'the AWS credentials were refused: InvalidClientTokenId: The security token included in the request is invalid. (asked in ap-east-1, from AWS_REGION: if the account has not enabled that region, STS there refuses every key; use an enabled region)',
    );
  });

  it('sends the user to the network, not to an endpoint they never set, when STS cannot be reached; and says a proxy variable is not used', () => {
    expect(unreachableHint(true, {})).to.equal('is the endpoint right?');
    expect(unreachableHint(false, {})).to.equal('check the network');
    expect(unreachableHint(false, { https_proxy: 'http://proxy:3128' })).to.equal('check the network; trailgate connects directly, HTTPS_PROXY and HTTP_PROXY are not used');
  });

  it('fails to start when the organization cannot be listed (not the management account)', async () => {
    const scenario = orgScenario();
    scenario.principals.push(principalFor(MEMBER));
    const err = await rejection(runCollect(scenario, { organization: true, roleName: ROLE }, { principal: principalFor(MEMBER) }));
    expect(err).to.be.instanceOf(CollectionError);
    expect(err.message).to.contain('AccessDeniedException');
    expect(err.message).to.match(/\(--organization runs in the management account or a delegated administrator account; from a member account, name the accounts with --accounts\)$/);
  });

  it('says to drop --organization when the account is in no organization', async () => {
    const scenario = orgScenario();
    delete scenario.organization;
    const err = await rejection(runCollect(scenario, { organization: true, roleName: ROLE }));
    expect(err).to.be.instanceOf(CollectionError);
    expect(err.message).to.equal(
      'cannot list the accounts of the organization: AWSOrganizationsNotInUseException: Your account is not a member of an organization. (the account is in no organization: drop --organization, and name the accounts to audit with --accounts)',
    );
  });

  it('refuses a caller in a partition the inventory format does not know (aws-iso*, aws-eusc) right after GetCallerIdentity', async () => {
    for (const partition of ['aws-eusc', 'aws-iso-b']) {
      const principal = { ...principalFor(MGMT), arn: `arn:${partition}:iam::${MGMT}:user/auditor` };
      const scenario = orgScenario();
      scenario.principals = [principal];
      let calls: string[] = [];
      const err = await rejection(
        withFake(
          scenario,
          (fake) =>
            collect({ now: () => FIXED_NOW }).finally(() => {
              calls = fake.calls.map((c) => `${c.service}:${c.operation}`);
            }),
          {},
          principal,
        ),
      );
      expect(err).to.be.instanceOf(CollectionError);
      expect(err.message).to.equal(`the credentials are in the AWS partition ${partition} (arn:${partition}:iam::${MGMT}:user/auditor), which trailgate does not support; it audits aws, aws-us-gov, aws-cn`);
      expect(calls).to.deep.equal(['sts:GetCallerIdentity']);
    }
  });

  it('supports exactly the partitions the inventory schema allows', () => {
    const schema = JSON.parse(readFileSync(new URL('../../schemas/inventory.schema.json', import.meta.url), 'utf8'));
    expect(schema.properties.partition.enum).to.deep.equal(PARTITIONS);
  });

  it('rejects options that cannot work before calling AWS', async () => {
    for (const options of [{ accounts: ['12345'] }, { organization: true }, { accounts: [MEMBER] }, { regions: ['Mars'] }, { concurrency: 0 }]) {
      const err = await rejection(withFake(orgScenario(), () => collect(options)));
      expect(err, JSON.stringify(options)).to.be.instanceOf(InputError);
    }
  });

  it('assumes --role-arn first and works as that role', async () => {
    const { inventory, fake } = await runCollect(orgScenario(), { roleArn: `arn:aws:iam::${MEMBER}:role/${ROLE}` });
    expect(inventory.accounts.map((a) => a.accountId)).to.deep.equal([MEMBER]);
    expect(fake.calls.filter((c) => c.operation === 'AssumeRole')).to.have.length(1);
  });

  it('never puts a secret key or session token in the inventory, the progress lines or an error', async () => {
    const scenario = orgScenario();
    scenario.accounts.find((a) => a.id === LOGS)!.roles = [];
    const { inventory, fake, progress } = await runCollect(scenario, { accounts: [MGMT, LOGS, MEMBER], roleName: ROLE });
    const secrets = [principalFor(MGMT).secretAccessKey, ...[...fake.world.issued.values()].flatMap((c) => [c.secretAccessKey, c.sessionToken])];
    expect(secrets.length).to.be.greaterThan(2);
    const text = JSON.stringify(inventory) + progress.join('\n');
    for (const s of secrets) expect(text).not.to.contain(s);
    const err = await rejection(runCollect(orgScenario(), { roleArn: `arn:aws:iam::${LOGS}:role/Nope` }));
    expect(err.message).not.to.contain(principalFor(MGMT).secretAccessKey);
  });
});

describe('collect: an endpoint that quotes the request', () => {
  // Emulators, proxies and some AWS APIs (IncompleteSignature) quote the Authorization header or
  // the request's credentials in their error message, which used to go into errors[] as it was.
  it('never records the signature, the secret key, the session token or an endpoint password in errors[]', async () => {
    const p = principalFor(MGMT);
    const scenario = orgScenario();
    scenario.accounts.find((a) => a.id === LOGS)!.roles = [];
    const quoting = (service: string, operation: string) => ({
      kind: 'error' as const,
      service,
      operation,
      status: 400,
      code: 'IncompleteSignatureException',
      message:
        `'AWS4-HMAC-SHA256 Credential=${p.accessKeyId}/20261121/us-east-1/${service}/aws4_request, SignedHeaders=host;x-amz-date, ` +
        `Signature=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef' x-amz-security-token:IQoJb3JpZ2luX2VjEXAMPLE ` +
        `secret ${p.secretAccessKey} via https://user:hunter2hunter2@proxy.example:8443/ X-Amz-Signature=feedface&X-Amz-Security-Token=IQoJEXAMPLE2`,
    });
    const { inventory, fake } = await runCollect(scenario, { accounts: [MGMT, MEMBER], roleName: ROLE, regions: ['us-east-1'] }, { fake: { faults: [quoting('cloudtrail', 'DescribeTrails'), quoting('kms', 'DescribeKey')] } });
    const token = [...fake.world.issued.values()].map((c) => c.sessionToken).join(' ');
    const messages = inventory.errors!.filter((e) => e.code === 'IncompleteSignatureException').map((e) => e.message ?? '');
    expect(messages.length).to.be.greaterThan(1);
    const text = JSON.stringify(inventory);
    for (const secret of [p.secretAccessKey, p.accessKeyId, '0123456789abcdef0123456789abcdef', 'IQoJb3JpZ2luX2VjEXAMPLE', 'IQoJEXAMPLE2', 'hunter2hunter2', 'feedface', ...token.split(' ')]) {
      expect(text, secret).not.to.contain(secret);
    }
    expect(messages[0]).to.contain('Signature=[redacted]').and.to.contain('https://[redacted]@proxy.example');
  });

  it('never records them when the server quotes the request in the error code either', async () => {
    const p = principalFor(MGMT);
    const quoted = `x-amz-security-token: IQoJb3JpZ2luX2VjEXAMPLE Authorization: AWS4-HMAC-SHA256 Credential=${p.accessKeyId}/20261121/us-east-1/ec2/aws4_request, Signature=0123456789abcdef0123456789abcdef`;
    const faults = [
      { kind: 'accessDenied' as const, service: 'account' },
      { kind: 'error' as const, service: 'ec2', operation: 'DescribeRegions', status: 400, code: quoted },
    ];
    const { inventory } = await runCollect(orgScenario(), {}, { fake: { faults } });
    const failed = inventory.errors!.find((e) => e.operation === 'DescribeRegions');
    expect(failed?.code).to.equal(`x-amz-security-token: [redacted] Authorization: AWS4-HMAC-SHA256 Credential=[redacted], Signature=[redacted]`);
    const text = JSON.stringify(inventory);
    for (const secret of [p.accessKeyId, 'IQoJb3JpZ2luX2VjEXAMPLE', '0123456789abcdef']) expect(text, secret).not.to.contain(secret);
  });

  it('redacts the session token of an assumed role when the server quotes it', async () => {
    const scenario = orgScenario();
    const { fake } = await runCollect(scenario, { accounts: [MEMBER], roleName: ROLE, regions: ['us-east-1'] });
    // The fake issues credentials deterministically: the same world issues the same token again.
    const issued = [...fake.world.issued.values()].filter((c) => c.sessionToken.length >= 16);
    expect(issued.length).to.be.greaterThan(0);
    const faults = issued.map((c) => ({ kind: 'error' as const, service: 'cloudtrail', operation: 'DescribeTrails', status: 400, code: 'Echo', message: `token ${c.sessionToken} key ${c.secretAccessKey}` }));
    const again = await runCollect(orgScenario(), { accounts: [MEMBER], roleName: ROLE, regions: ['us-east-1'] }, { fake: { faults } });
    const secrets = [...again.fake.world.issued.values()].flatMap((c) => [c.secretAccessKey, c.sessionToken]);
    const text = JSON.stringify(again.inventory);
    expect(again.inventory.errors!.some((e) => e.code === 'Echo')).to.equal(true);
    for (const s of secrets) expect(text).not.to.contain(s);
  });
});

describe('collect: endpoints and output', () => {
  it('honours AWS_ENDPOINT_URL_<SERVICE> over AWS_ENDPOINT_URL', async () => {
    await withFake(orgScenario(), async (fake) => {
      const perService: Record<string, string> = {};
      for (const s of ['CLOUDTRAIL', 'S3', 'KMS', 'STS', 'ORGANIZATIONS', 'ACCOUNT', 'EC2']) perService[`AWS_ENDPOINT_URL_${s}`] = fake.url;
      Object.assign(process.env, perService, { AWS_ENDPOINT_URL: 'http://127.0.0.1:9' });
      try {
        const inventory = await collect({ now: () => FIXED_NOW, maxAttempts: 1 });
        expect(inventory.accounts[0].trails).to.have.length(2);
      } finally {
        for (const k of Object.keys(perService)) delete process.env[k];
      }
    });
  });

  /** Shared config files with a profile `audit` holding the management account's keys and the fake's endpoint. */
  function useAuditProfile(url: string): void {
    const dir = tempDir();
    const p = principalFor(MGMT);
    writeFileSync(join(dir, 'config'), `[profile audit]\nregion = us-east-1\nendpoint_url = ${url}\n`);
    writeFileSync(join(dir, 'credentials'), `[audit]\naws_access_key_id = ${p.accessKeyId}\naws_secret_access_key = ${p.secretAccessKey}\n`);
    delete process.env.AWS_ENDPOINT_URL;
    process.env.AWS_CONFIG_FILE = join(dir, 'config');
    process.env.AWS_SHARED_CREDENTIALS_FILE = join(dir, 'credentials');
  }

  // STS was called in us-east-1 unless AWS_REGION said otherwise: a GovCloud profile's keys were "refused".
  it('calls STS in the region of the --profile when the environment names none (a GovCloud profile)', async () => {
    const principal = { ...principalFor(MGMT), arn: `arn:aws-us-gov:iam::${MGMT}:user/auditor` };
    const scenario = { principals: [principal], accounts: [{ id: MGMT, regions: [{ name: 'us-gov-west-1', status: 'ENABLED_BY_DEFAULT' }, { name: 'us-gov-east-1', status: 'ENABLED_BY_DEFAULT' }] }], trails: [], buckets: [], keys: [] };
    await withFake(
      scenario as unknown as ReturnType<typeof orgScenario>,
      async (fake) => {
        const dir = tempDir();
        writeFileSync(join(dir, 'config'), `[profile gov]\nregion = us-gov-west-1\nendpoint_url = ${fake.url}\n`);
        writeFileSync(join(dir, 'credentials'), `[gov]\naws_access_key_id = ${principal.accessKeyId}\naws_secret_access_key = ${principal.secretAccessKey}\n`);
        delete process.env.AWS_ENDPOINT_URL;
        delete process.env.AWS_REGION;
        process.env.AWS_CONFIG_FILE = join(dir, 'config');
        process.env.AWS_SHARED_CREDENTIALS_FILE = join(dir, 'credentials');
        const inventory = await collect({ profile: 'gov', now: () => FIXED_NOW, maxAttempts: 1 });
        expect(inventory.partition).to.equal('aws-us-gov');
        expect(fake.calls.filter((c) => c.service === 'sts').map((c) => c.region)).to.deep.equal(['us-gov-west-1']);
      },
      {},
      null,
    );
  });

  it('uses a --profile from the shared config files, with its endpoint_url (S3 then by path)', async () => {
    await withFake(
      orgScenario(),
      async (fake) => {
        useAuditProfile(fake.url);
        const inventory = await collect({ profile: 'audit', now: () => FIXED_NOW, maxAttempts: 1 });
        expect(inventory.accounts[0].accountId).to.equal(MGMT);
        expect(inventory.buckets!['mgmt-logs-eu']).to.include({ Region: 'eu-west-1' });
      },
      {},
      null,
    );
  });

  // In CI that exported keys, a --profile made the SDK print nine lines naming AWS_PROFILE, which
  // nobody had set; one line of trailgate's own says which credentials are used.
  it('says in one line of its own that a --profile wins over keys in the environment', async () => {
    await withFake(
      orgScenario(),
      async (fake) => {
        useAuditProfile(fake.url);
        process.env.AWS_ACCESS_KEY_ID = 'AKIAENVIRONMENTKEY01';
        process.env.AWS_SECRET_ACCESS_KEY = 'not-the-profile-secret';
        const warned: unknown[] = [];
        const warn = console.warn;
        console.warn = (...args: unknown[]) => void warned.push(args);
        const progress: string[] = [];
        try {
          const inventory = await collect({ profile: 'audit', now: () => FIXED_NOW, maxAttempts: 1 }, (l) => progress.push(l));
          expect(inventory.accounts[0].accountId).to.equal(MGMT);
        } finally {
          console.warn = warn;
          delete process.env.AWS_ACCESS_KEY_ID;
          delete process.env.AWS_SECRET_ACCESS_KEY;
        }
        expect(warned).to.deep.equal([]);
        expect(progress).to.include('warning: credentials come from --profile audit; AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, also set, are not used');
      },
      {},
      null,
    );
  });

  // A profile's role_arn is assumed by the SDK's credential chain, with an STS client of its own:
  // on a clock 4 minutes or more off AWS's, the SDK's signer marked its refusal as clock skew, and
  // it was asked as many times as that client allows, as trailgate's own clients once did.
  it('asks a refused AssumeRole of a profile\'s role_arn once on a skewed clock, as trailgate\'s own clients do', async () => {
    const scenario = orgScenario();
    scenario.accounts.find((a) => a.id === LOGS)!.roles = [];
    await withFake(
      scenario,
      async (fake) => {
        useRoleArnProfile();
        const e = await rejection(collect({ profile: 'audit', now: () => FIXED_NOW, maxAttempts: 8 }));
        expect(e).to.be.instanceOf(CollectionError);
        expect(e.message).to.match(/^no usable AWS credentials from profile audit: AccessDenied: /);
        expect(fake.calls.filter((c) => c.operation === 'AssumeRole')).to.have.length(1);
      },
      { clockOffsetMs: 600_000 },
      null,
    );
  });

  // The STS client the SDK's credential chain makes for a profile's role_arn had neither trailgate's
  // request timeout nor its bound on attempts that timed out: a hung AssumeRole was waited for as
  // long as it did not answer (a minute of the fake's latency: a minute, with a 100 ms timeout).
  it('gives up a hung AssumeRole of a profile\'s role_arn after two request timeouts, as trailgate\'s own clients do', async () => {
    await withFake(
      orgScenario(),
      async (fake) => {
        useRoleArnProfile();
        const e = await rejection(collect({ profile: 'audit', now: () => FIXED_NOW, maxAttempts: 8, requestTimeoutMs: 100 }));
        expect(e).to.be.instanceOf(CollectionError);
        expect(e.message).to.match(/^cannot get AWS credentials from profile audit: AWS did not answer \(check the network, and any endpoint set in AWS_ENDPOINT_URL or the AWS config\): TimeoutError: /);
        expect(fake.calls.filter((c) => c.operation === 'AssumeRole')).to.have.length(2);
      },
      { faults: [{ kind: 'latency', ms: 1_000, service: 'sts', operation: 'AssumeRole' }] },
      null,
    );
  });

  // The same for the other clients of the chain given trailgate's clientConfig: the STS client of
  // a web identity token (AWS_WEB_IDENTITY_TOKEN_FILE) and the SSO client of an SSO profile. Both
  // calls are unsigned, which the fake refuses: an endpoint that never answers stands in for it.
  it('gives up a hung AssumeRoleWithWebIdentity (AWS_WEB_IDENTITY_TOKEN_FILE) or SSO GetRoleCredentials after two request timeouts', async () => {
    let seen: string[] = [];
    // It closes the connection after a second: without a timeout the test fails then, not at mocha's.
    const server = createServer((req, res) => {
      seen.push(req.url ?? '');
      setTimeout(() => res.destroy(), 1_000).unref();
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const dir = tempDir();
      writeFileSync(join(dir, 'token'), 'header.payload.signature');
      const web = await rejection(
        runCollect(orgScenario(), { maxAttempts: 8, requestTimeoutMs: 100 }, { principal: null, env: { AWS_ENDPOINT_URL: url, AWS_WEB_IDENTITY_TOKEN_FILE: join(dir, 'token'), AWS_ROLE_ARN: `arn:aws:iam::${MGMT}:role/${ROLE}` } }),
      );
      expect(web).to.be.instanceOf(CollectionError);
      expect(web.message).to.match(/^cannot get AWS credentials: AWS did not answer \(.*\): TimeoutError: /);
      expect(seen).to.have.length(2);
      seen = [];
      const start = 'https://example.awsapps.com/start';
      writeFileSync(join(dir, 'config'), `[profile sso]\nregion = us-east-1\nsso_start_url = ${start}\nsso_region = eu-west-1\nsso_account_id = ${MGMT}\nsso_role_name = ${ROLE}\n`);
      mkdirSync(join(dir, '.aws', 'sso', 'cache'), { recursive: true });
      const cached = join(dir, '.aws', 'sso', 'cache', `${createHash('sha1').update(start).digest('hex')}.json`);
      writeFileSync(cached, JSON.stringify({ accessToken: 'not-a-token', expiresAt: new Date(Date.now() + 3_600_000).toISOString(), region: 'eu-west-1', startUrl: start }));
      const sso = await rejection(runCollect(orgScenario(), { profile: 'sso', maxAttempts: 8, requestTimeoutMs: 100 }, { principal: null, env: { AWS_ENDPOINT_URL: url, AWS_CONFIG_FILE: join(dir, 'config'), HOME: dir } }));
      expect(sso).to.be.instanceOf(CollectionError);
      // fromSSO wraps the SDK's error in one of its own.
      expect(sso.message).to.match(/^cannot get AWS credentials from profile sso: AWS did not answer \(.*\): CredentialsProviderError: TimeoutError: /);
      expect(seen).to.have.length(2);
      expect(seen[0]).to.match(/^\/federation\/credentials\?/);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });

  it('is deterministic: the same world collected twice, with jittered latency, gives the same inventory', async () => {
    const options = { accounts: [MEMBER, MGMT, LOGS], roleName: ROLE };
    const a = await runCollect(orgScenario(), options, { fake: { latencyMs: [0, 5] } });
    const b = await runCollect(orgScenario(), options, { fake: { latencyMs: [0, 5] } });
    expect(JSON.stringify(b.inventory)).to.equal(JSON.stringify(a.inventory));
    expect(Object.keys(a.inventory.buckets!)).to.deep.equal([...Object.keys(a.inventory.buckets!)].sort());
  });
});
