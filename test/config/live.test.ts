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

  // It said `--region ap-southeast-4: none of these regions is enabled`, naming a flag nobody typed, and no place in the file.
  it('regions from the config that no account has enabled are located at the key and worded for it', async () => {
    const dir = workspace({ '.trailgate.yml': 'regions: [ap-southeast-4]\nquiet: true\n' });
    for (const command of ['scan', 'snapshot']) {
      const r = await withFake(orgScenario(), () => trailgate([command], dir));
      assert.strictEqual(r.code, 2, r.stderr);
      assert.strictEqual(r.stderr.split('\n').filter((l) => !l.includes('warning: ')).join('\n'), `trailgate: .trailgate.yml:1:10: invalid config: \`regions\` ap-southeast-4: none of these regions is enabled in account ${MGMT}, so there is nothing to collect (at /regions)\n`);
    }
    const flag = await withFake(orgScenario(), () => trailgate(['snapshot', '--region', 'ap-southeast-4'], dir));
    assert.include(flag.stderr, `trailgate: --region ap-southeast-4: none of these regions is enabled in account ${MGMT}, so there is nothing to collect\n`);
  });

  it('--accounts on the command line wins over organization: true in the config, and --organization over accounts', async () => {
    const dir = workspace({ '.trailgate.yml': `organization: true\nroleName: ${ROLE}\nregions: [us-east-1]\nquiet: true\n` });
    const accounts = await withFake(orgScenario(), () => trailgate(['snapshot', '--accounts', LOGS], dir));
    assert.strictEqual(accounts.code, 0, accounts.stderr);
    assert.deepEqual(JSON.parse(accounts.stdout).accounts.map((a: { accountId: string }) => a.accountId), [LOGS]);

    const other = workspace({ '.trailgate.yml': `accounts: ["${LOGS}"]\nroleName: ${ROLE}\nregions: [us-east-1]\nquiet: true\n` });
    const org = await withFake(orgScenario(), () => trailgate(['snapshot', '--organization'], other));
    assert.strictEqual(org.code, 0, org.stderr);
    assert.include(JSON.parse(org.stdout).accounts.map((a: { accountId: string }) => a.accountId), MGMT);
  });

  it('saveSnapshot in the config is for live scans: a scan of --snapshot files in the same directory still runs', async () => {
    const dir = workspace({ '.trailgate.yml': 'saveSnapshot: evidence.json\nquiet: true\n' });
    const live = await withFake(orgScenario(), () => trailgate(['scan', '--region', 'us-east-1', '--format', 'json=live.json'], dir));
    assert.oneOf(live.code, [0, 1, 3], live.stderr);
    const saved = await trailgate(['scan', '--snapshot', 'evidence.json', '--format', 'json=saved.json'], dir);
    assert.strictEqual(saved.code, live.code, saved.stderr);
    // The flag itself still cannot be combined with --snapshot.
    const both = await trailgate(['scan', '--snapshot', 'evidence.json', '--save-snapshot', 'other.json'], dir);
    assert.strictEqual(both.code, 2);
  });

  it('live flags on the command line of a --snapshot scan are refused, never silently ignored; live config keys are left aside', async () => {
    const dir = workspace({ '.trailgate.yml': `regions: [eu-west-1]
accounts: ["${LOGS}"]
roleName: ${ROLE}
quiet: true
` });
    const live = await withFake(orgScenario(), () => trailgate(['scan', '--region', 'us-east-1', '--save-snapshot', 'evidence.json', '--format', 'json=live.json'], dir));
    assert.oneOf(live.code, [0, 1, 3], live.stderr);
    const saved = await trailgate(['scan', '--snapshot', 'evidence.json', '--format', 'json=saved.json'], dir);
    assert.strictEqual(saved.code, live.code, saved.stderr);
    for (const flag of [['--region', 'us-east-1'], ['--accounts', MGMT], ['--role-name', ROLE], ['--organization'], ['--concurrency', '4'], ['--profile', 'p'], ['--role-arn', `arn:aws:iam::${MGMT}:role/x`], ['--external-id', 'e']]) {
      const r = await trailgate(['scan', '--snapshot', 'evidence.json', ...flag], dir);
      assert.strictEqual(r.code, 2, `${flag[0]}: ${r.stderr}`);
      assert.include(r.stderr, `${flag[0]} is for live scans`);
    }
  });

  it('a live flag against snapshots from the config names the key and where it is, not a --snapshot nobody gave', async () => {
    const dir = workspace({ 'snapcfg.yml': 'quiet: true\nsnapshots: [org.yaml]\n' });
    const region = await trailgate(['scan', '--config', 'snapcfg.yml', '--region', 'us-east-1'], dir);
    assert.strictEqual(region.code, 2);
    assert.strictEqual(
      region.stderr,
      'trailgate: --region is for live scans; with `snapshots` in snapcfg.yml:2:1 the inventory decides what is judged (drop --region, or remove `snapshots` from the config to collect live)\n',
    );
    const save = await trailgate(['scan', '--config', 'snapcfg.yml', '--save-snapshot', 'evidence.json'], dir);
    assert.strictEqual(save.code, 2);
    assert.strictEqual(save.stderr, 'trailgate: --save-snapshot saves a live collection; it cannot be used with `snapshots` in snapcfg.yml:2:1 (drop --save-snapshot, or remove `snapshots` from the config to collect live)\n');
    // --snapshot on the command line replaced the key: the message is the flag's, as before.
    const flag = await trailgate(['scan', '--config', 'snapcfg.yml', '--snapshot', 'org.yaml', '--region', 'us-east-1'], dir);
    assert.strictEqual(flag.stderr, 'trailgate: --region is for live scans; with --snapshot the inventory decides what is judged (drop --region, or drop --snapshot to collect live)\n');
    const saveFlag = await trailgate(['scan', '--config', 'snapcfg.yml', '--snapshot', 'org.yaml', '--save-snapshot', 'evidence.json'], dir);
    assert.strictEqual(saveFlag.stderr, 'trailgate: --save-snapshot saves a live collection; it cannot be used with --snapshot\n');
  });
});
