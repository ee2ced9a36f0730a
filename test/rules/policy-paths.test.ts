/**
 * Rule paths below `Bucket.Policy` and `Key.Policy` read the policy document, whether the
 * inventory holds it as JSON text (what `trailgate snapshot` writes) or as an object.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { evaluate } from '../../src/engine/evaluate.ts';
import { parseInventory } from '../../src/inventory/parse.ts';
import { loadRules } from '../../src/rules/load.ts';
import { tempDir } from '../helpers/cli.ts';

const KEY_ARN = 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';

const PUBLIC = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::bkt/*' }] };
const PRIVATE = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'cloudtrail.amazonaws.com' }, Action: 's3:PutObject', Resource: 'arn:aws:s3:::bkt/*' }] };

function inventory(bucketPolicy: unknown, keyPolicy: unknown = PRIVATE): string {
  return JSON.stringify({
    version: 1,
    collectedAt: '2026-11-20T02:00:00Z',
    accounts: [
      {
        accountId: '111122223333',
        regions: ['us-east-1'],
        trails: [
          {
            Trail: { Name: 'main', TrailARN: 'arn:aws:cloudtrail:us-east-1:111122223333:trail/main', HomeRegion: 'us-east-1', S3BucketName: 'bkt', KmsKeyId: KEY_ARN },
          },
        ],
      },
    ],
    buckets: { bkt: { Region: 'us-east-1', Policy: bucketPolicy } },
    keys: { [KEY_ARN]: { KeyMetadata: { Arn: KEY_ARN, KeyState: 'Enabled' }, Policy: keyPolicy } },
  });
}

const HEAD = 'title: t\nseverity: high\nscope: trail\ndescription: d\nremediation: { text: x }\n';
const RULES: Record<string, string> = {
  'no-public-statement':
    'reads: [Trail, Bucket.Policy]\ncheck:\n  Bucket.Policy.Statement?:\n    not: { contains: { properties: { Principal: { const: "*" } }, required: [Principal] } }\n' +
    'message: { pass: "policy version {Bucket.Policy.Version|none}" }\n',
  'has-statement': 'reads: [Trail, Bucket.Policy]\ncheck:\n  Bucket.Policy.Statement: { minItems: 1 }\n',
  'policy-is-object': 'reads: [Trail, Bucket.Policy]\ncheck:\n  Bucket.Policy: { type: object }\n',
  'key-statement-service': 'reads: [Trail, Key.Policy]\ncheck:\n  Key.Policy.Statement.0.Principal.Service: { const: cloudtrail.amazonaws.com }\n',
};

function run(text: string): Record<string, [string, string]> {
  const dir = tempDir();
  for (const [id, body] of Object.entries(RULES)) writeFileSync(join(dir, `${id}.yaml`), `id: ${id}\n${HEAD}${body}`);
  const rules = loadRules({ builtin: false, paths: [dir], cwd: dir });
  const { inventory: inv } = parseInventory(text, 'inv.json');
  return Object.fromEntries(evaluate(rules, inv).map((r) => [r.ruleId, [r.status, r.message]]));
}

const status = (results: Record<string, [string, string]>) => Object.fromEntries(Object.entries(results).map(([id, [s]]) => [id, s]));

describe('rule paths below a policy', () => {
  const cases: [string, string, Record<string, string>][] = [
    ['a public policy held as text', inventory(JSON.stringify(PUBLIC), JSON.stringify(PRIVATE)), { 'no-public-statement': 'fail', 'has-statement': 'pass', 'policy-is-object': 'pass', 'key-statement-service': 'pass' }],
    ['a public policy held as an object', inventory(PUBLIC), { 'no-public-statement': 'fail', 'has-statement': 'pass', 'policy-is-object': 'pass', 'key-statement-service': 'pass' }],
    ['a private policy held as text', inventory(JSON.stringify(PRIVATE)), { 'no-public-statement': 'pass', 'has-statement': 'pass', 'policy-is-object': 'pass', 'key-statement-service': 'pass' }],
    ['no policy at all (null)', inventory(null), { 'no-public-statement': 'pass', 'has-statement': 'fail', 'policy-is-object': 'fail', 'key-statement-service': 'pass' }],
    ['a key policy held as text whose principal is not CloudTrail', inventory(PRIVATE, JSON.stringify(PUBLIC)), { 'no-public-statement': 'pass', 'has-statement': 'pass', 'policy-is-object': 'pass', 'key-statement-service': 'fail' }],
    // Text that is no JSON (or repeats a key) cannot be read: error, never absent (which a `?` would pass).
    ['a bucket policy text that is not JSON', inventory('{"Version": "2012-10-17", "Statement": [}'), { 'no-public-statement': 'error', 'has-statement': 'error', 'policy-is-object': 'error', 'key-statement-service': 'pass' }],
    ['a bucket policy text that repeats a key', inventory('{"Statement": [], "Statement": [{"Effect": "Allow", "Principal": "*"}]}'), { 'no-public-statement': 'error', 'has-statement': 'error', 'policy-is-object': 'error', 'key-statement-service': 'pass' }],
    ['a key policy text that is not JSON', inventory(PRIVATE, 'not json'), { 'no-public-statement': 'pass', 'has-statement': 'pass', 'policy-is-object': 'pass', 'key-statement-service': 'error' }],
  ];
  for (const [name, text, expected] of cases) it(name, () => expect(status(run(text))).to.deep.equal(expected));

  it('say why a policy text cannot be read, naming the read and the bucket or key', () => {
    const bucket = run(inventory('{"Statement": [}'));
    expect(bucket['has-statement'][1]).to.match(
      /^cannot judge trail main: the bucket policy is not valid JSON \(.*\), so Bucket\.Policy and the paths below it cannot be read \(GetBucketPolicy for bkt\)$/,
    );
    expect(run(inventory(PRIVATE, 'not json'))['key-statement-service'][1]).to.match(/the key policy is not valid JSON .*\(GetKeyPolicy for arn:aws:kms:us-east-1:111122223333:key\//);
  });

  it('fill a placeholder below a policy from the document, held as text or as an object', () => {
    expect(run(inventory(JSON.stringify(PRIVATE)))['no-public-statement'][1]).to.equal('policy version 2012-10-17');
    expect(run(inventory(PRIVATE))['no-public-statement'][1]).to.equal('policy version 2012-10-17');
    expect(run(inventory({ Statement: [] }))['no-public-statement'][1]).to.equal('policy version none');
  });
});

describe('a policy whose Statement is one object, not a list', () => {
  // IAM takes `"Statement": {...}` as a policy of one statement; the built-in evaluator reads it
  // so. A rule path must see the list of statements (docs/rule-format.md), or `contains` and
  // `items`, which JSON Schema applies only to lists, would hold for any statement.
  const ONE_PUBLIC = { Version: '2012-10-17', Statement: PUBLIC.Statement[0] };
  const ONE_PRIVATE = { Version: '2012-10-17', Statement: PRIVATE.Statement[0] };
  const ONE: Record<string, string> = {
    'has-cloudtrail-statement':
      'reads: [Trail, Bucket.Policy]\ncheck:\n  Bucket.Policy.Statement:\n    contains: { properties: { Principal: { type: object, properties: { Service: { const: cloudtrail.amazonaws.com } }, required: [Service] } }, required: [Principal] }\n',
    'no-star-statement': 'reads: [Trail, Key.Policy]\ncheck:\n  Key.Policy.Statement:\n    items: { not: { properties: { Principal: { const: "*" } }, required: [Principal] } }\n',
    'whole-bucket-statement':
      'reads: [Trail, Bucket]\ncheck:\n  Bucket: { properties: { Policy: { properties: { Statement: { contains: { properties: { Effect: { const: Deny } }, required: [Effect] } } } } } }\n',
    'first-key-statement': 'reads: [Trail, Key.Policy]\ncheck:\n  Key.Policy.Statement.0.Principal.Service: { const: cloudtrail.amazonaws.com }\nmessage: { pass: "{Key.Policy.Statement.0.Effect}" }\n',
  };
  function runOne(text: string): Record<string, [string, string]> {
    const dir = tempDir();
    for (const [id, body] of Object.entries(ONE)) writeFileSync(join(dir, `${id}.yaml`), `id: ${id}\n${HEAD}${body}`);
    const rules = loadRules({ builtin: false, paths: [dir], cwd: dir });
    const { inventory: inv } = parseInventory(text, 'inv.json');
    return Object.fromEntries(evaluate(rules, inv).map((r) => [r.ruleId, [r.status, r.message]]));
  }
  const expected = { 'has-cloudtrail-statement': 'fail', 'no-star-statement': 'fail', 'whole-bucket-statement': 'fail', 'first-key-statement': 'fail' };
  it('held as an object', () => expect(status(runOne(inventory(ONE_PUBLIC, ONE_PUBLIC)))).to.deep.equal(expected));
  it('held as text', () => expect(status(runOne(inventory(JSON.stringify(ONE_PUBLIC), JSON.stringify(ONE_PUBLIC))))).to.deep.equal(expected));
  it('passes a one-statement policy that says what the rule asks', () => {
    const results = runOne(inventory(ONE_PRIVATE, JSON.stringify(ONE_PRIVATE)));
    expect(status(results)).to.deep.equal({ 'has-cloudtrail-statement': 'pass', 'no-star-statement': 'pass', 'whole-bucket-statement': 'fail', 'first-key-statement': 'pass' });
    expect(results['first-key-statement'][1]).to.equal('Allow');
  });
});
