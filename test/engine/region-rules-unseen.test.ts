/**
 * A region rule and the regions the inventory does not show (rules.md: `error` when a rule needed
 * data that could not be read; README: an account known only from its failed reads "is still
 * judged ...: its rules say `error` rather than nothing"). An account whose entry lists no region,
 * or that appears only in `errors`, has no region to judge: a region rule must say `error` for the
 * account, as a trail or account rule does, not leave it out of the report.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { evaluate } from '../../src/engine/evaluate.ts';
import { parseInventory } from '../../src/inventory/parse.ts';
import { mergeInventories } from '../../src/inventory/merge.ts';
import type { CompiledRule } from '../../src/rules/compiled.ts';
import { loadRules } from '../../src/rules/load.ts';

const SEEN = '111122223333';
const UNSEEN = '444455556666';

function trail(account: string) {
  return { Trail: { Name: 't', TrailARN: `arn:aws:cloudtrail:us-east-1:${account}:trail/t`, HomeRegion: 'us-east-1', IsMultiRegionTrail: true } };
}

function judge(rules: CompiledRule[], inv: object) {
  const results = evaluate(rules, mergeInventories([parseInventory(JSON.stringify({ version: 1, ...inv }), 'inv.json')]).inventory);
  return results.map((r) => ({ status: r.status, kind: r.subject.kind, accountId: r.subject.accountId, region: r.subject.region, message: r.message }));
}

describe('a region rule where the inventory shows no region of an account', () => {
  const perRegion = () => loadRules().filter((r) => r.meta.id === 'trails-per-region');

  it('an account known only from a failed AssumeRole is an error, not left out', () => {
    const got = judge(perRegion(), {
      accounts: [{ accountId: SEEN, regions: ['us-east-1'], trails: [trail(SEEN)] }],
      errors: [{ accountId: UNSEEN, service: 'sts', operation: 'AssumeRole', code: 'AccessDenied', message: 'denied' }],
    });
    expect(got.map((r) => [r.status, r.kind, r.accountId, r.region])).to.deep.equal([
      ['pass', 'region', SEEN, 'us-east-1'],
      ['error', 'account', UNSEEN, undefined],
    ]);
    expect(got[1].message).to.equal(`cannot judge the regions of account ${UNSEEN}: AssumeRole failed with AccessDenied: denied`);
  });

  // Only a failed AssumeRole or DescribeTrails made such an account judged: a failed read of its
  // trail's status was dropped, and the run exited 0 with the account in no result.
  it('an account known only from a failed read of a trail is an error too, and one known only from a bucket read is not judged', () => {
    const accountRule = () => loadRules().filter((r) => r.meta.id === 'multi-region-trail');
    const got = judge(accountRule(), {
      accounts: [{ accountId: SEEN, regions: ['us-east-1'], trails: [trail(SEEN)] }],
      errors: [
        { accountId: UNSEEN, region: 'us-east-1', service: 'cloudtrail', operation: 'GetTrailStatus', resource: `arn:aws:cloudtrail:us-east-1:${UNSEEN}:trail/t`, code: 'AccessDenied' },
        { accountId: '777777777777', region: 'us-east-1', service: 's3', operation: 'GetBucketPolicy', resource: 'logs', code: 'AccessDenied' },
      ],
    });
    expect(got.map((r) => [r.status, r.kind, r.accountId])).to.deep.equal([
      ['error', 'account', SEEN],
      ['error', 'account', UNSEEN],
    ]);
    expect(got[1].message).to.include("which only the inventory's errors name");
  });

  it('an account whose entry lists no region is an error naming the missing trail list', () => {
    const got = judge(perRegion(), { accounts: [{ accountId: SEEN, regions: [], trails: [trail(SEEN)] }] });
    expect(got).to.have.length(1);
    expect(got[0]).to.include({ status: 'error', kind: 'account', accountId: SEEN });
    expect(got[0].message).to.include('whose entry lists no region').and.include('DescribeTrails');
  });

  it('a DescribeTrails that failed in a region the entry does not list is an error beside the listed regions', () => {
    const got = judge(perRegion(), {
      accounts: [{ accountId: SEEN, regions: ['us-east-1'], trails: [trail(SEEN)] }],
      errors: [{ accountId: SEEN, region: 'eu-west-1', service: 'cloudtrail', operation: 'DescribeTrails', code: 'AccessDeniedException' }],
    });
    expect(got.map((r) => [r.status, r.kind])).to.deep.equal([
      ['pass', 'region'],
      ['error', 'account'],
    ]);
    expect(got[1].message).to.include('DescribeTrails in eu-west-1 failed');
  });

  it('a region whose list failed is its own error, with no second one for the account', () => {
    const got = judge(perRegion(), {
      accounts: [{ accountId: SEEN, regions: ['us-east-1', 'eu-west-1'], trails: [trail(SEEN)] }],
      errors: [{ accountId: SEEN, service: 'sts', operation: 'AssumeRole', code: 'AccessDenied' }],
    });
    expect(got.map((r) => [r.status, r.kind, r.region])).to.deep.equal([
      ['error', 'region', 'eu-west-1'],
      ['error', 'region', 'us-east-1'],
    ]);
  });

  it('a region whose list failed stands for the account: a failure in a region the entry does not list adds no second error', () => {
    const got = judge(perRegion(), {
      accounts: [{ accountId: SEEN, regions: ['us-east-1'], trails: [trail(SEEN)] }],
      errors: [
        { accountId: SEEN, region: 'us-east-1', service: 'cloudtrail', operation: 'DescribeTrails', code: 'AccessDeniedException' },
        { accountId: SEEN, region: 'eu-west-1', service: 'cloudtrail', operation: 'DescribeTrails', code: 'AccessDeniedException' },
      ],
    });
    expect(got.map((r) => [r.status, r.kind, r.region])).to.deep.equal([['error', 'region', 'us-east-1']]);
  });

  describe("with a rule-level where", () => {
    let dir: string;
    before(() => (dir = mkdtempSync(join(tmpdir(), 'trailgate-region-where-'))));
    after(() => rmSync(dir, { recursive: true, force: true }));
    const rule = (where: string) => {
      writeFileSync(
        join(dir, 'three.yaml'),
        ['id: three', 'title: Three trails', 'severity: low', 'scope: region', 'description: At most three.', 'remediation:', '  text: Delete one.', 'reads: [Trail]', 'where:', `  ${where}`, 'count:', '  where: { facts.owned: { const: true } }', '  max: 3', ''].join('\n'),
      );
      return loadRules({ builtin: false, paths: [join(dir, 'three.yaml')], cwd: dir });
    };
    const inv = { accounts: [], errors: [{ accountId: UNSEEN, service: 'sts', operation: 'AssumeRole', code: 'AccessDenied' }] };

    it('on the region still judges the account: which regions it has is unknown', () => {
      const got = judge(rule('region: { pattern: "^eu-" }'), inv);
      expect(got.map((r) => [r.status, r.kind, r.accountId])).to.deep.equal([['error', 'account', UNSEEN]]);
    });

    it('that leaves the account out by its id gives no error for it', () => {
      expect(judge(rule(`accountId: { const: "${SEEN}" }`), inv)).to.deep.equal([]);
    });

    // A DescribeTrails failure recorded for a region the entry does not list names that region:
    // the where judges it as it judges a listed one (which it would skip).
    const unlisted = {
      accounts: [{ accountId: SEEN, regions: ['us-east-1'], trails: [trail(SEEN)] }],
      errors: [{ accountId: SEEN, region: 'eu-west-1', service: 'cloudtrail', operation: 'DescribeTrails', code: 'AccessDeniedException' }],
    };

    it('on the region gives no error for an unlisted region it leaves out', () => {
      expect(judge(rule('region: { const: us-east-1 }'), unlisted).map((r) => [r.status, r.kind, r.region])).to.deep.equal([['pass', 'region', 'us-east-1']]);
    });

    it('on the region still says error for an unlisted region it chooses', () => {
      const got = judge(rule('region: { pattern: "^eu-" }'), unlisted);
      expect(got.map((r) => [r.status, r.kind, r.region])).to.deep.equal([
        ['skipped', 'region', 'us-east-1'],
        ['error', 'account', undefined],
      ]);
      expect(got[1].message).to.include('DescribeTrails in eu-west-1 failed');
    });

    it('on the region names the first unlisted failure it chooses, and only that one', () => {
      const got = judge(rule('region: { pattern: "^eu-" }'), {
        accounts: [{ accountId: SEEN, regions: ['us-east-1'], trails: [trail(SEEN)] }],
        errors: [
          { accountId: SEEN, region: 'ap-south-1', service: 'cloudtrail', operation: 'DescribeTrails', code: 'AccessDeniedException' },
          { accountId: SEEN, region: 'eu-west-1', service: 'cloudtrail', operation: 'DescribeTrails', code: 'AccessDeniedException' },
          { accountId: SEEN, region: 'eu-central-1', service: 'cloudtrail', operation: 'DescribeTrails', code: 'AccessDeniedException' },
        ],
      });
      expect(got.map((r) => [r.status, r.kind])).to.deep.equal([
        ['skipped', 'region'],
        ['error', 'account'],
      ]);
      expect(got[1].message).to.equal(`cannot judge the regions of account ${SEEN}: DescribeTrails in eu-central-1 failed with AccessDeniedException (the scanning role needs cloudtrail:DescribeTrails)`);
    });

    it('on the region still judges an account whose entry lists no region, whatever region its failures name', () => {
      // The entry says nothing of which regions the account has: a failure recorded in eu-west-1
      // does not show that us-east-1, which the where chooses, was seen (without it, the account is an error).
      const got = judge(rule('region: { const: us-east-1 }'), {
        accounts: [{ accountId: SEEN, regions: [], trails: [] }],
        errors: [{ accountId: SEEN, region: 'eu-west-1', service: 'cloudtrail', operation: 'DescribeTrails', code: 'AccessDeniedException' }],
      });
      expect(got.map((r) => [r.status, r.kind, r.accountId])).to.deep.equal([['error', 'account', SEEN]]);
    });

    it('on the region says error for an unlisted region it chooses beside a failed listed region it leaves out', () => {
      const got = judge(rule('region: { const: ap-south-1 }'), {
        accounts: [{ accountId: SEEN, regions: ['us-east-1', 'eu-west-1'], trails: [trail(SEEN)] }],
        errors: [
          { accountId: SEEN, region: 'eu-west-1', service: 'cloudtrail', operation: 'DescribeTrails', code: 'AccessDeniedException' },
          { accountId: SEEN, region: 'ap-south-1', service: 'cloudtrail', operation: 'DescribeTrails', code: 'AccessDeniedException' },
        ],
      });
      expect(got.map((r) => [r.status, r.kind, r.region])).to.deep.equal([
        ['skipped', 'region', 'eu-west-1'],
        ['skipped', 'region', 'us-east-1'],
        ['error', 'account', undefined],
      ]);
      expect(got[2].message).to.include('DescribeTrails in ap-south-1 failed');
    });

    it('on the region still judges an account whose whole read failed, whatever regions its entry lists', () => {
      // A failed ListRegions (or AssumeRole, or a DescribeTrails naming no region) leaves the
      // account unread: the listed regions are not all it has, and eu-west-1 may be among them.
      for (const failure of [
        { service: 'account', operation: 'ListRegions', code: 'AccessDeniedException' },
        { service: 'cloudtrail', operation: 'DescribeTrails', code: 'AccessDeniedException' },
      ]) {
        const got = judge(rule('region: { pattern: "^eu-" }'), {
          accounts: [{ accountId: SEEN, regions: ['us-east-1'], trails: [trail(SEEN)] }],
          errors: [{ accountId: SEEN, ...failure }],
        });
        expect(got.map((r) => [r.status, r.kind, r.region])).to.deep.equal([
          ['skipped', 'region', 'us-east-1'],
          ['error', 'account', undefined],
        ]);
        expect(got[1].message).to.include(`${failure.operation} failed`);
      }
    });

    it('on the region gives no error for a failed listed region it leaves out, with no unlisted failure', () => {
      const got = judge(rule('region: { const: us-east-1 }'), {
        accounts: [{ accountId: SEEN, regions: ['us-east-1', 'eu-west-1'], trails: [trail(SEEN)] }],
        errors: [{ accountId: SEEN, region: 'eu-west-1', service: 'cloudtrail', operation: 'DescribeTrails', code: 'AccessDeniedException' }],
      });
      expect(got.map((r) => [r.status, r.kind, r.region])).to.deep.equal([
        ['skipped', 'region', 'eu-west-1'],
        ['pass', 'region', 'us-east-1'],
      ]);
    });
  });

  // A region the entry does not list but the account's own trails are homed in: nobody listed its
  // trails, so only what the trails shown there already break is said of it.
  describe('in a region the entry does not list but the account\'s own trails are homed in', () => {
    const dir = mkdtempSync(join(tmpdir(), 'trailgate-unlisted-'));
    after(() => rmSync(dir, { recursive: true, force: true }));
    const userRule = (id: string, assertion: string) => {
      writeFileSync(join(dir, `${id}.yaml`), [`id: ${id}`, 'title: T', 'severity: low', 'scope: region', 'description: d', 'remediation:', '  text: t', 'reads: [Trail]', assertion, ''].join('\n'));
      return loadRules({ builtin: false, paths: [join(dir, `${id}.yaml`)], cwd: dir });
    };
    const t = (account: string, region: string, name: string, validated: boolean, extra: object = {}) => ({
      Trail: { Name: name, TrailARN: `arn:aws:cloudtrail:${region}:${account}:trail/${name}`, HomeRegion: region, LogFileValidationEnabled: validated, S3BucketName: 'b', ...extra },
    });
    const inv = { accounts: [{ accountId: SEEN, regions: ['af-south-1'], trails: [t(SEEN, 'af-south-1', 'a', true), t(SEEN, 'ap-south-1', 's0', false), t(SEEN, 'ap-south-1', 's1', false)] }] };
    const evaluated = (rules: CompiledRule[], i: object) => evaluate(rules, mergeInventories([parseInventory(JSON.stringify({ version: 1, ...i }), 'inv.json')]).inventory);

    it('a some or a count min there, which a trail nobody listed could meet, says nothing', () => {
      const some = judge(userRule('r', 'some: { check: { Trail.LogFileValidationEnabled: { const: true } } }'), inv);
      expect(some.map((r) => [r.status, r.region])).to.deep.equal([['pass', 'af-south-1']]);
      const min = judge(userRule('r', 'count: { min: 3 }'), inv);
      expect(min.map((r) => [r.status, r.region])).to.deep.equal([['fail', 'af-south-1']]);
    });

    it('a none it breaks fails there, at the first of its trails homed there', () => {
      const got = evaluated(userRule('r', 'none: { check: { Trail.LogFileValidationEnabled: { const: false } } }'), inv);
      expect(got.map((r) => [r.status, r.subject.region, r.anchor?.pointer])).to.deep.equal([
        ['pass', 'af-south-1', '/regions/0'],
        ['fail', 'ap-south-1', '/trails/1'],
      ]);
    });

    it('an organization trail a member sees makes its home no region of the member\'s', () => {
      const MGMT = '999988887777';
      const org = t(MGMT, 'us-east-1', 'org', false, { IsMultiRegionTrail: true, IsOrganizationTrail: true });
      const got = judge(userRule('r', 'none: { check: { Trail.LogFileValidationEnabled: { const: false } } }'), {
        accounts: [
          { accountId: MGMT, organizationId: 'o-a1b2c3d4e5', regions: ['us-east-1'], trails: [org] },
          { accountId: SEEN, organizationId: 'o-a1b2c3d4e5', regions: ['eu-west-1'], trails: [org] },
        ],
      });
      expect(got.map((r) => [r.status, r.accountId, r.region])).to.deep.equal([
        ['fail', SEEN, 'eu-west-1'],
        ['fail', MGMT, 'us-east-1'],
      ]);
    });
  });
});
