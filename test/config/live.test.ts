/** Live keys in the config file drive a live scan exactly as the flags would (fake AWS endpoint). */
import { assert } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { withFake } from '../collect/harness.ts';
import { LOGS, MGMT, orgScenario, ROLE } from '../collect/world.ts';
import { trailgate, workspace } from './run.ts';

describe('config file: live keys', function () {
  this.timeout(60_000);

  it('regions, accounts and roleName from the config collect what the flags would; a flag still wins', async () => {
    const dir = workspace({
      '.trailgate.yml': `regions: [us-east-1]\naccounts: ["${MGMT}", "${LOGS}"]\nroleName: ${ROLE}\nsaveSnapshot: evidence.json\nquiet: true\nformats: [json=live.json]\n`,
    });
    const fromConfig = await withFake(orgScenario(), () => trailgate(['scan'], dir));
    assert.oneOf(fromConfig.code, [0, 1, 3], fromConfig.stderr);
    const evidence = JSON.parse(readFileSync(join(dir, 'evidence.json'), 'utf8'));
    assert.deepEqual(evidence.accounts.map((a: { accountId: string }) => a.accountId), [MGMT, LOGS]);
    for (const a of evidence.accounts) assert.deepEqual(a.regions, ['us-east-1']);

    const flagWins = await withFake(orgScenario(), () => trailgate(['scan', '--accounts', MGMT, '--region', 'eu-west-1'], dir));
    assert.oneOf(flagWins.code, [0, 1, 3], flagWins.stderr);
    const again = JSON.parse(readFileSync(join(dir, 'evidence.json'), 'utf8'));
    assert.deepEqual(again.accounts.map((a: { accountId: string; regions: string[] }) => [a.accountId, a.regions]), [[MGMT, ['eu-west-1']]]);
  });
});
