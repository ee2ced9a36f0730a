/** A trail's KmsKeyId may be a key ARN, a key id, an alias name or an alias ARN: all find the key. */
import { expect } from 'chai';
import { keyIndex } from '../../src/engine/key-index.ts';
import type { Key } from '../../src/inventory/types.ts';

const ARN = 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const key: Key = { KeyMetadata: { Arn: ARN, KeyId: '1234abcd-12ab-34cd-56ef-1234567890ab' }, Aliases: ['alias/cloudtrail'] };
const other: Key = { KeyMetadata: { Arn: 'arn:aws:kms:us-east-1:111122223333:key/other' } };
/** Where the trail that names the key lives: its owner and home region. */
const home = { account: '111122223333', region: 'us-east-1' };

describe('key index', () => {
  const find = keyIndex({ [ARN]: key, 'arn:aws:kms:us-east-1:111122223333:key/other': other });
  const cases: [string, Key | undefined][] = [
    [ARN, key],
    ['1234abcd-12ab-34cd-56ef-1234567890ab', key],
    ['alias/cloudtrail', key],
    ['arn:aws:kms:us-east-1:111122223333:alias/cloudtrail', key],
    ['other', other],
    ['alias/missing', undefined],
    ['arn:aws:kms:us-east-1:111122223333:alias/missing', undefined],
  ];
  for (const [id, expected] of cases) {
    it(`finds ${id}`, () => expect(find(id, home)).to.equal(expected));
  }

  it('looks an alias name or key id up in the given account and region only', () => {
    // The same alias in another account sorts first: it must not shadow the key meant.
    const elsewhere: Key = { KeyMetadata: { Arn: 'arn:aws:kms:us-east-1:000000000001:key/abc', KeyId: 'abc' }, Aliases: ['alias/cloudtrail'] };
    const scoped = keyIndex({ [ARN]: key, 'arn:aws:kms:us-east-1:000000000001:key/abc': elsewhere });
    expect(scoped('alias/cloudtrail', home)).to.equal(key);
    expect(scoped('arn:aws:kms:us-east-1:111122223333:alias/cloudtrail', home)).to.equal(key);
    expect(scoped('arn:aws:kms:us-east-1:000000000001:alias/cloudtrail', home)).to.equal(elsewhere);
    expect(scoped('arn:aws:kms:eu-west-1:111122223333:alias/cloudtrail', home)).to.equal(undefined);
    expect(scoped('abc', home)).to.equal(undefined);
    expect(scoped('alias/cloudtrail', { account: '111122223333', region: 'eu-west-1' })).to.equal(undefined);
  });

  // inventory.md keys a key by its ARN; a hand-written file may key it by its id or alias instead.
  it('finds a key keyed by its id or an alias by its KeyMetadata.Arn, in that ARN\'s account and region only', () => {
    const byId = keyIndex({ '1234abcd-12ab-34cd-56ef-1234567890ab': key });
    expect(byId(ARN, home)).to.equal(key);
    expect(byId('alias/cloudtrail', home)).to.equal(key);
    expect(byId('alias/cloudtrail', { account: '111122223333', region: 'eu-west-1' })).to.equal(undefined);
    const byAlias = keyIndex({ 'alias/cloudtrail': key });
    expect(byAlias(ARN, home)).to.equal(key);
    expect(byAlias('1234abcd-12ab-34cd-56ef-1234567890ab', home)).to.equal(key);
    // An alias recorded as an alias ARN is found where it says, by its name or its ARN.
    const aliasArn = 'arn:aws:kms:us-east-1:111122223333:alias/by-arn';
    const withAliasArn: Key = { KeyMetadata: { Arn: ARN }, Aliases: [aliasArn] };
    expect(keyIndex({ [ARN]: withAliasArn })('alias/by-arn', home)).to.equal(withAliasArn);
    expect(keyIndex({ [ARN]: withAliasArn })(aliasArn, home)).to.equal(withAliasArn);
    // Keyed by an alias ARN, with no ARN in its metadata but its KeyId: the alias ARN places it, and the id names it there.
    const aliasKeyed: Key = { KeyMetadata: { KeyId: '1234abcd-12ab-34cd-56ef-1234567890ab' } };
    const byAliasArn = keyIndex({ 'arn:aws:kms:us-east-1:111122223333:alias/cloudtrail': aliasKeyed });
    expect(byAliasArn('1234abcd-12ab-34cd-56ef-1234567890ab', home)).to.equal(aliasKeyed);
    expect(byAliasArn('1234abcd-12ab-34cd-56ef-1234567890ab', { account: '111122223333', region: 'eu-west-1' })).to.equal(undefined);
    // Without an ARN in its metadata, a key keyed by id is found by that id alone.
    const bare: Key = { KeyRotationEnabled: true };
    expect(keyIndex({ 'k-1': bare })(ARN, home)).to.equal(undefined);
  });

  it('does not find a key keyed by its id or an alias for a trail of another account or region, which names another key', () => {
    const keyOnly: Key = { KeyMetadata: { Arn: ARN, KeyId: '1234abcd-12ab-34cd-56ef-1234567890ab' } };
    const elsewhere = { account: '444455556666', region: 'us-east-1' };
    const otherRegion = { account: '111122223333', region: 'eu-west-1' };
    const byAlias = keyIndex({ 'alias/cloudtrail': keyOnly });
    expect(byAlias('alias/cloudtrail', home)).to.equal(keyOnly);
    expect(byAlias('arn:aws:kms:us-east-1:111122223333:alias/cloudtrail', home)).to.equal(keyOnly);
    expect(byAlias('alias/cloudtrail', elsewhere)).to.equal(undefined);
    expect(byAlias('alias/cloudtrail', otherRegion)).to.equal(undefined);
    expect(byAlias('arn:aws:kms:us-east-1:444455556666:alias/cloudtrail', elsewhere)).to.equal(undefined);
    const byId = keyIndex({ '1234abcd-12ab-34cd-56ef-1234567890ab': keyOnly });
    expect(byId('1234abcd-12ab-34cd-56ef-1234567890ab', home)).to.equal(keyOnly);
    expect(byId('1234abcd-12ab-34cd-56ef-1234567890ab', elsewhere)).to.equal(undefined);
    expect(byId('1234abcd-12ab-34cd-56ef-1234567890ab', otherRegion)).to.equal(undefined);
  });

  it('finds a key keyed by its ARN in that ARN\'s account and region, whatever region its metadata gives', () => {
    // The inventory's key is the key's ARN (inventory.md); a metadata Arn written by hand does not move it.
    const moved: Key = { KeyMetadata: { Arn: 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab' }, Aliases: ['alias/cloudtrail'] };
    const find = keyIndex({ [ARN]: moved });
    expect(find('alias/cloudtrail', home)).to.equal(moved);
    expect(find('1234abcd-12ab-34cd-56ef-1234567890ab', home)).to.equal(moved);
  });

  it('finds one entry for one key however the trail names it, when two entries give the same KeyMetadata.Arn', () => {
    const byId: Key = { KeyMetadata: { Arn: ARN, KeyId: '1234abcd-12ab-34cd-56ef-1234567890ab' }, KeyRotationEnabled: true };
    const byAlias: Key = { KeyMetadata: { Arn: ARN, KeyId: '1234abcd-12ab-34cd-56ef-1234567890ab' }, KeyRotationEnabled: false };
    const find = keyIndex({ 'alias/cloudtrail': byAlias, '1234abcd-12ab-34cd-56ef-1234567890ab': byId });
    expect(find(ARN, home)).to.equal(find('1234abcd-12ab-34cd-56ef-1234567890ab', home));
  });

  it('finds nothing in an inventory without keys', () => {
    expect(keyIndex(undefined)(ARN, home)).to.equal(undefined);
  });
});
