/**
 * Inventories merged in any order give the same results (inventory.md, "Several inventories").
 * The minimal counterexamples test/property/engine.test.ts found, kept by name.
 */
import { expect } from 'chai';
import { evaluate } from '../../src/engine/evaluate.ts';
import type { Result } from '../../src/engine/result.ts';
import { parseInventory } from '../../src/inventory/parse.ts';
import { mergeInventories } from '../../src/inventory/merge.ts';
import { loadRules } from '../../src/rules/load.ts';

const rules = loadRules();

function scan(files: object[]): Result[] {
  const merged = mergeInventories(files.map((f, i) => parseInventory(JSON.stringify(f), `f${i}.json`))).inventory;
  return evaluate(rules, merged).map(({ anchor: _anchor, ...r }) => r as Result);
}

function find(results: Result[], ruleId: string, arnOrAccount: string): Result {
  const r = results.find((x) => x.ruleId === ruleId && (x.subject.arn ?? x.subject.accountId) === arnOrAccount);
  expect(r, `${ruleId} ${arnOrAccount}`).to.not.equal(undefined);
  return r!;
}

describe('merge order', () => {
  it('an organization trail whose owner is not scanned takes its organization id from a member that names it, whichever file comes first', () => {
    const arn = 'arn:aws:cloudtrail:us-east-1:555555555555:trail/org';
    const seenFrom = (accountId: string, organizationId?: string) => ({
      version: 1,
      accounts: [
        {
          accountId,
          ...(organizationId ? { organizationId } : {}),
          regions: ['us-east-1'],
          trails: [{ Trail: { Name: 'org', TrailARN: arn, HomeRegion: 'us-east-1', IsMultiRegionTrail: true, IsOrganizationTrail: true, S3BucketName: 'org-logs' } }],
        },
      ],
    });
    // A member whose entry leaves organizationId out, and one that gives it.
    const plain = seenFrom('111111111111');
    const member = {
      ...seenFrom('444444444444', 'o-exampleorg1'),
      buckets: {
        'org-logs': {
          Region: 'us-east-1',
          RequestPayer: 'BucketOwner',
          Policy: {
            Version: '2012-10-17',
            Statement: [
              { Effect: 'Allow', Principal: { Service: 'cloudtrail.amazonaws.com' }, Action: 's3:GetBucketAcl', Resource: 'arn:aws:s3:::org-logs' },
              { Effect: 'Allow', Principal: { Service: 'cloudtrail.amazonaws.com' }, Action: 's3:PutObject', Resource: 'arn:aws:s3:::org-logs/AWSLogs/555555555555/*' },
            ],
          },
        },
      },
    };
    const first = scan([plain, member]);
    expect(first).to.deep.equal(scan([member, plain]));
    // The organization path is checked (and refused by this policy), not left unknown.
    const delivery = find(first, 'bucket-delivery', arn);
    expect(delivery.status).to.equal('fail');
    expect(delivery.message).to.include('AWSLogs/o-exampleorg1/555555555555/');
  });

  it('an account known only from two failed DescribeTrails reads, in two files, is reported the same whichever file comes first', () => {
    const listed = { version: 1, accounts: [{ accountId: '222222222222', regions: ['ap-southeast-2'], trails: [] }] };
    const failed = (region: string, code: string) => ({
      version: 1,
      accounts: [],
      errors: [{ accountId: '444444444444', region, service: 'cloudtrail', operation: 'DescribeTrails', code, message: 'denied' }],
    });
    for (const [a, b] of [
      [failed('ap-southeast-2', 'AccessDenied'), failed('ap-southeast-2', 'ThrottlingException')],
      [failed('eu-west-1', 'AccessDenied'), failed('ap-southeast-2', 'AccessDenied')],
    ]) {
      const first = scan([listed, a, b]);
      expect(first).to.deep.equal(scan([listed, b, a]));
      const r = find(first, 'multi-region-trail', '444444444444');
      expect(r.status).to.equal('error');
    }
  });

  it('measures a delivery age from the collectedAt of the file the trail came from, not the latest of all files', () => {
    const arn = 'arn:aws:cloudtrail:us-east-1:111111111111:trail/main';
    const shard = (collectedAt: string | undefined) => ({
      version: 1,
      ...(collectedAt ? { collectedAt } : {}),
      accounts: [
        {
          accountId: '111111111111',
          regions: ['us-east-1'],
          trails: [{ Trail: { Name: 'main', TrailARN: arn, HomeRegion: 'us-east-1', CloudWatchLogsLogGroupArn: 'arn:aws:logs:us-east-1:111111111111:log-group:ct:*' }, Status: { IsLogging: true, LatestCloudWatchLogsDeliveryTime: '2026-11-19T06:00:00Z' } }],
        },
      ],
    });
    const later = { version: 1, collectedAt: '2026-11-21T02:00:00Z', accounts: [{ accountId: '222222222222', regions: ['us-east-1'], trails: [] }] };
    for (const files of [[shard('2026-11-20T02:00:00Z'), later], [later, shard('2026-11-20T02:00:00Z')]]) {
      // 20 hours old when its own file was collected: within the 24; 44 hours before the other file's.
      expect(find(scan(files), 'cloudwatch-logs', arn).status).to.equal('pass');
    }
    for (const files of [[shard(undefined), later], [later, shard(undefined)]]) {
      const r = find(scan(files), 'cloudwatch-logs', arn);
      expect(r.status, 'a file without collectedAt has no "now" of its own').to.equal('error');
      expect(r.message).to.include('no collectedAt');
    }
    // One file, or files that agree: the inventory's collectedAt, as before.
    expect(find(scan([shard('2026-11-21T02:00:00Z'), later]), 'cloudwatch-logs', arn).status).to.equal('fail');
  });

  it('without the owner, the most recently collected member copy of an organization trail speaks for it, whatever the ids and file order', () => {
    const arn = 'arn:aws:cloudtrail:us-east-1:555555555555:trail/org';
    const seenBy = (accountId: string, collectedAt: string | undefined, isLogging: boolean) => ({
      version: 1,
      ...(collectedAt ? { collectedAt } : {}),
      accounts: [
        {
          accountId,
          regions: ['us-east-1'],
          trails: [{ Trail: { Name: 'org', TrailARN: arn, HomeRegion: 'us-east-1', IsMultiRegionTrail: true, IsOrganizationTrail: true }, Status: { IsLogging: isLogging } }],
        },
      ],
    });
    // The lower id read the trail logging a day before the higher id read it stopped.
    const older = seenBy('111111111111', '2026-11-19T02:00:00Z', true);
    const newer = seenBy('444444444444', '2026-11-20T02:00:00Z', false);
    for (const files of [[older, newer], [newer, older]]) {
      const r = find(scan(files), 'trail-logging', arn);
      expect(r.status, 'the newer reading').to.equal('fail');
    }
    // Newer the other way round: the lower id's reading stands.
    const stoppedEarlier = seenBy('444444444444', '2026-11-18T02:00:00Z', false);
    expect(find(scan([stoppedEarlier, older]), 'trail-logging', arn).status).to.equal('pass');
    // A file without a time counts as the oldest, so the order of three stays one order.
    const untimed = seenBy('222222222222', undefined, false);
    const three = [older, untimed, newer];
    const orders = [[0, 1, 2], [0, 2, 1], [1, 0, 2], [1, 2, 0], [2, 0, 1], [2, 1, 0]].map((o) => scan(o.map((i) => three[i])));
    for (const results of orders.slice(1)) expect(results).to.deep.equal(orders[0]);
    expect(find(orders[0], 'trail-logging', arn).status).to.equal('fail');
  });

  it('between member copies of an organization trail collected at the same time, the lower account id speaks for it, whatever the file order', () => {
    const arn = 'arn:aws:cloudtrail:us-east-1:555555555555:trail/org';
    const seenBy = (accountId: string, collectedAt: string, isLogging: boolean) => ({
      version: 1,
      collectedAt,
      accounts: [
        {
          accountId,
          regions: ['us-east-1'],
          trails: [{ Trail: { Name: 'org', TrailARN: arn, HomeRegion: 'us-east-1', IsMultiRegionTrail: true, IsOrganizationTrail: true }, Status: { IsLogging: isLogging } }],
        },
      ],
    });
    // Two shards of one collection (one time), and an older file that makes the times differ.
    const three = [seenBy('333333333333', '2026-11-20T02:00:00Z', false), seenBy('111111111111', '2026-11-20T02:00:00Z', true), seenBy('222222222222', '2026-11-18T02:00:00Z', false)];
    const orders = [[0, 1, 2], [0, 2, 1], [1, 0, 2], [1, 2, 0], [2, 0, 1], [2, 1, 0]].map((o) => scan(o.map((i) => three[i])));
    for (const results of orders) expect(find(results, 'trail-logging', arn).status, 'the reading of 111111111111').to.equal('pass');
    for (const results of orders.slice(1)) expect(results).to.deep.equal(orders[0]);
  });

  it('names the account whose inventory has no collectedAt when a policy hangs on the time, whichever file comes first', () => {
    const arn = 'arn:aws:cloudtrail:us-east-1:111111111111:trail/main';
    const keyArn = 'arn:aws:kms:us-east-1:111111111111:key/00000000-0000-0000-0000-000000000001';
    const ct = { Service: 'cloudtrail.amazonaws.com' };
    const denyFrom2020 = (action: string) => ({ Sid: 'DenyFrom2020', Effect: 'Deny', Principal: '*', Action: action, Resource: '*', Condition: { DateGreaterThan: { 'aws:CurrentTime': '2020-01-01T00:00:00Z' } } });
    const untimed = {
      version: 1,
      accounts: [{ accountId: '111111111111', regions: ['us-east-1'], trails: [{ Trail: { Name: 'main', TrailARN: arn, HomeRegion: 'us-east-1', S3BucketName: 'logs', KmsKeyId: keyArn } }] }],
      buckets: {
        logs: {
          Region: 'us-east-1',
          Policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: ct, Action: ['s3:GetBucketAcl', 's3:PutObject'], Resource: '*' }, denyFrom2020('s3:*')] },
        },
      },
      keys: {
        [keyArn]: {
          KeyMetadata: { Arn: keyArn, KeyState: 'Enabled', KeySpec: 'SYMMETRIC_DEFAULT' },
          Policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: ct, Action: ['kms:GenerateDataKey*', 'kms:DescribeKey'], Resource: '*' }, denyFrom2020('kms:*')] },
        },
      },
    };
    const timed = { version: 1, collectedAt: '2026-11-21T02:00:00Z', accounts: [{ accountId: '222222222222', regions: ['us-east-1'], trails: [] }] };
    for (const files of [[untimed, timed], [timed, untimed]]) {
      const results = scan(files);
      for (const rule of ['bucket-delivery', 'kms-key-usable']) {
        const r = find(results, rule, arn);
        expect(r.status, rule).to.equal('error');
        expect(r.message, rule).to.include('the inventory of account 111111111111 has no collectedAt, and statement "DenyFrom2020" conditions on aws:CurrentTime');
      }
    }
  });

  it('names the account whose inventory has no collectedAt for a delivery age too, whichever file comes first', () => {
    const arn = 'arn:aws:cloudtrail:us-east-1:111111111111:trail/main';
    const untimed = {
      version: 1,
      accounts: [{ accountId: '111111111111', regions: ['us-east-1'], trails: [{ Trail: { Name: 'main', TrailARN: arn, HomeRegion: 'us-east-1', CloudWatchLogsLogGroupArn: 'arn:aws:logs:us-east-1:111111111111:log-group:ct:*' }, Status: { IsLogging: true, LatestCloudWatchLogsDeliveryTime: '2026-11-21T01:00:00Z' } }] }],
    };
    const timed = { version: 1, collectedAt: '2026-11-21T02:00:00Z', accounts: [{ accountId: '222222222222', regions: ['us-east-1'], trails: [] }] };
    for (const files of [[untimed, timed], [timed, untimed]]) {
      const r = find(scan(files), 'cloudwatch-logs', arn);
      expect(r.status).to.equal('error');
      expect(r.message).to.include('the inventory of account 111111111111 has no collectedAt, so the age of a delivery cannot be judged');
    }
  });

  it('names the trails of an account in TrailARN order, whatever order the inventory lists them in', () => {
    const trail = (name: string) => ({ Trail: { Name: name, TrailARN: `arn:aws:cloudtrail:us-east-1:111111111111:trail/${name}`, HomeRegion: 'us-east-1' } });
    const inv = (names: string[]) => ({ version: 1, accounts: [{ accountId: '111111111111', regions: ['us-east-1'], trails: names.map(trail) }] });
    const forward = find(scan([inv(['alpha', 'beta'])]), 'multi-region-trail', '111111111111');
    const backward = find(scan([inv(['beta', 'alpha'])]), 'multi-region-trail', '111111111111');
    expect(backward.message).to.equal(forward.message);
    expect(forward.message).to.match(/alpha \(.*\); beta \(/);
  });
});
