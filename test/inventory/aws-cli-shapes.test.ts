/** Inventories copied from real AWS output: what one CLI version prints is read like another's. */
import { expect } from 'chai';
import { parseInventory } from '../../src/inventory/parse.ts';
import { inputErrorOf } from '../helpers/input-error.ts';

const ARN = 'arn:aws:cloudtrail:us-east-1:111122223333:trail/t';

function withStatus(status: string): string {
  return `{"version": 1, "accounts": [{"accountId": "111122223333", "regions": ["us-east-1"],
  "trails": [{"Trail": {"TrailARN": "${ARN}", "Name": "t", "HomeRegion": "us-east-1"}, "Status": ${status}}]}]}`;
}

describe('inventory from AWS CLI output', () => {
  it('reads get-trail-status times in epoch seconds (AWS CLI v1, the raw API) as ISO 8601', () => {
    const v1 = `{"IsLogging": true, "LatestDeliveryTime": 1763604000.052, "StartLoggingTime": 1741944600,
      "LatestDigestDeliveryTime": 1763602262, "LatestCloudWatchLogsDeliveryTime": 1763603892.345, "StopLoggingTime": 1763604300,
      "LatestNotificationTime": 1763603999.5, "LatestDeliveryAttemptTime": "2025-11-20T02:00:00Z", "TimeLoggingStopped": ""}`;
    const status = parseInventory(withStatus(v1), 'v1.json').inventory.accounts[0].trails[0].Status;
    expect(status).to.deep.equal({
      IsLogging: true,
      LatestDeliveryTime: '2025-11-20T02:00:00.052Z',
      StartLoggingTime: '2025-03-14T09:30:00.000Z',
      LatestDigestDeliveryTime: '2025-11-20T01:31:02.000Z',
      LatestCloudWatchLogsDeliveryTime: '2025-11-20T01:58:12.345Z',
      StopLoggingTime: '2025-11-20T02:05:00.000Z',
      LatestNotificationTime: '2025-11-20T01:59:59.500Z',
      LatestDeliveryAttemptTime: '2025-11-20T02:00:00Z',
      TimeLoggingStopped: '',
    });
  });

  it('keeps CLI v2 times as printed', () => {
    const v2 = '{"IsLogging": true, "LatestDeliveryTime": "2026-11-20T01:59:59.123000+00:00"}';
    const status = parseInventory(withStatus(v2), 'v2.json').inventory.accounts[0].trails[0].Status;
    expect(status?.LatestDeliveryTime).to.equal('2026-11-20T01:59:59.123000+00:00');
  });
});

describe('inventory fields pasted as the AWS CLI prints the whole answer', () => {
  const POLICY = '{"Version":"2012-10-17","Statement":[]}';
  const KEY = 'arn:aws:kms:us-east-1:111122223333:key/k1';
  /** An inventory with one bucket and one key holding `bucket` and `key`. */
  const withFields = (bucket: object, key: object) =>
    JSON.stringify({ version: 1, accounts: [], errors: [{ accountId: '111122223333', region: 'us-east-1', service: 'sts', operation: 'AssumeRole', code: 'AccessDenied', message: 'm' }], buckets: { b: bucket }, keys: { [KEY]: key } });
  const read = (bucket: object, key: object) => {
    const { buckets, keys } = parseInventory(withFields(bucket, key), 'i.json').inventory;
    return { bucket: buckets?.b, key: keys?.[KEY] };
  };
  // Each CLI command's answer, and the value the inventory keeps.
  const BUCKET: [string, string, unknown, unknown][] = [
    ['get-bucket-location', 'Region', { LocationConstraint: 'EU' }, 'eu-west-1'],
    ['get-bucket-location (us-east-1)', 'Region', { LocationConstraint: null }, 'us-east-1'],
    ['get-bucket-policy', 'Policy', { Policy: POLICY }, POLICY],
    ['get-bucket-policy-status', 'PolicyStatus', { PolicyStatus: { IsPublic: true } }, { IsPublic: true }],
    ['get-public-access-block', 'PublicAccessBlock', { PublicAccessBlockConfiguration: { BlockPublicAcls: true } }, { BlockPublicAcls: true }],
    ['get-bucket-ownership-controls', 'OwnershipControls', { OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] } }, { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] }],
    ['get-bucket-logging', 'Logging', { LoggingEnabled: { TargetBucket: 't', TargetPrefix: 'p/' } }, { TargetBucket: 't', TargetPrefix: 'p/' }],
    ['get-bucket-request-payment', 'RequestPayer', { Payer: 'Requester' }, 'Requester'],
  ];
  for (const [command, field, answer, kept] of BUCKET) {
    it(`reads ${command}'s answer as the bucket's ${field}`, () => expect(read({ [field]: answer }, {}).bucket).to.deep.equal({ [field]: kept }));
  }
  const KEYS: [string, string, unknown, unknown][] = [
    ['describe-key', 'KeyMetadata', { KeyMetadata: { Arn: KEY, KeyState: 'Enabled' } }, { Arn: KEY, KeyState: 'Enabled' }],
    ['get-key-rotation-status', 'KeyRotationEnabled', { KeyRotationEnabled: true, KeyId: 'k1', RotationPeriodInDays: 365, NextRotationDate: '2027-01-01T00:00:00Z' }, true],
    ['get-key-policy', 'Policy', { PolicyName: 'default', Policy: POLICY }, POLICY],
  ];
  for (const [command, field, answer, kept] of KEYS) {
    it(`reads ${command}'s answer as the key's ${field}`, () => expect(read({}, { [field]: answer }).key).to.deep.equal({ [field]: kept }));
  }

  it('keeps a value that only holds the wrapper\'s name beside other keys, as written', () => {
    const mixed = { PolicyStatus: { PolicyStatus: { IsPublic: true }, IsPublic: false } };
    expect(read(mixed, {}).bucket).to.deep.equal(mixed);
    // The same key and the same value, each in its right place, are left alone.
    expect(read({ PolicyStatus: { IsPublic: false }, Policy: POLICY }, { KeyRotationEnabled: false }).bucket).to.deep.equal({ PolicyStatus: { IsPublic: false }, Policy: POLICY });
  });

  // The value is read one key up, but the file has it one key down: a problem below it is shown where it is written.
  it('places a problem inside a pasted answer where the file has it, with the pointer as written', () => {
    const yaml = (inner: string) =>
      ['version: 1', 'accounts: []', 'errors: [{accountId: "111122223333", service: sts, operation: AssumeRole, code: AccessDenied}]', 'buckets:', '  b:', '    PolicyStatus:', '      PolicyStatus:', `        ${inner}`, ''].join('\n');
    expect(inputErrorOf(() => parseInventory(yaml('IsPublic: "yes"'), 'i.yaml')).describeAll()).to.deep.equal([
      'i.yaml:8:19: invalid inventory: must be of type boolean: "yes" is text in YAML 1.2, which trailgate reads; write true or false (at /buckets/b/PolicyStatus/PolicyStatus/IsPublic)',
    ]);
    expect(inputErrorOf(() => parseInventory(yaml('isPublic: true'), 'i.yaml')).describeAll()[0]).to.match(/^i\.yaml:8:9: .*"isPublic".* \(at \/buckets\/b\/PolicyStatus\/PolicyStatus\/isPublic\)$/);
    // A bucket name with a / in it (a hand-made name) is escaped in the pointer the answer is found by.
    const slashed = yaml('IsPublic: "yes"').replace('  b:', '  "logs/b":');
    expect(inputErrorOf(() => parseInventory(slashed, 'i.yaml')).describeAll()).to.deep.equal([
      'i.yaml:8:19: invalid inventory: must be of type boolean: "yes" is text in YAML 1.2, which trailgate reads; write true or false (at /buckets/logs~1b/PolicyStatus/PolicyStatus/IsPublic)',
    ]);
    const json = `{"version": 1, "accounts": [], "errors": [{"accountId": "111122223333", "service": "sts", "operation": "AssumeRole", "code": "AccessDenied"}],\n"keys": {"${KEY}": {"KeyMetadata": {"KeyMetadata": {"KeyId": 5}}}}}`;
    expect(inputErrorOf(() => parseInventory(json, 'i.json')).describeAll()).to.deep.equal([
      `i.json:2:${json.split('\n')[1]!.indexOf('5') + 1}: invalid inventory: must be of type string (at /keys/${KEY.replace('/', '~1')}/KeyMetadata/KeyMetadata/KeyId)`,
    ]);
  });
});
