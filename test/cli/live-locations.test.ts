/** A live scan saved nowhere points reports at resources, not at a file that does not exist. */
import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import { LIVE_SOURCE } from '../../src/cli/live.ts';
import { finishScan, type ScanOptions } from '../../src/cli/scan.ts';
import { rulesFor } from '../../src/cli/choose-rules.ts';
import { parseInventory } from '../../src/inventory/parse.ts';
import { mergeInventories } from '../../src/inventory/merge.ts';
import { assertValidSarif } from '../helpers/sarif-check.ts';
import { REPO } from '../helpers/cli.ts';
import type { Io } from '../../src/cli/io.ts';

describe('live scan locations', () => {
  it('name the resource in SARIF and leave the inputs empty', async () => {
    let stdout = '';
    const io: Io = { stdout: (s) => void (stdout += s), stderr: () => undefined, readStdin: () => '', cwd: REPO, env: {}, stdoutIsTTY: false, stderrIsTTY: false, now: () => new Date(0) };
    const options: ScanOptions = { snapshots: [], rulePaths: [], builtinRules: true, only: ['log-file-validation'], skip: [], formats: [{ format: 'sarif' }], failOn: 'low', verbose: false, quiet: true };
    const text = readFileSync(`${REPO}/examples/organization.yaml`, 'utf8');
    const code = await finishScan(rulesFor(options, io), mergeInventories([parseInventory(text, LIVE_SOURCE)]), options, io);
    expect(code).to.equal(1);
    assertValidSarif(stdout);
    const result = JSON.parse(stdout).runs[0].results[0];
    expect(result.locations[0].physicalLocation.artifactLocation.uri).to.equal('aws/444455556666/eu-west-1/trail/dev-trail');

    stdout = '';
    await finishScan(rulesFor(options, io), mergeInventories([parseInventory(text, LIVE_SOURCE)]), { ...options, formats: [{ format: 'json' }] }, io);
    const report = JSON.parse(stdout);
    expect(report.inputs).to.deep.equal([]);
    expect(report.results.every((r: { location?: unknown }) => r.location === undefined)).to.equal(true);
  });
});
