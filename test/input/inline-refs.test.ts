import { expect } from 'chai';
import { Ajv } from 'ajv';
import { inlineRefs } from '../../src/input/inline-refs.ts';
import inventorySchema from '../../schemas/inventory.schema.json' with { type: 'json' };

describe('inlineRefs', () => {
  it('the inventory schema inlined has no $ref and finds the same errors, at the same places', () => {
    const inlined = inlineRefs(inventorySchema);
    expect(JSON.stringify(inlined)).not.to.include('"$ref"');
    const bad = {
      version: 1,
      colectedAt: 'x',
      accounts: [{}, { accountId: '12', regions: ['us-east-1', 'nowhere', 'us-east-1'], trails: [{ Trail: { TrailARN: 'x', IsMultiRegionTrail: 'yes' }, Stauts: {} }] }],
      buckets: { b: { Exists: 'no', Policy: 3 } },
    };
    const errorsOf = (schema: object) => {
      const v = new Ajv({ strict: false, allErrors: true }).compile(schema);
      expect(v(bad)).to.equal(false);
      return (v.errors ?? []).map((e) => `${e.instancePath} ${e.keyword} ${e.message ?? ''}`).sort();
    };
    expect(errorsOf(inlined)).to.deep.equal(errorsOf(inventorySchema));
  });

  it('refuses a definition that refers to itself, and a reference it cannot resolve', () => {
    expect(() => inlineRefs({ definitions: { a: { items: { $ref: '#/definitions/a' } } }, $ref: '#/definitions/a' })).to.throw(/refers to itself/);
    expect(() => inlineRefs({ $ref: '#/definitions/none' })).to.throw(/cannot inline/);
  });
});
