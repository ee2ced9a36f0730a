/** The report order: total, independent of input order, and not recomputed for what is already sorted. */
import { expect } from 'chai';
import fc from 'fast-check';
import { compareResults, filterResults, sortResults, type Result } from '../../src/engine/result.ts';
import { countByStatus } from '../../src/report/json.ts';

const STATUSES = ['pass', 'fail', 'error', 'skipped'] as const;

// A rule has one severity, as in a real run; results that differ only in severity would be ties
// the order need not break, and the test would then fail on input order alone (one run in many).
const SEVERITY_OF = { 'a-rule': 'low', 'b-rule': 'high', 'c-rule': 'low' } as const;

const result: fc.Arbitrary<Result> = fc.record({
  ruleId: fc.constantFrom('a-rule', 'b-rule', 'c-rule'),
  status: fc.constantFrom(...STATUSES),
  subject: fc.record({
    kind: fc.constantFrom('trail' as const, 'region' as const, 'account' as const),
    accountId: fc.constantFrom('111111111111', '222222222222'),
    region: fc.option(fc.constantFrom('us-east-1', 'eu-west-1'), { nil: undefined }),
    arn: fc.option(fc.constantFrom('arn:aws:cloudtrail:us-east-1:111111111111:trail/t'), { nil: undefined }),
  }),
  message: fc.string({ maxLength: 5 }),
}).map((r) => ({ ...r, severity: SEVERITY_OF[r.ruleId] }));

function inOrder(rs: readonly Result[]): boolean {
  return rs.every((r, i) => i === 0 || compareResults(rs[i - 1], r) <= 0);
}

describe('result order', () => {
  it('sorts any results the same way whatever their input order', () => {
    fc.assert(
      fc.property(fc.array(result, { maxLength: 40 }), (rs) => {
        const sorted = sortResults(rs);
        expect(inOrder(sorted)).to.equal(true);
        expect(sortResults([...rs].reverse())).to.deep.equal(sorted);
      }),
    );
  });

  it('keeps a filtered subset of sorted results marked sorted, and an unsorted one not', () => {
    fc.assert(
      fc.property(fc.array(result, { minLength: 2, maxLength: 40 }), (rs) => {
        const failing = (r: Result): boolean => r.status !== 'pass';
        const subset = filterResults(sortResults(rs), failing);
        expect(sortResults(subset)).to.equal(subset);
        expect(inOrder(subset)).to.equal(true);
        const unsorted = filterResults(rs, failing);
        expect(sortResults(unsorted)).to.not.equal(unsorted);
        expect(sortResults(unsorted)).to.deep.equal(subset);
      }),
    );
  });

  it('counts results by status', () => {
    fc.assert(
      fc.property(fc.array(result, { maxLength: 40 }), (rs) => {
        const counts = countByStatus(rs);
        for (const s of STATUSES) expect(counts[s]).to.equal(rs.filter((r) => r.status === s).length);
      }),
    );
  });
});
