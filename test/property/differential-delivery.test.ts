/**
 * Differential (oracle) test of the requests behind bucket-delivery and kms-key-usable.
 *
 * A reference model written from shared/design/rules.md and inventory.md alone
 * (differential-delivery/model.ts, which explains it) works out, for a random inventory, which
 * requests CloudTrail makes to S3 and KMS, and asks the independent simulator
 * @cloud-copilot/iam-simulate for each decision. trailgate is the real thing: the inventory goes
 * through parseInventory and mergeInventories as `scan` loads it, and the built-in rules judge it.
 * They must agree on pass / fail / error for every trail. The random cases come from
 * differential-delivery/generate.ts (their policies from policies.ts), and build.ts writes them
 * out as inventory files.
 *
 * A counterexample prints the inventory files it was built from, and fast-check the seed and
 * path that replay it: DIFF_SEED=<seed> DIFF_PATH=<path> reruns just that case, DIFF_DUMP=<dir>
 * writes its files there (to scan them with the CLI), DIFF_RUNS=<n> runs longer, DIFF_SHOW=1
 * prints how often each outcome came up.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { assert } from 'chai';
import fc from 'fast-check';
import { evaluate } from '../../src/engine/evaluate.ts';
import type { Result } from '../../src/engine/result.ts';
import { parseInventory } from '../../src/inventory/parse.ts';
import { mergeInventories } from '../../src/inventory/merge.ts';
import type { Inventory } from '../../src/inventory/types.ts';
import type { CompiledRule } from '../../src/rules/compiled.ts';
import { loadRules } from '../../src/rules/load.ts';
import { build, type Built } from './differential-delivery/build.ts';
import { caseArb } from './differential-delivery/generate.ts';
import { modelBucketDelivery, modelKmsKeyUsable } from './differential-delivery/model.ts';

let rules: CompiledRule[];
before(() => {
  rules = loadRules({ builtin: true }).filter((r) => r.meta.id === 'bucket-delivery' || r.meta.id === 'kms-key-usable');
  assert.lengthOf(rules, 2);
});

/** Loads the files the way `scan` does: each parsed (and schema-checked), then merged. */
function load(b: Built): Inventory {
  return mergeInventories(b.files.map((f) => parseInventory(JSON.stringify(f.inventory, null, 1), f.name))).inventory;
}

function resultFor(results: Result[], ruleId: string, arn: string): Result {
  const mine = results.filter((r) => r.ruleId === ruleId && r.subject.arn === arn);
  assert.lengthOf(mine, 1, `${ruleId}: one result for ${arn}`);
  return mine[0];
}

describe('bucket-delivery and kms-key-usable agree with a model built from rules.md and iam-simulate', function () {
  this.timeout(60_000);

  it('on random inventories: partitions, prefixes, organization trails, log-archive buckets, keys by ARN, id and alias', async () => {
    const seen: Record<string, number> = {};
    await fc.assert(
      fc.asyncProperty(caseArb, async (c) => {
        const b = build(c);
        const inv = load(b);
        const isOrg = c.org && !c.ownerIsMember;
        const results = evaluate(rules, inv);
        const delivery = resultFor(results, 'bucket-delivery', b.names.trail);
        const usable = resultFor(results, 'kms-key-usable', b.names.trail);
        const expected = { delivery: await modelBucketDelivery(inv, b, isOrg), usable: await modelKmsKeyUsable(inv, b, isOrg) };
        if (process.env.DIFF_DUMP) for (const f of b.files) writeFileSync(join(process.env.DIFF_DUMP, f.name), JSON.stringify(f.inventory, null, 1));
        const where = `\n${b.files.map((f) => `${f.name}: ${JSON.stringify(f.inventory)}`).join('\n')}`;
        assert.strictEqual(delivery.status, expected.delivery, `bucket-delivery: ${delivery.message}${where}`);
        assert.strictEqual(usable.status, expected.usable, `kms-key-usable: ${usable.message}${where}`);
        for (const [rule, s] of [['delivery', delivery.status], ['usable', usable.status]]) seen[`${rule} ${s}`] = (seen[`${rule} ${s}`] ?? 0) + 1;
      }),
      {
        numRuns: Number(process.env.DIFF_RUNS ?? 150),
        ...(process.env.DIFF_SEED ? { seed: Number(process.env.DIFF_SEED), path: process.env.DIFF_PATH, endOnFailure: true } : {}),
      },
    );
    if (process.env.DIFF_SHOW) console.log(seen);
    // Agreement proves little unless every outcome comes up.
    for (const k of ['delivery pass', 'delivery fail', 'delivery error', 'usable pass', 'usable fail', 'usable error']) assert.isAtLeast(seen[k] ?? 0, 3, `too few "${k}": ${JSON.stringify(seen)}`);
  });
});
