/**
 * A JSON syntax error is placed at the token that breaks the grammar, and shows it, also where
 * JSON.parse names no position (Node 20 names none for `True`, `NaN`, `'x'`, `+1`).
 */
import { expect } from 'chai';
import fc from 'fast-check';
import { parseJsonFast } from '../../src/input/document.ts';
import { firstJsonError } from '../../src/input/json-syntax.ts';
import { inputErrorOf } from '../helpers/input-error.ts';

/** `line:column: message` of the refusal. */
function refusal(text: string): string {
  const e = inputErrorOf(() => parseJsonFast(text, 'i.json'));
  return `${e.position?.line}:${e.position?.column}: ${e.message}`;
}

/** Stands where the bad token goes: a string no generated value holds (checked). */
const HOLE = '\u0000hole\u0000';

/** A JSON value with HOLE somewhere inside it, in an array or as a property's value. */
const withHole: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  hole: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constant(HOLE),
    fc
      .tuple(fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 3 }), tie('hole'), fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 3 }))
      .map(([before, hole, after]) => [...before, hole, ...after]),
    fc
      .tuple(fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 }), fc.string(), tie('hole'), fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 }))
      .map(([before, key, hole, after]) => ({ ...before, [key]: hole, ...Object.fromEntries(Object.entries(after).filter(([k]) => k !== key && !(k in before))) })),
  ),
})).hole;

/** Tokens that start no JSON value, and that JSON.parse on Node 20 refuses without a position. */
const BAD = ['True', 'False', 'NULL', 'None', 'yes', 'NaN', 'Infinity', '+1', "'x'", "'it is'", 'undefined', '.5', 'tru', 'nul'];

describe('JSON syntax errors', () => {
  it('are placed at the first token that starts no value, which the message shows', () => {
    expect(refusal('{\n  "version": 1,\n  "Status": {"IsLogging": True}\n}')).to.equal('3:27: invalid JSON: True is not a JSON value: JSON writes true, false and null in lower case');
    expect(refusal('[1, NaN]')).to.equal('1:5: invalid JSON: NaN is not a JSON value: a JSON number is never NaN or infinite');
    expect(refusal('{"a": yes}')).to.equal("1:7: invalid JSON: yes is not a JSON value: JSON's only words are true, false and null");
    expect(refusal("{\"a\": 'x'}")).to.equal("1:7: invalid JSON: 'x' is not a JSON value: JSON strings are in double quotes");
    expect(refusal('{"a": +1}')).to.equal('1:7: invalid JSON: +1 is not a JSON value: a JSON number has no plus sign');
    expect(refusal('[tru]')).to.equal('1:2: invalid JSON: tru is not a JSON value');
    expect(refusal('[1,\n]')).to.equal('2:1: invalid JSON: unexpected ] where a value belongs');
    // A lone CR (classic Mac OS) ends a line, as an editor shows it; so do the positions JSON.parse gives, and repeated keys.
    expect(refusal('{\r  "a": [1,\r  NaN]\r}')).to.equal('3:3: invalid JSON: NaN is not a JSON value: a JSON number is never NaN or infinite');
    expect(refusal('{\r  "a": 1\r  "b": 2}')).to.equal("3:3: invalid JSON: Expected ',' or '}' after property value");
    expect(refusal('{\r  "a": 1,\r  "a": 2}')).to.equal('3:3: invalid JSON: the key "a" is repeated in one object');
    // A document cut short ends where its last character is.
    expect(refusal('{"version": 1, "accounts": [\n\n')).to.equal('1:29: invalid JSON: the document ends before it is complete');
    // Also where V8 names the end as a position: it blamed a token that is not there, on a line past the last.
    expect(refusal('{\n  "version": 1,\n  "accounts": []\n')).to.equal('3:17: invalid JSON: the document ends before it is complete');
    expect(refusal('{\n  "version": 1,\n  "accounts": [],\n')).to.equal('3:18: invalid JSON: the document ends before it is complete');
    expect(refusal('{"version": 1, "accounts": [] x')).to.equal("1:31: invalid JSON: Expected ',' or '}' after property value");
    // Only JSON's white space counts as nothing: a no-break space after the document is a token.
    expect(refusal('{"a": 1}\u00a0')).to.equal('1:9: invalid JSON: Unexpected non-whitespace character after JSON');
  });

  // Node 21 and later (the Action runs on node24) add `(line L column C)` to V8's words.
  it('reads the positions of newer Node versions the same way, and says when the text stops too soon', () => {
    const parse = JSON.parse;
    const newer = (text: string, words: string, position: number, line: number, column: number) => {
      JSON.parse = () => {
        throw new SyntaxError(`${words} in JSON at position ${position} (line ${line} column ${column})`);
      };
      try {
        return refusal(text);
      } finally {
        JSON.parse = parse;
      }
    };
    expect(newer('{\n  "version": 1,\n  "accounts": []\n', "Expected ',' or '}' after property value", 35, 4, 1)).to.equal('3:17: invalid JSON: the document ends before it is complete');
    expect(newer('{\n  "a": 1\n  "b": 2}', "Expected ',' or '}' after property value", 13, 3, 3)).to.equal("3:3: invalid JSON: Expected ',' or '}' after property value");
  });

  it('finds nothing wrong in valid JSON, however it is laid out', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.constantFrom(0, 2, '\t'), (value, indent) => {
        expect(firstJsonError(JSON.stringify(value, null, indent))).to.equal(undefined);
      }),
    );
  });

  it('a valid document with one value replaced by a bad token is refused at that token', () => {
    fc.assert(
      fc.property(withHole, fc.constantFrom(0, 2, '\t'), fc.constantFrom(...BAD), (value, indent, bad) => {
        const valid = JSON.stringify(value, null, indent);
        const hole = JSON.stringify(HOLE);
        const offset = valid.indexOf(hole);
        fc.pre(offset >= 0 && valid.indexOf(hole, offset + 1) < 0);
        const text = valid.slice(0, offset) + bad + valid.slice(offset + hole.length);
        const before = text.slice(0, offset).split('\n');
        const e = inputErrorOf(() => parseJsonFast(text, 'i.json'));
        expect(e.position).to.include({ line: before.length, column: before[before.length - 1].length + 1 });
        expect(e.message).to.include(bad);
      }),
    );
  });
});
