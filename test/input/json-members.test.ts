/** A key repeated in a JSON object is refused, as YAML refuses it, and named where it is. */
import { expect } from 'chai';
import fc from 'fast-check';
import { parseJsonFast } from '../../src/input/document.ts';
import { parsedMembers, writtenMembers } from '../../src/input/json-members.ts';
import { firstRepeatedKey } from '../../src/input/json-repeated-key.ts';
import type { InputError } from '../../src/errors.ts';
import { inputErrorOf } from '../helpers/input-error.ts';

/** JSON text of a value, compact or indented with spaces, tabs or CRLF line ends. */
const layouts = fc.constantFrom<(v: unknown) => string>(
  (v) => JSON.stringify(v),
  (v) => JSON.stringify(v, null, 2),
  (v) => JSON.stringify(v, null, '\t'),
  (v) => JSON.stringify(v, null, 1).replace(/\n/g, '\r\n'),
);

function located(text: string): InputError {
  return inputErrorOf(() => parseJsonFast(text, 'i.json'));
}

describe('JSON members', () => {
  it('counts the same members in any JSON text as the parse keeps, when no key repeats', () => {
    fc.assert(
      fc.property(fc.jsonValue(), layouts, (value, layout) => {
        const text = layout(value);
        expect(writtenMembers(text)).to.equal(parsedMembers(JSON.parse(text)));
        expect(parseJsonFast(text, 'i.json')).to.deep.equal(JSON.parse(text));
      }),
    );
  });

  it('finds any key written twice in one object, whatever the keys hold', () => {
    const spacing = fc.constantFrom(['', ''], [' ', '\n  '], ['\t', '\r\n\t']);
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue(), { minKeys: 1, maxKeys: 5 }), fc.jsonValue(), spacing, (object, extra, [colon, comma]) => {
        const key = Object.keys(object)[0];
        // The same key once more, in the same object, with another value, written by hand.
        const members = [[key, extra], ...Object.entries(object)].map(([k, v]) => `${JSON.stringify(k)}${colon}:${colon}${JSON.stringify(v)}`);
        const text = `{"wrapper":${comma}[{${comma}${members.join(`,${comma}`)}}]}`;
        // The parse drops the first member and everything its value held: always fewer, never equal.
        expect(writtenMembers(text)).to.be.greaterThan(parsedMembers(JSON.parse(text)));
        const e = located(text);
        expect(e.message).to.match(/^invalid JSON: (the key .* |a key )is repeated in one object$/);
      }),
      { numRuns: 60 },
    );
  });

  it('names the repeated key at its second occurrence', () => {
    const text = '{\n  "version": 1,\n  "accounts": [\n    { "accountId": "1", "accountId": "2" }\n  ]\n}\n';
    const e = located(text);
    expect(e.describe()).to.equal('i.json:4:25: invalid JSON: the key "accountId" is repeated in one object');
  });

  it('is not fooled by keys or values holding quotes, colons and backslashes', () => {
    const text = '{"a\\":b": "x:y", "c\\\\": "\\"", "d": {"e:f": [":", "\\\\\\""]}}';
    expect(parseJsonFast(text, 'i.json')).to.deep.equal(JSON.parse(text));
    expect(located(text.replace('"d"', '"c\\\\"')).message).to.equal('invalid JSON: the key "c\\\\" is repeated in one object');
  });
});

describe('the repeated key in a large JSON text', () => {
  // Placed by one pass over the text, not by a parser that builds a node per value: a repeated
  // key at the end of a large inventory is named with a heap too small for such a tree.
  it('is named at its second occurrence, at any depth, in a text of many members', () => {
    const accounts = Array.from({ length: 3000 }, (_, i) => ({ accountId: String(100000000000 + i), regions: ['us-east-1', 'eu-west-1'], trails: [] }));
    const text = JSON.stringify({ version: 1, accounts }, null, 2).replace(/"accountId": "100000002999",/, '"accountId": "100000002999", "regions": [],');
    const e = located(text);
    // The key written in by hand comes first, so the second occurrence is the original, a line below.
    const lines = text.split('\n');
    const line = lines.findIndex((l) => l.includes('"100000002999", "regions": []')) + 2;
    expect(lines[line - 1]).to.equal('      "regions": [');
    expect(e.describe()).to.equal(`i.json:${line}:7: invalid JSON: the key "regions" is repeated in one object`);
  });

  it('agrees with where the YAML parser places it, for random objects with one key written twice', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue(), { minKeys: 1, maxKeys: 4 }), fc.jsonValue(), fc.nat(3), layouts, (object, extra, depth, layout) => {
        const key = Object.keys(object)[0];
        const inner = `{${[...Object.entries(object), [key, extra]].map(([k, v]) => `${JSON.stringify(k)}: ${layout(v)}`).join(', ')}}`;
        let text = inner;
        for (let d = 0; d < depth; d++) text = d % 2 === 0 ? `[1, ${text}]` : `{"k": ${text}}`;
        const found = firstRepeatedKey(text);
        expect(found?.key).to.equal(key);
        // The second occurrence is the last member written: its key starts at the last `, "key":`.
        const offset = text.lastIndexOf(`, ${JSON.stringify(key)}: `) + 2;
        const before = text.slice(0, offset);
        const line = before.split(/\r\n|\r|\n/).length;
        const column = offset - Math.max(before.lastIndexOf('\n'), before.lastIndexOf('\r'));
        expect([found?.line, found?.column]).to.deep.equal([line, column]);
      }),
      { numRuns: 200 },
    );
  });
});
