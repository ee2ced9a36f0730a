/**
 * Bad input: exit 2 and one clear message naming the file, line and column (or pointer) and
 * what was expected. Never a stack trace, never a silent pass.
 */
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { expect } from 'chai';
import { cli, tempDir } from '../helpers/cli.ts';

const TRAIL = { Name: 't', TrailARN: 'arn:aws:cloudtrail:us-east-1:123456789012:trail/t', HomeRegion: 'us-east-1' };
const GOOD = { version: 1, accounts: [{ accountId: '123456789012', regions: ['us-east-1'], trails: [{ Trail: TRAIL }] }] };

function aliasBomb(): string {
  // Each level doubles the one before: 2^30 leaves if the parser expanded them all.
  const lines = ['a0: &a0 [x, x]'];
  for (let i = 1; i <= 30; i++) lines.push(`a${i}: &a${i} [*a${i - 1}, *a${i - 1}]`);
  return `version: 1\naccounts: []\nbomb:\n${lines.map((l) => `  ${l}`).join('\n')}\n`;
}

/** The same bomb of doubling levels, each level two mappings that merge the one before. */
function mergeBomb(): string {
  const lines = ['a0: &a0 {x: [x, x]}'];
  for (let i = 1; i <= 30; i++) lines.push(`a${i}: &a${i} {p: {<<: *a${i - 1}}, q: {<<: *a${i - 1}}}`);
  return `version: 1\naccounts: []\nbomb:\n${lines.map((l) => `  ${l}`).join('\n')}\n`;
}

/** An inventory whose one trail delivers to `bucket`, up to the line before a `buckets:` key. */
function bucketInventory(bucket: string): string {
  return `version: 1\naccounts:\n  - accountId: "123456789012"\n    regions: [us-east-1]\n    trails:\n      - Trail:\n          {Name: t, TrailARN: "arn:aws:cloudtrail:us-east-1:123456789012:trail/t", HomeRegion: us-east-1, S3BucketName: "${bucket}"}\n`;
}

interface BadCase {
  name: string;
  file: string;
  text: string;
  /** Expected on stderr, after `trailgate: `. */
  message: RegExp;
  args?: string[];
}

const CASES: BadCase[] = [
  { name: 'a literal JSON does not have', file: 'inv.json', text: '{\n  "version": 1,\n  "accounts": [\n    {"accountId": "123456789012", "regions": NaN}\n  ]\n}\n', message: /^inv\.json:4:46: invalid JSON: NaN is not a JSON value/ },
  { name: 'malformed JSON', file: 'inv.json', text: '{\n  "version": 1,\n  "accounts": [\n    {"accountId": "123456789012",,}\n  ]\n}\n', message: /^inv\.json:4:\d+: invalid JSON/ },
  { name: 'truncated JSON', file: 'inv.json', text: '{"version": 1, "accounts": [', message: /^inv\.json:1:29: invalid JSON: the document ends before it is complete$/ },
  { name: 'malformed YAML', file: 'inv.yaml', text: 'version: 1\naccounts:\n  - accountId: "1\n    regions: [\n', message: /^inv\.yaml:\d+:\d+: invalid YAML/ },
  { name: 'duplicate YAML key', file: 'inv.yaml', text: 'version: 1\nversion: 1\naccounts: []\n', message: /^inv\.yaml:2:1: invalid YAML: the key "version" is repeated in one mapping$/ },
  {
    name: 'a bucket named once as a number and once as the same digits quoted (the last silently won)',
    file: 'inv.yaml',
    text: `${bucketInventory('123456')}buckets:\n  123456: {Region: us-east-1, RequestPayer: Requester}\n  "123456": {Region: us-east-1, RequestPayer: BucketOwner, Policy: null}\n`,
    message: /^inv\.yaml:10:3: invalid YAML: the key "123456" is repeated in one mapping \(as 123456 and as "123456": keys are read as text\)$/,
  },
  { name: 'a list as a mapping key', file: 'inv.yaml', text: 'version: 1\naccounts: []\nbuckets:\n  ? [a, b]\n  : {Region: us-east-1}\n', message: /^inv\.yaml:4:5: invalid YAML: a mapping key must be a name, not a list$/ },
  { name: 'a mapping as a mapping key', file: 'inv.yaml', text: 'version: 1\naccounts: []\nbuckets:\n  ? {x: 1}\n  : {Region: us-east-1}\n', message: /^inv\.yaml:4:5: invalid YAML: a mapping key must be a name, not a mapping$/ },
  {
    name: 'a merge key (<<), which was kept as an unknown field while the trail lacked every merged field',
    file: 'inv.yaml',
    text: `version: 1\nsettings: &t {IsMultiRegionTrail: true, LogFileValidationEnabled: true}\naccounts:\n  - accountId: "123456789012"\n    regions: [us-east-1]\n    trails:\n      - Trail:\n          <<: *t\n          Name: t\n`,
    message: /^inv\.yaml:8:11: invalid YAML: merge keys \(<<\) are not supported; write the fields out in each mapping$/,
  },
  { name: 'a YAML alias bomb built of merge keys', file: 'inv.yaml', text: mergeBomb(), message: /^inv\.yaml:5:16: invalid YAML: merge keys/ },
  { name: 'an unknown tag, which was dropped for the bare value', file: 'inv.yaml', text: bucketInventory('b1').replace('S3BucketName: "b1"', 'S3BucketName: !Ref b1'), message: /^inv\.yaml:7:\d+: invalid YAML: the tag !Ref is not supported: .*resolves no tags/ },
  { name: 'a version tagged !!float', file: 'inv.yaml', text: 'version: !!float 1\naccounts: []\n', message: /^inv\.yaml:1:10: invalid YAML: the tag !!float does not fit its value; write the value without a tag$/ },
  { name: 'a version with a tag of its own', file: 'inv.yaml', text: 'version: !custom 1\naccounts: []\n', message: /^inv\.yaml:1:10: invalid YAML: the tag !custom is not supported/ },
  { name: 'a version tagged !!str says it is text', file: 'inv.yaml', text: 'version: !!str 1\naccounts: []\n', message: /^inv\.yaml:1:16: the inventory version is the text "1", not the number 1; write version: 1, without quotes or a tag \(at \/version\)$/ },
  { name: 'a quoted version says it is text', file: 'inv.json', text: '{"version": "1", "accounts": []}', message: /^inv\.json:1:13: the inventory version is the text "1", not the number 1/ },
  { name: 'a document that declares YAML 1.1', file: 'inv.yaml', text: '%YAML 1.1\n---\nversion: 1\naccounts: []\n', message: /^inv\.yaml:1:1: invalid YAML: the document declares %YAML 1\.1/ },
  { name: 'duplicate JSON key', file: 'inv.json', text: '{\n  "version": 1,\n  "accounts": [],\n  "version": 1\n}\n', message: /^inv\.json:4:3: invalid JSON: the key "version" is repeated in one object$/ },
  { name: 'empty file', file: 'inv.json', text: '', message: /^inv\.json:1:1: the inventory is empty/ },
  { name: 'whitespace only', file: 'inv.yaml', text: '\n\n   \n', message: /^inv\.yaml:1:1: the inventory is empty/ },
  { name: 'a list, not a mapping', file: 'inv.yaml', text: '- 1\n- 2\n', message: /^inv\.yaml:1:1: an inventory is a mapping/ },
  { name: 'wrong version', file: 'inv.yaml', text: 'version: 2\naccounts: []\n', message: /^inv\.yaml:1:10: unsupported inventory version 2; this trailgate reads version 1 \(at \/version\)/ },
  { name: 'a version too large for a number', file: 'inv.json', text: '{"version": 1e400, "accounts": []}', message: /^inv\.json:1:\d+: unsupported inventory version \(a number too large to hold\); this trailgate reads version 1/ },
  {
    name: 'a policy of the wrong type names every type it may have',
    file: 'inv.yaml',
    text: 'version: 1\naccounts: []\nbuckets:\n  b: { Region: us-east-1, Policy: 42 }\nerrors: [{ accountId: "123456789012", service: sts, operation: AssumeRole, code: AccessDenied }]\n',
    message: /^inv\.yaml:4:\d+: invalid inventory: must be of type string, object or null \(at \/buckets\/b\/Policy\)$/,
  },
  { name: 'missing version', file: 'inv.yaml', text: 'accounts: []\n', message: /^inv\.yaml:1:1: missing required key "version"/ },
  {
    name: 'schema violation deep inside',
    file: 'inv.json',
    text: JSON.stringify({ ...GOOD, accounts: [{ ...GOOD.accounts[0], trails: [{ Trail: { ...TRAIL, IsMultiRegionTrail: 'yes' } }] }] }, null, 2),
    message: /^inv\.json:\d+:\d+: invalid inventory: must be of type boolean \(at \/accounts\/0\/trails\/0\/Trail\/IsMultiRegionTrail\)/,
  },
  {
    name: 'a bucket ACL whose Grants is not a list of objects',
    file: 'inv.json',
    text: JSON.stringify({ ...GOOD, accounts: [{ ...GOOD.accounts[0], trails: [{ Trail: { ...TRAIL, S3BucketName: 'b' } }] }], buckets: { b: { Region: 'us-east-1', Acl: { Grants: [null] } } } }, null, 2),
    message: /^inv\.json:\d+:\d+: invalid inventory: must be of type object \(at \/buckets\/b\/Acl\/Grants\/0\)/,
  },
  {
    name: 'a key whose KeyMetadata.Arn is not a string',
    file: 'inv.yaml',
    text: 'version: 1\naccounts:\n  - { accountId: "123456789012", regions: [], trails: [] }\nkeys:\n  k:\n    KeyMetadata: { Arn: 5 }\n',
    message: /^inv\.yaml:6:25: invalid inventory: must be of type string: YAML reads it unquoted as the number 5; quote it to write it as text \(at \/keys\/k\/KeyMetadata\/Arn\)/,
  },
  { name: 'misspelt required envelope key', file: 'inv.yaml', text: 'version: 1\nacounts: []\n', message: /^inv\.yaml:2:1: invalid inventory: unknown key "acounts"; the required key "accounts" is missing/ },
  { name: 'misspelt Trail key', file: 'inv.json', text: '{"version": 1, "accounts": [{"accountId": "123456789012", "regions": ["us-east-1"],\n  "trails": [{"Trial": {}}]}]}', message: /^inv\.json:2:15: invalid inventory: unknown key "Trial"; the required key "Trail" is missing/ },
  { name: 'unknown envelope key', file: 'inv.yaml', text: 'version: 1\naccounts: []\nacounts: []\n', message: /^inv\.yaml:3:\d+: invalid inventory: unknown key "acounts"/ },
  { name: 'account id not 12 digits', file: 'inv.yaml', text: 'version: 1\naccounts:\n  - accountId: 12345\n    regions: []\n    trails: []\n', message: /^inv\.yaml:3:16: invalid inventory: must be of type string: quote it \("012345678901"\), as YAML reads bare digits as a number and drops leading zeros \(at \/accounts\/0\/accountId\)/ },
  { name: 'no accounts at all', file: 'inv.yaml', text: 'version: 1\naccounts: []\n', message: /^inv\.yaml:2:1: the inventory holds no accounts/ },
  { name: 'YAML alias bomb', file: 'inv.yaml', text: aliasBomb(), message: /^inv\.yaml:21:20: invalid YAML: at the alias \*a16 the document's aliases expand it past 1000000 values/ },
  { name: 'JSON nested too deeply to read', file: 'inv.json', text: `{"version":1,"accounts":[],"x":${'['.repeat(200000)}${']'.repeat(200000)}}`, message: /^inv\.json:1:(1: the JSON document nests too deeply|28: invalid inventory: unknown key "x")/ },
  { name: 'YAML nested too deeply to read', file: 'inv.yaml', text: `version: 1\naccounts: []\nx: ${'['.repeat(100000)}${']'.repeat(100000)}\n`, message: /^inv\.yaml:3:\d+: invalid YAML: the document nests too deeply to read/ },
  { name: 'unknown format', file: 'inv.json', text: JSON.stringify(GOOD), args: ['--format', 'html'], message: /^unknown format "html" in --format html; expected one of text, json, sarif, junit/ },
  { name: 'unknown severity for --fail-on', file: 'inv.json', text: JSON.stringify(GOOD), args: ['--fail-on', 'severe'], message: /option '--fail-on <severity>' argument 'severe' is invalid/ },
];

describe('bad input', () => {
  for (const c of CASES) {
    it(`${c.name}: exit 2 with a located message`, async () => {
      const dir = tempDir();
      writeFileSync(join(dir, c.file), c.text);
      const r = await cli(['scan', '--snapshot', c.file, ...(c.args ?? [])], { cwd: dir });
      expect(r.code, r.stderr).to.equal(2);
      expect(r.stdout).to.equal('');
      const lines = r.stderr.trimEnd().split('\n');
      expect(lines[0]).to.match(/^trailgate: /);
      expect(lines[0].replace(/^trailgate: /, '')).to.match(c.message);
      expect(r.stderr).to.not.match(/\n\s+at /, 'no stack trace');
    });
  }

  // A hand-assembled inventory with three slips: each named at its own line and column, in JSON
  // (located by trailgate's own pass over the text) as in YAML, the typo with the key it stands for.
  it('an inventory with several mistakes names each, in the file\'s order', async () => {
    const dir = tempDir();
    const trail = { Name: 't', TrailARN: 'arn:aws:cloudtrail:us-east-1:111122223333:trail/t', HomeRegion: 'us-east-1', IsMultiRegionTrail: 'yes' };
    const inventory = { version: 1, accounts: [{ accountId: '111122223333', regions: ['us-east-1'], trails: [{ Trail: trail, Stauts: { IsLogging: true } }] }, { accountId: '111122224444', regoins: [], trails: [] }] };
    writeFileSync(join(dir, 'inv.json'), JSON.stringify(inventory, null, 2));
    const r = await cli(['scan', '--snapshot', 'inv.json'], { cwd: dir });
    expect(r.code).to.equal(2);
    expect(r.stderr.trimEnd().split('\n')).to.deep.equal([
      'trailgate: inv.json:15:35: invalid inventory: must be of type boolean (at /accounts/0/trails/0/Trail/IsMultiRegionTrail)',
      'trailgate: inv.json:17:11: invalid inventory: unknown key "Stauts"; did you mean "Status"? (at /accounts/0/trails/0/Stauts)',
      'trailgate: inv.json:25:7: invalid inventory: unknown key "regoins"; the required key "regions" is missing (at /accounts/1/regoins)',
    ]);
  });

  // Eleven slips in one trail: the ten shown are the first as written (the object's missing key
  // before the values inside it, its fields in the file's order, not the schema's), one counted.
  it('an inventory trail with eleven mistakes lists the first ten as written, and counts one more', async () => {
    const dir = tempDir();
    const fields = ['IsOrganizationTrail: "no"', 'HasInsightSelectors: "no"', 'HasCustomEventSelectors: "no"', 'CloudWatchLogsRoleArn: 1', 'CloudWatchLogsLogGroupArn: 1', 'SnsTopicARN: 1', 'SnsTopicName: 1', 'KmsKeyId: 1', 'S3KeyPrefix: 1', 'S3BucketName: 1'];
    const text = `version: 1\naccounts:\n  - accountId: "123456789012"\n    regions: [us-east-1]\n    trails:\n      - Trail:\n          Name: t\n          HomeRegion: us-east-1\n${fields.map((f) => `          ${f}\n`).join('')}`;
    writeFileSync(join(dir, 'inv.yaml'), text);
    const r = await cli(['scan', '--snapshot', 'inv.yaml'], { cwd: dir });
    expect(r.code).to.equal(2);
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines).to.have.length(11);
    expect(lines[0]).to.equal('trailgate: inv.yaml:7:11: invalid inventory: missing required key "TrailARN" (at /accounts/0/trails/0/Trail)');
    expect(lines.slice(1, 10).map((l) => /\/Trail\/(\w+)\)$/.exec(l)?.[1])).to.deep.equal(fields.slice(0, 9).map((f) => f.split(':')[0]));
    expect(lines[10]).to.equal('trailgate: inv.yaml: 1 more problem not shown');
  });

  it('a missing file and a directory are named', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'sub'));
    const missing = await cli(['scan', '--snapshot', 'nope.json'], { cwd: dir });
    expect(missing.code).to.equal(2);
    expect(missing.stderr).to.equal('trailgate: nope.json: cannot read the inventory: no such file or directory\n');
    const directory = await cli(['scan', '--snapshot', 'sub'], { cwd: dir });
    expect(directory.stderr).to.equal('trailgate: sub: cannot read the inventory: is a directory, not an inventory file\n');
  });

  it('a path through a file, and a rule file that is a directory, are named in words, not errno codes', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'afile'), '');
    mkdirSync(join(dir, 'rules', 'x.yaml'), { recursive: true });
    const through = await cli(['scan', '--snapshot', 'afile/inv.json'], { cwd: dir });
    expect(through.stderr).to.equal('trailgate: afile/inv.json: cannot read the inventory: a part of the path is a file, not a directory\n');
    const rulesThrough = await cli(['scan', '--snapshot', 'inv.json', '--rules', 'afile/x.yaml'], { cwd: dir });
    expect(rulesThrough.stderr).to.equal('trailgate: afile/x.yaml: cannot read the rules: a part of the path is a file, not a directory\n');
    writeFileSync(join(dir, 'inv.json'), JSON.stringify({ version: 1, accounts: [{ accountId: '111122223333', regions: [], trails: [] }] }));
    const ruleDir = await cli(['scan', '--snapshot', 'inv.json', '--rules', 'rules'], { cwd: dir });
    expect(ruleDir.code).to.equal(2);
    expect(ruleDir.stderr).to.equal('trailgate: rules/x.yaml: cannot read the rule file: is a directory, not a rule file\n');
  });

  // A file name longer than the file system takes reached the user as the bare code, ENAMETOOLONG.
  it('a name too long for the file system is named in words too', async () => {
    const long = 'x'.repeat(300);
    for (const args of [['--snapshot', long], ['--snapshot', 'inv.json', '--baseline', long], ['--snapshot', 'inv.json', '--format', `json=${long}`]]) {
      const dir = tempDir();
      writeFileSync(join(dir, 'inv.json'), JSON.stringify(GOOD));
      const r = await cli(['scan', '--quiet', ...args], { cwd: dir });
      expect(r.code, r.stderr).to.equal(2);
      expect(r.stderr).to.match(new RegExp(`^trailgate: ${long}: cannot (read the inventory|read the baseline|write the report): the name is too long for the file system\n$`));
    }
  });

  // A config file can name a path with a NUL in it, which Node refuses as ERR_INVALID_ARG_VALUE.
  it('a name with a NUL character is named in words too', async () => {
    for (const [text, what] of [
      ['snapshots: ["a\\0b.yaml"]\n', 'the `snapshots` entry a\\x00b.yaml: cannot read the inventory'],
      ['baseline: "a\\0b.json"\n', 'the `baseline` file a\\x00b.json: cannot read the baseline'],
      // A report's file: written through a temporary file, whose open was taken for a bug (exit 70).
      ['formats: ["json=a\\0b.json"]\n', 'cannot write the report'],
    ]) {
      const dir = tempDir();
      writeFileSync(join(dir, 'inv.json'), JSON.stringify(GOOD));
      writeFileSync(join(dir, '.trailgate.yml'), text);
      const r = await cli(['scan', '--quiet', ...(text.startsWith('snapshots') ? [] : ['--snapshot', 'inv.json'])], { cwd: dir });
      expect(r.code, r.stderr).to.equal(2);
      expect(r.stderr).to.include(`${what}: the name holds a NUL character, which no file name can`);
    }
  });

  // Opening a socket gives ENXIO, which reached the user as the bare code.
  it('a socket is named in words too', async function () {
    if (process.platform === 'win32') this.skip();
    const dir = tempDir();
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(join(dir, 'inv.sock'), resolve));
    try {
      const r = await cli(['scan', '--snapshot', 'inv.sock'], { cwd: dir });
      expect(r.code).to.equal(2);
      expect(r.stderr).to.equal('trailgate: inv.sock: cannot read the inventory: nothing at the other end: it is not a file, and no process is reading or writing it\n');
    } finally {
      server.close();
    }
  });

  it('standard input given twice is named as such, not read as an empty inventory', async () => {
    const r = await cli(['scan', '--snapshot', '-', '--snapshot', '-'], { cwd: tempDir(), stdin: JSON.stringify(GOOD) });
    expect(r.code).to.equal(2);
    expect(r.stderr).to.equal('trailgate: --snapshot - is given more than once: standard input can be read only once\n');
  });

  it('an account in two merged inventories is an input error naming both files', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'a.json'), JSON.stringify(GOOD));
    writeFileSync(join(dir, 'b.yaml'), `# shard b\n${JSON.stringify(GOOD)}\n`);
    const r = await cli(['scan', '--snapshot', 'a.json', '--snapshot', 'b.yaml'], { cwd: dir });
    expect(r.code).to.equal(2);
    expect(r.stderr).to.match(/^trailgate: b\.yaml:2:\d+: account 123456789012 appears twice \(also in a\.json, line 1\)/);
  });

  it('one file given twice, however it is spelt, is read once, and named as reports name it', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'sub'));
    writeFileSync(join(dir, 'a.json'), JSON.stringify(GOOD));
    symlinkSync(join(dir, 'a.json'), join(dir, 'sub', 'link.json'));
    const once = await cli(['scan', '--snapshot', 'a.json', '--format', 'json'], { cwd: dir });
    for (const args of [['./sub/../a.json', 'a.json'], ['a.json', 'a.json'], ['sub/link.json', 'a.json']]) {
      const r = await cli(['scan', ...args.flatMap((f) => ['--snapshot', f]), '--format', 'json'], { cwd: dir });
      expect(r.stderr, args.join(' ')).to.equal('');
      expect(r.code, args.join(' ')).to.equal(once.code);
      const { inputs, results } = JSON.parse(r.stdout);
      expect(results, args.join(' ')).to.deep.equal(JSON.parse(once.stdout).results.map((x: { location: { file: string } }) => (args[0] === 'sub/link.json' ? { ...x, location: { ...x.location, file: 'sub/link.json' } } : x)));
      expect(inputs, args.join(' ')).to.deep.equal([args[0] === 'sub/link.json' ? 'sub/link.json' : 'a.json']);
    }
    // Messages name the file as the reports do.
    writeFileSync(join(dir, 'b.json'), JSON.stringify({ ...GOOD, version: 2 }));
    const bad = await cli(['scan', '--snapshot', './sub/../b.json'], { cwd: dir });
    expect(bad.stderr).to.match(/^trailgate: b\.json:1:12: unsupported inventory version 2/);
  });

  it('several files that hold no accounts are named in the sentence, not where a file and line go', async () => {
    const dir = tempDir();
    for (const f of ['a.json', 'b.json', 'c.json']) writeFileSync(join(dir, f), '{"version": 1, "accounts": []}');
    const two = await cli(['scan', '--snapshot', 'a.json', '--snapshot', 'b.json'], { cwd: dir });
    expect(two.code).to.equal(2);
    expect(two.stderr).to.equal('trailgate: the inventories a.json and b.json hold no accounts: there is nothing to judge\n');
    const three = await cli(['scan', '--snapshot', 'a.json', '--snapshot', 'b.json', '--snapshot', 'c.json'], { cwd: dir });
    expect(three.stderr).to.equal('trailgate: the inventories a.json, b.json and c.json hold no accounts: there is nothing to judge\n');
  });

  it('a bucket field that differs between merged inventories is an input error', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'a.json'), JSON.stringify({ ...GOOD, buckets: { logs: { Policy: null } } }));
    writeFileSync(join(dir, 'b.json'), JSON.stringify({ version: 1, accounts: [{ accountId: '210987654321', regions: [], trails: [] }], buckets: { logs: { Policy: '{}' } } }));
    const r = await cli(['scan', '--snapshot', 'a.json', '--snapshot', 'b.json'], { cwd: dir });
    expect(r.code).to.equal(2);
    expect(r.stderr).to.match(/^trailgate: b\.json:1:\d+: bucket logs holds a different Policy in a\.json \(line 1\);/);
  });

  it('control characters from the input are escaped in the error message, so it cannot forge a line or move the cursor', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'key.yaml'), 'version: 1\naccounts: []\n\x1b[2J\u202efoo: 1\n');
    writeFileSync(join(dir, 'token.json'), '{"version": 1, "accounts": [\x1b[31m\n::error::forged]}');
    const key = await cli(['scan', '--snapshot', 'key.yaml'], { cwd: dir });
    expect(key.code).to.equal(2);
    expect(key.stderr).to.equal('trailgate: key.yaml:3:1: invalid inventory: unknown key "\\x1b[2J\\u202efoo" (at /\\x1b[2J\\u202efoo)\n');
    const token = await cli(['scan', '--snapshot', 'token.json'], { cwd: dir });
    expect(token.code).to.equal(2);
    expect(token.stderr).to.equal('trailgate: token.json:1:29: invalid JSON: \\x1b is not a JSON value\n');
    expect(token.stderr.trimEnd().split('\n')).to.have.lengthOf(1);
    const named = await cli(['scan', '--snapshot', 'no\x1b[31m\nsuch.json'], { cwd: dir });
    expect(named.stderr).to.equal('trailgate: no\\x1b[31m\\nsuch.json: cannot read the inventory: no such file or directory\n');
    // A literal backslash sequence is doubled, so it cannot pass for an escaped control character.
    const literal = await cli(['scan', '--snapshot', 'no\\x1b[31m\\nsuch.json'], { cwd: dir });
    expect(literal.stderr).to.equal('trailgate: no\\\\x1b[31m\\\\nsuch.json: cannot read the inventory: no such file or directory\n');
    const flag = await cli(['scan', '--fail-on', 'x\x1b[2J\n::error::forged'], { cwd: dir });
    expect(flag.code).to.equal(2);
    expect(flag.stderr).to.match(/^trailgate: option '--fail-on <severity>' argument 'x\\x1b\[2J\\n::error::forged' is invalid/);
    expect(flag.stderr.trimEnd().split('\n')).to.have.lengthOf(1);
    const slashed = await cli(['scan', '--fail-on', 'x\\x1b'], { cwd: dir });
    expect(slashed.stderr).to.match(/^trailgate: option '--fail-on <severity>' argument 'x\\\\x1b' is invalid/);
  });

  it('bad flags are input errors, not crashes', async () => {
    const unknown = await cli(['scan', '--snapshott', 'x']);
    expect(unknown.code).to.equal(2);
    expect(unknown.stderr).to.match(/^trailgate: unknown option '--snapshott'/);
    const command = await cli(['scna']);
    expect(command.code).to.equal(2);
    // An option of a command written before it: where it goes, with the command the user named.
    const first = await cli(['--quiet', 'scan', '--snapshot', 'examples/organization.yaml']);
    expect(first.code).to.equal(2);
    expect(first.stderr).to.equal('trailgate: --quiet is an option of scan and snapshot: it goes after the command (trailgate scan --quiet ...)\n');
    const withValue = await cli(['--only', 'x', 'rules']);
    expect(withValue.stderr).to.equal('trailgate: --only is an option of scan and rules: it goes after the command (trailgate rules --only ...)\n');
    // A short option, and no command at all: the command that has it.
    expect((await cli(['-o', 'inventory.json', 'snapshot'])).stderr).to.equal('trailgate: -o is an option of snapshot: it goes after the command (trailgate snapshot -o ...)\n');
    expect((await cli(['--quiet'])).stderr).to.equal('trailgate: --quiet is an option of scan and snapshot: it goes after the command (trailgate scan --quiet ...)\n');
    expect((await cli(['--format=json', 'scan'])).stderr).to.equal('trailgate: --format is an option of scan and rules: it goes after the command (trailgate scan --format ...)\n');
    // Unknown to every command, or after the command: Commander's own words.
    expect((await cli(['--bogus', 'scan'])).stderr).to.match(/^trailgate: unknown option '--bogus' \(see trailgate --help\)\n$/);
    expect((await cli(['scan', '--quiet', '--bogus'])).stderr).to.match(/^trailgate: unknown option '--bogus'/);
    // After a command that lacks it, an option of another command is not misplaced: Commander's own words.
    expect((await cli(['rules', '--snapshot', 'examples/organization.yaml'])).stderr).to.match(/^trailgate: unknown option '--snapshot' \(see trailgate --help\)\n$/);
    // Before a command that lacks it too: 'it goes after the command (trailgate scan --no-color ...)' sent a `rules` user to scan.
    expect((await cli(['--no-color', 'rules'])).stderr).to.match(/^trailgate: unknown option '--no-color' \(see trailgate --help\)\n$/);
    const noFile = await cli(['scan', '--snapshot', 'examples/organization.yaml', '--format', 'json=']);
    expect(noFile.code).to.equal(2);
    expect(noFile.stderr).to.include('names no file');
  });
});
