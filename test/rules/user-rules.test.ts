/** Rules a user writes in YAML, without TypeScript: the README's examples, run through the CLI. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { cli, REPO, tempDir } from '../helpers/cli.ts';

const RULES = join(REPO, 'test/fixtures/user-rules');

function trail(name: string, extra: Record<string, unknown> = {}) {
  return { Trail: { Name: name, TrailARN: `arn:aws:cloudtrail:us-east-1:123456789012:trail/${name}`, HomeRegion: 'us-east-1', ...extra } };
}

describe('user rules', () => {
  // The trail's Status could not be read, so whether the `where` holds is unknown; its check holds
  // either way, so the pass stands, but it said "no trail applies", which nothing showed.
  it('an every rule whose where is unreadable for a trail that qualifies anyway says so, not that no trail applies', async () => {
    const dir = tempDir();
    const rule = 'id: logged-trails-validate\ntitle: t\nseverity: high\nscope: account\ndescription: d\nremediation: { text: fix it }\nreads: [Trail, Status]\nevery:\n  where: { Status.IsLogging: { const: true } }\n  check: { Trail.LogFileValidationEnabled: { const: true } }\n';
    writeFileSync(join(dir, 'rule.yaml'), rule);
    const arn = 'arn:aws:cloudtrail:us-east-1:123456789012:trail/t1';
    const inv = {
      version: 1,
      accounts: [{ accountId: '123456789012', regions: ['us-east-1'], trails: [trail('t1', { LogFileValidationEnabled: true })] }],
      errors: [{ accountId: '123456789012', region: 'us-east-1', service: 'cloudtrail', operation: 'GetTrailStatus', resource: arn, code: 'AccessDenied', message: 'denied' }],
    };
    writeFileSync(join(dir, 'inv.json'), JSON.stringify(inv));
    const r = await cli(['scan', '--snapshot', 'inv.json', '--rules', 'rule.yaml', '--no-builtin-rules', '--format', 'json'], { cwd: dir });
    const [result] = JSON.parse(r.stdout).results as { status: string; message: string }[];
    expect(result).to.include({
      status: 'pass',
      message: 'no trail is known to apply to account 123456789012; the one trail that may apply (whether it does could not be read) qualifies anyway',
    });
  });

  // `length` after a list is its number of elements: the only way a message can say how many.
  it("read a list's length, in a check and in a message", async () => {
    const dir = tempDir();
    const rule =
      'id: few-selectors\ntitle: t\nseverity: low\nscope: trail\ndescription: d\nremediation: { text: fix it }\nreads: [Trail, EventSelectors]\n' +
      'check:\n  EventSelectors.length: { maximum: 1 }\nmessage:\n  fail: "{EventSelectors.length} selectors"\n  pass: "{EventSelectors.length} selector"\n';
    writeFileSync(join(dir, 'rule.yaml'), rule);
    const selector = { ReadWriteType: 'All', IncludeManagementEvents: true };
    const inv = {
      version: 1,
      accounts: [{ accountId: '123456789012', regions: ['us-east-1'], trails: [{ ...trail('one'), EventSelectors: [selector] }, { ...trail('two'), EventSelectors: [selector, selector] }] }],
    };
    writeFileSync(join(dir, 'inv.json'), JSON.stringify(inv));
    const r = await cli(['scan', '--snapshot', 'inv.json', '--rules', 'rule.yaml', '--no-builtin-rules', '--format', 'json'], { cwd: dir });
    expect(r.code, r.stderr).to.equal(1);
    const results = (JSON.parse(r.stdout).results as { status: string; message: string }[]).map((x) => [x.status, x.message]);
    expect(results).to.deep.equal([
      ['pass', '1 selector'],
      ['fail', '2 selectors'],
    ]);
  });

  it('run beside the built-in rules from a directory, and alone with --no-builtin-rules', async () => {
    const dir = tempDir();
    const inv = {
      version: 1,
      accounts: [
        {
          accountId: '123456789012',
          regions: ['us-east-1'],
          trails: [
            trail('central', { S3BucketName: 'acme-org-trail-logs', CloudWatchLogsLogGroupArn: 'arn:aws:logs:us-east-1:123456789012:log-group:ct' }),
            trail('stray', { S3BucketName: 'somewhere-else' }),
            trail('third'),
            trail('fourth', { S3BucketName: 'acme-org-trail-logs' }),
          ],
        },
      ],
    };
    writeFileSync(join(dir, 'inv.json'), JSON.stringify(inv));
    const r = await cli(['scan', '--snapshot', 'inv.json', '--rules', RULES, '--no-builtin-rules', '--format', 'json'], { cwd: dir });
    const report = JSON.parse(r.stdout);
    const byRule = (id: string) =>
      Object.fromEntries(report.results.filter((x: { ruleId: string }) => x.ruleId === id).map((x: { name?: string; region?: string; status: string }) => [x.name ?? x.region, x.status]));
    expect(byRule('central-bucket')).to.deep.equal({ central: 'pass', stray: 'fail', third: 'fail', fourth: 'pass' });
    expect(byRule('cloudwatch-group')).to.deep.equal({ central: 'pass', stray: 'fail', third: 'fail', fourth: 'fail' });
    expect(byRule('three-trails-per-region')).to.deep.equal({ 'us-east-1': 'fail' });
    expect(report.rules.map((x: { id: string }) => x.id)).to.deep.equal(['central-bucket', 'cloudwatch-group', 'three-trails-per-region']);
    const stray = report.results.find((x: { ruleId: string; name?: string }) => x.ruleId === 'cloudwatch-group' && x.name === 'stray');
    expect(stray.message).to.equal('trail stray sends no events to CloudWatch Logs');
    expect(r.code).to.equal(1);

    const both = await cli(['scan', '--snapshot', 'inv.json', '--rules', join(RULES, 'central-bucket.yaml'), '--format', 'json'], { cwd: dir });
    const ids = new Set(JSON.parse(both.stdout).rules.map((x: { id: string }) => x.id));
    expect(ids.has('central-bucket') && ids.has('multi-region-trail')).to.equal(true);
  });

  it("apply a region or account rule's own where to the regions or accounts it chooses", async () => {
    const dir = tempDir();
    const arn = (account: string, region: string, name: string) => `arn:aws:cloudtrail:${region}:${account}:trail/${name}`;
    const inv = {
      version: 1,
      accounts: [
        {
          accountId: '123456789012',
          regions: ['us-east-1', 'eu-west-1', 'eu-central-1'],
          trails: [
            { Trail: { Name: 'use1', TrailARN: arn('123456789012', 'us-east-1', 'use1'), HomeRegion: 'us-east-1', IsMultiRegionTrail: false } },
            { Trail: { Name: 'euw1', TrailARN: arn('123456789012', 'eu-west-1', 'euw1'), HomeRegion: 'eu-west-1', IsMultiRegionTrail: false } },
            { Trail: { Name: 'euw1-b', TrailARN: arn('123456789012', 'eu-west-1', 'euw1-b'), HomeRegion: 'eu-west-1', IsMultiRegionTrail: false } },
            { Trail: { Name: 'tmp-use1', TrailARN: arn('123456789012', 'us-east-1', 'tmp-use1'), HomeRegion: 'us-east-1', IsMultiRegionTrail: false } },
          ],
        },
        { accountId: '210987654321', regions: ['us-east-1'], trails: [] },
      ],
    };
    writeFileSync(join(dir, 'inv.json'), JSON.stringify(inv));
    const r = await cli(['scan', '--snapshot', 'inv.json', '--rules', join(RULES, 'where'), '--no-builtin-rules', '--format', 'json'], { cwd: dir });
    const report = JSON.parse(r.stdout);
    const by = (id: string) =>
      Object.fromEntries(
        report.results.filter((x: { ruleId: string }) => x.ruleId === id).map((x: { accountId: string; region?: string; status: string; message: string }) => [x.region ? `${x.accountId}/${x.region}` : x.accountId, [x.status, x.message]]),
      );
    expect(by('eu-regions-multi-region')).to.deep.equal({
      '123456789012/us-east-1': ['skipped', 'not applicable: us-east-1 is outside the EU'],
      '123456789012/eu-west-1': [
        'fail',
        '123456789012/eu-west-1: 2 trails do not qualify: euw1 (facts.multiRegion is false; expected true); euw1-b (facts.multiRegion is false; expected true)',
      ],
      '123456789012/eu-central-1': ['pass', 'no trail applies to account 123456789012 in eu-central-1, so none fails'],
      '210987654321/us-east-1': ['skipped', 'not applicable: us-east-1 is outside the EU'],
    });
    // One skipped template per where condition; a condition without one keeps trailgate's words.
    const byName = Object.fromEntries(
      report.results.filter((x: { ruleId: string }) => x.ruleId === 'home-validation').map((x: { name: string; status: string; message: string }) => [x.name, [x.status, x.message]]),
    );
    expect(byName).to.deep.equal({
      use1: ['fail', 'Trail.LogFileValidationEnabled is absent'],
      euw1: ['skipped', 'not applicable: trail euw1 lives in eu-west-1'],
      'euw1-b': ['skipped', 'not applicable: trail euw1-b lives in eu-west-1'],
      'tmp-use1': ['skipped', 'not applicable: Trail.Name is "tmp-use1"; expected it not to match {"pattern":"^tmp-"}'],
    });
    expect(by('audited-accounts-sns')).to.deep.equal({
      '123456789012': ['skipped', 'not applicable: accountId is "123456789012"; expected one of "210987654321"'],
      '210987654321': ['fail', 'no trail applies to account 210987654321'],
    });
  });

  it('refuse, at file, line and column, what would otherwise be silently ignored', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'inv.json'), JSON.stringify({ version: 1, accounts: [] }));
    const head = 'id: my-rule\ntitle: A rule\nseverity: low\ndescription: Something.\nremediation: { text: Fix it. }\n';
    const cases: [string, string, RegExp][] = [
      [
        'a trail path in a region rule\'s own where',
        head + 'scope: region\nreads: [Trail]\nwhere:\n  Trail.Name: { const: x }\ncount: { max: 1 }\n',
        /^r\.yaml:9:3: in a region rule, "where" chooses regions and may only name accountId or region; to filter trails, put the condition in count's own "where"/,
      ],
      [
        'a "?" on region in a region rule\'s own where, which is always there',
        head + 'scope: region\nreads: [Trail]\nwhere:\n  region?: { pattern: "^eu-" }\ncount: { max: 1 }\n',
        /^r\.yaml:9:3: region is always there in a region rule, so it takes no "\?": write "region:"/,
      ],
      [
        'a misspelt accountId in an account rule\'s own where',
        head + 'scope: account\nreads: [Trail]\nwhere:\n  accountID: { const: "123456789012" }\ncount: { max: 1 }\n',
        /^r\.yaml:9:3: in an account rule, "where" chooses accounts and may only name accountId \(did you mean accountId\?\)/,
      ],
      [
        'a misspelt region in an account rule\'s own where, which has no region to choose',
        head + 'scope: account\nreads: [Trail]\nwhere:\n  regoin: { const: us-east-1 }\ncount: { max: 1 }\n',
        /^r\.yaml:9:3: in an account rule, "where" chooses accounts and may only name accountId; to filter trails, put the condition in count's own "where"/,
      ],
      ['a misspelt required key', head + 'scope: trail\nraeds: [Trail]\ncheck: { Trail.Name: { const: x } }\n', /^r\.yaml:7:1: invalid rule: unknown key "raeds"; the required key "reads" is missing/],
      [
        'a misspelt parameter placeholder',
        head + 'scope: trail\nparameters: { max: { type: integer, default: 1 } }\nreads: [Trail]\ncheck: { Trail.Name: { const: x } }\nmessage: { fail: "{Trail.Name} over {param.mx}" }\n',
        /^r\.yaml:10:\d+: the placeholder \{param\.mx\} names no parameter of this rule; it takes \{param\.max\}/,
      ],
      [
        'a trail placeholder in an account rule',
        head + 'scope: account\nreads: [Trail]\nsome: { check: { Trail.Name: { const: x } } }\nmessage: { fail: "{Trail.Name} is missing" }\n',
        /^r\.yaml:9:\d+: the placeholder \{Trail\.Name\} is never filled in the fail message of a some rule; it may use \{accountId\}, \{reason\}, \{param\.NAME\}/,
      ],
      [
        'a verdict placeholder the outcome never fills ({count} and {trails} when some fails)',
        head + 'scope: account\nreads: [Trail]\nsome: { check: { Trail.Name: { const: x } } }\nmessage: { fail: "{count} bad {trails}" }\n',
        /^r\.yaml:9:\d+: the placeholder \{count\} is never filled in the fail message of a some rule/,
      ],
      [
        '{trail} in the fail message of a some rule',
        head + 'scope: account\nreads: [Trail]\nsome: { check: { Trail.Name: { const: x } } }\nmessage: { fail: "bad {trail}" }\n',
        /^r\.yaml:9:\d+: the placeholder \{trail\} is never filled in the fail message of a some rule/,
      ],
      [
        '{count} in an every rule',
        head + 'scope: region\nreads: [Trail]\nevery: { check: { Trail.Name: { const: x } } }\nmessage: { fail: "{count} trails, {trails}" }\n',
        /^r\.yaml:9:\d+: the placeholder \{count\} is never filled in the fail message of an every rule; it may use \{accountId\}, \{region\}, \{trails\}/,
      ],
      [
        '{trail} in a none rule, whose article is "a" ("an" goes before every only)',
        head + 'scope: account\nreads: [Trail]\nnone: { check: { Trail.Name: { const: x } } }\nmessage: { fail: "bad {trail}" }\n',
        /^r\.yaml:9:\d+: the placeholder \{trail\} is never filled in the fail message of a none rule; it may use \{accountId\}, \{trails\}/,
      ],
      [
        'a skipped message in a rule without a where',
        head + 'scope: trail\nreads: [Trail]\ncheck: { Trail.Name: { const: x } }\nmessage:\n  skipped: never shown\n',
        /^r\.yaml:10:3: a skipped message is never shown: only a rule with a "where" skips subjects/,
      ],
      [
        'a skipped message for a condition the where does not have',
        head + 'scope: trail\nreads: [Trail]\nwhere: { Trail.HomeRegion?: { const: us-east-1 } }\ncheck: { Trail.Name: { const: x } }\nmessage:\n  skipped:\n    Trail.HomeRegoin: elsewhere\n',
        /^r\.yaml:12:5: "Trail\.HomeRegoin" is not a condition of this rule's "where"; it has "Trail\.HomeRegion"/,
      ],
      [
        'a fail message per condition in a quantifier rule',
        head + 'scope: account\nreads: [Trail]\nsome: { check: { Trail.Name: { const: x } } }\nmessage:\n  fail:\n    Trail.Name: wrong name\n',
        /^r\.yaml:10:3: a fail message per condition needs a "check" rule; a some rule takes one fail template/,
      ],
      [
        'a fail message for a condition the check does not have',
        head + 'scope: trail\nreads: [Trail]\ncheck: { Trail.Name: { const: x } }\nmessage:\n  fail:\n    Trail.Nmae: wrong name\n',
        /^r\.yaml:11:5: "Trail\.Nmae" is not a condition of this rule's "check"; it has "Trail\.Name"/,
      ],
      [
        'reasons in a check rule',
        head + 'scope: trail\nreads: [Trail]\ncheck: { Trail.Name: { const: x } }\nmessage:\n  reasons:\n    Trail.Name: wrong name\n',
        /^r\.yaml:10:3: "reasons" word why a trail does not qualify in a some or every rule; a check rule gives "fail" per condition instead/,
      ],
      [
        'a reason for a condition the quantifier does not check, and a placeholder no trail has',
        head + 'scope: account\nreads: [Trail]\nsome: { check: { Trail.Name: { const: x } } }\nmessage:\n  reasons:\n    Trail.Name: "{Trial.Name} is wrong"\n',
        /^r\.yaml:11:\d+: the placeholder \{Trial\.Name\}/,
      ],
      [
        'reasons in a none rule, where a matching trail misses no condition',
        head + 'scope: account\nreads: [Trail]\nnone: { check: { Trail.Name: { const: x } } }\nmessage:\n  reasons:\n    Trail.Name: named x\n',
        /^r\.yaml:10:3: "reasons" word why a trail does not qualify in a some or every rule; a none rule lists no reasons/,
      ],
      [
        'a template in a builtin rule, which words its own verdicts',
        head + 'scope: trail\nreads: [Trail, Bucket, Bucket.Policy, Bucket.Acl, Bucket.PolicyStatus]\nbuiltin: bucket-not-public\nmessage:\n  fail: mine\n',
        /^r\.yaml:10:3: a builtin rule words its own verdicts, so message\.fail would never be shown/,
      ],
      [
        'one condition keyed twice, with and without its ?',
        head + 'scope: trail\nreads: [Trail]\ncheck: { Trail.Name?: { const: x } }\nmessage:\n  fail:\n    Trail.Name: a\n    Trail.Name?: b\n',
        /^r\.yaml:12:5: "Trail\.Name\?" names the condition Trail\.Name a second time/,
      ],
      [
        'a command per condition in a quantifier rule',
        'id: my-rule\ntitle: A rule\nseverity: low\ndescription: Something.\nremediation:\n  text: Fix it.\n  cli: { Trail.Name: aws fix }\nscope: account\nreads: [Trail]\nsome: { check: { Trail.Name: { const: x } } }\n',
        /^r\.yaml:7:\d+: a command per condition needs a "check" rule; a some rule takes one command/,
      ],
      [
        'a command for a kind of failure the built-in does not name',
        'id: my-rule\ntitle: A rule\nseverity: low\ndescription: Something.\nremediation:\n  text: Fix it.\n  cli:\n    RequesterPay: aws fix\nscope: trail\nreads: [Trail, Status, Bucket, Bucket.Policy, Bucket.RequestPayer, Key]\nbuiltin: bucket-delivery\n',
        /^r\.yaml:8:5: "RequesterPay" is not a kind of failure of the built-in bucket-delivery; it names "NoSuchBucket", "NoSuchBucketForKey", "RequesterPays", "BucketPolicy"/,
      ],
      [
        "a command for another built-in's kind of failure",
        'id: my-rule\ntitle: A rule\nseverity: low\ndescription: Something.\nremediation:\n  text: Fix it.\n  cli: { BucketPolicy: aws fix }\nscope: trail\nreads: [Trail, Bucket, Bucket.Acl, Bucket.Policy]\nbuiltin: bucket-not-public\n',
        /^r\.yaml:7:\d+: "BucketPolicy" is not a kind of failure of the built-in bucket-not-public; it names "PublicAcl", "PublicPolicy"/,
      ],
      [
        'a misspelt placeholder in the command for a kind of failure',
        'id: my-rule\ntitle: A rule\nseverity: low\ndescription: Something.\nremediation:\n  text: Fix it.\n  cli:\n    RequesterPays: aws s3api put-bucket-request-payment --bucket {Bukcet.Name}\nscope: trail\nreads: [Trail, Status, Bucket, Bucket.Policy, Bucket.RequestPayer, Key]\nbuiltin: bucket-delivery\n',
        /^r\.yaml:8:\d+: the placeholder \{Bukcet\.Name\}: unknown path "Bukcet\.Name"/,
      ],
      [
        'a command for a condition the check does not have',
        'id: my-rule\ntitle: A rule\nseverity: low\ndescription: Something.\nremediation:\n  text: Fix it.\n  cli:\n    Trail.Nmae: aws fix\nscope: trail\nreads: [Trail]\ncheck: { Trail.Name: { const: x } }\n',
        /^r\.yaml:8:5: "Trail\.Nmae" is not a condition of this rule's "check"; it has "Trail\.Name"/,
      ],
      ['an empty skipped template', head + 'scope: trail\nreads: [Trail]\nwhere: { Trail.Name: { const: x } }\ncheck: { Trail.Name: { const: x } }\nmessage:\n  skipped: ""\n', /^r\.yaml:11:\d+: invalid rule: .*fewer than 1 characters/],
      ['an empty fail map', head + 'scope: trail\nreads: [Trail]\ncheck: { Trail.Name: { const: x } }\nmessage:\n  fail: {}\n', /^r\.yaml:10:\d+: invalid rule: .*fewer than 1 properties/],
      [
        'a misspelt placeholder in a skipped message',
        head + 'scope: region\nreads: [Trail]\nwhere: { region: { const: us-east-1 } }\ncount: { max: 1 }\nmessage:\n  skipped: "{regoin} is out of scope"\n',
        /^r\.yaml:11:\d+: the placeholder \{regoin\} is never filled in the skipped message of a count rule; it may use \{accountId\}, \{region\}, \{reason\}, \{param\.NAME\}/,
      ],
      ['a recursive reference in a check', head + 'scope: trail\nreads: [Trail]\ncheck:\n  Trail.Name: { $ref: "#" }\n', /^r\.yaml:9:3: invalid JSON Schema: "\$ref" is not supported in checks; write the schema it names out in its place/],
      [
        'a reference under a property named like a data keyword',
        head + 'scope: trail\nreads: [Trail]\ncheck:\n  Trail:\n    dependencies:\n      enum: { $ref: "#" }\n',
        /^r\.yaml:9:3: invalid JSON Schema: "\$ref" is not supported in checks/,
      ],
      // An async validator answers a promise, which is truthy: every trail would pass, and the rejection would end the process.
      ['an async schema in a check', head + 'scope: trail\nreads: [Trail]\ncheck:\n  Trail.Name: { $async: true, const: x }\n', /^r\.yaml:9:3: invalid JSON Schema: "\$async" is not supported in checks; a check is synchronous/],
      ['a string format in a check', head + 'scope: trail\nreads: [Trail]\ncheck:\n  Trail.Name: { type: string, format: email }\n', /^r\.yaml:9:31: invalid JSON Schema: "format": "email" is not supported in checks; match the text with "pattern" instead/],
      ['a check path with a space', head + 'scope: trail\nreads: [Trail]\ncheck:\n  Trail Name: { const: x }\n', /^r\.yaml:9:3: invalid rule: the key "Trail Name" must be a path of names joined by dots, such as Trail\.S3BucketName, optionally ending in \?/],
      ['a second YAML document', head + 'scope: trail\nreads: [Trail]\ncheck: { Trail.Name: { const: x } }\n---\nid: other\n', /^r\.yaml:9:1: invalid YAML: a second document starts here/],
    ];
    for (const [name, text, message] of cases) {
      writeFileSync(join(dir, 'r.yaml'), text);
      const r = await cli(['scan', '--snapshot', 'inv.json', '--rules', 'r.yaml', '--no-builtin-rules'], { cwd: dir });
      expect(r.code, name).to.equal(2);
      expect(r.stderr.replace(/^trailgate: /, ''), name).to.match(message);
      expect(r.stderr.trim().split('\n'), name).to.have.length(1);
    }
  });

  // A condition that says nothing (`true`) is told in its own words, beside the schema's other finds.
  it('name a vacuous condition beside the rule file\'s mistakes against the schema', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'inv.json'), JSON.stringify({ version: 1, accounts: [] }));
    writeFileSync(join(dir, 'r.yaml'), 'id: my-rule\ntitle: A rule\nseverity: loud\nscope: trail\ndescription: d\nremediation: { text: t }\nreads: [Trail]\ncheck:\n  Trail.IsMultiRegionTrail: true\n');
    const r = await cli(['scan', '--snapshot', 'inv.json', '--rules', 'r.yaml', '--no-builtin-rules'], { cwd: dir });
    expect(r.code).to.equal(2);
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines).to.have.length(2);
    expect(lines[0]).to.equal('trailgate: r.yaml:3:11: invalid rule: must be one of "critical", "high", "medium", "low", "info" (at /severity)');
    expect(lines[1]).to.match(/^trailgate: r\.yaml:9:29: Trail\.IsMultiRegionTrail: true is the JSON Schema that every value satisfies, .*write \{ const: true \} \(at \/check\/Trail\.IsMultiRegionTrail\)$/);
  });

  // A rule written by hand often has more than one slip: each is named, so one edit fixes them all.
  it('name every mistake of a rule file the schema finds, each at its line and column, misspelt keys with the key they stand for', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'inv.json'), JSON.stringify({ version: 1, accounts: [] }));
    writeFileSync(join(dir, 'r.yaml'), 'id: my-rule\ntitle: 3\nseverty: low\ndescription: Something.\nremediation: { text: Fix it. }\nscope: trial\nraeds: [Trail]\ncheck: { Trail.Name: { const: x } }\n');
    const r = await cli(['scan', '--snapshot', 'inv.json', '--rules', 'r.yaml', '--no-builtin-rules'], { cwd: dir });
    expect(r.code).to.equal(2);
    expect(r.stderr.trimEnd().split('\n')).to.deep.equal([
      'trailgate: r.yaml:2:8: invalid rule: must be of type string: YAML reads it unquoted as the number 3; quote it to write it as text (at /title)',
      'trailgate: r.yaml:3:1: invalid rule: unknown key "severty"; the required key "severity" is missing (at /severty)',
      'trailgate: r.yaml:6:8: invalid rule: must be one of "trail", "region", "account" (at /scope)',
      'trailgate: r.yaml:7:1: invalid rule: unknown key "raeds"; the required key "reads" is missing (at /raeds)',
    ]);
  });

  describe('mistakes against the rule schema, told as a user reads them', () => {
    const scan = async (name: string, text: string) => {
      const dir = tempDir();
      writeFileSync(join(dir, 'inv.json'), JSON.stringify({ version: 1, accounts: [] }));
      writeFileSync(join(dir, name), text);
      const r = await cli(['scan', '--snapshot', 'inv.json', '--rules', name, '--no-builtin-rules'], { cwd: dir });
      expect(r.code).to.equal(2);
      return r.stderr.trimEnd().split('\n');
    };
    const BODY = 'scope: trail\ndescription: d\nremediation: { text: t }\n';

    it('a misspelt key is told with the key it stands for, and another missing key on its own', async () => {
      expect(await scan('r.yaml', `id: my-rule\nseverty: low\n${BODY}reads: [Trail]\ncheck: { Trail.Name: { const: x } }\n`)).to.deep.equal([
        'trailgate: r.yaml:1:1: invalid rule: missing required key "title"',
        'trailgate: r.yaml:2:1: invalid rule: unknown key "severty"; the required key "severity" is missing (at /severty)',
      ]);
    });

    // One unknown key beside one missing key is likely a rename; of two unknown keys, neither is.
    it('two unknown keys beside one missing key: none is taken for the missing one', async () => {
      expect(await scan('r.yaml', `id: my-rule\ntitle: A rule\nseverity: low\n${BODY}owner: me\nauthor: me\ncheck: { Trail.Name: { const: x } }\n`)).to.deep.equal([
        'trailgate: r.yaml:1:1: invalid rule: missing required key "reads"',
        'trailgate: r.yaml:7:1: invalid rule: unknown key "owner" (at /owner)',
        'trailgate: r.yaml:8:1: invalid rule: unknown key "author" (at /author)',
      ]);
    });

    // "scope" is written already: renaming "sope" to it would repeat it, so only "some" is meant.
    it('an unknown key as near to two keys names the one not written yet', async () => {
      expect(await scan('r.yaml', `id: my-rule\ntitle: A rule\nseverity: low\n${BODY.replace('trail', 'account')}reads: [Trail]\nsope:\n  check: { Trail.Name: { const: x } }\n`)).to.deep.equal([
        'trailgate: r.yaml:8:1: invalid rule: unknown key "sope"; did you mean "some"? (at /sope)',
      ]);
    });

    // A rule file a tool writes as JSON on one line: the mistakes by column, the condition that
    // says nothing in its place among them, not first.
    it('a rule on one line: its mistakes in the order of their columns', async () => {
      const rule = { id: 'my-rule', title: 'A rule', severity: 'loud', scope: 'trail', description: 'd', remediation: { text: 't' }, reads: ['Trail'], check: { 'Trail.IsMultiRegionTrail': true } };
      const lines = await scan('r.json', JSON.stringify(rule));
      expect(lines).to.have.length(2);
      expect(lines[0]).to.equal('trailgate: r.json:1:45: invalid rule: must be one of "critical", "high", "medium", "low", "info" (at /severity)');
      expect(lines[1]).to.match(/^trailgate: r\.json:1:\d+: Trail\.IsMultiRegionTrail: true is the JSON Schema that every value satisfies/);
    });

    // The ten shown are the first ten in the file: a condition that says nothing, written after
    // ten other mistakes, is among the "more", not shown in place of the tenth.
    it('a condition that says nothing after ten other mistakes: the first ten shown, it among the rest counted', async () => {
      const fields = ['Name', 'HomeRegion', 'S3BucketName', 'S3KeyPrefix', 'KmsKeyId', 'SnsTopicName', 'SnsTopicARN', 'CloudWatchLogsLogGroupArn', 'CloudWatchLogsRoleArn', 'TrailARN', 'IsOrganizationTrail'];
      const lines = await scan('r.yaml', `id: my-rule\ntitle: A rule\nseverity: low\n${BODY}reads: [Trail]\ncheck:\n${fields.map((f) => `  Trail.${f}: x\n`).join('')}  Trail.IsMultiRegionTrail: {}\n`);
      expect(lines).to.have.length(11);
      expect(lines[0]).to.equal('trailgate: r.yaml:9:15: invalid rule: must be of type object (at /check/Trail.Name)');
      expect(lines[9]).to.equal('trailgate: r.yaml:18:19: invalid rule: must be of type object (at /check/Trail.TrailARN)');
      expect(lines[10]).to.equal('trailgate: r.yaml: 2 more problems not shown');
    });

    // The rule schema lets {} by (a condition is an object), so it is named before the rule is compiled.
    it('a condition {} is told as saying nothing, before what compiling the rule would find', async () => {
      const lines = await scan('r.yaml', `id: my-rule\ntitle: A rule\nseverity: low\n${BODY}reads: [Trail]\ncheck:\n  Status.IsLogging: {}\n`);
      expect(lines).to.have.length(1);
      expect(lines[0]).to.match(/^trailgate: r\.yaml:9:21: Status\.IsLogging has the schema \{\} so the condition holds whatever Status\.IsLogging is/);
    });
  });

  it('take parameters from the config file, and say so when the value given there is refused', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'inv.json'), JSON.stringify({ version: 1, accounts: [{ accountId: '123456789012', regions: ['us-east-1'], trails: [trail('acme-main'), trail('DevTrail')] }] }));
    writeFileSync(
      join(dir, 'naming.yaml'),
      'id: trail-naming\ntitle: Trail names follow the convention\nseverity: low\nscope: trail\ndescription: Names say who owns the trail.\nremediation: { text: Rename it. }\n' +
        'parameters:\n  pattern: { type: string, default: "^acme-[a-z0-9-]+$" }\nreads: [Trail]\ncheck:\n  Trail.Name: { type: string, pattern: { $param: pattern } }\n' +
        'message: { fail: "{Trail.Name} does not match {param.pattern}" }\n',
    );
    const scan = (config: string) => {
      writeFileSync(join(dir, 'c.yml'), config);
      return cli(['scan', '--config', 'c.yml', '--snapshot', 'inv.json', '--rules', 'naming.yaml', '--no-builtin-rules', '--format', 'json'], { cwd: dir });
    };
    const defaults = JSON.parse((await scan('failOn: high\n')).stdout);
    expect(defaults.results.map((x: { name: string; status: string }) => `${x.name} ${x.status}`)).to.deep.equal(['DevTrail fail', 'acme-main pass']);
    const set = await scan('parameters:\n  trail-naming: { pattern: "^[A-Za-z-]+$" }\n');
    expect(JSON.parse(set.stdout).results.map((x: { status: string }) => x.status)).to.deep.equal(['pass', 'pass']);
    const bad = await scan('parameters:\n  trail-naming: { pattern: "[" }\n');
    expect(bad.code).to.equal(2);
    // Shown at the config's value, where it is to be fixed (it was at the rule file's line, which is right as written).
    expect(bad.stderr).to.match(/^trailgate: c\.yml:2:28: invalid config: invalid JSON Schema: .*\(with parameter "pattern" as the config file sets it\); rule trail-naming uses it at naming\.yaml:11:31 \(at \/parameters\/trail-naming\/pattern\)\n$/);
    // A value from the config that a condition cannot mean (a number where the field is text): the same.
    writeFileSync(
      join(dir, 'names.yaml'),
      'id: trail-names\ntitle: T\nseverity: low\nscope: trail\ndescription: d\nremediation: { text: x }\nparameters: { names: { type: array, default: [main] } }\nreads: [Trail]\ncheck:\n  Trail.Name: { enum: { $param: names } }\n',
    );
    writeFileSync(join(dir, 'n.yml'), 'parameters:\n  trail-names:\n    names: [main, 42]\n');
    const mistyped = await cli(['scan', '--config', 'n.yml', '--snapshot', 'inv.json', '--rules', 'names.yaml', '--no-builtin-rules'], { cwd: dir });
    expect(mistyped.code).to.equal(2);
    expect(mistyped.stderr).to.equal(
      'trailgate: n.yml:3:12: invalid config: Trail.Name is always text, so the number 42 (from parameter "names", as the config file sets it) can never equal it: ' +
        mistyped.stderr.split(' can never equal it: ')[1],
    );
    expect(mistyped.stderr).to.match(/; rule trail-names uses it at names\.yaml:10:\d+ \(at \/parameters\/trail-names\/names\)\n$/);
    // A parameter that merely takes part is not the cause: a misspelt keyword beside it stays the rule
    // file's, and of two values the one that fails on its own is named.
    const two = (extra: string) =>
      'id: two-params\ntitle: T\nseverity: low\nscope: trail\ndescription: d\nremediation: { text: x }\n' +
      'parameters:\n  prefix: { type: string, default: "^a" }\n  suffix: { type: string, default: "b$" }\nreads: [Trail]\ncheck:\n  Trail.Name:\n    allOf:\n' +
      `      - pattern: { $param: prefix }\n      - pattern: { $param: suffix }\n${extra}`;
    writeFileSync(join(dir, 'two.yaml'), two('      - cosnt: x\n'));
    writeFileSync(join(dir, 't.yml'), 'parameters:\n  two-params:\n    prefix: "^ok"\n');
    const own = await cli(['scan', '--config', 't.yml', '--snapshot', 'inv.json', '--rules', 'two.yaml', '--no-builtin-rules'], { cwd: dir });
    expect(own.stderr).to.equal('trailgate: two.yaml:16:9: invalid JSON Schema: strict mode: unknown keyword: "cosnt" (at /check/Trail.Name/allOf/2/cosnt)\n');
    writeFileSync(join(dir, 'two.yaml'), two(''));
    writeFileSync(join(dir, 't.yml'), 'parameters:\n  two-params:\n    prefix: "^ok"\n    suffix: "(["\n');
    const second = await cli(['scan', '--config', 't.yml', '--snapshot', 'inv.json', '--rules', 'two.yaml', '--no-builtin-rules'], { cwd: dir });
    expect(second.stderr).to.match(/^trailgate: t\.yml:4:13: invalid config: invalid JSON Schema: Invalid regular expression: .*\(with parameter "suffix" as the config file sets it\); rule two-params uses it at two\.yaml:15:9 \(at \/parameters\/two-params\/suffix\)\n$/);
    // A schema with an $id beside it: compiled again, it was refused as "already exists", in place of the real mistake.
    writeFileSync(join(dir, 'two.yaml'), two('').replace('check:\n', 'check:\n  Trail.TrailARN: { $id: "urn:trailgate:arn", type: string }\n'));
    const withId = await cli(['scan', '--config', 't.yml', '--snapshot', 'inv.json', '--rules', 'two.yaml', '--no-builtin-rules'], { cwd: dir });
    expect(withId.stderr).to.match(/^trailgate: t\.yml:4:13: invalid config: invalid JSON Schema: Invalid regular expression: /);
    // Each value tried alone beside the others' defaults blamed lo (20 over the default max 10);
    // the value to fix is the pattern, the one that alone gives the same refusal.
    writeFileSync(
      join(dir, 'bounds.yaml'),
      'id: bounds\ntitle: T\nseverity: low\nscope: region\ndescription: d\nremediation: { text: x }\n' +
        'parameters:\n  lo: { type: integer, default: 1 }\n  hi: { type: integer, default: 10 }\n  pat: { type: string, default: "^a" }\nreads: [Trail]\n' +
        'count:\n  where:\n    facts.owned: { const: true }\n    Trail.Name: { pattern: { $param: pat } }\n  min: { $param: lo }\n  max: { $param: hi }\n',
    );
    const bounds = async (config: string) => {
      writeFileSync(join(dir, 'b.yml'), `parameters:\n  bounds:\n${config}`);
      return (await cli(['scan', '--config', 'b.yml', '--snapshot', 'inv.json', '--rules', 'bounds.yaml', '--no-builtin-rules'], { cwd: dir })).stderr;
    };
    expect(await bounds('    lo: 20\n    hi: 30\n    pat: "(["\n')).to.match(/^trailgate: b\.yml:5:10: invalid config: invalid JSON Schema: Invalid regular expression: .*\(at \/parameters\/bounds\/pat\)\n$/);
    // Two values wrong only together (min above max): shown at the config, not in the rule file that holds neither.
    expect(await bounds('    lo: 5\n    hi: 3\n')).to.match(/^trailgate: b\.yml:3:9: invalid config: min \(5\) is greater than max \(3\), so no count could pass \(with "hi", as the config file sets it\); rule bounds uses it at bounds\.yaml:16:8 \(at \/parameters\/bounds\/lo\)\n$/);
    // The same in the other order of keys: the rule's order of parameters decides which is named first.
    expect(await bounds('    hi: 3\n    lo: 5\n')).to.match(/^trailgate: b\.yml:4:9: invalid config: min \(5\) is greater than max \(3\), so no count could pass \(with "hi", as the config file sets it\); rule bounds uses it at bounds\.yaml:16:8 \(at \/parameters\/bounds\/lo\)\n$/);
    // The same words at another place are another refusal: a fits b's default in the where, but c and d are the same name in the check.
    writeFileSync(
      join(dir, 'dup.yaml'),
      'id: dup\ntitle: T\nseverity: low\nscope: trail\ndescription: d\nremediation: { text: x }\n' +
        'parameters:\n  a: { type: string, default: Name }\n  b: { type: string, default: S3BucketName }\n  c: { type: string, default: Name }\n  d: { type: string, default: HomeRegion }\n' +
        'reads: [Trail]\nwhere:\n  Trail: { required: [{ $param: a }, { $param: b }] }\ncheck:\n  Trail: { required: [{ $param: c }, { $param: d }] }\n',
    );
    writeFileSync(join(dir, 'd.yml'), 'parameters:\n  dup:\n    a: S3BucketName\n    b: HomeRegion\n    c: Name\n    d: Name\n');
    const dup = await cli(['scan', '--config', 'd.yml', '--snapshot', 'inv.json', '--rules', 'dup.yaml', '--no-builtin-rules'], { cwd: dir });
    expect(dup.stderr).to.match(/^trailgate: d\.yml:6:8: invalid config: .*must NOT have duplicate items.*\(at \/parameters\/dup\/d\)\n$/);
    // Two mistakes, one of them a value that fails on its own: that one, not the rule file (which compiles with its defaults).
    expect(await bounds('    lo: 5\n    hi: 3\n    pat: "(["\n')).to.match(/^trailgate: b\.yml:5:10: invalid config: invalid JSON Schema: Invalid regular expression: .*\(at \/parameters\/bounds\/pat\)\n$/);
  });
});
