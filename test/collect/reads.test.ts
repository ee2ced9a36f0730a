/**
 * Every read a rule needs, end to end: a failed read (AccessDenied, a persistent 5xx, an answer
 * that is not what AWS sends) becomes an `errors[]` entry and an `error` result for each rule
 * that needs it, never a pass; AWS's "there is none" answers become the documented values.
 */
import { expect } from 'chai';
import { evaluate } from '../../src/engine/evaluate.ts';
import type { Result } from '../../src/engine/result.ts';
import type { Inventory } from '../../src/inventory/types.ts';
import { loadRules } from '../../src/rules/load.ts';
import { principalFor, regionsOf, type FakeScenario } from '../fake-aws/scenario.ts';
import type { Fault } from '../fake-aws/server.ts';
import { runCollect } from './harness.ts';

const ACCOUNT = '555555555555';
const KEY_ID = '11111111-2222-4333-8444-555555555555';
const KEY_ARN = `arn:aws:kms:us-east-1:${ACCOUNT}:key/${KEY_ID}`;
const TRAIL_ARN = `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/main`;
const BUCKET = 'main-logs';

/** One account whose one trail passes every rule a fake trail can pass. */
function healthy(): FakeScenario {
  const cloudtrail = { Service: 'cloudtrail.amazonaws.com' };
  const bucketPolicy = {
    Version: '2012-10-17',
    Statement: [
      { Sid: 'AclCheck', Effect: 'Allow', Principal: cloudtrail, Action: 's3:GetBucketAcl', Resource: `arn:aws:s3:::${BUCKET}`, Condition: { StringEquals: { 'aws:SourceArn': TRAIL_ARN } } },
      {
        Sid: 'Write',
        Effect: 'Allow',
        Principal: cloudtrail,
        Action: 's3:PutObject',
        Resource: `arn:aws:s3:::${BUCKET}/AWSLogs/${ACCOUNT}/*`,
        Condition: { StringEquals: { 's3:x-amz-acl': 'bucket-owner-full-control', 'aws:SourceArn': TRAIL_ARN } },
      },
    ],
  };
  const keyPolicy = {
    Version: '2012-10-17',
    Statement: [
      { Sid: 'Root', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'kms:*', Resource: '*' },
      { Sid: 'Encrypt', Effect: 'Allow', Principal: cloudtrail, Action: 'kms:GenerateDataKey*', Resource: '*', Condition: { StringLike: { 'kms:EncryptionContext:aws:cloudtrail:arn': `arn:aws:cloudtrail:*:${ACCOUNT}:trail/*` } } },
      { Sid: 'Describe', Effect: 'Allow', Principal: cloudtrail, Action: 'kms:DescribeKey', Resource: '*' },
    ],
  };
  return {
    principals: [principalFor(ACCOUNT)],
    accounts: [{ id: ACCOUNT, regions: regionsOf([], ['us-east-1', 'eu-west-1']) }],
    trails: [
      {
        account: ACCOUNT,
        name: 'main',
        homeRegion: 'us-east-1',
        multiRegion: true,
        bucket: BUCKET,
        kmsKeyId: KEY_ARN,
        insightSelectors: [{ InsightType: 'ApiCallRateInsight' }],
        eventSelectors: [{ ReadWriteType: 'All', IncludeManagementEvents: true, DataResources: [{ Type: 'AWS::S3::Object', Values: ['arn:aws:s3'] }], ExcludeManagementEventSources: [] }],
      },
    ],
    buckets: [
      {
        name: BUCKET,
        account: ACCOUNT,
        region: 'us-east-1',
        policy: JSON.stringify(bucketPolicy),
        publicAccessBlock: { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true },
        ownership: 'BucketOwnerEnforced',
        logging: { TargetBucket: 'access-logs', TargetPrefix: 'main/' },
        versioning: { Status: 'Enabled', MfaDelete: 'Enabled' },
      },
    ],
    keys: [{ id: KEY_ID, account: ACCOUNT, region: 'us-east-1', rotation: true, policy: JSON.stringify(keyPolicy) }],
  };
}

const rules = loadRules();
const fast = { requestsPerSecond: 100, burst: 50, maxAttempts: 2 };
const statusKey = (r: Result) => `${r.ruleId}${r.subject.region ? `@${r.subject.region}` : ''}`;

async function scan(faults: Fault[] = [], scenario = healthy()): Promise<{ inventory: Inventory; statuses: Map<string, Result['status']> }> {
  const { inventory } = await runCollect(scenario, fast, { principal: principalFor(ACCOUNT), fake: { faults } });
  return { inventory, statuses: new Map(evaluate(rules, inventory).map((r) => [statusKey(r), r.status])) };
}

const opErrors = (inv: Inventory) => (inv.errors ?? []).map((e) => `${e.service}:${e.operation}:${e.resource ?? e.region ?? '-'}:${e.code}`);

describe('collect: every read a rule needs, when it fails', () => {
  let baseline: Map<string, Result['status']>;

  before(async () => {
    const { inventory, statuses } = await scan();
    expect(inventory.errors).to.deep.equal([]);
    baseline = statuses;
  });

  it('starts from a trail that passes every rule the fake can make it pass', () => {
    const failing = [...baseline].filter(([, s]) => s !== 'pass').map(([k, s]) => `${k}:${s}`);
    // The fake has no CloudWatch Logs or SNS settings for a trail.
    expect(failing).to.deep.equal(['cloudwatch-logs@us-east-1:fail', 'sns-notifications@us-east-1:fail']);
  });

  /** The read, where it is answered, and the rules whose pass stands on it. */
  const NEEDS: [service: string, operation: string, resource: string | undefined, region: string | undefined, rules: string[]][] = [
    ['cloudtrail', 'DescribeTrails', undefined, 'us-east-1', ['trails-per-region@us-east-1', 'global-events-duplicated']],
    // global-events-duplicated passes: one trail, logging or not, cannot be a duplicate.
    ['cloudtrail', 'GetTrailStatus', TRAIL_ARN, undefined, ['trail-logging@us-east-1', 'delivery-errors@us-east-1', 'logging-trail', 'multi-region-trail', 'global-service-events', 'security-trail', 's3-data-events-read', 's3-data-events-write']],
    ['cloudtrail', 'GetEventSelectors', TRAIL_ARN, undefined, ['event-selectors-per-trail@us-east-1', 'multi-region-trail', 'security-trail', 's3-data-events-read', 's3-data-events-write']],
    // insights-enabled stands on DescribeTrails' HasInsightSelectors.
    ['cloudtrail', 'GetInsightSelectors', TRAIL_ARN, undefined, []],
    ['s3', 'GetBucketLocation', BUCKET, undefined, ['bucket-delivery@us-east-1', 'bucket-not-public@us-east-1', 'bucket-access-logging@us-east-1', 'bucket-mfa-delete@us-east-1', 'kms-key-usable@us-east-1']],
    ['s3', 'GetBucketPolicy', BUCKET, undefined, ['bucket-delivery@us-east-1', 'bucket-not-public@us-east-1']],
    ['s3', 'GetBucketAcl', BUCKET, undefined, ['bucket-not-public@us-east-1']],
    ['s3', 'GetBucketLogging', BUCKET, undefined, ['bucket-access-logging@us-east-1']],
    ['s3', 'GetBucketVersioning', BUCKET, undefined, ['bucket-mfa-delete@us-east-1']],
    ['s3', 'GetBucketRequestPayment', BUCKET, undefined, ['bucket-delivery@us-east-1']],
    // Collected for the evidence; no rule passes on them alone (PolicyStatus only adds a failure).
    ['s3', 'GetBucketPolicyStatus', BUCKET, undefined, []],
    ['s3', 'GetPublicAccessBlock', BUCKET, undefined, []],
    ['s3', 'GetBucketOwnershipControls', BUCKET, undefined, []],
    ['kms', 'DescribeKey', KEY_ARN, undefined, ['kms-key-usable@us-east-1', 'kms-key-rotation@us-east-1']],
    ['kms', 'GetKeyRotationStatus', KEY_ARN, undefined, ['kms-key-rotation@us-east-1']],
    ['kms', 'GetKeyPolicy', KEY_ARN, undefined, ['kms-key-usable@us-east-1']],
  ];

  for (const [service, operation, resource, region, needing] of NEEDS) {
    for (const kind of ['accessDenied', 'unavailable'] as const) {
      it(`${service}:${operation} ${kind === 'accessDenied' ? 'denied' : 'answering 503 past the retries'}: an errors[] entry, ${needing.length ? needing.join(', ') : 'no rule'} turned to error, nothing newly passing`, async () => {
        const match = { service, operation, ...(resource !== undefined ? { resource } : {}), ...(region !== undefined ? { region } : {}) };
        const fault: Fault = kind === 'accessDenied' ? { ...match, kind } : { ...match, kind: 'error', status: 503, code: 'ServiceUnavailable' };
        const { inventory, statuses } = await scan([fault]);
        const code = kind === 'unavailable' ? 'ServiceUnavailable' : service === 's3' ? 'AccessDenied' : 'AccessDeniedException';
        expect(opErrors(inventory)).to.deep.equal([`${service}:${operation}:${resource ?? region}:${code}`]);
        for (const id of needing) expect(statuses.get(id), id).to.equal('error');
        for (const [id, status] of statuses) {
          if (needing.includes(id)) continue;
          if (baseline.get(id) !== 'pass') expect(status, `${id} must not newly pass`).not.to.equal('pass');
          else if (operation !== 'DescribeTrails') expect(status, `${id} does not need ${operation}`).to.equal('pass');
        }
      });
    }
  }
});

describe('collect: answers that are not what AWS sends', () => {
  // A 200 whose JSON body has none of the members AWS always sends (an emulator answering
  // another question): the SDK parses it without complaint.
  const emptyJson = (service: string, operation: string, resource: string): Fault => ({ service, operation, resource, kind: 'error', status: 200, code: 'Unrelated' });

  it('GetTrailStatus without IsLogging: MalformedResponse, no Status, delivery-errors is error rather than pass', async () => {
    const { inventory, statuses } = await scan([emptyJson('cloudtrail', 'GetTrailStatus', TRAIL_ARN)]);
    expect(inventory.accounts[0].trails[0]).not.to.have.property('Status');
    expect(opErrors(inventory)).to.deep.equal([`cloudtrail:GetTrailStatus:${TRAIL_ARN}:MalformedResponse`]);
    expect(statuses.get('delivery-errors@us-east-1')).to.equal('error');
    expect(statuses.get('trail-logging@us-east-1')).to.equal('error');
  });

  it('DescribeTrails without trailList: MalformedResponse for that region, not "no trails here", so no account rule passes on it', async () => {
    // The trail is still seen through its shadow copy in eu-west-1; what us-east-1 holds is unknown.
    const { inventory, statuses } = await scan([{ service: 'cloudtrail', operation: 'DescribeTrails', region: 'us-east-1', kind: 'error', status: 200, code: 'Unrelated' }]);
    expect(inventory.errors).to.deep.equal([
      { accountId: ACCOUNT, region: 'us-east-1', service: 'cloudtrail', operation: 'DescribeTrails', code: 'MalformedResponse', message: 'DescribeTrails returned an answer without trailList' },
    ]);
    expect(inventory.accounts[0].trails.map((t) => t.Trail.TrailARN)).to.deep.equal([TRAIL_ARN]);
    expect(statuses.get('trails-per-region@us-east-1')).to.equal('error');
    expect(statuses.get('global-events-duplicated')).to.equal('error');
  });

  it('GetEventSelectors with neither selector list for a trail with custom selectors: MalformedResponse, not "records nothing"', async () => {
    const { inventory, statuses } = await scan([emptyJson('cloudtrail', 'GetEventSelectors', TRAIL_ARN)]);
    const entry = inventory.accounts[0].trails[0];
    expect(entry).not.to.have.property('EventSelectors');
    expect(entry).not.to.have.property('AdvancedEventSelectors');
    expect(opErrors(inventory)).to.deep.equal([`cloudtrail:GetEventSelectors:${TRAIL_ARN}:MalformedResponse`]);
    expect(statuses.get('event-selectors-per-trail@us-east-1')).to.equal('error');
    expect(statuses.get('multi-region-trail')).to.equal('error');
  });

  it('GetBucketAcl answered with a bucket listing (no Owner, no grants): MalformedResponse, bucket-not-public is error rather than pass', async () => {
    const { inventory, statuses } = await scan([{ service: 's3', operation: 'GetBucketAcl', resource: BUCKET, kind: 'bucketListing' }]);
    expect(inventory.buckets![BUCKET]).not.to.have.property('Acl');
    expect(opErrors(inventory)).to.deep.equal([`s3:GetBucketAcl:${BUCKET}:MalformedResponse`]);
    expect(statuses.get('bucket-not-public@us-east-1')).to.equal('error');
  });

  it('GetBucketPolicy answered with something that is not a JSON policy: MalformedResponse, never stored as the policy', async () => {
    const { inventory, statuses } = await scan([{ service: 's3', operation: 'GetBucketPolicy', resource: BUCKET, kind: 'bucketListing' }]);
    expect(inventory.buckets![BUCKET]).not.to.have.property('Policy');
    expect(opErrors(inventory)).to.deep.equal([`s3:GetBucketPolicy:${BUCKET}:MalformedResponse`]);
    expect(statuses.get('bucket-delivery@us-east-1')).to.equal('error');
    expect(statuses.get('bucket-not-public@us-east-1')).to.equal('error');
  });
});

describe('collect: the answers that mean "there is none"', () => {
  it('a trail key that no longer exists: DescribeKey NotFoundException recorded for the trail key, kms-key-usable fails and kms-key-rotation has nothing to judge', async () => {
    const scenario = healthy();
    scenario.keys = [];
    const { inventory, statuses } = await scan([], scenario);
    expect(inventory.keys).to.deep.equal({});
    expect(opErrors(inventory)).to.deep.equal([`kms:DescribeKey:${KEY_ARN}:NotFoundException`]);
    expect(statuses.get('kms-key-usable@us-east-1')).to.equal('fail');
    expect(statuses.get('kms-key-rotation@us-east-1')).to.equal('skipped');
  });

  it('an asymmetric key: GetKeyRotationStatus UnsupportedOperationException is KeyRotationEnabled null', async () => {
    const scenario = healthy();
    scenario.keys[0].keySpec = 'RSA_2048';
    const { inventory, statuses } = await scan([], scenario);
    expect(inventory.keys![KEY_ARN].KeyRotationEnabled).to.equal(null);
    expect(inventory.errors).to.deep.equal([]);
    expect(statuses.get('kms-key-rotation@us-east-1')).not.to.equal('pass');
    expect(statuses.get('kms-key-usable@us-east-1')).to.equal('fail');
  });

  it('a bucket deleted between GetBucketLocation and its other reads (NoSuchBucket) is {Exists: false}', async () => {
    const { inventory, statuses } = await scan([{ service: 's3', operation: 'GetBucketAcl', resource: BUCKET, kind: 'error', status: 404, code: 'NoSuchBucket' }]);
    expect(inventory.buckets![BUCKET]).to.deep.equal({ Exists: false });
    expect(inventory.errors).to.deep.equal([]);
    expect(statuses.get('bucket-delivery@us-east-1')).to.equal('fail');
  });

  it('no bucket policy, public access block or ownership controls: null, and no error', async () => {
    const scenario = healthy();
    const b = scenario.buckets[0];
    delete b.policy;
    delete b.publicAccessBlock;
    delete b.ownership;
    const { inventory, statuses } = await scan([], scenario);
    expect(inventory.buckets![BUCKET]).to.include({ Policy: null, PolicyStatus: null, PublicAccessBlock: null, OwnershipControls: null });
    expect(inventory.errors).to.deep.equal([]);
    expect(statuses.get('bucket-delivery@us-east-1')).to.equal('fail');
  });

  it('a trail deleted between DescribeTrails and its reads (TrailNotFoundException) is an error, never data', async () => {
    const { inventory, statuses } = await scan([{ service: 'cloudtrail', operation: 'GetTrailStatus', resource: TRAIL_ARN, kind: 'error', status: 400, code: 'TrailNotFoundException' }]);
    expect(inventory.accounts[0].trails[0]).not.to.have.property('Status');
    expect(opErrors(inventory)).to.deep.equal([`cloudtrail:GetTrailStatus:${TRAIL_ARN}:TrailNotFoundException`]);
    expect(statuses.get('trail-logging@us-east-1')).to.equal('error');
  });
});
