/**
 * Buckets and keys in several merged inventories (README "Inventory format"): copies that
 * complement each other are united field by field, copies that hold one field with different
 * values are refused at the later file's field, whichever order the files come in.
 */
import { expect } from 'chai';
import { parseInventory } from '../../src/inventory/parse.ts';
import { mergeInventories } from '../../src/inventory/merge.ts';
import type { Inventory } from '../../src/inventory/types.ts';
import { inputErrorOf } from '../helpers/input-error.ts';

const KEY = 'arn:aws:kms:us-east-1:222222222222:key/0b8c1f6e-1111-4222-8333-944445555666';
const POLICY = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'cloudtrail.amazonaws.com' }, Action: 's3:PutObject', Resource: 'arn:aws:s3:::logs/*' }] };

/** A file of one member account (line 6 on: `buckets:` then the lines given). */
const member = (buckets: string) => `version: 1\naccounts:\n- accountId: "111122223333"\n  regions: [us-east-1]\n  trails: []\nbuckets:\n${buckets}`;
/** A log-archive file of buckets only (line 3 on: `buckets:` then the lines given). */
const archive = (buckets: string) => `version: 1\naccounts: []\nbuckets:\n${buckets}`;

type Files = Record<string, string>;

/** The files merged in the order given, and in the reverse order. */
function bothOrders(files: Files): [Inventory, Inventory] {
  const parsed = (names: string[]) => mergeInventories(names.map((n) => parseInventory(files[n], n))).inventory;
  const names = Object.keys(files);
  return [parsed(names), parsed([...names].reverse())];
}

/** The refusal, the same in both orders. */
function refusal(files: Files): string {
  const names = Object.keys(files);
  const [forward, backward] = [names, [...names].reverse()].map((order) => inputErrorOf(() => mergeInventories(order.map((n) => parseInventory(files[n], n)))).describe());
  expect(backward, 'the same refusal whatever the order').to.equal(forward);
  return forward;
}

describe('merging buckets and keys', () => {
  it('unites copies that complement each other: a member shard read what it could, the log-archive shard the rest', () => {
    const files = {
      'member.yaml': `${member('  logs:\n    Region: us-east-1\n    Acl: {Owner: {ID: c2}, Grants: []}\n    Versioning: {Status: Enabled}\n')}errors:\n- {accountId: "111122223333", region: us-east-1, service: s3, operation: GetBucketPolicy, resource: logs, code: MethodNotAllowed}\n`,
      'archive.json': JSON.stringify({
        version: 1,
        accounts: [],
        buckets: { logs: { Region: 'us-east-1', Policy: JSON.stringify(POLICY), RequestPayer: 'BucketOwner', Versioning: { Status: 'Enabled' } } },
        keys: { [KEY]: { KeyMetadata: { Arn: KEY, KeyState: 'Enabled' }, KeyRotationEnabled: true, Policy: '{"Statement":[]}' } },
      }),
      'mgmt.yaml': `version: 1\naccounts: []\nkeys:\n  "${KEY}": {KeyMetadata: {Arn: "${KEY}", KeyState: Enabled}, KeyRotationEnabled: true}\n`,
    };
    for (const merged of bothOrders(files)) {
      expect(merged.buckets?.logs).to.deep.equal({ Region: 'us-east-1', Policy: JSON.stringify(POLICY), RequestPayer: 'BucketOwner', Versioning: { Status: 'Enabled' }, Acl: { Owner: { ID: 'c2' }, Grants: [] } });
      expect(merged.keys?.[KEY]).to.deep.equal({ KeyMetadata: { Arn: KEY, KeyState: 'Enabled' }, KeyRotationEnabled: true, Policy: '{"Statement":[]}' });
      // The failed read stays recorded: the engine uses the Policy that is there whoever failed to read it.
      expect(merged.errors?.map((e) => `${e.operation}:${e.code}`)).to.deep.equal(['GetBucketPolicy:MethodNotAllowed']);
    }
  });

  it('refuses a field both copies hold with different values at the later file by name, naming the other and its line', () => {
    const files = {
      'b.yaml': archive('  logs:\n    Region: us-east-1\n    RequestPayer: Requester\n'),
      'a.yaml': member('  logs:\n    Region: us-east-1\n    RequestPayer: BucketOwner\n'),
    };
    expect(refusal(files)).to.equal(
      'b.yaml:6:19: bucket logs holds a different RequestPayer in a.yaml (line 9); the inventories merged may each lack some of its fields, but must agree on those both hold: collect them at the same moment (at /buckets/logs/RequestPayer)',
    );
    // A field deep inside a read's answer makes the whole answer differ.
    const keys = {
      'a.yaml': `${member('  logs: {}\n')}keys:\n  "${KEY}": {KeyMetadata: {Arn: "${KEY}", KeyState: Enabled}}\n`,
      'b.yaml': `version: 1\naccounts: []\nkeys:\n  "${KEY}": {KeyRotationEnabled: true, KeyMetadata: {Arn: "${KEY}", KeyState: PendingDeletion}}\n`,
    };
    expect(refusal(keys)).to.match(/^b\.yaml:4:\d+: key \S+ holds a different KeyMetadata in a\.yaml \(line 9\);.*\(at \/keys\/arn:aws:kms:us-east-1:222222222222:key~10b8c1f6e-1111-4222-8333-944445555666\/KeyMetadata\)$/);
  });

  it('names the file the union took the field from, of three', () => {
    const files = {
      'a.yaml': member('  logs: {Region: us-east-1}\n'),
      'b.yaml': archive('  logs: {Region: us-east-1, Policy: null}\n'),
      'c.yaml': archive('  logs: {Policy: "{}"}\n'),
    };
    expect(refusal(files)).to.match(/^c\.yaml:4:18: bucket logs holds a different Policy in b\.yaml \(line 4\);/);
  });

  it('refuses null (read: there is none) against a value', () => {
    const files = {
      'member.yaml': member('  logs:\n    Region: us-east-1\n    Policy: null\n'),
      'archive.yaml': archive(`  logs:\n    Region: us-east-1\n    Policy: '${JSON.stringify(POLICY)}'\n`),
    };
    expect(refusal(files)).to.match(/^member\.yaml:9:13: bucket logs holds a different Policy in archive\.yaml \(line 6\);.*\(at \/buckets\/logs\/Policy\)$/);
    const rotation = {
      'a.yaml': `${member('  logs: {}\n')}keys:\n  "${KEY}": {KeyRotationEnabled: null}\n`,
      'b.yaml': `version: 1\naccounts: []\nkeys:\n  "${KEY}": {KeyRotationEnabled: false}\n`,
    };
    expect(refusal(rotation)).to.match(/^b\.yaml:4:\d+: key \S+ holds a different KeyRotationEnabled in a\.yaml \(line 9\)/);
  });

  it('takes a policy written as text and as an object, or as two texts, for the one document they hold', () => {
    const text = JSON.stringify(POLICY);
    // The same document with its keys in another order and spaced out, as another tool writes it.
    const spaced = `{ "Statement": ${JSON.stringify(POLICY.Statement, null, 2)}, "Version": "2012-10-17" }`;
    for (const [x, y] of [
      [text, POLICY],
      [text, spaced],
      [POLICY, spaced],
    ]) {
      const files = { 'a.json': JSON.stringify({ version: 1, accounts: [{ accountId: '111122223333', regions: [], trails: [] }], buckets: { logs: { Policy: x } } }), 'b.json': JSON.stringify({ version: 1, accounts: [], buckets: { logs: { Policy: y, Region: 'us-east-1' } } }) };
      for (const merged of bothOrders(files)) expect(merged.buckets?.logs, 'the copy of the first file by name').to.deep.equal({ Policy: x, Region: 'us-east-1' });
    }
    const differs = (x: unknown, y: unknown) =>
      refusal({ 'a.json': JSON.stringify({ version: 1, accounts: [{ accountId: '111122223333', regions: [], trails: [] }], keys: { [KEY]: { Policy: x } } }), 'b.json': JSON.stringify({ version: 1, accounts: [], keys: { [KEY]: { Policy: y } } }) });
    expect(differs(text, { ...POLICY, Version: '2008-10-17' })).to.match(/^b\.json:1:\d+: key \S+ holds a different Policy in a\.json \(line 1\)/);
    // A text the rules cannot read is equal to no document, even the one JSON.parse makes of it.
    expect(differs('{"Version": "2012-10-17", "Version": "2008-10-17"}', { Version: '2008-10-17' })).to.match(/holds a different Policy/);
    expect(differs('not json', 'not  json')).to.match(/holds a different Policy/);
    expect(() => bothOrders({ 'a.yaml': member('  logs: {Policy: not json}\n'), 'b.yaml': archive('  logs: {Policy: not json}\n') })).to.not.throw();
  });

  it('refuses a bucket that does not exist in one file and holds a field in another', () => {
    expect(refusal({ 'a.yaml': member('  logs: {Exists: false}\n'), 'b.yaml': archive('  logs:\n    Region: us-east-1\n') })).to.equal(
      'b.yaml:5:13: bucket logs does not exist in a.yaml (Exists: false at line 7), but this inventory holds its Region; collect the inventories at the same moment (at /buckets/logs/Region)',
    );
    expect(refusal({ 'a.yaml': member('  logs: {Region: us-east-1}\n'), 'b.yaml': archive('  logs:\n    Exists: false\n') })).to.equal(
      'b.yaml:5:13: bucket logs does not exist here (Exists: false), but a.yaml (line 7) holds its Region; collect the inventories at the same moment (at /buckets/logs/Exists)',
    );
    // A copy that read nothing, or said only that the bucket exists, is no contradiction of either.
    for (const merged of bothOrders({ 'a.yaml': member('  logs: {Exists: false}\n'), 'b.yaml': archive('  logs: {}\n') })) expect(merged.buckets?.logs).to.deep.equal({ Exists: false });
    for (const merged of bothOrders({ 'a.yaml': member('  logs: {Exists: true}\n'), 'b.yaml': archive('  logs: {Region: us-east-1}\n') })) expect(merged.buckets?.logs).to.deep.equal({ Exists: true, Region: 'us-east-1' });
    expect(refusal({ 'a.yaml': member('  logs: {Exists: true}\n'), 'b.yaml': archive('  logs: {Exists: false}\n') })).to.match(/^b\.yaml:4:\d+: bucket logs holds a different Exists in a\.yaml/);
  });

  it("unites a key's aliases, the names trails gave it", () => {
    const files = {
      'a.yaml': `${member('  logs: {}\n')}keys:\n  "${KEY}": {Aliases: [alias/org, alias/ct]}\n`,
      'b.yaml': `version: 1\naccounts: []\nkeys:\n  "${KEY}": {Aliases: [alias/ct, alias/audit], KeyRotationEnabled: true}\n`,
    };
    for (const merged of bothOrders(files)) expect(merged.keys?.[KEY]).to.deep.equal({ Aliases: ['alias/audit', 'alias/ct', 'alias/org'], KeyRotationEnabled: true });
  });

  it('leaves the copies in each file as they were', () => {
    const files = { 'a.yaml': member('  logs: {Region: us-east-1}\n'), 'b.yaml': archive('  logs: {Policy: null}\n') };
    const parsed = Object.entries(files).map(([n, t]) => parseInventory(t, n));
    mergeInventories(parsed);
    expect(parsed.map((f) => f.inventory.buckets?.logs)).to.deep.equal([{ Region: 'us-east-1' }, { Policy: null }]);
  });
});

describe('merging accounts and partitions', () => {
  it('names the line of an account\'s first copy in the same file', () => {
    const text = 'version: 1\naccounts:\n  - {accountId: "111122223333", regions: [us-east-1], trails: []}\n  - {accountId: "444455556666", regions: [us-east-1], trails: []}\n  - {accountId: "111122223333", regions: [eu-west-1], trails: []}\n';
    expect(refusal({ 'a.yaml': text })).to.equal('a.yaml:5:5: account 111122223333 appears twice (also at line 3); each account belongs in one inventory (at /accounts/2)');
  });

  it('refuses an account in two files, and two partitions, at the later file by name, whichever order the files come in', () => {
    expect(refusal({ 'b.yaml': member('  logs: {}\n'), 'a.yaml': member('  logs: {}\n') })).to.equal(
      'b.yaml:3:3: account 111122223333 appears twice (also in a.yaml, line 3); each account belongs in one inventory (at /accounts/0)',
    );
    expect(refusal({ 'b.yaml': 'version: 1\npartition: aws\naccounts: []\n', 'a.yaml': 'version: 1\npartition: aws-cn\naccounts: []\n' })).to.equal(
      'b.yaml:2:12: this inventory is in partition aws, but a.yaml is in aws-cn; scan each partition on its own (at /partition)',
    );
  });
});
