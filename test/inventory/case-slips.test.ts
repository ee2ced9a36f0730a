/** Keys inside AWS shapes written with the wrong case are refused, at the key, with the field meant. */
import { expect } from 'chai';
import fc from 'fast-check';
import { caseSlips } from '../../src/inventory/case-slips.ts';
import { parseInventory } from '../../src/inventory/parse.ts';
import { inputErrorOf } from '../helpers/input-error.ts';

const ARN = 'arn:aws:cloudtrail:us-east-1:111122223333:trail/t';
const KEY = 'arn:aws:kms:us-east-1:111122223333:key/k';

/** An inventory with a field of every open AWS shape the schema lists. */
function inventory(): Record<string, unknown> {
  return {
    version: 1,
    accounts: [
      {
        accountId: '111122223333',
        regions: ['us-east-1'],
        trails: [
          {
            Trail: { Name: 't', TrailARN: ARN, HomeRegion: 'us-east-1', S3BucketName: 'b', IsMultiRegionTrail: true, KmsKeyId: KEY },
            Status: { IsLogging: true, LatestDeliveryError: 'x' },
            EventSelectors: [{ ReadWriteType: 'All', IncludeManagementEvents: true, DataResources: [{ Type: 'AWS::S3::Object', Values: ['arn:aws:s3'] }] }],
            AdvancedEventSelectors: [{ Name: 'n', FieldSelectors: [{ Field: 'eventCategory', Equals: ['Data'] }] }],
            InsightSelectors: [{ InsightType: 'ApiCallRateInsight' }],
          },
        ],
      },
    ],
    buckets: {
      b: {
        Region: 'us-east-1',
        PolicyStatus: { IsPublic: false },
        Acl: {
          Grants: [
            { Grantee: { Type: 'Group', URI: 'http://acs.amazonaws.com/groups/global/AllUsers' }, Permission: 'READ' },
            { Grantee: { Type: 'CanonicalUser', ID: 'c0ffee', DisplayName: 'owner' }, Permission: 'FULL_CONTROL' },
            { Grantee: { Type: 'AmazonCustomerByEmail', EmailAddress: 'a@example.com' }, Permission: 'READ' },
          ],
        },
        Versioning: { Status: 'Enabled', MFADelete: 'Disabled' },
        RequestPayer: 'BucketOwner',
      },
    },
    keys: { [KEY]: { KeyMetadata: { Arn: KEY, KeyState: 'Enabled', KeyUsage: 'ENCRYPT_DECRYPT', Enabled: true, CustomerMasterKeySpec: 'SYMMETRIC_DEFAULT' }, KeyRotationEnabled: true } },
  };
}

/** Every (object, key) of an open AWS shape in `inventory()`, as a path of keys. */
const FIELDS: string[][] = [
  ['accounts', '0', 'trails', '0', 'Trail', 'IsMultiRegionTrail'],
  ['accounts', '0', 'trails', '0', 'Trail', 'S3BucketName'],
  ['accounts', '0', 'trails', '0', 'Trail', 'KmsKeyId'],
  ['accounts', '0', 'trails', '0', 'Status', 'IsLogging'],
  ['accounts', '0', 'trails', '0', 'Status', 'LatestDeliveryError'],
  ['accounts', '0', 'trails', '0', 'EventSelectors', '0', 'ReadWriteType'],
  ['accounts', '0', 'trails', '0', 'EventSelectors', '0', 'DataResources', '0', 'Values'],
  ['accounts', '0', 'trails', '0', 'AdvancedEventSelectors', '0', 'FieldSelectors', '0', 'Equals'],
  ['accounts', '0', 'trails', '0', 'InsightSelectors', '0', 'InsightType'],
  ['buckets', 'b', 'PolicyStatus', 'IsPublic'],
  ['buckets', 'b', 'Acl', 'Grants', '0', 'Grantee', 'URI'],
  ['buckets', 'b', 'Acl', 'Grants', '0', 'Permission'],
  ['buckets', 'b', 'Acl', 'Grants', '0', 'Grantee', 'Type'],
  ['buckets', 'b', 'Acl', 'Grants', '1', 'Grantee', 'ID'],
  ['buckets', 'b', 'Acl', 'Grants', '1', 'Grantee', 'DisplayName'],
  ['buckets', 'b', 'Acl', 'Grants', '2', 'Grantee', 'EmailAddress'],
  ['buckets', 'b', 'Versioning', 'MFADelete'],
  ['buckets', 'b', 'RequestPayer'],
  ['keys', KEY, 'KeyMetadata', 'KeyState'],
  ['keys', KEY, 'KeyMetadata', 'KeyUsage'],
  ['keys', KEY, 'KeyMetadata', 'Enabled'],
  ['keys', KEY, 'KeyMetadata', 'CustomerMasterKeySpec'],
  ['keys', KEY, 'KeyRotationEnabled'],
];

/** `value` with the key at `path` renamed to `to`, in place of the original. */
function renamed(value: Record<string, unknown>, path: readonly string[], to: string): Record<string, unknown> {
  let o = value;
  for (const k of path.slice(0, -1)) o = o[k] as Record<string, unknown>;
  const from = path.at(-1) ?? '';
  const entries = Object.entries(o).map(([k, v]) => [k === from ? to : k, v] as const);
  for (const k of Object.keys(o)) delete o[k];
  Object.assign(o, Object.fromEntries(entries));
  return value;
}

const pointer = (path: readonly string[]) => path.map((k) => `/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');

describe('inventory keys written with the wrong case', () => {
  it('finds none in an inventory that spells every field as AWS does, or adds a field AWS may add', () => {
    const value = inventory();
    ((value.buckets as Record<string, Record<string, unknown>>).b as Record<string, unknown>).Tagging = { TagSet: [] };
    expect(caseSlips(value, 10)).to.deep.equal({ slips: [], more: 0 });
  });

  it('finds a slip of any field of any open AWS shape, however the case is changed, and names the field', () => {
    const path = fc.constantFrom(...FIELDS);
    // A random case for each letter, kept only when it differs from AWS's.
    const flips = fc.array(fc.boolean(), { minLength: 40, maxLength: 40 });
    fc.assert(
      fc.property(path, flips, (p, f) => {
        const field = p.at(-1) ?? '';
        const slip = [...field].map((c, i) => (f[i] ? (c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase()) : c)).join('');
        fc.pre(slip !== field);
        const { slips, more } = caseSlips(renamed(inventory(), p, slip), 10);
        expect(slips).to.deep.equal([{ pointer: pointer([...p.slice(0, -1), slip]), written: slip, meant: field, refused: false }]);
        expect(more).to.equal(0);
      }),
    );
  });

  it('lists at most the limit and counts the rest', () => {
    let value = inventory();
    for (const p of FIELDS) value = renamed(value, p, (p.at(-1) ?? '').toLowerCase());
    const { slips, more } = caseSlips(value, 3);
    expect(slips.map((s) => s.written)).to.deep.equal(['s3bucketname', 'ismultiregiontrail', 'kmskeyid']);
    expect(more).to.equal(FIELDS.length - 3);
  });

  it('is an input error at the key, each slip on its line, with the field meant', () => {
    const yaml = [
      'version: 1',
      'accounts:',
      '  - accountId: "111122223333"',
      '    regions: [us-east-1]',
      '    trails:',
      `      - Trail: {Name: t, TrailARN: "${ARN}", S3BucketName: b}`,
      '        Status:',
      '          isLogging: true',
      'buckets:',
      '  b: {PolicyStatus: {isPublic: true}}',
      '',
    ].join('\n');
    expect(inputErrorOf(() => parseInventory(yaml, 'i.yaml')).describeAll()).to.deep.equal([
      'i.yaml:8:11: invalid inventory: unknown key "isLogging"; did you mean "IsLogging"? Keys are case-sensitive: as written, the field would be read as not collected (at /accounts/0/trails/0/Status/isLogging)',
      'i.yaml:10:22: invalid inventory: unknown key "isPublic"; did you mean "IsPublic"? Keys are case-sensitive: as written, the field would be read as not collected (at /buckets/b/PolicyStatus/isPublic)',
    ]);
  });

  // A grant whose Grantee or Permission is mis-cased would hide a grant to everyone: bucket-not-public passed the bucket.
  it('refuses a mis-cased grantee in a bucket ACL, which would hide a public grant', () => {
    const value = renamed(inventory(), ['buckets', 'b', 'Acl', 'Grants', '0', 'Grantee'], 'grantee');
    expect(caseSlips(value, 10).slips).to.deep.equal([{ pointer: '/buckets/b/Acl/Grants/0/grantee', written: 'grantee', meant: 'Grantee', refused: false }]);
  });

  // `IsPublic` beside a bucket's keys is refused with where it goes; `isPublic` must not slip past that.
  it('finds a slip of a key the schema refuses there, and tells where the key meant goes', () => {
    const value = inventory();
    Object.assign((value.buckets as Record<string, Record<string, unknown>>).b as object, { isPublic: true });
    expect(caseSlips(value, 10).slips).to.deep.equal([{ pointer: '/buckets/b/isPublic', written: 'isPublic', meant: 'IsPublic', refused: true }]);
    expect(inputErrorOf(() => parseInventory(JSON.stringify(value), 'i.json')).describe()).to.match(
      /invalid inventory: unknown key "isPublic", which AWS writes "IsPublic": "IsPublic" belongs inside the bucket's PolicyStatus \(PolicyStatus: \{IsPublic: \.\.\.\}\), not beside it \(written here it would be ignored\) \(at \/buckets\/b\/isPublic\)$/,
    );
  });

  // A bucket's name is any text: its ~ and / are escaped in the pointer, which then names that bucket.
  it('escapes the names on the way to a slip, ~ and / alike', () => {
    const value = inventory();
    const buckets = value.buckets as Record<string, unknown>;
    buckets['a~1b/c'] = { PolicyStatus: { isPublic: true } };
    expect(caseSlips(value, 10).slips).to.deep.equal([{ pointer: '/buckets/a~01b~1c/PolicyStatus/isPublic', written: 'isPublic', meant: 'IsPublic', refused: false }]);
  });

  it('leaves a slip in the envelope, a closed object, to the schema, which names it once', () => {
    const value = renamed(inventory(), ['accounts', '0', 'regions'], 'Regions');
    expect(caseSlips(value, 10).slips).to.deep.equal([]);
    expect(inputErrorOf(() => parseInventory(JSON.stringify(value), 'i.json')).describeAll()).to.have.length(1);
  });
});
