/**
 * JUnit test case names of a region rule's suite: a suite of region subjects only, with plain
 * names each once, is written without the namer's bookkeeping (junit.ts, distinctPlainRegions).
 * Its names must be exactly those the namer gives, whatever the accounts and regions hold.
 */
import { assert } from 'chai';
import fc from 'fast-check';
import type { Subject } from '../../src/engine/result.ts';
import { junitReport } from '../../src/report/junit.ts';
import type { ReportInput } from '../../src/report/types.ts';
import { result, rule, sampleInput } from './sample.ts';

/** The test case names of the report, as written. */
function names(input: ReportInput): string[] {
  return [...junitReport(input).matchAll(/<testcase classname="r" name="([^"]*)"/g)].map((m) => m[1]!);
}

// Pieces that make names equal, renamed (`1/a (2)`), escaped, stripped or split two ways (`1/a` + `b`, `1` + `a/b`).
const piece = fc.constantFrom('1', '2', 'a', 'b', '/', ' ', '#', '##[', '[', '&', '"', ' (2)', '\u0000', '\u202e', '\u00a0', '\ud800', '\ud83d\ude80', '\u{e0041}');
const region: fc.Arbitrary<Subject> = fc.record({ kind: fc.constant('region' as const), accountId: fc.string({ unit: piece, maxLength: 3 }), region: fc.string({ unit: piece, maxLength: 3 }) });

/** The names of a region rule's suite of `subjects` equal those with another kind of subject in the suite, which goes through the namer. */
function sameAsNamer(subjects: Subject[]): void {
  const input = sampleInput();
  input.rules = [rule('r', 'low', { scope: 'region' })];
  input.results = subjects.map((s) => result('r', 'pass', s));
  const alone = names(input);
  // An account subject of a name none of the others can have.
  input.results.push(result('r', 'pass', { kind: 'account', accountId: 'zz-extra' }));
  assert.deepEqual(alone, names(input).filter((n) => n !== 'zz-extra'));
  assert.lengthOf(new Set(alone), alone.length);
}

const at = (accountId: string, region: string): Subject => ({ kind: 'region', accountId, region });

describe('JUnit names of a suite of region subjects', () => {
  it('are the names the namer gives with another kind of subject in the suite', () => {
    fc.assert(fc.property(fc.array(region, { maxLength: 12 }), sameAsNamer), { numRuns: 1000 });
  });

  it("are the namer's for names that compare equal: split two ways, with blanks, stripped, renamed", () => {
    sameAsNamer([at('1/a', 'b'), at('1', 'a/b')]);
    sameAsNamer([at('1', 'a'), at('1', 'a ')]);
    sameAsNamer([at('1', 'a'), at('1 ', 'a')]);
    sameAsNamer([at('1', 'a b'), at('1', 'a  b')]);
    sameAsNamer([at('1', 'a'), at('1', 'a\u0000')]);
    sameAsNamer([at('1', 'a'), at('1', 'a (2)'), at('1', 'a')]);
  });

  it('are account/region for plain ones, each once, in report order', () => {
    const input = sampleInput();
    input.rules = [rule('r', 'low', { scope: 'region' })];
    input.results = [at('2', 'us-east-1'), at('1', 'us-east-1'), at('1', 'eu-west-1'), at('1', 'us-east-1')].map((s) => result('r', 'pass', s));
    assert.deepEqual(names(input), ['1/eu-west-1', '1/us-east-1', '1/us-east-1 (2)', '2/us-east-1']);
  });
});
