/**
 * fast-check generators for the differential test: bucket policies over the requests CloudTrail
 * makes, and the request contexts it sends. Values are drawn from small pools close to the
 * real ones, so random policies allow, deny and miss in roughly equal measure.
 *
 * Corners left out on purpose (each has a named test of our behaviour elsewhere):
 * - `IfExists` combined with `ForAnyValue:`/`ForAllValues:` and `Null` with either: the oracle
 *   ignores the suffix under a qualifier; IAM documents IfExists on an absent key as true.
 * - Policies without Version 2012-10-17: the oracle substitutes variables under any version;
 *   IAM treats them as literal text under 2008-10-17.
 * - Unknown operators, statements without Resource, malformed values: the oracle evaluates
 *   them (as non-matching or matching everything); we report a problem and never decide.
 * - Resource ARNs whose partition/service parts differ only in case: the oracle matches those
 *   parts case-insensitively; we follow IAM's documented case-sensitive resource matching.
 * - Date values mixing epoch seconds and ISO 8601: the oracle compares epoch integers with
 *   milliseconds.
 * - The IPv4 block 0.0.0.0/0: the oracle builds its mask with `-1 << 32`, which JavaScript
 *   reads as `-1 << 0`, so it matches only 0.0.0.0 exactly.
 * - A policy variable inside the account (or another colon-delimited) part of an Arn* value:
 *   the oracle splits the value on every colon, the one in `${aws:SourceAccount}` included.
 * - A policy variable with no value under a negated operator (StringNotEquals, ArnNotLike...):
 *   IAM documents that inverted operators "do match against a null value"; the oracle makes
 *   them false. Likewise in NotResource: IAM says such an entry matches no resource (so the
 *   NotResource statement applies); the oracle makes the statement not apply.
 */
import fc from 'fast-check';

export const ACCOUNT = '111111111111';
export const OTHER = '222222222222';
export const ORG = 'o-exampleorgid';
export const BUCKET = 'ct-logs';
export const TRAIL = `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/main`;
export const KEY = `arn:aws:kms:us-east-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;

/** One request in the oracle's vocabulary: context values are strings. */
export interface Req {
  action: string;
  resource: string;
  context: Record<string, string>;
}

const objectPaths = [`AWSLogs/${ACCOUNT}`, `prefix/AWSLogs/${ACCOUNT}`, `AWSLogs/${ORG}/${ACCOUNT}`];

/** A CloudTrail request: GetBucketAcl, or PutObject on one of the log paths, with its context. */
export const requestArb: fc.Arbitrary<Req> = fc
  .record({
    put: fc.boolean(),
    path: fc.constantFrom(...objectPaths),
    sourceArn: fc.constantFrom(TRAIL, `arn:aws:cloudtrail:eu-west-1:${ACCOUNT}:trail/main`, `arn:aws:cloudtrail:us-east-1:${OTHER}:trail/x`),
    sourceAccount: fc.constantFrom(ACCOUNT, OTHER),
    secure: fc.constantFrom('true', 'false'),
    acl: fc.constantFrom('bucket-owner-full-control', 'private'),
    kms: fc.boolean(),
    currentTime: fc.option(fc.constantFrom('2026-01-01T00:00:00Z', '2024-06-01T12:00:00Z'), { nil: undefined }),
    sourceIp: fc.option(fc.constantFrom('10.1.2.3', '192.0.2.10'), { nil: undefined }),
  })
  .map((r) => {
    const context: Record<string, string> = {
      'aws:SourceArn': r.sourceArn,
      'aws:SourceAccount': r.sourceAccount,
      'aws:PrincipalIsAWSService': 'true',
      'aws:SecureTransport': r.secure,
    };
    if (r.currentTime) context['aws:CurrentTime'] = r.currentTime;
    if (r.sourceIp) context['aws:SourceIp'] = r.sourceIp;
    if (!r.put) return { action: 's3:GetBucketAcl', resource: `arn:aws:s3:::${BUCKET}`, context };
    context['s3:x-amz-acl'] = r.acl;
    if (r.kms) {
      context['s3:x-amz-server-side-encryption'] = 'aws:kms';
      context['s3:x-amz-server-side-encryption-aws-kms-key-id'] = KEY;
    }
    return { action: 's3:PutObject', resource: `arn:aws:s3:::${BUCKET}/${r.path}/CloudTrail/us-east-1/2026/01/01/x.json.gz`, context };
  });

const principals: unknown[] = [
  '*',
  { AWS: '*' },
  { Service: 'cloudtrail.amazonaws.com' },
  { Service: ['config.amazonaws.com', 'cloudtrail.amazonaws.com'] },
  { Service: 'config.amazonaws.com' },
  { AWS: ACCOUNT },
  { AWS: `arn:aws:iam::${ACCOUNT}:root` },
  { AWS: `arn:aws:iam::${ACCOUNT}:role/Admin` },
];
const notPrincipals = principals.filter((p) => p !== '*' && !(typeof p === 'object' && (p as { AWS?: string }).AWS === '*'));

const actions = ['s3:GetBucketAcl', 's3:PutObject', 's3:*', '*', 's3:Get*', 's3:Put?bject', 's3:getbucketacl', 'S3:PUTOBJECT', 's3:GetObject', 's3:Delete*', 'ec2:*'];

const resources = [
  '*',
  `arn:aws:s3:::${BUCKET}`,
  `arn:aws:s3:::${BUCKET}/*`,
  `arn:aws:s3:::${BUCKET}*`,
  'arn:aws:s3:::ct-log?',
  `arn:aws:s3:::${BUCKET}/AWSLogs/${ACCOUNT}/*`,
  `arn:aws:s3:::${BUCKET}/prefix/AWSLogs/${ACCOUNT}/*`,
  `arn:aws:s3:::${BUCKET}/AWSLogs/\${aws:SourceAccount}/*`,
  `arn:aws:s3:::${BUCKET}/AWSLogs/\${aws:PrincipalOrgID}/*`,
  `arn:aws:s3:::${BUCKET}/AWSLogs/${ORG}/*`,
  'arn:aws:s3:::other/*',
  'arn:aws:s3:::*/AWSLogs/*',
  `arn:aws:s3:::${BUCKET}/*/CloudTrail/*`,
  `arn:aws:s3:::${BUCKET}/awslogs/*`,
];

interface Family {
  operators: string[];
  keys: string[];
  values: string[];
  /** Whether ForAnyValue:/ForAllValues: and IfExists may qualify these operators. */
  qualifiers: boolean;
}

const stringValues = [
  TRAIL,
  ACCOUNT,
  OTHER,
  'bucket-owner-full-control',
  'private',
  'aws:kms',
  KEY,
  ORG,
  '*',
  `arn:aws:cloudtrail:*:${ACCOUNT}:trail/*`,
  '11111111111?',
  'BUCKET-OWNER-FULL-CONTROL',
  '${aws:SourceAccount}',
  `arn:aws:cloudtrail:us-east-1:\${aws:SourceAccount}:trail/main`,
  '${aws:PrincipalOrgID}',
  "${aws:PrincipalOrgID, '111111111111'}",
  '1111${*}',
];
const stringKeys = ['aws:SourceArn', 'aws:SourceAccount', 's3:x-amz-acl', 's3:x-amz-server-side-encryption', 's3:x-amz-server-side-encryption-aws-kms-key-id', 'aws:PrincipalOrgID', 'aws:PrincipalArn', 'aws:SourceVpce', 'AWS:SOURCEACCOUNT'];

const families: Family[] = [
  { operators: ['StringEquals', 'StringNotEquals', 'StringEqualsIgnoreCase', 'StringNotEqualsIgnoreCase', 'StringLike', 'StringNotLike'], keys: stringKeys, values: stringValues, qualifiers: true },
  {
    operators: ['ArnEquals', 'ArnLike', 'ArnNotEquals', 'ArnNotLike'],
    keys: ['aws:SourceArn', 'aws:PrincipalArn', 's3:x-amz-server-side-encryption-aws-kms-key-id'],
    values: [TRAIL, `arn:aws:cloudtrail:*:${ACCOUNT}:trail/*`, `arn:aws:cloudtrail:us-east-1:${OTHER}:trail/*`, 'arn:aws:kms:*:*:key/*', 'arn:*:*:*:*:*', `arn:aws:iam::${ACCOUNT}:role/*`],
    qualifiers: true,
  },
  { operators: ['Bool'], keys: ['aws:PrincipalIsAWSService', 'aws:SecureTransport', 'aws:MultiFactorAuthPresent'], values: ['true', 'false'], qualifiers: true },
  { operators: ['Null'], keys: ['aws:PrincipalOrgID', 'aws:SourceArn', 'aws:SourceIp', 's3:x-amz-server-side-encryption', 'aws:CurrentTime'], values: ['true', 'false'], qualifiers: false },
  {
    operators: ['NumericEquals', 'NumericNotEquals', 'NumericLessThan', 'NumericLessThanEquals', 'NumericGreaterThan', 'NumericGreaterThanEquals'],
    keys: ['aws:SourceAccount', 's3:max-keys'],
    values: [ACCOUNT, OTHER, '5', '111111111110.5'],
    qualifiers: true,
  },
  {
    operators: ['DateEquals', 'DateNotEquals', 'DateLessThan', 'DateLessThanEquals', 'DateGreaterThan', 'DateGreaterThanEquals'],
    keys: ['aws:CurrentTime', 'aws:TokenIssueTime'],
    values: ['2026-01-01T00:00:00Z', '2025-01-01T00:00:00Z', '2024-06-01T12:00:00Z'],
    qualifiers: true,
  },
  { operators: ['IpAddress', 'NotIpAddress'], keys: ['aws:SourceIp', 'aws:VpcSourceIp'], values: ['10.0.0.0/8', '192.0.2.0/24', '192.0.2.10', '10.1.2.0/31'], qualifiers: true },
  { operators: ['BinaryEquals'], keys: ['aws:SourceAccount'], values: ['QmluYXJ5', ACCOUNT], qualifiers: false },
];

const conditionArb: fc.Arbitrary<[string, string, string[]]> = fc
  .constantFrom(...families)
  .chain((f) =>
    fc.tuple(
      fc.constantFrom(...f.operators),
      f.qualifiers ? fc.constantFrom('', '', 'ForAnyValue:', 'ForAllValues:', 'IfExists') : fc.constant(''),
      fc.constantFrom(...f.keys),
      fc.uniqueArray(fc.constantFrom(...f.values), { minLength: 1, maxLength: 2 }),
    ),
  )
  .map(([operator, q, key, values]): [string, string, string[]] => {
    const name = q === 'IfExists' ? `${operator}IfExists` : `${q}${operator}`;
    return [name, key, values];
  })
  .filter(([name, , values]) => !(isNegated(name) && values.some(hasUnresolvable)));

/** Whether an operator name is an inverted one (StringNotEquals, NotIpAddress, ...). */
function isNegated(operator: string): boolean {
  return /Not/.test(operator.replace(/^For(Any|All)Values?:/, ''));
}

/** Whether a value holds a variable the generated requests never carry (and no default). */
function hasUnresolvable(value: string): boolean {
  return value.includes('${aws:PrincipalOrgID}');
}

const oneOrMany = <T>(pool: T[]): fc.Arbitrary<T | T[]> =>
  fc.oneof(
    fc.constantFrom(...pool),
    fc.uniqueArray(fc.constantFrom(...pool), { minLength: 1, maxLength: 3 }),
  );

const statementArb = fc
  .record({
    sid: fc.option(fc.constantFrom('A', 'B', 'Deny1', 'Write'), { nil: undefined }),
    // Allows outnumber Denies two to one, so that enough requests end up allowed.
    effect: fc.constantFrom('Allow', 'Allow', 'Deny'),
    notPrincipal: fc.boolean(),
    principal: fc.constantFrom(...principals),
    notPrincipalValue: fc.constantFrom(...notPrincipals),
    notAction: fc.boolean(),
    action: oneOrMany(actions),
    notResource: fc.boolean(),
    resource: oneOrMany(resources),
    conditions: fc.oneof({ arbitrary: fc.constant([]), weight: 1 }, { arbitrary: fc.array(conditionArb, { minLength: 1, maxLength: 3 }), weight: 2 }),
  })
  .map((s) => {
    const out: Record<string, unknown> = { Effect: s.effect };
    if (s.sid !== undefined) out.Sid = s.sid;
    // NotPrincipal with Allow is legal IAM but rare; keep it to Deny, where it is used.
    if (s.notPrincipal && s.effect === 'Deny') out.NotPrincipal = s.notPrincipalValue;
    else out.Principal = s.principal;
    out[s.notAction ? 'NotAction' : 'Action'] = s.action;
    if (s.notResource) {
      const kept = ([] as string[]).concat(s.resource).filter((r) => !hasUnresolvable(r));
      out.NotResource = kept.length > 0 ? kept : `arn:aws:s3:::${BUCKET}/*`;
    } else out.Resource = s.resource;
    if (s.conditions.length > 0) {
      const block: Record<string, Record<string, string[]>> = {};
      for (const [operator, key, values] of s.conditions) (block[operator] ??= {})[key] = values;
      out.Condition = block;
    }
    return out;
  });

/** A bucket policy of one to four statements. */
export const policyArb = fc.array(statementArb, { minLength: 1, maxLength: 4 }).map((Statement) => ({ Version: '2012-10-17', Statement }));

const cloudtrail = { Service: 'cloudtrail.amazonaws.com' };
const onTrail = { 'aws:SourceArn': TRAIL };

/**
 * The policy AWS documents for an organization trail (ACL check, account write, organization
 * write, all paths with and without the `prefix/` key prefix) plus up to two random statements:
 * a working policy that random Denies and narrower Allows then disturb.
 */
export const documentedPlusArb = fc.array(statementArb, { maxLength: 2 }).map((extra) => ({
  Version: '2012-10-17',
  Statement: [
    { Sid: 'AWSCloudTrailAclCheck20150319', Effect: 'Allow', Principal: cloudtrail, Action: 's3:GetBucketAcl', Resource: `arn:aws:s3:::${BUCKET}`, Condition: { StringEquals: onTrail } },
    {
      Sid: 'AWSCloudTrailWrite20150319',
      Effect: 'Allow',
      Principal: cloudtrail,
      Action: 's3:PutObject',
      Resource: [`arn:aws:s3:::${BUCKET}/AWSLogs/${ACCOUNT}/*`, `arn:aws:s3:::${BUCKET}/prefix/AWSLogs/${ACCOUNT}/*`, `arn:aws:s3:::${BUCKET}/AWSLogs/${ORG}/*`, `arn:aws:s3:::${BUCKET}/prefix/AWSLogs/${ORG}/*`],
      Condition: { StringEquals: { ...onTrail, 's3:x-amz-acl': 'bucket-owner-full-control' } },
    },
    ...extra,
  ],
}));
