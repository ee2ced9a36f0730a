/**
 * Inventories written by hand, the way AWS CLI output gets pasted: a valid inventory with a few
 * slips made at random places (a key's case changed, a value wrapped in the key an AWS answer
 * puts around it, a field moved a level up or down, a value replaced by any JSON). Whatever comes
 * in, the answer is a located InputError or an inventory every built-in rule judges without a
 * crash; the same text always gives the same answer.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import fc from 'fast-check';
import { parse } from 'yaml';
import { evaluate } from '../../src/engine/evaluate.ts';
import { InputError } from '../../src/errors.ts';
import { mergeInventories } from '../../src/inventory/merge.ts';
import { parseInventory } from '../../src/inventory/parse.ts';
import { loadRules } from '../../src/rules/load.ts';
import { REPO } from '../helpers/cli.ts';

const BASE = parse(readFileSync(join(REPO, 'examples', 'organization.yaml'), 'utf8')) as unknown;
const RULES = loadRules();

/** The keys AWS answers wrap their values in, and keys of the format written where they do not go. */
const WRAPPERS = ['PolicyStatus', 'Policy', 'PublicAccessBlockConfiguration', 'LoggingEnabled', 'Payer', 'LocationConstraint', 'KeyMetadata', 'Trail', 'trailList', 'EventSelectors', 'AdvancedEventSelectors', 'Grants', 'Status', '__proto__', 'constructor'];

/** The AWS CLI's wrapper of a field whose answer wraps it in another name. */
const ANSWER_WRAPPER: Record<string, string> = { Logging: 'LoggingEnabled', PublicAccessBlock: 'PublicAccessBlockConfiguration', RequestPayer: 'Payer', Region: 'LocationConstraint' };

/** The keys the rules read, where a slip matters most: half the slips land on one of them. */
const FOCUS = new Set(['Policy', 'PolicyStatus', 'PublicAccessBlock', 'Logging', 'RequestPayer', 'Region', 'Acl', 'Grants', 'Grantee', 'Versioning', 'MFADelete', 'KeyMetadata', 'KeyRotationEnabled', 'Status', 'IsLogging', 'EventSelectors', 'AdvancedEventSelectors', 'Trail', 'TrailARN', 'HomeRegion', 'S3BucketName', 'KmsKeyId', 'IsMultiRegionTrail', 'IncludeManagementEvents', 'ReadWriteType']);

type Slip = ({ focus: boolean }) & (
  | { kind: 'case'; at: number; upper: boolean }
  | { kind: 'wrap'; at: number; wrapper: string | null }
  | { kind: 'up'; at: number }
  | { kind: 'replace'; at: number; value: unknown });

const focus = fc.boolean();
const slip: fc.Arbitrary<Slip> = fc.oneof(
  fc.record({ focus, kind: fc.constant('case' as const), at: fc.nat(), upper: fc.boolean() }),
  // null: the wrapper the field's AWS CLI answer has (most wrap their value in its own name: `PolicyStatus: {PolicyStatus: ...}`).
  fc.record({ focus, kind: fc.constant('wrap' as const), at: fc.nat(), wrapper: fc.option(fc.constantFrom(...WRAPPERS), { freq: 2 }) }),
  fc.record({ focus, kind: fc.constant('up' as const), at: fc.nat() }),
  fc.record({ focus, kind: fc.constant('replace' as const), at: fc.nat(), value: fc.jsonValue({ maxDepth: 2 }) }),
);

/** Every (object, key) of a document, in a fixed order. */
function places(doc: unknown, parent?: Record<string, unknown>): { obj: Record<string, unknown>; key: string; parent: Record<string, unknown> | undefined }[] {
  if (doc === null || typeof doc !== 'object') return [];
  if (Array.isArray(doc)) return doc.flatMap((d) => places(d, parent));
  const obj = doc as Record<string, unknown>;
  return Object.keys(obj).flatMap((key) => [{ obj, key, parent }, ...places(obj[key], obj)]);
}

function apply(doc: unknown, s: Slip): void {
  const every = places(doc);
  const focused = every.filter((p) => FOCUS.has(p.key));
  const all = s.focus && focused.length > 0 ? focused : every;
  if (all.length === 0) return;
  const { obj, key, parent } = all[s.at % all.length]!;
  const value = obj[key];
  if (s.kind === 'case') {
    const renamed = s.upper ? key.toUpperCase() : key.charAt(0).toLowerCase() + key.slice(1);
    if (renamed === key) return;
    delete obj[key];
    obj[renamed] = value;
  } else if (s.kind === 'wrap') {
    // defineProperty: `__proto__` is written as a key of its own, as JSON.parse reads it.
    const wrapped = Object.defineProperty({}, s.wrapper ?? ANSWER_WRAPPER[key] ?? key, { value, enumerable: true, writable: true, configurable: true });
    Object.defineProperty(obj, key, { value: wrapped, enumerable: true, writable: true, configurable: true });
  } else if (s.kind === 'up') {
    if (parent === undefined) return;
    delete obj[key];
    parent[key] = value;
  } else {
    obj[key] = s.value;
  }
}

/** What the text gives: the results as JSON, or the refusal's lines. */
function outcome(text: string): string {
  let file;
  try {
    file = parseInventory(text, 'f.json');
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    // Every problem at its line and column; past ten, one line counts the rest.
    for (const line of e.describeAll()) expect(line, line).to.match(/^f\.json:(\d+:\d+: | \d+ more problems? not shown$)/);
    return e.describeAll().join('\n');
  }
  let merged;
  try {
    merged = mergeInventories([file]);
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    return e.describe();
  }
  const results = evaluate(RULES, merged.inventory);
  for (const r of results) expect(['pass', 'fail', 'error', 'skipped']).to.include(r.status);
  return JSON.stringify(results.map((r) => [r.ruleId, r.status, r.message]));
}

describe('hand-written inventories with slips (property)', () => {
  it('are refused at a line and column, or judged by every rule without a crash, the same way each time', function () {
    this.timeout(60_000);
    fc.assert(
      fc.property(fc.array(slip, { minLength: 1, maxLength: 3 }), (slips) => {
        const doc = structuredClone(BASE);
        for (const s of slips) apply(doc, s);
        const text = JSON.stringify(doc, null, 1);
        expect(outcome(text)).to.equal(outcome(text));
      }),
      // Each run parses and judges the example (a few ms); FC_SEED=random explores further.
      { numRuns: 150 },
    );
  });
});
