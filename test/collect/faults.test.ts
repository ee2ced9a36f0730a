/** Absent versus unreadable under injected faults: AccessDenied, throttling, 5xx, slow and malformed answers, regions not enabled. */
import { expect } from 'chai';
import { CollectionError } from '../../src/errors.ts';
import { timeoutsBounded } from '../../src/collect/retry.ts';
import { parseInventory } from '../../src/inventory/parse.ts';
import type { ReadError } from '../../src/inventory/types.ts';
import { runCollect } from './harness.ts';
import { LOGS, MEMBER, MGMT, MGMT_TRAIL_ARN, ORG_TRAIL_ARN, orgScenario, OUTSIDER, REGIONS, ROLE } from './world.ts';

const fast = { requestsPerSecond: 100, burst: 50 };
// What the caller alone cannot read in the organization scenario: the log-archive account's bucket and key policy
// (GetKeyPolicy is not even asked: it works only in the key's own account).
const BASELINE = ['kms:GetKeyPolicy:arn:aws:kms:us-east-1:222222222222:key/0b8c1f6e-1111-4222-8333-944445555666:NotCollected', 's3:GetBucketLocation:org-trail-logs:AccessDenied'];
const codes = (errors: ReadError[] | undefined) => (errors ?? []).map((e) => `${e.service}:${e.operation}:${e.resource ?? e.region ?? '-'}:${e.code}`);

describe('collect: AccessDenied', () => {
  it('on one region: a region-wide DescribeTrails error, the region still listed as looked at', async () => {
    const { inventory } = await runCollect(orgScenario(), fast, {
      fake: { faults: [{ region: 'eu-west-1', service: 'cloudtrail', operation: 'DescribeTrails', kind: 'accessDenied' }] },
    });
    expect(inventory.accounts[0].regions).to.deep.equal(REGIONS);
    const e = inventory.errors!.find((x) => x.operation === 'DescribeTrails')!;
    expect(e).to.include({ accountId: MGMT, region: 'eu-west-1', service: 'cloudtrail', code: 'AccessDeniedException' });
    expect(e).not.to.have.property('resource');
    // The single-region trail homed there was not seen: the error says why.
    expect(inventory.accounts[0].trails.map((t) => t.Trail.TrailARN)).to.deep.equal([ORG_TRAIL_ARN]);
  });

  it('on one bucket read: an error entry and the key left out, never null', async () => {
    const { inventory } = await runCollect(orgScenario(), fast, {
      fake: { faults: [{ service: 's3', resource: 'mgmt-logs-eu', operation: 'GetBucketPolicy', kind: 'accessDenied' }] },
    });
    const b = inventory.buckets!['mgmt-logs-eu'];
    expect(b).not.to.have.property('Policy');
    expect(b.PublicAccessBlock).to.equal(null);
    expect(codes(inventory.errors)).to.include('s3:GetBucketPolicy:mgmt-logs-eu:AccessDenied');
  });

  it('on the per-trail reads: errors naming the trail ARN and its home region', async () => {
    const { inventory } = await runCollect(orgScenario(), fast, {
      fake: { faults: [{ service: 'cloudtrail', operation: 'GetTrailStatus', resource: MGMT_TRAIL_ARN, kind: 'accessDenied' }] },
    });
    const entry = inventory.accounts[0].trails.find((t) => t.Trail.TrailARN === MGMT_TRAIL_ARN)!;
    expect(entry).not.to.have.property('Status');
    expect(entry.EventSelectors).to.have.length(1);
    expect(inventory.errors).to.deep.include({
      accountId: MGMT,
      region: 'eu-west-1',
      service: 'cloudtrail',
      operation: 'GetTrailStatus',
      resource: MGMT_TRAIL_ARN,
      code: 'AccessDeniedException',
      message: `User: arn:aws:iam::${MGMT}:user/auditor is not authorized to perform: cloudtrail:GetTrailStatus`,
    });
  });

  it('on DescribeOrganization: organizationId absent, and the failed read recorded like any other (once per account)', async () => {
    const { inventory } = await runCollect(orgScenario(), fast, { fake: { faults: [{ operation: 'DescribeOrganization', kind: 'accessDenied' }] } });
    expect(inventory.accounts[0]).not.to.have.property('organizationId');
    expect(codes(inventory.errors)).to.have.members([...BASELINE, 'organizations:DescribeOrganization:-:AccessDeniedException']);
    expect(inventory.errors).to.deep.include({
      accountId: MGMT,
      service: 'organizations',
      operation: 'DescribeOrganization',
      code: 'AccessDeniedException',
      message: `User: arn:aws:iam::${MGMT}:user/auditor is not authorized to perform: organizations:DescribeOrganization`,
    });
    // With --organization the caller's account asks once, for every account, and is not asked again.
    const org = await runCollect(orgScenario(), { ...fast, organization: true, roleName: ROLE }, { fake: { faults: [{ operation: 'DescribeOrganization', kind: 'accessDenied' }] } });
    const failed = org.inventory.errors!.filter((e) => e.operation === 'DescribeOrganization').map((e) => e.accountId);
    expect(failed).to.deep.equal([MGMT, LOGS, MEMBER]);
    expect(org.fake.calls.filter((c) => c.operation === 'DescribeOrganization' && c.account === MGMT)).to.have.length(1);
  });

  it('on DescribeOrganization answered without an organization id: MalformedResponse, not "outside any organization"', async () => {
    const { inventory } = await runCollect(orgScenario(), fast, { fake: { faults: [{ operation: 'DescribeOrganization', kind: 'error', status: 200, code: 'Unrelated' }] } });
    expect(inventory.accounts[0]).not.to.have.property('organizationId');
    expect(inventory.errors).to.deep.include({
      accountId: MGMT,
      service: 'organizations',
      operation: 'DescribeOrganization',
      code: 'MalformedResponse',
      message: 'DescribeOrganization returned no organization id of the form o-[a-z0-9]{10,32}',
    });
  });

  it('outside an organization: no organizationId, no error', async () => {
    const scenario = orgScenario();
    delete scenario.organization;
    const { inventory } = await runCollect(scenario, fast);
    expect(inventory.accounts[0]).not.to.have.property('organizationId');
    expect(inventory.errors!.filter((e) => e.service === 'organizations')).to.deep.equal([]);
  });
});

describe('collect: throttling', () => {
  it('absorbs a burst of ThrottlingException and SlowDown with the SDK retries', async () => {
    const { inventory, fake } = await runCollect(orgScenario(), fast, {
      fake: {
        faults: [
          { service: 'cloudtrail', operation: 'GetTrailStatus', resource: ORG_TRAIL_ARN, kind: 'throttle', times: 2 },
          { service: 's3', operation: 'GetBucketAcl', kind: 'throttle', times: 1 },
        ],
      },
    });
    expect(fake.calls.filter((c) => c.code === 'ThrottlingException')).to.have.length(2);
    expect(fake.calls.filter((c) => c.code === 'SlowDown' && c.status === 503)).to.have.length(1);
    expect(codes(inventory.errors)).to.deep.equal(BASELINE);
    expect(inventory.accounts[0].trails.find((t) => t.Trail.TrailARN === ORG_TRAIL_ARN)!.Status!.IsLogging).to.equal(true);
  });

  it('records throttling that outlived the retries as an error, never as data', async () => {
    const { inventory, fake } = await runCollect(orgScenario(), { ...fast, maxAttempts: 2 }, {
      fake: { faults: [{ service: 'cloudtrail', operation: 'GetEventSelectors', resource: ORG_TRAIL_ARN, kind: 'throttle' }] },
    });
    expect(fake.calls.filter((c) => c.operation === 'GetEventSelectors' && c.resource === ORG_TRAIL_ARN)).to.have.length(2);
    const entry = inventory.accounts[0].trails.find((t) => t.Trail.TrailARN === ORG_TRAIL_ARN)!;
    expect(entry).not.to.have.property('EventSelectors');
    expect(codes(inventory.errors)).to.include(`cloudtrail:GetEventSelectors:${ORG_TRAIL_ARN}:ThrottlingException`);
  });
});

describe('collect: 5xx, slow and malformed responses', () => {
  it('retries a transient 500 and records a persistent 503', async () => {
    const { inventory, fake } = await runCollect(orgScenario(), fast, {
      fake: {
        faults: [
          { region: 'us-west-2', operation: 'DescribeTrails', kind: 'error', status: 500, code: 'InternalFailure', times: 1 },
          { service: 's3', operation: 'GetBucketLogging', kind: 'error', status: 503, code: 'ServiceUnavailable' },
        ],
      },
    });
    expect(fake.calls.filter((c) => c.operation === 'DescribeTrails' && c.region === 'us-west-2').map((c) => c.status)).to.deep.equal([500, 200]);
    expect(codes(inventory.errors)).to.include('s3:GetBucketLogging:mgmt-logs-eu:ServiceUnavailable');
    expect(inventory.buckets!['mgmt-logs-eu']).not.to.have.property('Logging');
  });

  it('waits for a slow answer, and records a TimeoutError for one slower than the request timeout', async () => {
    const { inventory } = await runCollect(orgScenario(), { ...fast, maxAttempts: 2, requestTimeoutMs: 400 }, {
      fake: {
        latencyMs: [0, 5],
        faults: [
          { operation: 'GetEventSelectors', resource: MGMT_TRAIL_ARN, kind: 'latency', ms: 150 },
          { operation: 'GetTrailStatus', resource: MGMT_TRAIL_ARN, kind: 'latency', ms: 1500 },
        ],
      },
    });
    const entry = inventory.accounts[0].trails.find((t) => t.Trail.TrailARN === MGMT_TRAIL_ARN)!;
    expect(entry.EventSelectors).to.have.length(1);
    expect(entry).not.to.have.property('Status');
    expect(codes(inventory.errors)).to.include(`cloudtrail:GetTrailStatus:${MGMT_TRAIL_ARN}:TimeoutError`);
  });

  // An endpoint that takes the connection and never answers: each attempt waited the whole request
  // timeout, and the SDK retried it as it retries throttling, 8 times (4 minutes at the default 30 s).
  it('gives up a read that keeps timing out after two attempts, whatever maxAttempts allows (AssumeRole too)', async () => {
    const hung = { kind: 'latency' as const, ms: 1_000 };
    const { inventory, fake } = await runCollect(orgScenario(), { ...fast, maxAttempts: 8, requestTimeoutMs: 100, accounts: [MGMT, LOGS], roleName: ROLE }, {
      fake: {
        faults: [
          { ...hung, account: MGMT, region: 'eu-west-1', service: 'cloudtrail', operation: 'DescribeTrails' },
          { ...hung, service: 'sts', operation: 'AssumeRole' },
        ],
      },
    });
    expect(fake.calls.filter((c) => c.account === MGMT && c.region === 'eu-west-1' && c.operation === 'DescribeTrails')).to.have.length(2);
    expect(fake.calls.filter((c) => c.operation === 'AssumeRole')).to.have.length(2);
    expect(codes(inventory.errors)).to.include.members(['cloudtrail:DescribeTrails:eu-west-1:TimeoutError', 'sts:AssumeRole:-:TimeoutError']);
  });

  // The request timeout ends when the headers come: a body that never followed them was waited
  // for without end (the SDK sets no socket timeout by default), whatever the request timeout.
  it('gives up a read whose answer stops after its headers, at the request timeout, after two attempts', async function () {
    this.timeout(10_000);
    const { inventory, fake } = await runCollect(orgScenario(), { ...fast, maxAttempts: 8, requestTimeoutMs: 100 }, {
      fake: { faults: [{ account: MGMT, region: 'eu-west-1', service: 'cloudtrail', operation: 'DescribeTrails', kind: 'stall' }] },
    });
    expect(fake.calls.filter((c) => c.account === MGMT && c.region === 'eu-west-1' && c.operation === 'DescribeTrails')).to.have.length(2);
    expect(codes(inventory.errors)).to.include('cloudtrail:DescribeTrails:eu-west-1:TimeoutError');
  });

  it('records a response that cannot be parsed as MalformedResponse', async () => {
    const { inventory } = await runCollect(orgScenario(), fast, {
      fake: {
        faults: [
          { region: 'us-east-1', service: 'cloudtrail', operation: 'DescribeTrails', kind: 'malformed' },
          { service: 's3', operation: 'GetBucketAcl', resource: 'mgmt-logs-eu', kind: 'malformed' },
        ],
      },
    });
    expect(codes(inventory.errors)).to.include.members(['cloudtrail:DescribeTrails:us-east-1:MalformedResponse', 's3:GetBucketAcl:mgmt-logs-eu:MalformedResponse']);
    // The organization trail is still seen through its shadow copies in the other regions.
    expect(inventory.accounts[0].trails.map((t) => t.Trail.TrailARN)).to.include(ORG_TRAIL_ARN);
  });

  it('records a trail list holding a trail the inventory format cannot (its TrailARN and HomeRegion in a region that is no region name) as MalformedResponse, so the scan of it still runs', async () => {
    const scenario = orgScenario();
    scenario.trails.push({ account: MGMT, name: 'odd', homeRegion: 'evil.example#', multiRegion: true, bucket: 'mgmt-logs-eu' });
    const { inventory } = await runCollect(scenario, { ...fast, regions: ['us-east-1'] });
    expect(codes(inventory.errors)).to.include('cloudtrail:DescribeTrails:us-east-1:MalformedResponse');
    expect(inventory.errors!.find((e) => e.operation === 'DescribeTrails')!.message).to.equal('DescribeTrails returned a trail whose TrailARN is not of the form the inventory format gives it');
    // What was collected is an inventory a scan takes: the region's trails are unknown, not refused.
    expect(() => parseInventory(JSON.stringify(inventory), 'live.json')).to.not.throw();
  });

  it('records a trail list holding a trail of another partition as MalformedResponse: the scan refused its own inventory (exit 2)', async () => {
    const scenario = orgScenario();
    scenario.trails.push({ account: MGMT, name: 'odd', homeRegion: 'us-east-1', bucket: 'mgmt-logs-eu', partition: 'aws-cn' });
    const { inventory } = await runCollect(scenario, { ...fast, regions: ['us-east-1'] });
    expect(inventory.errors!.find((e) => e.operation === 'DescribeTrails')?.message).to.equal('DescribeTrails returned a trail in another partition than aws');
    expect(() => parseInventory(JSON.stringify(inventory), 'live.json')).to.not.throw();
  });

  it('records a well-formed answer to another question (moto lists the bucket for ?requestPayment) as MalformedResponse, never as "none"', async () => {
    const { inventory } = await runCollect(orgScenario(), fast, {
      fake: {
        faults: [
          { service: 's3', operation: 'GetBucketRequestPayment', resource: 'mgmt-logs-eu', kind: 'bucketListing' },
          { service: 's3', operation: 'GetBucketPolicyStatus', resource: 'mgmt-logs-eu', kind: 'bucketListing' },
        ],
      },
    });
    const b = inventory.buckets!['mgmt-logs-eu'];
    // Not Requester Pays and not public are facts only when AWS said so.
    expect(b).not.to.have.property('RequestPayer');
    expect(b).not.to.have.property('PolicyStatus');
    expect(b).to.include({ Region: 'eu-west-1', Policy: null });
    const errors = inventory.errors!.filter((e) => e.resource === 'mgmt-logs-eu');
    expect(errors).to.deep.equal([
      { accountId: MGMT, region: 'eu-west-1', service: 's3', operation: 'GetBucketPolicyStatus', resource: 'mgmt-logs-eu', code: 'MalformedResponse', message: 'GetBucketPolicyStatus returned an answer without PolicyStatus.IsPublic' },
      { accountId: MGMT, region: 'eu-west-1', service: 's3', operation: 'GetBucketRequestPayment', resource: 'mgmt-logs-eu', code: 'MalformedResponse', message: 'GetBucketRequestPayment returned an answer without a Payer' },
    ]);
  });

  it('records a GetBucketLocation answered with anything but a LocationConstraint (a bucket listing, an empty body) as MalformedResponse, never as us-east-1', async () => {
    // The SDK parses all of these to {}, as it parses the empty <LocationConstraint/> of a bucket in us-east-1.
    for (const fault of [{ kind: 'bucketListing' as const }, { kind: 'truncate' as const, bytes: 0 }]) {
      const { inventory, fake } = await runCollect(orgScenario(), fast, { fake: { faults: [{ service: 's3', operation: 'GetBucketLocation', resource: 'mgmt-logs-eu', ...fault }] } });
      expect(inventory.buckets!, fault.kind).not.to.have.property('mgmt-logs-eu');
      expect(inventory.errors!.filter((e) => e.resource === 'mgmt-logs-eu'), fault.kind).to.deep.equal([
        { accountId: MGMT, region: 'us-east-1', service: 's3', operation: 'GetBucketLocation', resource: 'mgmt-logs-eu', code: 'MalformedResponse', message: 'GetBucketLocation returned an answer without a LocationConstraint' },
      ]);
      // Asked once: an answer to another question is not retried.
      expect(fake.calls.filter((c) => c.operation === 'GetBucketLocation' && c.resource === 'mgmt-logs-eu'), fault.kind).to.have.length(1);
    }
    // The empty LocationConstraint AWS answers for us-east-1 is still us-east-1, and EU still eu-west-1.
    const scenario = orgScenario();
    scenario.buckets.push({ name: 'virginia-logs', account: MGMT, region: 'us-east-1' });
    scenario.trails.push({ account: MGMT, name: 'virginia', homeRegion: 'us-east-1', bucket: 'virginia-logs' });
    const { inventory } = await runCollect(scenario, fast);
    expect(inventory.buckets!['virginia-logs']).to.include({ Region: 'us-east-1', Policy: null });
    expect(inventory.buckets!['mgmt-logs-eu']).to.include({ Region: 'eu-west-1' });
  });

  it('records a GetBucketLogging or GetBucketVersioning answered with anything but its root element as MalformedResponse, never as "off"', async () => {
    for (const [operation, root, field] of [['GetBucketLogging', 'BucketLoggingStatus', 'Logging'], ['GetBucketVersioning', 'VersioningConfiguration', 'Versioning']] as const) {
      for (const fault of [{ kind: 'bucketListing' as const }, { kind: 'truncate' as const, bytes: 0 }]) {
        const { inventory } = await runCollect(orgScenario(), { ...fast, accounts: [MGMT, LOGS], roleName: ROLE }, { fake: { faults: [{ service: 's3', operation, resource: 'org-trail-logs', ...fault }] } });
        const b = inventory.buckets!['org-trail-logs'];
        expect(b, `${operation} ${fault.kind}`).not.to.have.property(field);
        expect(codes(inventory.errors), `${operation} ${fault.kind}`).to.include(`s3:${operation}:org-trail-logs:MalformedResponse`);
        expect(inventory.errors!.find((e) => e.operation === operation)!.message).to.equal(`${operation} returned an answer without a ${root}`);
      }
    }
    // The empty roots AWS answers for a setting that is off are still "off".
    const { inventory } = await runCollect(orgScenario(), fast);
    expect(inventory.buckets!['mgmt-logs-eu']).to.deep.include({ Logging: {}, Versioning: {} });
  });

  it('a ListBuckets answered with an empty body is a failed listing, said as one, not an account that owns no bucket', async () => {
    const { inventory, progress } = await runCollect(orgScenario(), { ...fast, accounts: [MGMT, LOGS], roleName: ROLE }, { fake: { faults: [{ service: 's3', operation: 'ListBuckets', kind: 'truncate', bytes: 0 }] } });
    expect(progress.filter((l) => /cannot list its buckets \(MalformedResponse\)/.test(l))).to.have.length(2);
    // Each trail bucket is still read, by the accounts that use it: the log-archive bucket by the management account, refused.
    expect(codes(inventory.errors).filter((c) => c.includes(':org-trail-logs:')).length).to.be.above(0);
  });

  it('a 200 whose body is an S3 <Error> is that error (retried when it is InternalError), not an answer without its root element', async () => {
    for (const [operation, field] of [['GetBucketLocation', 'Region'], ['GetBucketLogging', 'Logging'], ['GetBucketVersioning', 'Versioning']] as const) {
      // Once: the SDK retries the InternalError, and the second answer is the bucket's own.
      const once = await runCollect(orgScenario(), fast, { fake: { faults: [{ service: 's3', operation, resource: 'mgmt-logs-eu', kind: 'error', status: 200, code: 'InternalError', times: 1 }] } });
      expect(once.inventory.buckets!['mgmt-logs-eu'], operation).to.have.property(field);
      expect(once.inventory.errors!.filter((e) => e.resource === 'mgmt-logs-eu'), operation).to.deep.equal([]);
      expect(once.fake.calls.filter((c) => c.operation === operation && c.resource === 'mgmt-logs-eu'), operation).to.have.length(2);
      // Always: recorded under its own code and message.
      const always = await runCollect(orgScenario(), fast, { fake: { faults: [{ service: 's3', operation, resource: 'mgmt-logs-eu', kind: 'error', status: 200, code: 'InternalError' }] } });
      expect(codes(always.inventory.errors), operation).to.include(`s3:${operation}:mgmt-logs-eu:InternalError`);
    }
  });

  it('a page of account:ListRegions without Regions: the regions come from ec2:DescribeRegions, none left out', async () => {
    // 63 enabled regions: two pages of ListRegions, and the second answers another question.
    const scenario = orgScenario();
    const extra = Array.from({ length: 60 }, (_, i) => `xx-test-${i + 1}`);
    scenario.accounts.find((a) => a.id === MGMT)!.regions.push(...extra.map((name) => ({ name, status: 'ENABLED' as const })));
    const { inventory, fake } = await runCollect(scenario, { ...fast, burst: 100 }, {
      fake: { faults: [{ operation: 'ListRegions', kind: 'error', status: 200, code: 'Unrelated', after: 1 }] },
    });
    expect(fake.calls.filter((c) => c.operation === 'ListRegions')).to.have.length(2);
    expect(fake.calls.filter((c) => c.operation === 'DescribeRegions')).to.have.length(1);
    expect(inventory.accounts[0].regions).to.deep.equal([...REGIONS, ...extra].sort());
  });

  it('--organization: a ListAccounts answer without Accounts stops the run, rather than auditing no account', async () => {
    const run = runCollect(orgScenario(), { ...fast, organization: true, roleName: ROLE }, { fake: { faults: [{ operation: 'ListAccounts', kind: 'error', status: 200, code: 'Unrelated' }] } });
    const err = await run.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).to.be.instanceOf(CollectionError);
    expect((err as Error).message).to.equal('cannot list the accounts of the organization: MalformedResponse: ListAccounts returned a page without Accounts');
  });

  it('--organization: an account id in ListAccounts that is not 12 digits stops the run: it would go into a role ARN and the inventory', async () => {
    const scenario = orgScenario();
    scenario.accounts.push({ id: '12345', regions: [] });
    const err = await runCollect(scenario, { ...fast, organization: true, roleName: ROLE }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).to.be.instanceOf(CollectionError);
    expect((err as Error).message).to.equal('cannot list the accounts of the organization: MalformedResponse: ListAccounts listed an account whose Id is not 12 digits');
  });

  it('records a bucket listing given for the public access block or the ownership controls as MalformedResponse, never as an empty setting', async () => {
    const { inventory } = await runCollect(orgScenario(), fast, {
      fake: {
        faults: [
          { service: 's3', operation: 'GetPublicAccessBlock', resource: 'mgmt-logs-eu', kind: 'bucketListing' },
          { service: 's3', operation: 'GetBucketOwnershipControls', resource: 'mgmt-logs-eu', kind: 'bucketListing' },
        ],
      },
    });
    const b = inventory.buckets!['mgmt-logs-eu'];
    expect(b).not.to.have.property('PublicAccessBlock');
    expect(b).not.to.have.property('OwnershipControls');
    expect(inventory.errors!.filter((e) => e.resource === 'mgmt-logs-eu')).to.deep.equal([
      { accountId: MGMT, region: 'eu-west-1', service: 's3', operation: 'GetBucketOwnershipControls', resource: 'mgmt-logs-eu', code: 'MalformedResponse', message: 'GetBucketOwnershipControls returned an answer without OwnershipControls.Rules' },
      { accountId: MGMT, region: 'eu-west-1', service: 's3', operation: 'GetPublicAccessBlock', resource: 'mgmt-logs-eu', code: 'MalformedResponse', message: 'GetPublicAccessBlock returned an answer without the four settings of a PublicAccessBlockConfiguration' },
    ]);
    // What AWS does answer is kept as it came.
    const read = await runCollect(orgScenario(), { ...fast, accounts: [MGMT, LOGS], roleName: ROLE });
    expect(read.inventory.buckets!['org-trail-logs']).to.deep.include({
      PublicAccessBlock: { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true },
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
    });
  });

  it('records a bucket that does not exist as {Exists: false}', async () => {
    const scenario = orgScenario();
    scenario.buckets = scenario.buckets.filter((b) => b.name !== 'mgmt-logs-eu');
    const { inventory } = await runCollect(scenario, fast);
    expect(inventory.buckets!['mgmt-logs-eu']).to.deep.equal({ Exists: false });
  });
});

describe('collect: regions that are not enabled', () => {
  it('falls back to ec2:DescribeRegions when account:ListRegions is denied', async () => {
    const { inventory, fake } = await runCollect(orgScenario(), fast, { fake: { faults: [{ operation: 'ListRegions', kind: 'accessDenied' }] } });
    expect(inventory.accounts[0].regions).to.deep.equal(REGIONS);
    expect(fake.calls.filter((c) => c.operation === 'DescribeRegions').map((c) => c.status)).to.deep.equal([200]);
    expect(inventory.errors!.filter((e) => e.service === 'account' || e.service === 'ec2')).to.deep.equal([]);
  });

  it('skips a chosen region whose calls say the credentials are unknown there, when no list says it is enabled', async () => {
    const { inventory, progress } = await runCollect(orgScenario(), { ...fast, regions: ['us-east-1', 'ap-east-1'] }, {
      fake: { faults: [{ operation: 'ListRegions', kind: 'accessDenied' }, { operation: 'DescribeRegions', kind: 'accessDenied' }] },
    });
    expect(inventory.accounts[0].regions).to.deep.equal(['us-east-1']);
    expect(progress.some((l) => l.includes('region ap-east-1 is not enabled (UnrecognizedClientException), skipped'))).to.equal(true);
    expect(inventory.errors!.filter((e) => e.region === 'ap-east-1')).to.deep.equal([]);
  });

  it('leaves out regions of another partition that an emulator lists (moto lists cn-* and us-gov-*), by either listing', async () => {
    for (const faults of [[], [{ operation: 'ListRegions', kind: 'accessDenied' as const }]]) {
      const scenario = orgScenario();
      scenario.accounts.find((a) => a.id === MGMT)!.regions.push({ name: 'cn-north-1', status: 'ENABLED_BY_DEFAULT' }, { name: 'us-gov-west-1', status: 'ENABLED_BY_DEFAULT' });
      const { inventory, fake } = await runCollect(scenario, fast, { fake: { faults } });
      expect(inventory.accounts[0].regions).to.deep.equal(REGIONS);
      expect(fake.calls.filter((c) => c.region.startsWith('cn-') || c.region.startsWith('us-gov-'))).to.deep.equal([]);
    }
  });

  it('records an error when a region listed as enabled refuses the credentials', async () => {
    const { inventory } = await runCollect(orgScenario(), fast, { fake: { faults: [{ region: 'us-west-2', operation: 'DescribeTrails', kind: 'regionNotEnabled' }] } });
    expect(codes(inventory.errors)).to.include('cloudtrail:DescribeTrails:us-west-2:UnrecognizedClientException');
  });

  it('records account-wide errors when no region list can be read and none was chosen', async () => {
    const { inventory } = await runCollect(orgScenario(), fast, {
      fake: { faults: [{ operation: 'ListRegions', kind: 'accessDenied' }, { operation: 'DescribeRegions', kind: 'accessDenied' }] },
    });
    expect(inventory.accounts[0]).to.deep.include({ regions: [], trails: [] });
    expect(codes(inventory.errors)).to.deep.equal(['account:ListRegions:-:AccessDeniedException', 'ec2:DescribeRegions:-:UnauthorizedOperation']);
  });
});

describe('collect: pagination loops', () => {
  it('a ListRegions that gives back a NextToken it already gave is no list: the regions come from ec2:DescribeRegions, none left out', async () => {
    const { inventory, fake } = await runCollect(orgScenario(), fast, {
      fake: { faults: [{ operation: 'ListRegions', kind: 'answer', value: { Regions: [{ RegionName: 'us-east-1', RegionOptStatus: 'ENABLED_BY_DEFAULT' }], NextToken: 'again' } }] },
    });
    expect(fake.calls.filter((c) => c.operation === 'ListRegions')).to.have.length(2);
    expect(fake.calls.filter((c) => c.operation === 'DescribeRegions')).to.have.length(1);
    expect(inventory.accounts[0].regions).to.deep.equal(REGIONS);
  });

  it('a NextToken that comes back after another (A, B, A) is a loop too, found at once rather than after 1000 pages', async () => {
    const page = (token: string) => ({ Regions: [{ RegionName: 'us-east-1', RegionOptStatus: 'ENABLED_BY_DEFAULT' }], NextToken: token });
    const { inventory, fake } = await runCollect(orgScenario(), fast, {
      fake: {
        faults: [
          { operation: 'ListRegions', kind: 'answer', value: page('A'), times: 1 },
          { operation: 'ListRegions', kind: 'answer', value: page('B'), after: 1, times: 1 },
          { operation: 'ListRegions', kind: 'answer', value: page('A'), after: 2 },
        ],
      },
    });
    expect(fake.calls.filter((c) => c.operation === 'ListRegions')).to.have.length(3);
    expect(inventory.accounts[0].regions).to.deep.equal(REGIONS);
  });

  it('--organization: a ListAccounts that gives back the NextToken it was sent stops the run, rather than auditing only the pages before the loop', async () => {
    const err = await runCollect(orgScenario(), { ...fast, organization: true, roleName: ROLE }, {
      fake: { faults: [{ operation: 'ListAccounts', kind: 'answer', value: { Accounts: [{ Id: MGMT, State: 'ACTIVE', Status: 'ACTIVE' }], NextToken: '20' } }] },
    }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).to.be.instanceOf(CollectionError);
    expect((err as Error).message).to.equal('cannot list the accounts of the organization: MalformedResponse: ListAccounts returned a NextToken it had already returned (a pagination loop)');
  });
});

describe('collect: answers that leave something out', () => {
  it('--organization: an account listed without its State (or Status) stops the run, rather than leaving the account out as "not active"', async () => {
    const err = await runCollect(orgScenario(), { ...fast, organization: true, roleName: ROLE }, {
      fake: { faults: [{ operation: 'ListAccounts', kind: 'answer', value: { Accounts: [{ Id: MGMT, State: 'ACTIVE' }, { Id: MEMBER }] } }] },
    }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).to.be.instanceOf(CollectionError);
    expect((err as Error).message).to.equal('cannot list the accounts of the organization: MalformedResponse: ListAccounts listed an account without its State');
  });

  it('a ListRegions entry without its RegionOptStatus is no answer: the regions come from ec2:DescribeRegions, the region not dropped', async () => {
    const regions = REGIONS.map((name) => (name === 'eu-west-1' ? { RegionName: name } : { RegionName: name, RegionOptStatus: 'ENABLED_BY_DEFAULT' }));
    const { inventory, fake } = await runCollect(orgScenario(), fast, { fake: { faults: [{ operation: 'ListRegions', kind: 'answer', value: { Regions: regions } }] } });
    expect(fake.calls.filter((c) => c.operation === 'DescribeRegions')).to.have.length(1);
    expect(inventory.accounts[0].regions).to.deep.equal(REGIONS);
  });
});

describe('collect: failures that name no AWS error code', () => {
  it('an error status with no error code in the answer is recorded by its HTTP status, not as "Unknown"', async () => {
    const { inventory } = await runCollect(orgScenario(), fast, {
      fake: {
        faults: [
          { service: 's3', operation: 'GetBucketAcl', resource: 'mgmt-logs-eu', kind: 'bare', status: 403 },
          { service: 'cloudtrail', operation: 'GetTrailStatus', resource: MGMT_TRAIL_ARN, kind: 'bare', status: 503 },
        ],
      },
    });
    expect(inventory.errors!.filter((e) => e.resource === 'mgmt-logs-eu' || e.resource === MGMT_TRAIL_ARN).map((e) => `${e.operation}:${e.code}:${e.message}`)).to.deep.equal([
      'GetTrailStatus:HTTP503:the endpoint answered HTTP 503 with no AWS error code',
      'GetBucketAcl:HTTP403:the endpoint answered HTTP 403 with no AWS error code',
    ]);
  });

  it('an empty 404 is recorded by its status too, not as the "NotFound: UnknownError" the S3 client makes up for it', async () => {
    const { inventory } = await runCollect(orgScenario(), fast, { fake: { faults: [{ service: 's3', operation: 'GetBucketAcl', resource: 'mgmt-logs-eu', kind: 'bare', status: 404 }] } });
    expect(inventory.errors!.filter((e) => e.resource === 'mgmt-logs-eu').map((e) => `${e.operation}:${e.code}:${e.message}`)).to.deep.equal([
      'GetBucketAcl:HTTP404:the endpoint answered HTTP 404 with no AWS error code',
    ]);
  });

  // The SDK's HTTP handler names a reset connection (and a broken pipe) TimeoutError too: counted as
  // timeouts, three resets in a row ended the read after two attempts of the eight.
  it('a connection reset keeps the SDK\'s retries: it is no timeout of the two a call may have', async () => {
    const { inventory, fake } = await runCollect(orgScenario(), { ...fast, maxAttempts: 8 }, {
      fake: { faults: [{ account: MGMT, region: 'eu-west-1', service: 'cloudtrail', operation: 'DescribeTrails', kind: 'reset', times: 3 }] },
    });
    expect(fake.calls.filter((c) => c.account === MGMT && c.region === 'eu-west-1' && c.operation === 'DescribeTrails')).to.have.length(4);
    expect(codes(inventory.errors).filter((c) => c.startsWith('cloudtrail:DescribeTrails:'))).to.deep.equal([]);
  });

  it('a connection reset is recorded as ECONNRESET, not as a timeout', async () => {
    const { inventory } = await runCollect(orgScenario(), fast, { fake: { faults: [{ service: 'cloudtrail', operation: 'GetTrailStatus', resource: MGMT_TRAIL_ARN, kind: 'reset' }] } });
    expect(codes(inventory.errors)).to.include(`cloudtrail:GetTrailStatus:${MGMT_TRAIL_ARN}:ECONNRESET`);
  });

  it('an answer that cannot be parsed is recorded with the parser\'s words, without the SDK\'s advice to inspect a hidden field of the error object', async () => {
    const { inventory } = await runCollect(orgScenario(), fast, {
      fake: {
        faults: [
          { region: 'us-east-1', service: 'cloudtrail', operation: 'DescribeTrails', kind: 'malformed' },
          { service: 's3', operation: 'GetBucketAcl', resource: 'mgmt-logs-eu', kind: 'malformed' },
        ],
      },
    });
    const malformed = inventory.errors!.filter((e) => e.code === 'MalformedResponse');
    expect(malformed.map((e) => e.operation)).to.deep.equal(['GetBucketAcl', 'DescribeTrails']);
    expect(malformed.find((e) => e.operation === 'DescribeTrails')!.message).to.equal('Unexpected end of JSON input');
    for (const e of malformed) expect(e.message).to.not.include('hidden field');
  });
});

describe('collect: a clock 10 minutes off', () => {
  // The fake's Date header is 10 minutes ahead: to the SDK, this machine's clock is 10 minutes slow.
  const skewed = { clockOffsetMs: 600_000 };
  const attempts = { ...fast, maxAttempts: 8 };

  it('a refusal is asked once, not retried as if the clock were the cause (reads and AssumeRole alike)', async () => {
    const { inventory, fake } = await runCollect(orgScenario(), { ...attempts, accounts: [MGMT, OUTSIDER], roleName: ROLE }, {
      fake: { ...skewed, faults: [{ service: 'cloudtrail', operation: 'GetTrailStatus', resource: MGMT_TRAIL_ARN, kind: 'accessDenied' }] },
    });
    expect(codes(inventory.errors)).to.include.members([`cloudtrail:GetTrailStatus:${MGMT_TRAIL_ARN}:AccessDeniedException`, 's3:GetBucketLocation:org-trail-logs:AccessDenied', 'sts:AssumeRole:-:AccessDenied']);
    const asked = (operation: string, resource?: string) => fake.calls.filter((c) => c.operation === operation && (resource === undefined || c.resource === resource)).length;
    expect(asked('GetTrailStatus', MGMT_TRAIL_ARN)).to.equal(1);
    expect(asked('GetBucketLocation', 'org-trail-logs')).to.equal(1);
    expect(asked('AssumeRole')).to.equal(1);
  });

  it('an answer about the clock itself is still retried with the corrected time, and the read succeeds', async () => {
    const { inventory, fake } = await runCollect(orgScenario(), attempts, {
      fake: {
        ...skewed,
        faults: [
          { service: 's3', operation: 'GetBucketAcl', resource: 'mgmt-logs-eu', kind: 'error', status: 403, code: 'RequestTimeTooSkewed', message: 'The difference between the request time and the current time is too large.', times: 1 },
          { service: 'cloudtrail', operation: 'GetTrailStatus', resource: MGMT_TRAIL_ARN, kind: 'error', status: 400, code: 'InvalidSignatureException', message: 'Signature expired: 20261121T015000Z is now earlier than 20261121T015500Z (20261121T020000Z - 5 min.)', times: 1 },
        ],
      },
    });
    expect(codes(inventory.errors)).to.have.members(BASELINE);
    expect(inventory.buckets!['mgmt-logs-eu'].Acl).to.not.equal(undefined);
    expect(inventory.accounts[0].trails.find((t) => t.Trail.TrailARN === MGMT_TRAIL_ARN)!.Status).to.not.equal(undefined);
    expect(fake.calls.filter((c) => c.operation === 'GetBucketAcl' && c.resource === 'mgmt-logs-eu')).to.have.length(2);
    expect(fake.calls.filter((c) => c.operation === 'GetTrailStatus' && c.resource === MGMT_TRAIL_ARN)).to.have.length(2);
  });

  // SignatureDoesNotMatch and InvalidSignatureException are what STS and the JSON services answer
  // for a skewed clock ('Signature expired: ...'), but also for a wrong secret key: only the
  // message tells, as for AccessDeniedException. The wrong key was asked maxAttempts times.
  it('a signature refusal that is not about the time (a wrong secret key) is asked once', async () => {
    const mismatch = 'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.';
    const { inventory, fake } = await runCollect(orgScenario(), attempts, {
      fake: {
        ...skewed,
        faults: [
          { service: 's3', operation: 'GetBucketAcl', resource: 'mgmt-logs-eu', kind: 'error', status: 403, code: 'SignatureDoesNotMatch', message: mismatch },
          { service: 'cloudtrail', operation: 'GetTrailStatus', resource: MGMT_TRAIL_ARN, kind: 'error', status: 400, code: 'InvalidSignatureException', message: mismatch },
        ],
      },
    });
    expect(codes(inventory.errors)).to.include.members(['s3:GetBucketAcl:mgmt-logs-eu:SignatureDoesNotMatch', `cloudtrail:GetTrailStatus:${MGMT_TRAIL_ARN}:InvalidSignatureException`]);
    expect(fake.calls.filter((c) => c.operation === 'GetBucketAcl' && c.resource === 'mgmt-logs-eu')).to.have.length(1);
    expect(fake.calls.filter((c) => c.operation === 'GetTrailStatus' && c.resource === MGMT_TRAIL_ARN)).to.have.length(1);
  });

  // The SDK itself retries only an InvalidSignatureException that says 'Signature expired': the
  // others are retried because their message is about the time, whatever their code.
  it('a signature refusal that is about the signing time is retried, whichever of the codes it has', async () => {
    const expired = 'Signature expired: 20261121T015000Z is now earlier than 20261121T015500Z (20261121T020000Z - 5 min.)';
    const early = 'Signature not yet current: 20261121T021000Z is still later than 20261121T020500Z (20261121T020000Z + 5 min.)';
    const { inventory, fake } = await runCollect(orgScenario(), attempts, {
      fake: {
        ...skewed,
        faults: [
          { service: 's3', operation: 'GetBucketAcl', resource: 'mgmt-logs-eu', kind: 'error', status: 403, code: 'SignatureDoesNotMatch', message: expired, times: 1 },
          { service: 'cloudtrail', operation: 'GetTrailStatus', resource: MGMT_TRAIL_ARN, kind: 'error', status: 400, code: 'InvalidSignatureException', message: early, times: 1 },
          { service: 'account', operation: 'ListRegions', kind: 'accessDenied' },
          { service: 'ec2', operation: 'DescribeRegions', kind: 'error', status: 401, code: 'AuthFailure', message: expired, times: 1 },
        ],
      },
    });
    expect(codes(inventory.errors).filter((c) => !c.startsWith('account:ListRegions:'))).to.have.members(BASELINE);
    expect(inventory.buckets!['mgmt-logs-eu'].Acl).to.not.equal(undefined);
    expect(inventory.accounts[0].trails.find((t) => t.Trail.TrailARN === MGMT_TRAIL_ARN)!.Status).to.not.equal(undefined);
    expect(fake.calls.filter((c) => c.operation === 'GetBucketAcl' && c.resource === 'mgmt-logs-eu')).to.have.length(2);
    expect(fake.calls.filter((c) => c.operation === 'GetTrailStatus' && c.resource === MGMT_TRAIL_ARN)).to.have.length(2);
    expect(fake.calls.filter((c) => c.operation === 'DescribeRegions').length).to.be.greaterThan(1);
  });

  // EC2's and a few services' own codes for a request signed too far from AWS's time, whatever they say.
  it('a RequestExpired or RequestInTheFuture is retried with the corrected time, whatever its message', async () => {
    const { inventory, fake } = await runCollect(orgScenario(), attempts, {
      fake: {
        ...skewed,
        faults: [
          { service: 'cloudtrail', operation: 'GetEventSelectors', resource: MGMT_TRAIL_ARN, kind: 'error', status: 400, code: 'RequestInTheFuture', message: 'Request is not yet valid.', times: 1 },
          { service: 'account', operation: 'ListRegions', kind: 'accessDenied' },
          { service: 'ec2', operation: 'DescribeRegions', kind: 'error', status: 400, code: 'RequestExpired', message: 'Request has expired.', times: 1 },
        ],
      },
    });
    expect(codes(inventory.errors).filter((c) => !c.startsWith('account:ListRegions:'))).to.have.members(BASELINE);
    expect(inventory.accounts[0].trails.find((t) => t.Trail.TrailARN === MGMT_TRAIL_ARN)!.EventSelectors).to.not.equal(undefined);
    expect(fake.calls.filter((c) => c.operation === 'GetEventSelectors' && c.resource === MGMT_TRAIL_ARN)).to.have.length(2);
  });

  it('an AccessDeniedException that is about the signing time is retried too, and the read succeeds', async () => {
    const { inventory, fake } = await runCollect(orgScenario(), attempts, {
      fake: {
        ...skewed,
        faults: [
          { service: 'cloudtrail', operation: 'GetTrailStatus', resource: MGMT_TRAIL_ARN, kind: 'error', status: 400, code: 'AccessDeniedException', message: 'Signature expired: 20261121T015000Z is now earlier than 20261121T015500Z (20261121T020000Z - 5 min.)', times: 1 },
          { service: 'cloudtrail', operation: 'GetEventSelectors', resource: MGMT_TRAIL_ARN, kind: 'error', status: 400, code: 'AccessDeniedException', message: 'Signature not yet current: 20261121T021000Z is still later than 20261121T020500Z (20261121T020000Z + 5 min.)', times: 1 },
        ],
      },
    });
    expect(codes(inventory.errors)).to.have.members(BASELINE);
    const mgmt = inventory.accounts[0].trails.find((t) => t.Trail.TrailARN === MGMT_TRAIL_ARN)!;
    expect(mgmt.Status).to.not.equal(undefined);
    expect(fake.calls.filter((c) => c.operation === 'GetTrailStatus' && c.resource === MGMT_TRAIL_ARN)).to.have.length(2);
    expect(fake.calls.filter((c) => c.operation === 'GetEventSelectors' && c.resource === MGMT_TRAIL_ARN)).to.have.length(2);
  });
});

describe('collect: the retries of a call that times out', () => {
  // A stand-in for the SDK's strategy: it retries whatever it is asked to, and counts.
  const inner = () => {
    const seen: string[] = [];
    const token = (n: number) => ({ getRetryCount: () => n, getRetryDelay: () => 0 });
    const strategy = {
      acquireInitialRetryToken: async () => token(0),
      refreshRetryTokenForRetry: async (t: { getRetryCount(): number }, info: { errorType: string }) => (seen.push(info.errorType), token(t.getRetryCount() + 1)),
      recordSuccess: () => undefined,
    };
    return { seen, strategy };
  };
  const timeout = { error: Object.assign(new Error('a request has exceeded the configured requestTimeout'), { name: 'TimeoutError' }), errorType: 'TRANSIENT' };
  const connectTimeout = { error: Object.assign(new Error('connect ETIMEDOUT'), { code: 'ETIMEDOUT' }), errorType: 'TRANSIENT' };
  const throttled = { error: Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }), errorType: 'THROTTLING' };
  // As the SDK's HTTP handler gives it: a reset connection renamed TimeoutError.
  const reset = { error: Object.assign(new Error('socket hang up'), { code: 'ECONNRESET', name: 'TimeoutError' }), errorType: 'TRANSIENT' };

  it('leaves throttling and other transient failures to the SDK, and stops at the second timeout of a call', async () => {
    const { seen, strategy } = inner();
    const bounded = timeoutsBounded(strategy);
    let t = await bounded.acquireInitialRetryToken('');
    for (let i = 0; i < 7; i++) t = await bounded.refreshRetryTokenForRetry(t, i % 2 ? throttled : reset);
    expect(seen).to.have.length(7);
    // Another call of the same client counts its own timeouts.
    let u = await bounded.acquireInitialRetryToken('');
    u = await bounded.refreshRetryTokenForRetry(u, timeout);
    t = await bounded.refreshRetryTokenForRetry(t, connectTimeout);
    u = await bounded.refreshRetryTokenForRetry(u, throttled);
    expect(seen).to.have.length(10);
    let refused = 0;
    for (const token of [t, u]) await bounded.refreshRetryTokenForRetry(token, timeout).catch(() => refused++);
    expect(refused).to.equal(2);
    expect(seen).to.have.length(10);
  });
});

describe('collect: a long run of answers that each fail once', () => {
  // The SDK spends some of a client's retry capacity on each retry and gives it back on success:
  // a client that never heard of the successes would run out after some 35 retries of 5xx and
  // refuse every retry after that, though each failure was followed by an answer.
  it('keeps retrying a 5xx for the whole run, as each retried call then answers', async function () {
    this.timeout(60_000);
    const trails = Array.from({ length: 45 }, (_, i) => `t${String(i).padStart(2, '0')}`);
    const scenario = orgScenario();
    scenario.accounts = scenario.accounts.filter((a) => a.id === MGMT);
    scenario.trails = trails.map((name) => ({ account: MGMT, name, homeRegion: 'us-east-1', bucket: 'mgmt-logs-eu' }));
    const faults = trails.map((name) => ({ service: 'cloudtrail', operation: 'GetTrailStatus', resource: `arn:aws:cloudtrail:us-east-1:${MGMT}:trail/${name}`, kind: 'error' as const, status: 500, code: 'InternalError', times: 1 }));
    const { inventory } = await runCollect(scenario, { requestsPerSecond: 50, burst: 1, regions: ['us-east-1'] }, { fake: { faults } });
    expect(codes(inventory.errors).filter((c) => c.startsWith('cloudtrail:'))).to.deep.equal([]);
    expect(inventory.accounts[0].trails.filter((t) => t.Status !== undefined)).to.have.length(45);
  });
});
