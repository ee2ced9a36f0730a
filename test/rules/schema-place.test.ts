/** Where in a check's schema the mistake Ajv names is: table-driven, one case per way of finding it. */
import { expect } from 'chai';
import { placeInSchema } from '../../src/rules/schema-place.ts';

const cases: [string, unknown, string, string | undefined][] = [
  ['a keyword deep in properties', { type: 'object', properties: { Name: { type: 'string', cosnt: 'x' } } }, 'strict mode: unknown keyword: "cosnt"', '/properties/Name/cosnt'],
  ['a property named like the keyword is a name, not the keyword', { properties: { cosnt: { type: 'string' } }, cosnt: 1 }, 'strict mode: unknown keyword: "cosnt"', '/cosnt'],
  ['so is a key of dependencies', { dependencies: { cosnt: ['Name'] }, cosnt: 1 }, 'strict mode: unknown keyword: "cosnt"', '/cosnt'],
  ['const holds data, not keywords', { not: { const: { cosnt: 1 } }, properties: { Name: { cosnt: 'x' } } }, 'strict mode: unknown keyword: "cosnt"', '/properties/Name/cosnt'],
  ['a bad pattern in allOf', { allOf: [{ type: 'string' }, { pattern: '([' }] }, `Invalid regular expression: /([/u: Unterminated character class`, '/allOf/1/pattern'],
  ['an enum of objects holds no pattern', { enum: [{ pattern: '([' }], properties: { Name: { pattern: '([' } } }, `Invalid regular expression: /([/u: Unterminated character class`, '/properties/Name/pattern'],
  ['a valid pattern whose text starts the bad one is not it', { properties: { Name: { pattern: '^a' }, S3BucketName: { pattern: '^a/(' } } }, 'Invalid regular expression: /^a/(/u: Unterminated group', '/properties/S3BucketName/pattern'],
  ['a key of patternProperties', { patternProperties: { '^(a)\\1$': { type: 'string' } } }, 'pattern "^(a)\\1$" is refused: trailgate matches patterns with RE2', '/patternProperties/^(a)\\1$'],
  ['an unknown format', { default: { format: 'foo' }, properties: { Name: { format: 'foo' } } }, 'unknown format "foo" ignored in schema at path "#/properties/Name"', '/properties/Name/format'],
  ['Ajv\'s own check of the schema names the place', { properties: { Name: { type: 'strng' } } }, 'schema is invalid: data/properties/Name/type must be equal to one of the allowed values, data/properties/Name/type must be array', '/properties/Name/type'],
  ['an if without then or else, not one with a then', { type: 'string', allOf: [{ if: { const: 'b' }, then: true }, { if: { const: 'a' } }] }, 'strict mode: "if" without "then" and "else" is ignored', '/allOf/1/if'],
  ['a path with a space in a name', { properties: { Name: { type: 'string' }, 'Name x': { type: 'strng' } } }, 'schema is invalid: data/properties/Name x/type must be equal to one of the allowed values, data/properties/Name x/type must be array', '/properties/Name x/type'],
  ['definitions are not compiled unless referenced', { $defs: { a: { cosnt: 1 } }, cosnt: 'x' }, 'strict mode: unknown keyword: "cosnt"', '/cosnt'],
  ['a message it cannot place', { type: 'string' }, 'schema is invalid: data must be object', undefined],
];

describe('placeInSchema', () => {
  for (const [name, schema, message, pointer] of cases) {
    it(`${name}: ${pointer ?? 'nowhere'}`, () => {
      expect(placeInSchema(schema, message)).to.equal(pointer);
    });
  }
});
