/** Why a check is false, as messages say it: one case per kind of schema a rule writes. */
import { expect } from 'chai';
import { evalCheck } from '../../src/rules/check.ts';
import { compileCheck, createCheckAjv } from '../../src/rules/compile-check.ts';
import type { CheckSpec } from '../../src/rules/types.ts';

/** A subject whose reads all succeeded: only the values decide. */
function subject(values: Record<string, unknown>) {
  return { ...values, read: () => ({ ok: true as const }) };
}

function reason(spec: CheckSpec, values: Record<string, unknown>): string | undefined {
  const check = compileCheck(spec, createCheckAjv(), (path, message) => {
    throw new Error(`${path}: ${message}`);
  });
  const outcome = evalCheck(check, subject(values) as never);
  expect(outcome.value, JSON.stringify(spec)).to.equal(false);
  return outcome.reason;
}

describe('check explanations', () => {
  const cases: [string, CheckSpec, Record<string, unknown>, string][] = [
    ['const', { 'Trail.LogFileValidationEnabled': { const: true } }, { Trail: { LogFileValidationEnabled: false } }, 'Trail.LogFileValidationEnabled is false; expected true'],
    ['enum', { 'Trail.HomeRegion': { enum: ['us-east-1', 'eu-west-1'] } }, { Trail: { HomeRegion: 'ap-south-1' } }, 'Trail.HomeRegion is "ap-south-1"; expected one of "us-east-1", "eu-west-1"'],
    // A long list (5,000 account ids) is cut to its first ten values and a count: every failing result quotes it.
    ['enum of ten', { 'Trail.HomeRegion': { enum: Array.from({ length: 10 }, (_, i) => `r-${i}`) } }, { Trail: { HomeRegion: 'x' } }, `Trail.HomeRegion is "x"; expected one of ${Array.from({ length: 10 }, (_, i) => `"r-${i}"`).join(', ')}`],
    ['enum of 5,000', { 'Trail.HomeRegion': { enum: Array.from({ length: 5000 }, (_, i) => `r-${i}`) } }, { Trail: { HomeRegion: 'x' } }, `Trail.HomeRegion is "x"; expected one of ${Array.from({ length: 10 }, (_, i) => `"r-${i}"`).join(', ')} and 4,990 more`],
    ['not enum of 11', { 'Trail.HomeRegion': { not: { enum: Array.from({ length: 11 }, (_, i) => `r-${i}`) } } }, { Trail: { HomeRegion: 'r-0' } }, `Trail.HomeRegion is "r-0"; expected none of ${Array.from({ length: 10 }, (_, i) => `"r-${i}"`).join(', ')} and 1 more`],
    ['maximum', { 'Trail.Count': { maximum: 3 } }, { Trail: { Count: 4 } }, 'Trail.Count is 4; must be <= 3'],
    ['absent', { 'Trail.KmsKeyId': { type: 'string' } }, { Trail: {} }, 'Trail.KmsKeyId is absent'],
    // ajv's own words here are "must NOT be valid", which says neither the value nor what was wanted.
    ['not const', { 'Bucket.Exists': { not: { const: false } } }, { Trail: {}, Bucket: { Exists: false } }, 'Bucket.Exists is false; expected anything but false'],
    ['not enum', { 'Trail.HomeRegion': { not: { enum: ['cn-north-1', 'us-gov-west-1'] } } }, { Trail: { HomeRegion: 'cn-north-1' } }, 'Trail.HomeRegion is "cn-north-1"; expected none of "cn-north-1", "us-gov-west-1"'],
    ['not pattern', { 'Trail.Name': { not: { pattern: '^tmp-' } } }, { Trail: { Name: 'tmp-1' } }, 'Trail.Name is "tmp-1"; expected it not to match {"pattern":"^tmp-"}'],
    [
      'not, nested',
      { 'Trail.Tags': { type: 'object', properties: { env: { not: { const: 'sandbox' } } } } },
      { Trail: { Tags: { env: 'sandbox' } } },
      'Trail.Tags.env is "sandbox"; expected anything but "sandbox"',
    ],
    // A failed alternative is not why anyOf failed: meeting another would do. It was named as if it were the whole condition.
    [
      'anyOf',
      { Trail: { anyOf: [{ properties: { IsMultiRegionTrail: { const: true } } }, { properties: { HomeRegion: { const: 'us-east-1' } } }] } },
      { Trail: { IsMultiRegionTrail: false, HomeRegion: 'eu-west-1' } },
      'Trail is {"IsMultiRegionTrail":false,"HomeRegion":"eu-west-1"}; it matches none of the 2 alternatives',
    ],
    ['anyOf on a field', { 'Trail.HomeRegion': { anyOf: [{ const: 'us-east-1' }, { const: 'eu-west-1' }] } }, { Trail: { HomeRegion: 'ap-south-1' } }, 'Trail.HomeRegion is "ap-south-1"; it matches none of the 2 alternatives'],
    [
      'oneOf matched twice',
      { Trail: { oneOf: [{ properties: { IsMultiRegionTrail: { const: true } } }, { properties: { HomeRegion: { const: 'us-east-1' } } }] } },
      { Trail: { IsMultiRegionTrail: true, HomeRegion: 'us-east-1' } },
      'Trail is {"IsMultiRegionTrail":true,"HomeRegion":"us-east-1"}; it matches 2 of the 2 alternatives (1 and 2), and must match exactly one',
    ],
    // ajv's own words for a false subschema are "boolean schema is false", which say neither which keyword holds it nor why it applies.
    ['then: false', { 'Trail.HomeRegion': { if: { const: 'us-east-1' }, then: false } }, { Trail: { HomeRegion: 'us-east-1' } }, 'Trail.HomeRegion is "us-east-1"; it matches the "if" beside "then: false", so it cannot pass'],
    [
      'else: false, nested',
      { Trail: { properties: { HomeRegion: { if: { pattern: '^eu-' }, then: { const: 'eu-west-1' }, else: false } } } },
      { Trail: { HomeRegion: 'us-east-1' } },
      'Trail.HomeRegion is "us-east-1"; it does not match the "if" beside "else: false", so it cannot pass',
    ],
    // A false schema under another keyword is named by that keyword.
    ['items: false', { 'Trail.List': { items: false } }, { Trail: { List: [1] } }, 'Trail.List.0 is 1; the schema "items" here is false, which no value passes'],
    // Below the path, the field that failed and its own value: not the whole object.
    ['const, nested', { Trail: { properties: { LogFileValidationEnabled: { const: true } } } }, { Trail: { Name: 'a', LogFileValidationEnabled: false } }, 'Trail.LogFileValidationEnabled is false; expected true'],
    ['enum, nested in a list', { 'Bucket.Policy.Statement': { items: { properties: { Effect: { enum: ['Deny'] } } } } }, { Trail: {}, Bucket: { Policy: { Statement: [{ Effect: 'Allow', Sid: 'x' }] } } }, 'Bucket.Policy.Statement.0.Effect is "Allow"; expected one of "Deny"'],
    ['maximum, nested', { Trail: { properties: { Count: { maximum: 3 } } } }, { Trail: { Name: 'a', Count: 4 } }, 'Trail.Count is 4; must be <= 3'],
    ['another keyword, nested', { Trail: { properties: { Name: { minLength: 3 } } } }, { Trail: { Name: 'a', Other: 'long text' } }, 'Trail.Name must NOT have fewer than 3 characters (found "a")'],
    // ajv URI-encodes schemaPath segments: `^S3` is `%5ES3` there.
    ['not, under a patternProperties key', { Trail: { patternProperties: { '^S3': { not: { const: 'a b/c~d' } } } } }, { Trail: { S3BucketName: 'a b/c~d' } }, 'Trail.S3BucketName is "a b/c~d"; expected anything but "a b/c~d"'],
    // ajv's instancePath is a JSON pointer: `/` in a key is `~1` there, `~` is `~0`; a key a dot would split is bracketed.
    [
      'a policy condition key with a slash, nested',
      { 'Bucket.Policy.Statement': { items: { properties: { Condition: { properties: { StringEquals: { properties: { 'aws:PrincipalTag/team': { const: 'security' } } } } } } } } },
      { Trail: {}, Bucket: { Policy: { Statement: [{ Effect: 'Allow', Condition: { StringEquals: { 'aws:PrincipalTag/team': 'dev' } } }] } } },
      'Bucket.Policy.Statement.0.Condition.StringEquals.aws:PrincipalTag/team is "dev"; expected "security"',
    ],
    ['a key with a dot and a tilde, nested', { Trail: { properties: { Tags: { properties: { 'team.name~x': { const: 'sec' } } } } } }, { Trail: { Tags: { 'team.name~x': 'dev' } } }, 'Trail.Tags["team.name~x"] is "dev"; expected "sec"'],
    // Under propertyNames, the key's name is what failed: the object alone would not say which key.
    [
      'propertyNames, enum',
      { 'Bucket.Policy.Statement': { items: { properties: { Condition: { propertyNames: { enum: ['ArnLike', 'Bool'] } } } } } },
      { Trail: {}, Bucket: { Policy: { Statement: [{ Condition: { Bool: { 'aws:SecureTransport': 'true' }, StringEquals: { 'aws:SourceAccount': '111122223333' } } }] } } },
      'Bucket.Policy.Statement.0.Condition has the key "StringEquals"; expected one of "ArnLike", "Bool"',
    ],
    ['propertyNames, pattern', { 'Trail.Tags': { propertyNames: { pattern: '^[a-z]+$' } } }, { Trail: { Tags: { team: 'a', Env: 'b' } } }, 'Trail.Tags has the key "Env", and a key\'s name must match pattern "^[a-z]+$"'],
    [
      'additionalProperties false names the key and what is allowed',
      { 'Bucket.PublicAccessBlock': { additionalProperties: false, properties: { BlockPublicAcls: { const: true }, IgnorePublicAcls: { const: true } }, patternProperties: { '^Restrict': { const: true } } } },
      { Trail: {}, Bucket: { PublicAccessBlock: { BlockPublicAcls: true, IgnorePublicAcls: true, AllowEveryone: true, Padding: 'x'.repeat(100) } } },
      'Bucket.PublicAccessBlock has the key "AllowEveryone", which additionalProperties does not allow; expected only "BlockPublicAcls", "IgnorePublicAcls", keys matching "^Restrict"',
    ],
    ['additionalProperties false without properties', { 'Trail.Tags': { additionalProperties: false } }, { Trail: { Tags: { a: 1 } } }, 'Trail.Tags has the key "a", which additionalProperties does not allow; expected no keys'],
  ];
  for (const [name, spec, values, expected] of cases) {
    it(name, () => expect(reason(spec, values)).to.equal(expected));
  }
});
