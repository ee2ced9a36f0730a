/**
 * A differential (oracle) property test for the trail-scoped built-in rules, other than the two
 * that evaluate policies (bucket-delivery, kms-key-usable). Random but schema-valid inventories
 * (several accounts, an organization trail seen from member accounts, buckets and keys in another
 * account of the inventory or in one that was not scanned, failed reads) go through the real
 * loader and engine, and each (rule, TrailARN) verdict is compared with a small reference model
 * written from shared/design/rules.md and inventory.md alone, not from trailgate's rules.
 *
 * The pieces live in differential-trail-rules/: the generator's plan (generate.ts), the inventory
 * built from it (build.ts), and the model (model.ts, which says where it takes trailgate's
 * documented reading of the design).
 *
 * To replay a counterexample, pass the seed and path fast-check prints:
 *   TRAILGATE_SEED=<seed> TRAILGATE_PATH=<path> npx mocha ... test/property/differential-trail-rules.test.ts
 */
import { expect } from 'chai';
import fc from 'fast-check';
import { evaluate } from '../../src/engine/evaluate.ts';
import type { Result, Status } from '../../src/engine/result.ts';
import { parseInventory } from '../../src/inventory/parse.ts';
import { mergeInventories } from '../../src/inventory/merge.ts';
import type { Inventory } from '../../src/inventory/types.ts';
import type { CompiledRule } from '../../src/rules/compiled.ts';
import { loadRules } from '../../src/rules/load.ts';
import { build, trailArn, viewersOf } from './differential-trail-rules/build.ts';
import { planArb, type Plan } from './differential-trail-rules/generate.ts';
import { modelFor } from './differential-trail-rules/model.ts';
import { OWNERS, TRAIL_RULES, type RuleId } from './differential-trail-rules/world.ts';

let rules: CompiledRule[];
before(() => {
  rules = loadRules({
    builtin: true,
    params: {
      'event-selectors-per-trail': { maxSelectors: 5, maxDataResources: 250, maxAdvancedValues: 500 },
      'cloudwatch-logs': { maxAgeHours: 24 },
    },
  }).filter((r) => (TRAIL_RULES as readonly string[]).includes(r.meta.id));
});

/** Loads an inventory the way `scan` does: text through parseInventory (schema and all), then the merge. */
function load(inv: Inventory): Inventory {
  return mergeInventories([parseInventory(JSON.stringify(inv, null, 1), 'inventory.json')]).inventory;
}

function replay(): fc.Parameters<[Plan]> {
  const seed = process.env.TRAILGATE_SEED;
  const path = process.env.TRAILGATE_PATH;
  return seed === undefined ? { numRuns: 200 } : { numRuns: 200, seed: Number(seed), ...(path ? { path } : {}), endOnFailure: true };
}

describe('trail rules against a reference model of rules.md', () => {
  it('all twelve trail rules are loaded', () => {
    expect(rules.map((r) => r.meta.id).sort()).to.deep.equal([...TRAIL_RULES].sort());
    for (const r of rules) expect(r.meta.scope, r.meta.id).to.equal('trail');
  });

  it('gives the verdict rules.md gives, once per TrailARN under its owner', () => {
    fc.assert(
      fc.property(planArb, (plan) => {
        const inv = load(build(plan));
        const results = evaluate(rules, inv);
        const expected = new Map<string, { owner: string; verdicts: Record<RuleId, Status> }>();
        for (const t of plan.trails) {
          if (viewersOf(plan, t).length === 0) continue;
          expected.set(trailArn(t), { owner: OWNERS[t.owner], verdicts: modelFor(plan, t) });
        }
        const problems: string[] = [];
        for (const id of TRAIL_RULES) {
          const mine = results.filter((r: Result) => r.ruleId === id);
          // Region and account results only stand for trails a failed DescribeTrails may hide.
          for (const r of mine) if (r.subject.kind !== 'trail' && r.status !== 'error') problems.push(`${id}: ${r.subject.kind} result ${r.status}: ${r.message}`);
          const trails = mine.filter((r) => r.subject.kind === 'trail');
          const seen = new Map<string, Result[]>();
          for (const r of trails) seen.set(r.subject.arn ?? '', [...(seen.get(r.subject.arn ?? '') ?? []), r]);
          for (const arn of seen.keys()) if (!expected.has(arn)) problems.push(`${id}: a result for ${arn}, which no account sees`);
          for (const [arn, want] of expected) {
            const got = seen.get(arn) ?? [];
            if (got.length !== 1) {
              problems.push(`${id} ${arn}: ${got.length} results`);
              continue;
            }
            if (got[0].subject.accountId !== want.owner) problems.push(`${id} ${arn}: under ${got[0].subject.accountId}, not its owner ${want.owner}`);
            if (got[0].status !== want.verdicts[id]) problems.push(`${id} ${arn}: trailgate ${got[0].status}, model ${want.verdicts[id]} (${got[0].message})`);
          }
        }
        if (problems.length > 0) expect.fail(`${problems.join('\n')}\ninventory: ${JSON.stringify(build(plan))}`);
      }),
      replay(),
    );
  });
});
