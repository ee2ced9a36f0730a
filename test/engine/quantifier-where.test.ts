/**
 * A quantifier's `where` in three-valued logic (rules.md: Kleene aggregates). A trail whose
 * `where` is unknown takes part in "some" as `where AND check`, in "every" as `where IMPLIES
 * check`: when its check already settles that (false for "some" and "none", true for "every"),
 * the unread datum cannot change the verdict and is no reason for an error.
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
const arn = (name: string) => `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/${name}`;

/** An account rule: among logging trails (the `where`), `quantifier` of them have an SNS topic. */
function rule(quantifier: 'some' | 'every' | 'none'): string {
  return [
    `id: sns-${quantifier}`,
    'title: Logging trails and SNS',
    'severity: low',
    'scope: account',
    'description: A test rule whose where reads Status.',
    'remediation:',
    '  text: Give the trail an SNS topic.',
    'reads: [Trail, Status]',
    `${quantifier}:`,
    '  where:',
    '    Status.IsLogging: { const: true }',
    '  check:',
    '    Trail.SnsTopicARN: { type: string }',
    '',
  ].join('\n');
}

interface TrailCase {
  name: string;
  /** true or false: the status was read; 'unread': GetTrailStatus failed. */
  logging: boolean | 'unread';
  sns: boolean;
}

function inventory(trails: TrailCase[]): string {
  return JSON.stringify({
    version: 1,
    accounts: [
      {
        accountId: ACCOUNT,
        regions: ['us-east-1'],
        trails: trails.map((t) => ({
          Trail: { Name: t.name, TrailARN: arn(t.name), HomeRegion: 'us-east-1', IsMultiRegionTrail: true, ...(t.sns ? { SnsTopicARN: `arn:aws:sns:us-east-1:${ACCOUNT}:ct` } : {}) },
          ...(t.logging === 'unread' ? {} : { Status: { IsLogging: t.logging } }),
        })),
      },
    ],
    errors: trails
      .filter((t) => t.logging === 'unread')
      .map((t) => ({ accountId: ACCOUNT, region: 'us-east-1', service: 'cloudtrail', operation: 'GetTrailStatus', resource: arn(t.name), code: 'AccessDenied', message: 'denied' })),
  });
}

const CASES: { quantifier: 'some' | 'every' | 'none'; trails: TrailCase[]; status: string; why: string }[] = [
  { quantifier: 'some', trails: [{ name: 'a', logging: 'unread', sns: false }], status: 'fail', why: 'its check is false, so it cannot be the trail that qualifies' },
  { quantifier: 'some', trails: [{ name: 'a', logging: 'unread', sns: true }], status: 'error', why: 'it qualifies if it is logging' },
  { quantifier: 'some', trails: [{ name: 'a', logging: 'unread', sns: true }, { name: 'b', logging: true, sns: true }], status: 'pass', why: 'b surely qualifies' },
  { quantifier: 'every', trails: [{ name: 'a', logging: 'unread', sns: true }], status: 'pass', why: 'its check holds whether or not it is chosen' },
  { quantifier: 'every', trails: [{ name: 'a', logging: 'unread', sns: false }], status: 'error', why: 'it is a counterexample if it is logging' },
  { quantifier: 'every', trails: [{ name: 'a', logging: 'unread', sns: false }, { name: 'b', logging: true, sns: false }], status: 'fail', why: 'b surely is a counterexample' },
  { quantifier: 'none', trails: [{ name: 'a', logging: 'unread', sns: false }], status: 'pass', why: 'it cannot match' },
  { quantifier: 'none', trails: [{ name: 'a', logging: 'unread', sns: true }], status: 'error', why: 'it matches if it is logging' },
  { quantifier: 'none', trails: [{ name: 'a', logging: false, sns: true }], status: 'pass', why: 'a trail surely not chosen is left out' },
];

describe('a quantifier where in three-valued logic', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'trailgate-where-'));
    for (const q of ['some', 'every', 'none'] as const) writeFileSync(join(dir, `sns-${q}.yaml`), rule(q));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  for (const c of CASES) {
    const shown = c.trails.map((t) => `${t.name}: logging ${t.logging}, sns ${t.sns}`).join('; ');
    it(`${c.quantifier} [${shown}] is ${c.status}: ${c.why}`, () => {
      const rules = loadRules({ builtin: false, paths: [join(dir, `sns-${c.quantifier}.yaml`)], cwd: dir });
      const loaded = mergeInventories([parseInventory(inventory(c.trails), 'inv.json')]);
      const results = evaluate(rules, loaded.inventory);
      expect(results).to.have.length(1);
      expect(results[0].status, results[0].message).to.equal(c.status);
      // An error names the read that left it open.
      if (c.status === 'error') expect(results[0].failedReads?.map((f) => f.operation)).to.deep.equal(['GetTrailStatus']);
    });
  }
});

describe('an error names every read that left it open', () => {
  // s3-data-events-write checks Status.IsLogging and the selectors: with both unread, either one
  // alone could settle nothing, so the message must send the user after both.
  const both = JSON.stringify({
    version: 1,
    accounts: [
      {
        accountId: ACCOUNT,
        regions: ['us-east-1'],
        trails: [{ Trail: { Name: 'main', TrailARN: arn('main'), HomeRegion: 'us-east-1', IsMultiRegionTrail: true, HasCustomEventSelectors: false } }],
      },
    ],
    errors: [{ accountId: ACCOUNT, region: 'us-east-1', service: 'cloudtrail', operation: 'GetEventSelectors', resource: arn('main'), code: 'AccessDenied' }],
  });

  it('in an account rule, the status that was not collected and the selectors that were refused', () => {
    const rules = loadRules().filter((x) => x.meta.id === 's3-data-events-write');
    const [r] = evaluate(rules, mergeInventories([parseInventory(both, 'inv.json')]).inventory);
    expect(r.status).to.equal('error');
    expect(r.failedReads?.map((f) => f.operation)).to.deep.equal(['GetTrailStatus', 'GetEventSelectors']);
    expect(r.message).to.include('Status of trail main is not in the inventory').and.include('GetEventSelectors for');
  });
});

describe('a read that two conditions miss', () => {
  it('is named once, not once per condition', () => {
    const dir = mkdtempSync(join(tmpdir(), 'trailgate-reads-'));
    try {
      writeFileSync(
        join(dir, 'two-bucket-reads.yaml'),
        [
          'id: two-bucket-reads',
          'title: Versioning and logging',
          'severity: low',
          'scope: trail',
          'description: A test rule with two conditions on one bucket.',
          'remediation:',
          '  text: Turn both on.',
          'reads: [Trail, Bucket.Versioning, Bucket.Logging]',
          'check:',
          '  Bucket.Versioning.Status: { const: Enabled }',
          '  Bucket.Logging.LoggingEnabled: { type: object }',
          '',
        ].join('\n'),
      );
      const rules = loadRules({ builtin: false, paths: [join(dir, 'two-bucket-reads.yaml')], cwd: dir });
      const inv = JSON.stringify({ version: 1, accounts: [{ accountId: ACCOUNT, regions: ['us-east-1'], trails: [{ Trail: { Name: 'main', TrailARN: arn('main'), HomeRegion: 'us-east-1', S3BucketName: 'b' } }] }] });
      const [r] = evaluate(rules, mergeInventories([parseInventory(inv, 'inv.json')]).inventory);
      expect(r.status).to.equal('error');
      expect(r.failedReads).to.have.length(1);
      expect(r.message.match(/bucket b is not in the inventory/g)).to.have.length(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('a count that passes with trails it could not judge', () => {
  // "At most 2 logging trails": one surely logging, one unread. The count is 1 or 2, so the
  // rule passes, and says so as a range rather than claiming it counted 1.
  it('gives the count as a range, in the message and the evidence', () => {
    const dir = mkdtempSync(join(tmpdir(), 'trailgate-count-'));
    try {
      writeFileSync(
        join(dir, 'logging-count.yaml'),
        [
          'id: logging-count',
          'title: At most two logging trails',
          'severity: low',
          'scope: account',
          'description: A test count rule whose where reads Status.',
          'remediation:',
          '  text: Stop one.',
          'reads: [Trail, Status]',
          'count:',
          '  where:',
          '    Status.IsLogging: { const: true }',
          '  max: 2',
          '',
        ].join('\n'),
      );
      const rules = loadRules({ builtin: false, paths: [join(dir, 'logging-count.yaml')], cwd: dir });
      const trails: TrailCase[] = [
        { name: 'a', logging: true, sns: false },
        { name: 'b', logging: 'unread', sns: false },
        { name: 'c', logging: false, sns: false },
      ];
      const [r] = evaluate(rules, mergeInventories([parseInventory(inventory(trails), 'inv.json')]).inventory);
      expect(r.status).to.equal('pass');
      expect(r.message).to.equal(`1 to 2 trails count in account ${ACCOUNT} (1 could not be judged) (at most 2)`);
      expect(r.evidence).to.deep.equal({ count: 1, unjudged: 1 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('a count whose trail list could not be read', () => {
  // The trails seen are a floor: "at least" that many count, worded in the number it names.
  for (const [logging, words] of [
    [1, 'at least 1 trail counts'],
    [2, 'at least 2 trails count'],
  ] as const) {
    it(`passes a min of 1 with ${logging} logging trail${logging === 1 ? '' : 's'} seen: "${words}"`, () => {
      const dir = mkdtempSync(join(tmpdir(), 'trailgate-floor-'));
      try {
        writeFileSync(
          join(dir, 'floor.yaml'),
          ['id: logging-floor', 'title: Some logging trail', 'severity: low', 'scope: account', 'description: d', 'remediation:', '  text: x', 'reads: [Trail, Status]', 'count:', '  where:', '    Status.IsLogging: { const: true }', '  min: 1', ''].join('\n'),
        );
        const rules = loadRules({ builtin: false, paths: [join(dir, 'floor.yaml')], cwd: dir });
        const inv = JSON.parse(inventory(Array.from({ length: logging }, (_, i) => ({ name: `t${i}`, logging: true, sns: false }))));
        inv.accounts[0].regions.push('eu-west-1');
        inv.errors = [{ accountId: ACCOUNT, region: 'eu-west-1', service: 'cloudtrail', operation: 'DescribeTrails', code: 'AccessDenied' }];
        const [r] = evaluate(rules, mergeInventories([parseInventory(JSON.stringify(inv), 'inv.json')]).inventory);
        expect(r.status, r.message).to.equal('pass');
        expect(r.message).to.equal(`${words} in account ${ACCOUNT} (the trail list could not be read)`);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});

describe("a quantifier's where that leaves trails out", () => {
  // The trails the quantifier's own `where` leaves out still apply to the account: a message
  // that says "no trail applies" would send the user after a trail list that is not empty.
  const CASES_WORDS: { quantifier: 'some' | 'every' | 'none'; trails: TrailCase[]; status: string; message: string }[] = [
    { quantifier: 'some', trails: [{ name: 'a', logging: false, sns: true }, { name: 'b', logging: false, sns: true }], status: 'fail', message: `no trail that applies to account ${ACCOUNT} meets the where of "some" (2 trails apply)` },
    { quantifier: 'some', trails: [{ name: 'a', logging: false, sns: true }], status: 'fail', message: `no trail that applies to account ${ACCOUNT} meets the where of "some" (the one trail that applies does not)` },
    { quantifier: 'some', trails: [], status: 'fail', message: `no trail applies to account ${ACCOUNT}` },
    // A trail whose `where` could not be read is no trail that "does not" meet it: it cannot
    // qualify either way (its check is false), and the message says so, with why.
    {
      quantifier: 'some',
      trails: [{ name: 'a', logging: 'unread', sns: false }],
      status: 'fail',
      message: `no trail that applies to account ${ACCOUNT} is known to meet the where of "some"; the one trail that may meet it (whether it does could not be read) does not qualify anyway: a (Trail.SnsTopicARN is absent)`,
    },
    {
      quantifier: 'some',
      trails: [{ name: 'a', logging: true, sns: false }, { name: 'b', logging: 'unread', sns: false }, { name: 'c', logging: 'unread', sns: false }],
      status: 'fail',
      message: `the only trail that applies to account ${ACCOUNT} and is known to meet the where of "some" does not qualify: a (Trail.SnsTopicARN is absent); the 2 trails that may meet it (whether they do could not be read) do not qualify anyway: b (Trail.SnsTopicARN is absent); c (Trail.SnsTopicARN is absent)`,
    },
    {
      quantifier: 'some',
      trails: [{ name: 'a', logging: true, sns: false }, { name: 'b', logging: false, sns: true }],
      status: 'fail',
      message: `the only trail that applies to account ${ACCOUNT} and meets the where of "some" does not qualify: a (Trail.SnsTopicARN is absent)`,
    },
    { quantifier: 'every', trails: [{ name: 'a', logging: false, sns: false }], status: 'pass', message: `no trail that applies to account ${ACCOUNT} meets the where of "every", so none fails` },
    { quantifier: 'every', trails: [{ name: 'a', logging: true, sns: true }, { name: 'b', logging: false, sns: false }], status: 'pass', message: 'the one trail that applies and meets the where of "every" qualifies' },
    { quantifier: 'every', trails: [], status: 'pass', message: `no trail applies to account ${ACCOUNT}, so none fails` },
  ];
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'trailgate-where-words-'));
    for (const q of ['some', 'every', 'none'] as const) writeFileSync(join(dir, `sns-${q}.yaml`), rule(q));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  for (const c of CASES_WORDS) {
    const shown = c.trails.map((t) => `${t.name}: logging ${t.logging}, sns ${t.sns}`).join('; ') || 'no trail';
    it(`${c.quantifier} [${shown}] says which trails its where chose`, () => {
      const rules = loadRules({ builtin: false, paths: [join(dir, `sns-${c.quantifier}.yaml`)], cwd: dir });
      const [r] = evaluate(rules, mergeInventories([parseInventory(inventory(c.trails), 'inv.json')]).inventory);
      expect(r.status).to.equal(c.status);
      expect(r.message).to.equal(c.message);
    });
  }
});
