/**
 * The engine: `evaluate(rules, inventory) -> Result[]`. Pure and deterministic: no I/O, no
 * clock. Trail rules judge each TrailARN once; region and account rules quantify over the
 * trails that apply, with Kleene logic so that an unreadable datum never passes or fails.
 * This module puts the verdicts in order; judging trails is judge-trail.ts's part, judging
 * regions and accounts judge-collection.ts's, and building results and their words messages.ts's.
 */
import type { Inventory } from '../inventory/types.ts';
import type { CompiledRule } from '../rules/compiled.ts';
import { judgeCollection, unseenRegions } from './judge-collection.ts';
import { judgeTrails, unseenTrails } from './judge-trail.ts';
import { buildModel } from './model.ts';
import type { Result } from './result.ts';
import { judgements } from './trail-judgements.ts';

/** Evaluates every rule against the inventory. Results come in rule order, then subject order. */
export function evaluate(rules: readonly CompiledRule[], inventory: Inventory): Result[] {
  const model = buildModel(inventory);
  const results: Result[] = [];
  for (const { rule, results: byTrail } of judgeTrails(rules, model.trails)) {
    if (rule.meta.scope === 'trail') {
      for (const r of byTrail) results.push(r);
      results.push(...unseenTrails(rule, model));
    } else {
      const judged = judgements(rule);
      if (rule.meta.scope === 'region') {
        for (const r of model.regions) results.push(judgeCollection(rule, r, judged));
        // A region nobody looked at speaks only when the trails it shows already break the rule.
        for (const r of model.unlistedRegions) {
          const result = judgeCollection(rule, r, judged);
          if (result.status === 'fail') results.push(result);
        }
        results.push(...unseenRegions(rule, model));
      } else for (const a of model.accounts) results.push(judgeCollection(rule, a, judged));
    }
  }
  return results;
}
