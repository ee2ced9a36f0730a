/** The root element of an S3 answer, as the collector checks it before the SDK parses the body. */
import { expect } from 'chai';
import { hasRoot } from '../../src/collect/answer-root.ts';

describe('collect: the root element of an S3 answer', () => {
  it('is found after a byte order mark, an XML declaration, white space and comments', () => {
    expect(hasRoot('<LocationConstraint/>', 'LocationConstraint')).to.equal(true);
    expect(hasRoot('\uFEFF<?xml version="1.0" encoding="UTF-8"?>\n<!-- a --><!-- b -->\n<LocationConstraint xmlns="x">eu-west-1</LocationConstraint>', 'LocationConstraint')).to.equal(true);
    expect(hasRoot('<ListBucketResult/>', 'LocationConstraint')).to.equal(false);
    expect(hasRoot('<LocationConstraintX/>', 'LocationConstraint')).to.equal(false);
    expect(hasRoot('', 'LocationConstraint')).to.equal(false);
    // A comment ends at its first -->: what follows is no comment.
    expect(hasRoot('<!-- a --> x --><LocationConstraint/>', 'LocationConstraint')).to.equal(false);
  });

  it('is checked in time linear in the body, whatever comments it holds', function () {
    // Each comment could also be read as part of a longer one: 2^(n-1) ways to split n of them,
    // seconds for 32 with a lazy [\s\S]*?, and centuries for 100. No timed assertion (timings
    // belong to the benchmarks): the test's timeout only stops a hang.
    this.timeout(20_000);
    expect(hasRoot('<!--a-->'.repeat(100) + 'x', 'LocationConstraint')).to.equal(false);
    expect(hasRoot('<!--a-->'.repeat(100) + '<LocationConstraint/>', 'LocationConstraint')).to.equal(true);
  });
});
