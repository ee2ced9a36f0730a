/**
 * Cross-format consistency: one run of the real CLI writes every format (text, json, sarif,
 * junit, github and the step summary) from a random schema-valid inventory full of hostile
 * strings, and each report must say what the JSON report says, as README.md ("Reports",
 * "Suppressions", "Baselines", "--format github") and shared/design/reports.md promise. What
 * each format must say is spelled out with its check, in report-consistency/:
 *
 * - generate.ts: a random plan, and the inventory files, config and baseline it describes;
 * - run.ts: one run of `trailgate scan` writing every format;
 * - decode.ts: undoing each format's escaping, from the documents rather than from src/report;
 * - checks-json.ts (schema, order, summary, exit code, locations), checks-junit.ts,
 *   checks-sarif.ts, checks-text.ts, checks-github.ts: each format against the JSON report;
 * - checks-commands.ts: no report but the annotations holds a line the Actions runner would run.
 *
 * And here:
 * - the same inventory, split into two shard files, gives byte-identical reports with the files
 *   given in either order (the JSON report's `inputs`, the command line's own order, aside).
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, sep } from 'node:path';
import { expect } from 'chai';
import fc from 'fast-check';
import { cli, tempDir } from '../helpers/cli.ts';
import { checkNoCommands } from './report-consistency/checks-commands.ts';
import { checkGithub } from './report-consistency/checks-github.ts';
import { checkJson, checkLocations } from './report-consistency/checks-json.ts';
import { checkJunit } from './report-consistency/checks-junit.ts';
import { checkSarif } from './report-consistency/checks-sarif.ts';
import { checkText } from './report-consistency/checks-text.ts';
import type { Any } from './report-consistency/decode.ts';
import { ACCOUNTS, ORG, planArb, type Plan } from './report-consistency/generate.ts';
import { scan, writeInputs, type Run } from './report-consistency/run.ts';

// ---------------------------------------------------------------------------------------------
// The properties
// ---------------------------------------------------------------------------------------------

/** The JSON report without `inputs`, which lists the inventory files in the command line's order. */
function withoutInputs(json: string): string {
  const out = json.replace(/\n {2}"inputs": \[(?:\n {4}"(?:[^"\\]|\\.)*",?)*\n {2}\],\n/, '\n');
  expect(out).to.not.equal(json);
  return out;
}

async function checkPlan(plan: Plan): Promise<void> {
  const { dir, files } = writeInputs(plan);
  try {
    const first = await scan(plan, dir, files, 'out1');
   
    const json = JSON.parse(first.reports.json);
    checkJson(json, first, plan);
    checkJunit(first.reports.junit, json);
    checkSarif(first.reports.sarif, json);
    checkText(first.reports.text, json, plan);
    checkGithub(first.reports.github, first.reports.summary, json, plan.failOn);
    checkLocations(json, dir);
    checkNoCommands(first.reports);

    // With the shards the other way round nothing may change, not a byte. (A plain second run of
    // one file would also be a check, but each run costs as much as the rest of an iteration, and
    // test/cli/scan.test.ts already makes it.)
    if (files.length < 2) return;
    const second = await scan(plan, dir, [...files].reverse(), 'out2');
   
    expect(second.code).to.equal(first.code);
    for (const format of Object.keys(first.reports) as (keyof Run['reports'])[]) {
      const [a, b] = format === 'json' ? [withoutInputs(first.reports.json), withoutInputs(second.reports.json)] : [first.reports[format], second.reports[format]];
      expect(b, `${format}: byte-identical with the shards swapped`).to.equal(a);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Each run scans once or twice (about 0.1 s each); CONSISTENCY_RUNS=500 explores further. */
const RUNS = Number(process.env.CONSISTENCY_RUNS ?? 25);

describe('reports agree across formats (property)', function () {
  this.timeout(Math.max(60_000, RUNS * 1000));

  it('text, json, sarif, junit and github say the same of every run, byte for byte again', async () => {
    await fc.assert(fc.asyncProperty(planArb, checkPlan), { numRuns: RUNS });
  });
});

/** The minimal counterexamples the property found, kept by name. */
describe('reports agree across formats (counterexamples)', () => {
  it('an organization trail seen only by members in two shard files points at the same entry whichever file comes first', async () => {
    const dir = tempDir();
    const arn = 'arn:aws:cloudtrail:eu-west-1:111111111111:trail/main';
    const member = (accountId: string) => ({
      version: 1,
      accounts: [
        {
          accountId,
          organizationId: ORG,
          regions: ['us-east-1'],
          // Padded differently, so that the two copies sit on different lines too.
          trails: [{ Trail: { Name: 'main', TrailARN: arn, HomeRegion: 'eu-west-1', IsMultiRegionTrail: true, IsOrganizationTrail: true } }],
        },
      ],
    });
    writeFileSync(join(dir, 'a.json'), JSON.stringify(member('333333333333'), null, 2));
    writeFileSync(join(dir, 'b.json'), `\n\n${JSON.stringify(member('222222222222'), null, 2)}`);
    const locations = async (files: string[]) => {
      const r = await cli(['scan', ...files.flatMap((f) => ['--snapshot', f]), '--format', 'json'], { cwd: dir });
      return (JSON.parse(r.stdout).results as Any[]).filter((x) => x.resource === arn).map((x) => x.location);
    };
    const forward = await locations(['a.json', 'b.json']);
    expect(forward).to.not.have.lengthOf(0);
    expect(await locations(['b.json', 'a.json'])).to.deep.equal(forward);
    // The lowest account id that sees the trail, as for the organization id it vouches for.
    expect(forward[0]).to.include({ file: 'b.json', pointer: '/accounts/0/trails/0' });
    rmSync(dir, { recursive: true, force: true });
  });

  it('a snapshot whose name holds a backslash (a plain character on POSIX) is named as it is, not as a path with one more directory', async function () {
    if (sep !== '/') this.skip();
    const dir = tempDir();
    writeFileSync(join(dir, 'a\\b.json'), JSON.stringify({ version: 1, accounts: [{ accountId: ACCOUNTS[0], regions: ['us-east-1'], trails: [] }] }));
    const r = await cli(['scan', '--snapshot', 'a\\b.json', '--only', 'multi-region-trail', '--format', 'json=r.json', '--format', 'sarif=r.sarif', '--format', 'github=r.gh'], { cwd: dir });
    expect(r.code, r.stderr).to.equal(1);
    const json = JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8'));
    expect(json.inputs).to.deep.equal(['a\\b.json']);
    expect(json.results[0].location.file).to.equal('a\\b.json');
    const sarif = JSON.parse(readFileSync(join(dir, 'r.sarif'), 'utf8'));
    expect(sarif.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri).to.equal('a%5Cb.json');
    expect(readFileSync(join(dir, 'r.gh'), 'utf8')).to.match(/^::error file=a\\b\.json,line=1,/);
    rmSync(dir, { recursive: true, force: true });
  });
});
