/** The fake endpoint itself follows AWS's documented behaviour, seen through the real SDK clients. */
import { expect } from 'chai';
import { withFake } from './harness.ts';
import { MGMT_TRAIL_ARN, ORG_TRAIL_ARN, orgScenario } from './world.ts';

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'ok';
  } catch (err) {
    return (err as Error).name;
  }
}

describe('fake AWS endpoint', () => {
  it('CloudTrail: shadow trails listed only with includeShadowTrails; by name only in the home region, by ARN anywhere', async () => {
    await withFake(orgScenario(), async () => {
      const { CloudTrailClient, DescribeTrailsCommand, GetTrailStatusCommand, GetEventSelectorsCommand, GetInsightSelectorsCommand } = await import('@aws-sdk/client-cloudtrail');
      const west = new CloudTrailClient({ region: 'us-west-2', maxAttempts: 1 });
      const withShadows = await west.send(new DescribeTrailsCommand({ includeShadowTrails: true }));
      expect(withShadows.trailList?.map((t) => t.TrailARN)).to.deep.equal([ORG_TRAIL_ARN]);
      const without = await west.send(new DescribeTrailsCommand({ includeShadowTrails: false }));
      expect(without.trailList).to.deep.equal([]);
      expect(await codeOf(west.send(new GetTrailStatusCommand({ Name: 'org-trail' })))).to.equal('TrailNotFoundException');
      expect((await west.send(new GetTrailStatusCommand({ Name: ORG_TRAIL_ARN }))).IsLogging).to.equal(true);
      const east = new CloudTrailClient({ region: 'us-east-1', maxAttempts: 1 });
      expect((await east.send(new GetTrailStatusCommand({ Name: 'org-trail' }))).IsLogging).to.equal(true);
      const selectors = await east.send(new GetEventSelectorsCommand({ TrailName: ORG_TRAIL_ARN }));
      expect(selectors.EventSelectors).to.deep.equal([{ ReadWriteType: 'All', IncludeManagementEvents: true, DataResources: [], ExcludeManagementEventSources: [] }]);
      expect(await codeOf(east.send(new GetInsightSelectorsCommand({ TrailName: ORG_TRAIL_ARN })))).to.equal('InsightNotEnabledException');
      const eu = new CloudTrailClient({ region: 'eu-west-1', maxAttempts: 1 });
      expect((await eu.send(new GetInsightSelectorsCommand({ TrailName: MGMT_TRAIL_ARN }))).InsightSelectors).to.have.length(1);
      const optIn = new CloudTrailClient({ region: 'ap-east-1', maxAttempts: 1 });
      expect(await codeOf(optIn.send(new DescribeTrailsCommand({})))).to.equal('UnrecognizedClientException');
    });
  });

  it('S3: location from any region, other reads only in the bucket region; NoSuchBucket; policy owner-only', async () => {
    await withFake(orgScenario(), async () => {
      const { S3Client, GetBucketLocationCommand, GetBucketVersioningCommand, GetBucketPolicyCommand } = await import('@aws-sdk/client-s3');
      const east = new S3Client({ region: 'us-east-1', forcePathStyle: true, maxAttempts: 1 });
      expect((await east.send(new GetBucketLocationCommand({ Bucket: 'mgmt-logs-eu' }))).LocationConstraint).to.equal('EU');
      expect(await codeOf(east.send(new GetBucketVersioningCommand({ Bucket: 'mgmt-logs-eu' })))).to.equal('AuthorizationHeaderMalformed');
      const eu = new S3Client({ region: 'eu-west-1', forcePathStyle: true, maxAttempts: 1 });
      expect(await codeOf(eu.send(new GetBucketPolicyCommand({ Bucket: 'mgmt-logs-eu' })))).to.equal('NoSuchBucketPolicy');
      expect(await codeOf(east.send(new GetBucketLocationCommand({ Bucket: 'no-such-bucket' })))).to.equal('NoSuchBucket');
      expect(await codeOf(east.send(new GetBucketLocationCommand({ Bucket: 'org-trail-logs' })))).to.equal('AccessDenied');
    });
  });

  it('KMS and STS: an alias resolves in its account and region; AssumeRole needs a trusting role', async () => {
    await withFake(orgScenario(), async () => {
      const { KMSClient, DescribeKeyCommand } = await import('@aws-sdk/client-kms');
      const { STSClient, AssumeRoleCommand } = await import('@aws-sdk/client-sts');
      const kms = new KMSClient({ region: 'us-east-1', maxAttempts: 1 });
      expect(await codeOf(kms.send(new DescribeKeyCommand({ KeyId: 'alias/member-trail' })))).to.equal('NotFoundException');
      const sts = new STSClient({ region: 'us-east-1', maxAttempts: 1 });
      expect(await codeOf(sts.send(new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::222222222222:role/Nope', RoleSessionName: 't' })))).to.equal('AccessDenied');
      const ok = await sts.send(new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::222222222222:role/TrailgateAudit', RoleSessionName: 't' }));
      expect(ok.Credentials?.AccessKeyId).to.match(/^ASIA222222222222/);
    });
  });
});
