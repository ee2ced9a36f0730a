/**
 * Remediation commands are filled with the subject's values so they can be copied and run. A
 * hand-written inventory can hold any text, so a value that is not shell-safe is never pasted
 * into a command: the placeholder is left for the user to fill in.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { parse } from 'yaml';
import { cli, REPO, tempDir } from '../helpers/cli.ts';
import { evaluate } from '../../src/engine/evaluate.ts';
import { parseInventory } from '../../src/inventory/parse.ts';
import { mergeInventories } from '../../src/inventory/merge.ts';
import { loadRules } from '../../src/rules/load.ts';

const rules = loadRules().filter((r) => r.meta.id === 'bucket-access-logging');

function remediationFor(bucket: string): string | undefined {
  const inventory = {
    version: 1,
    accounts: [
      {
        accountId: '111122223333',
        regions: ['us-east-1'],
        trails: [{ Trail: { Name: 'main', TrailARN: 'arn:aws:cloudtrail:us-east-1:111122223333:trail/main', HomeRegion: 'us-east-1', S3BucketName: bucket } }],
      },
    ],
    buckets: { [bucket]: { Region: 'us-east-1', Logging: {} } },
  };
  const merged = mergeInventories([parseInventory(JSON.stringify(inventory), 'inv.json')]).inventory;
  const [r] = evaluate(rules, merged);
  expect(r.status).to.equal('fail');
  return r.remediation;
}

describe('remediation commands', () => {
  it('fill in AWS names as they are', () => {
    expect(remediationFor('acme-trail-logs.eu')).to.include('--bucket acme-trail-logs.eu ');
  });

  // The last five are no shell injection, but the AWS CLI would take them as an option, a file to
  // load, or (v1, by default) a URL to fetch, whose answer becomes the bucket name.
  for (const hostile of ["logs'; touch /tmp/pwned; echo '", 'logs $(id)', 'logs`id`', 'a b', 'logs"x', 'logs\nrm -rf ~', '--debug', 'file:///etc/passwd', 'FILEB://x', 'https://evil.example/b', 'http://169.254.169.254/latest/meta-data/']) {
    it(`leave a placeholder for ${JSON.stringify(hostile)}`, () => {
      const command = remediationFor(hostile)!;
      expect(command).to.include('--bucket <Trail.S3BucketName> ');
      expect(command).to.not.include(hostile);
    });
  }
});

describe('kms-key-rotation remediation', () => {
  it('offers enable-key-rotation for a key that can rotate, and no command for imported key material, which KMS refuses to rotate', () => {
    const fixture = parse(readFileSync(join(REPO, 'test/fixtures/rules/kms-key-rotation/cases.yaml'), 'utf8')) as { inventory: unknown };
    const inventory = mergeInventories([parseInventory(JSON.stringify(fixture.inventory), 'inv.json')]).inventory;
    const byName = new Map(evaluate(loadRules().filter((r) => r.meta.id === 'kms-key-rotation'), inventory).map((r) => [r.subject.name, r]));
    expect(byName.get('static')?.remediation).to.equal('aws kms enable-key-rotation --key-id arn:aws:kms:us-east-1:470000000001:key/00000000-0000-0000-0000-000000000002 --region us-east-1');
    for (const name of ['imported', 'imported-unread']) {
      expect(byName.get(name)?.status, name).to.equal('fail');
      expect(byName.get(name)?.remediation, name).to.equal(undefined);
    }
  });
});

describe('a trail without Trail.Name', () => {
  it('is named from its TrailARN in messages and commands, never as a literal {Trail.Name}', () => {
    const inventory = {
      version: 1,
      accounts: [{ accountId: '111122223333', regions: ['us-east-1'], trails: [{ Trail: { TrailARN: 'arn:aws:cloudtrail:us-east-1:111122223333:trail/nameless', HomeRegion: 'us-east-1' } }] }],
    };
    const merged = mergeInventories([parseInventory(JSON.stringify(inventory), 'inv.json')]).inventory;
    const results = evaluate(loadRules(), merged);
    const validation = results.find((r) => r.ruleId === 'log-file-validation')!;
    expect(validation.message).to.equal('trail nameless does not validate its log files (LogFileValidationEnabled is not true)');
    expect(validation.remediation).to.equal('aws cloudtrail update-trail --name arn:aws:cloudtrail:us-east-1:111122223333:trail/nameless --region us-east-1 --enable-log-file-validation');
    for (const r of results) expect(`${r.message} ${r.remediation ?? ''}`, r.ruleId).to.not.include('{Trail.Name');
  });

  // A hand-written `Name: ""` printed as nothing: "trail  does not validate ...", and a text
  // report header and a SARIF resource path with an empty name.
  it('is named so too when its Name is empty, in messages, the text report and SARIF', async () => {
    const inventory = { version: 1, accounts: [{ accountId: '111122223333', regions: ['us-east-1'], trails: [{ Trail: { Name: '', TrailARN: 'arn:aws:cloudtrail:us-east-1:111122223333:trail/e1', HomeRegion: 'us-east-1', S3BucketName: 'b' } }] }] };
    const merged = mergeInventories([parseInventory(JSON.stringify(inventory), 'inv.json')]).inventory;
    const results = evaluate(loadRules(), merged);
    expect(results.find((r) => r.ruleId === 'log-file-validation')!.message).to.equal('trail e1 does not validate its log files (LogFileValidationEnabled is not true)');
    for (const r of results) expect(r.message, r.ruleId).to.not.match(/trail {2}|trail ,|trail \(/);
    const dir = tempDir();
    // Piped in: SARIF then names the resource by a path of its own (aws/<account>/<region>/trail/<name>).
    const run = await cli(['scan', '--snapshot', '-', '--only', 'log-file-validation', '--format', 'text', '--format', 'sarif=r.sarif'], { cwd: dir, stdin: JSON.stringify(inventory) });
    expect(run.stdout).to.include('trail arn:aws:cloudtrail:us-east-1:111122223333:trail/e1 (us-east-1): trail e1 does not validate');
    const uris = JSON.parse(readFileSync(join(dir, 'r.sarif'), 'utf8')).runs[0].results.map((r: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }) => r.locations[0].physicalLocation.artifactLocation.uri);
    expect(uris).to.deep.equal(['aws/111122223333/us-east-1/trail/e1']);
  });

  it('is named by its ARN in the built-in rules\' messages when its Name is empty, as when it has none', () => {
    const arn = (n: string) => `arn:aws:cloudtrail:us-east-1:111122223333:trail/${n}`;
    const inventory = {
      version: 1,
      accounts: [{ accountId: '111122223333', regions: ['us-east-1'], trails: [{ Trail: { Name: '', TrailARN: arn('e1'), HomeRegion: 'us-east-1', S3BucketName: 'b' } }, { Trail: { Name: '', TrailARN: arn('e2'), HomeRegion: 'us-east-1' } }] }],
      buckets: { b: { Exists: false } },
    };
    const merged = mergeInventories([parseInventory(JSON.stringify(inventory), 'inv.json')]).inventory;
    const delivery = evaluate(loadRules(), merged).filter((r) => r.ruleId === 'bucket-delivery');
    expect(delivery.map((r) => r.message)).to.have.length(2);
    expect(delivery[0].message).to.equal(`bucket b does not exist, so CloudTrail has nowhere to deliver the logs of trail ${arn('e1')}`);
    expect(delivery[1].message).to.include(`the S3BucketName of trail ${arn('e2')} is not in the inventory`);
  });

  it('nor without Trail.HomeRegion: the region comes from its TrailARN', () => {
    const inventory = { version: 1, accounts: [{ accountId: '111122223333', regions: ['eu-west-1'], trails: [{ Trail: { Name: 't1', TrailARN: 'arn:aws:cloudtrail:eu-west-1:111122223333:trail/t1' } }] }] };
    const merged = mergeInventories([parseInventory(JSON.stringify(inventory), 'inv.json')]).inventory;
    const validation = evaluate(loadRules(), merged).find((r) => r.ruleId === 'log-file-validation')!;
    expect(validation.remediation).to.equal('aws cloudtrail update-trail --name arn:aws:cloudtrail:eu-west-1:111122223333:trail/t1 --region eu-west-1 --enable-log-file-validation');
  });
});

describe('the commands the rules give', () => {
  const all = loadRules();
  /** Each command of a rule: a string, or one per failed condition; `a && b` is two. */
  const commandsOf = (cli: string | Record<string, string> | undefined): string[] =>
    (cli === undefined ? [] : typeof cli === 'string' ? [cli] : Object.values(cli)).flatMap((c) => c.split(' && '));

  it('name the region every CloudTrail and KMS call must be sent to', () => {
    // CloudTrail changes a trail only in its home region, and KMS serves a key only in its own (a
    // replica's rotation is the primary key's, served in the primary's region).
    let seen = 0;
    for (const rule of all) {
      for (const command of commandsOf(rule.meta.remediation.cli)) {
        if (!/^aws (cloudtrail|kms) /.test(command)) continue;
        seen++;
        expect(command, rule.meta.id).to.match(/ --region (\{region\}|\{facts\.keyRegion\}|<home-region>|\{Key\.KeyMetadata\.MultiRegionConfiguration\.PrimaryKey\.Region\|<primary-key-region>\})( |$)/);
      }
    }
    expect(seen).to.be.greaterThan(15);
  });

  it('send a KMS command to the key\'s region, which need not be the trail\'s, naming the key by its ARN (KMS takes no alias there)', () => {
    const inventory = {
      version: 1,
      accounts: [
        {
          accountId: '111122223333',
          regions: ['us-east-1'],
          trails: [{ Trail: { Name: 'main', TrailARN: 'arn:aws:cloudtrail:us-east-1:111122223333:trail/main', HomeRegion: 'us-east-1', KmsKeyId: 'arn:aws:kms:eu-west-1:111122223333:alias/trail' } }],
        },
      ],
      keys: { 'arn:aws:kms:eu-west-1:111122223333:key/k1': { KeyMetadata: { Arn: 'arn:aws:kms:eu-west-1:111122223333:key/k1', KeyState: 'Enabled', KeyManager: 'CUSTOMER' }, KeyRotationEnabled: false, Aliases: ['alias/trail'] } },
    };
    const merged = mergeInventories([parseInventory(JSON.stringify(inventory), 'inv.json')]).inventory;
    const rotation = evaluate(all.filter((r) => r.meta.id === 'kms-key-rotation'), merged)[0];
    expect(rotation.status).to.equal('fail');
    expect(rotation.remediation).to.equal('aws kms enable-key-rotation --key-id arn:aws:kms:eu-west-1:111122223333:key/k1 --region eu-west-1');
  });

  it('for S3 data events leave the trail passing both S3 data-event rules, whichever is applied last', () => {
    const s3 = all.filter((r) => r.meta.id.startsWith('s3-data-events-'));
    expect(s3.map((r) => r.meta.id)).to.deep.equal(['s3-data-events-read', 's3-data-events-write']);
    for (const fix of s3) {
      const selectors = JSON.parse(/--advanced-event-selectors '(.*)'$/.exec(fix.meta.remediation.cli as string)![1]);
      const inventory = {
        version: 1,
        accounts: [
          {
            accountId: '111122223333',
            regions: ['us-east-1'],
            trails: [
              {
                Trail: { Name: 'main', TrailARN: 'arn:aws:cloudtrail:us-east-1:111122223333:trail/main', HomeRegion: 'us-east-1', IsMultiRegionTrail: true, HasCustomEventSelectors: true },
                Status: { IsLogging: true },
                AdvancedEventSelectors: selectors,
              },
            ],
          },
        ],
      };
      const merged = mergeInventories([parseInventory(JSON.stringify(inventory), 'inv.json')]).inventory;
      const statuses = evaluate([...s3, ...all.filter((r) => r.meta.id === 'multi-region-trail')], merged).map((r) => `${r.ruleId} ${r.status}`);
      expect(statuses, `after the fix of ${fix.meta.id}`).to.deep.equal(['s3-data-events-read pass', 's3-data-events-write pass', 'multi-region-trail pass']);
    }
  });
});

/**
 * Each way a built-in rule fails gets the command that fixes that failure, with the trail's
 * values in it: never one command for every failure (a bucket policy cannot turn Requester Pays
 * off, a key policy cannot enable a key).
 */
describe('the command for each kind of failure', () => {
  const ACCOUNT = '111122223333';
  const TRAIL_ARN = `arn:aws:cloudtrail:eu-west-1:${ACCOUNT}:trail/main`;
  const byId = new Map(loadRules().map((r) => [r.meta.id, r]));

  /** The one result of a rule for a trail `main`, homed in eu-west-1, with the given extra trail fields, buckets, keys and errors. */
  function resultOf(ruleId: string, inv: { trail?: Record<string, unknown>; buckets?: Record<string, unknown>; keys?: Record<string, unknown>; errors?: unknown[] }) {
    const inventory = {
      version: 1,
      accounts: [{ accountId: ACCOUNT, regions: ['eu-west-1'], trails: [{ Trail: { Name: 'main', TrailARN: TRAIL_ARN, HomeRegion: 'eu-west-1', ...inv.trail }, Status: { IsLogging: true } }] }],
      ...(inv.buckets ? { buckets: inv.buckets } : {}),
      ...(inv.keys ? { keys: inv.keys } : {}),
      ...(inv.errors ? { errors: inv.errors } : {}),
    };
    const merged = mergeInventories([parseInventory(JSON.stringify(inventory), 'inv.json')]).inventory;
    const results = evaluate([byId.get(ruleId)!], merged);
    expect(results, ruleId).to.have.length(1);
    return results[0];
  }

  describe('bucket-delivery', () => {
    const DELIVERY_POLICY = (bucket: string) =>
      JSON.stringify({
        Statement: [{ Effect: 'Allow', Principal: { Service: 'cloudtrail.amazonaws.com' }, Action: ['s3:GetBucketAcl', 's3:PutObject'], Resource: [`arn:aws:s3:::${bucket}`, `arn:aws:s3:::${bucket}/*`] }],
      });
    const DENYING_POLICY = JSON.stringify({ Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 's3:*', Resource: '*' }] });
    const cases: [string, string, Record<string, unknown>, string | undefined][] = [
      [
        'a bucket that does not exist: made again, then given its policy',
        'logs-b',
        { Exists: false },
        'aws s3 mb s3://logs-b --region eu-west-1 && aws s3api put-bucket-policy --bucket logs-b --policy file://policy.json',
      ],
      ['a Requester Pays bucket whose policy lets CloudTrail in', 'logs-b', { Region: 'eu-west-1', RequestPayer: 'Requester', Policy: DELIVERY_POLICY('logs-b') }, 'aws s3api put-bucket-request-payment --bucket logs-b --request-payment-configuration Payer=BucketOwner'],
      ['a bucket without a policy', 'logs-b', { Region: 'eu-west-1', RequestPayer: 'BucketOwner', Policy: null }, 'aws s3api put-bucket-policy --bucket logs-b --policy file://policy.json'],
      ['a policy that allows CloudTrail nothing', 'logs-b', { Region: 'eu-west-1', RequestPayer: 'BucketOwner', Policy: DENYING_POLICY }, 'aws s3api put-bucket-policy --bucket logs-b --policy file://policy.json'],
      [
        'a Requester Pays bucket without a policy: both fixes, in turn',
        'logs-b',
        { Region: 'eu-west-1', RequestPayer: 'Requester', Policy: null },
        'aws s3api put-bucket-request-payment --bucket logs-b --request-payment-configuration Payer=BucketOwner && aws s3api put-bucket-policy --bucket logs-b --policy file://policy.json',
      ],
      [
        'a bucket that does not exist, named what no shell should run',
        'logs b;id',
        { Exists: false },
        'aws s3 mb s3://<Trail.S3BucketName> --region eu-west-1 && aws s3api put-bucket-policy --bucket <Trail.S3BucketName> --policy file://policy.json',
      ],
    ];
    // Made again in the trail's region, the bucket would be in another region than the key, which CloudTrail refuses.
    it('a bucket that does not exist, for a trail with a KMS key in another region: made in the key\'s region', () => {
      const key = `arn:aws:kms:us-west-2:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
      const r = resultOf('bucket-delivery', { trail: { S3BucketName: 'logs-b', KmsKeyId: key }, buckets: { 'logs-b': { Exists: false } } });
      expect(r.status, r.message).to.equal('fail');
      expect(r.remediation).to.equal('aws s3 mb s3://logs-b --region us-west-2 && aws s3api put-bucket-policy --bucket logs-b --policy file://policy.json');
    });
    // NoSuchBucketForKey only for a key in another region: one in the trail's region asks nothing
    // more, and a rule's map written before the kind existed keeps its command there. With the key
    // elsewhere, such a map gives none, rather than a bucket in the wrong region.
    it('a rule of its own whose map names only NoSuchBucket: its command for a key in the trail\'s region, none for a key elsewhere', () => {
      const file = join(tempDir(), 'mine.yaml');
      writeFileSync(
        file,
        'id: my-delivery\ntitle: T\nseverity: high\nscope: trail\ndescription: d\nreads: [Trail, Status, Bucket, Bucket.Policy, Bucket.RequestPayer, Key]\nbuiltin: bucket-delivery\n' +
          'remediation:\n  text: x\n  cli:\n    NoSuchBucket: aws s3 mb s3://{Trail.S3BucketName} --region {region}\n    RequesterPays: r\n    BucketPolicy: p\n',
      );
      const [mine] = loadRules({ builtin: false, paths: [file] });
      const judged = (keyRegion: string) => {
        const key = `arn:aws:kms:${keyRegion}:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
        const inventory = { version: 1, accounts: [{ accountId: ACCOUNT, regions: ['eu-west-1'], trails: [{ Trail: { Name: 'main', TrailARN: TRAIL_ARN, HomeRegion: 'eu-west-1', S3BucketName: 'logs-b', KmsKeyId: key }, Status: { IsLogging: true } }] }], buckets: { 'logs-b': { Exists: false } } };
        const [r] = evaluate([mine], mergeInventories([parseInventory(JSON.stringify(inventory), 'inv.json')]).inventory);
        expect(r.status, r.message).to.equal('fail');
        return r.remediation;
      };
      expect(judged('eu-west-1')).to.equal('aws s3 mb s3://logs-b --region eu-west-1');
      expect(judged('us-west-2')).to.equal(undefined);
    });
    for (const [name, bucket, entry, command] of cases) {
      it(`${name}: ${command ?? 'no command'}`, () => {
        const r = resultOf('bucket-delivery', { trail: { S3BucketName: bucket }, buckets: { [bucket]: entry } });
        expect(r.status, r.message).to.equal('fail');
        expect(r.remediation).to.equal(command);
      });
    }
  });

  describe('bucket-not-public', () => {
    const ACL = (grantee: string) => ({ Owner: { ID: 'o' }, Grants: [{ Grantee: { Type: 'CanonicalUser', ID: 'o' }, Permission: 'FULL_CONTROL' }, ...(grantee ? [{ Grantee: { Type: 'Group', URI: `http://acs.amazonaws.com/groups/global/${grantee}` }, Permission: 'READ' }] : [])] });
    const PUBLIC_POLICY = JSON.stringify({ Statement: [{ Sid: 'Everyone', Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::logs-b/*' }] });
    const PUT_ACL = 'aws s3api put-bucket-acl --bucket logs-b --acl private';
    const PUT_POLICY = 'aws s3api put-bucket-policy --bucket logs-b --policy file://policy.json';
    // Block Public Access would leave each grant in place (the finding stands): each kind gets the
    // call that removes it, the ACL's first when both are public.
    const cases: [string, Record<string, unknown>, string][] = [
      ['an ACL grant to everyone', { Region: 'eu-west-1', Acl: ACL('AllUsers'), Policy: null }, PUT_ACL],
      ['a policy statement open to everyone', { Region: 'eu-west-1', Acl: ACL(''), Policy: PUBLIC_POLICY }, PUT_POLICY],
      ['S3 calling the policy public', { Region: 'eu-west-1', Acl: ACL(''), Policy: null, PolicyStatus: { IsPublic: true } }, PUT_POLICY],
      ['both', { Region: 'eu-west-1', Acl: ACL('AuthenticatedUsers'), Policy: PUBLIC_POLICY }, `${PUT_ACL} && ${PUT_POLICY}`],
    ];
    for (const [name, entry, command] of cases) {
      it(`${name}: ${command}`, () => {
        const r = resultOf('bucket-not-public', { trail: { S3BucketName: 'logs-b' }, buckets: { 'logs-b': entry } });
        expect(r.status, r.message).to.equal('fail');
        expect(r.remediation).to.equal(command);
      });
    }
  });

  describe('kms-key-usable', () => {
    const KEY = `arn:aws:kms:eu-west-1:${ACCOUNT}:key/k1`;
    const OTHER_REGION_KEY = `arn:aws:kms:us-west-2:${ACCOUNT}:key/mrk-1`;
    const POLICY = { Statement: [{ Effect: 'Allow', Principal: { Service: 'cloudtrail.amazonaws.com' }, Action: ['kms:GenerateDataKey*', 'kms:DescribeKey'], Resource: '*' }] };
    const key = (metadata: Record<string, unknown>, policy: unknown = POLICY, arn = KEY) => ({ [arn]: { KeyMetadata: { Arn: arn, KeyManager: 'CUSTOMER', KeySpec: 'SYMMETRIC_DEFAULT', KeyUsage: 'ENCRYPT_DECRYPT', KeyState: 'Enabled', ...metadata }, Policy: policy } });
    const ANOTHER_KEY = `aws cloudtrail update-trail --name ${TRAIL_ARN} --region eu-west-1 --kms-key-id <symmetric-key-arn-in-bucket-region>`;
    const PUT_POLICY = `aws kms put-key-policy --key-id ${KEY} --region eu-west-1 --policy-name default --policy file://key-policy.json`;
    const ENABLE = `aws kms enable-key --key-id ${KEY} --region eu-west-1`;
    const cases: [string, Record<string, unknown>, string | undefined, string?][] = [
      ['a Disabled key', key({ KeyState: 'Disabled', Enabled: false }), ENABLE],
      ['a key that says only Enabled: false', key({ KeyState: undefined, Enabled: false }), ENABLE],
      ['a key scheduled for deletion', key({ KeyState: 'PendingDeletion' }), `aws kms cancel-key-deletion --key-id ${KEY} --region eu-west-1 && ${ENABLE}`],
      [
        'a key waiting for its imported key material',
        key({ KeyState: 'PendingImport', Origin: 'EXTERNAL' }),
        `aws kms import-key-material --key-id ${KEY} --region eu-west-1 --encrypted-key-material fileb://EncryptedKeyMaterial.bin --import-token fileb://ImportToken.bin --expiration-model KEY_MATERIAL_DOES_NOT_EXPIRE`,
      ],
      [
        'a key in a disconnected custom key store',
        key({ KeyState: 'Unavailable', Origin: 'AWS_CLOUDHSM', CustomKeyStoreId: 'cks-1234567890abcdef0' }),
        'aws kms connect-custom-key-store --custom-key-store-id cks-1234567890abcdef0 --region eu-west-1',
      ],
      ['a key still being created, which no one command fixes', key({ KeyState: 'Creating' }), undefined],
      ['an asymmetric key', key({ KeySpec: 'RSA_2048' }), ANOTHER_KEY],
      ['an HMAC key', key({ KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' }), ANOTHER_KEY],
      ['a key in a region other than the bucket\'s', key({ MultiRegion: false }, POLICY, OTHER_REGION_KEY), ANOTHER_KEY, OTHER_REGION_KEY],
      ['a key whose policy does not let CloudTrail in', key({}, { Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'kms:*', Resource: '*' }] }), PUT_POLICY],
      ['a key without a key policy', key({}, null), PUT_POLICY],
      // KMS refuses put-key-policy (and enable-key) for an AWS managed key: only another key helps.
      [
        'an AWS managed key whose policy does not let CloudTrail in',
        key({ KeyManager: 'AWS' }, { Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'kms:*', Resource: '*' }] }),
        `aws cloudtrail update-trail --name ${TRAIL_ARN} --region eu-west-1 --kms-key-id <customer-managed-key-arn-in-bucket-region>`,
      ],
      ['a Disabled key without a key policy: both fixes, in turn', key({ KeyState: 'Disabled' }, null), `${ENABLE} && ${PUT_POLICY}`],
      ['a Disabled asymmetric key without a key policy: only another key helps', key({ KeyState: 'Disabled', KeySpec: 'RSA_2048' }, null), ANOTHER_KEY],
      [
        "a Disabled multi-Region key: enabled in the key's region, not the trail's",
        key({ KeyState: 'Disabled', MultiRegion: true }, POLICY, OTHER_REGION_KEY),
        `aws kms enable-key --key-id ${OTHER_REGION_KEY} --region us-west-2`,
        OTHER_REGION_KEY,
      ],
    ];
    for (const [name, keys, command, keyId = KEY] of cases) {
      it(`${name}: ${command ?? 'no command'}`, () => {
        const r = resultOf('kms-key-usable', { trail: { S3BucketName: 'logs', KmsKeyId: keyId }, buckets: { logs: { Region: 'eu-west-1' } }, keys });
        expect(r.status, r.message).to.equal('fail');
        expect(r.remediation).to.equal(command);
      });
    }

    it(`a key that does not exist: ${ANOTHER_KEY}`, () => {
      const errors = [{ accountId: ACCOUNT, region: 'eu-west-1', service: 'kms', operation: 'DescribeKey', resource: KEY, code: 'NotFoundException' }];
      const r = resultOf('kms-key-usable', { trail: { S3BucketName: 'logs', KmsKeyId: KEY }, buckets: { logs: { Region: 'eu-west-1' } }, errors });
      expect(r.status, r.message).to.equal('fail');
      expect(r.remediation).to.equal(ANOTHER_KEY);
    });
  });

  describe('kms-key-rotation, by the key\'s Origin', () => {
    const KEY = `arn:aws:kms:eu-west-1:${ACCOUNT}:key/k1`;
    // KMS rotates only key material it made itself; it refuses enable-key-rotation for the others.
    const cases: [string, string | undefined][] = [
      ['AWS_KMS', `aws kms enable-key-rotation --key-id ${KEY} --region eu-west-1`],
      ['EXTERNAL', undefined],
      ['AWS_CLOUDHSM', undefined],
      ['EXTERNAL_KEY_STORE', undefined],
    ];
    for (const [origin, command] of cases) {
      it(`${origin}: ${command ?? 'no command'}`, () => {
        const keys = { [KEY]: { KeyMetadata: { Arn: KEY, KeyManager: 'CUSTOMER', KeySpec: 'SYMMETRIC_DEFAULT', KeyState: 'Enabled', Origin: origin }, KeyRotationEnabled: false } };
        const r = resultOf('kms-key-rotation', { trail: { KmsKeyId: KEY }, keys });
        expect(r.status, r.message).to.equal('fail');
        expect(r.remediation).to.equal(command);
      });
    }
  });

  it("kms-key-rotation for a multi-Region replica: enable-key-rotation on its primary key, in the primary's region", () => {
    // KMS manages a replica's rotation only on its primary key, and refuses it on the replica.
    const REPLICA = `arn:aws:kms:eu-west-1:${ACCOUNT}:key/mrk-1`;
    const PRIMARY = `arn:aws:kms:us-east-2:${ACCOUNT}:key/mrk-1`;
    const metadata = { Arn: REPLICA, KeyManager: 'CUSTOMER', KeySpec: 'SYMMETRIC_DEFAULT', KeyState: 'Enabled', Origin: 'AWS_KMS', MultiRegion: true };
    const MultiRegionConfiguration = { MultiRegionKeyType: 'REPLICA', PrimaryKey: { Arn: PRIMARY, Region: 'us-east-2' } };
    const r = resultOf('kms-key-rotation', { trail: { KmsKeyId: REPLICA }, keys: { [REPLICA]: { KeyMetadata: { ...metadata, MultiRegionConfiguration }, KeyRotationEnabled: false } } });
    expect(r.status, r.message).to.equal('fail');
    expect(r.remediation).to.equal(`aws kms enable-key-rotation --key-id ${PRIMARY} --region us-east-2`);
    // A primary key is fixed on itself.
    const primary = resultOf('kms-key-rotation', { trail: { KmsKeyId: PRIMARY }, keys: { [PRIMARY]: { KeyMetadata: { ...metadata, Arn: PRIMARY, MultiRegionConfiguration: { ...MultiRegionConfiguration, MultiRegionKeyType: 'PRIMARY' } }, KeyRotationEnabled: false } } });
    expect(primary.remediation).to.equal(`aws kms enable-key-rotation --key-id ${PRIMARY} --region us-east-2`);
  });

  it('are given by the shipped rules for every kind their built-in names, but the one no command fixes', () => {
    // A key in a passing state (Creating, PendingReplicaDeletion) is waited for, or left.
    const noCommand: Record<string, string[]> = { 'kms-key-usable': ['KeyState'] };
    for (const rule of byId.values()) {
      if (rule.assertion.kind !== 'builtin' || rule.assertion.builtin.failures === undefined) continue;
      const cli = rule.meta.remediation.cli;
      expect(cli, rule.meta.id).to.be.an('object');
      const kinds = Object.keys(rule.assertion.builtin.failures).filter((k) => !(noCommand[rule.meta.id] ?? []).includes(k));
      expect(Object.keys(cli as object), rule.meta.id).to.have.members(kinds);
    }
  });

  it('in a rule of your own that leaves a kind out, give that kind no command, alone or beside others', () => {
    const dir = tempDir();
    writeFileSync(
      join(dir, 'delivery.yaml'),
      'id: my-delivery\ntitle: T\nseverity: high\nscope: trail\ndescription: d\nreads: [Trail, Status, Bucket, Bucket.Policy, Bucket.RequestPayer, Key]\nbuiltin: bucket-delivery\n' +
        'remediation:\n  text: t\n  cli:\n    RequesterPays: turn-requester-pays-off {Trail.S3BucketName}\n',
    );
    const [rule] = loadRules({ builtin: false, paths: [join(dir, 'delivery.yaml')] });
    const inventory = {
      version: 1,
      accounts: [
        {
          accountId: ACCOUNT,
          regions: ['eu-west-1'],
          trails: ['gone', 'payer', 'payer-no-policy'].map((b) => ({ Trail: { Name: b, TrailARN: `arn:aws:cloudtrail:eu-west-1:${ACCOUNT}:trail/${b}`, HomeRegion: 'eu-west-1', S3BucketName: b }, Status: { IsLogging: true } })),
        },
      ],
      buckets: {
        gone: { Exists: false },
        payer: { Region: 'eu-west-1', RequestPayer: 'Requester', Policy: JSON.stringify({ Statement: [{ Effect: 'Allow', Principal: { Service: 'cloudtrail.amazonaws.com' }, Action: 's3:*', Resource: '*' }] }) },
        'payer-no-policy': { Region: 'eu-west-1', RequestPayer: 'Requester', Policy: null },
      },
    };
    const merged = mergeInventories([parseInventory(JSON.stringify(inventory), 'inv.json')]).inventory;
    const commands = Object.fromEntries(evaluate([rule], merged).map((r) => [r.subject.name, `${r.status} ${r.remediation ?? 'none'}`]));
    expect(commands).to.deep.equal({ gone: 'fail none', payer: 'fail turn-requester-pays-off payer', 'payer-no-policy': 'fail none' });
  });
});

describe('a command placeholder with no value', () => {
  it('is left as the blank the rule help shows, <Trail.KmsKeyId>, never as the template text {Trail.KmsKeyId}', () => {
    const dir = tempDir();
    // A rule that asks for a key's rotation without first choosing trails that have a key.
    writeFileSync(
      join(dir, 'rotation.yaml'),
      'id: my-rotation\ntitle: T\nseverity: medium\nscope: trail\ndescription: d\nreads: [Trail, Key]\n' +
        'remediation:\n  text: t\n  cli:\n    Key.KeyRotationEnabled: aws kms enable-key-rotation --key-id {Trail.KmsKeyId} --region {facts.keyRegion|us-east-1}\n' +
        'check:\n  Key.KeyRotationEnabled: { const: true }\n',
    );
    const [rule] = loadRules({ builtin: false, paths: [join(dir, 'rotation.yaml')] });
    const inventory = { version: 1, accounts: [{ accountId: '111122223333', regions: ['us-east-1'], trails: [{ Trail: { Name: 'plain', TrailARN: 'arn:aws:cloudtrail:us-east-1:111122223333:trail/plain', HomeRegion: 'us-east-1' } }] }] };
    const [r] = evaluate([rule], mergeInventories([parseInventory(JSON.stringify(inventory), 'inv.json')]).inventory);
    expect(r.status).to.equal('fail');
    // A fallback the rule gives is still what it prints.
    expect(r.remediation).to.equal('aws kms enable-key-rotation --key-id <Trail.KmsKeyId> --region us-east-1');
  });
});
