/**
 * Differential test of the whole built-in: for random bucket policies and trail shapes (key
 * prefix, organization trail, KMS key), bucket-delivery passes exactly when the oracle allows
 * every request CloudTrail makes, and otherwise fails naming a request the oracle refuses.
 */
import { assert } from 'chai';
import fc from 'fast-check';
import { buildModel } from '../../src/engine/model.ts';
import { bucketDelivery } from '../../src/policy/bucket-delivery.ts';
import { deliveryRequests } from '../../src/policy/delivery-requests.ts';
import { BUCKET, documentedPlusArb, KEY, policyArb, type Req } from './arbitraries.ts';
import { inventory } from './fixtures.ts';
import { oracle } from './oracle.ts';

/** The context keys CloudTrail sends, as AWS spells them (our contexts hold them lower-cased). */
const SPELLING = new Map(
  [
    'aws:SourceArn',
    'aws:SourceAccount',
    'aws:PrincipalIsAWSService',
    'aws:SecureTransport',
    's3:x-amz-acl',
    's3:x-amz-server-side-encryption',
    's3:x-amz-server-side-encryption-aws-kms-key-id',
  ].map((k) => [k.toLowerCase(), k]),
);

function forOracle(action: string, resource: string, context: unknown): Req {
  const out: Record<string, string> = {};
  for (const [k, v] of context as Map<string, string>) out[SPELLING.get(k) ?? k] = v;
  return { action, resource, context: out };
}

const trailArb = fc.record({ prefix: fc.boolean(), organization: fc.boolean(), kms: fc.boolean() });

describe('bucket-delivery agrees with iam-simulate', function () {
  this.timeout(60_000);

  it('passes exactly when the oracle allows every CloudTrail request', async () => {
    const seen = { pass: 0, fail: 0 };
    await fc.assert(
      fc.asyncProperty(fc.oneof(policyArb, documentedPlusArb), trailArb, async (policy, shape) => {
        const trail: Record<string, unknown> = { IsOrganizationTrail: shape.organization };
        if (shape.prefix) trail.S3KeyPrefix = 'prefix';
        if (shape.kms) trail.KmsKeyId = KEY;
        const subject = buildModel(inventory({ trail, bucket: { Policy: JSON.stringify(policy) } })).trails[0];
        const verdict = bucketDelivery.judge(subject, {});
        const requests = deliveryRequests(subject, BUCKET).requests;
        const answers = await Promise.all(requests.map((r) => oracle(policy, forOracle(r.request.action, r.request.resource, r.request.context))));
        const where = `policy ${JSON.stringify(policy)}\ntrail ${JSON.stringify(shape)}\n${verdict.message}`;
        const refused = requests.filter((_, i) => answers[i] !== 'allow');
        assert.strictEqual(verdict.status, refused.length === 0 ? 'pass' : 'fail', where);
        for (const r of refused) assert.include(verdict.message, `${r.label} on ${r.request.resource}`, where);
        seen[verdict.status as 'pass' | 'fail']++;
      }),
      { numRuns: 300 },
    );
    assert.isAbove(seen.pass, 30, JSON.stringify(seen));
  });
});
