/**
 * Repeated YAML keys are refused at the repeat, found in one linear walk of the document (the
 * parser's own check compared each key with every earlier one: 20,000 buckets took 90 s).
 */
import { expect } from 'chai';
import fc from 'fast-check';
import { Scalar } from 'yaml';
import { InputError } from '../../src/errors.ts';
import { parseYaml } from '../../src/input/document.ts';
import { countReads } from '../helpers/count-reads.ts';
import { inputErrorOf } from '../helpers/input-error.ts';

/** `line:column: message` of the InputError parsing `text` throws. */
function refusal(text: string): string {
  const e = inputErrorOf(() => parseYaml(text, 'f.yaml'));
  return `${e.position?.line}:${e.position?.column}: ${e.message}`;
}

/**
 * How many times `call` reads a YAML scalar's value: comparing two keys reads both, so a parse or
 * a lookup that compares each key with the others reads keys × keys times. A count, not a time,
 * so the test says the same on any machine.
 */
function scalarReads(call: () => void): number {
  return countReads(Scalar.prototype, 'value', call);
}

describe('repeated YAML keys', () => {
  const refused: { name: string; text: string; expected: string }[] = [
    { name: 'at the top', text: 'version: 1\naccounts: []\nversion: 1\n', expected: '3:1: invalid YAML: the key "version" is repeated in one mapping' },
    { name: 'in a nested mapping', text: 'buckets:\n  b1: {}\n  b2: {}\n  b1: {}\n', expected: '4:3: invalid YAML: the key "b1" is repeated in one mapping' },
    { name: 'in a flow mapping', text: 'a: {x: 1, y: 2, x: 3}\n', expected: '1:17: invalid YAML: the key "x" is repeated in one mapping' },
    { name: 'in a mapping inside a flow list', text: 'a: [{x: 1}, {x: 1, x: 2}]\n', expected: '1:20: invalid YAML: the key "x" is repeated in one mapping' },
    { name: 'in a mapping in a block list', text: 'a:\n  - x: 1\n  - x: 1\n    y: 2\n    x: 3\n', expected: '5:5: invalid YAML: the key "x" is repeated in one mapping' },
    { name: 'bare and quoted', text: "a: 1\n'a': 2\n", expected: "2:1: invalid YAML: the key \"a\" is repeated in one mapping (as a and as 'a': keys are read as text)" },
    { name: 'digits bare and quoted', text: '1: a\n"1": b\n', expected: '2:1: invalid YAML: the key "1" is repeated in one mapping (as 1 and as "1": keys are read as text)' },
    { name: 'spelt with an escape', text: 'ab: 1\n"a\\x62": 2\n', expected: '2:1: invalid YAML: the key "ab" is repeated in one mapping (as ab and as "a\\x62": keys are read as text)' },
    { name: 'behind an anchor', text: 'a: 1\n&k a: 2\n', expected: '2:4: invalid YAML: the key "a" is repeated in one mapping' },
    { name: 'the first repeat in the text, nested before outer', text: 'a:\n  x: 1\n  x: 2\na: 3\n', expected: '3:3: invalid YAML: the key "x" is repeated in one mapping' },
    { name: 'the first repeat in the text, outer before nested', text: 'a: 1\na: 2\nb: {x: 1, x: 2}\n', expected: '2:1: invalid YAML: the key "a" is repeated in one mapping' },
    { name: 'before a syntax error later in the text', text: 'a: 1\na: 2\nb: [\n', expected: '2:1: invalid YAML: the key "a" is repeated in one mapping' },
  ];
  for (const { name, text, expected } of refused) it(`are refused at the repeat: ${name}`, () => expect(refusal(text)).to.equal(expected));

  it('a syntax error before a repeat is named first', () => {
    expect(refusal('a: [1, 2\nb: 1\nb: 2\n')).to.match(/^2:\d+: invalid YAML: (?!the key)/);
  });

  const accepted: { name: string; text: string; value: unknown }[] = [
    { name: 'the same key in two mappings', text: 'a: {x: 1}\nb: {x: 2}\n', value: { a: { x: 1 }, b: { x: 2 } } },
    { name: 'the same key in two items of a list', text: '- x: 1\n- x: 2\n', value: [{ x: 1 }, { x: 2 }] },
    { name: 'one number in two spellings, which are two texts', text: '1: a\n1.0: b\n01: c\n', value: { 1: 'a', '1.0': 'b', '01': 'c' } },
    { name: 'null spelt two ways', text: 'null: 1\n~: 2\n', value: { null: 1, '~': 2 } },
    { name: 'keys that differ in case', text: 'Name: 1\nname: 2\n', value: { Name: 1, name: 2 } },
    { name: 'a key and the value of another', text: 'a: b\nb: a\n', value: { a: 'b', b: 'a' } },
  ];
  for (const { name, text, value } of accepted) it(`are told apart from keys that only look alike: ${name}`, () => expect(parseYaml(text, 'f.yaml').value).to.deep.equal(value));

  it('are refused exactly when a mapping repeats a key, at the first repeat in the text', () => {
    // Keys YAML would read as other types than text, beside plain names, in every quoting style.
    const keyText = fc.constantFrom('a', 'b', '1', '01', 'null', '~', 'true', '1e3');
    const key = fc.record({ text: keyText, style: fc.constantFrom('plain', 'single', 'double') });
    type Mapping = { key: { text: string; style: string }; value: Mapping | number }[];
    const { mapping } = fc.letrec<{ mapping: Mapping }>((tie) => ({
      mapping: fc.array(fc.record({ key, value: fc.oneof({ depthSize: 'small', maxDepth: 3 }, fc.nat(9), tie('mapping')) }), { minLength: 1, maxLength: 5 }),
    }));
    fc.assert(
      fc.property(mapping, (top) => {
        const lines: string[] = [];
        // The line and column of each mapping's first repeat, found from what was generated.
        const repeats: { line: number; column: number }[] = [];
        const write = (m: Mapping, indent: number): void => {
          const seen = new Set<string>();
          let repeat: { line: number; column: number } | undefined;
          for (const { key: k, value } of m) {
            const written = k.style === 'double' ? JSON.stringify(k.text) : k.style === 'single' ? `'${k.text}'` : k.text;
            if (seen.has(k.text)) repeat ??= { line: lines.length + 1, column: indent + 1 };
            seen.add(k.text);
            if (typeof value === 'number') lines.push(`${' '.repeat(indent)}${written}: ${value}`);
            else if (value.length === 0) lines.push(`${' '.repeat(indent)}${written}: {}`);
            else {
              lines.push(`${' '.repeat(indent)}${written}:`);
              write(value, indent + 2);
            }
          }
          if (repeat) repeats.push(repeat);
        };
        write(top, 0);
        const text = `${lines.join('\n')}\n`;
        const first = repeats.sort((x, y) => x.line - y.line)[0];
        if (first === undefined) {
          parseYaml(text, 'f.yaml');
          return;
        }
        const e = inputErrorOf(() => parseYaml(text, 'f.yaml'));
        expect(e, text).to.be.instanceOf(InputError);
        expect(e.message, text).to.match(/^invalid YAML: the key .* is repeated in one mapping/);
        expect({ line: e.position?.line, column: e.position?.column }, text).to.deep.equal(first);
      }),
      { numRuns: 300 },
    );
  });

  it('reading and locating every key of a mapping of 10,000 costs a few reads per key, not one per pair of keys', () => {
    const n = 10_000;
    const text = `buckets:\n${Array.from({ length: n }, (_, i) => `  bucket-${i}: {Region: us-east-1}\n`).join('')}`;
    let located = 0;
    const reads = scalarReads(() => {
      const doc = parseYaml(text, 'f.yaml');
      for (let i = 0; i < n; i++) located += doc.locate(`/buckets/bucket-${i}`, true).line === i + 2 ? 1 : 0;
    });
    expect(located).to.equal(n);
    // Comparing each key with the others would read them about n² / 2 = 50,000,000 times.
    expect(reads).to.be.below(20 * n);
  });
});
