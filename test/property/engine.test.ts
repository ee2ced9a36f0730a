/**
 * Property tests for the engine: random but schema-valid inventories (several accounts, some in
 * one organization, organization trails seen from members, basic and advanced selectors, buckets
 * and keys present or missing, failed reads), loaded with the real loader and judged by the
 * built-in rules, against what a user relies on (shared/design/rules.md, inventory.md):
 * one result per subject, merge-order independence, Kleene monotonicity when data goes missing,
 * and determinism.
 *
 * In engine/: generate.ts (the inventories), results.ts (loading, and the subjects rules.md
 * promises), split.ts (an inventory as several files) and remove.ts (data taken away).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { evaluate } from '../../src/engine/evaluate.ts';
import { loadInventories } from '../../src/inventory/load.ts';
import type { CompiledRule } from '../../src/rules/compiled.ts';
import { loadRules } from '../../src/rules/load.ts';
import { inventoryArb } from './engine/generate.ts';
import { removalArb, remove, stripAll } from './engine/remove.ts';
import { byKey, comparable, expectedSubjects, expectWeaker, keyOf, load } from './engine/results.ts';
import { splitArb, splitInventory } from './engine/split.ts';

let rules: CompiledRule[];
before(() => {
  // The built-in rules, with the quotas lowered (as a user keeping headroom would) so that small
  // inventories exceed them too.
  rules = loadRules({ params: { 'trails-per-region': { max: 2 }, 'event-selectors-per-trail': { maxSelectors: 2, maxDataResources: 2, maxAdvancedValues: 4 } } });
});

// ---------------------------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------------------------

describe('engine properties', () => {
  it('the generator writes schema-valid inventories the loader accepts', () => {
    fc.assert(
      fc.property(inventoryArb, (inv) => {
        const loaded = load(inv);
        expect(loaded.accounts.length).to.equal(inv.accounts.length);
      }),
      { numRuns: 50 },
    );
  });

  it('one result per subject: per TrailARN under its owner, per listed region, per account', () => {
    fc.assert(
      fc.property(inventoryArb, (raw) => {
        const inv = load(raw);
        const results = evaluate(rules, inv);
        const want = expectedSubjects(inv);
        for (const rule of rules) {
          const mine = results.filter((r) => r.ruleId === rule.meta.id);
          const keys = mine.map(keyOf);
          expect(new Set(keys).size, `${rule.meta.id}: a subject judged twice`).to.equal(keys.length);
          if (rule.meta.scope === 'trail') {
            const trails = mine.filter((r) => r.subject.kind === 'trail');
            expect(trails.map((r) => r.subject.arn).sort(), rule.meta.id).to.deep.equal([...want.trails.keys()].sort());
            for (const r of trails) expect(r.subject.accountId, `${rule.meta.id} ${r.subject.arn}`).to.equal(want.trails.get(r.subject.arn!));
            const regions = mine.filter((r) => r.subject.kind === 'region');
            const accounts = mine.filter((r) => r.subject.kind === 'account');
            for (const r of [...regions, ...accounts]) expect(r.status, `${rule.meta.id}: ${r.message}`).to.equal('error');
            expect(regions.map((r) => `${r.subject.accountId} ${r.subject.region}`).sort(), `${rule.meta.id}: region errors`).to.deep.equal([...want.unseenRegions].sort());
            expect(accounts.map((r) => r.subject.accountId).sort(), `${rule.meta.id}: account errors`).to.deep.equal([...want.unseenAccounts].sort());
          } else if (rule.meta.scope === 'region') {
            const regionKey = (r: (typeof mine)[number]) => `${r.subject.accountId} ${r.subject.region}`;
            const regions = mine.filter((r) => r.subject.kind === 'region' && want.regions.includes(regionKey(r)));
            const accounts = mine.filter((r) => r.subject.kind !== 'region');
            expect(regions.map(regionKey).sort(), rule.meta.id).to.deep.equal([...want.regions].sort());
            // Beyond the listed regions, only a fail where the account's own trails are homed.
            for (const r of mine.filter((x) => x.subject.kind === 'region' && !want.regions.includes(regionKey(x)))) {
              expect(want.homes.has(regionKey(r)), `${rule.meta.id}: ${regionKey(r)} is no home of the account's trails`).to.equal(true);
              expect(r.status, `${rule.meta.id}: ${r.message}`).to.equal('fail');
            }
            // An account with no region to judge, where its trail list is incomplete, is an error for the account (as for trail rules).
            for (const r of accounts) expect(r.subject.kind === 'account' && r.status, `${rule.meta.id}: ${r.message}`).to.equal('error');
            expect(accounts.map((r) => r.subject.accountId).sort(), `${rule.meta.id}: account errors`).to.deep.equal([...want.unseenAccounts].sort());
          } else {
            for (const r of mine) expect(r.subject.kind).to.equal('account');
            expect(mine.map((r) => r.subject.accountId).sort(), rule.meta.id).to.deep.equal(want.accounts);
          }
        }
      }),
      { numRuns: 200 },
    );
  });
});

describe('engine properties: merging, missing data, determinism', () => {
  it('splitting an inventory into files and loading them in any order gives the same results', () => {
    const dir = mkdtempSync(join(tmpdir(), 'trailgate-prop-'));
    try {
      let run = 0;
      fc.assert(
        fc.property(inventoryArb, splitArb, (raw, split) => {
          const whole = comparable(evaluate(rules, load(raw)));
          const files = splitInventory(structuredClone(raw), split).map((inv, f) => {
            const name = `run${run}-${f}.${split.yaml[f] ? 'yaml' : 'json'}`;
            writeFileSync(join(dir, name), split.yaml[f] ? stringify(inv) : JSON.stringify(inv));
            return name;
          });
          run++;
          const merged = loadInventories(split.order.map((f) => files[f]), { cwd: dir }).inventory;
          expect(merged.collectedAt).to.equal(raw.collectedAt);
          expect(comparable(evaluate(rules, merged))).to.deep.equal(whole);
        }),
        { numRuns: 100 },
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('taking a collected datum away never turns a verdict into another verdict, only into an error', () => {
    fc.assert(
      fc.property(inventoryArb, removalArb, (raw, removal) => {
        const before = evaluate(rules, load(raw));
        const less = structuredClone(raw);
        const lost = remove(less, removal);
        const after = byKey(evaluate(rules, load(less)));
        expect(after.size).to.equal(before.length);
        const name = `${removal.kind} ${removal.index} ${removal.field} (${lost.join(', ')})`;
        for (const r of before) {
          const rule = rules.find((x) => x.meta.id === r.ruleId)!;
          const b = after.get(keyOf(r));
          if (rule.reads.some((x) => lost.includes(x))) expectWeaker(r, b, `${keyOf(r)} without ${name}`);
          // Whatever a rule reads, a datum taken away never settles what was unknown.
          else if (r.status === 'error') expect(b?.status, `${keyOf(r)} without ${name}: ${b?.message}`).to.not.equal('pass');
        }
      }),
      { numRuns: 300 },
    );
  });

  it('with nothing collected beyond the trail lists, no verdict changes except into an error, and no trail rule passes on missing reads', () => {
    fc.assert(
      fc.property(inventoryArb, (raw) => {
        const before = evaluate(rules, load(raw));
        const none = structuredClone(raw);
        stripAll(none);
        const loaded = load(none);
        const after = evaluate(rules, loaded);
        const index = byKey(after);
        for (const r of before) expectWeaker(r, index.get(keyOf(r)), `${keyOf(r)} with nothing collected`);
        const trails = new Map(loaded.accounts.flatMap((a) => a.trails.map((e) => [e.Trail.TrailARN, e.Trail] as const)));
        for (const r of after) {
          if (r.subject.kind !== 'trail') continue;
          const rule = rules.find((x) => x.meta.id === r.ruleId)!;
          const t = trails.get(r.subject.arn!)!;
          // The reads that have something to read for this trail: all of them are now missing.
          const applicable = rule.reads.filter(
            (x) =>
              x !== 'Trail' &&
              !(x.startsWith('Bucket') && !t.S3BucketName) &&
              !(x.startsWith('Key') && !t.KmsKeyId) &&
              !(x === 'EventSelectors' && t.HasCustomEventSelectors === false),
          );
          if (applicable.length > 0) expect(r.status, `${keyOf(r)}: ${r.message}`).to.not.equal('pass');
        }
      }),
      { numRuns: 150 },
    );
  });

  it('is deterministic: the same inventory twice, or as JSON and as YAML, gives equal results, and is not modified', () => {
    fc.assert(
      fc.property(inventoryArb, (raw) => {
        const inv = load(raw, 'inventory.json');
        const copy = structuredClone(inv);
        const first = evaluate(rules, inv);
        const second = evaluate(rules, inv);
        expect(second).to.deep.equal(first);
        expect(inv).to.deep.equal(copy);
        expect(evaluate(rules, load(raw, 'inventory.yaml'))).to.deep.equal(first);
      }),
      { numRuns: 100 },
    );
  });
});
