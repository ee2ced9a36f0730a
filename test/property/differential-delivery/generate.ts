/**
 * The generator of the delivery differential test (differential-delivery.test.ts): a case is a
 * trail, its bucket and its key, with the policies from policies.ts.
 */
import fc from 'fast-check';
import type { Partition } from '../../../src/inventory/types.ts';
import { bucketPolicyArb, keyPolicyArb, pick } from './policies.ts';
import type { Case, KeySpec } from './world.ts';

const keySpecArb: fc.Arbitrary<KeySpec> = fc
  .record({
    form: pick<KeySpec['form']>('arn', 'arn', 'id', 'alias', 'aliasArn'),
    inArchive: fc.boolean(),
    otherRegion: fc.oneof({ weight: 3, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
    state: fc.oneof(
      { weight: 9, arbitrary: fc.constant<KeySpec['state']>('present') },
      { weight: 2, arbitrary: pick<KeySpec['state']>('absent', 'describeDenied', 'describeNotFound', 'policyDenied', 'policyMissing', 'unaliased') },
    ),
    keyState: fc.oneof({ weight: 8, arbitrary: fc.constant('Enabled') }, { weight: 1, arbitrary: pick('Disabled', 'PendingDeletion') }),
    keySpec: fc.oneof({ weight: 8, arbitrary: fc.constant('SYMMETRIC_DEFAULT') }, { weight: 1, arbitrary: pick('RSA_2048', 'HMAC_256') }),
    multiRegion: fc.boolean(),
    decoy: fc.boolean(),
    policy: keyPolicyArb,
  })
  // A bare key id or alias name can only mean a key of the trail's own account and home region.
  .map((k) => (k.form === 'id' || k.form === 'alias' ? { ...k, inArchive: false, otherRegion: false } : k));

export const caseArb: fc.Arbitrary<Case> = fc.record({
  partition: pick<Partition>('aws', 'aws', 'aws-cn', 'aws-us-gov'),
  home: pick<0 | 1>(0, 1),
  ownerIsMember: fc.boolean(),
  org: fc.boolean(),
  orgShown: fc.tuple(
    fc.oneof({ weight: 6, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
    fc.boolean(),
    fc.boolean(),
    fc.boolean(),
  ),
  memberAListed: fc.boolean(),
  memberBListed: fc.boolean(),
  prefix: fc.option(pick('', 'ct', 'a/b', 'org-trail/2026'), { nil: undefined }),
  holder: fc.oneof({ weight: 4, arbitrary: fc.constant<Case['holder']>('owner') }, { weight: 3, arbitrary: fc.constant<Case['holder']>('archive') }, { weight: 1, arbitrary: fc.constant<Case['holder']>('outsider') }),
  archiveListed: fc.boolean(),
  bucket: fc.oneof({ weight: 12, arbitrary: fc.constant<Case['bucket']>('present') }, { weight: 1, arbitrary: pick<Case['bucket']>('gone', 'noPolicy', 'policyDenied', 'policyMissing') }),
  payer: fc.oneof({ weight: 12, arbitrary: fc.constant<Case['payer']>('BucketOwner') }, { weight: 1, arbitrary: pick<Case['payer']>('Requester', 'denied') }),
  bucketInOtherRegion: fc.oneof({ weight: 4, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
  policy: bucketPolicyArb,
  policyAsObject: fc.boolean(),
  key: fc.option(keySpecArb, { nil: undefined, freq: 4 }),
  collected: fc.oneof({ weight: 4, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
});
