/** A null in a trail or its status means "not set", as AWS's own omission does; elsewhere the schema still decides. */
import { expect } from 'chai';
import { parseInventory } from '../../src/inventory/parse.ts';
import { InputError } from '../../src/errors.ts';

const ARN = 'arn:aws:cloudtrail:us-east-1:111122223333:trail/t';

function inventory(trail: string, status: string, extra = ''): string {
  return `version: 1
accounts:
  - accountId: "111122223333"
    regions: [us-east-1]
    trails:
      - Trail: { TrailARN: "${ARN}", Name: t, HomeRegion: us-east-1${trail} }
        Status: { IsLogging: true${status} }
${extra}`;
}

describe('inventory nulls', () => {
  it('reads a null trail or status field as a field that is not set', () => {
    const { inventory: inv } = parseInventory(inventory(', KmsKeyId: null, SnsTopicARN: ~', ', LatestDeliveryError: null'), 'i.yaml');
    const entry = inv.accounts[0].trails[0];
    expect(entry.Trail).to.deep.equal({ TrailARN: ARN, Name: 't', HomeRegion: 'us-east-1' });
    expect(entry.Status).to.deep.equal({ IsLogging: true });
  });

  it('gives the same inventory as leaving the fields out', () => {
    const withNulls = parseInventory(inventory(', KmsKeyId: null', ', LatestDeliveryError: null'), 'a.yaml').inventory;
    const without = parseInventory(inventory('', ''), 'b.yaml').inventory;
    expect(withNulls).to.deep.equal(without);
  });

  it('still rejects a null where one is not "not set": a required TrailARN, a selector list', () => {
    expect(() => parseInventory(inventory('', '').replace(`"${ARN}"`, 'null'), 'c.yaml')).to.throw(InputError, /TrailARN/);
    const selectors = inventory('', '').replace('        Status:', '        EventSelectors: null\n        Status:');
    expect(() => parseInventory(selectors, 'd.yaml')).to.throw(InputError);
  });

  it('keeps a bucket null, which means "read, and there is none"', () => {
    const { inventory: inv } = parseInventory(inventory('', '', 'buckets:\n  b: { Region: us-east-1, Policy: null }\n'), 'e.yaml');
    expect(inv.buckets?.b).to.deep.equal({ Region: 'us-east-1', Policy: null });
  });
});
