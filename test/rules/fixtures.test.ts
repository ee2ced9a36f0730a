/**
 * Rule fixtures, discovered: every `test/fixtures/rules/<rule-id>/<case>.yaml` holds an
 * inventory and the exact results the rule must give, by subject. Adding a case is adding a
 * file. Every built-in rule must have fixtures that pass, fail and error.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { parse } from 'yaml';
import { evaluate } from '../../src/engine/evaluate.ts';
import { subjectKey, type Result } from '../../src/engine/result.ts';
import { parseInventory } from '../../src/inventory/parse.ts';
import { loadRules } from '../../src/rules/load.ts';

const ROOT = join(import.meta.dirname, '..', 'fixtures', 'rules');

interface FixtureCase {
  description: string;
  /** Parameter overrides for the rule. */
  params?: Record<string, unknown>;
  inventory: unknown;
  /** Subject key (TrailARN, account id, or account/region) to the expected status: all of the rule's results. */
  expect: Record<string, 'pass' | 'fail' | 'error' | 'skipped'>;
  /** Subject key to a text the message must contain. */
  messages?: Record<string, string>;
}

function casesOf(ruleId: string): { file: string; fixture: FixtureCase }[] {
  return readdirSync(join(ROOT, ruleId))
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => ({ file: f, fixture: parse(readFileSync(join(ROOT, ruleId, f), 'utf8')) as FixtureCase }));
}

const builtinIds = loadRules().map((r) => r.meta.id);
const fixtureDirs = readdirSync(ROOT).sort();

describe('rule fixtures', () => {
  it('every built-in rule has fixtures that pass, fail and error', () => {
    for (const id of builtinIds) {
      expect(fixtureDirs, `test/fixtures/rules/${id}/ is missing`).to.include(id);
      const statuses = new Set(casesOf(id).flatMap((c) => Object.values(c.fixture.expect)));
      for (const s of ['pass', 'fail', 'error']) expect([...statuses], `${id} has no fixture expecting ${s}`).to.include(s);
    }
  });

  it('every fixture folder names a built-in rule', () => {
    for (const dir of fixtureDirs) expect(builtinIds, `test/fixtures/rules/${dir}/`).to.include(dir);
  });

  for (const ruleId of fixtureDirs) {
    describe(ruleId, () => {
      for (const { file, fixture } of casesOf(ruleId)) {
        it(`${file}: ${fixture.description}`, () => {
          const rules = loadRules({ params: fixture.params ? { [ruleId]: fixture.params } : undefined }).filter((r) => r.meta.id === ruleId);
          // Through the real loader, so every fixture is also a valid inventory.
          const { inventory } = parseInventory(JSON.stringify(fixture.inventory), `${ruleId}/${file}`);
          const results = evaluate(rules, inventory);
          const actual = Object.fromEntries(results.map((r: Result) => [subjectKey(r.subject), r.status]));
          expect(results.length, 'one result per subject').to.equal(Object.keys(actual).length);
          expect(actual, messagesOf(results)).to.deep.equal(fixture.expect);
          for (const [key, text] of Object.entries(fixture.messages ?? {})) {
            const r = results.find((x) => subjectKey(x.subject) === key);
            expect(r?.message, `message for ${key}`).to.include(text);
          }
        });
      }
    });
  }
});

function messagesOf(results: Result[]): string {
  return results.map((r) => `${subjectKey(r.subject)} ${r.status}: ${r.message}`).join('\n');
}
