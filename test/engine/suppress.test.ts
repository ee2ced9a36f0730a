import { assert } from 'chai';
import type { Result, Subject } from '../../src/engine/result.ts';
import { applyBaseline, applySuppressions, baselineKey, coversSubject, expiryInstant, globMatch, noteBaseline, type SuppressionEntry } from '../../src/engine/suppress.ts';
import { suppressionNoteLines } from '../../src/report/notes.ts';

const A = '111122223333';
const B = '444455556666';
const trail = (account: string, region: string, name: string): Subject => ({ kind: 'trail', accountId: account, region, arn: `arn:aws:cloudtrail:${region}:${account}:trail/${name}`, name });
const regionOf = (account: string, region: string): Subject => ({ kind: 'region', accountId: account, region });
const accountOf = (account: string): Subject => ({ kind: 'account', accountId: account });
const result = (ruleId: string, status: Result['status'], subject: Subject): Result => ({ ruleId, status, severity: 'medium', subject, message: `${ruleId} ${status}` });

const entry = (overrides: Partial<SuppressionEntry>): SuppressionEntry => ({ rule: 'kms-encryption', resource: A, reason: 'accepted', ...overrides });

describe('suppressions', () => {
  describe('globMatch', () => {
    const cases: Array<[string, string, boolean]> = [
      ['kms-encryption', 'kms-encryption', true],
      ['kms-*', 'kms-encryption', true],
      ['*', 'anything/at:all', true],
      ['kms', 'kms-encryption', false],
      ['arn:aws:cloudtrail:*:111122223333:trail/*', 'arn:aws:cloudtrail:eu-west-1:111122223333:trail/main', true],
      ['arn:aws:cloudtrail:*:111122223333:trail/*', 'arn:aws:cloudtrail:eu-west-1:444455556666:trail/main', false],
      ['a.c', 'abc', false],
      ['(x)+', '(x)+', true],
      // A middle piece may not reach into the last one: `*-1*-1` needs two `-1`s.
      ['*-1*-1', 'us-east-1', false],
      ['*-1*-1', 'a-1b-1', true],
      ['111122223333/*-1*-1', '111122223333/us-east-1', false],
    ];
    for (const [pattern, text, expected] of cases) {
      it(`${pattern} ${expected ? 'matches' : 'does not match'} ${text}`, () => assert.strictEqual(globMatch(pattern, text), expected));
    }
  });

  describe('coversSubject', () => {
    const t = trail(A, 'eu-west-1', 'main');
    const cases: Array<[string, Subject, boolean]> = [
      [A, t, true],
      [A, regionOf(A, 'us-east-1'), true],
      [A, accountOf(A), true],
      [B, t, false],
      [`${A}/eu-west-1`, t, true],
      [`${A}/us-east-1`, t, false],
      [`${A}/*`, regionOf(A, 'us-east-1'), true],
      [`${A}/*`, accountOf(A), false],
      [t.arn!, t, true],
      [t.arn!, regionOf(A, 'eu-west-1'), false],
      ['*', accountOf(B), true],
    ];
    for (const [pattern, subject, expected] of cases) {
      it(`${pattern} ${expected ? 'covers' : 'does not cover'} the ${subject.kind} ${subject.arn ?? subject.region ?? subject.accountId}`, () =>
        assert.strictEqual(coversSubject(pattern, subject), expected));
    }
  });

  describe('expiryInstant', () => {
    it('a date suppresses through the end of that day, UTC', () => {
      assert.strictEqual(expiryInstant('2026-06-30'), Date.parse('2026-07-01T00:00:00Z'));
    });
    it('a timestamp expires at that moment, zone included', () => {
      assert.strictEqual(expiryInstant('2026-06-30T12:00:00+02:00'), Date.parse('2026-06-30T10:00:00Z'));
      assert.strictEqual(expiryInstant('2026-06-30T12:00Z'), Date.parse('2026-06-30T12:00:00Z'));
    });
    // Date.UTC reads years 0 to 99 as 1900 to 1999: 0004-01-01 was refused as no real date.
    it('takes years before 100 as written', () => {
      assert.strictEqual(expiryInstant('0004-01-01'), Date.parse('0004-01-02T00:00:00Z'));
      assert.strictEqual(expiryInstant('0000-02-29'), Date.parse('0000-03-01T00:00:00Z'));
    });
    it('rejects dates that are not on the calendar and malformed values', () => {
      for (const bad of ['2026-02-30', '2026-13-01', '2026-06-30T25:00:00Z', '30/06/2026', '2026-06-30T12:00:00', 'soon']) {
        assert.isUndefined(expiryInstant(bad), bad);
      }
    });
  });

  describe('applySuppressions', () => {
    const t = trail(A, 'eu-west-1', 'main');
    const results = [result('kms-encryption', 'fail', t), result('kms-encryption', 'pass', trail(A, 'us-east-1', 'other')), result('log-file-validation', 'fail', t)];

    it('turns a matching violation into a skipped result that keeps its reason, owner, expiry and former status', () => {
      const e = entry({ owner: 'platform-team', expires: '2026-12-31' });
      const out = applySuppressions(results, [e], new Date('2026-11-21T00:00:00Z'));
      assert.deepEqual(out.results[0], {
        ...results[0],
        status: 'skipped',
        evidence: { suppressedStatus: 'fail' },
        suppression: { kind: 'suppression', reason: 'accepted', owner: 'platform-team', expires: '2026-12-31' },
      });
      assert.strictEqual(out.results[1], results[1], 'a pass is left alone');
      assert.strictEqual(out.results[2], results[2], 'another rule is left alone');
      assert.deepEqual(out.notes, { expired: [], stale: [] });
      assert.strictEqual(results[0].status, 'fail', 'the input is not mutated');
    });

    it('suppresses errors too, and keeps the existing evidence', () => {
      const err: Result = { ...result('kms-encryption', 'error', t), evidence: { read: 'DescribeTrails' } };
      const out = applySuppressions([err], [entry({})], new Date('2026-11-21T00:00:00Z'));
      assert.deepEqual(out.results[0].evidence, { read: 'DescribeTrails', suppressedStatus: 'error' });
    });

    it('suppresses on the expiry day and stops the day after, as the clock says', () => {
      const e = entry({ expires: '2026-11-21' });
      const onTheDay = applySuppressions(results, [e], new Date('2026-11-21T23:59:59Z'));
      assert.strictEqual(onTheDay.results[0].status, 'skipped');
      const after = applySuppressions(results, [e], new Date('2026-11-22T00:00:00Z'));
      assert.strictEqual(after.results[0].status, 'fail', 'an expired suppression stops suppressing');
      assert.deepEqual(after.notes.expired, [{ entry: e, matched: 1, stillSuppressed: 0, inBaseline: 0, judged: true }]);
      assert.deepEqual(after.notes.stale, [], 'expired is reported as expired, not as stale');
    });

    it('does not say an expired entry\'s results count again when another, live entry still suppresses them', () => {
      const expiredOne = entry({ expires: '2026-01-01' });
      const wildcard = entry({ rule: '*' });
      const out = applySuppressions(results, [expiredOne, wildcard], new Date('2026-11-22T00:00:00Z'));
      assert.strictEqual(out.results[0].status, 'skipped');
      assert.deepEqual(out.notes.expired, [{ entry: expiredOne, matched: 0, stillSuppressed: 1, inBaseline: 0, judged: true }]);
      assert.deepEqual(suppressionNoteLines(out.notes), [
        'suppression expired on 2026-01-01: rule kms-encryption, resource ' + expiredOne.resource + '; 1 result it matches is still suppressed by another entry',
      ]);
    });

    it('reports a suppression that matches no violation as stale, even when it matches a pass', () => {
      const passing = entry({ resource: `${A}/us-east-1` });
      const gone = entry({ rule: '*', resource: 'arn:aws:cloudtrail:*:999999999999:trail/*' });
      const used = entry({ rule: 'log-*' });
      const out = applySuppressions(results, [passing, gone, used], new Date('2026-11-21T00:00:00Z'));
      assert.deepEqual(out.notes.stale, [passing, gone]);
      assert.strictEqual(out.results[2].status, 'skipped');
    });

    it('calls an entry stale only when every known rule it names ran', () => {
      const gone = '999999999999';
      const star = entry({ rule: '*', resource: gone });
      const kms = entry({ rule: 'kms-*', resource: gone });
      const one = entry({ rule: 'kms-encryption', resource: gone });
      const typo = entry({ rule: 'kms-encrpytion', resource: gone });
      const known = new Set(['kms-encryption', 'kms-key-rotation', 'log-file-validation']);
      const stale = (ran: string[]) => applySuppressions(results, [star, kms, one, typo], new Date('2026-11-21T00:00:00Z'), { ran: new Set(ran), known }).notes.stale;
      // Some of the rules a glob names were left out: their findings were not looked for.
      assert.deepEqual(stale(['kms-encryption']), [one, typo]);
      assert.deepEqual(stale(['kms-encryption', 'kms-key-rotation']), [kms, one, typo]);
      assert.deepEqual(stale([...known]), [star, kms, one, typo]);
    });

    it('with rules that exist but were not loaded (a replaced rules folder), calls stale only entries that can match a rule that ran', () => {
      const gone = '999999999999';
      const one = entry({ rule: 'kms-encryption', resource: gone });
      const typo = entry({ rule: 'kms-encrpytion', resource: gone });
      const theirs = entry({ rule: 'central-bucket', resource: gone });
      const pattern = entry({ rule: 'central-*', resource: gone });
      const ran = new Set(['kms-encryption', 'log-file-validation']);
      const stale = (known: Set<string>) => applySuppressions(results, [one, typo, theirs, pattern], new Date('2026-11-21T00:00:00Z'), { ran, known }).notes.stale;
      // The config's own rule folder was not loaded but its file's id was read: central-bucket is one of its rules, and central-* names it.
      const withTheirs = new Set([...ran, 'central-bucket']);
      assert.deepEqual(stale(withTheirs), [one, typo]);
      // No rule anywhere has the id: a typo, however far from every id it is.
      assert.deepEqual(stale(ran), [one, typo, theirs, pattern]);
      const expiredTheirs = entry({ rule: 'central-bucket', resource: gone, expires: '2026-01-01' });
      const notes = applySuppressions(results, [expiredTheirs], new Date('2026-11-22T00:00:00Z'), { ran, known: withTheirs }).notes;
      assert.deepEqual(suppressionNoteLines(notes), [`suppression expired on 2026-01-01: rule central-bucket, resource ${gone}; its rules did not all run, so what it would match now was not looked for`]);
    });

    it('does not say an expired entry whose rule did not run matches nothing: that was not looked for', () => {
      const gone = '999999999999';
      const expiredOne = entry({ resource: gone, expires: '2026-01-01' });
      const known = new Set(['kms-encryption', 'log-file-validation']);
      const notes = (ran: string[]) => applySuppressions(results, [expiredOne], new Date('2026-11-22T00:00:00Z'), { ran: new Set(ran), known }).notes;
      assert.deepEqual(suppressionNoteLines(notes(['log-file-validation'])), [
        `suppression expired on 2026-01-01: rule kms-encryption, resource ${gone}; its rules did not all run, so what it would match now was not looked for`,
      ]);
      assert.deepEqual(suppressionNoteLines(notes([...known])), [`suppression expired on 2026-01-01: rule kms-encryption, resource ${gone}; it matches nothing now either`]);
    });

    it('the first matching entry gives the reason; every matching entry counts as used', () => {
      const first = entry({ reason: 'first' });
      const second = entry({ rule: '*', reason: 'second' });
      const out = applySuppressions(results, [first, second], new Date('2026-11-21T00:00:00Z'));
      assert.strictEqual(out.results[0].suppression?.reason, 'first');
      assert.strictEqual(out.results[2].suppression?.reason, 'second');
      assert.deepEqual(out.notes.stale, []);
    });
  });

  describe('noteBaseline', () => {
    it('an expired entry\'s results that the baseline holds are said to be in it, not to count again', () => {
      const t = trail(A, 'eu-west-1', 'main');
      const other = trail(A, 'us-east-1', 'other');
      const results = [result('kms-encryption', 'fail', t), result('kms-encryption', 'fail', other), result('log-file-validation', 'fail', t)];
      const expiredOne = entry({ expires: '2026-01-01' });
      const suppressed = applySuppressions(results, [expiredOne], new Date('2026-11-22T00:00:00Z'));
      assert.deepEqual(suppressed.notes.expired, [{ entry: expiredOne, matched: 2, stillSuppressed: 0, inBaseline: 0, judged: true }]);
      const judged = (keys: string[]) => noteBaseline(suppressed.notes, applyBaseline(suppressed.results, new Set(keys), 'in baseline base.json'));
      const line = (keys: string[]) => suppressionNoteLines(judged(keys));
      const prefix = `suppression expired on 2026-01-01: rule kms-encryption, resource ${A}; `;
      assert.deepEqual(line([baselineKey('kms-encryption', t, 'fail'), baselineKey('log-file-validation', t, 'fail')]), [`${prefix}1 result counts again; 1 result it matches is in the baseline, so it still does not count`]);
      const both = [baselineKey('kms-encryption', t, 'fail'), baselineKey('kms-encryption', other, 'fail')];
      assert.deepEqual(judged(both).expired, [{ entry: expiredOne, matched: 0, stillSuppressed: 0, inBaseline: 2, judged: true }]);
      assert.deepEqual(line(both), [`${prefix}2 results it matches are in the baseline, so they still do not count`]);
      assert.deepEqual(line([]), [`${prefix}2 results count again`], 'nothing in the baseline: they do count again');
    });
  });

  // A YAML alias (`- *accepted`) lists one entry object twice: its note counted each result twice.
  it('counts an entry listed twice (a YAML alias) once per result in its expiry note', () => {
    const t = trail(A, 'eu-west-1', 'main');
    const expired = entry({ expires: '2026-01-01' });
    const { notes } = applySuppressions([result('kms-encryption', 'fail', t)], [expired, expired], new Date('2026-11-22T00:00:00Z'));
    assert.deepEqual(notes.expired, [{ entry: expired, matched: 1, stillSuppressed: 0, inBaseline: 0, judged: true }]);
    const live = entry({ rule: '*' });
    const both = applySuppressions([result('kms-encryption', 'fail', t)], [expired, live, expired], new Date('2026-11-22T00:00:00Z'));
    assert.deepEqual(both.notes.expired, [{ entry: expired, matched: 0, stillSuppressed: 1, inBaseline: 0, judged: true }]);
  });

  // An organization of 10,000 accounts has some 500,000 results; a few hundred entries (one per
  // sandbox account) made every result try every entry: 300 entries added 15 s to such a scan.
  // No timed assertion (timings belong to the benchmarks): the timeout only stops what took minutes.
  describe('at scale', () => {
    it('each result is tried only on the entries that can cover it: 50,000 results and 4,000 entries, half expired, end at once', function () {
      this.timeout(20_000);
      const account = (i: number) => String(100000000000 + i);
      const results = Array.from({ length: 50_000 }, (_, i) => result(i % 2 === 0 ? 'kms-encryption' : 'log-file-validation', 'fail', trail(account(i % 10_000), 'eu-west-1', `t${i}`)));
      const entries = Array.from({ length: 4_000 }, (_, i) => entry({ rule: '*', resource: account(i), ...(i % 2 === 1 ? { expires: '2026-01-01' } : {}) }));
      const out = applySuppressions(results, [...entries, entry({ rule: 'log-*', resource: `arn:aws:cloudtrail:*:${account(1)}:trail/*` })], new Date('2026-11-22T00:00:00Z'));
      assert.strictEqual(out.results.filter((r) => r.status === 'skipped').length, 10_000 + 5);
      assert.deepEqual(out.notes.stale, []);
      assert.strictEqual(out.notes.expired.length, 2_000);
      assert.deepEqual(out.notes.expired[0], { entry: entries[1], matched: 0, stillSuppressed: 5, inBaseline: 0, judged: true });
      assert.deepEqual(out.notes.expired[1], { entry: entries[3], matched: 5, stillSuppressed: 0, inBaseline: 0, judged: true });
      const noted = noteBaseline(out.notes, applyBaseline(out.results, new Set(out.results.map((r) => baselineKey(r.ruleId, r.subject, r.status))), 'in baseline base.json'));
      assert.deepEqual(noted.expired[1], { entry: entries[3], matched: 0, stillSuppressed: 0, inBaseline: 5, judged: true });
    });
  });

  describe('applyBaseline', () => {
    it('marks known violations by rule and subject, keeping their status', () => {
      const t = trail(A, 'eu-west-1', 'main');
      const results = [result('kms-encryption', 'fail', t), result('kms-encryption', 'fail', trail(B, 'eu-west-1', 'main')), result('log-file-validation', 'pass', t)];
      const known = new Set([baselineKey('kms-encryption', t, 'fail'), baselineKey('log-file-validation', t, 'fail')]);
      const out = applyBaseline(results, known, 'in baseline base.json');
      assert.deepEqual(out[0], { ...results[0], suppression: { kind: 'baseline', reason: 'in baseline base.json' } });
      assert.strictEqual(out[1], results[1], 'a violation of another subject is new');
      assert.strictEqual(out[2], results[2], 'a pass is not marked');
    });

    it('hides a result only when the baseline holds it with the same status', () => {
      const t = trail(A, 'eu-west-1', 'main');
      const results = [result('bucket-not-public', 'fail', t), result('bucket-delivery', 'error', t)];
      // The baseline was recorded when the first could not be evaluated and the second failed.
      const known = new Set([baselineKey('bucket-not-public', t, 'error'), baselineKey('bucket-delivery', t, 'fail')]);
      const out = applyBaseline(results, known, 'in baseline base.json');
      assert.strictEqual(out[0], results[0], 'an accepted error does not hide a violation');
      assert.strictEqual(out[1], results[1], 'an accepted violation does not hide an error');
    });
  });
});
