/**
 * The control catalogues in compliance/ and the rules' own mappings tell the same story: each
 * control lists exactly the built-in rules that map to it, every mapping names a catalogued
 * control, and a control no rule covers says why.
 */
import { readdirSync } from 'node:fs';
import { expect } from 'chai';
import { catalogueDir, compareControlIds, FRAMEWORKS, loadCatalogue, parseCatalogue } from '../../src/compliance/frameworks.ts';
import { loadRules } from '../../src/rules/load.ts';

const rules = loadRules();
const files = readdirSync(catalogueDir()).filter((f) => f.endsWith('.yaml')).sort();

describe('compliance catalogues', () => {
  it('ships the catalogues the extended pack promises', () => {
    expect(files).to.include.members(['aws-fsbp.yaml', 'cis-aws-foundations-v1.4.yaml', 'cis-aws-foundations-v3.0.yaml', 'cis-aws-foundations-v4.0.yaml']);
  });

  for (const file of files) {
    const framework = file.replace(/\.yaml$/, '');
    describe(file, () => {
      const catalogue = loadCatalogue(framework)!;

      it('names its own framework, a known one', () => {
        expect(catalogue.framework).to.equal(framework);
        expect(FRAMEWORKS.map((f) => f.id)).to.include(framework);
      });

      it('lists, for each control, exactly the built-in rules mapped to it', () => {
        for (const c of catalogue.controls) {
          const mapped = rules.filter((r) => r.meta.compliance[framework]?.includes(c.id)).map((r) => r.meta.id).sort();
          expect([...c.rules].sort(), `${framework} ${c.id}`).to.deep.equal(mapped);
          if (c.rules.length === 0) expect(c.notCheckable, `${framework} ${c.id} needs a notCheckable reason`).to.be.a('string').and.not.equal('');
        }
      });

      it('holds every control a built-in rule maps to', () => {
        const ids = new Set(catalogue.controls.map((c) => c.id));
        for (const r of rules) for (const id of r.meta.compliance[framework] ?? []) expect(ids.has(id), `${r.meta.id} maps to ${framework} ${id}`).to.equal(true);
      });

      it('lists its controls in order', () => {
        const ids = catalogue.controls.map((c) => c.id);
        expect(ids).to.deep.equal([...ids].sort(compareControlIds));
      });
    });
  }

  it('the CIS v3.0 catalogue covers section 3, 3.1 to 3.9, and MFA Delete, 2.1.2', () => {
    expect(loadCatalogue('cis-aws-foundations-v3.0')!.controls.map((c) => c.id)).to.deep.equal(['2.1.2', '3.1', '3.2', '3.3', '3.4', '3.5', '3.6', '3.7', '3.8', '3.9']);
  });

  it('MFA Delete is 2.1.3 in CIS v1.4 and 2.1.2 in v3.0 and v4.0, checked by bucket-mfa-delete, with a note that trailgate sees only trail buckets', () => {
    for (const [framework, id] of [['cis-aws-foundations-v1.4', '2.1.3'], ['cis-aws-foundations-v3.0', '2.1.2'], ['cis-aws-foundations-v4.0', '2.1.2']]) {
      const control = loadCatalogue(framework)!.controls.find((c) => c.id === id);
      expect(control?.title, `${framework} ${id}`).to.match(/MFA Delete/);
      expect(control?.rules, `${framework} ${id}`).to.deep.equal(['bucket-mfa-delete']);
      expect(control?.note, `${framework} ${id}`).to.match(/every S3 bucket.*buckets that trails deliver/);
    }
  });

  it('CIS v1.2 2.1 says that multi-region-trail decides it and that global-service-events checks only part of it (rules.md: "CIS v1.2 2.1 (part)")', () => {
    const control = loadCatalogue('cis-aws-foundations-v1.2')!.controls.find((c) => c.id === '2.1')!;
    expect(control.rules).to.deep.equal(['global-service-events', 'multi-region-trail']);
    expect(control.note).to.match(/multi-region-trail decides the control/);
    expect(control.note).to.match(/global-service-events checks only part of it/);
  });

  it('aws-fsbp says which of its controls Security Hub runs outside the FSBP standard (rules.md maps them there; AWS lists them under PCI DSS or CIS)', () => {
    // Security Hub's FSBP standard runs CloudTrail.1, .2, .4 and .5; the pages of CloudTrail.3,
    // .6, .7 and KMS.4 list only PCI DSS, CIS or NIST requirements. A user gating on FSBP must
    // be able to read that off `rules --compliance aws-fsbp`.
    const catalogue = loadCatalogue('aws-fsbp')!;
    const outside = catalogue.controls.filter((c) => c.note?.startsWith("not in Security Hub's FSBP standard")).map((c) => c.id);
    expect(outside).to.deep.equal(['CloudTrail.3', 'CloudTrail.6', 'CloudTrail.7', 'KMS.4']);
    expect(catalogue.scope).to.match(/FSBP standard runs CloudTrail\.1, \.2, \.4 and \.5/);
  });

  it('aws-fsbp CloudTrail.5 says cloudwatch-logs asks more than the control, which fails only an empty CloudWatchLogsLogGroupArn', () => {
    // security-hub/cloudtrail-controls.md, CloudTrail.5: "The control fails if the
    // CloudWatchLogsLogGroupArn property of the trail is empty"; the rule also wants a recent delivery.
    const control = loadCatalogue('aws-fsbp')!.controls.find((c) => c.id === 'CloudTrail.5')!;
    expect(control.rules).to.deep.equal(['cloudwatch-logs']);
    expect(control.note).to.match(/CloudWatchLogsLogGroupArn is empty/);
    expect(control.note).to.match(/maxAgeHours/);
  });

  it('every framework a built-in rule maps to is either a standard framework or a documentation source', () => {
    const known = new Set([...FRAMEWORKS.map((f) => f.id), 'aws-quotas', 'cloudtrail-user-guide']);
    for (const r of rules) for (const f of Object.keys(r.meta.compliance)) expect(known.has(f), `${r.meta.id}: ${f}`).to.equal(true);
  });

  it('rejects a malformed catalogue with the file and the control at fault', () => {
    expect(() => parseCatalogue('framework: x\ntitle: X\ncontrols:\n  - { id: "1.1", title: t }\n', 'x.yaml')).to.throw('x.yaml: control 1.1 names no rule and no notCheckable reason');
    expect(() => parseCatalogue('framework: x\ntitle: X\ncontrols:\n  - { id: 1.1, title: t }\n', 'x.yaml')).to.throw('quote ids');
    expect(() => parseCatalogue('title: X\n', 'x.yaml')).to.throw('needs framework, title and controls');
  });
});
