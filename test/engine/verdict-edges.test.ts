/**
 * Verdicts and messages of the engine (evaluate.ts) that hand-made mutants showed untested:
 * each test below fails when the line it names is changed.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { evaluate } from '../../src/engine/evaluate.ts';
import { parseInventory } from '../../src/inventory/parse.ts';
import { mergeInventories } from '../../src/inventory/merge.ts';
import { loadRules } from '../../src/rules/load.ts';

const ACCOUNT = '123456789012';
const ARN = `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/main`;

const RULE_NAMED = [
  'id: named-trail',
  'title: The trail has a name',
  'severity: low',
  'scope: trail',
  'description: A test rule that declares Status but checks only the trail.',
  'remediation:',
  '  text: Name it.',
  'reads: [Trail, Status]',
  'check:',
  '  Trail.Name: { type: string }',
  '',
].join('\n');

function run(inventory: unknown, rule = RULE_NAMED) {
  const dir = mkdtempSync(join(tmpdir(), 'trailgate-reads-'));
  try {
    writeFileSync(join(dir, 'rule.yaml'), rule);
    const rules = loadRules({ builtin: false, paths: [join(dir, 'rule.yaml')], cwd: dir });
    return evaluate(rules, mergeInventories([parseInventory(JSON.stringify(inventory), 'inv.json')]).inventory);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// docs/rule-format.md, "Reads": "When a declared read is missing from the inventory, or the
// inventory records that it failed, the result is error and its message names the read": also
// a read no path of the check names (evaluate.ts, judgeTrail: `unavailable(rule.reads, t)`).
describe('a trail rule and the reads it declares', () => {
  const trail = { Trail: { Name: 'main', TrailARN: ARN, HomeRegion: 'us-east-1' } };

  it('passes when every declared read is there', () => {
    const [r] = run({ version: 1, accounts: [{ accountId: ACCOUNT, regions: ['us-east-1'], trails: [{ ...trail, Status: { IsLogging: true } }] }] });
    expect(r.status, r.message).to.equal('pass');
  });

  it('is error, naming the read, when a declared read failed though its check holds', () => {
    const [r] = run({
      version: 1,
      accounts: [{ accountId: ACCOUNT, regions: ['us-east-1'], trails: [trail] }],
      errors: [{ accountId: ACCOUNT, region: 'us-east-1', service: 'cloudtrail', operation: 'GetTrailStatus', resource: ARN, code: 'AccessDenied', message: 'denied' }],
    });
    expect(r.status, r.message).to.equal('error');
    expect(r.failedReads?.map((f) => f.operation)).to.deep.equal(['GetTrailStatus']);
    expect(r.message).to.match(/^cannot judge trail main: GetTrailStatus for .* failed with AccessDenied/);
  });

  it('is error when a declared read is simply not in the inventory', () => {
    const [r] = run({ version: 1, accounts: [{ accountId: ACCOUNT, regions: ['us-east-1'], trails: [trail] }] });
    expect(r.status, r.message).to.equal('error');
    expect(r.failedReads?.map((f) => f.code)).to.deep.equal(['NotCollected']);
  });
});

/** An account rule over the trails of one account. */
function accountRule(body: string[]): string {
  return ['id: acct', 'title: t', 'severity: low', 'scope: account', 'description: d', 'remediation:', '  text: fix it', 'reads: [Trail, Status, EventSelectors]', ...body, ''].join('\n');
}

const trailArn = (name: string) => `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/${name}`;

describe('the reads an aggregate error names', () => {
  // judgeItem: a `where` and a check both unknown leave the trail open for two reasons; the
  // error must send the user after both reads, not only the where's.
  it('names the read behind the where and the read behind the check when both are missing', () => {
    const rule = accountRule(['some:', '  where: { Status.IsLogging: { const: true } }', '  check: { facts.recordsAllManagementEvents: { const: true } }']);
    const [r] = run(
      {
        version: 1,
        accounts: [{ accountId: ACCOUNT, regions: ['us-east-1'], trails: [{ Trail: { Name: 'main', TrailARN: trailArn('main'), HomeRegion: 'us-east-1', HasCustomEventSelectors: true } }] }],
        errors: [
          { accountId: ACCOUNT, region: 'us-east-1', service: 'cloudtrail', operation: 'GetTrailStatus', resource: trailArn('main'), code: 'AccessDenied' },
          { accountId: ACCOUNT, region: 'us-east-1', service: 'cloudtrail', operation: 'GetEventSelectors', resource: trailArn('main'), code: 'AccessDenied' },
        ],
      },
      rule,
    );
    expect(r.status, r.message).to.equal('error');
    expect(r.failedReads?.map((f) => f.operation)).to.deep.equal(['GetTrailStatus', 'GetEventSelectors']);
  });
});

describe('how many failed reads an error message names', () => {
  // errorResult(): an account of many unreadable trails gave a message of thousands of
  // characters (one sentence per read); it names three and counts the rest, and failedReads
  // keeps every one.
  const statusRule = () => accountRule(['some:', '  check: { Status.IsLogging: { const: true } }']);
  const unread = (names: string[]) => ({
    version: 1,
    accounts: [{ accountId: ACCOUNT, regions: ['us-east-1'], trails: names.map((n) => ({ Trail: { Name: n, TrailARN: trailArn(n), HomeRegion: 'us-east-1' } })) }],
  });

  it('names three reads and counts the rest', () => {
    const [r] = run(unread(['a', 'b', 'c', 'd', 'e', 'f']), statusRule());
    expect(r.status, r.message).to.equal('error');
    expect(r.failedReads).to.have.length(6);
    expect(r.message).to.match(/^cannot judge account \d{12}: the Status of trail a .*; the Status of trail b .*; the Status of trail c .*; and 3 more failed reads \(the JSON report's failedReads lists each\)$/);
    expect(r.message).not.to.include('trail d');
  });

  it('names all of exactly three, and says "read" of one more', () => {
    const [three] = run(unread(['a', 'b', 'c']), statusRule());
    expect(three.message).to.include('Status of trail c').and.not.to.include('more');
    const [four] = run(unread(['a', 'b', 'c', 'd']), statusRule());
    expect(four.message).to.match(/; and 1 more failed read \(/);
  });
});

describe('how many trails a message lists', () => {
  // listing(): the first five trails by name, then how many more.
  it('names five trails and counts the rest', () => {
    const names = ['a', 'b', 'c', 'd', 'e', 'f', 'g'];
    const rule = accountRule(['every:', '  check: { Trail.LogFileValidationEnabled: { const: true } }']);
    const [r] = run(
      {
        version: 1,
        accounts: [{ accountId: ACCOUNT, regions: ['us-east-1'], trails: names.map((n) => ({ Trail: { Name: n, TrailARN: trailArn(n), HomeRegion: 'us-east-1', LogFileValidationEnabled: false } })) }],
      },
      rule,
    );
    expect(r.status).to.equal('fail');
    expect(r.message).to.match(/^7 trails do not qualify: a \(.*\); b \(.*\); c \(.*\); d \(.*\); e \(.*\); and 2 more$/);
  });

  it('names all of exactly five, with no "and 0 more"', () => {
    const names = ['a', 'b', 'c', 'd', 'e'];
    const rule = accountRule(['every:', '  check: { Trail.LogFileValidationEnabled: { const: true } }']);
    const [r] = run(
      {
        version: 1,
        accounts: [{ accountId: ACCOUNT, regions: ['us-east-1'], trails: names.map((n) => ({ Trail: { Name: n, TrailARN: trailArn(n), HomeRegion: 'us-east-1', LogFileValidationEnabled: false } })) }],
      },
      rule,
    );
    expect(r.message).to.match(/^5 trails do not qualify: a \(.*\); b \(.*\); c \(.*\); d \(.*\); e \(.*\)$/);
    expect(r.message).not.to.include('more');
  });
});

// docs/rule-format.md, facts.keyFound: "absent when the trail has no key" (trail-subject.ts: set
// only `if (facts.kmsEncrypted)`).
describe('facts.keyFound', () => {
  const rule = RULE_NAMED.replace('reads: [Trail, Status]', 'reads: [Trail, Key]').replace('  Trail.Name: { type: string }', '  facts.keyFound: { const: true }');

  it('is absent on a trail without a KMS key', () => {
    const [r] = run({ version: 1, accounts: [{ accountId: ACCOUNT, regions: ['us-east-1'], trails: [{ Trail: { Name: 'main', TrailARN: ARN, HomeRegion: 'us-east-1' } }] }] }, rule);
    expect([r.status, r.message]).to.deep.equal(['fail', 'facts.keyFound is absent']);
  });
});
