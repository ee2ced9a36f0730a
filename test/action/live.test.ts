/**
 * The Action in live mode, against the fake AWS endpoint: credentials come from the
 * environment, as aws-actions/configure-aws-credentials leaves them, and the endpoint from
 * AWS_ENDPOINT_URL. Nothing leaves 127.0.0.1.
 */
import { assert } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startFakeAws } from '../fake-aws/server.ts';
import { MGMT, orgScenario, ROLE } from '../collect/world.ts';
import { assertValidSarif } from '../helpers/sarif-check.ts';
import { workspace } from '../config/run.ts';
import { fakeAwsStepEnv, runAction } from './runner.ts';

describe('the GitHub Action, live', function () {
  this.timeout(60_000);

  it('audits an organization with the credentials in the environment and writes outputs, reports and evidence', async () => {
    const fake = await startFakeAws(orgScenario());
    try {
      const env = fakeAwsStepEnv(fake.url);
      const dir = workspace();
      const r = await runAction(dir, { organization: 'true', 'role-name': ROLE, regions: 'us-east-1,eu-west-1', sarif: 'live.sarif', json: 'live.json', 'save-snapshot': 'evidence.json' }, env);
      assert.oneOf(r.code, [0, 1, 3], r.stderr);
      assert.strictEqual(r.outputs['exit-code'], String(r.code));
      const report = JSON.parse(readFileSync(join(dir, 'live.json'), 'utf8'));
      assert.deepEqual(
        { pass: r.outputs.pass, fail: r.outputs.fail, error: r.outputs.error, skipped: r.outputs.skipped },
        Object.fromEntries(Object.entries(report.summary).map(([k, v]) => [k, String(v)])),
      );
      assert.isAbove(report.results.length, 0);
      assert.include(report.results.map((x: { accountId: string }) => x.accountId), MGMT, 'the accounts came from the fake AWS, not a file');
      assertValidSarif(readFileSync(join(dir, 'live.sarif'), 'utf8'));
      assert.strictEqual(JSON.parse(readFileSync(join(dir, 'evidence.json'), 'utf8')).version, 1, 'the collected inventory, saved as evidence');
      assert.include(r.summary, '## trailgate');
      assert.notInclude(r.stdout + r.stderr + r.summary, env.AWS_SECRET_ACCESS_KEY);
    } finally {
      await fake.stop();
    }
  });
});
