/**
 * inventory.md: "a missing key means 'not collected', never 'empty': a rule that needs it cannot
 * pass or fail on it". AWS always answers GetTrailStatus with IsLogging (the collector records an
 * answer without it as a failed read), so a hand-written Status without IsLogging leaves logging
 * unknown: the rules that need it are error, not fail with "it is not logging".
 */
import { expect } from 'chai';
import { evaluate } from '../../src/engine/evaluate.ts';
import { mergeInventories } from '../../src/inventory/merge.ts';
import { parseInventory } from '../../src/inventory/parse.ts';
import { loadRules } from '../../src/rules/load.ts';

const ACCOUNT = '111122223333';
const ARN = `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/t1`;

function run(status: Record<string, unknown>) {
  const trail = {
    Trail: { Name: 't1', TrailARN: ARN, HomeRegion: 'us-east-1', IsMultiRegionTrail: true, IncludeGlobalServiceEvents: true, S3BucketName: 'b1', HasCustomEventSelectors: false },
    Status: status,
  };
  const inventory = { version: 1, accounts: [{ accountId: ACCOUNT, regions: ['us-east-1'], trails: [trail] }] };
  const rules = loadRules({ builtin: true, paths: [], cwd: process.cwd() }).filter((r) =>
    ['multi-region-trail', 'global-service-events', 'trail-logging', 'delivery-errors'].includes(r.meta.id),
  );
  const results = evaluate(rules, mergeInventories([parseInventory(JSON.stringify(inventory), 'inv.json')]).inventory);
  return Object.fromEntries(results.map((r) => [r.ruleId, r]));
}

describe('a Status without IsLogging', () => {
  it('leaves logging unknown: the rules that need it are error, naming Status.IsLogging', () => {
    const r = run({});
    for (const id of ['multi-region-trail', 'global-service-events', 'trail-logging']) {
      expect(r[id]!.status, `${id}: ${r[id]!.message}`).to.equal('error');
      expect(r[id]!.message).to.include('Status.IsLogging of trail t1 is not in the inventory');
    }
  });

  it('still judges the Status fields it holds', () => {
    const r = run({ LatestDeliveryError: 'AccessDenied' });
    expect(r['delivery-errors']!.status, r['delivery-errors']!.message).to.equal('fail');
    expect(r['trail-logging']!.status, r['trail-logging']!.message).to.equal('error');
  });

  it('is judged as before when IsLogging is there', () => {
    expect(run({ IsLogging: false })['trail-logging']!.status).to.equal('fail');
    expect(run({ IsLogging: true })['multi-region-trail']!.status).to.equal('pass');
  });
});
