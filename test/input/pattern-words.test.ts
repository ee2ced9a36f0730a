import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { DESCRIBED_PATTERNS, patternWords } from '../../src/input/pattern-words.ts';
import { REPO } from '../helpers/cli.ts';

/** Every `pattern` in a JSON Schema document, propertyNames' included. */
function patternsIn(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) for (const v of value) patternsIn(v, out);
  else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === 'pattern' && typeof v === 'string') out.push(v);
      else patternsIn(v, out);
    }
  }
  return out;
}

describe('schema patterns in words', () => {
  // A regex is no message, and the terminal escaping doubled its backslashes: `^\\d{12}$`.
  it("describes every pattern of trailgate's schemas, in words with no regex syntax", () => {
    const dir = join(REPO, 'schemas');
    const patterns = readdirSync(dir)
      .filter((f) => f.endsWith('.json'))
      .flatMap((f) => patternsIn(JSON.parse(readFileSync(join(dir, f), 'utf8'))));
    expect(patterns.length).to.be.greaterThan(10);
    for (const p of patterns) {
      expect(DESCRIBED_PATTERNS.has(p), p).to.equal(true);
      expect(patternWords(p), p).to.match(/^must /).and.not.match(/\\|\^|\$|\[/);
    }
  });

  it("shows a pattern that is none of trailgate's (a custom rule's) as it is", () => {
    expect(patternWords('^x[0-9]+$')).to.equal('must match the pattern ^x[0-9]+$');
  });
});
