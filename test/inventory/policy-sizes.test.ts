/**
 * A bucket policy over S3's 20 KB, or a key policy over KMS's 32 KB, is no policy AWS answers:
 * refused at its line, since each is judged once per trail (and member folder) that uses it, and
 * a hostile file of thousands of statements and trails took minutes. Measured as compact JSON.
 */
import { expect } from 'chai';
import { jsonLength, POLICY_LIMITS } from '../../src/inventory/policy-sizes.ts';
import { parseInventory } from '../../src/inventory/parse.ts';
import { inputErrorOf } from '../helpers/input-error.ts';

const ARN = 'arn:aws:cloudtrail:us-east-1:111122223333:trail/t';
const KEY = 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';

/** A policy of `n` statements, each allowing one account's folder: about 200 characters each. */
function policyOf(n: number): Record<string, unknown> {
  const statement = (i: number) => ({ Sid: `S${i}`, Effect: 'Allow', Principal: { Service: 'cloudtrail.amazonaws.com' }, Action: 's3:PutObject', Resource: `arn:aws:s3:::logs/AWSLogs/${String(i).padStart(12, '0')}/*` });
  return { Version: '2012-10-17', Statement: Array.from({ length: n }, (_, i) => statement(i)) };
}

function inventory(bucketPolicy: unknown, keyPolicy?: unknown): string {
  return JSON.stringify(
    {
      version: 1,
      accounts: [{ accountId: '111122223333', regions: ['us-east-1'], trails: [{ Trail: { Name: 't', TrailARN: ARN, HomeRegion: 'us-east-1', S3BucketName: 'logs', KmsKeyId: KEY } }] }],
      buckets: { logs: { Region: 'us-east-1', Policy: bucketPolicy } },
      ...(keyPolicy === undefined ? {} : { keys: { [KEY]: { Policy: keyPolicy } } }),
    },
    null,
    2,
  );
}

/** The largest number of statements whose compact JSON stays within `limit`. */
function mostStatementsWithin(limit: number): number {
  let n = 1;
  while (JSON.stringify(policyOf(n + 1)).length <= limit) n++;
  return n;
}

describe('policy sizes', () => {
  it('a bucket policy within 20 KB loads, as an object and as text, however it is indented', () => {
    const n = mostStatementsWithin(POLICY_LIMITS.bucket);
    expect(() => parseInventory(inventory(policyOf(n)), 'i.json')).to.not.throw();
    expect(() => parseInventory(inventory(JSON.stringify(policyOf(n))), 'i.json')).to.not.throw();
    // Indented, the text is longer than AWS stores it: what counts is the policy.
    const pretty = JSON.stringify(policyOf(n), null, 4);
    expect(pretty.length).to.be.above(POLICY_LIMITS.bucket);
    expect(() => parseInventory(inventory(pretty), 'i.json')).to.not.throw();
  });

  it('one statement more is refused at the bucket policy, as an object and as text', () => {
    const n = mostStatementsWithin(POLICY_LIMITS.bucket) + 1;
    for (const policy of [policyOf(n), JSON.stringify(policyOf(n))]) {
      const text = inventory(policy);
      const e = inputErrorOf(() => parseInventory(text, 'i.json'));
      expect(e.message).to.match(/^invalid inventory: this bucket policy is 20\.\d KB as compact JSON, and S3 takes a bucket policy of at most 20 KB: AWS never answers one this long$/);
      expect(e.position?.pointer).to.equal('/buckets/logs/Policy');
      expect(e.position?.line).to.equal(text.split('\n').findIndex((l) => l.includes('"Policy"')) + 1);
    }
  });

  it('says how long a refused policy is, never less than it is', () => {
    // Counting stops past 64 KB: a policy of 800 KB is "more than 64 KB", not "32.0 KB".
    const huge = inputErrorOf(() => parseInventory(inventory(policyOf(5000)), 'i.json'));
    expect(huge.message).to.equal('invalid inventory: this bucket policy is more than 64 KB as compact JSON, and S3 takes a bucket policy of at most 20 KB: AWS never answers one this long');
    // One character over 20 KB is not "20.0 KB", which S3 would take.
    const base = policyOf(1);
    const pad = POLICY_LIMITS.bucket + 1 - JSON.stringify(base).length;
    const justOver = { ...base, Statement: [{ ...(base.Statement as object[])[0], Sid: 'x'.repeat(2 + pad) }] };
    expect(JSON.stringify(justOver).length).to.equal(POLICY_LIMITS.bucket + 1);
    expect(inputErrorOf(() => parseInventory(inventory(justOver), 'i.json')).message).to.match(/this bucket policy is 20\.1 KB as compact JSON/);
    const keyHuge = inputErrorOf(() => parseInventory(inventory(null, policyOf(5000)), 'i.json'));
    expect(keyHuge.message).to.match(/^invalid inventory: this key policy is more than 64 KB as compact JSON/);
  });

  it('a key policy may be 32 KB, not more', () => {
    const n = mostStatementsWithin(POLICY_LIMITS.key);
    expect(() => parseInventory(inventory(null, policyOf(n)), 'i.json')).to.not.throw();
    const e = inputErrorOf(() => parseInventory(inventory(null, policyOf(n + 1)), 'i.json'));
    expect(e.message).to.match(/^invalid inventory: this key policy is 32\.\d KB as compact JSON, and KMS takes a key policy of at most 32 KB/);
    expect(e.position?.pointer).to.equal(`/keys/${KEY.replace('/', '~1')}/Policy`);
  });

  it('text that is no JSON is left to the rules, which say it cannot be read', () => {
    expect(() => parseInventory(inventory(`{"Statement": [${'x'.repeat(POLICY_LIMITS.key * 2)}`), 'i.json')).to.not.throw();
  });

  it('counts compact JSON as JSON.stringify does, and stops at the cap on a value nested too deep for it', () => {
    for (const v of [{ a: 1, b: [1, 2, { c: 'x"y\u2028' }], d: null, e: true, 'k\u00e9': -0.5 }, [], {}, 'abc', [[[]]], [null, false]]) {
      expect(jsonLength(v, 1e9), JSON.stringify(v)).to.equal(JSON.stringify(v).length);
    }
    let deep: unknown = 1;
    for (let i = 0; i < 200_000; i++) deep = [deep];
    expect(jsonLength(deep, 40_000)).to.equal(40_000);
  });
});
