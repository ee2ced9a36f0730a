/** A key repeated in a JSON object is refused, as YAML refuses it, and named where it is. */
import { expect } from 'chai';
import fc from 'fast-check';
import { parseJsonFast } from '../../src/input/document.ts';
import { parsedMembers, writtenMembers } from '../../src/input/json-members.ts';
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
