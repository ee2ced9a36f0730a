/** The text report: what it shows, escaping, and organization-sized input. */
import { expect } from 'chai';
import type { Result } from '../../src/engine/result.ts';
import { summaryLines, textChunks, textReport } from '../../src/report/text.ts';
import type { ReportInput } from '../../src/report/types.ts';

function input(results: Result[]): ReportInput {
  return { tool: { name: 'trailgate', version: '0', informationUri: 'u' }, rules: [], results, startTime: 't', inputs: [], failOn: 'low', exitCode: 1 };
}

function fail(accountId: string, name: string, message = 'bad'): Result {
  return { ruleId: 'r', status: 'fail', severity: 'low', subject: { kind: 'trail', accountId, region: 'us-east-1', arn: `arn:aws:cloudtrail:us-east-1:${accountId}:trail/x`, name }, message };
}

describe('text report', () => {
  it('handles more results than a function call takes arguments', () => {
    const many = Array.from({ length: 300_000 }, (_, i) => fail(String(100000000000 + (i % 1000)), `t${i}`));
    const out = textReport(input(many));
    expect(out.split('\n').filter((l) => l.startsWith('  FAIL')).length).to.equal(300_000);
  });

  // A report held as one string could pass the longest string V8 makes (a trail name of tens of
  // megabytes, on each line about it, did): it is written in chunks of whole lines.
  it('comes in chunks of whole lines, never the whole report at once, that join to the report', () => {
    const many = Array.from({ length: 20_000 }, (_, i) => fail(String(100000000000 + (i % 7)), `t${i}`));
    const chunks = [...textChunks(input(many))];
    expect(chunks.length).to.be.greaterThan(4);
    for (const c of chunks) {
      expect(c.endsWith('\n')).to.equal(true);
      expect(c.length).to.be.below(70_000);
    }
    expect(chunks.join('')).to.equal(textReport(input(many)));
  });

  // The comparator answered 1 for equal keys: inconsistent, and only V8's insertion order kept
  // these in place. They must come out in the order they were judged in.
  it('keeps the given order of results of one rule on one subject', () => {
    const results = Array.from({ length: 40 }, (_, i) => fail('111122223333', 'same', `message ${String(i).padStart(2, '0')}`));
    const shown = textReport(input(results)).split('\n').filter((l) => l.startsWith('  FAIL')).map((l) => /message (\d+)/.exec(l)?.[1]);
    expect(shown).to.deep.equal(results.map((_, i) => String(i).padStart(2, '0')));
  });

  it('escapes what could move the cursor or forge a line, in names and messages', () => {
    const out = textReport(input([fail('111122223333', 'evil\x1b[2J\nFAIL  forged', 'line\r\nbreak \u202e')]));
    // eslint-disable-next-line no-control-regex -- asserting the absence of control characters
    expect(out).to.not.match(/[\x1b\r\u202e]/);
    expect(out).to.include('evil\\x1b[2J\\nFAIL  forged');
    expect(out).to.include('line\\r\\nbreak \\u202e');
    expect(out.split('\n').filter((l) => l.includes('FAIL')).length).to.equal(1);
  });

  it('makes invisible characters visible, so two different trail names never print alike', () => {
    // The auditor's case: `prod` and `pro<ZWSP>d`, and an AWS message whose account ids an RLM reorders.
    const out = textReport(input([fail('111122223333', 'prod'), fail('111122223333', 'pro\u200bd', 'denied for \u200f111122223333 444455556666\u200f'), fail('111122223333', 'x\u{e0041}\u00ad')]));
    expect(out).to.include('trail prod (us-east-1)');
    expect(out).to.include('trail pro\\u200bd (us-east-1): denied for \\u200f111122223333 444455556666\\u200f');
    expect(out).to.include('trail x\\u{e0041}\\xad (us-east-1)');
    expect(out).to.not.match(/[\u00ad\u200b\u200f\u{e0041}]/u);
  });

  it('shows passes only when verbose', () => {
    const pass: Result = { ...fail('111122223333', 'ok'), status: 'pass', message: 'fine' };
    expect(textReport(input([pass]))).to.not.include('PASS');
    expect(textReport(input([pass]), { color: false, verbose: true })).to.include('PASS');
  });

  it('shows why a result is suppressed, with its owner and expiry, escaped', () => {
    const skipped: Result = { ...fail('111122223333', 'sandbox'), status: 'skipped', suppression: { kind: 'suppression', reason: 'SSE-S3 accepted\x1b[8m', owner: 'platform', expires: '2027-03-31' } };
    const bare: Result = { ...fail('111122223333', 'other'), status: 'skipped', suppression: { kind: 'suppression', reason: 'no owner' } };
    const out = textReport(input([skipped, bare]), { color: false, verbose: true });
    // Continuation lines start under the severity column.
    expect(out).to.include('  SKIP  low      r  trail sandbox (us-east-1): bad\n        suppressed: SSE-S3 accepted\\x1b[8m (owner platform, expires 2027-03-31)\n');
    expect(out).to.include('        suppressed: no owner\n');
  });

  it('puts the filled-in remediation command under a violation, escaped, and not under accepted or erroring results', () => {
    const open: Result = { ...fail('111122223333', 'a'), remediation: 'aws cloudtrail start-logging --name evil\x1b[2J\nFAIL  forged' };
    const baselined: Result = { ...fail('111122223333', 'b'), remediation: 'aws baselined', suppression: { kind: 'baseline', reason: 'in baseline b.json' } };
    const error: Result = { ...fail('111122223333', 'c'), status: 'error', remediation: 'aws error' };
    const out = textReport(input([open, baselined, error]));
    expect(out).to.include('trail a (us-east-1): bad\n        remediation: aws cloudtrail start-logging --name evil\\x1b[2J\\nFAIL  forged\n');
    expect(out).to.not.include('aws baselined');
    expect(out).to.not.include('aws error');
    // eslint-disable-next-line no-control-regex -- asserting the absence of control characters
    expect(out).to.not.match(/[\x1b\r]/);
    expect(out.split('\n').filter((l) => l.startsWith('  FAIL')).length).to.equal(2, 'the open and the baselined violation, nothing forged');
  });

  it('breaks the counts down so they add up, and says how many results decide the exit code', () => {
    const sev = (severity: Result['severity'], extra: Partial<Result> = {}): Result => ({ ...fail('111122223333', 't'), severity, ...extra });
    const results: Result[] = [
      sev('high'),
      sev('high'),
      sev('medium', { suppression: { kind: 'baseline', reason: 'in baseline b.json' } }),
      sev('info'),
      sev('low', { status: 'error' }),
      sev('low', { status: 'error', suppression: { kind: 'baseline', reason: 'in baseline b.json' } }),
      sev('low', { status: 'skipped', suppression: { kind: 'suppression', reason: 'accepted' } }),
      sev('low', { status: 'skipped' }),
      sev('low', { status: 'pass' }),
    ];
    const [counts, meaning] = summaryLines({ ...input(results), failOn: 'medium' });
    expect(counts).to.equal('0 rules, 1 account: 1 passed, 4 failed (2 high, 1 medium, 1 info; 1 in baseline), 2 errors (1 in baseline), 2 skipped (1 suppressed)');
    // The baselined medium and the info below --fail-on do not count.
    expect(meaning).to.equal('exit 1: 2 violations at or above medium');
    expect(textReport({ ...input(results), failOn: 'medium' }).endsWith(`\n${counts}\n${meaning}\n`)).to.equal(true);

    const one = summaryLines({ ...input([sev('critical')]), failOn: 'critical' });
    expect(one).to.deep.equal(['0 rules, 1 account: 0 passed, 1 failed (1 critical), 0 errors, 0 skipped', 'exit 1: 1 violation at or above critical']);
    const incomplete = summaryLines({ ...input([sev('info'), sev('low', { status: 'error' })]), failOn: 'high', exitCode: 3 });
    expect(incomplete[1]).to.equal('exit 3: no violation at or above high, but 1 result is an error: trailgate could not see everything it had to judge');
    const clean = summaryLines({ ...input([sev('low', { status: 'pass' })]), exitCode: 0 });
    expect(clean).to.deep.equal(['0 rules, 1 account: 1 passed, 0 failed, 0 errors, 0 skipped', 'exit 0: no violation at or above low']);
  });
});
