/**
 * A differential property test of the user-rule language. A reference interpreter written from
 * docs/rule-format.md alone (differential-user-rules/paths.ts and interpret.ts, which say how they
 * read it) judges random rules in a safe subset of the language (differential-user-rules/
 * gen-rules.ts: checks of const, enum, type, pattern, minimum/maximum, minItems/maxItems and not;
 * `where`s; some/every/none/count; `$param`s with defaults and config overrides; message
 * templates) against random small inventories (gen-inventory.ts: failed and missing reads,
 * organization trails seen from a member, unread trail lists). The same rules, written out as YAML
 * files, go through the real loader and engine, and every result must have the interpreter's
 * status, and the message it promises.
 *
 * A failure prints fast-check's seed and path; FC_SEED=<seed> replays it, FC_SEED=random explores.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import fc from 'fast-check';
import { evaluate } from '../../src/engine/evaluate.ts';
import type { Result } from '../../src/engine/result.ts';
import { parseInventory } from '../../src/inventory/parse.ts';
import { mergeInventories } from '../../src/inventory/merge.ts';
import type { Inventory } from '../../src/inventory/types.ts';
import type { CompiledRule } from '../../src/rules/compiled.ts';
import { loadRules } from '../../src/rules/load.ts';
import { inventoryArb } from './differential-user-rules/gen-inventory.ts';
import { overrides, ruleArb, toYaml } from './differential-user-rules/gen-rules.ts';
import { interpret, subjectKey } from './differential-user-rules/interpret.ts';
import type { RuleSpec } from './differential-user-rules/world.ts';

// Loading costs ~25 ms a call and ~3 ms a rule, so each run loads several rules at once and
// judges several inventories with them.
const rulesArb = fc.array(ruleArb(0), { minLength: 1, maxLength: 8 }).map((rs) => rs.map((r, i) => ({ ...r, id: `user-rule-${i}`, title: `User rule ${i}` })));
const inventoriesArb = fc.array(inventoryArb, { minLength: 1, maxLength: 3 });

describe('user rules agree with a reference interpreter of docs/rule-format.md', () => {
  let dir: string;
  let run = 0;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'trailgate-user-rules-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  /** Loads the rules the way `scan --rules FILE` does, and the inventory the way `scan` does. */
  function load(specs: RuleSpec[]): CompiledRule[] {
    const sub = join(dir, String(run++));
    const paths = specs.map((s) => {
      const file = `${sub}-${s.id}.yaml`;
      writeFileSync(file, toYaml(s));
      return file;
    });
    return loadRules({ builtin: false, paths, params: overrides(specs), cwd: dir });
  }
  const actual = (rules: CompiledRule[], inv: Inventory) => evaluate(rules, mergeInventories([parseInventory(JSON.stringify(inv, null, 1), 'inventory.json')]).inventory);

  /** Every result of these rules on this inventory against the interpreter's; returns how many. */
  function compare(specs: RuleSpec[], results: Result[], inv: Inventory): number {
    let compared = 0;
    for (const spec of specs) {
      const want = interpret(spec, inv);
      const got = new Map(results.filter((r) => r.ruleId === spec.id).map((r) => [subjectKey(r.subject.kind, r.subject.accountId, r.subject.region, r.subject.arn), r]));
      const context = () => `\n--- rule\n${toYaml(spec)}--- parameters ${JSON.stringify(spec.params)}\n--- inventory\n${JSON.stringify(inv)}`;
      expect([...got.keys()].sort(), `subjects${context()}`).to.deep.equal([...want.keys()].sort());
      for (const [key, w] of want) {
        const r = got.get(key)!;
        compared++;
        expect(r.status, `${key}: ${r.message}${context()}`).to.equal(w.status);
        if (w.message !== undefined) expect(r.message, `${key}${context()}`).to.match(w.message);
      }
    }
    return compared;
  }

  it('every result has the status and message the document promises', () => {
    let compared = 0;
    fc.assert(
      fc.property(rulesArb, inventoriesArb, (specs, invs) => {
        const rules = load(specs);
        for (const inv of invs) compared += compare(specs, actual(rules, inv), inv);
      }),
      { numRuns: 40 },
    );
    expect(compared).to.be.greaterThan(300);
  });
});
