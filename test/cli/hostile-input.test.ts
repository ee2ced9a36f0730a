/**
 * Hostile input at the process boundary, one named case per failure fuzzing found: each failed
 * before its fix (a crash with exit 70, an unhandled rejection, a hang, a silent pass or a
 * message that named no file). The standard: exit 2 and one line naming file, line and column,
 * or a run that finishes.
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { globMatch } from '../../src/engine/suppress.ts';
import { cli, tempDir } from '../helpers/cli.ts';

const EXAMPLE = join(import.meta.dirname, '..', '..', 'examples', 'organization.yaml');
const ARN = 'arn:aws:cloudtrail:us-east-1:123456789012:trail/t';
const HEAD = 'id: my-rule\ntitle: A rule\nseverity: low\nscope: trail\ndescription: Something.\nremediation: { text: Fix it. }\n';

/** Exit 2 with exactly one line on stderr, which must match `message` after `trailgate: `. */
function expectInputError(r: { code: number; stderr: string }, message: RegExp): void {
  expect(r.code, r.stderr).to.equal(2);
  const lines = r.stderr.trimEnd().split('\n');
  expect(lines, r.stderr).to.have.lengthOf(1);
  expect(lines[0].replace(/^trailgate: /, '')).to.match(message);
}

/** Scans the example inventory with one user rule file. */
async function withRule(text: string, extra: string[] = []) {
  const dir = tempDir();
  writeFileSync(join(dir, 'rule.yaml'), text);
  return cli(['scan', '--snapshot', EXAMPLE, '--rules', 'rule.yaml', '--no-builtin-rules', '--format', 'json=out.json', '--quiet', ...extra], { cwd: dir });
}

describe('hostile input', () => {
  describe('a YAML alias inside the node its anchor names (a cycle)', () => {
    it('in an inventory: exit 2 at the alias, not a crash on the circular value (was exit 70)', async () => {
      const dir = tempDir();
      const extra = 'Extra: &x {a: [b, *x]}';
      writeFileSync(join(dir, 'inv.yaml'), `version: 1\naccounts:\n  - accountId: "123456789012"\n    regions: [us-east-1]\n    trails:\n      - Trail: {Name: t, TrailARN: "${ARN}", HomeRegion: us-east-1, ${extra}}\n`);
      mkdirSync(join(dir, 'r'));
      writeFileSync(join(dir, 'r', 'extra.yaml'), `${HEAD}reads: [Trail]\ncheck:\n  Trail.Extra: { const: 1 }\n`);
      const column = `      - Trail: {Name: t, TrailARN: "${ARN}", HomeRegion: us-east-1, Extra: &x {a: [b, `.length + 1;
      const r = await cli(['scan', '--snapshot', 'inv.yaml', '--rules', 'r'], { cwd: dir });
      expectInputError(r, new RegExp(`^inv\\.yaml:6:${column}: invalid YAML: the alias \\*x stands inside the node its anchor names`));
    });

    it('in a rule file and in the config file too; an alias of an earlier node is still fine', async () => {
      const rule = await withRule(`${HEAD}reads: [Trail]\ncheck:\n  Trail.Name: &s { not: *s }\n`);
      expectInputError(rule, /^rule\.yaml:9:25: invalid YAML: the alias \*s stands inside/);
      const dir = tempDir();
      writeFileSync(join(dir, '.trailgate.yml'), 'parameters: &p\n  trails-per-region: *p\n');
      expectInputError(await cli(['scan', '--snapshot', EXAMPLE], { cwd: dir }), /^\.trailgate\.yml:2:22: invalid YAML in the config file: the alias \*p stands inside/);
      const reused = await withRule(`${HEAD}reads: &r [Trail]\ntags: *r\ncheck: { Trail.Name: { const: x } }\n`);
      expect(reused.code, reused.stderr).to.equal(1);
    });
  });

  it('an unknown key of a megabyte is named by its start, not echoed whole (twice: in the message and its pointer)', async () => {
    const dir = tempDir();
    const key = 'k'.repeat(1_000_000);
    writeFileSync(join(dir, 'inv.json'), JSON.stringify({ version: 1, accounts: [], [key]: 1 }));
    const r = await cli(['scan', '--snapshot', 'inv.json'], { cwd: dir });
    expectInputError(r, new RegExp(`^inv\\.json:1:28: invalid inventory: unknown key "k{77}\\.\\.\\." \\(at /k{196}\\.\\.\\.\\)$`));
    expect(r.stderr.length).to.be.below(400);
  });

  it('an unknown key is cut past 80 characters in the message, and its pointer past 200, not before', async () => {
    const dir = tempDir();
    const cases: [number, string, string][] = [
      [80, 'k{80}', '/k{80}'],
      [81, 'k{77}\\.\\.\\.', '/k{81}'],
      [199, 'k{77}\\.\\.\\.', '/k{199}'],
      [200, 'k{77}\\.\\.\\.', '/k{196}\\.\\.\\.'],
    ];
    for (const [length, key, pointer] of cases) {
      writeFileSync(join(dir, 'inv.json'), JSON.stringify({ version: 1, accounts: [], ['k'.repeat(length)]: 1 }));
      const r = await cli(['scan', '--snapshot', 'inv.json'], { cwd: dir });
      expectInputError(r, new RegExp(`^inv\\.json:1:28: invalid inventory: unknown key "${key}" \\(at ${pointer}\\)$`));
    }
  });

  it('an unknown key of emoji is cut between characters, never inside one (half a pair showed as \\ud83d)', async () => {
    const dir = tempDir();
    // A cut after 77 units falls inside the 39th emoji of the first key; after 197 units of the
    // pointer, inside the 98th emoji of the second (behind its "/" and "k").
    const cases: [string, string, string][] = [
      ['😀'.repeat(150), '(?:😀){38}', '/(?:😀){98}'],
      [`k${'😀'.repeat(150)}`, 'k(?:😀){38}', '/k(?:😀){97}'],
    ];
    for (const [key, shown, pointer] of cases) {
      writeFileSync(join(dir, 'inv.json'), JSON.stringify({ version: 1, accounts: [], [key]: 1 }));
      const r = await cli(['scan', '--snapshot', 'inv.json'], { cwd: dir });
      expectInputError(r, new RegExp(`^inv\\.json:1:28: invalid inventory: unknown key "${shown}\\.\\.\\." \\(at ${pointer}\\.\\.\\.\\)$`, 'u'));
    }
  });

  it('a rule file or config file nested too deeply is not called an inventory', async () => {
    const deep = `${'['.repeat(10_000)}${']'.repeat(10_000)}`;
    const rule = await withRule(`${HEAD}reads: [Trail]\ntags: ${deep}\ncheck: { Trail.Name: { const: x } }\n`);
    expectInputError(rule, /^rule\.yaml:8:\d+: invalid YAML: the document nests too deeply to read \(a trailgate file nests a few levels, not thousands\)$/);
    const dir = tempDir();
    writeFileSync(join(dir, '.trailgate.yml'), `failOn: low\nonly: ${deep}\n`);
    expectInputError(await cli(['scan', '--snapshot', EXAMPLE], { cwd: dir }), /^\.trailgate\.yml:2:\d+: invalid YAML in the config file: the document nests too deeply to read \(a trailgate file nests a few levels, not thousands\)$/);
  });

  it('a mapping key that is a list gives one line on stderr, without the YAML parser warning beside it', async () => {
    const warnings: string[] = [];
    const listen = (w: Error) => warnings.push(w.message);
    process.on('warning', listen);
    try {
      const dir = tempDir();
      writeFileSync(join(dir, 'inv.yaml'), 'version: 1\naccounts:\n  - accountId: "123456789012"\n    regions: [us-east-1]\n    trails: []\n    ? [a]\n    : 1\n');
      const r = await cli(['scan', '--snapshot', 'inv.yaml'], { cwd: dir });
      await new Promise((done) => setImmediate(done));
      expectInputError(r, /^inv\.yaml:6:7: invalid YAML: a mapping key must be a name, not a list$/);
      expect(warnings).to.deep.equal([]);
    } finally {
      process.off('warning', listen);
    }
  });

  describe('rule files', () => {
    it('a fact named like an Object method is an unknown fact, not an internal error (was exit 70)', async () => {
      for (const fact of ['toString', 'constructor', 'hasOwnProperty']) {
        expectInputError(await withRule(`${HEAD}reads: [Trail]\ncheck:\n  facts.${fact}: { const: true }\n`), new RegExp(`^rule\\.yaml:9:3: unknown fact "${fact}"`));
      }
    });

    it('a path to an Object method is absent, not a value a check passes on', async () => {
      const r = await withRule(`${HEAD}reads: [Trail, Bucket]\ncheck:\n  Trail.constructor: { not: { const: 1 } }\n  Bucket.toString?: { const: 1 }\n`);
      expect(r.code, r.stderr).to.equal(1);
      const dir = tempDir();
      // A function would meet `not: { const: 1 }`: only an absent value fails it.
      writeFileSync(join(dir, 'rule.yaml'), `${HEAD}reads: [Trail]\ncheck:\n  Trail.constructor: { not: { const: 1 } }\n`);
      const json = await cli(['scan', '--snapshot', EXAMPLE, '--rules', 'rule.yaml', '--no-builtin-rules', '--format', 'json', '--quiet'], { cwd: dir });
      const results = json.stdout.split('\n').filter((l) => l.includes('"ruleId"')).map((l) => JSON.parse(l.replace(/,$/, '')) as { status: string; message: string });
      expect(results.length).to.be.greaterThan(0);
      for (const x of results) expect(x, x.message).to.include({ status: 'fail' });
    });

    it('a parameter or placeholder named like an Object method is unknown', async () => {
      expectInputError(await withRule(`${HEAD}reads: [Trail]\ncheck:\n  Trail.Name: { const: { $param: toString } }\n`), /^rule\.yaml:9:24: unknown parameter "toString"/);
      expectInputError(await withRule(`${HEAD}reads: [Trail]\ncheck: { Trail.Name: { const: x } }\nmessage: { fail: "{param.constructor}" }\n`), /^rule\.yaml:9:18: the placeholder \{param\.constructor\} names no parameter/);
      const dir = tempDir();
      writeFileSync(join(dir, '.trailgate.yml'), 'parameters:\n  trails-per-region: { toString: 1, max: 1e400 }\n');
      expectInputError(await cli(['scan', '--snapshot', EXAMPLE], { cwd: dir }), /^\.trailgate\.yml:2:24: invalid config: unknown parameter "toString" for rule "trails-per-region"; it takes max/);
      writeFileSync(join(dir, '.trailgate.yml'), 'parameters:\n  trails-per-region: { max: 1e400 }\n');
      expectInputError(await cli(['scan', '--snapshot', EXAMPLE], { cwd: dir }), /got Infinity \(at \/parameters\/trails-per-region\/max\)$/);
    });

    it('an $async schema is refused: its validator answers a promise, which passed every trail and crashed on rejection', async () => {
      let rejected: unknown;
      const listen = (e: unknown) => (rejected = e);
      process.on('unhandledRejection', listen);
      try {
        const r = await withRule(`${HEAD}reads: [Trail]\ncheck:\n  Trail.Name: { $async: true, const: a }\n`);
        await new Promise((done) => setTimeout(done, 10));
        expectInputError(r, /^rule\.yaml:9:3: invalid JSON Schema: "\$async" is not supported in checks/);
        expect(rejected).to.equal(undefined);
      } finally {
        process.off('unhandledRejection', listen);
      }
    });

    // Ajv nests the code of each alternative (property, keyword) inside the one before; V8 parses a
    // validator on its first call, where a couple of thousand of them ran its parser out of stack
    // mid-scan: exit 70 and a stack trace. Where the limit falls depends on the stack: whatever the
    // size, a run finishes or the rule is refused at its line.
    it('a condition too large for JavaScript to run is refused at its line, never a crash mid-scan (was exit 70)', async function () {
      this.timeout(120_000);
      // Nor a megabyte of Ajv's generated code logged on standard error beside the message.
      const logged: unknown[] = [];
      const error = console.error;
      console.error = (...args: unknown[]) => void logged.push(args);
      try {
        for (const n of [1000, 1500, 2000, 3000, 6000]) {
          const alternatives = Array.from({ length: n }, (_, i) => `{ const: n${i} }`).join(', ');
          const r = await withRule(`${HEAD}reads: [Trail]\ncheck:\n  Trail.Name: { anyOf: [${alternatives}] }\n`);
          if (r.code !== 1) expectInputError(r, /^rule\.yaml:9:3: invalid JSON Schema: too large to run \(its validator nests deeper than JavaScript allows\); write a list of values as one enum, or split the condition into several \(at \/check\/Trail\.Name\)$/);
          expect(logged, `${n} alternatives`).to.deep.equal([]);
        }
      } finally {
        console.error = error;
      }
    });

    it('a value nested thousands of levels deep is shown in a failure message cut short, not a crash (JSON.stringify ran out of stack: exit 70)', async () => {
      const dir = tempDir();
      const deep = `${'['.repeat(10_000)}${']'.repeat(10_000)}`;
      writeFileSync(join(dir, 'inv.json'), `{"version":1,"accounts":[{"accountId":"123456789012","regions":["us-east-1"],"trails":[{"Trail":{"Name":"t","TrailARN":"${ARN}","HomeRegion":"us-east-1","Extra":${deep}}}]}]}`);
      writeFileSync(join(dir, 'r1.yaml'), `${HEAD.replace('my-rule', 'rule-1')}reads: [Trail]\ncheck:\n  Trail.Extra: { maxItems: 0 }\n`);
      writeFileSync(join(dir, 'r2.yaml'), `${HEAD.replace('my-rule', 'rule-2')}reads: [Trail]\ncheck:\n  Trail.Extra: { type: string }\nmessage:\n  fail: "extra {Trail.Extra}"\n`);
      const r = await cli(['scan', '--snapshot', 'inv.json', '--rules', '.', '--no-builtin-rules', '--format', 'json=out.json', '--quiet'], { cwd: dir });
      expect(r.code, r.stderr).to.equal(1);
      const shown = `${'['.repeat(77)}...`;
      const results = JSON.parse(readFileSync(join(dir, 'out.json'), 'utf8')).results as { ruleId: string; message: string }[];
      expect(results.map((x) => [x.ruleId, x.message])).to.deep.equal([
        ['rule-1', `Trail.Extra must NOT have more than 0 items (found ${shown})`],
        ['rule-2', `extra ${shown}`],
      ]);
    });

    it('so is one in a bucket policy the built-in rules read, and an inventory version nested so deep is refused at its line (both were exit 70)', async () => {
      const dir = tempDir();
      const deep = `${'['.repeat(10_000)}${']'.repeat(10_000)}`;
      const shown = `${'['.repeat(77)}...`;
      const trail = `{"Trail":{"Name":"t","TrailARN":"${ARN}","HomeRegion":"us-east-1","S3BucketName":"b"},"Status":{"IsLogging":true}}`;
      const policy = (version: string, effect: string) => `{"Version":${version},"Statement":[{"Effect":${effect},"Principal":{"Service":"cloudtrail.amazonaws.com"},"Action":"s3:*","Resource":"*"}]}`;
      for (const [version, effect, problem] of [
        [deep, '"Allow"', `unknown policy Version ${shown}`],
        ['"2012-10-17"', deep, `Statement[0]: Effect must be "Allow" or "Deny", not ${shown}`],
      ]) {
        writeFileSync(join(dir, 'inv.json'), `{"version":1,"accounts":[{"accountId":"123456789012","regions":["us-east-1"],"trails":[${trail}]}],"buckets":{"b":{"Region":"us-east-1","RequestPayer":"BucketOwner","Policy":${policy(version, effect)}}}}`);
        const r = await cli(['scan', '--snapshot', 'inv.json', '--only', 'bucket-delivery', '--format', 'json=out.json', '--quiet'], { cwd: dir });
        expect(r.code, r.stderr).to.equal(3);
        const results = JSON.parse(readFileSync(join(dir, 'out.json'), 'utf8')).results as { message: string }[];
        expect(results.map((x) => x.message)).to.deep.equal([`the policy of bucket b cannot be evaluated: ${problem}`]);
      }
      writeFileSync(join(dir, 'inv.json'), `{"version":${deep},"accounts":[]}`);
      expectInputError(await cli(['scan', '--snapshot', 'inv.json'], { cwd: dir }), new RegExp(`^inv\\.json:1:12: unsupported inventory version \\[{77}\\.\\.\\.; this trailgate reads version 1 \\(at /version\\)$`));
    });

    it('a refused pattern is quoted as written, its backslashes doubled once on the terminal as every backslash is, not twice', async () => {
      const r = await withRule(`${HEAD}reads: [Trail]\ncheck:\n  Trail.Name: { pattern: '^(?=[a-z]+\\.)x$' }\n`);
      expectInputError(r, /^rule\.yaml:9:17: invalid JSON Schema: pattern "\^\(\?=\[a-z\]\+\\\\\.\)x\$" is refused: /);
      expect(r.stderr).to.include('RE2 has no lookahead, lookbehind or backreferences');
    });

    it('a pattern JavaScript takes and RE2 refuses for another reason than lookaround is refused for that reason', async () => {
      const r = await withRule(`${HEAD}reads: [Trail]\ncheck:\n  Trail.Name: { pattern: '^a{2000}$' }\n`);
      expectInputError(r, /^rule\.yaml:9:17: invalid JSON Schema: pattern "\^a\{2000\}\$" is refused: /);
      expect(r.stderr).to.include('RE2 cannot take this one (error parsing regexp: invalid repeat count: `{2000}`)');
      expect(r.stderr).to.not.include('lookahead');
    });

    // JavaScript's RegExp backtracks: these took seconds to hours on forty-odd characters. RE2's
    // time grows linearly, so each gives its verdict at once. No timed assertion (timings belong
    // to the benchmarks): the timeout only stops a hang.
    it('patterns that backtrack exponentially or polynomially in JavaScript give their verdict on a crafted name at once', async function () {
      this.timeout(60_000);
      const name = 'a'.repeat(60);
      const dir = tempDir();
      const inv = { version: 1, accounts: [{ accountId: '123456789012', regions: ['us-east-1'], trails: [{ Trail: { Name: name, TrailARN: `arn:aws:cloudtrail:us-east-1:123456789012:trail/${name}`, HomeRegion: 'us-east-1' } }] }] };
      writeFileSync(join(dir, 'inv.json'), JSON.stringify(inv));
      const patterns = ['^(a+)+$', '^(a|aa)*b$', '^(a|a)*b$', '^a*a*a*a*a*a*a*a*a*a*a*a*b$', '^(\\w+\\s?)*b$', '^([a-z]+-?)*b$'];
      for (const [i, pattern] of patterns.entries()) {
        writeFileSync(join(dir, `r${i}.yaml`), `${HEAD.replace('my-rule', `rule-${i}`)}reads: [Trail]\ncheck:\n  Trail.Name: { pattern: ${JSON.stringify(pattern)} }\n`);
      }
      const r = await cli(['scan', '--snapshot', 'inv.json', '--rules', '.', '--no-builtin-rules', '--format', 'json=out.json', '--quiet'], { cwd: dir });
      expect(r.code, r.stderr).to.equal(1);
      const results = JSON.parse(readFileSync(join(dir, 'out.json'), 'utf8')).results as { ruleId: string; status: string }[];
      // As JavaScript would answer, given the time: only ^(a+)+$ matches sixty `a`s.
      const expected = patterns.map((_, i) => [`rule-${i}`, i === 0 ? 'pass' : 'fail']);
      expect(results.map((x) => [x.ruleId, x.status])).to.deep.equal(expected);
    });
  });

  it('a suppression with many stars against a long trail name ends at once (the RegExp it was took minutes)', async function () {
    // No timed assertion (timings belong to the benchmarks): the timeout only stops a hang.
    this.timeout(30_000);
    const name = 'a'.repeat(128); // CloudTrail's longest name
    const dir = tempDir();
    const inv = { version: 1, accounts: [{ accountId: '123456789012', regions: ['us-east-1'], trails: [{ Trail: { Name: name, TrailARN: `arn:aws:cloudtrail:us-east-1:123456789012:trail/${name}`, HomeRegion: 'us-east-1' } }] }] };
    writeFileSync(join(dir, 'inv.json'), JSON.stringify(inv));
    writeFileSync(join(dir, '.trailgate.yml'), 'suppressions:\n  - { rule: "*", resource: "*a*a*a*a*a*a*a*a*b", reason: x }\n');
    const r = await cli(['scan', '--snapshot', 'inv.json', '--format', 'json=out.json', '--quiet'], { cwd: dir });
    expect(r.code, r.stderr).to.equal(1);
    expect(globMatch('*a*a*a*a*a*a*a*a*b', `${'a'.repeat(100_000)}c`)).to.equal(false);
    expect(globMatch('*a*b*', `${'a'.repeat(100_000)}b`)).to.equal(true);
  });

  it('an account with 200,000 regions is validated in linear time (uniqueItems over a $ref compared every pair: 80 s for 100,000)', async function () {
    // Pairwise comparison would take over five minutes here; the timeout, no timed assertion, catches it.
    this.timeout(60_000);
    const dir = tempDir();
    const regions = Array.from({ length: 200_000 }, (_, i) => `us-east-${i}`);
    writeFileSync(join(dir, 'inv.json'), JSON.stringify({ version: 1, accounts: [{ accountId: '123456789012', regions, trails: [] }] }));
    const r = await cli(['scan', '--snapshot', 'inv.json', '--only', 'kms-encryption', '--format', 'json=out.json', '--quiet'], { cwd: dir });
    expect(r.code, r.stderr).to.be.oneOf([0, 1, 3]);
    writeFileSync(join(dir, 'dup.json'), JSON.stringify({ version: 1, accounts: [{ accountId: '123456789012', regions: ['us-east-1', 'eu-west-1', 'us-east-1'], trails: [] }] }));
    expectInputError(await cli(['scan', '--snapshot', 'dup.json'], { cwd: dir }), /^dup\.json:1:\d+: invalid inventory: must NOT have duplicate items/);
  });

  describe('command line', () => {
    it('--format FMT=DIR/ is refused before anything is written, instead of writing a file named DIR', async () => {
      for (const spec of ['json=reports/', 'sarif=.', 'junit=out/..']) {
        const dir = tempDir();
        const r = await cli(['scan', '--snapshot', EXAMPLE, '--format', 'text=first.txt', '--format', spec], { cwd: dir });
        expectInputError(r, /names a directory, not a file; write \w+=.*\/trailgate\.\w+, for example$/);
        expect(existsSync(join(dir, 'reports')), spec).to.equal(false);
        expect(existsSync(join(dir, 'first.txt')), spec).to.equal(false);
      }
      const dir = tempDir();
      writeFileSync(join(dir, '.trailgate.yml'), 'formats:\n  - text\n  - json=reports/\n');
      expectInputError(await cli(['scan', '--snapshot', EXAMPLE], { cwd: dir }), /^\.trailgate\.yml:3:5: invalid config: the `formats` entry json=reports\/ names a directory/);
    });

    it("the config's formats are located when they clash", async () => {
      const dir = tempDir();
      writeFileSync(join(dir, '.trailgate.yml'), 'formats: [json, sarif]\n');
      expectInputError(await cli(['scan', '--snapshot', EXAMPLE], { cwd: dir }), /^\.trailgate\.yml:1:17: invalid config: only one format may write to standard output/);
      writeFileSync(join(dir, '.trailgate.yml'), 'formats: [json, text, sarif=-]\n');
      expectInputError(await cli(['scan', '--snapshot', EXAMPLE], { cwd: dir }), /^\.trailgate\.yml:1:23: invalid config: only one format may write to standard output/);
      writeFileSync(join(dir, '.trailgate.yml'), 'formats: [json=a.json, sarif=./a.json]\n');
      expectInputError(await cli(['scan', '--snapshot', EXAMPLE], { cwd: dir }), /^\.trailgate\.yml:1:24: invalid config: two formats write to the same file a\.json/);
    });

    // Found only once the files are looked at (checkReportTargets): they named `--format`, which
    // nobody typed, and no place in the file.
    it("the config's formats that clash with a file are located and said of the key", async () => {
      const dir = tempDir();
      copyFileSync(EXAMPLE, join(dir, 'org.yaml'));
      writeFileSync(join(dir, 'x.json'), '');
      symlinkSync('x.json', join(dir, 'link.json'));
      mkdirSync(join(dir, 'out'));
      const located = async (formats: string) => {
        writeFileSync(join(dir, '.trailgate.yml'), `formats: ${formats}\n`);
        const r = await cli(['scan', '--snapshot', 'org.yaml'], { cwd: dir });
        expect(r.code, r.stderr).to.equal(2);
        return r.stderr;
      };
      expect(await located('[text=x.txt, json=org.yaml]')).to.equal('trailgate: .trailgate.yml:1:23: invalid config: the `formats` entry json=org.yaml would overwrite the inventory org.yaml; give each report its own file (at /formats/1)\n');
      expect(await located('[json=x.json, junit=link.json]')).to.equal('trailgate: .trailgate.yml:1:24: invalid config: the `formats` entry junit=link.json would overwrite the json report x.json; give each report its own file (at /formats/1)\n');
      expect(await located('[sarif=out]')).to.equal('trailgate: .trailgate.yml:1:11: invalid config: the `formats` entry sarif=out names a directory, not a file; write sarif=out/trailgate.sarif, for example (at /formats/0)\n');
      // Given on the command line, the same mistakes name the flag, and no place in the config.
      const flag = await cli(['scan', '--snapshot', 'org.yaml', '--format', 'json=org.yaml'], { cwd: dir });
      expect(flag.stderr).to.equal('trailgate: --format json=org.yaml would overwrite the inventory org.yaml; give each report its own file\n');
    });

    // The advice named the folder as the working directory reaches it (`write json=ci/reports/...`):
    // written into ci/trailgate.yml, whose paths are relative to ci/, it sent the report to ci/ci/reports/.
    it("a config file in another folder is told what to write in its own terms", async () => {
      const dir = tempDir();
      copyFileSync(EXAMPLE, join(dir, 'org.yaml'));
      mkdirSync(join(dir, 'ci', 'reports'), { recursive: true });
      mkdirSync(join(dir, 'ci', 'out'));
      const told = async (config: string) => {
        writeFileSync(join(dir, 'ci', 'trailgate.yml'), config);
        const r = await cli(['scan', '--config', 'ci/trailgate.yml'], { cwd: dir, env: { AWS_ACCESS_KEY_ID: 'x', AWS_SECRET_ACCESS_KEY: 'y', AWS_ENDPOINT_URL: 'http://127.0.0.1:9' } });
        expect(r.code, r.stderr).to.equal(2);
        return r.stderr;
      };
      expect(await told('snapshots: [../org.yaml]\nformats: [json=reports/]\n')).to.equal(
        'trailgate: ci/trailgate.yml:2:11: invalid config: the `formats` entry json=ci/reports/ names a directory, not a file; write json=reports/trailgate.json, for example (at /formats/0)\n',
      );
      expect(await told('snapshots: [../org.yaml]\nformats: [sarif=.]\n')).to.equal(
        'trailgate: ci/trailgate.yml:2:11: invalid config: the `formats` entry sarif=ci names a directory, not a file; write sarif=./trailgate.sarif, for example (at /formats/0)\n',
      );
      expect(await told('regions: [us-east-1]\nsaveSnapshot: out\n')).to.equal(
        'trailgate: ci/trailgate.yml:2:15: invalid config: `saveSnapshot` ci/out names a directory, not a file; write `saveSnapshot` out/snapshot.json, for example (at /saveSnapshot)\n',
      );
      // Written as it says, the report goes where the advice meant.
      writeFileSync(join(dir, 'ci', 'trailgate.yml'), 'snapshots: [../org.yaml]\nformats: [json=reports/trailgate.json]\n');
      expect((await cli(['scan', '--config', 'ci/trailgate.yml'], { cwd: dir })).code).to.equal(1);
      expect(existsSync(join(dir, 'ci', 'reports', 'trailgate.json'))).to.equal(true);
    });

    // The folder was found through a RegExp of it, which V8 refuses past some 60,000 characters (exit 70).
    it('the advice for a formats entry of a very long folder path is given, not a crash', async () => {
      const dir = tempDir();
      const folder = 'a/'.repeat(40_000);
      writeFileSync(join(dir, '.trailgate.yml'), `formats: ["json=./${folder}"]\n`);
      const r = await cli(['scan', '--snapshot', EXAMPLE], { cwd: dir });
      expect(r.code, r.stderr.slice(0, 300)).to.equal(2);
      // Compared as text, and shown cut short when it differs: the folder alone is 80,000 characters.
      const expected = `trailgate: .trailgate.yml:1:11: invalid config: the \`formats\` entry json=${folder} names a directory, not a file; write json=./${folder}trailgate.json, for example (at /formats/0)\n`;
      expect(r.stderr === expected, r.stderr.slice(0, 300)).to.equal(true);
    });

    it('an empty file argument is named as such, not read as the working directory (": cannot read ...: is a directory")', async () => {
      for (const flag of ['--snapshot', '--rules', '--config', '--baseline']) {
        const args = flag === '--snapshot' ? ['scan', flag, ''] : ['scan', '--snapshot', EXAMPLE, flag, ''];
        expectInputError(await cli(args, { cwd: tempDir() }), new RegExp(`^option '${flag} <\\w+>' argument '' is invalid\\. An empty argument names no file\\.`));
      }
      expectInputError(await cli(['rules', '--config', ''], { cwd: tempDir() }), /^option '--config <file>' argument '' is invalid/);
      // Refused as the argument it is, before any AWS call, by `snapshot` too.
      expectInputError(await cli(['snapshot', '--config', ''], { cwd: tempDir() }), /^option '--config <file>' argument '' is invalid\. An empty argument names no file\./);
      expectInputError(await cli(['snapshot', '-o', ''], { cwd: tempDir() }), /^option '-o, --output <file>' argument '' is invalid\. An empty argument names no file\./);
    });

    it("commander's suggestion stays on the message's line", async () => {
      expectInputError(await cli(['scan', '--color']), /^unknown option '--color' \(Did you mean --no-color\?\) \(see trailgate --help\)$/);
    });
  });
});
