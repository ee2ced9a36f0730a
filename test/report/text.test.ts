/** The text report: what it shows, escaping, and organization-sized input. */
import { expect } from 'chai';
import type { Result } from '../../src/engine/result.ts';
import { textReport } from '../../src/report/text.ts';
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

  it('escapes what could move the cursor or forge a line, in names and messages', () => {
    const out = textReport(input([fail('111122223333', 'evil\x1b[2J\nFAIL  forged', 'line\r\nbreak \u202e')]));
    // eslint-disable-next-line no-control-regex -- asserting the absence of control characters
    expect(out).to.not.match(/[\x1b\r\u202e]/);
    expect(out).to.include('evil\\x1b[2J\\nFAIL  forged');
    expect(out).to.include('line\\r\\nbreak \\u202e');
    expect(out.split('\n').filter((l) => l.includes('FAIL')).length).to.equal(1);
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
    expect(out).to.include('         suppressed: SSE-S3 accepted\\x1b[8m (owner platform, expires 2027-03-31)\n');
    expect(out).to.include('         suppressed: no owner\n');
  });
});
