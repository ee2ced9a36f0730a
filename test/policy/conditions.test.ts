import { assert } from 'chai';
import { evaluate, OPERATOR_NAMES, parsePolicy, type PolicyRequest } from '../../src/policy/index.ts';

const TRAIL = 'arn:aws:cloudtrail:us-east-1:111111111111:trail/main';
const CONTEXT: PolicyRequest['context'] = {
  'aws:SourceArn': TRAIL,
  'aws:SourceAccount': '111111111111',
  'aws:PrincipalIsAWSService': true,
  'aws:SecureTransport': true,
  'aws:CurrentTime': '2026-01-01T12:00:00Z',
  'aws:EpochTime': 1767268800,
  'aws:SourceIp': '10.1.2.3',
  'aws:TagKeys': ['env', 'team'],
  'test:Binary': 'QmluYXJ5',
  'test:Off': 'false',
};

/** Whether an Allow statement with just this Condition block lets the request through. */
function holds(condition: Record<string, unknown>, context: PolicyRequest['context'] = CONTEXT): boolean {
  const parsed = parsePolicy({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:GetBucketAcl', Resource: '*', Condition: condition }],
  });
  if (!parsed.ok) throw new Error(parsed.problem);
  const d = evaluate(parsed.policy, { principal: { Service: 'cloudtrail.amazonaws.com' }, action: 's3:GetBucketAcl', resource: 'arn:aws:s3:::b', context });
  return d.decision === 'allow';
}

function problem(condition: Record<string, unknown>): string {
  const parsed = parsePolicy({ Statement: [{ Effect: 'Allow', Principal: '*', Action: '*', Resource: '*', Condition: condition }] });
  assert.isFalse(parsed.ok, 'expected a problem');
  return parsed.ok ? '' : parsed.problem;
}

type Case = [string, Record<string, unknown>, boolean];

function table(cases: Case[]): void {
  for (const [name, condition, expected] of cases) {
    it(`${name} → ${expected}`, () => assert.strictEqual(holds(condition), expected));
  }
}

describe('condition operators', () => {
  describe('String', () => {
    table([
      ['StringEquals exact', { StringEquals: { 'aws:SourceAccount': '111111111111' } }, true],
      ['StringEquals is case-sensitive', { StringEquals: { 'aws:SourceArn': TRAIL.toUpperCase() } }, false],
      ['StringEquals: several values are OR', { StringEquals: { 'aws:SourceAccount': ['222222222222', '111111111111'] } }, true],
      ['StringEquals: * is literal', { StringEquals: { 'aws:SourceAccount': '*' } }, false],
      ['StringNotEquals true when different', { StringNotEquals: { 'aws:SourceAccount': '222222222222' } }, true],
      ['StringNotEquals: several values, none equal', { StringNotEquals: { 'aws:SourceAccount': ['2', '3'] } }, true],
      ['StringNotEquals false when one equals', { StringNotEquals: { 'aws:SourceAccount': ['2', '111111111111'] } }, false],
      ['StringEqualsIgnoreCase', { StringEqualsIgnoreCase: { 'aws:SourceArn': TRAIL.toUpperCase() } }, true],
      ['StringNotEqualsIgnoreCase', { StringNotEqualsIgnoreCase: { 'aws:SourceArn': TRAIL.toUpperCase() } }, false],
      ['StringLike with *', { StringLike: { 'aws:SourceArn': 'arn:aws:cloudtrail:*:111111111111:trail/*' } }, true],
      ['StringLike with ?', { StringLike: { 'aws:SourceAccount': '11111111111?' } }, true],
      ['StringNotLike', { StringNotLike: { 'aws:SourceArn': '*:222222222222:*' } }, true],
      ['condition keys are case-insensitive', { StringEquals: { 'AWS:SOURCEACCOUNT': '111111111111' } }, true],
      ['operator names are case-insensitive', { stringequals: { 'aws:SourceAccount': '111111111111' } }, true],
      ['policy variable in a value', { StringEquals: { 'aws:SourceArn': 'arn:aws:cloudtrail:us-east-1:${aws:SourceAccount}:trail/main' } }, true],
      ['variable without a value: StringEquals false', { StringEquals: { 'aws:SourceAccount': '${aws:PrincipalOrgID}' } }, false],
      // IAM: inverted operators "do match against a null value" (policy variables with no value).
      ['variable without a value: StringNotEquals true', { StringNotEquals: { 'aws:SourceAccount': '${aws:PrincipalOrgID}' } }, true],
      ['variable without a value: StringNotLike true', { StringNotLike: { 'aws:SourceAccount': '${aws:PrincipalOrgID}*' } }, true],
      ['variable without a value beside an equal value: StringNotEquals false', { StringNotEquals: { 'aws:SourceAccount': ['${aws:PrincipalOrgID}', '111111111111'] } }, false],
      ['variable without a value: ArnNotLike true', { ArnNotLike: { 'aws:SourceArn': 'arn:aws:cloudtrail:*:${aws:PrincipalOrgID}:trail/*' } }, true],
      ['variable default', { StringEquals: { 'aws:SourceAccount': "${aws:PrincipalOrgID, '111111111111'}" } }, true],
    ]);
  });

  describe('IgnoreCase against a request value in another case', () => {
    const context = { ...CONTEXT, 'test:Name': 'MixedCase', 'test:Upper': 'MIXEDCASE' } as PolicyRequest['context'];
    it('StringEqualsIgnoreCase lower-cases the request value too', () => assert.isTrue(holds({ StringEqualsIgnoreCase: { 'test:Name': 'mixedcase' } }, context)));
    it('StringNotEqualsIgnoreCase likewise', () => assert.isFalse(holds({ StringNotEqualsIgnoreCase: { 'test:Name': 'mixedcase' } }, context)));
    it("and a policy variable's value", () => assert.isTrue(holds({ StringEqualsIgnoreCase: { 'test:Name': '${test:Upper}' } }, context)));
  });

  describe('Arn', () => {
    table([
      ['ArnEquals exact', { ArnEquals: { 'aws:SourceArn': TRAIL } }, true],
      ['ArnLike region wildcard', { ArnLike: { 'aws:SourceArn': 'arn:aws:cloudtrail:*:111111111111:trail/*' } }, true],
      ['ArnLike: a wildcard stays inside its part', { ArnLike: { 'aws:SourceArn': 'arn:aws:cloudtrail:*:trail/main' } }, false],
      ['ArnLike other account', { ArnLike: { 'aws:SourceArn': 'arn:aws:cloudtrail:*:222222222222:trail/*' } }, false],
      ['ArnNotLike other account', { ArnNotLike: { 'aws:SourceArn': 'arn:aws:cloudtrail:*:222222222222:trail/*' } }, true],
      ['ArnNotEquals same', { ArnNotEquals: { 'aws:SourceArn': TRAIL } }, false],
      ['ArnLike on a value that is not an ARN', { ArnLike: { 'aws:SourceAccount': 'arn:*:*:*:*:*' } }, false],
      ['ArnNotLike on a value that is not an ARN is false too', { ArnNotLike: { 'aws:SourceAccount': 'arn:*:*:*:*:*' } }, false],
      ['ArnLike with a variable in the account part', { ArnLike: { 'aws:SourceArn': 'arn:aws:cloudtrail:*:${aws:SourceAccount}:trail/*' } }, true],
      ['ArnLike is case-sensitive', { ArnLike: { 'aws:SourceArn': 'arn:aws:cloudtrail:*:111111111111:trail/MAIN' } }, false],
      // A policy value that is not ARN-shaped never matches, and makes a negated test false (valueHolds).
      ['ArnLike with a policy value that is not an ARN', { ArnLike: { 'aws:SourceArn': 'main' } }, false],
      ['ArnNotLike with a policy value that is not an ARN is false too', { ArnNotLike: { 'aws:SourceArn': 'main' } }, false],
      ['ArnNotEquals with a policy value of five parts is false', { ArnNotEquals: { 'aws:SourceArn': 'arn:aws:cloudtrail:us-east-1:111111111111' } }, false],
    ]);
  });

  describe('Bool and Null', () => {
    table([
      ['Bool true', { Bool: { 'aws:SecureTransport': 'true' } }, true],
      ['Bool false', { Bool: { 'aws:SecureTransport': 'false' } }, false],
      ['Bool accepts JSON booleans', { Bool: { 'aws:PrincipalIsAWSService': true } }, true],
      ['Bool on an absent key', { Bool: { 'aws:MultiFactorAuthPresent': 'true' } }, false],
      ['BoolIfExists on an absent key', { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' } }, true],
      ['Bool on a non-boolean value', { Bool: { 'aws:SourceAccount': 'true' } }, false],
      ['Null true on an absent key', { Null: { 'aws:PrincipalOrgID': 'true' } }, true],
      ['Null false on an absent key', { Null: { 'aws:PrincipalOrgID': 'false' } }, false],
      ['Null false on a present key', { Null: { 'aws:SourceArn': 'false' } }, true],
      ['Null true on a present key', { Null: { 'aws:SourceArn': 'true' } }, false],
      ['Bool whose value is a policy variable holding true', { Bool: { 'aws:SecureTransport': '${aws:PrincipalIsAWSService}' } }, true],
      ['Bool whose value is a policy variable holding the other value', { Bool: { 'aws:SecureTransport': '${test:Off}' } }, false],
    ]);
    it('an empty list is an absent key: a negated operator holds, ForAnyValue does not', () => {
      const context = { ...CONTEXT, 'test:Empty': [] } as PolicyRequest['context'];
      assert.isTrue(holds({ StringNotEquals: { 'test:Empty': 'x' } }, context));
      assert.isFalse(holds({ 'ForAnyValue:StringNotEquals': { 'test:Empty': 'x' } }, context));
      assert.isFalse(holds({ Null: { 'test:Empty': 'false' } }, context));
    });
  });

  describe('Numeric', () => {
    table([
      ['NumericEquals', { NumericEquals: { 'aws:EpochTime': '1767268800' } }, true],
      ['NumericNotEquals', { NumericNotEquals: { 'aws:EpochTime': '1' } }, true],
      ['NumericLessThan', { NumericLessThan: { 'aws:EpochTime': '1767268801' } }, true],
      ['NumericLessThanEquals', { NumericLessThanEquals: { 'aws:EpochTime': '1767268800' } }, true],
      ['NumericGreaterThan', { NumericGreaterThan: { 'aws:EpochTime': '1767268800' } }, false],
      ['NumericGreaterThanEquals', { NumericGreaterThanEquals: { 'aws:EpochTime': 1767268800 } }, true],
      ['Numeric on a non-number request value', { NumericLessThan: { 'aws:SourceArn': '5' } }, false],
      ['NumericNotEquals on a non-number request value', { NumericNotEquals: { 'aws:SourceArn': '5' } }, false],
      ['Numeric on an absent key', { NumericLessThan: { 's3:max-keys': '5' } }, false],
      ['NumericNotEquals on an absent key', { NumericNotEquals: { 's3:max-keys': '5' } }, true],
    ]);
  });

  describe('Date', () => {
    table([
      ['DateGreaterThan ISO', { DateGreaterThan: { 'aws:CurrentTime': '2025-12-31T00:00:00Z' } }, true],
      ['DateLessThan ISO', { DateLessThan: { 'aws:CurrentTime': '2025-12-31T00:00:00Z' } }, false],
      ['DateEquals', { DateEquals: { 'aws:CurrentTime': '2026-01-01T12:00:00Z' } }, true],
      ['DateNotEquals', { DateNotEquals: { 'aws:CurrentTime': '2026-01-01T12:00:00Z' } }, false],
      ['DateLessThanEquals with epoch seconds', { DateLessThanEquals: { 'aws:CurrentTime': '1767268800' } }, true],
      ['DateGreaterThanEquals with epoch seconds', { DateGreaterThanEquals: { 'aws:CurrentTime': '1767268801' } }, false],
      ['Date on an absent key', { DateLessThan: { 'aws:TokenIssueTime': '2030-01-01T00:00:00Z' } }, false],
      ['DateLessThanIfExists on an absent key', { DateLessThanIfExists: { 'aws:TokenIssueTime': '2000-01-01T00:00:00Z' } }, true],
      ['DateEquals with a zone offset', { DateEquals: { 'aws:CurrentTime': '2026-01-01T13:00:00+01:00' } }, true],
      // A year and month (W3C's ISO 8601 form, which IAM takes) is the month's first moment.
      ['DateGreaterThanEquals with a year and month', { DateGreaterThanEquals: { 'aws:CurrentTime': '2026-01' } }, true],
      ['DateLessThan with a year and month', { DateLessThan: { 'aws:CurrentTime': '2026-01' } }, false],
    ]);
    it('reads a time without a zone as UTC, whatever the zone of the machine', () => {
      const saved = process.env.TZ;
      process.env.TZ = 'Asia/Tokyo';
      try {
        assert.isTrue(holds({ DateEquals: { 'aws:CurrentTime': '2026-01-01T12:00:00' } }));
        assert.isTrue(holds({ DateEquals: { 'aws:CurrentTime': '2026-01-01 12:00:00' } }));
        assert.isFalse(holds({ DateLessThan: { 'aws:CurrentTime': '2026-01-01T12:00' } }));
      } finally {
        if (saved === undefined) delete process.env.TZ;
        else process.env.TZ = saved;
      }
    });
  });

  describe('IpAddress and Binary', () => {
    table([
      ['IpAddress in block', { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } }, true],
      ['IpAddress out of block', { IpAddress: { 'aws:SourceIp': '192.0.2.0/24' } }, false],
      ['IpAddress several blocks', { IpAddress: { 'aws:SourceIp': ['192.0.2.0/24', '10.1.0.0/16'] } }, true],
      ['NotIpAddress', { NotIpAddress: { 'aws:SourceIp': '192.0.2.0/24' } }, true],
      ['IpAddress on CloudTrail (no SourceIp)', { IpAddress: { 'aws:VpcSourceIp': '10.0.0.0/8' } }, false],
      ['NotIpAddress on CloudTrail (no SourceIp)', { NotIpAddress: { 'aws:VpcSourceIp': '10.0.0.0/8' } }, true],
      ['BinaryEquals', { BinaryEquals: { 'test:Binary': 'QmluYXJ5' } }, true],
      ['BinaryEquals different', { BinaryEquals: { 'test:Binary': 'QmluYXJY' } }, false],
    ]);
  });

  describe('set qualifiers and IfExists', () => {
    table([
      ['ForAnyValue: one tag matches', { 'ForAnyValue:StringEquals': { 'aws:TagKeys': ['team', 'x'] } }, true],
      ['ForAnyValue: none matches', { 'ForAnyValue:StringEquals': { 'aws:TagKeys': ['x'] } }, false],
      ['ForAllValues: every tag allowed', { 'ForAllValues:StringEquals': { 'aws:TagKeys': ['env', 'team', 'x'] } }, true],
      ['ForAllValues: one tag not allowed', { 'ForAllValues:StringEquals': { 'aws:TagKeys': ['env'] } }, false],
      ['ForAllValues on an absent key is true', { 'ForAllValues:StringEquals': { 'aws:PrincipalOrgPaths': ['o-1/*'] } }, true],
      ['ForAnyValue on an absent key is false', { 'ForAnyValue:StringLike': { 'aws:PrincipalOrgPaths': ['*'] } }, false],
      ['ForAnyValue:StringNotEquals on an absent key is false', { 'ForAnyValue:StringNotEquals': { 'aws:PrincipalOrgPaths': ['x'] } }, false],
      ['ForAnyValue over a single-valued key', { 'ForAnyValue:StringEquals': { 'aws:SourceAccount': '111111111111' } }, true],
      ['a plain operator on a multivalued key does not match', { StringEquals: { 'aws:TagKeys': 'env' } }, false],
      ['StringEqualsIfExists on a present key still tests it', { StringEqualsIfExists: { 'aws:SourceAccount': '2' } }, false],
      ['StringEqualsIfExists on an absent key', { StringEqualsIfExists: { 'aws:PrincipalOrgID': 'o-1' } }, true],
      ['StringEquals on an absent key', { StringEquals: { 'aws:PrincipalOrgID': 'o-1' } }, false],
      ['StringNotEquals on an absent key is true', { StringNotEquals: { 'aws:PrincipalOrgID': 'o-1' } }, true],
      ['StringNotLike on an absent key is true', { StringNotLike: { 'aws:PrincipalArn': 'arn:*' } }, true],
      ['ArnNotEquals on an absent key is true', { ArnNotEquals: { 'aws:PrincipalArn': 'arn:aws:iam::1:root' } }, true],
      // Left out of the differential test: the oracle drops IfExists under a qualifier.
      ['ForAnyValue:StringEqualsIfExists on an absent key is true', { 'ForAnyValue:StringEqualsIfExists': { 'aws:PrincipalOrgPaths': 'x' } }, true],
      ['ForAllValues:StringEqualsIfExists on an absent key is true', { 'ForAllValues:StringEqualsIfExists': { 'aws:PrincipalOrgPaths': 'x' } }, true],
      ['several keys are AND', { StringEquals: { 'aws:SourceAccount': '111111111111', 'aws:SourceArn': 'x' } }, false],
      ['several operators are AND', { StringEquals: { 'aws:SourceAccount': '111111111111' }, Bool: { 'aws:SecureTransport': 'false' } }, false],
      ['several operators all holding', { StringEquals: { 'aws:SourceAccount': '111111111111' }, Bool: { 'aws:SecureTransport': 'true' } }, true],
    ]);
    it('treats an empty list as an absent key', () => {
      assert.isTrue(holds({ 'ForAllValues:StringEquals': { 'aws:TagKeys': 'x' } }, { ...CONTEXT, 'aws:TagKeys': [] }));
      assert.isFalse(holds({ 'ForAnyValue:StringEquals': { 'aws:TagKeys': 'x' } }, { ...CONTEXT, 'aws:TagKeys': [] }));
    });
  });

  describe('problems, never guesses', () => {
    const bad: [string, Record<string, unknown>, RegExp][] = [
      ['an unknown operator', { StringEqualz: { 'aws:SourceAccount': '1' } }, /unknown condition operator "StringEqualz"/],
      ['NullIfExists (IAM allows IfExists on every operator but Null)', { NullIfExists: { 'aws:PrincipalOrgID': 'true' } }, /unknown condition operator "NullIfExists"/],
      ['an unknown qualifier', { 'ForSomeValues:StringEquals': { 'aws:SourceAccount': '1' } }, /unknown condition qualifier/],
      ['a non-number for Numeric', { NumericLessThan: { 'aws:EpochTime': 'soon' } }, /"soon" is not a number/],
      ['a number followed by text for Numeric', { NumericLessThan: { 'aws:EpochTime': '5 days' } }, /"5 days" is not a number/],
      ['a non-date for Date', { DateLessThan: { 'aws:CurrentTime': 'tomorrow' } }, /not a date/],
      ['a date JavaScript alone would read (local time)', { DateLessThan: { 'aws:CurrentTime': '2026-01-01 12:00 PM' } }, /not a date/],
      ['a day the month does not have', { DateLessThan: { 'aws:CurrentTime': '2025-02-29' } }, /not a date/],
      ['a non-address for IpAddress', { IpAddress: { 'aws:SourceIp': '10.0.0.300/8' } }, /not an IP address/],
      ['a non-boolean for Bool', { Bool: { 'aws:SecureTransport': 'yes' } }, /not true or false/],
      ['a non-boolean for Null', { Null: { 'aws:SecureTransport': 'maybe' } }, /not true or false/],
      ['an object as a value', { StringEquals: { 'aws:SourceAccount': { a: 1 } } }, /not a string, number or boolean/],
      ['an empty value list', { StringEquals: { 'aws:SourceAccount': [] } }, /no values/],
      ['a block that is not an object', { StringEquals: 'aws:SourceAccount' }, /must map condition keys/],
    ];
    for (const [name, condition, re] of bad) it(`reports ${name}`, () => assert.match(problem(condition), re));
  });

  it('knows every operator of every family', () => {
    for (const name of ['StringEquals', 'StringNotLike', 'NumericGreaterThanEquals', 'DateNotEquals', 'Bool', 'BinaryEquals', 'IpAddress', 'NotIpAddress', 'ArnEquals', 'ArnNotLike', 'Null']) {
      assert.include(OPERATOR_NAMES, name);
    }
    assert.lengthOf(OPERATOR_NAMES, 27);
  });
});
