/** Live collection against the fake AWS endpoint: accounts, regions, trails, buckets and keys as inventory.md says. */
import { expect } from 'chai';
import { DEFAULT_REGIONS, regionsOf } from '../fake-aws/scenario.ts';
import { FIXED_NOW, runCollect } from './harness.ts';
import {
  LOGS,
  MEMBER,
  MEMBER_KEY_ID,
  MEMBER_TRAIL_ARN,
  MGMT,
  MGMT_TRAIL_ARN,
  ORG_ID,
  ORG_KEY_ARN,
  ORG_KEY_ID,
  ORG_TRAIL_ARN,
  orgScenario,
  OUTSIDER,
  REGIONS,
  ROLE,
  SUSPENDED,
} from './world.ts';

const arns = (inv: { accounts: { accountId: string; trails: { Trail: { TrailARN: string } }[] }[] }, id: string) =>
  inv.accounts.find((a) => a.accountId === id)?.trails.map((t) => t.Trail.TrailARN);

describe('collect: one account with the default credential chain', () => {
  it('collects the caller account, its enabled regions and its trails in the envelope of inventory.md', async () => {
    const { inventory } = await runCollect(orgScenario());
    expect(inventory.version).to.equal(1);
    expect(inventory.collectedAt).to.equal(FIXED_NOW.toISOString());
    expect(inventory.partition).to.equal('aws');
    expect(inventory.accounts.map((a) => a.accountId)).to.deep.equal([MGMT]);
    const [account] = inventory.accounts;
    expect(account.organizationId).to.equal(ORG_ID);
    // ap-east-1 is an opt-in region this account has not enabled: not looked at.
    expect(account.regions).to.deep.equal(REGIONS);
    expect(arns(inventory, MGMT)).to.deep.equal([MGMT_TRAIL_ARN, ORG_TRAIL_ARN]);
  });

  it('stamps collectedAt when the last read is back, so no delivery seen is later than "now"', async () => {
    // The clock is read once; the fake endpoint's log says how many calls had been answered by then.
    let answeredByThen = -1;
    let fakeCalls: () => number = () => 0;
    const { inventory, fake } = await runCollect(orgScenario(), { now: () => ((answeredByThen = fakeCalls()), FIXED_NOW) }, { before: (f) => (fakeCalls = () => f.calls.length) });
    expect(inventory.collectedAt).to.equal(FIXED_NOW.toISOString());
    expect(fake.calls.length).to.be.greaterThan(0);
    expect(answeredByThen).to.equal(fake.calls.length);
  });

  it('keeps AWS field names and shapes, with times as ISO strings and no $metadata', async () => {
    const { inventory } = await runCollect(orgScenario());
    const org = inventory.accounts[0].trails.find((t) => t.Trail.TrailARN === ORG_TRAIL_ARN)!;
    expect(org.Trail).to.include({ Name: 'org-trail', HomeRegion: 'us-east-1', IsMultiRegionTrail: true, IsOrganizationTrail: true, S3BucketName: 'org-trail-logs', KmsKeyId: ORG_KEY_ARN });
    expect(org.Status).to.include({ IsLogging: true, LatestDeliveryTime: '2026-11-20T23:55:00.000Z', StartLoggingTime: '2026-01-01T00:00:00.000Z' });
    // AWS answers GetEventSelectors with the default selector for a trail without custom ones.
    expect(org.EventSelectors).to.deep.equal([{ ReadWriteType: 'All', IncludeManagementEvents: true, DataResources: [], ExcludeManagementEventSources: [] }]);
    // InsightNotEnabledException means "collected, none".
    expect(org.InsightSelectors).to.deep.equal([]);
    const regional = inventory.accounts[0].trails.find((t) => t.Trail.TrailARN === MGMT_TRAIL_ARN)!;
    expect(regional.InsightSelectors).to.deep.equal([{ InsightType: 'ApiCallRateInsight' }]);
    expect(JSON.stringify(inventory)).not.to.contain('$metadata');
  });

  it('leaves the default selector implied when an endpoint answers [] for a trail without custom selectors', async () => {
    const scenario = orgScenario();
    scenario.trails[0].emptyDefaultSelectors = true;
    const { inventory } = await runCollect(scenario);
    const org = inventory.accounts[0].trails.find((t) => t.Trail.TrailARN === ORG_TRAIL_ARN)!;
    expect(org.Trail.HasCustomEventSelectors).to.equal(false);
    expect(org).not.to.have.property('EventSelectors');
    expect(inventory.errors!.filter((e) => e.operation === 'GetEventSelectors')).to.deep.equal([]);
  });

  it('reads each bucket in its own region, normalising EU to eu-west-1, and records absent settings as null', async () => {
    const { inventory, fake } = await runCollect(orgScenario());
    expect(inventory.buckets!['mgmt-logs-eu']).to.deep.include({
      Region: 'eu-west-1',
      Policy: null,
      PolicyStatus: null,
      PublicAccessBlock: null,
      OwnershipControls: null,
      Logging: {},
      Versioning: {},
      RequestPayer: 'BucketOwner',
    });
    const reads = fake.calls.filter((c) => c.service === 's3' && c.resource === 'mgmt-logs-eu' && c.operation !== 'GetBucketLocation');
    expect(reads).to.have.length(8);
    expect(new Set(reads.map((c) => c.region))).to.deep.equal(new Set(['eu-west-1']));
  });

  it('records an error, not a null, when the bucket in another account cannot be read', async () => {
    const { inventory } = await runCollect(orgScenario());
    expect(inventory.buckets).not.to.have.property('org-trail-logs');
    expect(inventory.errors).to.deep.include({
      accountId: MGMT,
      region: 'us-east-1',
      service: 's3',
      operation: 'GetBucketLocation',
      resource: 'org-trail-logs',
      code: 'AccessDenied',
      message: 'Access Denied',
    });
  });
});

/**
 * The organization trail, its bucket and its key in ap-east-1, an opt-in region the management
 * account (their owner, not scanned) and MEMBER have enabled and LOGS has not.
 */
function optInOrgResources() {
  const scenario = orgScenario();
  scenario.accounts.find((a) => a.id === MGMT)!.regions = regionsOf(['ap-east-1'], [...REGIONS, 'ap-east-1']);
  const keyArn = `arn:aws:kms:ap-east-1:${MGMT}:key/${ORG_KEY_ID}`;
  Object.assign(scenario.trails[0], { homeRegion: 'ap-east-1', bucket: 'mgmt-org-logs', kmsKeyId: keyArn });
  scenario.buckets.push({ name: 'mgmt-org-logs', account: MGMT, region: 'ap-east-1', readableBy: [LOGS, MEMBER], policy: '{"Version":"2012-10-17","Statement":[]}' });
  scenario.keys.push({ id: ORG_KEY_ID, account: MGMT, region: 'ap-east-1', rotation: true, usableBy: [LOGS, MEMBER] });
  return { scenario, keyArn };
}

/** Who sent `operation` on `resource`, and in which region: `ACCOUNT REGION` per call. */
function readersOf(fake: { calls: readonly { operation: string; resource?: string; account?: string; region?: string }[] }) {
  return (operation: string, resource: string) => fake.calls.filter((c) => c.operation === operation && c.resource === resource).map((c) => `${c.account} ${c.region}`);
}

describe('collect: several accounts through AssumeRole', () => {
  it('assumes the role in each listed account, keeps the caller on its own credentials, and sorts accounts by id', async () => {
    const { inventory, fake } = await runCollect(orgScenario(), { accounts: [MEMBER, LOGS, MGMT], roleName: ROLE });
    expect(inventory.accounts.map((a) => a.accountId)).to.deep.equal([MGMT, LOGS, MEMBER]);
    const assumed = fake.calls.filter((c) => c.operation === 'AssumeRole');
    // One credential provider per account, shared by all its clients: one AssumeRole each.
    expect(assumed).to.have.length(2);
    expect(assumed.every((c) => c.account === MGMT && c.status === 200)).to.equal(true);
    const callers = new Set(fake.calls.filter((c) => c.service === 'cloudtrail').map((c) => c.account));
    expect(callers).to.deep.equal(new Set([MGMT, LOGS, MEMBER]));
  });

  it('sees organization trails from member accounts, folded once per TrailARN with shadow copies', async () => {
    const { inventory } = await runCollect(orgScenario(), { accounts: [MEMBER, LOGS, MGMT], roleName: ROLE });
    expect(arns(inventory, LOGS)).to.deep.equal([ORG_TRAIL_ARN]);
    expect(arns(inventory, MEMBER)).to.deep.equal([ORG_TRAIL_ARN, `arn:aws:cloudtrail:us-east-1:${MEMBER}:trail/to-outsider`, MEMBER_TRAIL_ARN]);
    const member = inventory.accounts.find((a) => a.accountId === MEMBER)!;
    expect(member.regions).to.deep.equal(['ap-east-1', ...REGIONS]);
    // The organization trail is read once, by its owner; members list it without reading it again.
    expect(member.trails.find((t) => t.Trail.TrailARN === ORG_TRAIL_ARN)).to.have.all.keys('Trail');
    const owners = inventory.accounts.find((a) => a.accountId === MGMT)!.trails.find((t) => t.Trail.TrailARN === ORG_TRAIL_ARN)!;
    expect(owners.Status?.IsLogging).to.equal(true);
  });

  it('has a member read an organization trail when its owner could not list it', async () => {
    const scenario = orgScenario();
    const { inventory, fake } = await runCollect(scenario, { accounts: [MEMBER, LOGS, MGMT], roleName: ROLE }, {
      fake: { faults: [{ account: MGMT, operation: 'DescribeTrails', kind: 'accessDenied' }] },
    });
    const byLogs = inventory.accounts.find((a) => a.accountId === LOGS)!.trails.find((t) => t.Trail.TrailARN === ORG_TRAIL_ARN)!;
    expect(byLogs.Status?.IsLogging).to.equal(true);
    expect(fake.calls.filter((c) => c.operation === 'GetTrailStatus' && c.resource === ORG_TRAIL_ARN).map((c) => c.account)).to.deep.equal([LOGS]);
  });

  // The first member by id read it, though its own ListRegions said the trail's home region was not enabled: every read refused.
  it('has a member with the trail\'s home region enabled read an organization trail whose owner is not scanned', async () => {
    const scenario = orgScenario();
    scenario.accounts.find((a) => a.id === MGMT)!.regions = regionsOf(['ap-east-1'], [...REGIONS, 'ap-east-1']);
    scenario.trails[0].homeRegion = 'ap-east-1';
    const arn = `arn:aws:cloudtrail:ap-east-1:${MGMT}:trail/org-trail`;
    // Also when --region leaves the home region out: the status is read there all the same.
    for (const regions of [undefined, ['us-east-1']]) {
      const { inventory, fake } = await runCollect(scenario, { accounts: [LOGS, MEMBER], roleName: ROLE, ...(regions ? { regions } : {}) });
      expect(fake.calls.filter((c) => c.operation === 'GetTrailStatus' && c.resource === arn).map((c) => c.account), String(regions)).to.deep.equal([MEMBER]);
      const byMember = inventory.accounts.find((a) => a.accountId === MEMBER)!.trails.find((t) => t.Trail.TrailARN === arn)!;
      expect(byMember.Status?.IsLogging).to.equal(true);
      expect((inventory.errors ?? []).filter((e) => e.resource === arn)).to.deep.equal([]);
    }
  });

  // The first member by id read them, though its ListRegions said the opt-in region they are in was not enabled: every read refused.
  it('has a member with the region enabled read a bucket and key that neither their owners nor the trail owner, all unscanned, could', async () => {
    const { scenario, keyArn } = optInOrgResources();
    const { inventory, fake } = await runCollect(scenario, { accounts: [LOGS, MEMBER], roleName: ROLE });
    const readers = readersOf(fake);
    // Where the bucket is, anyone may ask in the global region: the first user by id does.
    expect(readers('GetBucketLocation', 'mgmt-org-logs')).to.deep.equal([`${LOGS} us-east-1`]);
    expect(readers('GetBucketAcl', 'mgmt-org-logs')).to.deep.equal([`${MEMBER} ap-east-1`]);
    expect(readers('DescribeKey', keyArn)).to.deep.equal([`${MEMBER} ap-east-1`]);
    expect(inventory.buckets?.['mgmt-org-logs']?.Region).to.equal('ap-east-1');
    expect(inventory.keys?.[keyArn]?.KeyMetadata?.KeyState).to.equal('Enabled');
    expect((inventory.errors ?? []).filter((e) => e.resource === 'mgmt-org-logs' || e.resource === keyArn).map((e) => e.code)).to.not.include.members(['InvalidAccessKeyId', 'UnrecognizedClientException']);
  });

  // The first member by id read them because its enabled regions could not be listed, though the next one was known to have the region: every read refused.
  it('prefers a member known to have the region enabled over one whose regions could not be listed, for a bucket and key no owner reads', async () => {
    const { scenario, keyArn } = optInOrgResources();
    const denied = [{ account: LOGS, operation: 'ListRegions', kind: 'accessDenied' as const }, { account: LOGS, operation: 'DescribeRegions', kind: 'accessDenied' as const }];
    const { inventory, fake } = await runCollect(scenario, { accounts: [LOGS, MEMBER], roleName: ROLE, regions: ['us-east-1'] }, { fake: { faults: denied } });
    const readers = readersOf(fake);
    expect(readers('GetBucketAcl', 'mgmt-org-logs')).to.deep.equal([`${MEMBER} ap-east-1`]);
    expect(readers('DescribeKey', keyArn)).to.deep.equal([`${MEMBER} ap-east-1`]);
    expect(inventory.keys?.[keyArn]?.KeyMetadata?.KeyState).to.equal('Enabled');
    expect((inventory.errors ?? []).filter((e) => e.resource === 'mgmt-org-logs' || e.resource === keyArn).map((e) => e.code)).to.not.include.members(['InvalidAccessKeyId', 'UnrecognizedClientException']);
  });

  // A member reading it for the organization trail (whose owner is not scanned) was kept, though a later member's own trail names it too: that trail's owner should read it.
  it('has a trail owner read a bucket it shares with an organization trail whose owner is not scanned, not the first member that merely uses it', async () => {
    const scenario = orgScenario();
    scenario.trails[0].bucket = 'shared-logs';
    scenario.trails.find((t) => t.name === 'member-trail')!.bucket = 'shared-logs';
    scenario.buckets.push({ name: 'shared-logs', account: OUTSIDER, region: 'us-west-2', readableBy: [MEMBER], policy: '{"Version":"2012-10-17","Statement":[]}' });
    const { inventory, fake } = await runCollect(scenario, { accounts: [LOGS, MEMBER], roleName: ROLE });
    expect(fake.calls.filter((c) => c.operation === 'GetBucketAcl' && c.resource === 'shared-logs').map((c) => c.account)).to.deep.equal([MEMBER]);
    expect(inventory.buckets?.['shared-logs']?.Acl).to.not.equal(undefined);
    expect((inventory.errors ?? []).filter((e) => e.resource === 'shared-logs').map((e) => e.operation)).to.not.include('GetBucketAcl');
  });

  it('leaves an organization trail\'s key alias unread when its owner is not scanned: the alias names a key of the owner\'s account, not the member\'s', async () => {
    const scenario = orgScenario();
    scenario.trails[0].kmsKeyId = 'alias/org-trail-key';
    const { inventory, fake } = await runCollect(scenario, { accounts: [MEMBER], roleName: ROLE });
    expect(fake.calls.filter((c) => c.operation === 'DescribeKey' && c.resource === 'alias/org-trail-key')).to.deep.equal([]);
    expect((inventory.errors ?? []).filter((e) => e.resource === 'alias/org-trail-key')).to.deep.equal([]);
    // The member's own trail names its key by an alias in its own account: that one is read.
    expect(fake.calls.filter((c) => c.operation === 'DescribeKey' && c.resource === 'alias/member-trail').map((c) => c.account)).to.deep.equal([MEMBER]);
  });

  it('calls the per-trail reads by ARN in the trail home region only, even for shadow trails', async () => {
    const { fake } = await runCollect(orgScenario(), { accounts: [MEMBER], roleName: ROLE });
    const perTrail = fake.calls.filter((c) => ['GetTrailStatus', 'GetEventSelectors', 'GetInsightSelectors'].includes(c.operation));
    // member-trail (us-west-2), the org trail (us-east-1), to-outsider (us-east-1): 3 reads each, once.
    expect(perTrail).to.have.length(9);
    for (const c of perTrail) {
      expect(c.resource).to.match(/^arn:aws:cloudtrail:/);
      expect(c.region).to.equal(c.resource!.split(':')[3]);
      expect(c.status).to.be.oneOf([200, 400]);
    }
  });

  it('reads each bucket and key with the credentials of the account that owns it', async () => {
    const { inventory, fake } = await runCollect(orgScenario(), { accounts: [MEMBER, LOGS, MGMT], roleName: ROLE });
    expect(inventory.buckets!['org-trail-logs']).to.deep.include({
      Region: 'us-east-1',
      PublicAccessBlock: { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true },
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
      Logging: { TargetBucket: 'access-logs', TargetPrefix: 'org-trail-logs/' },
      Versioning: { Status: 'Enabled', MFADelete: 'Disabled' },
      PolicyStatus: { IsPublic: false },
    });
    expect(inventory.buckets!['org-trail-logs'].Policy).to.be.a('string').and.contain('AWSCloudTrailWrite');
    const bucketCallers = new Set(fake.calls.filter((c) => c.resource === 'org-trail-logs').map((c) => c.account));
    expect(bucketCallers).to.deep.equal(new Set([LOGS]));
    const key = inventory.keys![ORG_KEY_ARN];
    expect(key.KeyRotationEnabled).to.equal(true);
    expect(key.Policy).to.be.a('string');
    expect(new Set(fake.calls.filter((c) => c.service === 'kms' && c.resource?.includes(ORG_KEY_ARN.split('/')[1])).map((c) => c.account))).to.deep.equal(new Set([LOGS]));
    expect(inventory.errors!.filter((e) => e.resource === 'org-trail-logs' || e.resource === ORG_KEY_ARN)).to.deep.equal([]);
  });

  it('does not ask GetKeyPolicy for a key of an account outside the scan, and says which account to add', async () => {
    const { inventory, fake } = await runCollect(orgScenario(), { accounts: [MEMBER], roleName: ROLE });
    const asked = fake.calls.filter((c) => c.operation === 'GetKeyPolicy' && c.resource?.includes(ORG_KEY_ARN.split('/')[1]));
    expect(asked).to.deep.equal([]);
    // What does work across accounts is still read.
    expect(inventory.keys![ORG_KEY_ARN].KeyMetadata).to.include({ Arn: ORG_KEY_ARN });
    const e = inventory.errors!.find((x) => x.operation === 'GetKeyPolicy' && x.resource === ORG_KEY_ARN)!;
    expect(e).to.include({ accountId: MEMBER, code: 'NotCollected' });
    expect(e.message).to.include(`add account ${LOGS}, or its snapshot, to the scan`);
  });

  it('says the key\'s account is in the scan but its role was refused, rather than asking to add it', async () => {
    const scenario = orgScenario();
    scenario.accounts.find((a) => a.id === LOGS)!.roles = [];
    const { inventory } = await runCollect(scenario, { accounts: [MGMT, LOGS, MEMBER], roleName: ROLE });
    expect(inventory.errors!.some((x) => x.accountId === LOGS && x.operation === 'AssumeRole')).to.equal(true);
    const e = inventory.errors!.find((x) => x.operation === 'GetKeyPolicy' && x.resource === ORG_KEY_ARN)!;
    expect(e).to.include({ code: 'NotCollected' });
    expect(e.message).to.include(`account ${LOGS} is in the scan, but its role could not be assumed (AssumeRole failed with AccessDenied)`);
    expect(e.message).not.to.include('to the scan');
  });

  it('resolves a trail key given as an alias with DescribeKey, keys it by ARN and records the alias', async () => {
    const { inventory } = await runCollect(orgScenario(), { accounts: [MEMBER], roleName: ROLE });
    const arn = `arn:aws:kms:us-west-2:${MEMBER}:key/${MEMBER_KEY_ID}`;
    expect(inventory.keys![arn]).to.deep.include({ Aliases: ['alias/member-trail'], KeyRotationEnabled: false });
    expect(inventory.keys![arn].KeyMetadata).to.include({ Arn: arn, KeyState: 'Enabled', KeyManager: 'CUSTOMER' });
  });

  it('records MethodNotAllowed for the policy of a bucket owned by an account that is not scanned', async () => {
    const { inventory } = await runCollect(orgScenario(), { accounts: [MEMBER], roleName: ROLE });
    const outsider = inventory.buckets!['outsider-logs'];
    expect(outsider).to.include({ Region: 'us-west-2' });
    expect(outsider).not.to.have.property('Policy');
    const codes = inventory.errors!.filter((e) => e.resource === 'outsider-logs').map((e) => `${e.operation}:${e.code}`);
    expect(codes).to.deep.equal([
      'GetBucketOwnershipControls:AccessDenied',
      'GetBucketPolicy:MethodNotAllowed',
      'GetBucketPolicyStatus:MethodNotAllowed',
      'GetPublicAccessBlock:AccessDenied',
    ]);
  });

  it('records an account whose role cannot be assumed as an account-wide error, never leaves it out', async () => {
    const scenario = orgScenario();
    scenario.accounts.find((a) => a.id === LOGS)!.roles = [];
    const { inventory, progress } = await runCollect(scenario, { accounts: [LOGS, MEMBER], roleName: ROLE });
    expect(inventory.accounts.find((a) => a.accountId === LOGS)).to.deep.equal({ accountId: LOGS, regions: [], trails: [] });
    const e = inventory.errors!.find((x) => x.accountId === LOGS)!;
    expect(e).to.include({ service: 'sts', operation: 'AssumeRole', code: 'AccessDenied' });
    expect(e).not.to.have.property('region');
    expect(e).not.to.have.property('resource');
    // The warning names the role that was tried, so that a wrong name or partition shows at once.
    expect(progress).to.include(`warning: account ${LOGS}: cannot assume arn:aws:iam::${LOGS}:role/${ROLE} (AccessDenied), not collected`);
  });

  // A scan limited by --region without the global region never lists the single-region trails
  // homed there, and the inventory cannot say so: global-service-events failed and
  // global-events-duplicated passed on a count of 0 without a word about it.
  it('warns once when --region leaves out the partition\'s global region, and not when it keeps it', async () => {
    const without = await runCollect(orgScenario(), { regions: ['eu-west-1'] });
    expect(without.progress.filter((l) => l.includes('the regions chosen (--region, or `regions` in the config file) leave out us-east-1, the global region'))).to.have.length(1);
    const kept = await runCollect(orgScenario(), { regions: ['eu-west-1', 'us-east-1'] });
    expect(kept.progress.some((l) => l.includes('the global region'))).to.equal(false);
    const all = await runCollect(orgScenario(), {});
    expect(all.progress.some((l) => l.includes('the global region'))).to.equal(false);
  });

  // A role name that exists nowhere gives one warning per account; with a thousand accounts the
  // cause (the name) must be said once, not guessed from the pattern.
  it('says once when the role could be assumed in none of the other accounts, and in how many when in some', async () => {
    const nowhere = orgScenario();
    for (const id of [LOGS, MEMBER]) nowhere.accounts.find((a) => a.id === id)!.roles = [];
    const none = await runCollect(nowhere, { accounts: [MGMT, LOGS, MEMBER], roleName: ROLE });
    const mayAssume = `and that these credentials may call sts:AssumeRole on it (no policy, SCP or permissions boundary of account ${MGMT} denies it)`;
    expect(none.progress).to.include(`warning: the role ${ROLE} could not be assumed in any of the 2 other accounts: check --role-name, that the role exists there and trusts account ${MGMT}, ${mayAssume}`);
    // STS's AccessDenied is the same for a wrong external id: the hint names it when one was given.
    const withId = await runCollect(nowhere, { accounts: [MGMT, LOGS, MEMBER], roleName: ROLE, externalId: 'ext-123' });
    expect(withId.progress).to.include(`warning: the role ${ROLE} could not be assumed in any of the 2 other accounts: check --role-name, that the role exists there and trusts account ${MGMT} with the external id given, ${mayAssume}`);
    const somewhere = orgScenario();
    somewhere.accounts.find((a) => a.id === LOGS)!.roles = [];
    const some = await runCollect(somewhere, { accounts: [MGMT, LOGS, MEMBER], roleName: ROLE });
    expect(some.progress.some((l) => l.includes('could not be assumed in any'))).to.equal(false);
    expect(some.progress).to.include(`warning: the role ${ROLE} was assumed in 1 of the 2 other accounts; not in 1 (${LOGS}), which is not collected: check that the role exists there and trusts account ${MGMT}`);
    // The closing count does not claim the account it could not read was collected.
    expect(some.progress.find((l) => l.startsWith('collected '))).to.match(/^collected 3 account\(s\) \(1 of them not read: no role assumed\), /);
    // All of them: no count to give.
    const everywhere = await runCollect(orgScenario(), { accounts: [MGMT, LOGS, MEMBER], roleName: ROLE });
    expect(everywhere.progress.filter((l) => l.includes(`the role ${ROLE}`))).to.deep.equal([]);
  });

  // Throttling, a timeout or a reset connection says nothing of the role: the line sent the user to
  // check a trust policy that was right.
  it('names the trust policy only for the accounts whose AssumeRole was denied, not for throttling or the network', async () => {
    // One account at a time, so that a fault for the first AssumeRole meets LOGS's.
    const options = { accounts: [MGMT, LOGS, MEMBER], roleName: ROLE, maxAttempts: 1, concurrency: 1 };
    const throttled = await runCollect(orgScenario(), options, { fake: { faults: [{ service: 'sts', operation: 'AssumeRole', kind: 'throttle' }] } });
    expect(throttled.progress).to.include(`warning: the role ${ROLE} could not be assumed in any of the 2 other accounts (AssumeRole failed with Throttling (2))`);
    const reset = orgScenario();
    reset.accounts.find((a) => a.id === MEMBER)!.roles = [];
    const mixed = await runCollect(reset, options, { fake: { faults: [{ service: 'sts', operation: 'AssumeRole', kind: 'reset', times: 1 }] } });
    expect(mixed.progress).to.include(
      `warning: the role ${ROLE} could not be assumed in any of the 2 other accounts (AssumeRole failed with AccessDenied (1), ECONNRESET (1)); where it was denied, check --role-name, that the role exists there and trusts account ${MGMT}, and that these credentials may call sts:AssumeRole on it (no policy, SCP or permissions boundary of account ${MGMT} denies it)`,
    );
    // STS turned off in the region asked: what to do, in words.
    const disabled = await runCollect(orgScenario(), options, { fake: { faults: [{ service: 'sts', operation: 'AssumeRole', kind: 'error', status: 403, code: 'RegionDisabledException' }] } });
    expect(disabled.progress).to.include(
      `warning: the role ${ROLE} could not be assumed in any of the 2 other accounts (AssumeRole failed with RegionDisabledException (2)): where STS is turned off in the region asked (RegionDisabledException), activate that region for STS in the account's IAM settings, or set AWS_REGION to a region where it is active`,
    );
    const some = await runCollect(orgScenario(), options, { fake: { faults: [{ service: 'sts', operation: 'AssumeRole', kind: 'error', status: 503, code: 'ServiceUnavailable', times: 1 }] } });
    expect(some.progress).to.include(`warning: the role ${ROLE} was assumed in 1 of the 2 other accounts; not in 1 (${LOGS}), which is not collected (AssumeRole failed with ServiceUnavailable (1))`);
    for (const run of [throttled, some]) expect(run.progress.some((l) => l.includes('trusts account'))).to.equal(false);
  });

  // Some read, one denied, one throttled: the trust policy is named, for the denied one only.
  it('when the role was assumed in some accounts, names the trust policy for those that denied it, and not for the others', async () => {
    const scenario = orgScenario();
    const extra = '555555555555';
    scenario.accounts.push({ ...scenario.accounts.find((a) => a.id === LOGS)!, id: extra });
    scenario.accounts.find((a) => a.id === MEMBER)!.roles = [];
    // One account at a time: the first AssumeRole (LOGS's) is the one throttled.
    const options = { accounts: [MGMT, LOGS, MEMBER, extra], roleName: ROLE, maxAttempts: 1, concurrency: 1 };
    const { progress } = await runCollect(scenario, options, { fake: { faults: [{ service: 'sts', operation: 'AssumeRole', kind: 'throttle', times: 1 }] } });
    expect(progress).to.include(
      `warning: the role ${ROLE} was assumed in 1 of the 3 other accounts; not in 2 (${LOGS}, ${MEMBER}), which are not collected (AssumeRole failed with AccessDenied (1), Throttling (1)); where it was denied, check that the role exists there and trusts account ${MGMT}`,
    );
  });

  // With one other account, its own warning already says all: no summary of "all the others".
  it('a single other account whose role is refused has its own warning only', async () => {
    const scenario = orgScenario();
    scenario.accounts.find((a) => a.id === MEMBER)!.roles = [];
    const { progress } = await runCollect(scenario, { accounts: [MGMT, MEMBER], roleName: ROLE });
    expect(progress.filter((l) => l.startsWith('warning:') && l.includes(MEMBER))).to.deep.equal([`warning: account ${MEMBER}: cannot assume arn:aws:iam::${MEMBER}:role/${ROLE} (AccessDenied), not collected`]);
    expect(progress.filter((l) => l.startsWith(`warning: the role ${ROLE}`))).to.deep.equal([]);
  });

  it('records a role that cannot be assumed again when its credentials are renewed as that AssumeRole failure, not as a refusal of the read it stopped', async () => {
    const scenario = orgScenario();
    // Credentials that end within the 5 minutes before which they are renewed: every read renews them.
    scenario.roleSessionSeconds = 60;
    const { inventory, progress } = await runCollect(scenario, { accounts: [MGMT, MEMBER], roleName: ROLE }, { fake: { faults: [{ service: 'sts', operation: 'AssumeRole', kind: 'accessDenied', after: 1 }] } });
    const member = inventory.errors!.filter((e) => e.accountId === MEMBER);
    expect(member).to.deep.equal([{ accountId: MEMBER, service: 'sts', operation: 'AssumeRole', code: 'AccessDenied', message: `User: arn:aws:iam::${MGMT}:user/auditor is not authorized to perform: sts:AssumeRole` }]);
    expect(progress).to.include(`warning: account ${MEMBER}: cannot assume arn:aws:iam::${MEMBER}:role/${ROLE} again to renew its credentials (AccessDenied); the reads still to make are not collected`);
    // Not "cannot list its enabled regions" nor "cannot list its buckets": the role was refused, not those reads.
    expect(progress.filter((l) => l.includes(MEMBER) && l.startsWith('warning'))).to.have.length(1);
    expect(inventory.accounts.find((a) => a.accountId === MGMT)!.trails).to.have.length(2);
  });

  it('passes the external id to AssumeRole', async () => {
    const scenario = orgScenario();
    scenario.accounts.find((a) => a.id === MEMBER)!.roles = [{ name: ROLE, trustedAccounts: [MGMT], externalId: 'audit-2026' }];
    const without = await runCollect(scenario, { accounts: [MEMBER], roleName: ROLE });
    expect(without.inventory.errors!.map((e) => e.operation)).to.deep.equal(['AssumeRole']);
    const withId = await runCollect(scenario, { accounts: [MEMBER], roleName: ROLE, externalId: 'audit-2026' });
    expect(withId.inventory.accounts[0].trails).to.have.length(3);
  });
});

describe('collect: an AWS Organization', () => {
  it('audits every ACTIVE account of the organization (suspended ones left out), through the role', async () => {
    const { inventory, fake, progress } = await runCollect(orgScenario(), { organization: true, roleName: ROLE });
    expect(inventory.accounts.map((a) => a.accountId)).to.deep.equal([MGMT, LOGS, MEMBER]);
    expect(inventory.accounts.every((a) => a.organizationId === ORG_ID)).to.equal(true);
    expect(fake.calls.some((c) => c.account === SUSPENDED)).to.equal(false);
    // Left out, and said so.
    expect(progress[0]).to.equal(`warning: 1 account of the organization not active, left out: ${SUSPENDED} (SUSPENDED)`);
    expect(progress[1]).to.match(/collecting 3 accounts/);
  });

  it('keeps the organization id of a member whose role cannot be assumed, so its log folder is still checked', async () => {
    const scenario = orgScenario();
    scenario.accounts.find((a) => a.id === MEMBER)!.roles = [];
    const { inventory } = await runCollect(scenario, { organization: true, roleName: ROLE });
    expect(inventory.accounts.find((a) => a.accountId === MEMBER)).to.deep.equal({ accountId: MEMBER, organizationId: ORG_ID, regions: [], trails: [] });
    expect(inventory.errors!.find((x) => x.accountId === MEMBER)).to.include({ operation: 'AssumeRole' });
  });

  it('follows ListAccounts pagination', async () => {
    const scenario = orgScenario();
    for (let i = 0; i < 45; i++) {
      const id = String(500000000000 + i);
      scenario.accounts.push({ id, regions: [{ name: 'us-east-1', status: 'ENABLED_BY_DEFAULT' }], roles: [{ name: ROLE, trustedAccounts: [MGMT] }] });
    }
    const { inventory, fake } = await runCollect(scenario, { organization: true, roleName: ROLE, regions: ['us-east-1'] });
    expect(inventory.accounts).to.have.length(48);
    expect(fake.calls.filter((c) => c.operation === 'ListAccounts')).to.have.length(3);
  });
});

describe('collect: regions', () => {
  it('honours the regions option and follows ListRegions pagination', async () => {
    const scenario = orgScenario();
    scenario.accounts[0].regions = DEFAULT_REGIONS.map((name) => ({ name, status: 'ENABLED_BY_DEFAULT' as const }));
    const all = await runCollect(scenario);
    expect(all.inventory.accounts[0].regions).to.deep.equal(DEFAULT_REGIONS);
    expect(all.fake.calls.filter((c) => c.operation === 'ListRegions')).to.have.length(1);
    const some = await runCollect(scenario, { regions: ['us-east-1', 'eu-west-1'] });
    expect(some.inventory.accounts[0].regions).to.deep.equal(['eu-west-1', 'us-east-1']);
    expect(some.fake.calls.filter((c) => c.operation === 'DescribeTrails').map((c) => c.region).sort()).to.deep.equal(['eu-west-1', 'us-east-1']);
  });

  it('skips a chosen region that is not enabled, with a note and no error', async () => {
    const { inventory, progress } = await runCollect(orgScenario(), { regions: ['us-east-1', 'ap-east-1'] });
    expect(inventory.accounts[0].regions).to.deep.equal(['us-east-1']);
    expect(inventory.errors).to.satisfy((errs: { region?: string }[]) => errs.every((e) => e.region !== 'ap-east-1'));
    expect(progress).to.include(`warning: account ${MGMT}: region ap-east-1 is not enabled, skipped`);
  });

  // Kept with no region, each such account failed every account rule with an error, every night,
  // for a read that never failed.
  it('leaves out an account in which no chosen region is enabled, with a note', async () => {
    const { inventory, progress } = await runCollect(orgScenario(), { organization: true, roleName: ROLE, regions: ['ap-east-1'] });
    expect(inventory.accounts.map((a) => a.accountId)).to.deep.equal([MEMBER]);
    expect(inventory.accounts[0].regions).to.deep.equal(['ap-east-1']);
    expect(progress).to.include(`warning: account ${MGMT}: none of the regions chosen is enabled, so it is left out`);
    expect(progress).to.include(`warning: account ${LOGS}: none of the regions chosen is enabled, so it is left out`);
  });

  // Leaving out every account made an inventory of none, which the scan then refused (exit 2, no
  // report) and a saved snapshot that could never be read.
  it('refuses, naming the regions, a choice enabled in no account; a left-out account leaves no failed read behind', async () => {
    const none = await runCollect(orgScenario(), { organization: true, roleName: ROLE, regions: ['ap-southeast-4'] }).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(none?.name).to.equal('InputError');
    expect(none?.message).to.equal('--region ap-southeast-4: none of these regions is enabled in any of the 3 accounts, so there is nothing to collect');
    // The member's organization trail delivers to a bucket, with a key, of the left-out account: those reads still count.
    const fake = {
      faults: [
        { account: LOGS, operation: 'DescribeOrganization', kind: 'accessDenied' as const },
        { account: LOGS, operation: 'GetBucketPolicy', kind: 'accessDenied' as const },
      ],
    };
    const { inventory } = await runCollect(orgScenario(), { accounts: [MEMBER, LOGS], roleName: ROLE, regions: ['ap-east-1'] }, { fake });
    expect(inventory.accounts.map((a) => a.accountId)).to.deep.equal([MEMBER]);
    const logs = (inventory.errors ?? []).filter((e) => e.accountId === LOGS);
    expect(logs.map((e) => e.operation)).to.deep.equal(['GetBucketPolicy']);
  });

  // The fallback for an account whose regions cannot be listed kept the repeat: the inventory
  // listed us-east-1 twice, and its own scan refused it (exit 2, no report).
  it('looks at a region given twice once, also when the regions cannot be listed', async () => {
    const fake = { faults: [{ account: MGMT, service: 'account', kind: 'accessDenied' as const }, { account: MGMT, service: 'ec2', kind: 'accessDenied' as const }] };
    const { inventory, fake: server } = await runCollect(orgScenario(), { regions: ['us-east-1', 'us-east-1'] }, { fake });
    expect(inventory.accounts[0].regions).to.deep.equal(['us-east-1']);
    expect(server.calls.filter((c) => c.operation === 'DescribeTrails' && c.account === MGMT)).to.have.length(1);
  });
});
