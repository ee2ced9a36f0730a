/**
 * bucket-delivery and kms-key-usable judge the same CloudTrail deliveries: the request context
 * each sends for the service principal must be the same, or one rule passes what the other fails.
 */
import { assert } from 'chai';
import { keyRequests } from '../../src/engine/builtins/kms-key-requests.ts';
import { buildModel } from '../../src/engine/model.ts';
import { deliveryRequests, someOf } from '../../src/policy/delivery-requests.ts';
import type { Context } from '../../src/policy/conditions.ts';
import { requestContext } from '../../src/policy/evaluate.ts';
import { collectedTime, requestTime } from '../../src/policy/request-time.ts';
import { BUCKET, inventory, KEY_ARN, ORG, OWNER } from './fixtures.ts';

describe('the request context CloudTrail sends', () => {
  it('is the same for the key policy (kms:DescribeKey) as for the bucket policy (s3:GetBucketAcl)', () => {
    const t = buildModel(inventory({ trail: { KmsKeyId: KEY_ARN } })).trails[0];
    const acl = deliveryRequests(t, BUCKET).requests.find((r) => r.label === 'GetBucketAcl')!.request.context;
    const describe = keyRequests(t, KEY_ARN).requests.find((r) => r.label === 'kms:DescribeKey')!.request.context;
    const context: Context = describe instanceof Map ? describe : requestContext(describe as Record<string, string | string[] | boolean>);
    // S3 adds what it puts in every authenticated request (SigV4), and KMS what it knows of the
    // key's owner (the bucket's owner is unknown to S3's); the rest is one context, the requested
    // region included (each service's own: the bucket's and the key's, one region here).
    const s3Only = ['s3:signatureversion', 's3:authtype'];
    const kmsOnly = ['aws:resourceaccount', 'aws:resourceorgid'];
    const shared = new Map([...(acl as Map<string, unknown>)].filter(([k]) => !s3Only.includes(k)));
    assert.deepEqual<unknown>(new Map([...context].filter(([k]) => !kmsOnly.includes(k))), shared);
    assert.isString(context.get('aws:requestedregion'));
    assert.strictEqual(context.get('aws:resourceaccount'), OWNER);
    assert.strictEqual(context.get('aws:resourceorgid'), ORG);
    assert.strictEqual((acl as Map<string, unknown>).get('s3:signatureversion'), 'AWS4-HMAC-SHA256');
    // The keys the two rules once disagreed on.
    for (const key of ['aws:sourceorgid', 'aws:principalservicename', 'aws:principalservicenameslist', 'aws:viaawsservice', 'aws:currenttime', 'aws:epochtime']) assert.isTrue(context.has(key), key);
  });
});

describe('the count of a refused group, in bucket-delivery and kms-key-usable messages', () => {
  // "2 of the 2 other regions ... refused in all" read as a puzzle: a whole group is said as one would.
  for (const [count, n, words] of [
    [2, 5, '2 of the 5 member accounts'],
    [2, 2, 'both member accounts'],
    [3, 3, 'all 3 member accounts'],
  ] as const) {
    it(`${count} of ${n}: "${words}"`, () => assert.strictEqual(someOf(count, n, 'member accounts'), words));
  }
});

describe("the time of CloudTrail's requests", () => {
  it('is the moment given, to the second, as aws:CurrentTime and aws:EpochTime give it, whichever moment was asked for before', () => {
    // AWS gives aws:CurrentTime as ISO 8601 without fractions, and aws:EpochTime in whole seconds: a moment's fraction is dropped, not rounded.
    const at = (moment: string) => {
      const { current, epoch } = requestTime(Date.parse(moment));
      return { current, epoch };
    };
    assert.deepEqual(at('2026-01-15T00:00:00.700Z'), { current: '2026-01-15T00:00:00Z', epoch: '1768435200' });
    assert.deepEqual(at('2026-03-01T12:30:45Z'), { current: '2026-03-01T12:30:45Z', epoch: '1772368245' });
  });

  it("is each trail's own collectedAt, whichever was read before", () => {
    const at = (collectedAt: string | undefined) => collectedTime({ collectedAt } as Parameters<typeof collectedTime>[0]);
    assert.equal(at('2026-01-15T00:00:00Z'), Date.parse('2026-01-15T00:00:00Z'));
    assert.equal(at('2026-03-01T12:30:45Z'), Date.parse('2026-03-01T12:30:45Z'));
    assert.equal(at(undefined), undefined);
    assert.equal(at('2026-01-15T00:00:00Z'), Date.parse('2026-01-15T00:00:00Z'));
  });
});
