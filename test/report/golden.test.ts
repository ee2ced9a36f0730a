import { readFileSync, writeFileSync } from 'node:fs';
import { assert } from 'chai';
import { junitReport } from '../../src/report/junit.ts';
import { sarifReport } from '../../src/report/sarif.ts';
import type { ReportInput, Reporter } from '../../src/report/types.ts';
import { assertValidJunit } from '../helpers/junit-check.ts';
import { assertValidSarif } from '../helpers/sarif-check.ts';
import { sampleInput } from './sample.ts';

/** Run with UPDATE_GOLDEN=1 to rewrite the golden files after an intended change; review the diff. */
const UPDATE = process.env.UPDATE_GOLDEN === '1';

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

const reporters: Array<[string, Reporter, string, (text: string) => void | Promise<void>]> = [
  ['sarif', sarifReport, 'sample.sarif', assertValidSarif],
  ['junit', junitReport, 'sample.junit.xml', assertValidJunit],
];

for (const [name, report, file, validate] of reporters) {
  describe(`${name} golden file and determinism`, () => {
    const golden = new URL(`golden/${file}`, import.meta.url);

    it(`matches golden/${file} byte for byte`, async () => {
      const text = report(sampleInput());
      if (UPDATE) writeFileSync(golden, text);
      assert.strictEqual(text, readFileSync(golden, 'utf8'));
      await validate(text);
    });

    it('renders the same bytes twice, whatever order the input comes in', () => {
      const first = report(sampleInput());
      assert.strictEqual(report(sampleInput()), first);
      const shuffled: ReportInput = sampleInput();
      shuffled.results.reverse();
      shuffled.rules.reverse();
      assert.strictEqual(report(shuffled), first);
    });

    it('leaves its input untouched', () => {
      const input = deepFreeze(sampleInput());
      assert.doesNotThrow(() => report(input), 'a frozen input cannot be sorted or changed in place');
      assert.deepEqual(input, sampleInput());
    });
  });
}
