/**
 * The JSON report's hand-assembled lines are exactly what JSON.stringify writes for each record,
 * with the characters a terminal or a log must not receive raw written as JSON escapes.
 */
import { expect } from 'chai';
import fc from 'fast-check';
import type { Result } from '../../src/engine/result.ts';
import { jsonWithoutCommands } from '../../src/report/escape.ts';
import { jsonReport, resultRecord } from '../../src/report/json.ts';
import type { ReportInput } from '../../src/report/types.ts';
import type { RuleMeta } from '../../src/rules/types.ts';

const text = fc.string({ unit: fc.oneof(fc.constantFrom('"', '\\', '\n', '\u2028', '\u0000', 'é', '😀', '#', '##[', '[', '\u009b', '\u202e', '\u{e0041}', '\ud800'), fc.string({ unit: 'binary', maxLength: 1 })), maxLength: 20 });
const location = fc.record({ file: text, line: fc.nat(), column: fc.nat(), pointer: text });
const result: fc.Arbitrary<Result> = fc.record(
  {
    ruleId: fc.constantFrom('a-rule', 'b-rule', 'c"rule', 'd##[\u009brule'),
    status: fc.constantFrom('pass', 'fail', 'error', 'skipped'),
    severity: fc.constantFrom('critical', 'high', 'medium', 'low', 'info'),
    subject: fc.record(
      { kind: fc.constantFrom('trail', 'region', 'account'), accountId: text, region: text, arn: text, name: text },
      { requiredKeys: ['kind', 'accountId'] },
    ),
    message: text,
    evidence: fc.dictionary(text, fc.jsonValue(), { maxKeys: 3 }),
    failedReads: fc.array(fc.record({ operation: text, code: text, message: text }, { requiredKeys: ['operation', 'code'] }), { maxLength: 2 }),
    location,
    suppression: fc.record({ reason: text, kind: fc.constantFrom('suppression', 'baseline') }),
  },
  { requiredKeys: ['ruleId', 'status', 'severity', 'subject', 'message'] },
) as fc.Arbitrary<Result>;

function meta(id: string, compliance: Record<string, string[]>): RuleMeta {
  return { id, title: id, severity: 'low', scope: 'trail', description: '', remediation: { text: '' }, references: [], compliance, tags: [], source: '', builtin: true };
}

/** What README promises the text report escapes and JSON.stringify leaves raw: DEL, C1, separators, bidi and invisible characters, tag characters. */
// eslint-disable-next-line no-misleading-character-class -- each combining mark (U+034F, a variation selector) is matched alone, on purpose
const RAW = /[\u007f-\u009f\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff0-\ufff8\ufffe\uffff\u{1bca0}-\u{1bca3}\u{1d173}-\u{1d17a}\u{e0000}-\u{e0fff}]|##\[/u;

describe('JSON report lines', () => {
  it('equal JSON.stringify of each result record, whatever the strings hold', () => {
    const rules = [meta('a-rule', { 'aws-fsbp': ['CloudTrail.1'], 'cis-x': ['3.1', '3.2'] }), meta('b-rule', {}), meta('c"rule', { z: ['1'] }), meta('d##[\u009brule', { 'x\u2028##[': ['\u202e1'] })];
    const compliance = new Map(rules.map((m) => [m.id, m.compliance]));
    fc.assert(
      fc.property(fc.array(result, { maxLength: 8 }), (results) => {
        const input: ReportInput = { tool: { name: 'trailgate', version: '0', informationUri: 'u' }, rules, results, startTime: 't', inputs: [], failOn: 'low', exitCode: 0 };
        const report = JSON.parse(jsonReport(input));
        expect(report.results).to.deep.equal(results.map((r) => JSON.parse(JSON.stringify(resultRecord(r, compliance.get(r.ruleId))))));
        const text = jsonReport(input);
        const lines = text.slice(text.indexOf('"results": [')).split('\n').filter((l) => l.startsWith('    {'));
        expect(lines.map((l) => l.trim().replace(/,$/, ''))).to.deep.equal(results.map((r) => jsonWithoutCommands(JSON.stringify(resultRecord(r, compliance.get(r.ruleId))))));
        expect(text).to.not.match(RAW);
      }),
      { numRuns: 300 },
    );
  });

  it('writes a C1 control, a bidi override, a line separator or a tag character in a string as its JSON escape: the same string, but nothing a terminal obeys or a line reader splits on', () => {
    const hostile = 'a\u009b2J\u0085b\u2028c\u2029d\u202ee\u2066f\u200bg\u{e0041}h\ufe0fi\u{e0100}j ##[error]x';
    const r = { ruleId: 'a-rule', status: 'fail', severity: 'high', subject: { kind: 'trail', accountId: '111122223333', name: hostile }, message: hostile } as Result;
    const input: ReportInput = { tool: { name: 'trailgate', version: '0', informationUri: 'u' }, rules: [meta('a-rule', {})], results: [r], startTime: 't', inputs: [hostile], failOn: 'low', exitCode: 1 };
    const text = jsonReport(input);
    expect(text).to.not.match(RAW);
    expect(text).to.include('"name":"a\\u009b2J\\u0085b\\u2028c\\u2029d\\u202ee\\u2066f\\u200bg\\udb40\\udc41h\\ufe0fi\\udb40\\udd00j ##\\u005berror]x"');
    expect(JSON.parse(text).results[0].name).to.equal(hostile);
    expect(JSON.parse(text).inputs[0]).to.equal(hostile);
    expect(text.split(/\r\n|[\n\r\u0085\u2028\u2029]/).filter((l) => l.includes('"ruleId"'))).to.have.length(1);
  });
});
