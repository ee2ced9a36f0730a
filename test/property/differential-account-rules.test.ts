/**
 * A differential (oracle) property test for the account- and region-scoped built-in rules:
 * multi-region-trail, global-service-events, s3-data-events-write, s3-data-events-read,
 * global-events-duplicated, security-trail and trails-per-region.
 *
 * The oracle (differential-account-rules/model.ts, where its reading of the design is explained)
 * is written from the design, not from trailgate's rule files or engine, in three-valued (Kleene)
 * logic. Random schema-valid inventories (several accounts, an organization whose trail is seen
 * from its members, three partitions, basic and advanced selectors, failed reads, hand-written
 * gaps: differential-account-rules/generate.ts) go through the real loader and engine, and every
 * account and region subject must get the oracle's verdict. A failure prints fast-check's seed
 * and path: pass them back to fc.assert ({ seed, path }) to replay the counterexample.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import fc from 'fast-check';
import { evaluate } from '../../src/engine/evaluate.ts';
import { subjectKey, type Result } from '../../src/engine/result.ts';
import { parseInventory } from '../../src/inventory/parse.ts';
import { mergeInventories } from '../../src/inventory/merge.ts';
import type { Inventory, TrailEntry } from '../../src/inventory/types.ts';
import type { CompiledRule } from '../../src/rules/compiled.ts';
import { loadRules } from '../../src/rules/load.ts';
import { inventoryArb } from './differential-account-rules/generate.ts';
import { oracle } from './differential-account-rules/model.ts';
import { MAX_TRAILS, RULE_IDS, type Verdict } from './differential-account-rules/world.ts';

let rules: CompiledRule[];
before(() => {
  rules = loadRules({ params: { 'trails-per-region': { max: MAX_TRAILS } } }).filter((r) => (RULE_IDS as readonly string[]).includes(r.meta.id));
  expect(rules.map((r) => r.meta.id).sort()).to.deep.equal([...RULE_IDS].sort());
});

/** Loads an inventory the way `scan` does: text through parseInventory, then mergeInventories. */
function load(inv: Inventory): Inventory {
  return mergeInventories([parseInventory(JSON.stringify(inv, null, 1), 'inventory.json')]).inventory;
}

function actual(inv: Inventory): Map<string, Result> {
  return new Map(evaluate(rules, load(inv)).map((r) => [`${r.ruleId} ${subjectKey(r.subject)}`, r]));
}

describe('account and region rules agree with an oracle written from rules.md', () => {
  it('every account and region subject gets the oracle verdict', () => {
    fc.assert(
      fc.property(inventoryArb, (inv) => {
        const got = actual(inv);
        const want = oracle(inv);
        expect([...got.keys()].sort(), 'subjects').to.deep.equal([...want.keys()].sort());
        for (const [key, verdict] of want) {
          const r = got.get(key)!;
          expect(r.status, `${key}: ${r.message}`).to.equal(verdict);
        }
      }),
      { numRuns: 200 },
    );
  });
});

/**
 * `count` bounds in three-valued logic, for user rules too: the count lies between the trails that
 * surely match and those that possibly do, and a bound decides only what it decides for that
 * whole range. Before, any trail of unknown status made every count an error.
 */
describe('count bounds with trails of unknown status', () => {
  const dir = mkdtempSync(join(tmpdir(), 'trailgate-count-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  const rule = (bounds: string) => {
    const file = join(dir, `logging-trails-${bounds.replace(/\W+/g, '-')}.yaml`);
    writeFileSync(
      file,
      `id: logging-trails
title: A number of logging trails
severity: low
scope: account
description: Counts logging trails.
remediation:
  text: Start or stop trails.
reads: [Trail, Status]
count:
  where:
    Status.IsLogging: { const: true }
  ${bounds}
`,
    );
    return loadRules({ builtin: false, paths: [file] });
  };
  const trail = (name: string, logging?: boolean): TrailEntry => ({
    Trail: { Name: name, TrailARN: `arn:aws:cloudtrail:us-east-1:111111111111:trail/${name}`, HomeRegion: 'us-east-1', IsMultiRegionTrail: true },
    ...(logging === undefined ? {} : { Status: { IsLogging: logging } }),
  });
  const verdict = (bounds: string, trails: TrailEntry[], listFailed = false): string => {
    const inv: Inventory = { version: 1, accounts: [{ accountId: '111111111111', regions: ['us-east-1', 'eu-west-1'], trails }] };
    if (listFailed) inv.errors = [{ accountId: '111111111111', region: 'eu-west-1', service: 'cloudtrail', operation: 'DescribeTrails', code: 'AccessDenied' }];
    const [r] = evaluate(rule(bounds), load(inv));
    return r.status;
  };
  const cases: [string, string, TrailEntry[], boolean, Verdict][] = [
    ['one trail of unknown status is at most one', 'max: 1', [trail('a')], false, 'pass'],
    ['one logging and one unknown may be two', 'max: 1', [trail('a', true), trail('b')], false, 'error'],
    ['two logging are two, whatever the third', 'max: 1', [trail('a', true), trail('b', true), trail('c')], false, 'fail'],
    ['an unread trail list may hide more', 'max: 1', [trail('a', true)], true, 'error'],
    ['one logging is at least one, whatever the others', 'min: 1', [trail('a', true), trail('b')], true, 'pass'],
    ['one unknown may be the one', 'min: 1', [trail('a'), trail('b', false)], false, 'error'],
    ['nothing logging and nothing unknown is none', 'min: 1', [trail('a', false)], false, 'fail'],
    ['one unknown cannot make two', 'min: 2', [trail('a', false), trail('b')], false, 'fail'],
    ['within both bounds whatever the unknown', 'min: 1\n  max: 2', [trail('a', true), trail('b')], false, 'pass'],
  ];
  for (const [name, bounds, trails, listFailed, want] of cases) {
    it(`${name} (${bounds.replace(/\s+/g, ' ')}): ${want}`, () => expect(verdict(bounds, trails, listFailed)).to.equal(want));
  }
});
