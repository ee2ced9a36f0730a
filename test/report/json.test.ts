/** The JSON report's hand-assembled lines are exactly what JSON.stringify writes for each record. */
import { expect } from 'chai';
import fc from 'fast-check';
import type { Result } from '../../src/engine/result.ts';
import { jsonReport, resultRecord } from '../../src/report/json.ts';
import type { ReportInput } from '../../src/report/types.ts';
import type { RuleMeta } from '../../src/rules/types.ts';

const text = fc.string({ unit: fc.oneof(fc.constantFrom('"', '\\', '\n', '\u2028', '\u0000', 'é', '😀'), fc.string({ unit: 'binary', maxLength: 1 })), maxLength: 20 });
const location = fc.record({ file: text, line: fc.nat(), column: fc.nat(), pointer: text });
const result: fc.Arbitrary<Result> = fc.record(
  {
    ruleId: fc.constantFrom('a-rule', 'b-rule', 'c"rule'),
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

describe('JSON report lines', () => {
  it('equal JSON.stringify of each result record, whatever the strings hold', () => {
    const rules = [meta('a-rule', { 'aws-fsbp': ['CloudTrail.1'], 'cis-x': ['3.1', '3.2'] }), meta('b-rule', {}), meta('c"rule', { z: ['1'] })];
    const compliance = new Map(rules.map((m) => [m.id, m.compliance]));
    fc.assert(
      fc.property(fc.array(result, { maxLength: 8 }), (results) => {
        const input: ReportInput = { tool: { name: 'trailgate', version: '0', informationUri: 'u' }, rules, results, startTime: 't', inputs: [], failOn: 'low', exitCode: 0 };
        const report = JSON.parse(jsonReport(input));
        expect(report.results).to.deep.equal(results.map((r) => JSON.parse(JSON.stringify(resultRecord(r, compliance.get(r.ruleId))))));
        const text = jsonReport(input);
        const lines = text.slice(text.indexOf('"results": [')).split('\n').filter((l) => l.startsWith('    {'));
        expect(lines.map((l) => l.trim().replace(/,$/, ''))).to.deep.equal(results.map((r) => JSON.stringify(resultRecord(r, compliance.get(r.ruleId)))));
      }),
      { numRuns: 300 },
    );
  });
});
