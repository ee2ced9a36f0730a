/**
 * YAML aliases are resolved in one walk, and held to what they expand the document to: honest
 * sharing (hundreds of accounts naming one `regions` list) is read, a bomb that multiplies the
 * document is refused at the alias where it passes the limit, and neither takes quadratic time.
 */
import { expect } from 'chai';
import fc from 'fast-check';
import { parseDocument, Scalar } from 'yaml';
import { parseYaml } from '../../src/input/document.ts';
import { expansionLimit, MIN_EXPANDED_VALUES } from '../../src/input/yaml-value.ts';
import { countReads } from '../helpers/count-reads.ts';
import { inputErrorOf } from '../helpers/input-error.ts';

/** `line:column: message` of the InputError parsing `text` throws. */
function refusal(text: string): string {
  const e = inputErrorOf(() => parseYaml(text, 'f.yaml'));
  return `${e.position?.line}:${e.position?.column}: ${e.message}`;
}

/**
 * How many times `call` reads the anchor of a YAML node. The parser's own resolution searched
 * every node before each alias for its anchor, reading anchors × aliases times. A count, not a
 * time, so the test says the same on any machine.
 */
function anchorReads(call: () => void): number {
  return countReads(Object.getPrototypeOf(Scalar.prototype) as object, 'anchor', call);
}

/** An inventory of `n` accounts, each after the first naming the first one's regions by alias. */
function sharedRegions(n: number): string {
  const accounts = Array.from({ length: n }, (_, i) => `  - accountId: "${String(100000000000 + i)}"\n    regions: ${i === 0 ? '&regions [us-east-1, eu-west-1]' : '*regions'}\n    trails: []\n`);
  return `version: 1\naccounts:\n${accounts.join('')}`;
}

/** Thirty levels, each a list of two aliases of the level before: 2^32 values expanded. */
function billionLaughs(): string {
  const lines = ['a0: &a0 [x, x]'];
  for (let i = 1; i <= 30; i++) lines.push(`a${i}: &a${i} [*a${i - 1}, *a${i - 1}]`);
  return `${lines.join('\n')}\n`;
}

describe('YAML aliases', () => {
  const read: { name: string; text: string; value: unknown }[] = [
    { name: 'a scalar', text: 'a: &x 1\nb: *x\n', value: { a: 1, b: 1 } },
    { name: 'a mapping', text: 'x: &a {y: 1}\nz: *a\n', value: { x: { y: 1 }, z: { y: 1 } } },
    { name: 'a list inside a list', text: '- &l [1, [2]]\n- [*l, *l]\n', value: [[1, [2]], [[1, [2]], [1, [2]]]] },
    { name: 'a key, by its anchor', text: '&k a: 1\nb: *k\n', value: { a: 1, b: 'a' } },
    { name: 'the latest anchor of a name before the alias', text: 'a: &x 1\nb: &x 2\nc: *x\n', value: { a: 1, b: 2, c: 2 } },
    { name: 'an anchor named again inside the node of the same name', text: 'a: &x [&x 1, *x]\nb: *x\n', value: { a: [1, 1], b: 1 } },
    { name: 'an alias of a node that holds aliases', text: 'a: &a [1]\nb: &b [*a, *a]\nc: [*b, *b]\n', value: { a: [1], b: [[1], [1]], c: [[[1], [1]], [[1], [1]]] } },
    { name: '__proto__ as an own key, in an aliased mapping', text: 'a: &a {__proto__: 1}\nb: *a\n', value: JSON.parse('{"a": {"__proto__": 1}, "b": {"__proto__": 1}}') },
  ];
  for (const { name, text, value } of read) it(`are read as the value they name: ${name}`, () => expect(parseYaml(text, 'f.yaml').value).to.deep.equal(value));

  it('a list shared by hundreds of accounts is read (one anchor used 100 times was refused)', () => {
    const value = parseYaml(sharedRegions(1000), 'f.yaml').value as { accounts: { regions: string[] }[] };
    expect(value.accounts).to.have.length(1000);
    for (const a of value.accounts) expect(a.regions).to.deep.equal(['us-east-1', 'eu-west-1']);
  });

  const refused: { name: string; text: string; expected: string }[] = [
    { name: 'with no anchor', text: 'a: 1\nb: *x\n', expected: '2:4: invalid YAML: the alias *x names no anchor before it; an alias repeats a value marked &x earlier in the file (text that begins with *, such as a pattern, is quoted: "*x")' },
    { name: 'before its anchor', text: 'a: [*x, &x 1]\n', expected: '1:5: invalid YAML: the alias *x names no anchor before it; an alias repeats a value marked &x earlier in the file (text that begins with *, such as a pattern, is quoted: "*x")' },
    { name: 'inside the node its anchor names', text: 'a: &x 1\nb: &x [1, {c: *x}]\n', expected: '2:15: invalid YAML: the alias *x stands inside the node its anchor names, so the document would never end' },
  ];
  for (const { name, text, expected } of refused) it(`are refused at the alias: ${name}`, () => expect(refusal(text)).to.equal(expected));

  it('a bomb of doubling levels is refused at the alias that passes the limit, not at 1:1', () => {
    // Level i expands to 2^(i+2) - 1 values, levels 0 to 16 to about 2^19 together: the second
    // alias of level 17 (line 18) takes the document past 1,000,000.
    expect(refusal(billionLaughs())).to.match(/^18:18: invalid YAML: at the alias \*a16 the document's aliases expand it past 1000000 values/);
  });

  it('the limit is on the values expanded: up to it a document is read, one alias past it refused', () => {
    // A list of 1,000 values; the document writes 1,002 (with itself and the list of aliases).
    const list = `l: &l [${Array(999).fill('1').join(', ')}]\n`;
    const aliases = (n: number) => `m: [${Array(n).fill('*l').join(', ')}]\n`;
    expect(expansionLimit(1002)).to.equal(MIN_EXPANDED_VALUES);
    // 1,002 written and 998 × 1,000 aliased: 999,002 values.
    expect((parseYaml(list + aliases(998), 'f.yaml').value as { m: unknown[] }).m).to.have.length(998);
    // The 999th alias makes it 1,000,002.
    expect(refusal(list + aliases(999))).to.match(new RegExp(`^2:${5 + 4 * 998}: invalid YAML: at the alias \\*l the document's aliases expand it past 1000000 values`));
  });

  it('a larger document may expand to ten times what it writes', () => {
    expect(expansionLimit(200_000)).to.equal(2_000_000);
  });

  it('resolve as the parser does: the same value for any anchors and aliases before them', () => {
    const name = fc.constantFrom('a', 'b', 'c');
    const scalar = fc.oneof(fc.nat(9).map(String), fc.constantFrom('x', 'null', 'true', '"q"'));
    // A value, perhaps anchored, perhaps a list or mapping holding anchored values; never an alias, so no cycle.
    const anchoredValue: fc.Arbitrary<string> = fc.letrec<{ v: string }>((tie) => ({
      v: fc.tuple(fc.option(name, { nil: undefined }), fc.oneof({ depthSize: 'small', maxDepth: 2 }, scalar, fc.array(tie('v'), { maxLength: 3 }).map((xs) => `[${xs.join(', ')}]`), fc.array(tie('v'), { maxLength: 3 }).map((xs) => `{${xs.map((x, i) => `k${i}: ${x}`).join(', ')}}`))).map(([anchor, v]) => (anchor === undefined ? v : `&${anchor} ${v}`)),
    })).v;
    const item = fc.oneof(anchoredValue, name.map((n) => `*${n}`));
    fc.assert(
      fc.property(fc.array(item, { minLength: 1, maxLength: 8 }), (items) => {
        const text = items.map((x) => `- ${x}\n`).join('');
        let expected: unknown;
        try {
          expected = parseDocument(text).toJS({ maxAliasCount: -1 });
        } catch (e) {
          // An alias with no anchor before it.
          expect(String(e), text).to.match(/Unresolved alias/);
          expect(refusal(text), text).to.match(/^\d+:\d+: invalid YAML: the alias \*[abc] names no anchor before it/);
          return;
        }
        expect(parseYaml(text, 'f.yaml').value, text).to.deep.equal(expected);
      }),
      { numRuns: 400 },
    );
  });

  it('many anchors each used once cost a few reads per anchor, not one per pair of aliases and anchors', () => {
    const n = 5000;
    const text = `x:\n${Array.from({ length: n }, (_, i) => `  - &k${i} [1]\n  - *k${i}\n`).join('')}`;
    let value: unknown;
    const reads = anchorReads(() => {
      value = parseYaml(text, 'f.yaml').value;
    });
    expect((value as { x: unknown[] }).x).to.have.length(2 * n);
    // Searching the nodes before each alias for its anchor reads about n² = 25,000,000 anchors.
    expect(reads).to.be.below(20 * n);
  });
});
