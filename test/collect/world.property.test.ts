/**
 * Differential property test of live collection: fast-check draws small organizations and faults
 * on random reads (world-property/generate.ts). Each world is collected through the fake
 * endpoint by the real collector, in organization and in explicit-accounts mode, and compared
 * with the inventory a perfect collector would write, worked out from the world and inventory.md
 * alone, not from src/collect (world-property/model.ts; compare.ts folds both to one form):
 *
 * - accounts, their regions and organization id, and every visible trail once per TrailARN;
 * - Status, selectors and insights as read in the trail's home region, the same in every copy
 *   that carries them (which copy does is the collector's choice: the engine folds copies);
 * - buckets and keys with what their reader may see, `null` for "read, none", absent for failed;
 * - errors[]: every persistent fault, and nothing for throttling that recovered;
 * - the verdict of every built-in rule on both inventories, and never `pass` for a trail rule
 *   that reads a datum whose read failed.
 */
import { expect } from 'chai';
import fc from 'fast-check';
import { evaluate } from '../../src/engine/evaluate.ts';
import type { ReadError } from '../../src/inventory/types.ts';
import type { CompiledRule } from '../../src/rules/compiled.ts';
import { loadRules } from '../../src/rules/load.ts';
import type { CollectOptions } from '../../src/collect/index.ts';
import { keyArn, principalFor, regionsOf, type FakeKey, type FakeScenario } from '../fake-aws/scenario.ts';
import type { Fault, LoggedCall } from '../fake-aws/server.ts';
import { FIXED_NOW, runCollect } from './harness.ts';
import { canonical, FIELD_OF, TRAIL_READS, verdicts } from './world-property/compare.ts';
import { accountsOf, DEFAULT, faultsOf, KEY_IDS, LOGS, memberId, MGMT, ORG_ID, OUTSIDER, ROLE, scenarioOf, worldSpec, type WorldSpec } from './world-property/generate.ts';
import { DEFAULT_SELECTOR, expectedInventory } from './world-property/model.ts';

interface Case {
  spec: WorldSpec;
  mode: 'organization' | 'accounts';
}

async function check({ spec, mode }: Case, rules: readonly CompiledRule[]): Promise<void> {
  const a = accountsOf(spec);
  const { scenario, trails, buckets, keys } = scenarioOf(spec, a);
  const faults = faultsOf(spec, a, trails, buckets, keys);
  const options: CollectOptions =
    mode === 'organization'
      ? { organization: true, roleName: ROLE }
      : { accounts: spec.explicit.map((i) => a.core[i % a.core.length]), roleName: ROLE };
  const { inventory, fake } = await runCollect(scenario, { ...options, requestsPerSecond: 1000, burst: 100, maxAttempts: 3 }, { fake: { faults: structuredClone(faults) } });
  const expected = expectedInventory(scenario, a, faults, options);

  // Bucket and key reads by an account that does not own them: any scanned account that sees a
  // trail naming the resource may be the reader.
  const users = new Map<string, Set<string>>();
  for (const acc of inventory.accounts) {
    for (const { Trail: t } of acc.trails) {
      for (const r of [t.S3BucketName, t.KmsKeyId]) if (r) users.set(r, (users.get(r) ?? new Set()).add(acc.accountId));
    }
  }
  const owners = new Map<string, string>([...scenario.buckets.map((b) => [b.name, b.account] as const), ...scenario.keys.map((k) => [keyArn(k), k.account] as const)]);
  const withSession = new Set(expected.targets.filter((id) => id === MGMT || id !== a.noRole));
  const foreignOk = (e: ReadError): boolean => {
    if (e.service !== 's3' && e.service !== 'kms') return false;
    // An alias belongs to the account of the trail that names it.
    const owned = e.resource?.startsWith('alias/') ? scenario.trails.filter((t) => t.kmsKeyId === e.resource).map((t) => t.account) : [owners.get(e.resource ?? '') ?? e.resource?.split(':')[4]];
    if (owned.some((o) => o !== undefined && withSession.has(o))) return false;
    if (e.accountId === '*') return true;
    const users_ = [...(users.get(e.resource ?? '') ?? [])];
    // A key's later reads name it by ARN; the trail may have named it by alias.
    const aliasUsers = e.service === 'kms' ? [...users].filter(([r]) => r.startsWith('alias/')).flatMap(([, s]) => [...s]) : [];
    expect([...users_, ...aliasUsers], `reader of ${e.resource}`).to.include(e.accountId);
    return true;
  };
  const got = canonical(inventory, foreignOk, true);
  const want = canonical(expected.inventory, () => false, false);
  const world = `\n  mode ${mode}${mode === 'accounts' ? ` ${JSON.stringify(options.accounts)}` : ''}\n  faults ${JSON.stringify(faults)}`;

  expect(got.inventory.accounts, `accounts${world}`).to.deep.equal(want.inventory.accounts);
  expect(got.inventory.buckets, `buckets${world}`).to.deep.equal(want.inventory.buckets);
  expect(got.inventory.keys, `keys${world}`).to.deep.equal(want.inventory.keys);
  expect(got.inventory.errors, `errors${world}`).to.deep.equal(want.inventory.errors);
  expect(inventory.version).to.equal(1);
  expect(inventory.collectedAt).to.equal(FIXED_NOW.toISOString());

  // Every injected persistent fault that met a call is an error once; throttling that recovered leaves none.
  for (const f of faults) {
    const met = fake.calls.filter((c) => matches(f, c));
    if (met.length === 0) continue;
    const hits = (inventory.errors ?? []).filter((e) => e.service === f.service && e.operation === f.operation && (f.resource === undefined || e.resource === f.resource) && (f.region === undefined || e.region === f.region) && (f.account === undefined || e.accountId === f.account));
    if (f.kind === 'throttle') expect(hits, `throttling that recovered${world}`).to.deep.equal([]);
    else expect(new Set(hits.map((e) => e.accountId)).size, `${JSON.stringify(f)} in errors[]${world}`).to.be.greaterThan(0);
  }
  expect(got.duplicates, `the same failed read recorded more than once${world}`).to.deep.equal([]);

  // Trails: the per-trail reads by ARN, in the home region, each by one account.
  const perTrail = fake.calls.filter((c) => c.service === 'cloudtrail' && TRAIL_READS.has(c.operation));
  for (const c of perTrail) {
    expect(c.resource, 'per-trail reads name the trail by ARN').to.match(/^arn:aws:cloudtrail:/);
    expect(c.region, `${c.operation} of ${c.resource} in its home region`).to.equal(c.resource!.split(':')[3]);
  }
  const readers = new Map<string, Set<string>>();
  for (const c of perTrail) readers.set(`${c.operation} ${c.resource}`, (readers.get(`${c.operation} ${c.resource}`) ?? new Set()).add(c.account));
  for (const [what, who] of readers) expect([...who], `${what} read once${world}`).to.have.length(1);

  // The rules: the same verdicts on both inventories, and never a pass on a datum whose read failed.
  const mine = verdicts(rules, got.inventory);
  const theirs = verdicts(rules, want.inventory);
  expect(Object.fromEntries(mine), `verdicts${world}`).to.deep.equal(Object.fromEntries(theirs));
  for (const e of inventory.errors ?? []) {
    const field = FIELD_OF[e.operation];
    if (!field || e.resource === undefined) continue;
    const needs = (reads: string[]) => reads.includes(field) || ((field === 'Bucket' || field === 'Key') && reads.some((x) => x.startsWith(`${field}.`)));
    const subjects = new Set<string>();
    for (const acc of inventory.accounts) {
      for (const { Trail: t } of acc.trails) {
        // inventory.md: HasCustomEventSelectors false settles the selectors (AWS's default) without GetEventSelectors.
        if (e.operation === 'GetEventSelectors' && t.HasCustomEventSelectors === false) continue;
        // An alias names a key in one account and region only: its error touches the trails there.
        const elsewhere = e.resource.startsWith('alias/') && (t.HomeRegion !== e.region || t.TrailARN.split(':')[4] !== e.accountId);
        if ([t.TrailARN, t.S3BucketName, t.KmsKeyId].includes(e.resource) && !elsewhere) subjects.add(t.TrailARN);
      }
    }
    for (const r of evaluate(rules, inventory)) {
      const reads = rules.find((x) => x.meta.id === r.ruleId)!.reads;
      if (r.subject.arn && subjects.has(r.subject.arn) && needs(reads)) {
        expect(r.status, `${r.ruleId} on ${r.subject.arn} with ${e.operation} failed${world}`).not.to.equal('pass');
      }
    }
  }
}

function matches(f: Fault, c: LoggedCall): boolean {
  return (f.account ?? c.account) === c.account && (f.region ?? c.region) === c.region && f.service === c.service && f.operation === c.operation && (f.resource ?? c.resource) === c.resource;
}

describe('collect: random worlds against a model of inventory.md (differential)', function () {
  this.timeout(60_000);
  const rules = loadRules();

  it('collects what a perfect collector would, in organization and explicit-accounts mode', async () => {
    await fc.assert(
      fc.asyncProperty(worldSpec, async (spec) => {
        await check({ spec, mode: 'organization' }, rules);
        await check({ spec, mode: 'accounts' }, rules);
      }),
      // Each run starts two collections of up to 22 accounts: a few runs keep the file near 5 s.
      { numRuns: 5 },
    );
  });
});

describe('collect: regressions the random worlds found', () => {
  const fast = { requestsPerSecond: 1000, burst: 100 };

  it('reads an organization trail whose owner is not scanned once, by the first member, so a failed read is one errors[] entry', async () => {
    // Minimal world: the organization trail of an unscanned management account, two members scanned.
    const arn = `arn:aws:cloudtrail:us-east-1:${MGMT}:trail/org-trail`;
    const scenario: FakeScenario = {
      organization: { id: ORG_ID, managementAccountId: MGMT },
      principals: [principalFor(MGMT)],
      accounts: [MGMT, LOGS, memberId(1)].map((id) => ({ id, regions: regionsOf([], DEFAULT), ...(id === MGMT ? {} : { roles: [{ name: ROLE, trustedAccounts: [MGMT] }] }) })),
      trails: [{ account: MGMT, name: 'org-trail', homeRegion: 'us-east-1', multiRegion: true, organization: true, bucket: 'logs-0' }],
      buckets: [{ name: 'logs-0', account: LOGS, region: 'us-east-1' }],
      keys: [],
    };
    const { inventory, fake } = await runCollect(scenario, { accounts: [LOGS, memberId(1)], roleName: ROLE, ...fast }, {
      fake: { faults: [{ service: 'cloudtrail', operation: 'GetTrailStatus', resource: arn, kind: 'accessDenied' }] },
    });
    for (const operation of ['GetTrailStatus', 'GetEventSelectors', 'GetInsightSelectors']) {
      expect(new Set(fake.calls.filter((c) => c.operation === operation && c.resource === arn).map((c) => c.account)), operation).to.deep.equal(new Set([LOGS]));
    }
    expect(inventory.errors!.filter((e) => e.resource === arn)).to.have.length(1);
    const copies = inventory.accounts.map((x) => x.trails.find((t) => t.Trail.TrailARN === arn)!);
    expect(copies[0].EventSelectors).to.deep.equal([DEFAULT_SELECTOR]);
    expect(copies[1]).to.have.all.keys('Trail');
  });

  it('reads a key named by ARN once, whichever scanned accounts have trails that use it, so a failed read is one errors[] entry', async () => {
    // Minimal world: two scanned accounts whose trails use one key of an account that is not scanned.
    const key: FakeKey = { id: KEY_IDS[0], account: OUTSIDER, region: 'us-east-1' };
    const scenario: FakeScenario = {
      organization: { id: ORG_ID, managementAccountId: MGMT },
      principals: [principalFor(MGMT)],
      accounts: [MGMT, LOGS].map((id) => ({ id, regions: regionsOf([], DEFAULT), ...(id === MGMT ? {} : { roles: [{ name: ROLE, trustedAccounts: [MGMT] }] }) })),
      trails: [MGMT, LOGS].map((account) => ({ account, name: 'trail', homeRegion: 'us-east-1', bucket: 'logs-0', kmsKeyId: keyArn(key) })),
      buckets: [{ name: 'logs-0', account: LOGS, region: 'us-east-1' }],
      keys: [key],
    };
    const { inventory, fake } = await runCollect(scenario, { organization: true, roleName: ROLE, ...fast });
    expect(fake.calls.filter((c) => c.operation === 'DescribeKey').map((c) => c.account)).to.deep.equal([MGMT]);
    expect(inventory.errors!.filter((e) => e.resource === keyArn(key))).to.deep.equal([
      { accountId: MGMT, region: 'us-east-1', service: 'kms', operation: 'DescribeKey', resource: keyArn(key), code: 'AccessDeniedException', message: `User: arn:aws:iam::${MGMT}:user/auditor is not authorized to perform: kms:DescribeKey on resource: ${keyArn(key)}` },
    ]);
  });

  it('reads the rotation and policy of a key named by alias by one trail and by ARN by another once, so a failed read is one errors[] entry', async () => {
    const key: FakeKey = { id: KEY_IDS[0], account: MGMT, region: 'eu-west-1', aliases: ['alias/key-0'] };
    const scenario: FakeScenario = {
      principals: [principalFor(MGMT)],
      accounts: [{ id: MGMT, regions: regionsOf([], DEFAULT) }],
      trails: [
        { account: MGMT, name: 'by-arn', homeRegion: 'eu-west-1', bucket: 'logs-0', kmsKeyId: keyArn(key) },
        { account: MGMT, name: 'by-alias', homeRegion: 'eu-west-1', bucket: 'logs-0', kmsKeyId: 'alias/key-0' },
      ],
      buckets: [{ name: 'logs-0', account: MGMT, region: 'eu-west-1' }],
      keys: [key],
    };
    const { inventory, fake } = await runCollect(scenario, fast, { fake: { faults: [{ service: 'kms', operation: 'GetKeyPolicy', kind: 'error', status: 500, code: 'InternalFailure' }] } });
    expect(fake.calls.filter((c) => c.operation === 'GetKeyRotationStatus')).to.have.length(1);
    expect(inventory.errors!.filter((e) => e.operation === 'GetKeyPolicy')).to.have.length(1);
    expect(inventory.keys![keyArn(key)]).to.include({ KeyRotationEnabled: false }).and.deep.include({ Aliases: ['alias/key-0'] });
  });
});
