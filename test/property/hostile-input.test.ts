/**
 * Random hostile input at the boundaries a user controls: rule files, the config file and the
 * command line. Whatever comes in, the answer is a located InputError (exit 2, one line) or a
 * run that finishes; never a crash, a stack trace, a hang or a report left from a run that could
 * not start. The named cases fuzzing found are in test/cli/hostile-input.test.ts.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import fc from 'fast-check';
import { parse, stringify } from 'yaml';
import { parseConfig } from '../../src/config/load.ts';
import { evaluate } from '../../src/engine/evaluate.ts';
import { globMatch } from '../../src/engine/suppress.ts';
import { InputError } from '../../src/errors.ts';
import { loadInventories } from '../../src/inventory/load.ts';
import { loadRules } from '../../src/rules/load.ts';
import { cli, REPO, tempDir } from '../helpers/cli.ts';

const EXAMPLE = join(REPO, 'examples', 'organization.yaml');
const INVENTORY = loadInventories([EXAMPLE]).inventory;

/** Every rule the repository has, as written: the user-rule fixtures and the built-in rules. */
const SEEDS: { name: string; text: string }[] = [
  ...['test/fixtures/user-rules', 'test/fixtures/user-rules/where', 'rules'].flatMap((dir) =>
    readdirSync(join(REPO, dir))
      .filter((f) => f.endsWith('.yaml'))
      .map((f) => ({ name: `${dir}/${f}`, text: readFileSync(join(REPO, dir, f), 'utf8') })),
  ),
];

/** Values that have broken parsers and loaders elsewhere: wrong types, extremes, names of Object methods, schema corner cases. */
const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(
    null,
    true,
    false,
    0,
    -1,
    1.5,
    -0.5,
    1e300,
    Infinity,
    -Infinity,
    NaN,
    Number.MAX_SAFE_INTEGER + 2,
    '',
    ' ',
    'toString',
    'constructor',
    '__proto__',
    '{Trail.Name}',
    '{Trail.constructor}',
    '{param.max}',
    '{param.toString}',
    '{facts.hasOwnProperty}',
    '{reason}',
    'x'.repeat(5000),
    [],
    {},
    [[[]]],
    { $ref: '#' },
    { $ref: '#/definitions/nope' },
    { $ref: 'https://example.com/schema.json' },
    { $ref: 'file:///etc/passwd' },
    { $async: true },
    { $param: 'max' },
    { $param: 'toString' },
    { pattern: '^(a|aa)*b$' },
    { pattern: '^(a+)+$' },
    { pattern: '(?<=a)b' },
    { pattern: '[' },
    { pattern: '\\p{L}+' },
    { format: 'email' },
    { cosnt: 1 },
    { not: { not: { not: { not: {} } } } },
    { type: 'strng' },
    { minLength: -1 },
    { multipleOf: 0 },
    { properties: { a: { $ref: '#' } } },
    { 'facts.toString': true },
    { 'Trail.constructor': true },
    { 'Bucket.valueOf': false },
  ),
  fc.integer(),
  fc.double(),
  fc.string({ maxLength: 20 }),
  fc.array(fc.string({ maxLength: 8 }), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 12 }), fc.constantFrom<unknown>(1, 'a', null, {}, true), { maxKeys: 3 }),
);

type Mutation = { path: number[]; kind: 'replace' | 'delete' | 'add' | 'rename' | 'wrap'; value: unknown; key: string };

const mutation: fc.Arbitrary<Mutation> = fc.record({
  path: fc.array(fc.nat(), { minLength: 0, maxLength: 5 }),
  kind: fc.constantFrom('replace', 'delete', 'add', 'rename', 'wrap'),
  value: hostileValue,
  key: fc.constantFrom('id', 'check', 'some', 'count', 'where', 'reads', 'parameters', 'message', 'max', 'min', 'Trail.Name', 'facts.owned', 'Status.IsLogging?', 'unknownKey', 'toString', '$ref', 'pattern', 'const'),
});

/** Applies a mutation at the node a path of child indices walks to (each index taken modulo the node's size). */
function mutate(doc: unknown, m: Mutation): unknown {
  const root = structuredClone(doc);
  let parent: Record<string, unknown> | unknown[] | undefined;
  let slot: string | number | undefined;
  let node: unknown = root;
  for (const step of m.path) {
    if (node === null || typeof node !== 'object') break;
    const keys = Array.isArray(node) ? node.map((_, i) => i) : Object.keys(node);
    if (keys.length === 0) break;
    parent = node as Record<string, unknown>;
    slot = keys[step % keys.length];
    node = (node as Record<string, unknown>)[slot];
  }
  const at = parent as Record<string | number, unknown> | undefined;
  if (at === undefined || slot === undefined) {
    if (m.kind === 'add' && root !== null && typeof root === 'object' && !Array.isArray(root)) (root as Record<string, unknown>)[m.key] = m.value;
    return m.kind === 'replace' ? m.value : root;
  }
  switch (m.kind) {
    case 'replace':
      at[slot] = m.value;
      break;
    case 'delete':
      if (Array.isArray(at)) at.splice(slot as number, 1);
      else delete at[slot];
      break;
    case 'add':
      if (node !== null && typeof node === 'object' && !Array.isArray(node)) (node as Record<string, unknown>)[m.key] = m.value;
      else if (Array.isArray(node)) node.push(m.value);
      break;
    case 'rename':
      if (!Array.isArray(at)) {
        const value = at[slot];
        delete at[slot];
        at[m.key] = value;
      }
      break;
    case 'wrap':
      at[slot] = [at[slot]];
      break;
  }
  return root;
}

/** Text edits YAML parsers and decoders trip on. */
const textEdit = fc.record({
  at: fc.nat(),
  insert: fc.constantFrom('\t', '\r', '\r\n', '\ufeff', ': ', '&a ', '*a', '<<: *a\n', '---\n', '{', ']', '"', "'", '\x00', '\x1b[2J', '#', '? ', '- ', '!!binary ', '%YAML 1.1\n', '\n  ', 'é', '😀'),
  bytes: fc.constantFrom(undefined, Buffer.from([0xff]), Buffer.from([0xc3]), Buffer.from([0xfe, 0xff])),
});

/** Loads one rule file; a rule that loads is evaluated on the example inventory. Returns what happened. */
function loadAndRun(dir: string, file: string): 'loaded' | InputError {
  let rules;
  try {
    rules = loadRules({ builtin: false, paths: [join(dir, file)], cwd: dir });
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    return e;
  }
  for (const r of evaluate(rules, INVENTORY)) expect(['pass', 'fail', 'error', 'skipped']).to.include(r.status);
  return 'loaded';
}

function expectLocated(e: InputError | 'loaded', file: string): void {
  if (e === 'loaded') return;
  expect(e.position?.file, e.message).to.equal(file);
  expect(e.position?.line, e.describe()).to.be.a('number');
  expect(e.position?.column, e.describe()).to.be.a('number');
}

describe('hostile input (property)', () => {
  it('a mutated rule file loads and evaluates, or is refused at its line and column', function () {
    this.timeout(10000);
    const dir = tempDir();
    fc.assert(
      fc.property(fc.constantFrom(...SEEDS), fc.array(mutation, { minLength: 1, maxLength: 3 }), (seed, mutations) => {
        const doc = mutations.reduce((d, m) => mutate(d, m), parse(seed.text) as unknown);
        writeFileSync(join(dir, 'rule.yaml'), stringify(doc) ?? '');
        expectLocated(loadAndRun(dir, 'rule.yaml'), 'rule.yaml');
      }),
      // Each run compiles and evaluates a rule (about 30 ms); FC_SEED=random explores further.
      { numRuns: 80 },
    );
  });

  it('a rule file edited as text (tabs, CR, BOM, anchors, document markers, bytes that are not UTF-8) is refused at a position, or loads and evaluates', function () {
    this.timeout(10000);
    const dir = tempDir();
    fc.assert(
      fc.property(fc.constantFrom(...SEEDS), fc.array(textEdit, { minLength: 1, maxLength: 4 }), (seed, edits) => {
        let bytes = Buffer.from(seed.text);
        for (const e of edits) {
          const at = e.at % (bytes.length + 1);
          bytes = Buffer.concat([bytes.subarray(0, at), e.bytes ?? Buffer.from(e.insert), bytes.subarray(at)]);
        }
        writeFileSync(join(dir, 'rule.yaml'), bytes);
        expectLocated(loadAndRun(dir, 'rule.yaml'), 'rule.yaml');
      }),
      // Each run compiles and evaluates a rule (about 30 ms); FC_SEED=random explores further.
      { numRuns: 80 },
    );
  });

  it('a mutated config file is accepted, or refused at its line and column', () => {
    const seed = {
      rules: ['policies'],
      skip: ['insights-enabled'],
      failOn: 'medium',
      parameters: { 'trails-per-region': { max: 4 } },
      formats: ['text', 'sarif=reports/trailgate.sarif'],
      suppressions: [{ rule: 'kms-encryption', resource: '444455556666', reason: 'Sandbox', owner: 'platform', expires: '2027-03-31' }],
      baseline: 'baseline.json',
    };
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 3 }), (mutations) => {
        const text = stringify(mutations.reduce((d, m) => mutate(d, m), seed as unknown)) ?? '';
        try {
          parseConfig(text, '.trailgate.yml', '/work', '/work');
        } catch (e) {
          if (!(e instanceof InputError)) throw e;
          expectLocated(e, '.trailgate.yml');
        }
      }),
      { numRuns: 300 },
    );
  });

  it('random command lines exit 0 to 3, an error told in lines that each start trailgate: (one per problem of a file, at most eleven), and a run that could not start leaves no report', async function () {
    this.timeout(30000);
    const token = fc.oneof(
      fc.constant(['--snapshot', EXAMPLE]),
      fc.constantFrom(['--snapshot'], ['--snapshot', ''], ['--snapshot', 'missing.json'], ['--snapshot', '-'], ['--snapshot', '.']),
      fc.constantFrom(['--rules', 'rules'], ['--rules', 'rules/bad.yaml'], ['--rules', 'none'], ['--rules', ''], ['--no-builtin-rules']),
      fc.constantFrom(['--format', 'json=out/a.json'], ['--format', 'sarif=b.sarif'], ['--format', 'junit=out/a.json'], ['--format', 'text'], ['--format', 'json'], ['--format', 'github']),
      fc.constantFrom(['--format', 'sarif='], ['--format', '=x'], ['--format', 'json=dir/'], ['--format', 'html'], ['--format', ''], ['--format', 'json=b.sarif']),
      fc.constantFrom(['--only', 'kms-encryption'], ['--only', 'nope'], ['--only', ''], ['--only', ',,'], ['--skip', 'kms-encryption,log-file-validation'], ['--skip', 'x']),
      fc.constantFrom(['--fail-on', 'high'], ['--fail-on', 'never'], ['--fail-on', 'HIGH'], ['--fail-on', ''], ['--fail-on']),
      fc.constantFrom(['--config', 'cfg.yml'], ['--config', 'missing.yml'], ['--config', ''], ['--baseline', 'base.json'], ['--baseline', 'bad.json'], ['--baseline', '']),
      fc.constantFrom(['--compliance', 'aws-fsbp'], ['--compliance', 'nope'], ['--verbose'], ['--quiet'], ['--no-color'], ['--region', 'us-east-1'], ['--save-snapshot', 's.json']),
      fc.constantFrom(['--frob'], ['extra'], ['-x'], ['--color'], ['--help']),
    );
    const dir = tempDir();
    mkdirSync(join(dir, 'rules'));
    writeFileSync(join(dir, 'rules', 'ok.yaml'), 'id: named-main\ntitle: t\nseverity: low\nscope: trail\ndescription: d\nremediation: { text: r }\nreads: [Trail]\ncheck: { Trail.Name: { const: main } }\n');
    writeFileSync(join(dir, 'rules', 'bad.yaml'), 'id: Bad\n');
    writeFileSync(join(dir, 'cfg.yml'), 'failOn: high\nformats: [json=cfg-report.json]\n');
    writeFileSync(join(dir, 'base.json'), '{"results": []}');
    writeFileSync(join(dir, 'bad.json'), '{"results": {}}');
    const before = new Set(readdirSync(dir));
    const reports = ['out', 'b.sarif', 'cfg-report.json', 'dir', 's.json'];
    await fc.assert(
      fc.asyncProperty(fc.array(token, { minLength: 1, maxLength: 6 }), async (tokens) => {
        for (const f of reports) expect(existsSync(join(dir, f)), `leftover ${f}`).to.equal(false);
        const r = await cli(['scan', ...tokens.flat()], { cwd: dir, stdin: '' });
        try {
          expect([0, 1, 2, 3], r.stderr).to.include(r.code);
          expect(r.stderr).to.not.match(/\n\s+at |internal error/);
          if (r.code === 2) {
            const lines = r.stderr.trimEnd().split('\n');
            // A rule or config file with several mistakes gets a line for each (ten, then a count).
            expect(lines.length, r.stderr).to.be.within(1, 11);
            for (const line of lines) expect(line).to.match(/^trailgate: \S/);
            const left = readdirSync(dir).filter((f) => !before.has(f));
            expect(left, `${tokens.flat().join(' ')}: ${r.stderr}`).to.deep.equal([]);
          }
        } finally {
          for (const f of readdirSync(dir)) if (!before.has(f)) rmSync(join(dir, f), { recursive: true, force: true });
        }
      }),
      { numRuns: 40 },
    );
  });

  it('a suppression glob matches as the RegExp it replaced would', () => {
    const oracle = (pattern: string, text: string) => new RegExp(`^${pattern.split('*').map((p) => p.replace(/[\\^$.|?+()[\]{}]/g, '\\$&')).join('[\\s\\S]*')}$`).test(text);
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('a', 'b', '*', '.', '/'), maxLength: 10 }), fc.string({ unit: fc.constantFrom('a', 'b', '.', '/'), maxLength: 14 }), (pattern, text) => {
        expect(globMatch(pattern, text), `${pattern} ~ ${text}`).to.equal(oracle(pattern, text));
      }),
      { numRuns: 2000 },
    );
  });
});
