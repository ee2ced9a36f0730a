import { assert } from 'chai';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../../src/errors.ts';
import { findConfig, parseConfig } from '../../src/config/load.ts';
import { CORE, REPO, trailgate, workspace } from './run.ts';

/** The located message a config text fails with, as `line:column: message`. */
function failure(text: string): string {
  try {
    parseConfig(text, '.trailgate.yml', '/w', '/w');
  } catch (e) {
    assert.instanceOf(e, InputError);
    const p = (e as InputError).position!;
    assert.strictEqual(p.file, '.trailgate.yml');
    return `${p.line}:${p.column}: ${(e as InputError).message}`;
  }
  assert.fail('expected an InputError');
}

describe('config file', () => {
  describe('validation, located at file:line:column', () => {
    const cases: Array<{ name: string; text: string; expected: RegExp }> = [
      // Keys are shown where they are written, not where their value starts (lines below, for a list).
      { name: 'unknown key', text: 'failOn: high\nfial-on: low\n', expected: /^2:1: invalid config: unknown key "fial-on"/ },
      { name: 'a misspelt key whose value is a list below it', text: 'failOn: high\nsuppresions:\n  - rule: kms-encryption\n    resource: "1"\n    reason: x\n', expected: /^2:1: invalid config: unknown key "suppresions"; did you mean "suppressions"\?$/ },
      { name: 'an unknown key in a suppression', text: 'suppressions:\n  - rule: x\n    resource: "1"\n    reason: ok\n    expire: 2027-01-01\n', expected: /^5:5: invalid config: unknown key "expire"/ },
      { name: 'a rule id under parameters that is no rule id', text: 'parameters:\n  Trails_Per_Region:\n    max: 4\n', expected: /^2:3: invalid config: the key "Trails_Per_Region" must be a rule id such as trails-per-region: / },
      { name: 'bad fail-on', text: 'failOn: severe\n', expected: /^1:9: invalid config: must be one of "critical", "high"/ },
      { name: 'a list given as a string', text: 'rules: my-rules\n', expected: /^1:8: invalid config: must be of type array/ },
      { name: 'suppression without a reason', text: 'suppressions:\n  - rule: kms-encryption\n    resource: "111122223333"\n', expected: /^2:5: invalid config: missing required key "reason"/ },
      { name: 'blank reason', text: 'suppressions:\n  - rule: kms-encryption\n    resource: "1"\n    reason: "  "\n', expected: /^4:13: invalid config: must not be blank$/ },
      { name: 'bare account id', text: 'suppressions:\n  - rule: kms-encryption\n    resource: 111122223333\n    reason: ok\n', expected: /^3:15: invalid config: must be of type string: quote it \("012345678901"\), as YAML reads bare digits as a number and drops leading zeros$/ },
      { name: 'a bare account id with a leading zero, which YAML drops', text: 'suppressions:\n  - rule: kms-encryption\n    resource: 012345678901\n    reason: ok\n', expected: /^3:15: invalid YAML in the config file: 012345678901 is read as the number 12345678901, without its leading zero: quote it \("012345678901"\) if it is text/ },
      { name: 'a boolean where text was wanted (reason: yes is text in YAML 1.2, but true is not)', text: 'suppressions:\n  - rule: kms-encryption\n    resource: "1"\n    reason: true\n', expected: /^4:13: invalid config: must be of type string: YAML reads it unquoted as the boolean true; quote it to write it as text$/ },
      { name: 'a short number where text was wanted is not taken for an account id', text: 'suppressions:\n  - rule: kms-encryption\n    resource: "1"\n    reason: 1\n', expected: /^4:13: invalid config: must be of type string: quote it \("1"\), as YAML reads bare digits as a number$/ },
      { name: 'expiry not on the calendar', text: 'suppressions:\n  - rule: x\n    resource: "1"\n    reason: ok\n    expires: 2026-02-30\n', expected: /^5:14: invalid config: "2026-02-30" is not a real date or time/ },
      { name: 'an expiry written as bare digits is told to write a date, not to quote an account id', text: 'suppressions:\n  - rule: x\n    resource: "1"\n    reason: ok\n    expires: 20270331\n', expected: /^5:14: invalid config: must be of type string: write the date as YYYY-MM-DD \("2027-03-31"\)$/ },
      { name: 'expiry in another format', text: 'suppressions:\n  - rule: x\n    resource: "1"\n    reason: ok\n    expires: 30/06/2026\n', expected: /^5:14: invalid config: must be a date, such as 2027-03-31, or a date and time with its zone, / },
      // The colon forgotten: YAML reads the whole file as one text.
      { name: 'a file of one text (failOn high)', text: 'failOn high\nonly kms-encryption\n', expected: /^1:1: invalid config: the file is one value \("failOn high only kms-encryption"\), not a mapping of keys; write each setting as key: value, such as failOn: high$/ },
      { name: 'a file that is a list', text: '- failOn: high\n', expected: /^1:1: invalid config: the file is a list, not a mapping of keys; write each setting as key: value on a line of its own, without a leading "- " or \[ \]$/ },
      { name: 'parameters not a mapping', text: 'parameters:\n  trails-per-region: 4\n', expected: /^2:22: invalid config: must be of type object$/ },
      { name: 'a fractional concurrency is not told to quote an account id', text: 'concurrency: 2.5\n', expected: /^1:14: invalid config: must be of type integer$/ },
      { name: 'YAML syntax', text: 'only: [a, b\n', expected: /^\d+:\d+: invalid YAML in the config file: \S/ },
      // An empty list read as "not given" would widen the run: every rule, a live scan, the default report.
      ...['only', 'skip', 'snapshots', 'rules', 'formats', 'regions', 'accounts'].map((key) => ({
        name: `an empty ${key} list`,
        text: `failOn: high\n${key}: []\n`,
        expected: new RegExp(`^2:${key.length + 3}: invalid config: the list is empty; name at least one item, or leave the key out$`),
      })),
      { name: 'an empty list written as a block', text: 'only:\n  []\n', expected: /^2:3: invalid config: the list is empty/ },
      { name: 'a quoted version says it is text', text: 'version: "1"\n', expected: /^1:10: invalid config: must be 1: "1" is text here; write it without quotes or a tag$/ },
      { name: 'a version tagged !!str says it is text', text: 'version: !!str 1\n', expected: /^1:16: invalid config: must be 1: "1" is text here/ },
      { name: 'a quoted boolean says it is text', text: 'verbose: "true"\n', expected: /^1:10: invalid config: must be of type boolean: "true" is text here/ },
      // YAML 1.1's booleans are text to YAML 1.2: taking the quotes off would change nothing.
      { name: 'a quoted True, a boolean to YAML 1.2 bare, says it is text', text: 'verbose: "True"\n', expected: /^1:10: invalid config: must be of type boolean: "True" is text here; write it without quotes or a tag$/ },
      { name: 'yes for a boolean says YAML 1.2 has only true and false', text: 'verbose: yes\n', expected: /^1:10: invalid config: must be of type boolean: "yes" is text in YAML 1\.2, which trailgate reads; write true or false$/ },
      { name: 'text that is no value of the type wanted gets no advice about quotes', text: 'concurrency: four\n', expected: /^1:14: invalid config: must be of type integer$/ },
      { name: 'yes for a number is not told to be a boolean', text: 'concurrency: yes\n', expected: /^1:14: invalid config: must be of type integer$/ },
      // YAML 1.1 read Yes and ON as booleans too, in any of its cases.
      { name: 'Yes or ON for a boolean says YAML 1.2 has only true and false', text: 'verbose: Yes\nquiet: ON\n', expected: /^1:10: invalid config: must be of type boolean: "Yes" is text in YAML 1\.2, which trailgate reads; write true or false$/ },
      { name: 'empty text for a number is not told to take off its quotes', text: 'concurrency: ""\n', expected: /^1:14: invalid config: must be of type integer$/ },
      // The advice is for the value that has the type problem, not for another key's value beside it.
      { name: 'text for an enum is not told a boolean goes there because another key wants one', text: 'failOn: "true"\nverbose: 1\n', expected: /^1:9: invalid config: must be one of "critical", "high", "medium", "low", "info", "never"$/ },
      { name: 'an unknown tag', text: 'failOn: !Ref level\n', expected: /^1:9: invalid YAML in the config file: the tag !Ref is not supported/ },
      { name: 'a merge key', text: 'x: &p {max: 4}\nparameters:\n  trails-per-region:\n    <<: *p\n', expected: /^4:5: invalid YAML in the config file: merge keys \(<<\) are not supported/ },
      { name: 'a rule id once bare and once quoted', text: 'parameters:\n  trails-per-region: {max: 4}\n  "trails-per-region": {max: 5}\n', expected: /^3:3: invalid YAML in the config file: the key "trails-per-region" is repeated in one mapping \(as trails-per-region and as "trails-per-region": keys are read as text\)$/ },
    ];
    for (const c of cases) it(c.name, () => assert.match(failure(c.text), c.expected));
  });

  it('accepts an empty file and a comment-only file', () => {
    assert.deepEqual(parseConfig('', 'c.yml', '/w', '/w').config, {});
    assert.deepEqual(parseConfig('# nothing yet\n', 'c.yml', '/w', '/w').config, {});
  });

  it('resolves paths from the config file directory, relative to the working directory', () => {
    const { config } = parseConfig('snapshots: [inv/a.json, "-"]\nrules: [../shared/rules]\nformats: [text, sarif=out/r.sarif]\nbaseline: base.json\n', 'ci/c.yml', '/w', '/w/ci');
    assert.deepEqual(config.snapshots, ['ci/inv/a.json', '-']);
    assert.deepEqual(config.rules, ['shared/rules']);
    assert.deepEqual(config.formats, ['text', 'sarif=ci/out/r.sarif']);
    assert.strictEqual(config.baseline, 'ci/base.json');
  });

  // `--rules -` and `--baseline -` read a file named `-`, so the keys' `-` is such a file too, in the
  // config's folder: it was left as `-`, the file of the working directory. Only to `snapshots`
  // is `-` standard input (and to `formats` and `saveSnapshot` standard output), as to their flags.
  it('resolves a rules entry or a baseline named "-" from the config file directory, as any file', () => {
    const { config } = parseConfig('snapshots: ["-"]\nrules: ["-"]\nbaseline: "-"\nformats: [json=-]\nsaveSnapshot: "-"\n', 'ci/c.yml', '/w', '/w/ci');
    assert.deepEqual(config.snapshots, ['-']);
    assert.deepEqual(config.rules, ['ci/-']);
    assert.strictEqual(config.baseline, 'ci/-');
    assert.deepEqual(config.formats, ['json=-']);
    assert.strictEqual(config.saveSnapshot, '-');
  });

  it('reads the baseline file "-" of the config file directory, not of the working directory', async () => {
    const dir = workspace();
    mkdirSync(join(dir, 'ci'));
    const first = await trailgate(['scan', '--snapshot', 'org.yaml', '--only', CORE, '--format', 'json=ci/-'], dir);
    assert.strictEqual(first.code, 1, first.stderr);
    writeFileSync(join(dir, 'ci', 'trailgate.yml'), 'snapshots: [../org.yaml]\nonly: [bucket-delivery, kms-encryption, log-file-validation]\nbaseline: "-"\n');
    const r = await trailgate(['scan', '--config', 'ci/trailgate.yml'], dir);
    assert.strictEqual(r.code, 0, r.stderr);
    assert.include(r.stdout, '3 in baseline');
  });

  it('keeps a backslash in a path as part of the name on POSIX, as a flag does (it named another file)', function () {
    if (process.platform === 'win32') this.skip();
    const { config } = parseConfig('snapshots: ["inv\\\\a.json"]\nformats: ["json=out\\\\r.json"]\nbaseline: "b\\\\base.json"\n', 'ci/c.yml', '/w', '/w/ci');
    assert.deepEqual(config.snapshots, ['ci/inv\\a.json']);
    assert.deepEqual(config.formats, ['json=ci/out\\r.json']);
    assert.strictEqual(config.baseline, 'ci/b\\base.json');
  });

  it('records where each suppression is written', () => {
    const { config } = parseConfig('suppressions:\n  - rule: x\n    resource: "1"\n    reason: ok\n', '.trailgate.yml', '/w', '/w');
    assert.deepEqual(config.suppressions?.[0].source, { file: '.trailgate.yml', line: 2, column: 5 });
  });

  it('is found in the working directory; an explicit --config that does not exist is an input error', async () => {
    const dir = workspace({ '.trailgate.yml': 'failOn: never\n' });
    assert.strictEqual(findConfig(dir)?.config.failOn, 'never');
    assert.isUndefined(findConfig(workspace()));
    const r = await trailgate(['scan', '--snapshot', 'org.yaml', '--config', 'missing.yml'], dir);
    assert.strictEqual(r.code, 2);
    assert.include(r.stderr, 'missing.yml: cannot read the config file: no such file');
  });

  it('a .trailgate.yml that links to a file that is gone stops the run, rather than being skipped with its rules and suppressions', async () => {
    const dir = workspace();
    symlinkSync('../moved/trailgate.yml', join(dir, '.trailgate.yml'));
    const r = await trailgate(['scan', '--snapshot', 'org.yaml'], dir);
    assert.strictEqual(r.code, 2);
    assert.strictEqual(r.stderr, 'trailgate: .trailgate.yml: cannot read the config file: a symbolic link to ../moved/trailgate.yml, which does not exist\n');
  });

  it('only: [] stops the run, as --only , does, instead of running every rule', async () => {
    const dir = workspace({ '.trailgate.yml': 'snapshots: [org.yaml]\nonly: []\n' });
    const r = await trailgate(['scan', '--format', 'json'], dir);
    assert.strictEqual(r.code, 2);
    assert.strictEqual(r.stdout, '');
    assert.strictEqual(r.stderr, 'trailgate: .trailgate.yml:2:7: invalid config: the list is empty; name at least one item, or leave the key out (at /only)\n');
    const listed = await trailgate(['rules'], dir);
    assert.strictEqual(listed.code, 2);
  });

  it('snapshots: [] stops the run instead of switching to a live scan', async () => {
    const r = await trailgate(['scan'], workspace({ '.trailgate.yml': 'snapshots: []\n' }));
    assert.strictEqual(r.code, 2);
    assert.strictEqual(r.stderr, 'trailgate: .trailgate.yml:1:12: invalid config: the list is empty; name at least one item, or leave the key out (at /snapshots)\n');
  });

  it('suppressions: [] is accepted: no finding is accepted, which widens nothing', () => {
    assert.deepEqual(parseConfig('suppressions: []\n', 'c.yml', '/w', '/w').config.suppressions, []);
  });

  it('a bad config stops the run with exit 2 and a located message', async () => {
    const dir = workspace({ '.trailgate.yml': 'snapshots: [org.yaml]\nfailOn: loud\n' });
    const r = await trailgate(['scan'], dir);
    assert.strictEqual(r.code, 2);
    assert.match(r.stderr, /^trailgate: \.trailgate\.yml:2:9: invalid config: must be one of/);
  });

  // One edit fixes them all: a run for each mistake is what a config written by hand cannot afford.
  it('a config with several mistakes names each, located, in the file\'s order, with the key it likely meant', async () => {
    const text = 'snapshots: [org.yaml]\nfail-on: high\nsuppressions:\n  - rule: kms-encryption\n    resource: x\n    reason: 3\nconcurrency: 0\n';
    const r = await trailgate(['scan'], workspace({ '.trailgate.yml': text }));
    assert.strictEqual(r.code, 2);
    assert.deepStrictEqual(r.stderr.trimEnd().split('\n'), [
      'trailgate: .trailgate.yml:2:1: invalid config: unknown key "fail-on"; did you mean "failOn"? (at /fail-on)',
      'trailgate: .trailgate.yml:6:13: invalid config: must be of type string: quote it ("3"), as YAML reads bare digits as a number (at /suppressions/0/reason)',
      'trailgate: .trailgate.yml:7:14: invalid config: must be >= 1 (at /concurrency)',
    ]);
  });

  it('lists ten of a config\'s problems and counts the rest', async () => {
    const text = `snapshots: [org.yaml]\nonly: [${Array.from({ length: 14 }, (_, i) => `Bad${i}`).join(', ')}]\n`;
    const r = await trailgate(['scan'], workspace({ '.trailgate.yml': text }));
    assert.strictEqual(r.code, 2);
    const lines = r.stderr.trimEnd().split('\n');
    assert.strictEqual(lines.length, 11);
    assert.match(lines[0], /^trailgate: \.trailgate\.yml:2:8: invalid config: .* \(at \/only\/0\)$/);
    assert.match(lines[9], /\(at \/only\/9\)$/);
    assert.strictEqual(lines[10], 'trailgate: .trailgate.yml: 4 more problems not shown');
  });

  // A key with a slash or a tilde is one JSON pointer segment (~1, ~0): shown at its own line, by a
  // pointer that names it, and in its place among the first ten, not sorted last as a key not found.
  it('names a key with a slash or a tilde in it at its line, by its pointer, in the file\'s order', async () => {
    const text = `snapshots: [org.yaml]\nfail/on: high\nfail~on: high\nonly: [${Array.from({ length: 10 }, (_, i) => `Bad${i}`).join(', ')}]\n`;
    const r = await trailgate(['scan'], workspace({ '.trailgate.yml': text }));
    assert.strictEqual(r.code, 2);
    const lines = r.stderr.trimEnd().split('\n');
    assert.deepStrictEqual(lines.slice(0, 2), [
      'trailgate: .trailgate.yml:2:1: invalid config: unknown key "fail/on"; did you mean "failOn"? (at /fail~1on)',
      'trailgate: .trailgate.yml:3:1: invalid config: unknown key "fail~on"; did you mean "failOn"? (at /fail~0on)',
    ]);
    assert.match(lines[9], /\(at \/only\/7\)$/);
    assert.strictEqual(lines[10], 'trailgate: .trailgate.yml: 2 more problems not shown');
  });

  // The ten shown are the file's first ten, not the ten deepest: a typo on line 2 was among the "more".
  it('lists the first ten problems in the file, a top-level typo before deeper ones further down', async () => {
    const items = Array.from({ length: 11 }, (_, i) => `  - { rule: r${i}, resource: x, reason: ${i} }`).join('\n');
    const text = `snapshots: [org.yaml]\nfail-on: high\nsuppressions:\n${items}\n`;
    const r = await trailgate(['scan'], workspace({ '.trailgate.yml': text }));
    assert.strictEqual(r.code, 2);
    const lines = r.stderr.trimEnd().split('\n');
    assert.strictEqual(lines.length, 11);
    assert.strictEqual(lines[0], 'trailgate: .trailgate.yml:2:1: invalid config: unknown key "fail-on"; did you mean "failOn"? (at /fail-on)');
    assert.match(lines[9], /^trailgate: \.trailgate\.yml:12:\d+: .* \(at \/suppressions\/8\/reason\)$/);
    assert.strictEqual(lines[10], 'trailgate: .trailgate.yml: 2 more problems not shown');
  });
});

describe('config keys and flags', () => {
  it('every scan flag has a config key, and the schema compiles in strict mode', async () => {
    const { FLAG_OF_KEY } = await import('../../src/config/apply.ts');
    const { Ajv } = await import('ajv');
    const schema = JSON.parse(readFileSync(join(REPO, 'schemas', 'config.schema.json'), 'utf8'));
    new Ajv({ strict: true }).compile(schema);
    const help = (await trailgate(['scan', '--help'], REPO)).stdout;
    const flags = [...new Set(help.match(/--[a-z][a-z-]*/g))].filter((f) => f !== '--help' && f !== '--config');
    const attribute = (flag: string) => flag.replace(/^--(no-)?/, '').replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
    const mapped = new Set(Object.values(FLAG_OF_KEY));
    for (const flag of flags) assert.isTrue(mapped.has(attribute(flag)), `${flag} has no config key`);
    for (const key of Object.keys(FLAG_OF_KEY)) assert.property(schema.properties, key);
  });

  it('keys fill in what the command line leaves out', async () => {
    const dir = workspace({ '.trailgate.yml': `snapshots: [org.yaml]\nonly: [${CORE}]\nformats: [json=out/r.json, text]\n` });
    const r = await trailgate(['scan'], dir);
    assert.strictEqual(r.code, 1);
    assert.include(r.stdout, '3 rules, 2 accounts: 3 passed, 3 failed');
    const report = JSON.parse(readFileSync(join(dir, 'out', 'r.json'), 'utf8'));
    assert.deepEqual(report.summary, { pass: 3, fail: 3, error: 0, skipped: 0 });
  });

  it('a flag wins over its key', async () => {
    const dir = workspace({ '.trailgate.yml': `snapshots: [org.yaml]\nonly: [${CORE}]\nfailOn: never\n` });
    assert.strictEqual((await trailgate(['scan'], dir)).code, 0, 'failOn: never from the config');
    assert.strictEqual((await trailgate(['scan', '--fail-on', 'high'], dir)).code, 1, '--fail-on high wins');
    const only = await trailgate(['scan', '--only', 'kms-encryption', '--fail-on', 'low'], dir);
    assert.include(only.stdout, '1 rule, 2 accounts');
  });

  it('builtinRules: false and rules paths, relative to the config file', async () => {
    const dir = workspace();
    mkdirSync(join(dir, 'ci'));
    mkdirSync(join(dir, 'my-rules'));
    writeFileSync(
      join(dir, 'my-rules', 'named.yaml'),
      'id: trail-named-main\ntitle: t\nseverity: low\nscope: trail\ndescription: d\nremediation: {text: r}\nreads: [Trail]\ncheck:\n  Trail.Name: {const: org-trail}\n',
    );
    writeFileSync(join(dir, 'ci', 'trailgate.yml'), 'snapshots: [../org.yaml]\nbuiltinRules: false\nrules: [../my-rules]\n');
    const r = await trailgate(['scan', '--config', 'ci/trailgate.yml'], dir);
    assert.include(r.stdout, '1 rule, 2 accounts: 1 passed, 1 failed');
    const listed = await trailgate(['rules', '--config', 'ci/trailgate.yml'], dir);
    assert.strictEqual(listed.stdout.trim().split('\n').filter((l) => l.includes('trail-named-main')).length, 1);
    assert.notInclude(listed.stdout, 'kms-encryption');
  });

  // The README's config example names a rules folder a reader has yet to make: the message gave
  // its absolute path and did not say it came from the config.
  it('a rules entry that is missing or empty is located in the config; a --rules path is named relative', async () => {
    const dir = workspace();
    mkdirSync(join(dir, 'ci'));
    mkdirSync(join(dir, 'empty'));
    writeFileSync(join(dir, 'ci', 'trailgate.yml'), 'rules:\n  - ../empty\n');
    const empty = await trailgate(['scan', '--snapshot', 'org.yaml', '--config', 'ci/trailgate.yml'], dir);
    assert.strictEqual(empty.code, 2);
    assert.strictEqual(empty.stderr, 'trailgate: ci/trailgate.yml:2:5: invalid config: the `rules` entry empty: the rules directory holds no .yaml or .yml file (at /rules/0)\n');
    writeFileSync(join(dir, 'ci', 'trailgate.yml'), 'rules: [../empty/x.yaml, ../policies]\n');
    const missing = await trailgate(['rules', '--config', 'ci/trailgate.yml'], dir);
    assert.strictEqual(missing.stderr, 'trailgate: ci/trailgate.yml:1:9: invalid config: the `rules` entry empty/x.yaml: no such rule file or directory (at /rules/0)\n');
    // Given on the command line, the flag's path is what was refused, named as every file is.
    const flag = await trailgate(['scan', '--snapshot', 'org.yaml', '--config', 'ci/trailgate.yml', '--rules', 'nope'], dir);
    assert.strictEqual(flag.stderr, 'trailgate: nope: no such rule file or directory\n');
  });

  // As the `rules` entry is: they said `org.yml: cannot read the inventory` and `ci/baseline.json:
  // cannot read the baseline`, pointing at files that do not exist rather than at the key to fix.
  it('a snapshots entry or a baseline that cannot be read is located in the config; the flag is named as before', async () => {
    const dir = workspace();
    mkdirSync(join(dir, 'ci'));
    writeFileSync(join(dir, 'ci', 'trailgate.yml'), 'snapshots: [../org.yaml, ../org.yaml, ../org.yml]\n');
    const inventory = await trailgate(['scan', '--config', 'ci/trailgate.yml'], dir);
    assert.strictEqual(inventory.code, 2);
    assert.strictEqual(inventory.stderr, 'trailgate: ci/trailgate.yml:1:39: invalid config: the `snapshots` entry org.yml: cannot read the inventory: no such file or directory (at /snapshots/2)\n');
    writeFileSync(join(dir, 'ci', 'trailgate.yml'), 'snapshots: [../org.yaml]\nbaseline: baseline.json\n');
    const baseline = await trailgate(['scan', '--config', 'ci/trailgate.yml'], dir);
    assert.strictEqual(baseline.code, 2);
    assert.strictEqual(baseline.stderr, 'trailgate: ci/trailgate.yml:2:11: invalid config: the `baseline` file ci/baseline.json: cannot read the baseline: no such file or directory (at /baseline)\n');
    // Given on the command line, the flag's file is what was refused.
    const flags = await trailgate(['scan', '--snapshot', 'org.yml'], dir);
    assert.strictEqual(flags.stderr, 'trailgate: org.yml: cannot read the inventory: no such file or directory\n');
    const flag = await trailgate(['scan', '--config', 'ci/trailgate.yml', '--baseline', 'nope.json'], dir);
    assert.strictEqual(flag.stderr, 'trailgate: nope.json: cannot read the baseline: no such file or directory\n');
  });

  // The text report and the step summary said "(--fail-on never)", a flag nobody typed.
  it('failOn: never from the config is named as the key in the reports', async () => {
    const dir = workspace({ 'never.yml': `snapshots: [org.yaml]\nonly: [kms-encryption]\nfailOn: never\nformats: [text, json=r.json]\n` });
    const never = await trailgate(['scan', '--config', 'never.yml'], dir);
    assert.strictEqual(never.code, 0, never.stderr);
    assert.include(never.stdout, '\nexit 0: violations never fail this run (failOn: never in never.yml)\n');
    assert.notInclude(never.stdout, '--fail-on');
    const summary = join(dir, 'summary.md');
    await trailgate(['scan', '--config', 'never.yml', '--format', 'github'], dir, { env: { GITHUB_STEP_SUMMARY: summary } });
    assert.include(readFileSync(summary, 'utf8'), 'violations never fail this run (failOn: never in never.yml)');
    const flag = await trailgate(['scan', '--config', 'never.yml', '--fail-on', 'never'], dir);
    assert.include(flag.stdout, '\nexit 0: violations never fail this run (--fail-on never)\n');
    // The file's name is the user's text: escaped for the terminal, on stdout and in the stderr summary.
    const odd = 'c\x1b[31mX.yml';
    writeFileSync(join(dir, odd), 'snapshots: [org.yaml]\nonly: [kms-encryption]\nfailOn: never\n');
    const text = await trailgate(['scan', '--config', odd], dir);
    assert.include(text.stdout, '(failOn: never in c\\x1b[31mX.yml)');
    const quiet = await trailgate(['scan', '--config', odd, '--format', 'json=o.json'], dir);
    assert.include(quiet.stderr, '(failOn: never in c\\x1b[31mX.yml)');
    assert.notInclude(text.stdout + quiet.stderr, '\x1b');
  });

  it('only and skip from the config that leave no rule are located at the key and worded without the flags', async () => {
    const dir = workspace();
    writeFileSync(join(dir, 'none.yml'), 'snapshots: [org.yaml]\nonly: [kms-encryption]\nskip: [kms-encryption]\n');
    for (const command of ['scan', 'rules']) {
      const none = await trailgate([command, '--config', 'none.yml'], dir);
      assert.strictEqual(none.code, 2);
      assert.strictEqual(none.stderr, 'trailgate: none.yml:3:7: invalid config: no rule is left to run after the only/skip selection (at /skip)\n');
    }
    const flags = await trailgate(['scan', '--config', 'none.yml', '--only', 'log-file-validation', '--skip', 'log-file-validation'], dir);
    assert.strictEqual(flags.stderr, 'trailgate: no rule is left to run after --only/--skip\n');
    // Built-in rules left out on the command line: said, without blaming the config file for it.
    writeFileSync(join(dir, 'rules.yml'), 'snapshots: [org.yaml]\nskip: [central-bucket]\n');
    mkdirSync(join(dir, 'mine'));
    writeFileSync(join(dir, 'mine', 'central-bucket.yaml'), readFileSync(join(REPO, 'test', 'fixtures', 'user-rules', 'central-bucket.yaml'), 'utf8'));
    const off = await trailgate(['scan', '--config', 'rules.yml', '--no-builtin-rules', '--rules', 'mine'], dir);
    assert.strictEqual(off.stderr, 'trailgate: rules.yml:2:7: invalid config: no rule is left to run after the only/skip selection, with the built-in rules left out (at /skip)\n');
    assert.notInclude(off.stderr, 'builtinRules');
    // Only rules this run does not load: said, rather than leaving the user to guess.
    const notLoaded = await trailgate(['scan', '--config', 'rules.yml', '--no-builtin-rules', '--rules', 'mine', '--only', 'insights-enabled', '--skip', 'kms-encryption'], dir);
    assert.strictEqual(notLoaded.stderr, 'trailgate: no rule is left to run after --only/--skip (and --no-builtin-rules): "insights-enabled" is a rule this run does not load\n');
    const twice = await trailgate(['scan', '--config', 'rules.yml', '--no-builtin-rules', '--rules', 'mine', '--only', 'insights-enabled,insights-enabled', '--skip', 'kms-encryption'], dir);
    assert.include(twice.stderr, ': "insights-enabled" is a rule this run does not load\n');
    // --skip took away the one loaded rule --only chose: not only a matter of rules not loaded, so no such reason.
    const skipped = await trailgate(['scan', '--config', 'rules.yml', '--no-builtin-rules', '--rules', 'mine', '--only', 'central-bucket,insights-enabled', '--skip', 'central-bucket'], dir);
    assert.strictEqual(skipped.stderr, 'trailgate: no rule is left to run after --only/--skip (and --no-builtin-rules)\n');
    // No rule at all: the built-in ones left out and none given; said for where that came from.
    writeFileSync(join(dir, 'nob.yml'), 'snapshots: [org.yaml]\nbuiltinRules: false\n');
    const fromFile = await trailgate(['scan', '--config', 'nob.yml'], dir);
    assert.strictEqual(fromFile.code, 2);
    assert.strictEqual(fromFile.stderr, 'trailgate: nob.yml:2:15: invalid config: no rule to run: builtinRules is false, and no rules are given (`rules`, or --rules) (at /builtinRules)\n');
    writeFileSync(join(dir, 'plain.yml'), 'snapshots: [org.yaml]\n');
    const fromFlag = await trailgate(['scan', '--config', 'plain.yml', '--no-builtin-rules'], dir);
    assert.strictEqual(fromFlag.code, 2);
    assert.strictEqual(fromFlag.stderr, 'trailgate: no rule to run: --no-builtin-rules leaves out the built-in rules, and no --rules were given\n');
  });

  // The entry was found by its words: the first one spelt `-` (though `/dev/stdout` is standard
  // output too), and none for a message the words did not foresee.
  it('a formats entry from the config is located by its place in the list, not by its words', async () => {
    const dir = workspace();
    writeFileSync(join(dir, 'out.yml'), 'snapshots: [org.yaml]\nformats: [text=-, json=/dev/stdout]\n');
    const stdout = await trailgate(['scan', '--config', 'out.yml'], dir);
    assert.strictEqual(stdout.code, 2);
    assert.strictEqual(stdout.stderr, 'trailgate: out.yml:2:19: invalid config: only one format may write to standard output, got text and json; give the others a file (sarif=results.sarif) (at /formats/1)\n');
    mkdirSync(join(dir, 'policies'));
    writeFileSync(join(dir, 'policies', 'a.yaml'), 'id: a\n');
    writeFileSync(join(dir, 'rules.yml'), 'snapshots: [org.yaml]\nrules: [policies]\nformats: [text, json=policies/r.yaml]\n');
    const rules = await trailgate(['scan', '--config', 'rules.yml'], dir);
    assert.strictEqual(rules.code, 2);
    assert.strictEqual(
      rules.stderr,
      'trailgate: rules.yml:3:17: invalid config: the `formats` entry json=policies/r.yaml would put a report among the rule files of the rules directory policies, and the next run would read it as a rule; give it another name or folder (at /formats/1)\n',
    );
  });

  it('per-rule parameters reach the rule; mistakes in them are located in the config', async () => {
    const tight = workspace({ '.trailgate.yml': 'snapshots: [org.yaml]\nonly: [trails-per-region]\nparameters:\n  trails-per-region: {max: 0}\n' });
    const r = await trailgate(['scan'], tight);
    assert.strictEqual(r.code, 1, 'a region where one trail counts has more than 0');
    assert.include(r.stdout, 'more than the 0 allowed');
    const loose = workspace({ '.trailgate.yml': 'snapshots: [org.yaml]\nonly: [trails-per-region]\nparameters:\n  trails-per-region: {max: 4}\n' });
    assert.strictEqual((await trailgate(['scan'], loose)).code, 0);

    const badValue = workspace({ '.trailgate.yml': 'snapshots: [org.yaml]\nparameters:\n  trails-per-region: {max: many}\n' });
    const e1 = await trailgate(['scan'], badValue);
    assert.strictEqual(e1.code, 2);
    assert.match(e1.stderr, /^trailgate: \.trailgate\.yml:3:28: invalid config: parameter "max" of rule "trails-per-region" must be of type integer/);
    const unknownRule = workspace({ '.trailgate.yml': 'snapshots: [org.yaml]\nparameters:\n  no-such-rule: {max: 1}\n' });
    const e2 = await trailgate(['scan'], unknownRule);
    // An unknown rule id or parameter name is a key: located where it is written, with a suggestion when one is close.
    assert.match(e2.stderr, /^trailgate: \.trailgate\.yml:3:3: invalid config: parameters are given for an unknown rule "no-such-rule" \(at/);
    const typoRule = workspace({ '.trailgate.yml': 'snapshots: [org.yaml]\nparameters:\n  trails-per-regio:\n    max: 4\n' });
    const e3 = await trailgate(['scan'], typoRule);
    assert.match(e3.stderr, /^trailgate: \.trailgate\.yml:3:3: invalid config: parameters are given for an unknown rule "trails-per-regio"; did you mean "trails-per-region"\?/);
    const typoName = workspace({ '.trailgate.yml': 'snapshots: [org.yaml]\nparameters:\n  trails-per-region:\n    mx: 4\n' });
    const e4 = await trailgate(['scan'], typoName);
    assert.match(e4.stderr, /^trailgate: \.trailgate\.yml:4:5: invalid config: unknown parameter "mx" for rule "trails-per-region"/);
    // The same name valid for one rule and unknown to another: located at the rule it is wrong for.
    const twoRules = workspace({ '.trailgate.yml': 'snapshots: [org.yaml]\nparameters:\n  trails-per-region:\n    max: 3\n  cloudwatch-logs:\n    max: 5\n' });
    const e5 = await trailgate(['scan'], twoRules);
    assert.match(e5.stderr, /^trailgate: \.trailgate\.yml:6:5: invalid config: unknown parameter "max" for rule "cloudwatch-logs"; it takes maxAgeHours \(at \/parameters\/cloudwatch-logs\/max\)/);
    const inherited = workspace({ '.trailgate.yml': 'snapshots: [org.yaml]\nparameters:\n  trails-per-region:\n    max: 3\n  cloudwatch-logs: { toString: 5 }\n' });
    const e6 = await trailgate(['scan'], inherited);
    assert.match(e6.stderr, /^trailgate: \.trailgate\.yml:5:22: invalid config: unknown parameter "toString" for rule "cloudwatch-logs".*\(at \/parameters\/cloudwatch-logs\/toString\)/);
    // Any parameter name reads back from the message (JSON-quoted) and becomes a pointer segment.
    const slash = workspace({ '.trailgate.yml': 'snapshots: [org.yaml]\nparameters:\n  trails-per-region:\n    max: 3\n    "a/b": 1\n' });
    assert.match((await trailgate(['scan'], slash)).stderr, /^trailgate: \.trailgate\.yml:5:5: invalid config: unknown parameter "a\/b" .*\(at \/parameters\/trails-per-region\/a~1b\)/);
    const quote = workspace({ '.trailgate.yml': 'snapshots: [org.yaml]\nparameters:\n  trails-per-region: {max: 3, "a\\"b": 1}\n' });
    assert.match((await trailgate(['scan'], quote)).stderr, /^trailgate: \.trailgate\.yml:3:31: invalid config: unknown parameter /);
    // A number parameter is finite: .inf is refused at the config's line, not in the rule's file.
    const inf = workspace({ '.trailgate.yml': 'snapshots: [org.yaml]\nparameters:\n  cloudwatch-logs: {maxAgeHours: .inf}\n' });
    assert.match((await trailgate(['scan'], inf)).stderr, /^trailgate: \.trailgate\.yml:3:34: invalid config: parameter "maxAgeHours" of rule "cloudwatch-logs" must be of type number >= 0, got Infinity/);
  });

  it('parameters for a built-in rule do not stop a run of only your own rules', async () => {
    // The config's parameters serve the full runs too; with the built-in rules left out they are unused.
    const config = 'snapshots: [org.yaml]\nparameters:\n  trails-per-region: {max: 4}\n';
    const dir = workspace({ '.trailgate.yml': config, 'central.yaml': readFileSync(join(REPO, 'test', 'fixtures', 'user-rules', 'central-bucket.yaml'), 'utf8') });
    const flag = await trailgate(['scan', '--no-builtin-rules', '--rules', 'central.yaml'], dir);
    assert.strictEqual(flag.code, 1, flag.stderr);
    assert.include(flag.stdout, '1 rule, 2 accounts');
    writeFileSync(join(dir, '.trailgate.yml'), `${config}builtinRules: false\nrules: [central.yaml]\n`);
    const key = await trailgate(['scan'], dir);
    assert.strictEqual(key.code, 1, key.stderr);
    assert.strictEqual((await trailgate(['rules'], dir)).code, 0);
  });

  it('parameters a built-in rule refuses stop a run of only your own rules, as they stop one that skips the rule', async () => {
    const dir = workspace({ '.trailgate.yml': 'snapshots: [org.yaml]\nparameters:\n  trails-per-region: {max: -1, maxx: 3}\n', 'central.yaml': readFileSync(join(REPO, 'test', 'fixtures', 'user-rules', 'central-bucket.yaml'), 'utf8') });
    const expected = 'trailgate: .trailgate.yml:3:28: invalid config: parameter "max" of rule "trails-per-region" must be of type integer >= 0, got -1 (at /parameters/trails-per-region/max)\n';
    for (const narrowed of [['--skip', 'trails-per-region'], ['--no-builtin-rules', '--rules', 'central.yaml'], ['--only', 'kms-encryption']]) {
      const r = await trailgate(['scan', ...narrowed], dir);
      assert.strictEqual(r.code, 2, narrowed.join(' '));
      assert.strictEqual(r.stderr, expected, narrowed.join(' '));
    }
    const rules = await trailgate(['rules', '--no-builtin-rules', '--rules', 'central.yaml'], dir);
    assert.strictEqual(rules.code, 2);
    assert.strictEqual(rules.stderr, expected);
  });

  it('parameters for a rule of the config\'s own rules folder are not refused when --rules replaced the folder; a typo of a loaded rule still is', async () => {
    const rule = 'id: central-bucket\ntitle: Every trail delivers to the central log bucket\nseverity: high\nscope: trail\ndescription: All trails write to one bucket.\nremediation:\n  text: Point the trail at the central bucket.\nparameters:\n  bucket: { type: string, default: acme-org-trail-logs, description: the central bucket }\nreads: [Trail]\ncheck:\n  Trail.S3BucketName: { const: { $param: bucket } }\n';
    const config = 'snapshots: [org.yaml]\nrules: [policies]\nparameters:\n  central-bucket: {bucket: acme-org-trail-logs}\n';
    const dir = workspace({ '.trailgate.yml': config });
    mkdirSync(join(dir, 'policies'));
    mkdirSync(join(dir, 'extra'));
    writeFileSync(join(dir, 'policies', 'central-bucket.yaml'), rule);
    writeFileSync(join(dir, 'extra', 'three-trails.yaml'), readFileSync(join(REPO, 'test', 'fixtures', 'user-rules', 'three-trails.yaml'), 'utf8'));
    const alone = await trailgate(['scan', '--quiet', '--format', 'json=r.json'], dir);
    assert.strictEqual(alone.code, 1, alone.stderr);
    // The folder set aside on the command line: its rule's parameters are unused, as when --skip leaves a rule out.
    const replaced = await trailgate(['scan', '--rules', 'extra', '--quiet', '--format', 'json=r.json'], dir);
    assert.strictEqual(replaced.code, 1, replaced.stderr);
    assert.strictEqual(replaced.stderr, '');
    const listed = await trailgate(['rules', '--rules', 'extra'], dir);
    assert.strictEqual(listed.code, 0, listed.stderr);
    assert.include(listed.stdout, 'three-trails-per-region');
    // A near miss of a loaded rule is still a typo, folder replaced or not.
    writeFileSync(join(dir, '.trailgate.yml'), 'snapshots: [org.yaml]\nrules: [policies]\nparameters:\n  trails-per-regio: {max: 4}\n');
    const typo = await trailgate(['scan', '--rules', 'extra', '--quiet', '--format', 'json=r.json'], dir);
    assert.strictEqual(typo.code, 2);
    assert.match(typo.stderr, /^trailgate: \.trailgate\.yml:4:3: invalid config: parameters are given for an unknown rule "trails-per-regio"; did you mean "trails-per-region"\?/);
    // With every rule source loaded, an id no rule has is refused as before.
    writeFileSync(join(dir, '.trailgate.yml'), 'snapshots: [org.yaml]\nrules: [policies]\nparameters:\n  no-such-rule: {max: 4}\n');
    const unknown = await trailgate(['scan', '--quiet', '--format', 'json=r.json'], dir);
    assert.strictEqual(unknown.code, 2);
    assert.include(unknown.stderr, 'parameters are given for an unknown rule "no-such-rule"');
  });

  it('only and skip may name rules the run leaves out (built-in ones under --no-builtin-rules, a replaced rules folder\'s); an id that exists nowhere is still refused', async () => {
    const dir = workspace({ '.trailgate.yml': 'snapshots: [org.yaml]\nrules: [policies]\nskip: [insights-enabled, central-bucket]\n' });
    mkdirSync(join(dir, 'policies'));
    mkdirSync(join(dir, 'mine'));
    writeFileSync(join(dir, 'policies', 'central-bucket.yaml'), readFileSync(join(REPO, 'test', 'fixtures', 'user-rules', 'central-bucket.yaml'), 'utf8'));
    writeFileSync(join(dir, 'mine', 'three-trails.yaml'), readFileSync(join(REPO, 'test', 'fixtures', 'user-rules', 'three-trails.yaml'), 'utf8'));
    // The README's advice for a folder of your own rules, with a config that skips a built-in rule.
    for (const command of [['scan', '--quiet', '--format', 'json=r.json'], ['rules']]) {
      const own = await trailgate([...command, '--rules', 'mine', '--no-builtin-rules'], dir);
      assert.oneOf(own.code, [0, 1], own.stderr);
      assert.strictEqual(own.stderr, '');
    }
    const listed = await trailgate(['rules', '--rules', 'mine', '--no-builtin-rules', '--format', 'json'], dir);
    assert.deepEqual((JSON.parse(listed.stdout) as { id: string }[]).map((r) => r.id), ['three-trails-per-region']);
    // An id no rule has anywhere, and a near miss of a loaded one, are still mistakes.
    const typo = await trailgate(['scan', '--rules', 'mine', '--no-builtin-rules', '--skip', 'three-trails-per-regio'], dir);
    assert.strictEqual(typo.code, 2);
    assert.include(typo.stderr, '--skip names an unknown rule "three-trails-per-regio"');
    const nowhere = await trailgate(['scan', '--skip', 'no-such-rule'], dir);
    assert.strictEqual(nowhere.code, 2);
    assert.include(nowhere.stderr, '--skip names an unknown rule "no-such-rule"');
    // With the config's folder replaced, only the ids its files really hold are spared: a typo far from every id is still refused.
    const replaced = await trailgate(['scan', '--rules', 'mine', '--only', 'kms-encryption,cloudtrail-log-validation'], dir);
    assert.strictEqual(replaced.code, 2);
    assert.include(replaced.stderr, '--only names an unknown rule "cloudtrail-log-validation"');
  });

  it('an unknown rule id in only or skip is located in the config', async () => {
    const dir = workspace({ '.trailgate.yml': 'snapshots: [org.yaml]\nskip:\n  - kms-encryption\n  - kms-encrypton\n' });
    const r = await trailgate(['scan'], dir);
    assert.strictEqual(r.code, 2);
    assert.match(r.stderr, /^trailgate: \.trailgate\.yml:4:5: invalid config: `skip` names an unknown rule "kms-encrypton"/);
  });

  it('a mistake in a flag that replaced its key is not blamed on the config file', async () => {
    // The file holds the same words the flag's mistake is about, but the command line replaced
    // the key: the file is not what was refused.
    const dir = workspace({ '.trailgate.yml': 'snapshots: [org.yaml]\nformats: [text, sarif=r.sarif]\nonly: [kms-encrypton]\nskip: [kms-key-rotaton]\n' });
    const formats = await trailgate(['scan', '--only', 'kms-encryption', '--format', 'json', '--format', 'sarif'], dir);
    assert.strictEqual(formats.code, 2);
    assert.strictEqual(formats.stderr, 'trailgate: only one format may write to standard output, got json and sarif; give the others a file (--format sarif=results.sarif)\n');
    const only = await trailgate(['scan', '--only', 'kms-encrypton', '--skip', 'kms-encryption'], dir);
    assert.strictEqual(only.code, 2);
    assert.strictEqual(only.stderr, 'trailgate: --only names an unknown rule "kms-encrypton"; see `trailgate rules` for the ids\n');
    const skip = await trailgate(['rules', '--only', 'kms-encryption', '--skip', 'kms-key-rotaton'], dir);
    assert.strictEqual(skip.code, 2);
    assert.strictEqual(skip.stderr, 'trailgate: --skip names an unknown rule "kms-key-rotaton"; see `trailgate rules` for the ids\n');
    // The key the command line left alone is still located.
    const fromFile = await trailgate(['scan', '--only', 'kms-encryption'], dir);
    assert.match(fromFile.stderr, /^trailgate: \.trailgate\.yml:4:8: invalid config: `skip` names an unknown rule "kms-key-rotaton"/);
  });

  it('compliance chooses the rules mapped to a framework', async () => {
    const dir = workspace({ '.trailgate.yml': 'snapshots: [org.yaml]\ncompliance: aws-fsbp\nformats: [json]\n' });
    const report = JSON.parse((await trailgate(['scan'], dir)).stdout);
    assert.isNotEmpty(report.rules);
    for (const rule of report.rules) assert.property(rule.compliance, 'aws-fsbp', rule.id);
  });

  it('a compliance key that names an unknown framework, or leaves no rule, is located in the config and names no flag', async () => {
    const unknown = workspace({ 'c.yml': 'snapshots: [org.yaml]\ncompliance: nope\n' });
    for (const args of [['scan'], ['rules']]) {
      const r = await trailgate([...args, '--config', 'c.yml'], unknown);
      assert.strictEqual(r.code, 2);
      assert.match(r.stderr, /^trailgate: c\.yml:2:13: invalid config: unknown framework "nope"; known frameworks: .*aws-fsbp.* \(at \/compliance\)\n$/);
      assert.notInclude(r.stderr, '--compliance');
    }
    const none = workspace({ 'c.yml': 'snapshots: [org.yaml]\ncompliance: aws-quotas\nonly: [kms-encryption]\n' });
    for (const args of [['scan'], ['rules']]) {
      const r = await trailgate([...args, '--config', 'c.yml'], none);
      assert.strictEqual(r.code, 2);
      assert.strictEqual(r.stderr, 'trailgate: c.yml:2:13: invalid config: no rule left to run maps to aws-quotas (after the only/skip selection and the rules loaded) (at /compliance)\n');
    }
    // The flag replaced the key: its mistake is the flag's, worded as before.
    const flag = await trailgate(['scan', '--config', 'c.yml', '--compliance', 'nist'], none);
    assert.strictEqual(flag.code, 2);
    assert.match(flag.stderr, /^trailgate: --compliance names an unknown framework "nist"; known frameworks: /);
  });

  it('live keys map onto the live flags', async () => {
    const { mergeFlags } = await import('../../src/config/apply.ts');
    const { Command } = await import('commander');
    const cmd = new Command('scan')
      .option('--region <r>', 'regions')
      .option('--accounts <ids>', 'accounts')
      .option('--role-name <name>', 'role')
      .option('--concurrency <n>', 'n', (v) => Number(v))
      .option('--organization', 'org');
    cmd.parse(['--role-name', 'FromFlag'], { from: 'user' });
    const merged = mergeFlags(cmd, cmd.opts(), { regions: ['us-east-1', 'eu-west-1'], accounts: ['111122223333'], roleName: 'FromConfig', concurrency: 8, organization: true, profile: 'p' });
    assert.deepEqual(merged, { region: 'us-east-1,eu-west-1', accounts: '111122223333', roleName: 'FromFlag', concurrency: 8, organization: true, profile: 'p' });
  });
});
