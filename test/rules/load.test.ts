/** Rule files that do not validate are input errors at file, line and column. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { InputError } from '../../src/errors.ts';
import { loadRules } from '../../src/rules/load.ts';
import { tempDir } from '../helpers/cli.ts';

const HEAD = `id: my-rule
title: A rule
severity: low
scope: trail
description: Something.
remediation: { text: Fix it. }
`;

interface Case {
  name: string;
  text: string;
  /** `line:column: message` expected (after the file name). */
  message: RegExp;
}

const CASES: Case[] = [
  { name: 'unknown severity', text: HEAD.replace('severity: low', 'severity: severe') + 'reads: [Trail]\ncheck: { Trail.Name: { const: x } }\n', message: /^3:11: invalid rule: must be one of "critical", "high", "medium", "low", "info" \(at \/severity\)/ },
  { name: 'missing reads', text: HEAD + 'check: { Trail.Name: { const: x } }\n', message: /^1:1: invalid rule: missing required key "reads"/ },
  { name: 'unknown top-level key', text: HEAD + 'reads: [Trail]\nchek: { Trail.Name: { const: x } }\n', message: /^8:1: invalid rule: unknown key "chek"/ },
  { name: 'no assertion', text: HEAD + 'reads: [Trail]\n', message: /^1:1: a rule needs one assertion/ },
  { name: 'two assertions', text: HEAD + 'reads: [Trail]\ncheck: { Trail.Name: { const: x } }\nbuiltin: bucket-delivery\n', message: /^1:1: a rule has one assertion, found check and builtin/ },
  { name: 'quantifier on a trail rule', text: HEAD + 'reads: [Trail]\nsome: { check: { Trail.Name: { const: x } } }\n', message: /^8:1: a trail rule asserts with "check" or "builtin", not "some"/ },
  { name: 'unknown path root', text: HEAD + 'reads: [Trail]\ncheck:\n  Trial.Name: { const: x }\n', message: /^9:3: unknown path "Trial\.Name"/ },
  { name: 'unknown fact', text: HEAD + 'reads: [Trail]\ncheck:\n  facts.isGood: { const: true }\n', message: /^9:3: unknown fact "isGood"/ },
  { name: 'misspelt JSON Schema keyword', text: HEAD + 'reads: [Trail]\ncheck:\n  Trail.Name: { cosnt: x }\n', message: /^9:3: invalid JSON Schema: strict mode: unknown keyword: "cosnt"/ },
  { name: 'undeclared read', text: HEAD + 'reads: [Trail]\ncheck:\n  Status.IsLogging: { const: true }\n', message: /^9:3: the path Status\.IsLogging needs the read "Status", which "reads" does not declare/ },
  { name: 'unknown read', text: HEAD + 'reads: [Trail, Stauts]\ncheck: { Trail.Name: { const: x } }\n', message: /^7:16: unknown read "Stauts"/ },
  { name: 'unknown built-in', text: HEAD + 'reads: [Trail]\nbuiltin: magic\n', message: /^8:10: unknown built-in "magic"/ },
  { name: 'unknown parameter', text: HEAD + 'reads: [Trail]\ncheck:\n  Trail.Name: { const: { $param: nme } }\n', message: /^9:3: unknown parameter "nme"/ },
  { name: 'bad parameter default', text: HEAD + 'parameters: { max: { type: integer, default: five } }\nreads: [Trail]\ncheck: { Trail.Name: { const: x } }\n', message: /^7:\d+: the default does not fit type integer/ },
  { name: 'bad id', text: HEAD.replace('id: my-rule', 'id: My_Rule') + 'reads: [Trail]\ncheck: { Trail.Name: { const: x } }\n', message: /^1:5: invalid rule: must match the pattern/ },
  { name: 'catastrophic pattern', text: HEAD + 'reads: [Trail]\ncheck:\n  Trail.Name: { pattern: "^(a+)+$" }\n', message: /^9:3: invalid JSON Schema: pattern "\^\(a\+\)\+\$" is refused: a crafted value could make it run for hours/ },
  { name: 'catastrophic key pattern', text: HEAD + 'reads: [Trail]\ncheck:\n  Trail: { patternProperties: { "^(\\\\w+\\\\s?)*$": { type: string } } }\n', message: /^9:3: invalid JSON Schema: pattern .* is refused/ },
  { name: 'count that can never pass', text: HEAD.replace('scope: trail', 'scope: region') + 'reads: [Trail]\ncount: { max: 1, min: 5 }\n', message: /^8:\d+: min \(5\) is greater than max \(1\), so no count could pass/ },
  { name: 'YAML syntax', text: HEAD + 'reads: [Trail\n', message: /^8:\d+: invalid YAML/ },
  { name: 'a tag the rule loader would drop', text: HEAD + 'reads: [Trail]\ncheck:\n  Trail.Name: { const: !Ref name }\n', message: /^9:24: invalid YAML: the tag !Ref is not supported/ },
  { name: 'a merge key', text: HEAD + 'reads: [Trail]\nx: &s { const: x }\ncheck:\n  Trail.Name: { <<: *s }\n', message: /^10:17: invalid YAML: merge keys \(<<\) are not supported/ },
  { name: 'a mapping as a key', text: HEAD + 'reads: [Trail]\ncheck:\n  ? { Trail.Name: x }\n  : { const: x }\n', message: /^9:5: invalid YAML: a mapping key must be a name, not a mapping/ },
];

function loadError(files: Record<string, string>): InputError {
  const dir = tempDir();
  mkdirSync(join(dir, 'r'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, 'r', name), text);
  try {
    loadRules({ builtin: false, paths: [join(dir, 'r')], cwd: dir });
  } catch (e) {
    if (e instanceof InputError) return e;
    throw e;
  }
  throw new Error('the rules loaded');
}

describe('rule loading', () => {
  for (const c of CASES) {
    it(`${c.name}: located`, () => {
      const e = loadError({ 'rule.yaml': c.text });
      expect(e.describe()).to.match(/^r\/rule\.yaml:/);
      expect(e.describe().replace(/^r\/rule\.yaml:/, '')).to.match(c.message);
    });
  }

  it('a pattern without nested repetition is accepted and matches as JavaScript does', () => {
    const dir = tempDir();
    const file = join(dir, 'ok.yaml');
    writeFileSync(file, HEAD + 'reads: [Trail]\ncheck:\n  Trail.Name: { pattern: "^prod-[a-z0-9.-]+$" }\n');
    const [rule] = loadRules({ builtin: false, paths: [file], cwd: dir });
    if (rule.assertion.kind !== 'check') throw new Error('expected a check');
    const { validate } = rule.assertion.check.conjuncts[0];
    expect([validate('prod-eu.west-1'), validate('dev-trail'), validate('prod-')]).to.deep.equal([true, false, false]);
  });

  it('a refused pattern is named with the rewrite that avoids it, and never runs', () => {
    // The refusal happens at load: the hostile value below is never matched against the pattern.
    const e = loadError({ 'rule.yaml': HEAD + 'reads: [Trail]\ncheck:\n  Trail.Name: { pattern: "^([a-z]+-?)*$" }\n' });
    expect(e.message).to.contain('character class');
  });

  it('duplicate ids are refused, naming both files', () => {
    const text = HEAD + 'reads: [Trail]\ncheck: { Trail.Name: { const: x } }\n';
    const e = loadError({ 'a.yaml': text, 'b.yaml': text });
    expect(e.describe()).to.equal('r/b.yaml:1:5: duplicate rule id "my-rule": also defined in r/a.yaml (at /id)');
  });

  it('a user rule may not take a built-in rule id', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'x.yaml'), HEAD.replace('id: my-rule', 'id: kms-encryption') + 'reads: [Trail]\ncheck: { Trail.Name: { const: x } }\n');
    expect(() => loadRules({ paths: [join(dir, 'x.yaml')], cwd: dir })).to.throw(InputError, /duplicate rule id "kms-encryption": also defined in rules\/kms-encryption\.yaml/);
  });

  it('parameter overrides are type-checked', () => {
    expect(loadRules({ params: { 'trails-per-region': { max: 4 } } }).find((r) => r.meta.id === 'trails-per-region')?.params).to.deep.equal({ max: 4 });
    expect(() => loadRules({ params: { 'trails-per-region': { max: 'four' } } })).to.throw(InputError, /parameter "max" must be of type integer/);
    expect(() => loadRules({ params: { 'trails-per-region': { mx: 4 } } })).to.throw(InputError, /unknown parameter "mx"/);
    expect(() => loadRules({ params: { 'no-such-rule': { max: 4 } } })).to.throw(InputError, /unknown rule "no-such-rule"/);
  });

  it('parameters for a built-in rule left out by --no-builtin-rules are unused, not an unknown rule', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'x.yaml'), HEAD + 'reads: [Trail]\ncheck: { Trail.Name: { const: x } }\n');
    const own = loadRules({ builtin: false, paths: [join(dir, 'x.yaml')], cwd: dir, params: { 'trails-per-region': { max: 4 } } });
    expect(own.map((r) => r.meta.id)).to.deep.equal(['my-rule']);
    expect(() => loadRules({ builtin: false, paths: [join(dir, 'x.yaml')], cwd: dir, params: { 'no-such-rule': { max: 4 } } })).to.throw(InputError, /unknown rule "no-such-rule"/);
  });

  it('every built-in rule id matches its file name', () => {
    for (const r of loadRules()) expect(r.meta.source).to.equal(`rules/${r.meta.id}.yaml`);
  });
});
