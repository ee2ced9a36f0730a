import { assert } from 'chai';
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { assertValidJunit, parseXml, type XmlElement } from '../helpers/junit-check.ts';
import { assertValidSarif } from '../helpers/sarif-check.ts';
import { CORE, REPO, trailgate, workspace } from './run.ts';

const DEV = 'arn:aws:cloudtrail:eu-west-1:444455556666:trail/dev-trail';

/** A config with one valid, one expired and one stale suppression (as of 2026-11-21). */
const CONFIG = `snapshots: [org.yaml]
only: [${CORE}]
suppressions:
  - rule: kms-encryption
    resource: "444455556666"
    reason: dev account; SSE-S3 accepted until the key rollout
    owner: platform-team
    expires: 2026-12-31
  - rule: log-file-validation
    resource: "444455556666/eu-west-1"
    reason: waiting for the new trail
    owner: dev-team
    expires: 2026-11-20
  - rule: bucket-delivery
    resource: "arn:aws:cloudtrail:*:999999999999:trail/*"
    reason: the sandbox account was closed
`;

function all(el: XmlElement, name: string): XmlElement[] {
  return [...(el.name === name ? [el] : []), ...el.children.flatMap((c) => all(c, name))];
}

describe('suppressions, end to end', () => {
  it('a valid suppression hides its violation; an expired one stops and the run says so; a stale one is reported', async () => {
    const dir = workspace({ '.trailgate.yml': CONFIG });
    const r = await trailgate(['scan', '--format', 'text', '--format', 'json=r.json', '--format', 'sarif=r.sarif', '--format', 'junit=r.xml'], dir);
    assert.strictEqual(r.code, 1, 'bucket-delivery and the no longer suppressed log-file-validation still fail');
    assert.include(r.stderr, 'trailgate: warning: suppression expired on 2026-11-20 (.trailgate.yml:9:5): rule log-file-validation, resource 444455556666/eu-west-1, owner dev-team; 1 result counts again');
    assert.include(r.stderr, 'trailgate: warning: stale suppression (.trailgate.yml:14:5): rule bucket-delivery, resource arn:aws:cloudtrail:*:999999999999:trail/* matches no violation or error; remove it');
    assert.include(r.stdout, 'warning: suppression expired on 2026-11-20');
    assert.include(r.stdout, 'warning: stale suppression (.trailgate.yml:14:5)');
    assert.include(r.stdout, '3 passed, 2 failed (1 high, 1 medium), 0 errors, 1 skipped (1 suppressed)');

    const json = JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8'));
    const validate = new Ajv({ strict: false, allErrors: true }).compile(JSON.parse(readFileSync(join(REPO, 'schemas', 'report.schema.json'), 'utf8')));
    assert.isTrue(validate(json), JSON.stringify(validate.errors));
    const kms = json.results.find((x: { ruleId: string; resource?: string }) => x.ruleId === 'kms-encryption' && x.resource === DEV);
    assert.strictEqual(kms.status, 'skipped');
    assert.strictEqual(kms.evidence.suppressedStatus, 'fail');
    assert.deepEqual(kms.suppression, { kind: 'suppression', reason: 'dev account; SSE-S3 accepted until the key rollout', owner: 'platform-team', expires: '2026-12-31' });

    const sarifText = readFileSync(join(dir, 'r.sarif'), 'utf8');
    assertValidSarif(sarifText);
    const results = JSON.parse(sarifText).runs[0].results as Array<{ ruleId: string; suppressions?: Array<{ kind: string; justification: string }> }>;
    assert.isTrue(results.every((x) => Array.isArray(x.suppressions)), 'suppressions on every result of the run, as the spec requires');
    const suppressed = results.filter((x) => x.suppressions!.length > 0);
    assert.deepEqual(suppressed.map((x) => [x.ruleId, x.suppressions![0].kind, x.suppressions![0].justification]), [['kms-encryption', 'external', 'dev account; SSE-S3 accepted until the key rollout']]);

    const xml = readFileSync(join(dir, 'r.xml'), 'utf8');
    await assertValidJunit(xml);
    const skipped = all(parseXml(xml), 'skipped');
    assert.lengthOf(skipped, 1);
    assert.strictEqual(skipped[0].attributes.message, 'dev account; SSE-S3 accepted until the key rollout (owner platform-team, expires 2026-12-31)');
  });

  it('before the expiry date both suppressions hold; the day after the valid one expires too', async () => {
    const dir = workspace({ '.trailgate.yml': CONFIG });
    const early = await trailgate(['scan'], dir, { now: '2026-11-20T23:59:59Z' });
    assert.include(early.stdout, '3 passed, 1 failed (1 high), 0 errors, 2 skipped (2 suppressed)');
    assert.notInclude(early.stderr, 'expired');
    const late = await trailgate(['scan'], dir, { now: '2027-01-01T00:00:00Z' });
    assert.include(late.stdout, '3 passed, 3 failed (1 high, 2 medium), 0 errors, 0 skipped\n');
    assert.include(late.stderr, 'suppression expired on 2026-12-31');
  });

  it('suppressed violations do not fail the run', async () => {
    const dir = workspace({
      '.trailgate.yml': `snapshots: [org.yaml]\nonly: [${CORE}]\nsuppressions:\n  - {rule: "*", resource: "${DEV}", reason: the dev trail is being deleted}\n`,
    });
    const r = await trailgate(['scan'], dir);
    assert.strictEqual(r.code, 0);
    assert.include(r.stdout, '3 passed, 0 failed, 0 errors, 3 skipped (3 suppressed)');
    assert.strictEqual(r.stderr, '');
  });

  it('without any suppression, SARIF results carry no suppressions at all', async () => {
    const dir = workspace();
    const r = await trailgate(['scan', '--snapshot', 'org.yaml', '--only', CORE, '--format', 'sarif'], dir);
    assertValidSarif(r.stdout);
    const results = JSON.parse(r.stdout).runs[0].results as Array<Record<string, unknown>>;
    assert.lengthOf(results, 3);
    assert.isTrue(results.every((x) => !('suppressions' in x)));
  });

  it('an entry for a rule left out of the run (--only, --no-builtin-rules) is not stale; one naming no rule still is', async () => {
    const config = `snapshots: [org.yaml]
suppressions:
  - {rule: log-file-validation, resource: "444455556666", reason: needed by the full scan}
  - {rule: kms-encryption, resource: "444455556666", reason: matches in this run}
  - {rule: kms-encrpytion, resource: "444455556666", reason: a typo}
`;
    const dir = workspace({ '.trailgate.yml': config, 'central.yaml': readFileSync(join(REPO, 'test', 'fixtures', 'user-rules', 'central-bucket.yaml'), 'utf8') });
    const only = await trailgate(['scan', '--only', 'kms-encryption'], dir);
    assert.strictEqual(only.code, 0, only.stderr);
    assert.notInclude(only.stderr, 'rule log-file-validation', 'the rule did not run: its finding was not looked for');
    assert.include(only.stderr, 'stale suppression (.trailgate.yml:5:5): rule kms-encrpytion');
    const own = await trailgate(['scan', '--no-builtin-rules', '--rules', 'central.yaml'], dir);
    assert.strictEqual(own.code, 1, own.stderr);
    assert.notInclude(own.stderr, 'rule log-file-validation');
    assert.notInclude(own.stderr, 'rule kms-encryption,');
    assert.include(own.stderr, 'stale suppression (.trailgate.yml:5:5): rule kms-encrpytion');
    const full = await trailgate(['scan', '--only', 'kms-encryption,log-file-validation'], dir);
    assert.strictEqual(full.code, 0, full.stderr);
    assert.notInclude(full.stderr, 'rule log-file-validation');
  });

  it('an entry for a rule of the config\'s own rules folder is not stale when --rules replaced the folder; a typo of a loaded rule still is', async () => {
    const config = `snapshots: [org.yaml]
rules: [policies]
suppressions:
  - {rule: central-bucket, resource: "444455556666", reason: the dev account uses its own bucket}
  - {rule: "central-*", resource: "999999999999", reason: the sandbox account was closed}
  - {rule: kms-encrpytion, resource: "444455556666", reason: a typo}
`;
    const dir = workspace({ '.trailgate.yml': config });
    mkdirSync(join(dir, 'policies'));
    mkdirSync(join(dir, 'extra'));
    copyFileSync(join(REPO, 'test', 'fixtures', 'user-rules', 'central-bucket.yaml'), join(dir, 'policies', 'central-bucket.yaml'));
    copyFileSync(join(REPO, 'test', 'fixtures', 'user-rules', 'three-trails.yaml'), join(dir, 'extra', 'three-trails.yaml'));
    const replaced = await trailgate(['scan', '--rules', 'extra', '--quiet', '--format', 'json=r.json'], dir);
    assert.strictEqual(replaced.code, 1, replaced.stderr);
    assert.notInclude(replaced.stderr, 'rule central-bucket', 'the rule exists, in the folder the command line set aside: it was not run');
    assert.notInclude(replaced.stderr, 'rule central-*', 'it may name rules of that folder');
    assert.include(replaced.stderr, 'stale suppression (.trailgate.yml:6:5): rule kms-encrpytion, resource 444455556666 matches no violation or error; remove it');
    // A set-aside folder that cannot be read whole (a file that does not parse): an entry for an id
    // no readable file gives may be for its rule, and is not called stale.
    writeFileSync(join(dir, 'policies', 'broken.yaml'), 'id: "broken-rule\n');
    writeFileSync(join(dir, '.trailgate.yml'), config + '  - {rule: broken-rule, resource: "444455556666", reason: its file is being fixed}\n');
    const broken = await trailgate(['scan', '--rules', 'extra', '--quiet', '--format', 'json=r.json'], dir);
    assert.notInclude(broken.stderr, 'rule broken-rule');
    assert.include(broken.stderr, "trailgate: warning: the config's rules that --rules replaced could not all be read: policies/broken.yaml (it is not valid YAML); ");
    // only/skip and parameters take such an id as suppressions do: they stopped the run as an unknown rule.
    writeFileSync(join(dir, '.trailgate.yml'), config + 'skip: [broken-rule]\nparameters:\n  broken-rule: {x: 1}\n');
    const alike = await trailgate(['scan', '--rules', 'extra', '--quiet', '--format', 'json=r.json'], dir);
    assert.strictEqual(alike.code, 1, alike.stderr);
    writeFileSync(join(dir, '.trailgate.yml'), config);
    rmSync(join(dir, 'policies', 'broken.yaml'));
    // A file that parses but is no rule (empty), and a folder the config names that is not made
    // yet, hold no rule: a typo is still stale, as it is with the folder read whole.
    writeFileSync(join(dir, 'policies', 'empty.yaml'), '');
    writeFileSync(join(dir, '.trailgate.yml'), config.replace('rules: [policies]', 'rules: [policies, not-yet-made]'));
    const empty = await trailgate(['scan', '--rules', 'extra', '--quiet', '--format', 'json=r.json'], dir);
    assert.include(empty.stderr, 'stale suppression (.trailgate.yml:6:5): rule kms-encrpytion');
    assert.notInclude(empty.stderr, 'could not all be read');
    writeFileSync(join(dir, '.trailgate.yml'), config);
    rmSync(join(dir, 'policies', 'empty.yaml'));
    // The folder given again beside the other: every rule is known, and judged as in a run of the config alone.
    const both = await trailgate(['scan', '--rules', 'policies', '--rules', 'extra', '--quiet', '--format', 'json=r.json'], dir);
    assert.notInclude(both.stderr, 'rule central-bucket');
    assert.include(both.stderr, 'stale suppression (.trailgate.yml:5:5): rule central-*, resource 999999999999');
    assert.include(both.stderr, 'stale suppression (.trailgate.yml:6:5): rule kms-encrpytion');
  });

  it('an entry whose rule is a pattern is stale only when every rule it names ran', async () => {
    const config = `snapshots: [org.yaml]
suppressions:
  - {rule: "*", resource: "999999999999", reason: the sandbox account was closed}
  - {rule: "kms-*", resource: "999999999999", reason: the sandbox keys were deleted}
`;
    const dir = workspace({ '.trailgate.yml': config, 'central.yaml': readFileSync(join(REPO, 'test', 'fixtures', 'user-rules', 'central-bucket.yaml'), 'utf8') });
    for (const narrowed of [['--only', 'kms-key-rotation'], ['--skip', 'kms-key-usable'], ['--compliance', 'aws-quotas'], ['--no-builtin-rules', '--rules', 'central.yaml']]) {
      const r = await trailgate(['scan', ...narrowed, '--quiet', '--format', 'json=r.json'], dir);
      assert.notStrictEqual(r.code, 2, r.stderr);
      assert.notInclude(r.stderr, 'rule *,', `${narrowed.join(' ')}: rules "*" names were left out`);
      assert.notInclude(r.stderr, 'rule kms-*,', `${narrowed.join(' ')}: rules "kms-*" names were left out`);
    }
    const kms = await trailgate(['scan', '--only', 'kms-encryption,kms-key-rotation,kms-key-usable', '--quiet', '--format', 'json=r.json'], dir);
    assert.include(kms.stderr, 'stale suppression (.trailgate.yml:4:5): rule kms-*, resource 999999999999 matches no violation or error; remove it');
    assert.notInclude(kms.stderr, 'rule *,');
    const all = await trailgate(['scan', '--quiet', '--format', 'json=r.json'], dir);
    assert.include(all.stderr, 'stale suppression (.trailgate.yml:3:5): rule *, resource 999999999999');
    assert.include(all.stderr, 'stale suppression (.trailgate.yml:4:5): rule kms-*, resource 999999999999');
  });
});
