/** The JSON report follows its published schema, for the example and for runs with errors. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { expect } from 'chai';
import { parse } from 'yaml';
import { cli, REPO } from '../helpers/cli.ts';

const validate = new Ajv({ strict: true, allErrors: true }).compile(JSON.parse(readFileSync(join(REPO, 'schemas/report.schema.json'), 'utf8')));

describe('JSON report schema', () => {
  it('describes the report of the example, and of a run with errors', async () => {
    const example = await cli(['scan', '--snapshot', 'examples/organization.yaml', '--format', 'json']);
    expect(validate(JSON.parse(example.stdout)), JSON.stringify(validate.errors)).to.equal(true);
    // The inventory of a fixture full of failed reads, scanned by every rule.
    const fixture = parse(readFileSync(join(REPO, 'test/fixtures/rules/multi-region-trail/errors.yaml'), 'utf8'));
    const withErrors = await cli(['scan', '--snapshot', '-', '--format', 'json'], { stdin: JSON.stringify(fixture.inventory) });
    const report = JSON.parse(withErrors.stdout);
    expect(report.summary.error).to.be.greaterThan(0);
    expect(report.results.some((r: { failedReads?: unknown[] }) => r.failedReads?.length)).to.equal(true);
    expect(validate(report), JSON.stringify(validate.errors)).to.equal(true);
  });

  it('rejects what the report never contains', () => {
    expect(validate({ tool: { name: 'trailgate', version: '1' }, startTime: '', inputs: [], failOn: 'low', exitCode: 2, summary: { pass: 0, fail: 0, error: 0, skipped: 0 }, rules: [], results: [] })).to.equal(false);
  });
});
