/**
 * Recorded read failures (`errors[]`) that would match no read are refused at their position,
 * never accepted to leave the rule that needed the datum passing (inventory.md: such a rule says
 * `error`, never `pass`); a trail named by its name, as the CloudTrail API allows, is found.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { stringify } from 'yaml';
import { RECORDED_OPERATIONS } from '../../src/engine/reads.ts';
import { parseInventory } from '../../src/inventory/parse.ts';
import { cli, tempDir } from '../helpers/cli.ts';
import { inputErrorOf } from '../helpers/input-error.ts';

const ARN = 'arn:aws:cloudtrail:us-east-1:111122223333:trail/t';
const ACCOUNT = { accountId: '111122223333', regions: ['us-east-1', 'eu-west-1'], trails: [{ Trail: { Name: 't', TrailARN: ARN, HomeRegion: 'us-east-1' }, Status: { IsLogging: true } }] };

/** An inventory whose one error is written `error` (a YAML flow mapping), on line 5. */
function withError(error: string): string {
  return `version: 1\ncollectedAt: 2026-11-20T02:00:00Z\naccounts: ${JSON.stringify([ACCOUNT])}\nerrors:\n  - ${error}\n`;
}

/** `line:column: message` of the refusal. */
function refusal(text: string): string {
  const e = inputErrorOf(() => parseInventory(text, 'inv.yaml'));
  return `${e.position?.line}:${e.position?.column}: ${e.message}`;
}

/** `5:column` of the value of `key` in the error on line 5. */
function at(text: string, key: string): string {
  return `5:${text.split('\n')[4].indexOf(` ${key}: `) + key.length + 4}`;
}

describe('recorded read failures', () => {
  it('a region that is no region name is refused at the region, as in regions', () => {
    for (const region of ['eu-west1', 'US-EAST-1', '"us-east-1 "', '""', 'global']) {
      const text = withError(`{accountId: "111122223333", region: ${region}, service: cloudtrail, operation: DescribeTrails, code: AccessDenied}`);
      expect(refusal(text), region).to.equal(`${at(text, 'region')}: invalid inventory: must be an AWS region name, such as us-east-1`);
    }
    // A call made in no region (AssumeRole, ListRegions) records none.
    expect(() => parseInventory(withError('{accountId: "111122223333", service: sts, operation: AssumeRole, code: AccessDenied}'), 'inv.yaml')).to.not.throw();
  });

  it('a service other than those the collector calls is refused', () => {
    const text = withError('{accountId: "111122223333", service: CloudTrail, operation: DescribeTrails, code: AccessDenied}');
    expect(refusal(text)).to.equal(`${at(text, 'service')}: invalid inventory: must be one of "cloudtrail", "s3", "kms", "sts", "organizations", "account", "ec2"`);
  });

  it('an operation trailgate does not know for the service is refused, with the nearest it knows', () => {
    const of = (service: string, operation: string) => {
      const text = withError(`{accountId: "111122223333", region: us-east-1, service: ${service}, operation: ${operation}, resource: "${ARN}", code: AccessDenied}`);
      return refusal(text).replace(`${at(text, 'operation')}: `, 'at the operation: ');
    };
    expect(of('cloudtrail', 'GetEventSelector')).to.equal('at the operation: invalid inventory: unknown cloudtrail operation "GetEventSelector"; did you mean GetEventSelectors?');
    expect(of('cloudtrail', 'cloudtrail:gettrailstatuss')).to.equal('at the operation: invalid inventory: unknown cloudtrail operation "cloudtrail:gettrailstatuss"; did you mean GetTrailStatus?');
    expect(of('kms', 'Encrypt')).to.equal('at the operation: invalid inventory: unknown kms operation "Encrypt"; trailgate knows DescribeKey, GetKeyPolicy, GetKeyRotationStatus for kms');
    expect(of('s3', 'GetEventSelectors')).to.equal("at the operation: invalid inventory: GetEventSelectors is a cloudtrail operation, but the error's service is s3");
    expect(of('cloudtrail', 's3:GetEventSelectors')).to.equal('at the operation: invalid inventory: the operation "s3:GetEventSelectors" is prefixed with another service than the error\'s, cloudtrail');
    // A longer name may be further off (three edits for nine letters or more), and is still named.
    expect(of('cloudtrail', 'GetEvntSlectrs')).to.equal('at the operation: invalid inventory: unknown cloudtrail operation "GetEvntSlectrs"; did you mean GetEventSelectors?');
    // An empty prefix is no service's either.
    expect(of('cloudtrail', ':GetEventSelectors')).to.equal('at the operation: invalid inventory: the operation ":GetEventSelectors" is prefixed with another service than the error\'s, cloudtrail');
  });

  it('every operation trailgate knows is accepted in any case, with or without its prefix', () => {
    for (const [service, names] of RECORDED_OPERATIONS) {
      for (const spelling of names.keys()) {
        // A call of a whole region or account names no resource.
        const resource = ['describetrails', 'describeorganization'].includes(spelling) ? '' : ', resource: t';
        for (const operation of [spelling, spelling.toUpperCase(), `${service}:${spelling}`]) {
          const text = withError(`{accountId: "111122223333", service: ${service}, operation: "${operation}"${resource}, code: AccessDenied}`);
          expect(() => parseInventory(text, 'inv.yaml'), operation).to.not.throw();
        }
      }
    }
  });

  it("a trail read's resource that is neither a TrailARN nor a trail name is refused", () => {
    const text = withError(`{accountId: "111122223333", region: us-east-1, service: cloudtrail, operation: GetTrailStatus, resource: "${ARN.toUpperCase()}", code: AccessDenied}`);
    expect(refusal(text)).to.equal(
      `${at(text, 'resource')}: invalid inventory: the resource of a failed GetTrailStatus is the trail it was called for, its TrailARN or its name; "${ARN.toUpperCase()}" is neither`,
    );
  });

  it('a failure that names its trail by name makes the rule say error, as one naming its TrailARN does', async () => {
    const dir = tempDir();
    const verdict = async (error: Record<string, string>) => {
      writeFileSync(join(dir, 'inv.yaml'), stringify({ version: 1, collectedAt: '2026-11-20T02:00:00Z', accounts: [ACCOUNT], errors: [{ accountId: '111122223333', service: 'cloudtrail', code: 'AccessDenied', ...error }] }));
      const r = await cli(['scan', '--snapshot', 'inv.yaml', '--only', 'trail-logging', '--format', 'json'], { cwd: dir });
      expect(r.stderr).to.equal('');
      const [result] = JSON.parse(r.stdout).results;
      return `${result.status}: ${result.message}`;
    };
    const byArn = await verdict({ region: 'us-east-1', operation: 'GetTrailStatus', resource: ARN });
    expect(byArn).to.match(/^error: /);
    expect(await verdict({ region: 'us-east-1', operation: 'GetTrailStatus', resource: 't' })).to.equal(byArn);
    expect(await verdict({ operation: 'gettrailstatus', resource: 't' })).to.equal(byArn.replace(' in us-east-1', ''));
    // A name means a trail homed in the region called: eu-west-1 has no trail t.
    expect(await verdict({ region: 'eu-west-1', operation: 'GetTrailStatus', resource: 't' })).to.match(/^pass: /);
  });

  it("a bucket read's resource is a bucket name even when a trail of the account has that name", async () => {
    const dir = tempDir();
    // A trail named as its bucket is: the failed GetBucketPolicy is the bucket's, not turned into the trail's TrailARN.
    const trail = { Name: 'logs', TrailARN: 'arn:aws:cloudtrail:us-east-1:111122223333:trail/logs', HomeRegion: 'us-east-1', S3BucketName: 'logs' };
    const account = { accountId: '111122223333', regions: ['us-east-1'], trails: [{ Trail: trail, Status: { IsLogging: true } }] };
    const errors = [{ accountId: '111122223333', region: 'us-east-1', service: 's3', operation: 'GetBucketPolicy', resource: 'logs', code: 'AccessDenied' }];
    writeFileSync(join(dir, 'inv.json'), JSON.stringify({ version: 1, collectedAt: '2026-11-20T02:00:00Z', accounts: [account], buckets: { logs: { Region: 'us-east-1', RequestPayer: 'BucketOwner' } }, errors }));
    const r = await cli(['scan', '--snapshot', 'inv.json', '--only', 'bucket-delivery', '--format', 'json'], { cwd: dir });
    expect(r.stderr).to.equal('');
    const [result] = JSON.parse(r.stdout).results;
    expect(result.status).to.equal('error');
    expect(result.message).to.include('GetBucketPolicy for logs failed with AccessDenied');
  });

  it('a name without a region that the account gives two trails is refused', async () => {
    const dir = tempDir();
    const other = { Trail: { Name: 't', TrailARN: 'arn:aws:cloudtrail:eu-west-1:111122223333:trail/t', HomeRegion: 'eu-west-1' } };
    const error = { accountId: '111122223333', service: 'cloudtrail', operation: 'GetTrailStatus', resource: 't', code: 'AccessDenied' };
    writeFileSync(join(dir, 'inv.json'), JSON.stringify({ version: 1, accounts: [{ ...ACCOUNT, trails: [...ACCOUNT.trails, other] }], errors: [error] }, null, 2));
    const r = await cli(['scan', '--snapshot', 'inv.json'], { cwd: dir });
    expect(r.code).to.equal(2);
    expect(r.stderr).to.equal(
      "trailgate: inv.json:36:19: account 111122223333 owns a trail named t in several regions (us-east-1, eu-west-1): give the error's region, or the trail's TrailARN as its resource (at /errors/0/resource)\n",
    );
  });
  it('a region-wide call given a resource, or a bucket or key read given none, is refused at the error', () => {
    const of = (error: string) => {
      const text = withError(error);
      const e = inputErrorOf(() => parseInventory(text, 'inv.yaml'));
      return `${e.position?.pointer}: ${e.message}`;
    };
    // Matched by resource, a trail list that failed would match nothing, and read as complete.
    expect(of(`{accountId: "111122223333", region: us-east-1, service: cloudtrail, operation: DescribeTrails, resource: "${ARN}", code: AccessDenied}`)).to.equal(
      '/errors/0/resource: invalid inventory: DescribeTrails lists every trail of a region, so its failure names no resource: leave resource out (the region says where it failed)',
    );
    expect(of('{accountId: "111122223333", service: organizations, operation: DescribeOrganization, resource: "111122223333", code: AccessDenied}')).to.equal(
      '/errors/0/resource: invalid inventory: DescribeOrganization is asked of an account as a whole, so its failure names no resource: leave resource out (the accountId says whose organization it is)',
    );
    expect(of('{accountId: "111122223333", region: us-east-1, service: s3, operation: GetBucketPolicy, code: AccessDenied}')).to.equal(
      "/errors/0: invalid inventory: a failed GetBucketPolicy names its bucket: give the bucket's name as resource",
    );
    expect(of('{accountId: "111122223333", region: us-east-1, service: kms, operation: GetKeyPolicy, code: AccessDenied}')).to.equal(
      "/errors/0: invalid inventory: a failed GetKeyPolicy names its key: give the key's ARN (or the id or alias it was asked by) as resource",
    );
    for (const resource of ['arn:aws:s3:::logs', 's3://logs', 's3://logs/', 'arn:aws:s3:::logs/*', 's3://logs/AWSLogs/', 'arn:aws-cn:s3:::logs/AWSLogs/o-1/*']) {
      expect(of(`{accountId: "111122223333", region: us-east-1, service: s3, operation: s3:GetBucketAcl, resource: "${resource}", code: AccessDenied}`), resource).to.equal(
        `/errors/0/resource: invalid inventory: the resource of a failed GetBucketAcl is the bucket's name, as the trail's S3BucketName and the buckets map give it, not "${resource}": write logs`,
      );
    }
    // A trail read that names neither its trail nor its region would match no trail: a failed
    // GetEventSelectors would leave AWS's default selector standing, and the rules pass.
    for (const operation of ['GetTrailStatus', 'cloudtrail:getEventSelectors', 'GetInsightSelectors']) {
      const name = operation.includes('EventSelectors') ? 'GetEventSelectors' : operation;
      expect(of(`{accountId: "111122223333", service: cloudtrail, operation: "${operation}", code: AccessDenied}`), operation).to.equal(
        `/errors/0: invalid inventory: a failed ${name} names its trail: give the trail's TrailARN (or its name) as resource, or the region it failed in`,
      );
    }
    expect(() => parseInventory(withError('{accountId: "111122223333", region: us-east-1, service: cloudtrail, operation: GetEventSelectors, code: AccessDenied}'), 'inv.yaml')).to.not.throw();
    // HeadBucket, which other tools record, is a read of one bucket too: without its name it would match no bucket.
    expect(of('{accountId: "111122223333", region: us-east-1, service: s3, operation: HeadBucket, code: Forbidden}')).to.equal(
      "/errors/0: invalid inventory: a failed HeadBucket names its bucket: give the bucket's name as resource",
    );
    expect(of('{accountId: "111122223333", region: us-east-1, service: s3, operation: HeadBucket, resource: "arn:aws:s3:::logs", code: "403"}')).to.equal(
      `/errors/0/resource: invalid inventory: the resource of a failed HeadBucket is the bucket's name, as the trail's S3BucketName and the buckets map give it, not "arn:aws:s3:::logs": write logs`,
    );
    // Any other ARN is no bucket's name either, though it gives none to write instead.
    for (const resource of ['arn:aws:s3:us-east-1:111122223333:logs', 'arn:aws:iam::111122223333:role/logs']) {
      expect(of(`{accountId: "111122223333", region: us-east-1, service: s3, operation: GetBucketPolicy, resource: "${resource}", code: AccessDenied}`), resource).to.equal(
        `/errors/0/resource: invalid inventory: the resource of a failed GetBucketPolicy is the bucket's name, as the trail's S3BucketName and the buckets map give it, not "${resource}"`,
      );
    }
    // A call made of no resource and named one, where nothing looks it up by it, is let be (AssumeRole's role ARN).
    expect(() => parseInventory(withError('{accountId: "111122223333", service: sts, operation: AssumeRole, resource: "arn:aws:iam::111122223333:role/audit", code: AccessDenied}'), 'inv.yaml')).to.not.throw();
    expect(() => parseInventory(withError('{accountId: "111122223333", region: us-east-1, service: s3, operation: GetBucketPolicy, resource: logs, code: AccessDenied}'), 'inv.yaml')).to.not.throw();
  });

  it('a name that reaches no trail the account owns in the region, but names one it lists, is refused with the TrailARN', async () => {
    const dir = tempDir();
    const org = 'arn:aws:cloudtrail:us-east-1:111122223333:trail/org';
    const trail = { Name: 'org', TrailARN: org, HomeRegion: 'us-east-1', IsMultiRegionTrail: true, IsOrganizationTrail: true, HasCustomEventSelectors: false };
    const owner = { accountId: '111122223333', regions: ['us-east-1', 'eu-west-1'], trails: [{ Trail: trail, Status: { IsLogging: true } }] };
    const member = { accountId: '444455556666', regions: ['us-east-1', 'eu-west-1'], trails: [{ Trail: trail }] };
    const scan = async (error: Record<string, string>) => {
      const errors = [{ service: 'cloudtrail', operation: 'GetEventSelectors', code: 'AccessDenied', ...error }];
      writeFileSync(join(dir, 'inv.json'), JSON.stringify({ version: 1, accounts: [owner, member], errors }, null, 2));
      return cli(['scan', '--snapshot', 'inv.json', '--only', 'multi-region-trail', '--format', 'json'], { cwd: dir });
    };
    // Written with the TrailARN, the failure makes the selectors unknown: error, not AWS's default selector.
    const byArn = await scan({ accountId: '444455556666', region: 'us-east-1', resource: org });
    expect(JSON.parse(byArn.stdout).results.map((r: { status: string }) => r.status)).to.deep.equal(['error', 'error']);
    // By name, from the member (the organization trail is another account's) or from a region the trail is not homed in, it matched nothing, and both passed.
    for (const [error, where] of [
      [{ accountId: '444455556666', region: 'us-east-1', resource: 'org' }, 'account 444455556666 owns no trail named org homed in us-east-1'],
      [{ accountId: '444455556666', resource: 'org' }, 'account 444455556666 owns no trail named org'],
      [{ accountId: '111122223333', region: 'eu-west-1', resource: 'org' }, 'account 111122223333 owns no trail named org homed in eu-west-1'],
    ] as const) {
      const r = await scan(error);
      expect(r.code, JSON.stringify(error)).to.equal(2);
      expect(r.stderr).to.match(new RegExp(`^trailgate: inv\\.json:\\d+:\\d+: ${where}, and a name reaches only such a trail; the trail org it lists is ${org}: give that TrailARN as the error's resource \\(at /errors/0/resource\\)\\n$`));
    }
    // The owner's name in the trail's home region is its trail, as before.
    const byName = await scan({ accountId: '111122223333', region: 'us-east-1', resource: 'org' });
    expect(JSON.parse(byName.stdout).results.map((r: { status: string }) => r.status)).to.deep.equal(['error', 'error']);
  });
});
