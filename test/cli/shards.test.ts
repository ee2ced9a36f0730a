/**
 * A member account's shard and the log-archive account's shard, scanned together (README
 * "Inventory format"): the member read the archive's bucket and key with its own credentials and
 * holds only part of them, with the denied reads in its errors; the archive holds them whole.
 * Together they are judged as one inventory collected with both accounts would be.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { cli, tempDir } from '../helpers/cli.ts';

const MEMBER = '111111111111';
const ARCHIVE = '222222222222';
const TRAIL_ARN = `arn:aws:cloudtrail:us-east-1:${MEMBER}:trail/main`;
const KEY = `arn:aws:kms:us-east-1:${ARCHIVE}:key/0b8c1f6e-1111-4222-8333-944445555666`;
const CLOUDTRAIL = { Service: 'cloudtrail.amazonaws.com' };

const TRAIL = { Name: 'main', TrailARN: TRAIL_ARN, HomeRegion: 'us-east-1', IsMultiRegionTrail: true, S3BucketName: 'archive-logs', KmsKeyId: KEY };
const memberAccount = { accountId: MEMBER, regions: ['us-east-1'], trails: [{ Trail: TRAIL, Status: { IsLogging: true } }] };
const archiveAccount = { accountId: ARCHIVE, regions: ['us-east-1'], trails: [] };

/** What the member could read of the bucket and key (S3 answers MethodNotAllowed for a policy read from outside the owner's account). */
const partialBucket = { Region: 'us-east-1', Acl: { Owner: { ID: 'c2' }, Grants: [] }, Versioning: { Status: 'Enabled' } };
const partialKey = { KeyMetadata: { Arn: KEY, KeyManager: 'CUSTOMER', KeySpec: 'SYMMETRIC_DEFAULT', KeyUsage: 'ENCRYPT_DECRYPT', KeyState: 'Enabled' }, KeyRotationEnabled: true };
const denied = (service: string, operation: string, resource: string, code: string) => ({ accountId: MEMBER, region: 'us-east-1', service, operation, resource, code });
const memberErrors = [
  denied('s3', 'GetBucketPolicy', 'archive-logs', 'MethodNotAllowed'),
  denied('s3', 'GetBucketPolicyStatus', 'archive-logs', 'MethodNotAllowed'),
  denied('s3', 'GetPublicAccessBlock', 'archive-logs', 'AccessDenied'),
  denied('s3', 'GetBucketRequestPayment', 'archive-logs', 'AccessDenied'),
  denied('kms', 'GetKeyPolicy', KEY, 'AccessDeniedException'),
];

/** The bucket and key as their owner reads them. */
const fullBucket = {
  ...partialBucket,
  RequestPayer: 'BucketOwner',
  PublicAccessBlock: { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true },
  PolicyStatus: { IsPublic: false },
  Policy: JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Allow', Principal: CLOUDTRAIL, Action: 's3:GetBucketAcl', Resource: 'arn:aws:s3:::archive-logs' },
      { Effect: 'Allow', Principal: CLOUDTRAIL, Action: 's3:PutObject', Resource: `arn:aws:s3:::archive-logs/AWSLogs/${MEMBER}/*` },
    ],
  }),
};
const fullKey = { ...partialKey, Policy: JSON.stringify({ Statement: [{ Effect: 'Allow', Principal: CLOUDTRAIL, Action: ['kms:GenerateDataKey*', 'kms:DescribeKey'], Resource: '*' }] }) };

const COLLECTED = '2026-11-20T02:00:00Z';
const SHARDS = {
  'member.json': { version: 1, collectedAt: COLLECTED, accounts: [memberAccount], buckets: { 'archive-logs': partialBucket }, keys: { [KEY]: partialKey }, errors: memberErrors },
  'log-archive.json': { version: 1, collectedAt: COLLECTED, accounts: [archiveAccount], buckets: { 'archive-logs': fullBucket }, keys: { [KEY]: fullKey } },
  // One run that scanned both accounts reads the bucket and key with the owner's credentials.
  'whole.json': { version: 1, collectedAt: COLLECTED, accounts: [memberAccount, archiveAccount], buckets: { 'archive-logs': fullBucket }, keys: { [KEY]: fullKey } },
};

/** The verdicts of the delivery rules, as `[rule, trail, status, message, evidence]` (where each points in the input aside). */
async function verdicts(dir: string, files: string[]): Promise<{ code: number; stderr: string; results: string[][] }> {
  const r = await cli(['scan', ...files.flatMap((f) => ['--snapshot', f]), '--only', 'bucket-delivery,kms-key-usable', '--format', 'json'], { cwd: dir });
  const results = r.stdout === '' ? [] : (JSON.parse(r.stdout) as { results: { ruleId: string; resource: string; status: string; message: string; evidence: unknown }[] }).results;
  return { code: r.code, stderr: r.stderr, results: results.map((x) => [x.ruleId, x.resource, x.status, x.message, JSON.stringify(x.evidence)]) };
}

describe('scanning a member shard with the log-archive shard', () => {
  it('judges the bucket and key the member could only partly read as one inventory of both accounts does, in either order', async () => {
    const dir = tempDir();
    for (const [name, inventory] of Object.entries(SHARDS)) writeFileSync(join(dir, name), JSON.stringify(inventory, null, 2));
    const whole = await verdicts(dir, ['whole.json']);
    expect(whole.stderr).to.equal('');
    expect(whole.results.map(([rule, arn, status]) => [rule, arn, status])).to.deep.equal([
      ['bucket-delivery', TRAIL_ARN, 'pass'],
      ['kms-key-usable', TRAIL_ARN, 'pass'],
    ]);
    for (const order of [
      ['member.json', 'log-archive.json'],
      ['log-archive.json', 'member.json'],
    ]) {
      const merged = await verdicts(dir, order);
      expect(merged.stderr, order.join(' ')).to.equal('');
      expect(merged.code, order.join(' ')).to.equal(whole.code);
      expect(merged.results, order.join(' ')).to.deep.equal(whole.results);
    }
    // The member's shard on its own cannot say: the reads it was denied make the rules `error`.
    const alone = await verdicts(dir, ['member.json']);
    expect(alone.results.map(([rule, , status]) => `${rule} ${status}`)).to.deep.equal(['bucket-delivery error', 'kms-key-usable error']);
  });
});
