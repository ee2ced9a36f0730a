/**
 * The position of a JSON pointer's value in JSON text, found by one pass that follows the pointer,
 * gives the answer the YAML parser's positions give, without building a node per value.
 */
import { expect } from 'chai';
import fc from 'fast-check';
import { parseYaml } from '../../src/input/document.ts';
import { locateJsonPointer } from '../../src/input/json-pointer.ts';

/** `line:column` of the pointer (with `key`, of its key). */
function at(text: string, pointer: string, key = false): string {
  const p = locateJsonPointer(text, pointer, key);
  return `${p.line}:${p.column}`;
}

describe('locateJsonPointer', () => {
  const pretty = JSON.stringify({ version: 1, accounts: [{ accountId: '111122223333', regions: ['us-east-1', 'eu-west-1'] }, { 'a/b~c': { x: [[], [true]] } }] }, null, 2);

  const cases: [name: string, text: string, pointer: string, key: boolean, expected: string][] = [
    ['the whole document', pretty, '', false, '1:1'],
    ['a top-level value', pretty, '/version', false, '2:14'],
    ['a top-level key', pretty, '/version', true, '2:3'],
    ['an array element', pretty, '/accounts/0/regions/1', false, '8:9'],
    ['an element after a nested one', pretty, '/accounts/1', false, '11:5'],
    ['a key escaped in the pointer (~1 and ~0)', pretty, '/accounts/1/a~1b~0c', true, '12:7'],
    ['an element of an element', pretty, '/accounts/1/a~1b~0c/x/1/0', false, '16:13'],
    ['a missing member: its object', pretty, '/accounts/0/trails', false, '4:5'],
    ['a missing member asked as a key: its object', pretty, '/accounts/0/trails', true, '4:5'],
    ['an index past the end: its array', pretty, '/accounts/0/regions/2', false, '6:18'],
    ['an index that is no number: its array', pretty, '/accounts/x', false, '3:15'],
    ['an index with a leading zero: its array', pretty, '/accounts/01', false, '3:15'],
    ['a pointer into a scalar: the scalar', pretty, '/version/0', false, '2:14'],
    ['leading whitespace', '\n\n  {"a": 1}', '/a', false, '3:9'],
    ['a key written with an escape', '{"\\u0061b": [0, {"c": 2}]}', '/ab/1/c', false, '1:23'],
    ['strings holding brackets, quotes and backslashes are skipped whole', '{"s": "[{\\"\\\\", "t": ["]}", 7]}', '/t/1', false, '1:29'],
    ['lone CR line breaks count as lines', '{\r"a":\r\n1,\r"b": 2}', '/b', false, '4:6'],
    ['a byte order mark takes no column', '\ufeff{"a": 1}', '/a', false, '1:7'],
    ['the member of that name, not a nested one first', '{"x": {"a": 1}, "a": 2}', '/a', false, '1:22'],
  ];
  for (const [name, text, pointer, key, expected] of cases) {
    it(name, () => expect(at(text, pointer, key)).to.equal(expected));
  }

  it('reads nesting far deeper than the call stack reaches', () => {
    const depth = 200_000;
    const text = `${'['.repeat(depth)}\n1${']'.repeat(depth)}`;
    expect(at(text, '/0'.repeat(depth))).to.equal('2:1');
  });

  it('stops early and never throws on text that is not JSON', () => {
    for (const text of ['', '{', '{"a"', '{"a": [1, ', '[1, 2', 'xyz', '{"a" 1}', '"abc']) {
      expect(() => locateJsonPointer(text, '/a/1/b')).not.to.throw();
      expect(() => locateJsonPointer(text, '/a/1/b', true)).not.to.throw();
    }
  });

  /** Every pointer to a value inside `v`, with whether its last step is a member (which has a key). */
  function pointers(v: unknown, prefix = ''): { pointer: string; member: boolean }[] {
    const out: { pointer: string; member: boolean }[] = [];
    if (Array.isArray(v)) {
      v.forEach((item, i) => out.push({ pointer: `${prefix}/${i}`, member: false }, ...pointers(item, `${prefix}/${i}`)));
    } else if (v !== null && typeof v === 'object') {
      for (const [k, item] of Object.entries(v)) {
        const p = `${prefix}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`;
        out.push({ pointer: p, member: true }, ...pointers(item, p));
      }
    }
    return out;
  }

  const document = fc.jsonValue({ maxDepth: 4 }).chain((value) => {
    const all = [{ pointer: '', member: false }, ...pointers(value)];
    return fc.record({ value: fc.constant(value), target: fc.constantFrom(...all), indent: fc.constantFrom(0, 2, '\t'), crlf: fc.boolean() });
  });

  it('finds where JSON.stringify wrote the value (property)', () => {
    fc.assert(
      fc.property(document, ({ value, target, indent }) => {
        const text = JSON.stringify(value, null, indent);
        // The reference: the value's own text, written with a marker in its place, starts where the
        // marker is; the marker is a string no generated value can hold.
        const marker = '\u0000here\u0000';
        const marked = JSON.stringify(replaceAt(value, target.pointer, marker), null, indent);
        const offset = marked.indexOf(JSON.stringify(marker));
        const before = text.slice(0, offset);
        const line = before.split('\n').length;
        const expected = `${line}:${offset - (before.lastIndexOf('\n') + 1) + 1}`;
        expect(at(text, target.pointer)).to.equal(expected);
      }),
      { numRuns: 300 },
    );
  });

  it('gives the YAML parser’s answer, for values and keys, with any line breaks (property)', () => {
    fc.assert(
      fc.property(document, ({ value, target, indent, crlf }) => {
        let text = JSON.stringify(value, null, indent);
        if (crlf) text = text.replace(/\n/g, '\r\n');
        const yaml = parseYaml(text, 'x.json');
        for (const key of target.member ? [false, true] : [false]) {
          const expected = yaml.locate(target.pointer, key);
          expect(at(text, target.pointer, key), `${target.pointer} key=${key}`).to.equal(`${expected.line}:${expected.column}`);
        }
        // A pointer one step past an existing value names its nearest ancestor, as the YAML locator does.
        const missing = `${target.pointer}/no such member`;
        const fallback = yaml.locate(missing);
        expect(at(text, missing)).to.equal(`${fallback.line}:${fallback.column}`);
      }),
      { numRuns: 300 },
    );
  });
});

/** A copy of `value` with the value at `pointer` replaced by `replacement`. */
function replaceAt(value: unknown, pointer: string, replacement: unknown): unknown {
  if (pointer === '') return replacement;
  const copy = structuredClone(value) as Record<string, unknown>;
  const segments = pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  let parent: Record<string, unknown> = copy;
  for (const s of segments.slice(0, -1)) parent = parent[s] as Record<string, unknown>;
  // defineProperty, not assignment: a generated key may be __proto__.
  Object.defineProperty(parent, segments[segments.length - 1], { value: replacement, enumerable: true, writable: true, configurable: true });
  return copy;
}
