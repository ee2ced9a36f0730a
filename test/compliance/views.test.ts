/**
 * `--compliance FRAMEWORK` on `scan` and `rules`, and each result's control ids in every
 * report format.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { selectCompliance } from '../../src/compliance/select.ts';
import { complianceView } from '../../src/compliance/view.ts';
import { InputError } from '../../src/errors.ts';
import { loadRules } from '../../src/rules/load.ts';
import { junitReport } from '../../src/report/junit.ts';
import { ruleDescriptor } from '../../src/report/sarif-rules.ts';
import { cli, REPO, tempDir } from '../helpers/cli.ts';
import { assertValidJunit } from '../helpers/junit-check.ts';
import { assertValidSarif } from '../helpers/sarif-check.ts';

const rules = loadRules();
const EXAMPLE = join(REPO, 'examples', 'organization.yaml');

describe('compliance views', () => {
  it('selects the rules mapped to a framework, and only those', () => {
    const chosen = selectCompliance(rules, 'cis-aws-foundations-v3.0').map((r) => r.meta.id);
    expect(chosen).to.deep.equal([
      'bucket-access-logging',
      'bucket-mfa-delete',
      'kms-encryption',
      'kms-key-rotation',
      'log-file-validation',
      'multi-region-trail',
      's3-data-events-read',
      's3-data-events-write',
    ]);
    expect(selectCompliance(rules, undefined)).to.have.length(rules.length);
  });

  it('rejects an unknown framework, listing the known ones', () => {
    expect(() => selectCompliance(rules, 'cis-9')).to.throw(InputError, /unknown framework "cis-9"; known frameworks: .*cis-aws-foundations-v3\.0.*aws-fsbp/);
  });

  it('the CIS v3.0 view names the rule of each control and why 3.3 and 3.7 cannot be checked', () => {
    const view = complianceView(rules, 'cis-aws-foundations-v3.0');
    const byId = Object.fromEntries(view.controls.map((c) => [c.id, c]));
    expect(byId['3.1'].rules).to.deep.equal(['multi-region-trail']);
    expect(byId['3.8'].rules).to.deep.equal(['s3-data-events-write']);
    expect(byId['3.3'].rules).to.deep.equal([]);
    expect(byId['3.3'].notCheckable).to.match(/AWS Config/);
    expect(byId['3.7'].notCheckable).to.match(/flow logs/);
  });

  it('a framework without a catalogue is shown from the rules that map to it, and says it is not the whole framework', async () => {
    const view = complianceView(rules, 'cis-aws-foundations-v2.0');
    expect(view.catalogued).to.equal(false);
    expect(view.controls.map((c) => [c.id, c.rules])).to.deep.equal([['2.1.2', ['bucket-mfa-delete']]]);
    const listed = await cli(['rules', '--compliance', 'pci-dss-v4.0']);
    expect(listed.stdout).to.include('trailgate has no catalogue of this framework');
    expect(listed.stdout).to.include("1 control mapped, by 1 rule; the framework's other controls are unknown to trailgate.");
    expect(listed.stdout).to.not.match(/of \d+ controls checked/);
  });

  it('a scan on a framework without a catalogue warns that passing it is not passing the framework; --quiet silences it', async () => {
    const r = await cli(['scan', '--snapshot', EXAMPLE, '--compliance', 'pci-dss-v4.0', '--format', 'json=-']);
    expect(r.stderr).to.match(/^trailgate: warning: --compliance pci-dss-v4\.0: trailgate has no catalogue .* It runs 1 rule: insights-enabled\.\n$/);
    const quiet = await cli(['scan', '--snapshot', EXAMPLE, '--compliance', 'pci-dss-v4.0', '--format', 'json=-', '--quiet']);
    expect(quiet.stderr).to.equal('');
    const catalogued = await cli(['scan', '--snapshot', EXAMPLE, '--compliance', 'cis-aws-foundations-v1.2', '--format', 'json=-']);
    expect(catalogued.stderr).to.equal('');
  });

  it('the warning names the config key, not a --compliance nobody typed, when the config file chose the framework', async () => {
    const dir = tempDir('trailgate-compliance-');
    const config = join(dir, 'trailgate.yml');
    writeFileSync(config, 'compliance: pci-dss-v4.0\n');
    const r = await cli(['scan', '--snapshot', EXAMPLE, '--config', config, '--format', 'json=-']);
    expect(r.stderr).to.match(/^trailgate: warning: compliance: pci-dss-v4\.0 in \S*trailgate\.yml: trailgate has no catalogue .* It runs 1 rule: insights-enabled\.\n$/);
    expect(r.stderr).to.not.include('--compliance');
    // The flag replaces the key, and is named as the flag.
    const flag = await cli(['scan', '--snapshot', EXAMPLE, '--config', config, '--compliance', 'pci-dss-v4.0', '--format', 'json=-']);
    expect(flag.stderr).to.match(/^trailgate: warning: --compliance pci-dss-v4\.0: /);
  });

  it('CIS v1.2 has a catalogue, from the control numbers AWS Security Hub gives, and its gate fails the careless example', async () => {
    const view = complianceView(rules, 'cis-aws-foundations-v1.2');
    expect(view.catalogued).to.equal(true);
    const byId = Object.fromEntries(view.controls.map((c) => [c.id, c.rules]));
    expect(byId).to.deep.include({ '2.1': ['global-service-events', 'multi-region-trail'], '2.2': ['log-file-validation'], '2.7': ['kms-encryption'], '2.8': ['kms-key-rotation'] });
    const r = await cli(['scan', '--snapshot', EXAMPLE, '--compliance', 'cis-aws-foundations-v1.2']);
    expect(r.code).to.equal(1);
  });

  it('`trailgate rules --compliance cis-aws-foundations-v3.0` prints the controls and what is not checkable', async () => {
    const r = await cli(['rules', '--compliance', 'cis-aws-foundations-v3.0']);
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stdout).to.match(/^3\.4 +.* bucket-access-logging$/m);
    expect(r.stdout).to.match(/^3\.7 +.* - \(not checkable\)$/m);
    expect(r.stdout).to.include('Not checkable by trailgate:');
    expect(r.stdout).to.match(/^2\.1\.2 +.* bucket-mfa-delete$/m);
    expect(r.stdout).to.include('8 of 10 controls checked by 8 rules; 2 not checkable.');
  });

  it('`trailgate rules --compliance` with an unknown framework exits 2 and lists the known ones', async () => {
    const r = await cli(['rules', '--compliance', 'nist']);
    expect(r.code).to.equal(2);
    expect(r.stderr).to.match(/unknown framework "nist"; known frameworks: .*aws-fsbp/);
  });

  it('a framework named like an Object method (constructor) is a framework only of the rules that map to it, and its control ids are escaped', async () => {
    const dir = tempDir('tg-ctor-');
    const rule = (id: string, compliance: string) =>
      `id: ${id}\ntitle: T\nseverity: high\nscope: trail\ndescription: d\nremediation: { text: t }\ncompliance: ${compliance}\nreads: [Trail]\ncheck:\n  Trail.S3BucketName: { const: acme-org-trail-logs }\n`;
    writeFileSync(join(dir, 'a.yaml'), rule('mapped', '{constructor: ["C-1\\u001b[2J\\u202e"]}'));
    writeFileSync(join(dir, 'b.yaml'), rule('unmapped', '{acme: [X-1]}'));
    const listed = await cli(['rules', '--rules', dir, '--compliance', 'constructor'], { cwd: dir });
    expect(listed.code, listed.stderr).to.equal(0);
    expect(listed.stdout).to.include('C-1\\x1b[2J\\u202e');
    expect(listed.stdout).to.not.include('\u001b');
    expect(listed.stdout).to.not.include('\u202e');
    const scan = await cli(['scan', '--snapshot', EXAMPLE, '--rules', dir, '--compliance', 'constructor', '--format', 'json'], { cwd: dir });
    expect(JSON.parse(scan.stdout).rules.map((r: { id: string }) => r.id)).to.deep.equal(['mapped']);
  });

  it('a user rule may map only controls a catalogued framework lists; other frameworks take any id', () => {
    const dir = tempDir('tg-controls-');
    const load = (compliance: string) => {
      writeFileSync(
        join(dir, 'r.yaml'),
        `id: acme-validation\ntitle: T\nseverity: medium\nscope: trail\ndescription: d\nremediation: { text: t }\ncompliance:\n${compliance}reads: [Trail]\ncheck:\n  Trail.LogFileValidationEnabled: { const: true }\n`,
      );
      return loadRules({ paths: [join(dir, 'r.yaml')], cwd: dir });
    };
    const refused: [string, RegExp][] = [
      ['  cis-aws-foundations-v3.0: ["3.7", "3.20"]\n', /^r\.yaml:8:37: "3\.20" is not a control of cis-aws-foundations-v3\.0 in trailgate's catalogue of its CloudTrail-related controls; did you mean "3\.2"\? \(at \/compliance\/cis-aws-foundations-v3\.0\/1\)$/],
      ['  aws-fsbp: [CloudTrail.99]\n', /^r\.yaml:8:14: "CloudTrail\.99" is not a control of aws-fsbp .*; it lists CloudTrail\.1, CloudTrail\.2, .*, KMS\.4 \(at /],
      ['  aws-fsbp: [cloudtrail.2]\n', /^r\.yaml:8:14: "cloudtrail\.2" is not a control of aws-fsbp .*; did you mean "CloudTrail\.2"\?/],
    ];
    for (const [compliance, message] of refused) {
      let error: unknown;
      try {
        load(compliance);
      } catch (e) {
        error = e;
      }
      expect(error, compliance).to.be.instanceOf(InputError);
      expect((error as InputError).describe(), compliance).to.match(message);
    }
    // A control the catalogue lists counts once; the framework's total stays the catalogue's.
    const mapped = load('  cis-aws-foundations-v3.0: ["3.2"]\n  cis-aws-foundations-v2.0: ["9.99"]\n  acme-internal: [CT-07]\n');
    const view = complianceView([...rules, ...mapped.filter((r) => !r.meta.builtin)], 'cis-aws-foundations-v3.0');
    expect(view.controls.map((c) => c.id)).to.deep.equal(complianceView(rules, 'cis-aws-foundations-v3.0').controls.map((c) => c.id));
    expect(view.controls.find((c) => c.id === '3.2')?.rules).to.include('acme-validation');
  });

  it('a user rule may map CIS MFA Delete (v1.4 2.1.3, v4.0 2.1.2), and the view lists it beside bucket-mfa-delete', () => {
    const dir = tempDir('tg-mfa-');
    writeFileSync(
      join(dir, 'mfa.yaml'),
      'id: acme-mfa-delete\ntitle: T\nseverity: low\nscope: trail\ndescription: d\nremediation: { text: t }\ncompliance:\n  cis-aws-foundations-v1.4: ["2.1.3"]\n  cis-aws-foundations-v4.0: ["2.1.2"]\nreads: [Trail]\ncheck:\n  Trail.Name: { type: string }\n',
    );
    const mine = loadRules({ paths: [join(dir, 'mfa.yaml')], cwd: dir }).filter((r) => !r.meta.builtin);
    const view = complianceView([...rules, ...mine], 'cis-aws-foundations-v4.0');
    expect(view.controls.find((c) => c.id === '2.1.2')?.rules).to.deep.equal(['acme-mfa-delete', 'bucket-mfa-delete']);
  });

  it('the view as JSON writes `##[` in a control id as `##\\u005b`, so it holds no workflow command when printed to an Actions log', async () => {
    const dir = tempDir('tg-cmd-');
    writeFileSync(join(dir, 'a.yaml'), 'id: forged\ntitle: "x ##[error]forged"\nseverity: low\nscope: trail\ndescription: d\nremediation: { text: t }\ncompliance: { acme: ["##[error]C-1"] }\nreads: [Trail]\ncheck:\n  Trail.Name: { const: x }\n');
    const r = await cli(['rules', '--rules', dir, '--compliance', 'acme', '--format', 'json'], { cwd: dir });
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stdout).to.not.include('##[');
    expect(r.stdout).to.include('"id": "##\\u005berror]C-1"');
    expect(JSON.parse(r.stdout).controls.map((c: { id: string; rules: string[] }) => [c.id, c.rules])).to.deep.equal([['##[error]C-1', ['forged']]]);
  });

  it('the view as text starts no line with a control id\'s `::`, which the Actions runner would run as a workflow command', async () => {
    const dir = tempDir('tg-colon-');
    writeFileSync(
      join(dir, 'a.yaml'),
      'id: forged\ntitle: t\nseverity: low\nscope: trail\ndescription: d\nremediation: { text: t }\ncompliance: { acme: ["::error file=README.md,line=1::forged", "\\u00a0\\u3000::warning::w", ":x"] }\nreads: [Trail]\ncheck:\n  Trail.Name: { const: x }\n',
    );
    const r = await cli(['rules', '--rules', dir, '--compliance', 'acme'], { cwd: dir });
    expect(r.code, r.stderr).to.equal(0);
    // The runner trims what .NET's Char.IsWhiteSpace calls white space, then looks for `::`.
    const commands = r.stdout.split(/\r\n|\r|\n/).filter((line) => /^[\s\u0085]*::/.test(line));
    expect(commands).to.deep.equal([]);
    expect(r.stdout).to.include('\\x3a:error file=README.md,line=1::forged').and.include('\u00a0\u3000\\x3a:warning::w').and.include('\\x3ax');
  });

  it('`trailgate scan --compliance aws-fsbp` runs only the FSBP rules, and JSON results carry their control ids', async () => {
    const r = await cli(['scan', '--snapshot', EXAMPLE, '--compliance', 'aws-fsbp', '--format', 'json']);
    expect(r.stderr).to.equal('');
    const report = JSON.parse(r.stdout) as { rules: { id: string }[]; results: { ruleId: string; compliance?: Record<string, string[]> }[] };
    const expected = rules.filter((x) => x.meta.compliance['aws-fsbp']).map((x) => x.meta.id);
    expect(report.rules.map((x) => x.id)).to.deep.equal(expected);
    expect(new Set(report.results.map((x) => x.ruleId))).to.deep.equal(new Set(expected));
    const rotation = report.results.find((x) => x.ruleId === 'kms-key-rotation');
    expect(rotation?.compliance).to.deep.include({ 'aws-fsbp': ['KMS.4'], 'cis-aws-foundations-v3.0': ['3.6'] });
  });

  it('FSBP CloudTrail.3 and Config cloudtrail-enabled are judged per account: no trail fails them, one single-region logging trail passes them', async () => {
    const view = complianceView(rules, 'aws-fsbp');
    const ct3 = view.controls.find((c) => c.id === 'CloudTrail.3')!;
    expect(ct3.rules).to.deep.equal(['logging-trail', 'trail-logging']);
    expect(ct3.note).to.match(/\. logging-trail decides the control/);
    const dir = tempDir('tg-enabled-');
    const account = (trails: string) => `version: 1\ncollectedAt: 2026-11-20T02:00:00Z\naccounts:\n  - accountId: "111122223333"\n    regions: [us-east-1]\n    trails: ${trails}\n`;
    writeFileSync(join(dir, 'none.yaml'), account('[]'));
    writeFileSync(
      join(dir, 'single.yaml'),
      account('\n      - Trail: { Name: local, TrailARN: "arn:aws:cloudtrail:us-east-1:111122223333:trail/local", HomeRegion: us-east-1, IsMultiRegionTrail: false, HasCustomEventSelectors: false }\n        Status: { IsLogging: true }'),
    );
    type Report = { results: { ruleId: string; status: string; compliance?: Record<string, string[]> }[] };
    const verdicts = async (file: string, framework: string, control: string) => {
      const r = await cli(['scan', '--snapshot', file, '--compliance', framework, '--format', 'json', '--quiet'], { cwd: dir });
      const report = JSON.parse(r.stdout) as Report;
      return report.results.filter((x) => x.compliance?.[framework]?.includes(control)).map((x) => `${x.ruleId}:${x.status}`);
    };
    expect(await verdicts('none.yaml', 'aws-fsbp', 'CloudTrail.3')).to.deep.equal(['logging-trail:fail']);
    expect(await verdicts('none.yaml', 'aws-config', 'cloudtrail-enabled')).to.deep.equal(['logging-trail:fail']);
    expect(await verdicts('single.yaml', 'aws-config', 'cloudtrail-enabled')).to.deep.equal(['delivery-errors:pass', 'logging-trail:pass']);
    expect(await verdicts('single.yaml', 'aws-fsbp', 'CloudTrail.3')).to.deep.equal(['logging-trail:pass', 'trail-logging:pass']);
  });

  it('SARIF rules carry framework/control tags and a compliance property', () => {
    const meta = rules.find((r) => r.meta.id === 'kms-key-rotation')!.meta;
    const d = ruleDescriptor(meta, 'https://example.invalid') as { properties: { tags: string[]; compliance: Record<string, string[]> } };
    expect(d.properties.tags).to.include.members(['security', 'aws-fsbp/KMS.4', 'cis-aws-foundations-v3.0/3.6', 'cis-aws-foundations-v1.4/3.8']);
    expect(d.properties.tags.length).to.be.at.most(10);
    expect(d.properties.compliance['cis-aws-foundations-v4.0']).to.deep.equal(['3.6']);
  });

  it('every built-in rule keeps its SARIF tags within GitHub\'s 10', () => {
    for (const r of rules) expect((ruleDescriptor(r.meta, 'https://example.invalid') as { properties: { tags: string[] } }).properties.tags.length).to.be.at.most(10);
  });

  it('JUnit suites carry one compliance property per framework', () => {
    const meta = rules.find((r) => r.meta.id === 'bucket-access-logging')!.meta;
    const xml = junitReport({ tool: { name: 'trailgate', version: '0', informationUri: 'https://example.invalid' }, rules: [meta], results: [], startTime: '2026-01-01T00:00:00Z', inputs: [], failOn: 'low', exitCode: 0 });
    expect(xml).to.include('<property name="compliance.aws-fsbp" value="CloudTrail.7"/>');
    expect(xml).to.include('<property name="compliance.cis-aws-foundations-v3.0" value="3.4"/>');
  });

  it('a scan with every rule on writes SARIF and JUnit that pass their schemas and GitHub\'s rules', async () => {
    const sarif = await cli(['scan', '--snapshot', EXAMPLE, '--format', 'sarif']);
    expect(sarif.stderr).to.equal('');
    assertValidSarif(sarif.stdout);
    const driver = (JSON.parse(sarif.stdout) as { runs: { tool: { driver: { rules: { id: string }[] } } }[] }).runs[0].tool.driver;
    expect(driver.rules.map((r) => r.id)).to.include.members(['bucket-not-public', 'kms-key-usable', 's3-data-events-write', 'security-trail']);
    const junit = await cli(['scan', '--snapshot', EXAMPLE, '--format', 'junit']);
    await assertValidJunit(junit.stdout);
  });
});
