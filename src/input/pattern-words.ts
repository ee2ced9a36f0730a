/**
 * What the `pattern`s of trailgate's own schemas ask for, in words. A regular expression is no
 * message for a config or inventory author, and printed on a terminal its backslashes are
 * doubled by the escaping every message gets (`^\\d{12}$` reads as "a backslash and twelve d"):
 * a blank `reason` was "must match the pattern \\S". A pattern not listed here (one from a
 * custom rule's parameter schema) is still shown as it is.
 */
const WORDS: ReadonlyMap<string, string> = new Map([
  ['^(text|json|sarif|junit|github)(=.+)?$', 'must be one of text, json, sarif, junit and github, alone or as FORMAT=FILE'],
  ['^[a-z]{2}(-[a-z]+)+-\\d+$', 'must be an AWS region name, such as us-east-1'],
  ['^[a-z]{2}(-[a-z]+)+-[0-9]+$', 'must be an AWS region name, such as us-east-1'],
  ['^arn:aws[a-z-]*:iam::\\d{12}:role/.+$', 'must be the ARN of an IAM role, such as arn:aws:iam::111122223333:role/Audit'],
  ['^[a-z0-9]+(-[a-z0-9]+)*$', 'must be a rule id such as trails-per-region: lower-case letters and digits, in words joined by single hyphens'],
  ['^\\d{12}$', 'must be an AWS account id: 12 digits'],
  ['^[0-9]{12}$', 'must be an AWS account id: 12 digits'],
  ['^[a-z0-9*]+(-[a-z0-9*]+)*$', 'must be a rule id, in which * stands for any characters, such as kms-*; * alone is every rule'],
  ['\\S', 'must not be blank'],
  ['^[^\\r\\n\\u2028\\u2029]*$', 'must be one line: no line break in it'],
  [
    '^\\d{4}-\\d{2}-\\d{2}(T\\d{2}:\\d{2}(:\\d{2}(\\.\\d+)?)?(Z|[+-]\\d{2}:\\d{2}))?$',
    'must be a date, such as 2027-03-31, or a date and time with its zone, such as 2027-03-31T00:00:00Z or 2027-03-31T09:00:00+09:00',
  ],
  ['^\\d{4}-\\d{2}-\\d{2}([Tt ]\\d{2}:\\d{2}(:\\d{2}(\\.\\d+)?)?([Zz]|[+-]\\d{2}:?\\d{2})?)?$', 'must be an ISO 8601 date and time, such as 2026-11-20T02:00:00Z'],
  ['^o-[a-z0-9]{10,32}$', 'must be an AWS Organizations id: o- and 10 to 32 lower-case letters or digits'],
  ['^arn:(aws|aws-us-gov|aws-cn):cloudtrail:[a-z0-9-]+:[0-9]{12}:trail/.+', 'must be the ARN of a trail in the aws, aws-us-gov or aws-cn partition: arn:aws:cloudtrail:REGION:ACCOUNT:trail/NAME'],
  ['^https://', 'must be an https:// address'],
  ['^(?!arn:|s3://)', 'must be a bucket name, as a trail\'s S3BucketName gives it (logs-bucket), not its ARN or an s3:// address'],
  ['^[a-z0-9][a-z0-9.-]*$', 'must be a framework id such as cis-aws-foundations-v3.0: lower-case letters, digits, dots and hyphens'],
  ['^[A-Za-z][A-Za-z0-9]*$', 'must be a parameter name: a letter, then letters and digits'],
  ['^[A-Za-z][A-Za-z0-9]*(\\.[A-Za-z0-9]+)*\\??$', 'must be a path of names joined by dots, such as Trail.S3BucketName, optionally ending in ?'],
]);

/** The words for a schema's `pattern`, or the pattern itself when it is none of trailgate's. */
export function patternWords(pattern: string): string {
  return WORDS.get(pattern) ?? `must match the pattern ${pattern}`;
}

/** The patterns described, for the test that holds every pattern of the schemas to a description. */
export const DESCRIBED_PATTERNS: ReadonlySet<string> = new Set(WORDS.keys());
