/**
 * Remediation commands are filled with the subject's values so they can be copied and run. A
 * hand-written inventory can hold any text, so a value that is not shell-safe is never pasted
 * into a command: the placeholder is left for the user to fill in.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { parse } from 'yaml';
import { REPO } from '../helpers/cli.ts';
import { evaluate } from '../../src/engine/evaluate.ts';
import { parseInventory } from '../../src/inventory/load.ts';
import { mergeInventories } from '../../src/inventory/merge.ts';
import { loadRules } from '../../src/rules/load.ts';

const rules = loadRules().filter((r) => r.meta.id === 'bucket-access-logging');

function remediationFor(bucket: string): string | undefined {
  const inventory = {
    version: 1,
    accounts: [
      {
        accountId: '111122223333',
        regions: ['us-east-1'],
        trails: [{ Trail: { Name: 'main', TrailARN: 'arn:aws:cloudtrail:us-east-1:111122223333:trail/main', HomeRegion: 'us-east-1', S3BucketName: bucket } }],
      },
    ],
    buckets: { [bucket]: { Region: 'us-east-1', Logging: {} } },
  };
  const merged = mergeInventories([parseInventory(JSON.stringify(inventory), 'inv.json')]).inventory;
  const [r] = evaluate(rules, merged);
  expect(r.status).to.equal('fail');
  return r.remediation;
}

describe('remediation commands', () => {
  it('fill in AWS names as they are', () => {
    expect(remediationFor('acme-trail-logs.eu')).to.include('--bucket acme-trail-logs.eu ');
  });

  // The last three are no shell injection, but the AWS CLI would take them as an option or a file to load.
  for (const hostile of ["logs'; touch /tmp/pwned; echo '", 'logs $(id)', 'logs`id`', 'a b', 'logs"x', 'logs\nrm -rf ~', '--debug', 'file:///etc/passwd', 'FILEB://x']) {
    it(`leave a placeholder for ${JSON.stringify(hostile)}`, () => {
      const command = remediationFor(hostile)!;
      expect(command).to.include('--bucket <Trail.S3BucketName> ');
      expect(command).to.not.include(hostile);
    });
  }
});

describe('kms-key-rotation remediation', () => {
  it('offers enable-key-rotation for a key that can rotate, and no command for imported key material, which KMS refuses to rotate', () => {
    const fixture = parse(readFileSync(join(REPO, 'test/fixtures/rules/kms-key-rotation/cases.yaml'), 'utf8')) as { inventory: unknown };
    const inventory = mergeInventories([parseInventory(JSON.stringify(fixture.inventory), 'inv.json')]).inventory;
    const byName = new Map(evaluate(loadRules().filter((r) => r.meta.id === 'kms-key-rotation'), inventory).map((r) => [r.subject.name, r]));
    expect(byName.get('static')?.remediation).to.equal('aws kms enable-key-rotation --key-id arn:aws:kms:us-east-1:470000000001:key/00000000-0000-0000-0000-000000000002 --region us-east-1');
    for (const name of ['imported', 'imported-unread']) {
      expect(byName.get(name)?.status, name).to.equal('fail');
      expect(byName.get(name)?.remediation, name).to.equal(undefined);
    }
  });
});

describe('a trail without Trail.Name', () => {
  it('is named from its TrailARN in messages and commands, never as a literal {Trail.Name}', () => {
    const inventory = {
      version: 1,
      accounts: [{ accountId: '111122223333', regions: ['us-east-1'], trails: [{ Trail: { TrailARN: 'arn:aws:cloudtrail:us-east-1:111122223333:trail/nameless', HomeRegion: 'us-east-1' } }] }],
    };
    const merged = mergeInventories([parseInventory(JSON.stringify(inventory), 'inv.json')]).inventory;
    const results = evaluate(loadRules(), merged);
    const validation = results.find((r) => r.ruleId === 'log-file-validation')!;
    expect(validation.message).to.equal('trail nameless does not validate its log files (LogFileValidationEnabled is not true)');
    expect(validation.remediation).to.equal('aws cloudtrail update-trail --name nameless --region us-east-1 --enable-log-file-validation');
    for (const r of results) expect(`${r.message} ${r.remediation ?? ''}`, r.ruleId).to.not.include('{Trail.Name');
  });

  it('nor without Trail.HomeRegion: the region comes from its TrailARN', () => {
    const inventory = { version: 1, accounts: [{ accountId: '111122223333', regions: ['eu-west-1'], trails: [{ Trail: { Name: 't1', TrailARN: 'arn:aws:cloudtrail:eu-west-1:111122223333:trail/t1' } }] }] };
    const merged = mergeInventories([parseInventory(JSON.stringify(inventory), 'inv.json')]).inventory;
    const validation = evaluate(loadRules(), merged).find((r) => r.ruleId === 'log-file-validation')!;
    expect(validation.remediation).to.equal('aws cloudtrail update-trail --name t1 --region eu-west-1 --enable-log-file-validation');
  });
});

describe('the commands the rules give', () => {
  const all = loadRules();
  /** Each command of a rule: a string, or one per failed condition; `a && b` is two. */
  const commandsOf = (cli: string | Record<string, string> | undefined): string[] =>
    (cli === undefined ? [] : typeof cli === 'string' ? [cli] : Object.values(cli)).flatMap((c) => c.split(' && '));

  it('name the region every CloudTrail and KMS call must be sent to', () => {
    // CloudTrail changes a trail only in its home region, and KMS serves a key only in its own.
    let seen = 0;
    for (const rule of all) {
      for (const command of commandsOf(rule.meta.remediation.cli)) {
        if (!/^aws (cloudtrail|kms) /.test(command)) continue;
        seen++;
        expect(command, rule.meta.id).to.match(/ --region (\{region\}|\{facts\.keyRegion\}|<home-region>)( |$)/);
      }
    }
    expect(seen).to.be.greaterThan(15);
  });

  it('send a KMS command to the key\'s region, which need not be the trail\'s, naming the key by its ARN (KMS takes no alias there)', () => {
    const inventory = {
      version: 1,
      accounts: [
        {
          accountId: '111122223333',
          regions: ['us-east-1'],
          trails: [{ Trail: { Name: 'main', TrailARN: 'arn:aws:cloudtrail:us-east-1:111122223333:trail/main', HomeRegion: 'us-east-1', KmsKeyId: 'arn:aws:kms:eu-west-1:111122223333:alias/trail' } }],
        },
      ],
      keys: { 'arn:aws:kms:eu-west-1:111122223333:key/k1': { KeyMetadata: { Arn: 'arn:aws:kms:eu-west-1:111122223333:key/k1', KeyState: 'Enabled', KeyManager: 'CUSTOMER' }, KeyRotationEnabled: false, Aliases: ['alias/trail'] } },
    };
    const merged = mergeInventories([parseInventory(JSON.stringify(inventory), 'inv.json')]).inventory;
    const rotation = evaluate(all.filter((r) => r.meta.id === 'kms-key-rotation'), merged)[0];
    expect(rotation.status).to.equal('fail');
    expect(rotation.remediation).to.equal('aws kms enable-key-rotation --key-id arn:aws:kms:eu-west-1:111122223333:key/k1 --region eu-west-1');
  });

  it('for S3 data events leave the trail passing both S3 data-event rules, whichever is applied last', () => {
    const s3 = all.filter((r) => r.meta.id.startsWith('s3-data-events-'));
    expect(s3.map((r) => r.meta.id)).to.deep.equal(['s3-data-events-read', 's3-data-events-write']);
    for (const fix of s3) {
      const selectors = JSON.parse(/--advanced-event-selectors '(.*)'$/.exec(fix.meta.remediation.cli as string)![1]);
      const inventory = {
        version: 1,
        accounts: [
          {
            accountId: '111122223333',
            regions: ['us-east-1'],
            trails: [
              {
                Trail: { Name: 'main', TrailARN: 'arn:aws:cloudtrail:us-east-1:111122223333:trail/main', HomeRegion: 'us-east-1', IsMultiRegionTrail: true, HasCustomEventSelectors: true },
                Status: { IsLogging: true },
                AdvancedEventSelectors: selectors,
              },
            ],
          },
        ],
      };
      const merged = mergeInventories([parseInventory(JSON.stringify(inventory), 'inv.json')]).inventory;
      const statuses = evaluate([...s3, ...all.filter((r) => r.meta.id === 'multi-region-trail')], merged).map((r) => `${r.ruleId} ${r.status}`);
      expect(statuses, `after the fix of ${fix.meta.id}`).to.deep.equal(['s3-data-events-read pass', 's3-data-events-write pass', 'multi-region-trail pass']);
    }
  });
});
