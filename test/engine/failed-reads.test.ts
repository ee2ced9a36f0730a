/** How a result names a read that failed: the call, the answer, and for a refusal the permission it needs. */
import { expect } from 'chai';
import { OPERATIONS } from '../../src/collect/operations.ts';
import { describeFailedRead, ErrorIndex, notCollected, sameRead } from '../../src/engine/reads.ts';
import { organizationState } from '../../src/engine/trail-reads.ts';
import type { FailedRead } from '../../src/engine/result.ts';

function notCollectedRead(...args: Parameters<typeof notCollected>): FailedRead {
  const state = notCollected(...args);
  if (state.ok) throw new Error('notCollected gave a usable read');
  return state.failed;
}

describe('failed reads in messages', () => {
  const cases: [string, Parameters<typeof describeFailedRead>[0], string][] = [
    [
      'a refused CloudTrail read names its IAM action',
      { operation: 'GetTrailStatus', resource: 'arn:aws:cloudtrail:us-east-1:111122223333:trail/t', code: 'AccessDeniedException', message: 'User is not authorized' },
      'GetTrailStatus for arn:aws:cloudtrail:us-east-1:111122223333:trail/t failed with AccessDeniedException: User is not authorized (the scanning role needs cloudtrail:GetTrailStatus)',
    ],
    [
      'an S3 read whose action is not its name, and the bucket policy that may deny it',
      { operation: 'GetPublicAccessBlock', resource: 'logs', code: 'AccessDenied' },
      'GetPublicAccessBlock for logs failed with AccessDenied (the scanning role needs s3:GetBucketPublicAccessBlock, and the bucket policy must not deny it; a bucket of another account is best read from that account: add it to the scan)',
    ],
    [
      'a KMS read, which the key policy must allow',
      { operation: 'GetKeyPolicy', resource: 'arn:aws:kms:us-east-1:111122223333:key/k', code: 'AccessDeniedException' },
      'GetKeyPolicy for arn:aws:kms:us-east-1:111122223333:key/k failed with AccessDeniedException (the scanning role needs kms:GetKeyPolicy, and the key policy must allow it)',
    ],
    [
      'a KMS read the key owner made, which the key policy must allow',
      { accountId: '111122223333', operation: 'GetKeyPolicy', resource: 'arn:aws:kms:us-east-1:111122223333:key/k', code: 'AccessDeniedException' },
      'GetKeyPolicy for arn:aws:kms:us-east-1:111122223333:key/k failed with AccessDeniedException (the scanning role needs kms:GetKeyPolicy, and the key policy must allow it)',
    ],
    // KMS refuses GetKeyPolicy to every account but the key's own, whatever the policies say.
    [
      "GetKeyPolicy for another account's key, which only that account can read",
      { accountId: '111122223333', operation: 'GetKeyPolicy', resource: 'arn:aws:kms:us-east-1:444455556666:key/k', code: 'AccessDeniedException' },
      "GetKeyPolicy for arn:aws:kms:us-east-1:444455556666:key/k failed with AccessDeniedException (GetKeyPolicy works only in the key's own account, and account 111122223333 asked for a key of account 444455556666: add account 444455556666, or its snapshot, to the scan)",
    ],
    [
      "GetKeyRotationStatus for another account's key, which the key policy may allow",
      { accountId: '111122223333', operation: 'GetKeyRotationStatus', resource: 'arn:aws:kms:us-east-1:444455556666:key/k', code: 'AccessDeniedException' },
      'GetKeyRotationStatus for arn:aws:kms:us-east-1:444455556666:key/k failed with AccessDeniedException (the scanning role needs kms:GetKeyRotationStatus, and the key policy must allow it)',
    ],
    ['an EC2 refusal', { operation: 'DescribeRegions', code: 'UnauthorizedOperation' }, 'DescribeRegions failed with UnauthorizedOperation (the scanning role needs ec2:DescribeRegions)'],
    // HeadBucket's refusal has no body: other tools record it as Forbidden, or as the HTTP status.
    ['a refusal recorded as Forbidden', { operation: 'GetBucketPolicy', resource: 'b', code: 'Forbidden' }, 'GetBucketPolicy for b failed with Forbidden (the scanning role needs s3:GetBucketPolicy, and the bucket policy must not deny it; a bucket of another account is best read from that account: add it to the scan)'],
    ['a refusal recorded as its HTTP status', { operation: 'GetBucketPolicy', resource: 'b', code: '403' }, 'GetBucketPolicy for b failed with 403 (the scanning role needs s3:GetBucketPolicy, and the bucket policy must not deny it; a bucket of another account is best read from that account: add it to the scan)'],
    // Only a refusal is about permissions: a throttle or a missing resource is not.
    ['a throttled read has no hint', { operation: 'GetTrailStatus', region: 'eu-west-1', code: 'ThrottlingException' }, 'GetTrailStatus in eu-west-1 failed with ThrottlingException'],
    // Data the inventory lacks: what is missing first, then the read that would have filled it.
    [
      'a datum that was not collected',
      notCollectedRead('GetTrailStatus', 'arn:aws:cloudtrail:us-east-1:111122223333:trail/t', 'Status of trail t'),
      'Status of trail t is not in the inventory (GetTrailStatus for arn:aws:cloudtrail:us-east-1:111122223333:trail/t)',
    ],
    ['a read with no resource', notCollectedRead('DescribeTrails', undefined, 'the trail list of account 111122223333'), 'the trail list of account 111122223333 is not in the inventory (DescribeTrails)'],
    ['an operation with no IAM action known has no hint', { operation: 'ListObjectsV2', resource: 'b', code: 'AccessDenied' }, 'ListObjectsV2 for b failed with AccessDenied'],
    // HeadBucket, which trailgate never calls but other tools record (its refusal as Forbidden or
    // 403: a HEAD answer has no body), is authorized as s3:ListBucket.
    ...(['AccessDenied', 'Forbidden', '403'].map((code) => [
      `a refused HeadBucket recorded as ${code} names s3:ListBucket`,
      { operation: 'HeadBucket', resource: 'b', code },
      `HeadBucket for b failed with ${code} (the scanning role needs s3:ListBucket, and the bucket policy must not deny it; a bucket of another account is best read from that account: add it to the scan)`,
    ]) as [string, FailedRead, string][]),
  ];
  for (const [name, read, expected] of cases) it(name, () => expect(describeFailedRead(read)).to.equal(expected));

  it('every operation the collector calls can be named in a hint', () => {
    for (const op of OPERATIONS) expect(describeFailedRead({ operation: op.name, code: 'AccessDenied' }), op.name).to.include(`needs ${op.action}`);
  });
});

describe('one failed read', () => {
  it('is the same call on the same resource in the same region with the same answer, and only that', () => {
    const read: FailedRead = { operation: 'GetBucketPolicy', resource: 'logs', region: 'us-east-1', code: 'AccessDenied', message: 'a' };
    expect(sameRead(read, { ...read, message: 'b', accountId: '444455556666' })).to.equal(true);
    for (const other of [{ operation: 'GetBucketAcl' }, { resource: 'other' }, { region: 'eu-west-1' }, { code: 'NoSuchBucketPolicy' }]) {
      expect(sameRead(read, { ...read, ...other }), JSON.stringify(other)).to.equal(false);
    }
  });
});

describe('failed reads recorded by hand', () => {
  it('match whatever the case and a service prefix, or an IAM action name, of the operation', () => {
    const index = new ErrorIndex([
      { accountId: '111122223333', region: 'us-east-1', service: 'cloudtrail', operation: 'describeTrails', code: 'AccessDenied' },
      { accountId: '111122223333', service: 's3', operation: 's3:getbucketpolicy', resource: 'logs', code: 'AccessDenied' },
      { accountId: '111122223333', service: 's3', operation: 'GetBucketPublicAccessBlock', resource: 'logs', code: 'AccessDenied' },
      { accountId: '444455556666', service: 'sts', operation: 'sts:assumeRole', code: 'AccessDenied' },
    ]);
    expect(index.forRegion('111122223333', 'us-east-1', 'DescribeTrails')?.operation).to.equal('DescribeTrails');
    expect(index.forResource('GetBucketPolicy', 'logs')?.operation).to.equal('GetBucketPolicy');
    expect(index.forResource('GetPublicAccessBlock', 'logs')?.operation).to.equal('GetPublicAccessBlock');
    expect(index.forAccount('444455556666')?.operation).to.equal('AssumeRole');
    // A role assumed with a web identity, and the region list asked of EC2 (in a region), are the account's reads too: without them nothing of it is known.
    const account = new ErrorIndex([
      { accountId: '555566667777', service: 'sts', operation: 'AssumeRoleWithWebIdentity', code: 'AccessDenied' },
      { accountId: '777788889999', region: 'us-east-1', service: 'ec2', operation: 'ec2:describeRegions', code: 'UnauthorizedOperation' },
    ]);
    expect(account.forAccount('555566667777')?.operation).to.equal('AssumeRoleWithWebIdentity');
    expect(account.forAccount('777788889999')?.operation).to.equal('DescribeRegions');
    expect(account.unlistedAccounts(new Set())).to.deep.equal(['555566667777', '777788889999']);
    // A DescribeOrganization that failed in one region (it names no resource) still leaves the
    // account's organization unknown: the organizationId path is error, never "no organization".
    const organization = new ErrorIndex([{ accountId: '111122223333', region: 'us-east-1', service: 'organizations', operation: 'DescribeOrganization', code: 'AccessDenied' }]);
    expect(organization.forAccountOperation('111122223333', 'DescribeOrganization')?.region).to.equal('us-east-1');
    const state = organizationState({ accountId: '111122223333', facts: { isOrganizationTrail: false } }, organization);
    expect(state.ok ? 'usable' : `${state.failed.operation} ${state.failed.code}`).to.equal('DescribeOrganization AccessDenied');
    // An operation trailgate does not know keeps its spelling.
    expect(new ErrorIndex([{ accountId: '1', service: 's3', operation: 'HeadBucket', resource: 'b', code: 'x' }]).forResource('HeadBucket', 'b')).to.not.equal(undefined);
  });
});
