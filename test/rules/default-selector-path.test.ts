/**
 * A trail with `HasCustomEventSelectors: false` and no selectors has AWS's default selector
 * (inventory.md), which the facts judge (`facts.recordsAllManagementEvents` is true). A rule's
 * path into `EventSelectors` must see the same selector: it saw nothing, so a `?` condition
 * passed whatever it asked of the selector, and a condition without `?` failed a trail whose
 * default selector meets it.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { evaluate } from '../../src/engine/evaluate.ts';
import { parseInventory } from '../../src/inventory/parse.ts';
import { loadRules } from '../../src/rules/load.ts';
import { tempDir } from '../helpers/cli.ts';

const ACCOUNT = '111122223333';
const HEAD = 'title: t\nseverity: high\nscope: trail\ndescription: d\nremediation: { text: x }\nreads: [Trail, EventSelectors]\n';
const RULES: Record<string, string> = {
  'write-only': 'check:\n  EventSelectors.0.ReadWriteType?: { const: WriteOnly }\n',
  'reads-and-writes': 'check:\n  EventSelectors: { contains: { required: [ReadWriteType], properties: { ReadWriteType: { const: All } } } }\n',
  'all-management': 'check:\n  facts.recordsAllManagementEvents: { const: true }\n',
};

function run(selectors: Record<string, unknown>, errors: unknown[] = []): Record<string, string> {
  const dir = tempDir();
  for (const [id, body] of Object.entries(RULES)) writeFileSync(join(dir, `${id}.yaml`), `id: ${id}\n${HEAD}${body}`);
  const rules = loadRules({ builtin: false, paths: [dir], cwd: dir });
  const arn = `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/t1`;
  const inventory = {
    version: 1,
    accounts: [{ accountId: ACCOUNT, regions: ['us-east-1'], trails: [{ Trail: { Name: 't1', TrailARN: arn, HomeRegion: 'us-east-1', HasCustomEventSelectors: false }, ...selectors }] }],
    errors: errors.map((e) => ({ accountId: ACCOUNT, region: 'us-east-1', service: 'cloudtrail', resource: arn, code: 'AccessDeniedException', message: 'denied', ...(e as object) })),
  };
  const { inventory: inv } = parseInventory(JSON.stringify(inventory), 'inv.json');
  return Object.fromEntries(evaluate(rules, inv).map((r) => [r.ruleId, r.status]));
}

describe("a path into a trail's default event selector", () => {
  it('sees the default selector when the inventory leaves the lists out', () => {
    expect(run({})).to.deep.equal({ 'write-only': 'fail', 'reads-and-writes': 'pass', 'all-management': 'pass' });
  });

  it('sees the default selector when the inventory gives the lists empty', () => {
    expect(run({ EventSelectors: [], AdvancedEventSelectors: [] })).to.deep.equal({ 'write-only': 'fail', 'reads-and-writes': 'pass', 'all-management': 'pass' });
  });

  it('is unknown when GetEventSelectors failed: the default is an inference, and the failure outweighs it', () => {
    expect(run({}, [{ operation: 'GetEventSelectors' }])).to.deep.equal({ 'write-only': 'error', 'reads-and-writes': 'error', 'all-management': 'error' });
  });
});
