/**
 * Golden files: the example inventory's reports in every format, byte for byte. After an
 * intended change, regenerate them with `UPDATE_GOLDEN=1 npm test` and review the diff.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { assertValidJunit } from '../helpers/junit-check.ts';
import { assertValidSarif } from '../helpers/sarif-check.ts';
import { cli } from '../helpers/cli.ts';

const GOLDEN = join(import.meta.dirname, 'golden');
const FORMATS: [string, string][] = [
  ['text', 'organization.txt'],
  ['json', 'organization.json'],
  ['sarif', 'organization.sarif'],
  ['junit', 'organization.junit.xml'],
  ['github', 'organization.github.txt'],
];

describe('golden reports of the example inventory', () => {
  for (const [format, file] of FORMATS) {
    it(`${format} matches ${file}`, async () => {
      const r = await cli(['scan', '--snapshot', 'examples/organization.yaml', '--format', format]);
      expect(r.code).to.equal(1);
      const path = join(GOLDEN, file);
      // Written only when asked: a golden file that went missing must fail, not quietly become whatever the code now prints.
      if (process.env.UPDATE_GOLDEN === '1') writeFileSync(path, r.stdout);
      expect(existsSync(path), `${path} is missing: run with UPDATE_GOLDEN=1 to write it, and review it`).to.equal(true);
      expect(r.stdout).to.equal(readFileSync(path, 'utf8'));
      if (format === 'sarif') assertValidSarif(r.stdout);
      if (format === 'junit') {
        await assertValidJunit(r.stdout);
        // Remediation commands come filled in for each failing subject, never as templates.
        expect(r.stdout).to.not.include('{Trail.');
        expect(r.stdout).to.include('aws s3api put-bucket-policy --bucket dev-team-trail --policy file://policy.json');
      }
    });
  }
});
