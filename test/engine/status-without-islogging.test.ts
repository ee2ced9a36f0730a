/**
 * inventory.md: "a missing key means 'not collected', never 'empty': a rule that needs it cannot
 * pass or fail on it". AWS always answers GetTrailStatus with IsLogging (the collector records an
 * answer without it as a failed read), so a hand-written Status without IsLogging leaves logging
 * unknown: the rules that need it are error, not fail with "it is not logging".
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { evaluate } from '../../src/engine/evaluate.ts';
import { mergeInventories } from '../../src/inventory/merge.ts';
import { parseInventory } from '../../src/inventory/parse.ts';
import { loadRules } from '../../src/rules/load.ts';

const ACCOUNT = '111122223333';
const ARN = `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/t1`;

/** A trail rule of one condition on the whole Status (its schema as YAML flow text). */
function wholeStatusRule(id: string, schema: string): string {
  return [`id: ${id}`, 'title: t', 'severity: high', 'scope: trail', 'description: d', 'remediation: { text: t }', 'reads: [Trail, Status]', 'check:', `  Status: ${schema}`, ''].join('\n');
}

function runUserRules(status: Record<string, unknown>, files: Record<string, string>) {
  const dir = mkdtempSync(join(tmpdir(), 'trailgate-status-'));
  try {
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
    const trail = { Trail: { Name: 't1', TrailARN: ARN, HomeRegion: 'us-east-1', S3BucketName: 'b1' }, Status: status };
    const inventory = { version: 1, accounts: [{ accountId: ACCOUNT, regions: ['us-east-1'], trails: [trail] }] };
    const rules = loadRules({ builtin: false, paths: [dir], cwd: process.cwd() });
    const results = evaluate(rules, mergeInventories([parseInventory(JSON.stringify(inventory), 'inv.json')]).inventory);
    return Object.fromEntries(results.map((r) => [r.ruleId, r]));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

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

  it('leaves a condition on the whole Status that looks at IsLogging unknown too, as the path does', () => {
    const files = {
      'props.yaml': wholeStatusRule('u-props', '{ properties: { IsLogging: { const: true } } }'),
      'required.yaml': wholeStatusRule('u-required', '{ required: [IsLogging] }'),
      'whole.yaml': wholeStatusRule('u-whole', '{ minProperties: 1 }'),
      'other.yaml': wholeStatusRule('u-other', '{ properties: { LatestDeliveryError: { const: "" } } }'),
    };
    const r = runUserRules({ LatestDeliveryError: '' }, files);
    for (const id of ['u-props', 'u-required', 'u-whole']) {
      expect(r[id]!.status, `${id}: ${r[id]!.message}`).to.equal('error');
      expect(r[id]!.message).to.include('Status.IsLogging of trail t1 is not in the inventory');
    }
    // A condition that does not look at IsLogging still judges the fields the Status holds.
    expect(r['u-other']!.status, r['u-other']!.message).to.equal('pass');
    const withIt = runUserRules({ IsLogging: true }, files);
    for (const id of ['u-props', 'u-required', 'u-whole']) expect(withIt[id]!.status, `${id}: ${withIt[id]!.message}`).to.equal('pass');
  });
});
