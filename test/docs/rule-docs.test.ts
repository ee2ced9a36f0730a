/**
 * The rule catalogue (docs/rules.md) is generated from the rule files and must be fresh: CI
 * regenerates it in memory and compares. Every built-in rule has its section, and the README
 * links to the catalogue.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { renderRuleDocs, RULE_DOCS_PATH } from '../../scripts/gen-rule-docs.ts';
import { BUILTINS } from '../../src/engine/builtins.ts';
import { loadRules } from '../../src/rules/load.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const rules = loadRules();
const docs = readFileSync(join(ROOT, RULE_DOCS_PATH), 'utf8');

describe('rule catalogue docs', () => {
  it('docs/rules.md is what scripts/gen-rule-docs.ts generates from rules/ (run `npm run docs:rules` when this fails)', () => {
    const fresh = renderRuleDocs(rules);
    if (fresh !== docs) {
      const a = fresh.split('\n');
      const b = docs.split('\n');
      const line = a.findIndex((l, i) => l !== b[i]);
      expect.fail(`docs/rules.md is stale from line ${line + 1}: expected ${JSON.stringify(a[line])}, found ${JSON.stringify(b[line])}; run \`npm run docs:rules\``);
    }
  });

  it('every built-in rule has a section with what it checks, how to fix it, and its references', () => {
    for (const r of rules) {
      const start = docs.indexOf(`\n## ${r.meta.id}\n`);
      expect(start, `docs/rules.md has no section for ${r.meta.id}`).to.be.greaterThan(-1);
      const end = docs.indexOf('\n## ', start + 1);
      const section = docs.slice(start, end === -1 ? undefined : end);
      expect(section, r.meta.id).to.include('### What it checks, and why');
      expect(section, r.meta.id).to.include('### How to fix');
      expect(section, r.meta.id).to.include(r.meta.remediation.text);
      for (const url of r.meta.references) expect(section, r.meta.id).to.include(url);
      for (const [framework, controls] of Object.entries(r.meta.compliance)) {
        expect(section, `${r.meta.id} ${framework}`).to.include(`| \`${framework}\` | ${controls.map((c) => `\`${c}\``).join(', ')} |`);
      }
    }
  });

  it('every built-in rule has a description, a fix and at least one AWS documentation reference', () => {
    for (const r of rules) {
      expect(r.meta.description.length, r.meta.id).to.be.greaterThan(80);
      expect(r.meta.remediation.text, r.meta.id).to.not.equal('');
      expect(r.meta.references.some((u) => u.startsWith('https://docs.aws.amazon.com/')), `${r.meta.id} references`).to.equal(true);
    }
  });

  it('the README counts the AWS Config rules the built-in rules map to', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8').replace(/\s+/g, ' ');
    const words = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven', 'twelve'];
    const config = new Set(rules.flatMap((r) => r.meta.compliance['aws-config'] ?? []));
    const said = [...readme.matchAll(/(\w+) AWS Config rules/g)].map((m) => m[1]);
    expect(said.length, 'the README says how many AWS Config rules').to.be.greaterThan(0);
    for (const w of said) expect(w).to.equal(words[config.size]);
  });

  it('the README links to the catalogue and lists every built-in with its reads and its kinds of failure', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    expect(readme).to.include('docs/rules.md');
    for (const [name, b] of BUILTINS) {
      // The built-ins table is the one whose second column lists reads (the rules table names the rule too).
      const row = readme.split('\n').find((l) => l.startsWith(`| \`${name}\` | \`Trail\``));
      expect(row, `README lists the built-in ${name}`).to.be.a('string');
      for (const r of b.reads) expect(row, `${name} reads ${r}`).to.include(`\`${r}\``);
      // The keys a rule's remediation.cli may use: a user writing one looks them up there.
      for (const f of Object.keys(b.failures ?? {})) expect(row, `${name} fails with ${f}`).to.include(`\`${f}\``);
    }
  });

  it('logging-trail links first to the AWS pages its fix follows: create-trail, and start-logging', () => {
    // The first reference is the SARIF helpUri. "Using update-trail" covers neither creating a
    // trail nor starting one's logging, which is all this rule's fix does.
    const refs = rules.find((r) => r.meta.id === 'logging-trail')!.meta.references;
    expect(refs[0]).to.equal('https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-create-and-update-a-trail-by-using-the-aws-cli-create-trail.html');
    expect(refs).to.include('https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-additional-cli-commands.html#cloudtrail-start-stop-logging-cli-commands');
    expect(refs.join(' ')).to.not.include('by-using-the-aws-cli-update-trail');
  });
});
