import { expect } from 'chai';
import fc from 'fast-check';
import { isNode, LineCounter, parseDocument } from 'yaml';
import { jsonSourceMap } from '../../src/inventory/locate-json.ts';
import { generateInventory, inventoryText } from '../../bench/generate.ts';

type At = [line: number, column: number] | undefined;

function at(text: string, pointer: string): At {
  const p = jsonSourceMap(text, 'inv.json', true).locate(pointer);
  return p && [p.line, p.column];
}

/**
 * The independent answer: the `yaml` library reads the text once; a pointer's answer is its
 * node's start offset turned into a position by yaml's own LineCounter.
 */
function oracle(text: string): (pointer: string) => At {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: false });
  expect(doc.errors, 'the oracle must read the text').to.deep.equal([]);
  return (pointer) => {
    const path = pointer.split('/').slice(1).map((t) => (/^\d+$/.test(t) ? Number(t) : t));
    const node = path.length === 0 ? doc.contents : doc.getIn(path, true);
    if (!isNode(node) || !node.range) return undefined;
    const { line, col } = lineCounter.linePos(node.range[0]);
    return [line, col];
  };
}

describe('jsonSourceMap', () => {
  const pretty = JSON.stringify(
    {
      version: 1,
      accounts: [
        { accountId: '111122223333', regions: ['us-east-1', 'eu-west-1'], trails: [{ Trail: { TrailARN: 'a' } }, { Trail: { TrailARN: 'b' } }] },
        { accountId: '444455556666', regions: [], trails: [] },
      ],
    },
    null,
    2,
  );

  /** `oracle: false` where yaml cannot judge: a lone CR (yaml errs) or repeated keys (yaml keeps the first). */
  const cases: { name: string; text: string; expected: Record<string, At>; oracle?: false }[] = [
    {
      name: 'a 2-space snapshot',
      text: pretty,
      expected: {
        '': [1, 1],
        '/accounts': [3, 15],
        '/accounts/0': [4, 5],
        '/accounts/0/regions/0': [7, 9],
        '/accounts/0/regions/1': [8, 9],
        '/accounts/0/trails/0': [11, 9],
        '/accounts/0/trails/1': [16, 9],
        '/accounts/1': [23, 5],
        '/accounts/1/regions/0': undefined,
        '/accounts/2': undefined,
      },
    },
    {
      name: 'CRLF line ends and a BOM (not counted as a column)',
      text: `\ufeff${pretty.replace(/\n/g, '\r\n')}`,
      expected: { '': [1, 1], '/accounts/0': [4, 5], '/accounts/0/trails/1': [16, 9], '/accounts/1': [23, 5] },
    },
    {
      name: 'one line, accounts after other keys, keys that merely contain "accounts"',
      text: '{"myaccounts":[{}],"accounts\\"":[{}],"accountsX":{"accounts":[{}]},"accounts":[{"regions":["r"],"trails":[{}]}]}',
      expected: { '/accounts': [1, 79], '/accounts/0': [1, 80], '/accounts/0/regions/0': [1, 92], '/accounts/0/trails/0': [1, 107], '/accounts/1': undefined },
    },
    {
      name: 'escaped quotes and backslashes before the accounts',
      text: '{"a": "x\\"y\\\\", "b": "\\\\", "c": "\\\\\\"]", "accounts": [ {} ]}',
      expected: { '/accounts': [1, 54], '/accounts/0': [1, 56] },
    },
    {
      name: 'nested "accounts", "trails" and "regions" deeper down are not entries',
      text: [
        '{"accounts": [{"trails": [',
        '  {"Trail": {"trails": [{}, {}]}, "regions": ["x"], "accounts": [{}]},',
        '  {"x": {"regions": [1, 2, 3]}}',
        '], "regions": ["eu-west-1"], "extra": {"trails": [{}], "regions": ["y"]}}],',
        ' "buckets": {"b": {"accounts": [{"trails": [{}]}]}}}',
      ].join('\n'),
      expected: {
        '/accounts/0/trails/0': [2, 3],
        '/accounts/0/trails/1': [3, 3],
        '/accounts/0/trails/2': undefined,
        '/accounts/0/regions/0': [4, 16],
        '/accounts/0/regions/1': undefined,
        '/accounts/1': undefined,
      },
    },
    {
      name: 'an escaped key name is the same key to JSON.parse',
      text: '{"\\u0061ccounts": [{"tr\\u0061ils": [{}]}]}',
      expected: { '/accounts/0': [1, 20], '/accounts/0/trails/0': [1, 37] },
    },
    {
      name: 'a repeated key: the last one wins, as in JSON.parse',
      text: '{"accounts": [{}, {}, {}],\n "accounts": [{"trails": [{}], "trails": [{}, {}]}]}',
      expected: { '/accounts/0': [2, 15], '/accounts/1': undefined, '/accounts/0/trails/0': [2, 43], '/accounts/0/trails/1': [2, 47] },
      oracle: false,
    },
    {
      name: 'a repeated key spelled with an escape still wins',
      text: '{"accounts": [{}], "buckets": {}, "\\u0061ccounts": [{}, {}]}',
      expected: { '/accounts/0': [1, 53], '/accounts/1': [1, 57], '/accounts/2': undefined },
      oracle: false,
    },
    {
      name: 'whitespace everywhere, tabs, a lone CR',
      text: '\t{ "accounts"\n :\t[\r\t{ }\r\n ,\r\n\r\n\t\t{"regions" :\n["a" ,\t"b"] } ] }',
      expected: { '': [1, 2], '/accounts': [2, 4], '/accounts/0': [3, 2], '/accounts/1': [6, 3], '/accounts/1/regions/1': [7, 8] },

      oracle: false,
    },
    {
      name: 'columns count UTF-16 code units, as SARIF does by default',
      text: '{"x": "é😀\\u00e9", "accounts": [{}]}',
      expected: { '/accounts/0': [1, 33] },
    },
    {
      name: 'entries that are not objects are still entries',
      text: '{"accounts": [null, 7, "s", [], {"trails": null, "regions": "x"}]}',
      expected: { '/accounts/1': [1, 21], '/accounts/3': [1, 29], '/accounts/4': [1, 33], '/accounts/4/trails/0': undefined, '/accounts/4/regions/0': undefined },
    },
    {
      name: 'pointers it does not answer',
      text: pretty,
      expected: {
        '/accounts/01': undefined,
        '/accounts/-1': undefined,
        '/accounts/x': undefined,
        '/accounts/0/trails': undefined,
        '/accounts/0/trails/0/Trail': undefined,
        '/accounts/0/Trail/0': undefined,
        '/accounts/0/trails/1e0': undefined,
        'accounts/0': undefined,
        '/version': undefined,
        '/': undefined,
      },
    },
    {
      name: 'errors after buckets, and a second errors key that JSON.parse keeps',
      text: '{"accounts": [],\n "buckets": {"b": {"errors": [1]}},\n "errors": [{"x": 1}],\n "errors": [\n  {"accountId": "1"},\n  {"accountId": "2"}]}',
      expected: { '/errors/0': [5, 3], '/errors/1': [6, 3], '/errors/2': undefined, '/errors/01': undefined },
    },
    { name: 'a document that is not an object', text: '[{"accounts": [{}]}]', expected: { '': undefined, '/accounts/0': undefined } },
    { name: 'an empty text', text: '', expected: { '': undefined, '/accounts': undefined } },
  ];

  for (const { name, text, expected } of cases) {
    it(name, () => {
      const got = Object.fromEntries(Object.keys(expected).map((p) => [p, at(text, p)]));
      expect(got).to.deep.equal(expected);
    });
  }

  it('agrees with the yaml oracle on the table cases', () => {
    for (const { text, expected, oracle: judge } of cases) {
      const body = text.replace(/^\ufeff/, '');
      if (judge === false || !body.trim().startsWith('{')) continue;
      const answer = oracle(body);
      // Only pointers the map answers: yaml would answer deeper or malformed ones too.
      for (const pointer of Object.keys(expected).filter((p) => /^(?:\/accounts(?:\/(?:0|[1-9]\d*)(?:\/(?:trails|regions)\/(?:0|[1-9]\d*))?)?)?$/.test(p))) {
        expect(at(text, pointer), `${pointer} in ${JSON.stringify(text).slice(0, 40)}`).to.deep.equal(answer(pointer));
      }
    }
  });

  it('stops without throwing on text that is not valid JSON', () => {
    for (const text of ['{"accounts": [{"trails": [{"a": "x', '{"accounts": [{"trails": [{"a": [', '{"accounts"', '{', '{"accounts": [1, 2', '"\\']) {
      expect(() => jsonSourceMap(text, 'bad.json').locate('/accounts/0/trails/0')).not.to.throw();
    }
  });

  it('reports the file it was given', () => {
    expect(jsonSourceMap(pretty, 'snapshots/org.json').locate('/accounts/1')).to.deep.equal({ file: 'snapshots/org.json', line: 23, column: 5 });
  });

  it('agrees with the yaml oracle on a generated organization inventory', () => {
    const text = inventoryText(generateInventory({ accounts: 12, seed: 7 }));
    const inv = JSON.parse(text) as { accounts: { trails: unknown[]; regions: unknown[] }[] };
    const map = jsonSourceMap(text, 'org.json', true);
    const expected = oracle(text);
    for (const pointer of pointersOf(inv)) {
      const p = map.locate(pointer);
      expect(p && [p.line, p.column], pointer).to.deep.equal(expected(pointer));
    }
  });

  it('agrees with the yaml oracle on random inventories in random layouts', () => {
    fc.assert(
      fc.property(inventoryArb, layoutArb, (inventory, layout) => {
        const text = layout.render(inventory);
        expect(JSON.parse(text.replace(/^\ufeff/, ''))).to.deep.equal(JSON.parse(JSON.stringify(inventory)));
        const map = jsonSourceMap(text, 'inv.json', true);
        const expected = oracle(text.replace(/^\ufeff/, ''));
        for (const pointer of pointersOf(inventory)) {
          const p = map.locate(pointer);
          expect(p && [p.line, p.column], pointer).to.deep.equal(expected(pointer));
        }
      }),
      { numRuns: 150 },
    );
  });
});

/** Every pointer the map answers for an inventory, plus one past the end of each list. */
function pointersOf(inv: { accounts: { trails?: unknown; regions?: unknown }[]; errors?: unknown[] }): string[] {
  const pointers = ['', '/accounts', `/accounts/${inv.accounts.length}`];
  if (Array.isArray(inv.errors)) for (let m = 0; m <= inv.errors.length; m++) pointers.push(`/errors/${m}`);
  inv.accounts.forEach((a, n) => {
    pointers.push(`/accounts/${n}`);
    for (const list of ['trails', 'regions'] as const) {
      const items = a[list];
      if (!Array.isArray(items)) continue;
      for (let m = 0; m <= items.length; m++) pointers.push(`/accounts/${n}/${list}/${m}`);
    }
  });
  return pointers;
}

// Strings that stress the scanner: quotes, runs of backslashes, brackets, the names it looks for, any code point.
const tricky = fc.constantFrom('"', '\\', '\\\\', '\\"', '{', '}', '[', ']', ',', ':', 'accounts', 'trails', 'regions', 'é', '😀', '\u2028', '\ufeff', '\u0000', '\n', ' ');
const text = fc.oneof(fc.string({ unit: tricky, maxLength: 6 }), fc.string({ unit: 'binary', maxLength: 8 }), fc.string({ maxLength: 8 }));
const keyName = fc.oneof(text, fc.constantFrom('accounts', 'trails', 'regions', 'myaccounts', 'accounts2', 'Accounts', 'trails ', 'regions"')).filter((k) => k !== '__proto__');

const json: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    text,
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(keyName, tie('value'), { maxKeys: 3 }),
  ),
})).value;

/** An object with the required keys plus extra ones, the required ones at a random place among them. */
function withExtras<T extends Record<string, unknown>>(required: fc.Arbitrary<T>, reserved: string[]): fc.Arbitrary<Record<string, unknown>> {
  const extras = fc.dictionary(keyName.filter((k) => !reserved.includes(k)), json, { maxKeys: 3 });
  return fc.tuple(required, extras, fc.nat()).map(([req, extra, at]) => {
    const entries = Object.entries(extra);
    const cut = at % (entries.length + 1);
    return Object.fromEntries([...entries.slice(0, cut), ...Object.entries(req), ...entries.slice(cut)]);
  });
}

const trailEntry = withExtras(fc.record({ Trail: fc.record({ TrailARN: text, Name: text }), Status: fc.dictionary(keyName, json, { maxKeys: 2 }) }, { requiredKeys: ['Trail'] }), ['Trail', 'Status']);
const account = withExtras(
  fc.record({ accountId: text, regions: fc.array(text, { maxLength: 4 }), trails: fc.array(fc.oneof(trailEntry, json), { maxLength: 3 }) }, { requiredKeys: ['accountId'] }),
  ['accountId', 'regions', 'trails'],
);
const inventoryArb = withExtras(fc.record({ version: fc.constant(1), accounts: fc.array(account, { maxLength: 4 }) }), ['version', 'accounts']) as fc.Arbitrary<{
  accounts: { trails?: unknown; regions?: unknown }[];
}>;

const spaces = fc.constantFrom('', '', ' ', '\n', '\r\n', '\t', '\n    ', '\n   ', '\r\n ', ' \r\n\t ', '\n\n');

/** JSON.stringify compact or indented, or a serializer that puts random whitespace between all tokens. */
const layoutArb = fc.record({
  style: fc.constantFrom('compact', 'indent2', 'indentTab', 'crlf', 'custom'),
  bom: fc.boolean(),
  gaps: fc.array(spaces, { minLength: 1, maxLength: 40 }),
  escapeKeys: fc.boolean(),
}).map((l) => ({
  ...l,
  render(value: unknown): string {
    let body: string;
    if (l.style === 'compact') body = JSON.stringify(value);
    else if (l.style === 'indent2') body = JSON.stringify(value, null, 2);
    else if (l.style === 'indentTab') body = JSON.stringify(value, null, '\t');
    else if (l.style === 'crlf') body = JSON.stringify(value, null, 2).replace(/\n/g, '\r\n');
    else {
      let k = 0;
      body = serialize(value, () => l.gaps[k++ % l.gaps.length], l.escapeKeys);
    }
    return (l.bom ? '\ufeff' : '') + body;
  },
}));

/** Writes `value` as JSON with `gap()` between every pair of tokens; keys optionally all \u-escaped. */
function serialize(value: unknown, gap: () => string, escapeKeys: boolean): string {
  const key = (k: string) => (escapeKeys ? `"${[...k].map((ch) => (/^[a-z]$/i.test(ch) ? `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}` : JSON.stringify(ch).slice(1, -1))).join('')}"` : JSON.stringify(k));
  const write = (v: unknown): string => {
    if (Array.isArray(v)) return `[${gap()}${v.map((x) => `${write(x)}${gap()}`).join(`,${gap()}`)}]`;
    if (v !== null && typeof v === 'object') {
      const members = Object.entries(v).map(([k, x]) => `${key(k)}${gap()}:${gap()}${write(x)}${gap()}`);
      return `{${gap()}${members.join(`,${gap()}`)}}`;
    }
    return JSON.stringify(v);
  };
  return `${gap()}${write(value)}${gap()}`;
}
