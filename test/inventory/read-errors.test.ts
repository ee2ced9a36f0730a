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
  });

  it('every operation trailgate knows is accepted in any case, with or without its prefix', () => {
    for (const [service, names] of RECORDED_OPERATIONS) {
      for (const spelling of names.keys()) {
        for (const operation of [spelling, spelling.toUpperCase(), `${service}:${spelling}`]) {
          const text = withError(`{accountId: "111122223333", service: ${service}, operation: "${operation}", resource: t, code: AccessDenied}`);
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
});
