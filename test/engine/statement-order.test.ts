/**
 * kms-key-usable names the key policy statements that allow CloudTrail the way bucket-delivery
 * names the bucket policy's (test/policy/bucket-delivery.test.ts): the first by Sid, and how
 * many more, whatever order the policy lists them in.
 */
import { assert } from 'chai';
import { evaluate } from '../../src/engine/evaluate.ts';
import { parseInventory } from '../../src/inventory/parse.ts';
import { mergeInventories } from '../../src/inventory/merge.ts';
import { loadRules } from '../../src/rules/load.ts';

const ACCOUNT = '111122223333';
const KEY = `arn:aws:kms:eu-west-1:${ACCOUNT}:key/k1`;
const rule = loadRules().filter((r) => r.meta.id === 'kms-key-usable');

function judged(statements: object[]): { status: string; message: string } {
  const inventory = {
    version: 1,
    collectedAt: '2026-01-01T00:00:00Z',
    accounts: [{ accountId: ACCOUNT, regions: ['eu-west-1'], trails: [{ Trail: { Name: 'main', TrailARN: `arn:aws:cloudtrail:eu-west-1:${ACCOUNT}:trail/main`, HomeRegion: 'eu-west-1', S3BucketName: 'logs', KmsKeyId: KEY }, Status: { IsLogging: true } }] }],
    buckets: { logs: { Region: 'eu-west-1' } },
    keys: { [KEY]: { KeyMetadata: { Arn: KEY, KeyManager: 'CUSTOMER', KeySpec: 'SYMMETRIC_DEFAULT', KeyUsage: 'ENCRYPT_DECRYPT', KeyState: 'Enabled' }, Policy: { Version: '2012-10-17', Statement: statements } } },
  };
  const results = evaluate(rule, mergeInventories([parseInventory(JSON.stringify(inventory), 'inv.json')]).inventory);
  assert.lengthOf(results, 1);
  return results[0];
}

describe('kms-key-usable names the statements that allow CloudTrail', () => {
  const allow = (sid: string | undefined) => ({ ...(sid === undefined ? {} : { Sid: sid }), Effect: 'Allow', Principal: { Service: 'cloudtrail.amazonaws.com' }, Action: ['kms:GenerateDataKey*', 'kms:DescribeKey'], Resource: '*' });

  it('the same however the policy orders them: the first by Sid, and how many more', () => {
    const statements = [allow('Zed'), allow(undefined), allow('Alpha')];
    const first = judged(statements);
    const second = judged([...statements].reverse());
    assert.strictEqual(first.status, 'pass', first.message);
    assert.strictEqual(first.message, second.message);
    assert.include(first.message, 'kms:GenerateDataKey allowed by "Alpha" (and 2 more)');
  });

  it('one statement, by itself', () => {
    const r = judged([allow('Only')]);
    assert.strictEqual(r.status, 'pass', r.message);
    assert.include(r.message, 'kms:GenerateDataKey allowed by "Only"');
    assert.notInclude(r.message, 'more)');
  });
});
