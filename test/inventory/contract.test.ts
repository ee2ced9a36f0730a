/**
 * The inventory contract (shared/design/inventory.md) at its edges: the same document as JSON
 * or YAML in any style, several files merged, and where a merge problem is reported.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { stringify } from 'yaml';
import { parseInventory } from '../../src/inventory/parse.ts';
import { cli, tempDir } from '../helpers/cli.ts';
import { inputErrorOf } from '../helpers/input-error.ts';

const ARN = 'arn:aws:cloudtrail:us-east-1:123456789012:trail/t';
const TRAIL = { Name: 't', TrailARN: ARN, HomeRegion: 'us-east-1', IsMultiRegionTrail: true, S3BucketName: 'logs' };
const GOOD = { version: 1, collectedAt: '2026-11-20T02:00:00Z', accounts: [{ accountId: '123456789012', regions: ['us-east-1'], trails: [{ Trail: TRAIL }] }] };

/** The results of a JSON report without their locations: what must not depend on the input's form. */
function verdicts(stdout: string): unknown[] {
  return (JSON.parse(stdout) as { results: Record<string, unknown>[] }).results.map(({ location: _, ...r }) => r);
}

describe('inventory contract', () => {
  it('an account id YAML read as a number is refused with the advice to quote it, as in the config and rule files', () => {
    const yaml = 'version: 1\naccounts:\n  - accountId: 123456789012\n    regions: [us-east-1]\n    trails: []\n';
    expect(inputErrorOf(() => parseInventory(yaml, 'i.yaml')).describe()).to.equal(
      'i.yaml:3:16: invalid inventory: must be of type string: quote it ("012345678901"), as YAML reads bare digits as a number and drops leading zeros (at /accounts/0/accountId)',
    );
    // With a leading zero, YAML would drop the zero before the schema saw the number: refused as written.
    expect(inputErrorOf(() => parseInventory(yaml.replace('123456789012', '012345678901'), 'i.yaml')).describe()).to.equal(
      'i.yaml:3:16: invalid YAML: 012345678901 is read as the number 12345678901, without its leading zero: quote it ("012345678901") if it is text, such as an account id, or write it without the zero if it is a number',
    );
    // A quoted id of the wrong length is no YAML slip: no advice to quote what is quoted.
    expect(inputErrorOf(() => parseInventory('version: 1\naccounts:\n  - {accountId: "12", regions: [us-east-1], trails: []}\n', 'i.yaml')).describe()).to.not.match(/quote it/);
    // A JSON number is written as one: no word of YAML about a JSON file.
    expect(inputErrorOf(() => parseInventory('{"version": 1, "accounts": [{"accountId": 123456789012, "regions": ["us-east-1"], "trails": []}]}', 'i.json')).describe()).to.equal(
      'i.json:1:43: invalid inventory: must be of type string (at /accounts/0/accountId)',
    );
  });

  it('text YAML reads as a number or a boolean (a bucket named 20240101, a trail named true) is told what YAML read and to quote it; JSON is not', () => {
    const trail = (name: string, bucket: string): string =>
      `version: 1\naccounts:\n  - accountId: "111122223333"\n    regions: [us-east-1]\n    trails:\n      - Trail: {Name: ${name}, TrailARN: "arn:aws:cloudtrail:us-east-1:111122223333:trail/t", HomeRegion: us-east-1, S3BucketName: ${bucket}}\n`;
    expect(inputErrorOf(() => parseInventory(trail('t', '20240101'), 'i.yaml')).describe()).to.equal(
      'i.yaml:6:126: invalid inventory: must be of type string: YAML reads it unquoted as the number 20240101; quote it to write it as text (at /accounts/0/trails/0/Trail/S3BucketName)',
    );
    expect(inputErrorOf(() => parseInventory(trail('true', 'logs'), 'i.yaml')).describe()).to.equal(
      'i.yaml:6:23: invalid inventory: must be of type string: YAML reads it unquoted as the boolean true; quote it to write it as text (at /accounts/0/trails/0/Trail/Name)',
    );
    const json = '{"version": 1, "accounts": [{"accountId": "111122223333", "regions": ["us-east-1"], "trails": [{"Trail": {"Name": true, "TrailARN": "arn:aws:cloudtrail:us-east-1:111122223333:trail/t", "HomeRegion": "us-east-1"}}]}]}';
    expect(inputErrorOf(() => parseInventory(json, 'i.json')).describe()).to.match(/: invalid inventory: must be of type string \(at \/accounts\/0\/trails\/0\/Trail\/Name\)$/);
  });

  // CloudTrail names are at most 128 characters and prefixes 200: a longer one is no trail AWS
  // answers, and its length bounds the work of matching it against a policy's patterns.
  it('a trail name over 128 characters or a key prefix over 200 is refused, with its length; at the limit it loads', () => {
    const trail = (name: string, prefix: string): string =>
      JSON.stringify({ version: 1, accounts: [{ accountId: '111122223333', regions: ['us-east-1'], trails: [{ Trail: { Name: name, TrailARN: `arn:aws:cloudtrail:us-east-1:111122223333:trail/${name}`, HomeRegion: 'us-east-1', S3KeyPrefix: prefix } }] }] });
    expect(() => parseInventory(trail('n'.repeat(128), 'p'.repeat(200)), 'i.json')).to.not.throw();
    expect(inputErrorOf(() => parseInventory(trail('n'.repeat(129), 'p'), 'i.json')).describeAll()).to.deep.equal([
      'i.json:1:105: invalid inventory: must be at most 128 characters long (this is 129) (at /accounts/0/trails/0/Trail/Name)',
    ]);
    expect(inputErrorOf(() => parseInventory(trail('n', 'p'.repeat(201)), 'i.json')).describe()).to.match(/: invalid inventory: must be at most 200 characters long \(this is 201\) \(at \/accounts\/0\/trails\/0\/Trail\/S3KeyPrefix\)$/);
  });

  it('a trail pasted from describe-trails without its Trail: wrapper is told as one mistake, at the entry', () => {
    // The entry's own keys (Status, EventSelectors) are allowed where they are; the trail's fields are not.
    const yaml = `version: 1\naccounts:\n  - accountId: "123456789012"\n    regions: [us-east-1]\n    trails:\n      - Name: t\n        TrailARN: ${ARN}\n        HomeRegion: us-east-1\n        S3BucketName: logs\n        IsMultiRegionTrail: true\n        Status: {IsLogging: true}\n        Colour: blue\n`;
    expect(inputErrorOf(() => parseInventory(yaml, 'i.yaml')).describeAll()).to.deep.equal([
      'i.yaml:6:9: invalid inventory: missing required key "Trail": the keys "Name", "TrailARN", "HomeRegion" and 2 more written here belong inside it (at /accounts/0/trails/0)',
      'i.yaml:12:9: invalid inventory: unknown key "Colour" (at /accounts/0/trails/0/Colour)',
    ]);
    const one = JSON.stringify({ ...GOOD, accounts: [{ ...GOOD.accounts[0], trails: [{ TrailARN: ARN }] }] });
    expect(inputErrorOf(() => parseInventory(one, 'i.json')).describe()).to.equal(
      'i.json:1:125: invalid inventory: missing required key "Trail": the key "TrailARN" written here belongs inside it (at /accounts/0/trails/0)',
    );
  });

  it('a trail entry\'s own keys written inside its Trail are refused at the key, not ignored', () => {
    const entry = { Trail: { ...TRAIL, Status: { IsLogging: true }, EventSelectors: [], AdvancedEventSelectors: [], InsightSelectors: [] } };
    const json = JSON.stringify({ ...GOOD, accounts: [{ ...GOOD.accounts[0], trails: [entry] }] }, null, 1);
    const told = inputErrorOf(() => parseInventory(json, 'i.json')).describeAll();
    expect(told).to.have.length(4);
    ['Status', 'EventSelectors', 'AdvancedEventSelectors', 'InsightSelectors'].forEach((key, i) => {
      const line = json.split('\n').findIndex((l) => l.includes(`"${key}"`)) + 1;
      expect(told[i]).to.equal(
        `i.json:${line}:7: invalid inventory: "${key}" is a key of the trail's entry, beside "Trail", not inside it (written here it would be ignored) (at /accounts/0/trails/0/Trail/${key})`,
      );
    });
  });

  it('a list pasted as the AWS CLI\'s whole answer around it is told what to write instead', () => {
    const entry = { Trail: TRAIL, EventSelectors: { TrailARN: ARN, EventSelectors: [] }, InsightSelectors: { TrailARN: ARN, InsightSelectors: [] } };
    const value = { ...GOOD, accounts: [{ ...GOOD.accounts[0], trails: [entry] }, { accountId: '444455556666', regions: ['us-east-1'], trails: { trailList: [TRAIL] } }] };
    const told = inputErrorOf(() => parseInventory(JSON.stringify(value, null, 1), 'i.json')).describeAll().map((m) => m.replace(/^i\.json:\d+:\d+: invalid inventory: /, ''));
    expect(told).to.deep.equal([
      'must be of type array: this is get-event-selectors\' whole answer; write the list its "EventSelectors" holds here (and an AdvancedEventSelectors list, if it has one, beside EventSelectors) (at /accounts/0/trails/0/EventSelectors)',
      'must be of type array: this is get-insight-selectors\' whole answer; write the list its "InsightSelectors" holds here (at /accounts/0/trails/0/InsightSelectors)',
      'must be of type array: this is describe-trails\' whole answer; list each element of its trailList as "- Trail: {...}", beside that trail\'s Status and selectors (at /accounts/1/trails)',
    ]);
    // get-trail's and describe-trails' answers pasted under Trail: TrailARN is there, one level down.
    const wrapped = { ...GOOD, accounts: [{ ...GOOD.accounts[0], trails: [{ Trail: { Trail: TRAIL } }, { Trail: { trailList: [TRAIL] } }] }] };
    expect(inputErrorOf(() => parseInventory(JSON.stringify(wrapped, null, 1), 'i.json')).describeAll().map((m) => m.replace(/^i\.json:\d+:\d+: invalid inventory: /, ''))).to.deep.equal([
      'missing required key "TrailARN": this is get-trail\'s whole answer; write what its "Trail" holds here (at /accounts/0/trails/0/Trail)',
      'missing required key "TrailARN": this is describe-trails\' whole answer; give each element of its trailList an entry of its own, "- Trail: {...}" (at /accounts/0/trails/1/Trail)',
    ]);
    // Any other object where a list goes gets no such advice.
    const other = { ...GOOD, accounts: [{ ...GOOD.accounts[0], trails: [{ Trail: TRAIL, EventSelectors: { ReadWriteType: 'All' } }] }] };
    expect(inputErrorOf(() => parseInventory(JSON.stringify(other), 'i.json')).describe()).to.match(/must be of type array \(at /);
  });

  it('selectors written in the other list are refused with the list they go in, not read as AWS\'s default selector', () => {
    // Advanced selectors under EventSelectors: each read as a basic selector with every field left
    // out, i.e. all management events, read and write, so a trail that records only reads passed.
    const advanced = [{ Name: 'reads', FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }, { Field: 'readOnly', Equals: ['true'] }] }];
    const basic = [{ ReadWriteType: 'ReadOnly', IncludeManagementEvents: true, DataResources: [] }];
    const told = (entry: Record<string, unknown>) =>
      inputErrorOf(() => parseInventory(JSON.stringify({ ...GOOD, accounts: [{ ...GOOD.accounts[0], trails: [{ Trail: TRAIL, ...entry }] }] }), 'i.json'))
        .describeAll()
        .map((m) => m.replace(/^i\.json:\d+:\d+: invalid inventory: /, ''));
    expect(told({ EventSelectors: advanced })).to.deep.equal([
      '"FieldSelectors" makes this an advanced event selector, which goes in the trail\'s AdvancedEventSelectors list, beside EventSelectors (read as a basic selector, it would stand for AWS\'s default one: every management event, read and write) (at /accounts/0/trails/0/EventSelectors/0/FieldSelectors)',
    ]);
    expect(told({ AdvancedEventSelectors: basic })).to.deep.equal([
      'missing required key "FieldSelectors": this is a basic event selector (ReadWriteType, IncludeManagementEvents, DataResources), which goes in the trail\'s EventSelectors list, beside AdvancedEventSelectors (at /accounts/0/trails/0/AdvancedEventSelectors/0)',
    ]);
    // A basic selector that writes only ExcludeManagementEventSources is one too.
    expect(told({ AdvancedEventSelectors: [{ ExcludeManagementEventSources: ['kms.amazonaws.com'] }] })[0]).to.match(/^missing required key "FieldSelectors": this is a basic event selector /);
    // get-event-selectors' answer for a trail with advanced selectors, pasted under EventSelectors.
    expect(told({ EventSelectors: { TrailARN: ARN, AdvancedEventSelectors: advanced } })).to.deep.equal([
      'must be of type array: this is get-event-selectors\' whole answer, whose list is "AdvancedEventSelectors"; write that list under AdvancedEventSelectors, beside Trail, not under EventSelectors (at /accounts/0/trails/0/EventSelectors)',
    ]);
    // Each in its own list is read as written.
    expect(() => parseInventory(JSON.stringify({ ...GOOD, accounts: [{ ...GOOD.accounts[0], trails: [{ Trail: TRAIL, AdvancedEventSelectors: advanced }] }] }), 'i.json')).to.not.throw();
  });

  it('a bucket\'s answer fields written beside its keys, not inside them, are refused with the key they go under', () => {
    // get-bucket-policy-status's IsPublic one level up: PolicyStatus was read as not collected, and
    // a bucket S3 calls public passed bucket-not-public on its policy alone.
    const bucket = { Region: 'us-east-1', IsPublic: true, Grants: [], Payer: 'BucketOwner', Policy: null };
    const told = inputErrorOf(() => parseInventory(JSON.stringify({ ...GOOD, buckets: { logs: bucket } }), 'i.json'))
      .describeAll()
      .map((m) => m.replace(/^i\.json:\d+:\d+: invalid inventory: /, ''));
    expect(told).to.deep.equal([
      '"IsPublic" belongs inside the bucket\'s PolicyStatus (PolicyStatus: {IsPublic: ...}), not beside it (written here it would be ignored) (at /buckets/logs/IsPublic)',
      '"Grants" belongs inside the bucket\'s Acl (Acl: {Grants: ...}), not beside it (written here it would be ignored) (at /buckets/logs/Grants)',
      '"Payer" is the bucket\'s RequestPayer as the AWS CLI names it: write its value under RequestPayer (written here it would be ignored) (at /buckets/logs/Payer)',
    ]);
    expect(() => parseInventory(JSON.stringify({ ...GOOD, buckets: { logs: { Region: 'us-east-1', PolicyStatus: { IsPublic: true }, Acl: { Grants: [] }, RequestPayer: 'BucketOwner' } } }), 'i.json')).to.not.throw();
  });

  it('every answer field written beside a bucket\'s keys is told the key it goes under, or is the value of', () => {
    const under: [string, string][] = [
      ['IsPublic', 'PolicyStatus'], ['BlockPublicAcls', 'PublicAccessBlock'], ['IgnorePublicAcls', 'PublicAccessBlock'], ['BlockPublicPolicy', 'PublicAccessBlock'],
      ['RestrictPublicBuckets', 'PublicAccessBlock'], ['Rules', 'OwnershipControls'], ['Owner', 'Acl'], ['Grants', 'Acl'], ['TargetBucket', 'Logging'],
      ['TargetPrefix', 'Logging'], ['Status', 'Versioning'], ['MFADelete', 'Versioning'],
    ];
    const named: [string, string][] = [['PublicAccessBlockConfiguration', 'PublicAccessBlock'], ['LoggingEnabled', 'Logging'], ['Payer', 'RequestPayer'], ['LocationConstraint', 'Region']];
    for (const [field, home] of [...under, ...named]) {
      const told = inputErrorOf(() => parseInventory(JSON.stringify({ ...GOOD, buckets: { logs: { [field]: null } } }), 'i.json')).describe();
      const advice = under.some(([f]) => f === field)
        ? `"${field}" belongs inside the bucket's ${home} (${home}: {${field}: ...}), not beside it`
        : `"${field}" is the bucket's ${home} as the AWS CLI names it: write its value under ${home}`;
      expect(told, field).to.include(`invalid inventory: ${advice} (written here it would be ignored) (at /buckets/logs/${field})`);
    }
  });

  it('an ACL grant whose Grantee is a list is refused: its public group was not seen, and the bucket passed bucket-not-public', () => {
    const grant = { Grantee: [{ Type: 'Group', URI: 'http://acs.amazonaws.com/groups/global/AllUsers' }], Permission: 'READ' };
    expect(inputErrorOf(() => parseInventory(JSON.stringify({ ...GOOD, buckets: { logs: { Acl: { Grants: [grant] } } } }), 'i.json')).describe()).to.equal(
      'i.json:1:334: invalid inventory: must be of type object (at /buckets/logs/Acl/Grants/0/Grantee)',
    );
  });

  it('an Acl without Grants, which GetBucketAcl always answers, is refused: it was read as no grant at all', () => {
    const withAcl = (acl: unknown) => JSON.stringify({ ...GOOD, buckets: { logs: { Acl: acl } } });
    expect(inputErrorOf(() => parseInventory(withAcl({ AccessControlPolicy: { Grants: [] } }), 'i.json')).describe()).to.match(
      /invalid inventory: missing required key "Grants": write what its "AccessControlPolicy" holds here, as GetBucketAcl answers it \(Owner and Grants\) \(at \/buckets\/logs\/Acl\)$/,
    );
    expect(inputErrorOf(() => parseInventory(withAcl({ Owner: { ID: 'o' } }), 'i.json')).describe()).to.match(/missing required key "Grants": GetBucketAcl always answers Grants/);
    // The answer pasted under Acl with its key: {Acl: {Acl: {...}}}.
    expect(inputErrorOf(() => parseInventory(withAcl({ Acl: { Owner: { ID: 'o' }, Grants: [] } }), 'i.json')).describe()).to.match(
      /invalid inventory: missing required key "Grants": write what its "Acl" holds here, as GetBucketAcl answers it \(Owner and Grants\) \(at \/buckets\/logs\/Acl\)$/,
    );
    // No grant and no Acl read are still written as they were.
    expect(parseInventory(withAcl({ Owner: { ID: 'o' }, Grants: [] }), 'i.json').inventory.buckets?.logs?.Acl).to.deep.equal({ Owner: { ID: 'o' }, Grants: [] });
    expect(parseInventory(withAcl(null), 'i.json').inventory.buckets?.logs?.Acl).to.equal(null);
  });

  it('text where a boolean goes is told what was meant: quotes, or YAML 1.1\'s yes and on', () => {
    const yaml = `version: 1\naccounts:\n  - accountId: "123456789012"\n    regions: [us-east-1]\n    trails:\n      - Trail: {Name: t, TrailARN: "${ARN}", IsMultiRegionTrail: "true", LogFileValidationEnabled: yes, S3BucketName: maybe}\n        Status: {IsLogging: on}\n`;
    expect(inputErrorOf(() => parseInventory(yaml, 'i.yaml')).describeAll().map((m) => m.replace(/^i\.yaml:\d+:\d+: invalid inventory: /, ''))).to.deep.equal([
      'must be of type boolean: "true" is text here; write it without quotes or a tag (at /accounts/0/trails/0/Trail/IsMultiRegionTrail)',
      'must be of type boolean: "yes" is text in YAML 1.2, which trailgate reads; write true or false (at /accounts/0/trails/0/Trail/LogFileValidationEnabled)',
      'must be of type boolean: "on" is text in YAML 1.2, which trailgate reads; write true or false (at /accounts/0/trails/0/Status/IsLogging)',
    ]);
    const json = JSON.stringify({ ...GOOD, accounts: [{ ...GOOD.accounts[0], trails: [{ Trail: { ...TRAIL, IsMultiRegionTrail: 'true', LogFileValidationEnabled: 'yes' } }] }] });
    expect(inputErrorOf(() => parseInventory(json, 'i.json')).describeAll().map((m) => m.replace(/^i\.json:\d+:\d+: invalid inventory: /, ''))).to.deep.equal([
      'must be of type boolean: "true" is text here; write it without quotes (at /accounts/0/trails/0/Trail/IsMultiRegionTrail)',
      'must be of type boolean (at /accounts/0/trails/0/Trail/LogFileValidationEnabled)',
    ]);
    const quotedFalse = JSON.stringify({ ...GOOD, accounts: [{ ...GOOD.accounts[0], trails: [{ Trail: { ...TRAIL, IsMultiRegionTrail: 'false' } }] }] });
    expect(inputErrorOf(() => parseInventory(quotedFalse, 'i.json')).describe()).to.match(/must be of type boolean: "false" is text here; write it without quotes \(at /);
    // A field that may be null as well (a key's KeyRotationEnabled) gets the same advice.
    const key = (rotation: string) => `version: 1\naccounts: []\nkeys:\n  k:\n    KeyRotationEnabled: ${rotation}\n`;
    expect(inputErrorOf(() => parseInventory(key('"true"'), 'i.yaml')).describe()).to.equal(
      'i.yaml:5:25: invalid inventory: must be of type boolean or null: "true" is text here; write it without quotes or a tag (at /keys/k/KeyRotationEnabled)',
    );
    expect(inputErrorOf(() => parseInventory(key('yes'), 'i.yaml')).describe()).to.match(/must be of type boolean or null: "yes" is text in YAML 1\.2, which trailgate reads; write true or false/);
    // A key keyed by its ARN, as inventory.md keys it: the / in the ARN is escaped in the pointer, and the value still found.
    const byArn = 'version: 1\naccounts: []\nkeys:\n  arn:aws:kms:us-east-1:111122223333:key/k:\n    KeyRotationEnabled: "true"\n';
    expect(inputErrorOf(() => parseInventory(byArn, 'i.yaml')).describe()).to.equal(
      'i.yaml:5:25: invalid inventory: must be of type boolean or null: "true" is text here; write it without quotes or a tag (at /keys/arn:aws:kms:us-east-1:111122223333:key~1k/KeyRotationEnabled)',
    );
  });

  it('a bucket keyed by its ARN or an s3:// address is refused: the trail names it by its name, so it was never found', () => {
    const keyed = (name: string) => JSON.stringify({ ...GOOD, buckets: { [name]: { Region: 'us-east-1' } } });
    for (const name of ['arn:aws:s3:::logs', 's3://logs', 'arn:aws-cn:s3:::logs']) {
      expect(inputErrorOf(() => parseInventory(keyed(name), 'i.json')).describe(), name).to.include(
        `invalid inventory: the key "${name}" must be a bucket name, as a trail's S3BucketName gives it (logs-bucket), not its ARN or an s3:// address`,
      );
    }
    // Any other name is a name, however odd (a hand-made one is still looked up as written).
    expect(parseInventory(keyed('logs.example-bucket_1'), 'i.json').inventory.buckets).to.have.keys('logs.example-bucket_1');
    expect(parseInventory(keyed('logs/AWSLogs:x'), 'i.json').inventory.buckets).to.have.keys('logs/AWSLogs:x');
  });

  it('a HomeRegion that is not the region its TrailARN names is refused at the HomeRegion', () => {
    const withHome = (home: string) => JSON.stringify({ ...GOOD, accounts: [{ ...GOOD.accounts[0], trails: [{ Trail: { ...TRAIL, HomeRegion: home } }] }] }, null, 1);
    const text = withHome('eu-west-1');
    const line = text.split('\n').findIndex((l) => l.includes('"HomeRegion"')) + 1;
    expect(inputErrorOf(() => parseInventory(text, 'i.json')).describe()).to.equal(
      `i.json:${line}:21: invalid inventory: HomeRegion eu-west-1 is not the region of the TrailARN, us-east-1: a trail's ARN names the region it was created in, its home region (at /accounts/0/trails/0/Trail/HomeRegion)`,
    );
    expect(parseInventory(withHome('us-east-1'), 'i.json').inventory.accounts[0]?.trails[0]?.Trail.HomeRegion).to.equal('us-east-1');
    // The ARN's region field, whole: not a region named elsewhere in the ARN, nor one the ARN's region begins with.
    const withArn = (arn: string, home: string) => JSON.stringify({ ...GOOD, accounts: [{ ...GOOD.accounts[0], trails: [{ Trail: { ...TRAIL, TrailARN: arn, HomeRegion: home } }] }] });
    expect(inputErrorOf(() => parseInventory(withArn('arn:aws:cloudtrail:us-east-1:123456789012:trail/eu-west-1', 'eu-west-1'), 'i.json')).message).to.equal(
      "invalid inventory: HomeRegion eu-west-1 is not the region of the TrailARN, us-east-1: a trail's ARN names the region it was created in, its home region",
    );
    expect(inputErrorOf(() => parseInventory(withArn('arn:aws:cloudtrail:us-east-10:123456789012:trail/t', 'us-east-1'), 'i.json')).message).to.equal(
      "invalid inventory: HomeRegion us-east-1 is not the region of the TrailARN, us-east-10: a trail's ARN names the region it was created in, its home region",
    );
  });

  it('HomeRegions that are not their TrailARN\'s region are told up to the limit, and the rest counted', () => {
    const trails = Array.from({ length: 12 }, (_, i) => ({ Trail: { ...TRAIL, Name: `t${i}`, TrailARN: `${ARN}${i}`, HomeRegion: 'eu-west-1' } }));
    const told = inputErrorOf(() => parseInventory(JSON.stringify({ ...GOOD, accounts: [{ ...GOOD.accounts[0], trails }] }), 'i.json')).describeAll();
    expect(told).to.have.length(11);
    expect(told.slice(0, 10).every((m, i) => m.includes(`HomeRegion eu-west-1 is not the region of the TrailARN, us-east-1`) && m.endsWith(`(at /accounts/0/trails/${i}/Trail/HomeRegion)`))).to.equal(true);
    expect(told[10]).to.equal('i.json: 2 more problems not shown');
  });

  it('a YAML inventory written in flow style ({...}) is read as YAML, from a file or standard input', async () => {
    const dir = tempDir();
    const flow = stringify(GOOD, { collectionStyle: 'flow' });
    expect(flow.startsWith('{')).to.equal(true);
    expect(() => JSON.parse(flow) as unknown).to.throw();
    writeFileSync(join(dir, 'inv.json'), JSON.stringify(GOOD));
    writeFileSync(join(dir, 'flow.yaml'), flow);
    const json = await cli(['scan', '--snapshot', 'inv.json', '--format', 'json'], { cwd: dir });
    const yaml = await cli(['scan', '--snapshot', 'flow.yaml', '--format', 'json'], { cwd: dir });
    const stdin = await cli(['scan', '--snapshot', '-', '--format', 'json'], { cwd: dir, stdin: flow });
    expect(yaml.stderr).to.not.include('invalid JSON');
    expect(yaml.code).to.equal(json.code);
    expect(verdicts(yaml.stdout)).to.deep.equal(verdicts(json.stdout));
    expect(stdin.code).to.equal(json.code);
    expect(verdicts(stdin.stdout)).to.deep.equal(verdicts(json.stdout));
  });

  it('a file named .json must still be JSON, and text that is neither names the JSON problem', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'flow.json'), stringify(GOOD, { collectionStyle: 'flow' }));
    writeFileSync(join(dir, 'broken.yaml'), '{"version": 1, "accounts": [}\n');
    const named = await cli(['scan', '--snapshot', 'flow.json'], { cwd: dir });
    expect(named.code).to.equal(2);
    expect(named.stderr).to.match(/^trailgate: flow\.json:\d+:\d+: invalid JSON/);
    const broken = await cli(['scan', '--snapshot', 'broken.yaml'], { cwd: dir });
    expect(broken.code).to.equal(2);
    expect(broken.stderr).to.match(/^trailgate: broken\.yaml:1:29: invalid JSON/);
  });

  it('a bucket field that differs between merged files is refused at the later file by name, naming the other, in either order', async () => {
    const dir = tempDir();
    const member = { ...GOOD, buckets: { logs: { Region: 'us-east-1', Policy: null } } };
    const archive = { version: 1, accounts: [{ accountId: '210987654321', regions: ['us-east-1'], trails: [] }], buckets: { other: {}, logs: { Region: 'us-east-1', Policy: '{}' } } };
    writeFileSync(join(dir, 'member.json'), JSON.stringify(member, null, 2));
    writeFileSync(join(dir, 'member.yaml'), stringify(member));
    writeFileSync(join(dir, 'archive.json'), JSON.stringify(archive, null, 2));
    for (const order of [
      ['member.json', 'archive.json'],
      ['archive.json', 'member.json'],
    ]) {
      const json = await cli(['scan', ...order.flatMap((f) => ['--snapshot', f])], { cwd: dir });
      expect(json.code).to.equal(2);
      // member.json line 26 is `      "Policy": null`; archive.json line 16 is `      "Policy": "{}"`.
      expect(json.stderr).to.equal(
        'trailgate: member.json:26:17: bucket logs holds a different Policy in archive.json (line 16); the inventories merged may each lack some of its fields, but must agree on those both hold: collect them at the same moment (at /buckets/logs/Policy)\n',
      );
    }
    const yaml = await cli(['scan', '--snapshot', 'member.yaml', '--snapshot', 'archive.json'], { cwd: dir });
    expect(yaml.code).to.equal(2);
    // member.yaml: line 17 is `    Policy: null`.
    expect(yaml.stderr).to.match(/^trailgate: member\.yaml:17:13: bucket logs holds a different Policy in archive\.json \(line 16\)/);
  });

  it('lone CR line ends (classic Mac OS) are line ends, for input errors and result positions alike, in JSON and YAML', () => {
    const bad = JSON.stringify({ ...GOOD, accounts: [{ ...GOOD.accounts[0], trails: [{ Trail: { ...TRAIL, IsMultiRegionTrail: 'yes' } }] }] }, null, 2);
    const good = JSON.stringify({ ...GOOD, accounts: [{ ...GOOD.accounts[0], trails: [{ Trail: TRAIL }, { Trail: { ...TRAIL, TrailARN: `${ARN}2` } }] }] }, null, 2);
    const pointers = ['/accounts/0', '/accounts/0/regions/0', '/accounts/0/trails/0', '/accounts/0/trails/1'];
    const lines = (eol: string, text: string) => text.replace(/\n/g, eol);
    for (const eol of ['\r\n', '\r']) {
      const name = JSON.stringify(eol);
      expect(inputErrorOf(() => parseInventory(lines(eol, bad), 'i.json')).describe(), name).to.equal(
        'i.json:16:35: invalid inventory: must be of type boolean (at /accounts/0/trails/0/Trail/IsMultiRegionTrail)',
      );
      const json = parseInventory(lines(eol, good), 'i.json');
      const lf = parseInventory(good, 'i.json');
      // Where input errors are placed (the YAML reader), asked first: the text is let go once the source map is used.
      const forInput = pointers.map((p) => json.locateInput?.(p));
      pointers.forEach((p, i) => {
        // ... and where results are placed (locate-json.ts) agree, with each other and with LF line ends.
        const expected = lf.sourceMap.locate(p);
        expect(json.sourceMap.locate(p), `${name} ${p}`).to.deep.equal(expected);
        expect(forInput[i], `${name} ${p}`).to.deep.equal({ line: expected?.line, column: expected?.column });
      });
      const yaml = stringify(JSON.parse(good));
      const read = parseInventory(lines(eol, yaml), 'i.yaml');
      expect(read.inventory, name).to.deep.equal(parseInventory(yaml, 'i.yaml').inventory);
      for (const p of pointers) expect(read.sourceMap.locate(p), `${name} ${p}`).to.deep.equal(parseInventory(yaml, 'i.yaml').sourceMap.locate(p));
    }
  });

  it('the same deeply nested bucket in two files is merged, not a crash', async () => {
    const dir = tempDir();
    const deep = `${'['.repeat(20000)}${']'.repeat(20000)}`;
    const bucket = `{"logs":{"Region":"us-east-1","Extra":${deep}}}`;
    writeFileSync(join(dir, 'a.json'), `{"version":1,"accounts":${JSON.stringify(GOOD.accounts)},"buckets":${bucket}}`);
    writeFileSync(join(dir, 'b.json'), `{"version":1,"accounts":[{"accountId":"210987654321","regions":["us-east-1"],"trails":[]}],"buckets":${bucket}}`);
    const r = await cli(['scan', '--snapshot', 'a.json', '--snapshot', 'b.json', '--only', 'trail-logging', '--format', 'json'], { cwd: dir });
    expect(r.stderr).to.not.include('internal error');
    expect(r.code).to.equal(3);
  });

  it('files from different partitions are refused naming both files and the partition key', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'a.yaml'), stringify(GOOD));
    writeFileSync(join(dir, 'b.yaml'), 'version: 1\npartition: aws-cn\naccounts: []\n');
    const r = await cli(['scan', '--snapshot', 'a.yaml', '--snapshot', 'b.yaml'], { cwd: dir });
    expect(r.code).to.equal(2);
    expect(r.stderr).to.equal('trailgate: b.yaml:2:12: this inventory is in partition aws-cn, but a.yaml is in aws; scan each partition on its own (at /partition)\n');
  });

  it('a TrailARN in another partition than its own file states is refused at the TrailARN, not judged in the wrong partition', () => {
    const cn = 'arn:aws-cn:cloudtrail:cn-north-1:123456789012:trail/t';
    const declared = `version: 1\npartition: aws\naccounts:\n  - accountId: "123456789012"\n    regions: [cn-north-1]\n    trails:\n      - Trail: {Name: t, TrailARN: "${cn}"}\n`;
    const e = inputErrorOf(() => parseInventory(declared, 'i.yaml'));
    expect(e.describe()).to.equal(
      "i.yaml:7:36: invalid inventory: this TrailARN is in partition aws-cn, but the inventory's partition (line 2) is aws; an inventory describes one partition (at /accounts/0/trails/0/Trail/TrailARN)",
    );
    // Without a partition key, the first TrailARN sets it, as it does across files.
    const second = { accountId: '210987654321', regions: ['cn-north-1'], trails: [{ Trail: { Name: 't', TrailARN: cn.replace('123456789012', '210987654321') } }] };
    const mixed = JSON.stringify({ version: 1, accounts: [...GOOD.accounts, second] }, null, 2);
    expect(inputErrorOf(() => parseInventory(mixed, 'i.json')).describe()).to.equal(
      'i.json:30:25: invalid inventory: this TrailARN is in partition aws-cn, but the first TrailARN (line 13) is in aws; an inventory describes one partition, scan each on its own (at /accounts/1/trails/0/Trail/TrailARN)',
    );
  });

  it('a partition trailgate does not read is refused at the TrailARN', () => {
    const text = stringify({ version: 1, accounts: [{ ...GOOD.accounts[0], trails: [{ Trail: { ...TRAIL, TrailARN: ARN.replace('arn:aws:', 'arn:aws-foo:') } }] }] });
    expect(inputErrorOf(() => parseInventory(text, 'i.yaml')).describe()).to.equal(
      'i.yaml:9:21: invalid inventory: the TrailARN is in partition "aws-foo", which trailgate does not read; it reads aws, aws-us-gov, aws-cn (at /accounts/0/trails/0/Trail/TrailARN)',
    );
  });

  it('a file whose partition only its TrailARNs state is refused at the TrailARN that states it', async () => {
    const dir = tempDir();
    const gov = { accountId: '210987654321', regions: ['us-gov-west-1'], trails: [{ Trail: { Name: 't', TrailARN: 'arn:aws-us-gov:cloudtrail:us-gov-west-1:210987654321:trail/t' } }] };
    writeFileSync(join(dir, 'a.yaml'), stringify(GOOD));
    writeFileSync(join(dir, 'b.yaml'), stringify({ version: 1, accounts: [{ accountId: '333344445555', regions: [], trails: [] }, gov] }));
    const r = await cli(['scan', '--snapshot', 'a.yaml', '--snapshot', 'b.yaml'], { cwd: dir });
    expect(r.code).to.equal(2);
    expect(r.stderr).to.equal('trailgate: b.yaml:12:21: this inventory is in partition aws-us-gov, but a.yaml is in aws; scan each partition on its own (at /accounts/1/trails/0/Trail/TrailARN)\n');
  });

  it('a file that states no partition (buckets only, no envelope key) merges with a GovCloud member, whichever comes first', async () => {
    const dir = tempDir();
    const arn = 'arn:aws-us-gov:cloudtrail:us-gov-west-1:123456789012:trail/t';
    writeFileSync(join(dir, 'member.yaml'), stringify({ ...GOOD, accounts: [{ accountId: '123456789012', regions: ['us-gov-west-1'], trails: [{ Trail: { ...TRAIL, TrailARN: arn, HomeRegion: 'us-gov-west-1' } }] }] }));
    writeFileSync(join(dir, 'archive.yaml'), stringify({ version: 1, accounts: [{ accountId: '210987654321', regions: ['us-gov-west-1'], trails: [] }], buckets: { logs: { Region: 'us-gov-west-1', Policy: null } } }));
    for (const order of [['member.yaml', 'archive.yaml'], ['archive.yaml', 'member.yaml']]) {
      const r = await cli(['scan', ...order.flatMap((f) => ['--snapshot', f]), '--only', 'bucket-delivery', '--format', 'json'], { cwd: dir });
      expect(r.code, r.stderr).to.equal(1);
      const [result] = JSON.parse(r.stdout).results;
      expect(result.message).to.include('has no bucket policy');
    }
  });

  it('epoch seconds past any date (1e400 reads as Infinity) are a delivery time that is no timestamp: error, not "no delivery"', async () => {
    const dir = tempDir();
    const trail = `{ Name: t, TrailARN: "${ARN}", HomeRegion: us-east-1, CloudWatchLogsLogGroupArn: "arn:aws:logs:us-east-1:123456789012:log-group:x" }`;
    writeFileSync(join(dir, 'inv.yaml'), `version: 1\ncollectedAt: 2026-11-20T02:00:00Z\naccounts:\n  - accountId: "123456789012"\n    regions: [us-east-1]\n    trails:\n      - Trail: ${trail}\n        Status: { IsLogging: true, LatestCloudWatchLogsDeliveryTime: 1.0e+400 }\n`);
    const r = await cli(['scan', '--snapshot', 'inv.yaml', '--only', 'cloudwatch-logs', '--format', 'json'], { cwd: dir });
    const [result] = JSON.parse(r.stdout).results;
    expect(result.status).to.equal('error');
    expect(result.message).to.equal(`cannot judge trail t: LatestCloudWatchLogsDeliveryTime "Infinity" is not a timestamp, so the age of the delivery cannot be judged (GetTrailStatus for ${ARN})`);
  });

  // Read as seconds, milliseconds became a year-58134 date that the message quoted, a value not in the file.
  it('a delivery time in epoch milliseconds is no timestamp, named as written; a fraction of a millisecond is cut, as in ISO', async () => {
    const dir = tempDir();
    const trail = `{ Name: t, TrailARN: "${ARN}", HomeRegion: us-east-1, CloudWatchLogsLogGroupArn: "arn:aws:logs:us-east-1:123456789012:log-group:x" }`;
    const judge = async (delivered: string) => {
      writeFileSync(join(dir, 'inv.yaml'), `version: 1\ncollectedAt: 2026-03-02T12:00:00Z\naccounts:\n  - accountId: "123456789012"\n    regions: [us-east-1]\n    trails:\n      - Trail: ${trail}\n        Status: { IsLogging: true, LatestCloudWatchLogsDeliveryTime: ${delivered} }\n`);
      const r = await cli(['scan', '--snapshot', 'inv.yaml', '--only', 'cloudwatch-logs', '--format', 'json'], { cwd: dir });
      return JSON.parse(r.stdout).results[0] as { status: string; message: string };
    };
    const millis = await judge('1772366400000');
    expect(millis.status).to.equal('error');
    expect(millis.message).to.include('LatestCloudWatchLogsDeliveryTime "1772366400000" is not a timestamp (it looks like milliseconds since the epoch');
    // 0.4 ms short of exactly 24 hours before collectedAt: too old in either form.
    expect((await judge('1772366399.9996')).status).to.equal('fail');
    expect((await judge('"2026-03-01T11:59:59.9996Z"')).status).to.equal('fail');
    expect((await judge('1772366400')).status).to.equal('pass');
  });

  it('collectedAt: a date alone or a time without zone is UTC; a day no calendar has is refused at its position', async () => {
    const dir = tempDir();
    const startOf = async (collectedAt: string) => {
      writeFileSync(join(dir, 'inv.yaml'), stringify({ ...GOOD, collectedAt }));
      const r = await cli(['scan', '--snapshot', 'inv.yaml', '--only', 'trails-per-region', '--format', 'json'], { cwd: dir });
      expect(r.code, r.stderr).to.equal(0);
      return JSON.parse(r.stdout).startTime;
    };
    expect(await startOf('2026-11-20T02:00:00')).to.equal('2026-11-20T02:00:00Z');
    expect(await startOf('2026-11-20')).to.equal('2026-11-20T00:00:00Z');
    expect(await startOf('2026-11-20T03:00:00+01:00')).to.equal('2026-11-20T02:00:00Z');
    writeFileSync(join(dir, 'inv.yaml'), `version: 1\ncollectedAt: "2026-13-45T01:00:00Z"\naccounts: []\n`);
    const bad = await cli(['scan', '--snapshot', 'inv.yaml'], { cwd: dir });
    expect(bad.code).to.equal(2);
    expect(bad.stderr).to.equal('trailgate: inv.yaml:2:14: invalid inventory: collectedAt "2026-13-45T01:00:00Z" is no real date and time; write it as 2026-11-20T02:00:00Z (at /collectedAt)\n');
  });

  it('SARIF says its columns are UTF-16 code units, as the positions are counted', async () => {
    const dir = tempDir();
    const inv = { ...GOOD, accounts: [{ ...GOOD.accounts[0], trails: [{ Trail: { ...TRAIL, Name: '😀😀😀' } }, { Trail: { ...TRAIL, Name: 'u', TrailARN: `${ARN}2` } }] }] };
    const text = JSON.stringify(inv);
    writeFileSync(join(dir, 'inv.json'), text);
    const r = await cli(['scan', '--snapshot', 'inv.json', '--only', 'trail-logging', '--format', 'sarif'], { cwd: dir });
    const run = JSON.parse(r.stdout).runs[0];
    expect(run.columnKind).to.equal('utf16CodeUnits');
    const second = run.results.find((x: { locations: { logicalLocations: { fullyQualifiedName: string }[] }[] }) => x.locations[0].logicalLocations[0].fullyQualifiedName === `${ARN}2`);
    expect(second.locations[0].physicalLocation.region).to.deep.equal({ startLine: 1, startColumn: text.indexOf('{"Trail":{"Name":"u"') + 1 });
  });

  it("a bucket's Region copied raw from GetBucketLocation is normalised as inventory.md says (null and \"\" us-east-1, EU eu-west-1)", () => {
    const text = `${stringify(GOOD)}buckets:\n  a: { Region: null }\n  b: { Region: "" }\n  c: { Region: EU }\n  d: { Region: eu-central-1 }\n  e: {}\n`;
    const { buckets } = parseInventory(text, 'i.yaml').inventory;
    expect(buckets).to.deep.equal({ a: { Region: 'us-east-1' }, b: { Region: 'us-east-1' }, c: { Region: 'eu-west-1' }, d: { Region: 'eu-central-1' }, e: {} });
  });

  it('a failed AssumeRole leaves the whole account unread even when the error names a region or the role', async () => {
    const dir = tempDir();
    const account = { accountId: '123456789012', regions: ['us-east-1'], trails: [] };
    const denied = { accountId: '123456789012', service: 'sts', operation: 'AssumeRole', code: 'AccessDenied', message: 'denied' };
    for (const extra of [{}, { region: 'us-east-1' }, { region: 'us-east-1', resource: 'arn:aws:iam::123456789012:role/Audit' }]) {
      writeFileSync(join(dir, 'inv.yaml'), stringify({ version: 1, collectedAt: GOOD.collectedAt, accounts: [account], errors: [{ ...denied, ...extra }] }));
      const r = await cli(['scan', '--snapshot', 'inv.yaml', '--format', 'json'], { cwd: dir });
      const summary = (JSON.parse(r.stdout) as { summary: Record<string, number> }).summary;
      expect(summary, JSON.stringify(extra)).to.include({ pass: 0, fail: 0 });
      expect(r.code, JSON.stringify(extra)).to.equal(3);
    }
  });
});
