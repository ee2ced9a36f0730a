/**
 * A condition on a whole bucket or key (`Bucket: { properties: { Versioning: ... } }`) needs the
 * reads of the fields it looks at, as the paths to those fields do, and sees the policy as the
 * parsed document, as `Bucket.Policy` paths do.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { evaluate } from '../../src/engine/evaluate.ts';
import { parseInventory } from '../../src/inventory/parse.ts';
import { loadRules } from '../../src/rules/load.ts';
import { tempDir } from '../helpers/cli.ts';

const ACCOUNT = '111122223333';
const KEY_ARN = `arn:aws:kms:us-east-1:${ACCOUNT}:key/k1`;
const PUBLIC = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::logs-1/*' }] });

const HEAD = 'title: t\nseverity: high\nscope: trail\ndescription: d\nremediation: { text: x }\n';
const RULES: Record<string, string> = {
  'bucket-versioning': 'reads: [Trail, Bucket]\ncheck:\n  Bucket:\n    properties: { Versioning: { properties: { Status: { const: Enabled } }, required: [Status] } }\n',
  'bucket-few-fields': 'reads: [Trail, Bucket]\ncheck:\n  Bucket: { maxProperties: 20 }\n',
  'bucket-not-public': 'reads: [Trail, Bucket]\ncheck:\n  Bucket:\n    properties: { Policy: { properties: { Statement: { not: { contains: { properties: { Principal: { const: "*" } }, required: [Principal] } } } } } }\n',
  'key-rotates': 'reads: [Trail, Key]\ncheck:\n  Key: { properties: { KeyRotationEnabled: { const: true } } }\n',
};

interface Case {
  buckets?: Record<string, unknown>;
  key?: Record<string, unknown>;
  errors?: { operation: string; resource: string }[];
}

function run(c: Case): Record<string, string> {
  const dir = tempDir();
  for (const [id, body] of Object.entries(RULES)) writeFileSync(join(dir, `${id}.yaml`), `id: ${id}\n${HEAD}${body}`);
  const rules = loadRules({ builtin: false, paths: [dir], cwd: dir });
  const inventory = {
    version: 1,
    accounts: [{ accountId: ACCOUNT, regions: ['us-east-1'], trails: [{ Trail: { Name: 't1', TrailARN: `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/t1`, HomeRegion: 'us-east-1', S3BucketName: 'logs-1', KmsKeyId: KEY_ARN } }] }],
    buckets: c.buckets ?? {},
    keys: { [KEY_ARN]: { KeyMetadata: { Arn: KEY_ARN, KeyId: 'k1', KeyState: 'Enabled' }, ...c.key } },
    errors: (c.errors ?? []).map((e) => ({ accountId: ACCOUNT, region: 'us-east-1', service: e.operation.includes('Key') ? 'kms' : 's3', code: 'AccessDenied', message: 'denied', ...e })),
  };
  const { inventory: inv } = parseInventory(JSON.stringify(inventory), 'inv.json');
  return Object.fromEntries(evaluate(rules, inv).map((r) => [r.ruleId, r.status === 'error' ? `error: ${r.failedReads?.map((f) => f.operation).join(', ')}` : r.status]));
}

const READ_BUCKET = { Region: 'us-east-1', Acl: { Owner: { ID: 'abc' }, Grants: [] } };
const FULL_BUCKET = { ...READ_BUCKET, Policy: null, PolicyStatus: null, PublicAccessBlock: null, OwnershipControls: null, Logging: {}, RequestPayer: 'BucketOwner' };

describe('a condition on a whole bucket or key', () => {
  it('is error when the read of a field it looks at failed, however much else of the bucket was read', () => {
    const r = run({ buckets: { 'logs-1': READ_BUCKET }, errors: [{ operation: 'GetBucketVersioning', resource: 'logs-1' }] });
    expect(r['bucket-versioning']).to.equal('error: GetBucketVersioning');
  });

  it('is error when a field it looks at was not collected, and judged on it when it was', () => {
    expect(run({ buckets: { 'logs-1': READ_BUCKET } })['bucket-versioning']).to.equal('error: GetBucketVersioning');
    expect(run({ buckets: { 'logs-1': { ...READ_BUCKET, Versioning: { Status: 'Enabled' } } } })['bucket-versioning']).to.equal('pass');
    expect(run({ buckets: { 'logs-1': { ...READ_BUCKET, Versioning: {} } } })['bucket-versioning']).to.equal('fail');
  });

  it('needs every read when it judges the object as a whole', () => {
    expect(run({ buckets: { 'logs-1': { ...FULL_BUCKET, Versioning: {} } } })['bucket-few-fields']).to.equal('pass');
    expect(run({ buckets: { 'logs-1': FULL_BUCKET } })['bucket-few-fields']).to.equal('error: GetBucketVersioning');
  });

  it('sees the bucket policy as the parsed document, as Bucket.Policy paths do', () => {
    expect(run({ buckets: { 'logs-1': { ...READ_BUCKET, Policy: PUBLIC } } })['bucket-not-public']).to.equal('fail');
    expect(run({ buckets: { 'logs-1': { ...READ_BUCKET, Policy: '{"Statement": [}' } } })['bucket-not-public']).to.equal('error: GetBucketPolicy');
    expect(run({ buckets: { 'logs-1': { ...READ_BUCKET, Policy: null } } })['bucket-not-public']).to.equal('pass');
  });

  it('on a key: error when its rotation could not be read; a key policy it does not look at does not matter', () => {
    expect(run({ errors: [{ operation: 'GetKeyRotationStatus', resource: KEY_ARN }] })['key-rotates']).to.equal('error: GetKeyRotationStatus');
    expect(run({ key: { KeyRotationEnabled: true }, errors: [{ operation: 'GetKeyPolicy', resource: KEY_ARN }] })['key-rotates']).to.equal('pass');
  });
});
