import { expect } from 'chai';
import fc from 'fast-check';
import { Ajv, type ErrorObject } from 'ajv';
import { documentOrder, pickError, pickErrors } from '../../src/input/schema-errors.ts';
import configSchema from '../../schemas/config.schema.json' with { type: 'json' };

/** A schema with the shapes trailgate's own use: a closed object, required keys, a union, key names, a shared definition. */
const SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'severity'],
  properties: {
    id: { type: 'string' },
    severity: { enum: ['high', 'low'] },
    reads: { type: 'array', items: { type: 'string' } },
    count: { oneOf: [{ type: 'integer' }, { type: 'object', additionalProperties: false, properties: { min: { type: 'integer' } } }] },
    check: { type: 'object', propertyNames: { pattern: '^[A-Za-z.]+$' } },
    suppressions: { type: 'array', items: { $ref: '#/definitions/suppression' } },
  },
  definitions: {
    suppression: { type: 'object', additionalProperties: false, required: ['rule'], properties: { rule: { type: 'string' }, reason: { type: 'string' } } },
  },
};
const validate = new Ajv({ strict: false, allErrors: true, verbose: true }).compile(SCHEMA);

function errorsOf(value: unknown): ErrorObject[] {
  expect(validate(value), 'the value is invalid').to.equal(false);
  return validate.errors ?? [];
}

/** The problems of a value, as `pointer: message`. */
function told(value: unknown, limit = 10): string[] {
  return pickErrors(errorsOf(value), limit).problems.map((p) => `${p.pointer}: ${p.message}`);
}

describe('schema errors: every independent problem, each told once', () => {
  const cases: [string, unknown, string[]][] = [
    ['one problem is one', { id: 'x', severity: 'loud' }, ['/severity: must be one of "high", "low"']],
    [
      'problems in different places are each told',
      { id: 1, severity: 'loud', reads: ['a', 2] },
      ['/id: must be of type string', '/severity: must be one of "high", "low"', '/reads/1: must be of type string'],
    ],
    ['a misspelt key is told with the key it misses, once', { id: 'x', severty: 'low' }, ['/severty: unknown key "severty"; the required key "severity" is missing']],
    [
      'keys missing where none written is a typo of them are one problem; an extra key is its own',
      { bogus: 1, extra: 2 },
      ['/bogus: unknown key "bogus"', '/extra: unknown key "extra"', ': missing required keys "id" and "severity"'],
    ],
    ['a lone unknown key where a lone key is missing is taken for a rename', { id: 'x', level: 'low' }, ['/level: unknown key "level"; the required key "severity" is missing']],
    [
      'a lone unknown key that is a typo of an optional key is no rename of the lone missing key',
      { id: 'x', raeds: [] },
      ['/raeds: unknown key "raeds"; did you mean "reads"?', ': missing required key "severity"'],
    ],
    // The integer branch of the union would add "must be of type integer" at /count: it only says the value is not that form either.
    ['a union is told by the form the value comes closest to', { id: 'x', severity: 'low', count: { min: 'a' } }, ['/count/min: must be of type integer']],
    // Both branches fail at /count itself: the integer branch's "must be of type integer" says less than the object's own slip.
    ['a value in one form of a union is told by that form, not by the other form\'s type', { id: 'x', severity: 'low', count: { mni: 1 } }, ['/count/mni: unknown key "mni"; did you mean "min"?']],
    ['a key name that fails propertyNames is told once, at the key', { id: 'x', severity: 'low', check: { 'Trail Name': 1 } }, ['/check/Trail Name: the key "Trail Name" must match the pattern ^[A-Za-z.]+$']],
    [
      'an unknown key a typo away from a known one gets a suggestion from the schema, definitions included',
      { id: 'x', severity: 'low', Reads: [], suppressions: [{ rule: 'r', reasn: 'y' }] },
      ['/Reads: unknown key "Reads"; did you mean "reads"?', '/suppressions/0/reasn: unknown key "reasn"; did you mean "reason"?'],
    ],
  ];
  for (const [name, value, expected] of cases) {
    it(name, () => expect(told(value)).to.have.members(expected).and.have.length(expected.length));
  }

  it('lists at most the limit, and counts the rest', () => {
    const value = { id: 'x', severity: 'low', reads: [1, 2, 3, 4, 5] };
    const { problems, more } = pickErrors(errorsOf(value), 2);
    expect(problems.map((p) => p.pointer)).to.deep.equal(['/reads/0', '/reads/1']);
    expect(more).to.equal(3);
  });

  it('with the document\'s order, lists the first problems as written, not the deepest', () => {
    const value = { extra: 1, id: 'x', severity: 'low', reads: [1, 2, 3] };
    const { problems, more } = pickErrors(errorsOf(value), 2, documentOrder(value));
    expect(problems.map((p) => p.pointer)).to.deep.equal(['/extra', '/reads/0']);
    expect(more).to.equal(2);
  });

  // Under a $ref Ajv's schemaPath restarts at `#`: read from it, the suggestion would be a root key.
  it('suggests from the object the key is written in, through a reference', () => {
    const nested = { type: 'object', properties: { status: { type: 'string' }, items: { type: 'array', items: { $ref: '#/definitions/item' } } }, definitions: { item: { type: 'object', additionalProperties: false, properties: { statu: { type: 'string' }, item: { $ref: '#/definitions/item' } } } } };
    const check = new Ajv({ strict: false, allErrors: true, verbose: true }).compile(nested);
    expect(check({ items: [{ stauts: 'x' }] })).to.equal(false);
    expect(pickErrors(check.errors ?? [], 10).problems.map((p) => p.message)).to.deep.equal(['unknown key "stauts"; did you mean "statu"?']);
  });

  it('clips a key a message quotes, however it fails: unknown, or against propertyNames', () => {
    const long = `${'A'.repeat(300)} x`;
    for (const message of told({ id: 'x', severity: 'low', check: { [long]: 1 }, [long]: 1 })) {
      expect(message.slice(message.indexOf(': ') + 2)).to.match(/^(unknown key|the key) "A{77}\.\.\."/);
    }
  });

  // A trail pasted without its `Trail:` wrapper: the fields of the missing key were written beside it.
  describe('fields written beside the key they belong inside', () => {
    const ENTRY = {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['owner'],
        properties: {
          owner: { type: 'object', properties: { name: {}, team: {}, mail: {}, desk: {}, refused: false } },
          note: { type: 'string' },
        },
      },
    };
    const check = new Ajv({ strict: false, allErrors: true, verbose: true }).compile(ENTRY);
    const tell = (value: unknown) => {
      expect(check(value)).to.equal(false);
      return pickErrors(check.errors ?? [], 10).problems.map((p) => `${p.pointer}: ${p.message}${p.atKey ? ' (at the key)' : ''}`);
    };
    it('are one problem at the object, the other unknown keys their own', () => {
      expect(tell([{ name: 'a', team: 'b', note: 'n', extra: 1 }])).to.have.members([
        '/0: missing required key "owner": the keys "name" and "team" written here belong inside it',
        '/0/extra: unknown key "extra" (at the key)',
      ]);
    });
    it('name one key in the singular, and three of many with a count', () => {
      expect(tell([{ name: 'a' }])).to.deep.equal(['/0: missing required key "owner": the key "name" written here belongs inside it']);
      expect(tell([{ name: 'a', team: 'b', mail: 'c', desk: 'd', refused: 1 }])).to.deep.equal([
        '/0: missing required key "owner": the keys "name", "team", "mail" and 2 more written here belong inside it',
      ]);
    });
    it('leave a typo of the missing key to the typo\'s own message', () => {
      expect(tell([{ onwer: {}, team: 'a' }])).to.have.members([
        '/0/onwer: unknown key "onwer"; the required key "owner" is missing (at the key)',
        '/0/team: unknown key "team"; it is a field of "owner": write it inside owner (at the key)',
      ]);
    });
    it('beside the key they belong inside, written too, are each named with it', () => {
      expect(tell([{ owner: { name: 'a' }, team: 'b', mail: 'c' }])).to.deep.equal([
        '/0/team: unknown key "team"; it is a field of "owner": write it inside owner (at the key)',
        '/0/mail: unknown key "mail"; it is a field of "owner": write it inside owner (at the key)',
      ]);
      // A key the inner object refuses is no field of it.
      expect(tell([{ owner: {}, refused: 1 }])).to.deep.equal(['/0/refused: unknown key "refused" (at the key)']);
    });
    it('beside the key that holds it already, are told so, not to be written inside it again', () => {
      // `Name` beside a Trail that has a Name: writing it inside would repeat the key.
      expect(tell([{ owner: { team: 'a' }, team: 'b' }])).to.deep.equal(['/0/team: unknown key "team"; it is a field of "owner", which has it already (at the key)']);
    });
    it('tell a key the schema refuses (false) at the key', () => {
      expect(tell([{ owner: { refused: 1 } }])).to.deep.equal(['/0/owner/refused: the key "refused" is not allowed here (at the key)']);
    });
  });

  // Two keys whose values both have the field: which it belongs in is not known, so none is named.
  describe('a field of two keys written beside them', () => {
    const TWO = {
      type: 'object',
      additionalProperties: false,
      required: ['owner', 'backup'],
      properties: { owner: { type: 'object', properties: { team: {} } }, backup: { type: 'object', properties: { team: {} } }, status: {}, refused: false },
    };
    const check = new Ajv({ strict: false, allErrors: true, verbose: true }).compile(TWO);
    const tell = (value: object) => {
      expect(check(value)).to.equal(false);
      return pickErrors(check.errors ?? [], 10).problems.map((p) => `${p.pointer}: ${p.message}`);
    };
    it('is told to go inside neither', () => {
      expect(tell({ owner: {}, backup: {}, team: 'a' })).to.deep.equal(['/team: unknown key "team"']);
    });
    it('when both are missing, belongs to the first, and the other is missing on its own', () => {
      expect(tell({ team: 'a' })).to.deep.equal([': missing required key "owner": the key "team" written here belongs inside it', ': missing required key "backup"']);
    });
    it('suggests no key the schema refuses there', () => {
      expect(tell({ owner: {}, backup: {}, refusd: 1 })).to.deep.equal(['/refusd: unknown key "refusd"']);
    });
  });

  it('names every key an unknown key is equally near, leaving out one written already', () => {
    const check = new Ajv({ strict: false, allErrors: true, verbose: true }).compile({ type: 'object', additionalProperties: false, properties: { scope: {}, some: {}, sole: {} } });
    const tell = (value: object) => {
      expect(check(value)).to.equal(false);
      return pickErrors(check.errors ?? [], 10).problems.map((p) => p.message);
    };
    expect(tell({ sope: 1 })).to.deep.equal(['unknown key "sope"; did you mean "scope", "some" or "sole"?']);
    expect(tell({ scope: 1, sope: 1 })).to.deep.equal(['unknown key "sope"; did you mean "some" or "sole"?']);
  });

  // Renaming a leftover copy to the key beside it would only repeat that key.
  it('suggests no key already written in the object, and says it is there', () => {
    expect(told({ id: 'x', severity: 'low', severty: 'low' })).to.deep.equal(['/severty: unknown key "severty"; "severity" is written here too']);
    expect(told({ id: 'x', severity: 'low', reads: [], Reads: [] })).to.deep.equal(['/Reads: unknown key "Reads"; "reads" is written here too']);
  });

  it('suggests nothing for an unknown key far from every known one', () => {
    expect(told({ id: 'x', severity: 'low', zzzzzz: 1 })).to.deep.equal(['/zzzzzz: unknown key "zzzzzz"']);
  });

  // Two edits from "id" are every letter of "x0": no typo of it, and "did you mean "id"?" misleads.
  it('suggests nothing for a short key that two edits would rewrite whole', () => {
    expect(told({ id: 'x', severity: 'low', x0: 1 })).to.deep.equal(['/x0: unknown key "x0"']);
    expect(told({ id: 'x', severity: 'low', idd: 1 })).to.deep.equal(['/idd: unknown key "idd"; "id" is written here too']);
  });

  // The config file's schema, on random values: the first problem is the one a single message would
  // name, no two problems share a place, and an invalid value always has one.
  it('on random config values: the first is pickError\'s, places are distinct, never none', () => {
    const config = new Ajv({ strict: false, allErrors: true, verbose: true }).compile(configSchema);
    const key = fc.constantFrom('failOn', 'fail-on', 'only', 'suppressions', 'regions', 'quiet', 'snapshots', 'concurrency', 'x');
    const leaf = fc.oneof(fc.constantFrom('high', 'loud', 'r', '123456789012', ''), fc.integer({ min: -2, max: 3 }), fc.boolean(), fc.constant(null));
    const suppression = fc.dictionary(fc.constantFrom('rule', 'resource', 'reason', 'expires', 'account'), leaf);
    const value = fc.dictionary(key, fc.oneof(leaf, fc.array(fc.oneof(leaf, suppression), { maxLength: 3 })));
    fc.assert(
      fc.property(value, (v) => {
        if (config(v)) return;
        const errors = config.errors ?? [];
        const { problems, more } = pickErrors(errors, 100);
        expect(problems.length).to.be.greaterThan(0);
        expect(more).to.equal(0);
        const first = pickError(errors);
        expect(problems[0].pointer).to.equal(first.pointer);
        expect(new Set(problems.map((p) => p.pointer)).size).to.equal(problems.length);
      }),
    );
  });
});
