/**
 * The subject fields beside the trail (`organizationId`, `collectedAt`, `partition`) depend on the
 * reads that fill them: an organization id that DescribeOrganization could not read is unknown,
 * never absent, so a `?` or a `not` cannot pass on it.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { evaluate } from '../../src/engine/evaluate.ts';
import { parseInventory } from '../../src/inventory/parse.ts';
import { loadRules } from '../../src/rules/load.ts';
import { tempDir } from '../helpers/cli.ts';

const OWNER = '111122223333';
const MEMBER = '444455556666';
const HEAD = 'title: t\nseverity: high\nscope: trail\ndescription: d\nremediation: { text: x }\nreads: [Trail]\n';
const RULES: Record<string, string> = {
  'not-rogue-org': 'check:\n  organizationId?: { not: { const: o-rogue12345 } }\n',
  'collected-this-year': 'check:\n  collectedAt: { pattern: "^2026-" }\n',
  'commercial-partition': 'check:\n  partition: { const: aws }\n',
};

interface Case {
  organizationId?: string;
  organizationTrail?: boolean;
  collectedAt?: string;
  /** Accounts whose DescribeOrganization failed. */
  describeOrganizationFailed?: string[];
  /** The trail is seen from a member only, its owner being outside the inventory. */
  fromMember?: boolean;
}

function run(c: Case): Record<string, string> {
  const dir = tempDir();
  for (const [id, body] of Object.entries(RULES)) writeFileSync(join(dir, `${id}.yaml`), `id: ${id}\n${HEAD}${body}`);
  const rules = loadRules({ builtin: false, paths: [dir], cwd: dir });
  const account = c.fromMember ? MEMBER : OWNER;
  const inventory = {
    version: 1,
    ...(c.collectedAt === undefined ? {} : { collectedAt: c.collectedAt }),
    accounts: [
      {
        accountId: account,
        ...(c.organizationId === undefined ? {} : { organizationId: c.organizationId }),
        regions: ['us-east-1'],
        trails: [{ Trail: { Name: 't1', TrailARN: `arn:aws:cloudtrail:us-east-1:${OWNER}:trail/t1`, HomeRegion: 'us-east-1', ...(c.organizationTrail ? { IsOrganizationTrail: true } : {}) } }],
      },
    ],
    errors: (c.describeOrganizationFailed ?? []).map((accountId) => ({ accountId, service: 'organizations', operation: 'DescribeOrganization', code: 'AccessDeniedException', message: 'denied' })),
  };
  const { inventory: inv } = parseInventory(JSON.stringify(inventory), 'inv.json');
  return Object.fromEntries(evaluate(rules, inv).map((r) => [r.ruleId, r.status === 'error' ? `error: ${r.message.replace(/^cannot judge trail t1: /, '')}` : r.status]));
}

describe('subject fields beside the trail', () => {
  it('organizationId is unknown when DescribeOrganization failed for the owner: error, not absent', () => {
    const r = run({ describeOrganizationFailed: [OWNER], collectedAt: '2026-11-20T02:00:00Z' });
    expect(r['not-rogue-org']).to.equal('error: DescribeOrganization failed with AccessDeniedException: denied (the scanning role needs organizations:DescribeOrganization)');
    expect(run({ describeOrganizationFailed: [OWNER], organizationTrail: true })['not-rogue-org']).to.match(/^error: DescribeOrganization failed/);
  });

  it("organizationId of an organization trail seen from a member: the member's failure explains it", () => {
    expect(run({ fromMember: true, organizationTrail: true, describeOrganizationFailed: [MEMBER] })['not-rogue-org']).to.match(/^error: DescribeOrganization failed/);
    expect(run({ fromMember: true, organizationTrail: true, organizationId: 'o-rogue12345' })['not-rogue-org']).to.equal('fail');
  });

  it('organizationId of an organization trail is never absent: not in the inventory is error', () => {
    expect(run({ organizationTrail: true })['not-rogue-org']).to.equal(`error: the organization id of account ${OWNER} is not in the inventory (DescribeOrganization for ${OWNER})`);
  });

  it('organizationId is absent for an account in no organization, and read when the inventory has it', () => {
    expect(run({})['not-rogue-org']).to.equal('pass');
    expect(run({ organizationId: 'o-rogue12345' })['not-rogue-org']).to.equal('fail');
    expect(run({ organizationId: 'o-good123456' })['not-rogue-org']).to.equal('pass');
  });

  it('collectedAt is error when the inventory does not say when it was collected; partition is always known', () => {
    expect(run({ collectedAt: '2026-11-20T02:00:00Z' })).to.include({ 'collected-this-year': 'pass', 'commercial-partition': 'pass' });
    expect(run({ collectedAt: '2025-11-20T02:00:00Z' })['collected-this-year']).to.equal('fail');
    expect(run({})['collected-this-year']).to.equal('error: the inventory has no collectedAt, so a condition on collectedAt cannot be judged (collectedAt)');
  });
});
