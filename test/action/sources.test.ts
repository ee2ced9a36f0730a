/**
 * What the Action decides itself, around the CLI's run, tested on its sources in-process
 * (test/action/action.test.ts runs the committed bundle, which is rebuilt from these).
 */
import { assert } from 'chai';
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { inputWording, scanArguments } from '../../src/action/inputs.ts';
import { isRuntimeDescriptor } from '../../src/input/descriptors.ts';
import { orgScenario, ROLE } from '../collect/world.ts';
import { CORE, REPO, workspace } from '../config/run.ts';
import { startFakeAws } from '../fake-aws/server.ts';
import { fakeAwsStepEnv, runActionInProcess, type ActionRun } from './runner.ts';
import { tempDir } from '../helpers/cli.ts';

/** A run stopped by an input mistake: exit 2, and an annotation that says `words` and names no CLI flag. */
function assertInputMistake(r: ActionRun, words: string): void {
  assert.strictEqual(r.code, 2, r.stdout + r.stderr);
  assert.strictEqual(r.outputs['exit-code'], '2');
  // At the line of a file of the workspace when the mistake is in one (file=...,line=...), else on the step.
  const annotations = r.stdout.split('\n').filter((l) => l.startsWith('::error '));
  assert.lengthOf(annotations, 1, r.stdout);
  assert.match(annotations[0]!, /^::error (file=[^,]+,line=\d+,col=\d+,)?title=/);
  assert.include(annotations[0], `title=trailgate could not run::trailgate: ${words}`);
  for (const text of [annotations[0], r.stderr]) {
    assert.notMatch(text, /(?<![\w-])--[a-z]/, 'no flag the workflow never wrote');
    assert.notInclude(text, 'trailgate --help');
  }
}

/**
 * Runs `action` against the fake AWS endpoint, with credentials for it. In-process, the SDK reads
 * them from this process's environment, so they are set there too, and put back afterwards.
 */
async function withFakeAws(action: (env: Record<string, string>) => Promise<ActionRun>): Promise<ActionRun> {
  const fake = await startFakeAws(orgScenario());
  const env = fakeAwsStepEnv(fake.url);
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, env);
  try {
    return await action(env);
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    await fake.stop();
  }
}

describe('the GitHub Action (its sources, in-process)', function () {
  this.timeout(30_000);

  // In a pull request GitHub shows such an annotation on the line itself, not only in the log.
  describe('mistakes in files of the repository', () => {
    it('are annotated each at its line of the file, named from the repository root', async () => {
      const dir = workspace();
      mkdirSync(join(dir, 'audit'));
      writeFileSync(join(dir, 'audit', 'org.yaml'), readFileSync(join(dir, 'org.yaml')));
      writeFileSync(join(dir, 'audit', 'ci.yml'), 'snapshots: [org.yaml]\nfail-on: high\nconcurrency: 0\n');
      const r = await runActionInProcess(dir, { 'working-directory': 'audit', config: 'ci.yml' });
      assert.strictEqual(r.code, 2, r.stderr);
      const annotations = r.stdout.split('\n').filter((l) => l.startsWith('::error '));
      assert.deepStrictEqual(annotations, [
        '::error file=audit/ci.yml,line=2,col=1,title=trailgate could not run::trailgate: ci.yml:2:1: invalid config: unknown key "fail-on"; did you mean "failOn"? (at /fail-on)',
        '::error file=audit/ci.yml,line=3,col=14,title=trailgate could not run::trailgate: ci.yml:3:14: invalid config: must be >= 1 (at /concurrency)',
      ]);
    });

    it('beyond ten, the count of the others rides with the tenth', async () => {
      const only = Array.from({ length: 12 }, (_, i) => `Bad${i}`).join(', ');
      const r = await runActionInProcess(workspace({ '.trailgate.yml': `snapshots: [org.yaml]\nonly: [${only}]\n` }), {});
      assert.strictEqual(r.code, 2, r.stderr);
      const annotations = r.stdout.split('\n').filter((l) => l.startsWith('::error '));
      assert.lengthOf(annotations, 10);
      for (const a of annotations) assert.match(a, /^::error file=\.trailgate\.yml,line=2,col=\d+,title=trailgate could not run::trailgate: \.trailgate\.yml:2:\d+: invalid config: /);
      assert.match(annotations[9]!, /%0Atrailgate: \.trailgate\.yml: 2 more problems not shown$/);
    });

    it('a mistake in a file outside the workspace keeps the one annotation on the step', async () => {
      const outside = join(tempDir('trailgate-outside-'), 'ci.yml');
      writeFileSync(outside, 'snapshots: [org.yaml]\nfail-on: high\n');
      const r = await runActionInProcess(workspace(), { config: outside });
      assert.strictEqual(r.code, 2, r.stderr);
      const annotations = r.stdout.split('\n').filter((l) => l.startsWith('::error '));
      assert.lengthOf(annotations, 1, r.stdout);
      assert.match(annotations[0]!, /^::error title=trailgate could not run::trailgate: \S*ci\.yml:2:1: invalid config: unknown key "fail-on"/);
    });

    it('a mistake in a file whose name holds ESC or a bidi control keeps the one annotation on the step, with no raw control in the log', async () => {
      // The runner reads `file` as a path: escaped, it would name another file; raw, the log gets ESC.
      const name = 'ci\x1b[2J\u202e.yml';
      const r = await runActionInProcess(workspace({ [name]: 'snapshots: [org.yaml]\nfail-on: high\n' }), { config: name });
      assert.strictEqual(r.code, 2, r.stderr);
      const annotations = r.stdout.split('\n').filter((l) => l.startsWith('::error '));
      assert.deepStrictEqual(annotations, ['::error title=trailgate could not run::trailgate: ci\\x1b[2J\\u202e.yml:2:1: invalid config: unknown key "fail-on"; did you mean "failOn"? (at /fail-on)']);
      assert.notInclude(r.stdout, '\x1b');
      assert.notInclude(r.stdout, '\u202e');
    });
  });

  describe('GITHUB_OUTPUT that cannot be written', () => {
    for (const [what, output] of [
      ['a missing directory', (dir: string) => join(dir, 'gone', 'output')],
      ['a directory', (dir: string) => dir],
    ] as const) {
      it(`(${what}) is an error annotation naming the file and why, and exit 2, not a crash`, async () => {
        const runner = tempDir('trailgate-runner-');
        const file = output(runner);
        const r = await runActionInProcess(workspace(), { snapshots: 'org.yaml', only: CORE }, { GITHUB_OUTPUT: file });
        assert.strictEqual(r.code, 2, r.stderr);
        const annotation = r.stdout.split('\n').filter((l) => l.startsWith('::error title='));
        assert.lengthOf(annotation, 1, r.stdout);
        assert.include(annotation[0], `::error title=trailgate could not write the step outputs::trailgate: cannot write the step outputs to GITHUB_OUTPUT (${file}): `);
        assert.match(annotation[0], what === 'a directory' ? /: is a directory, not a file$/ : /: no such file or directory$/);
        assert.notInclude(r.stderr, 'internal error');
        assert.notInclude(r.stderr, '    at ', 'no stack trace');
        assert.include(r.summary, '## trailgate', 'the step summary is still written');
        // Its first line gives the run's exit code (1): the step's end is added below it.
        assert.match(r.summary, /\nThe step ends with exit 2: its outputs could not be written to GITHUB_OUTPUT\.\n$/);
      });
    }

    it('escapes the file name in the annotation, so it cannot end the command early', async () => {
      const file = join(tempDir('trailgate-runner-'), 'gone%0A\n::warning::x', 'output');
      const r = await runActionInProcess(workspace(), { snapshots: 'org.yaml', only: CORE }, { GITHUB_OUTPUT: file });
      assert.strictEqual(r.code, 2, r.stderr);
      assert.notMatch(r.stdout, /^::warning::x/m);
      assert.include(r.stdout, 'gone%250A\\n::warning::x');
    });

    // Two annotations were one more than the slot the run leaves free: with 9 results annotated, GitHub dropped the second.
    it('also when the run itself failed: exit 2 and both reasons, in one annotation', async () => {
      const r = await runActionInProcess(workspace(), { snapshots: 'missing.yaml' }, { GITHUB_OUTPUT: '/nonexistent/trailgate-output' });
      assert.strictEqual(r.code, 2);
      const annotations = r.stdout.split('\n').filter((l) => l.startsWith('::error'));
      assert.lengthOf(annotations, 1, r.stdout);
      assert.match(annotations[0], /^::error title=trailgate could not run or write the step outputs::trailgate: missing\.yaml: .*%0Atrailgate: cannot write the step outputs to GITHUB_OUTPUT \(\/nonexistent\/trailgate-output\)/);
    });

    // Mistakes at lines of the config are annotated there only when nothing else went wrong: the
    // outputs that could not be written would otherwise be said nowhere but in the log.
    it('also when the run failed on mistakes at lines of a file: one annotation that names them and the outputs', async () => {
      const r = await runActionInProcess(workspace({ '.trailgate.yml': 'snapshots: [org.yaml]\nfail-on: high\nconcurrency: 0\n' }), {}, { GITHUB_OUTPUT: '/nonexistent/trailgate-output' });
      assert.strictEqual(r.code, 2);
      const annotations = r.stdout.split('\n').filter((l) => l.startsWith('::error'));
      assert.lengthOf(annotations, 1, r.stdout);
      assert.match(
        annotations[0],
        /^::error title=trailgate could not run or write the step outputs::trailgate: \.trailgate\.yml:2:1: invalid config: unknown key "fail-on".*%0Atrailgate: \.trailgate\.yml:3:14: .*%0Atrailgate: cannot write the step outputs to GITHUB_OUTPUT \(\/nonexistent\/trailgate-output\)/,
      );
    });

    it('and when a report could not be written either: one annotation that names both', async () => {
      const many = readFileSync(join(REPO, 'test', 'fixtures', 'action', 'many-errors.json'), 'utf8');
      const r = await runActionInProcess(workspace({ 'many.json': many }), { snapshots: 'many.json', sarif: 'many.json/out.sarif' }, { GITHUB_OUTPUT: '/nonexistent/trailgate-output' });
      assert.strictEqual(r.code, 2);
      const errors = r.stdout.split('\n').filter((l) => l.startsWith('::error '));
      assert.isAtMost(errors.length, 10, 'the runner keeps the first 10 error annotations of a step');
      assert.match(errors.at(-1)!, /^::error title=trailgate could not write every report or the step outputs::trailgate: many\.json\/out\.sarif: cannot write the report: .*%0Atrailgate: cannot write the step outputs/);
      assert.lengthOf(errors.filter((l) => l.startsWith('::error title=trailgate could not')), 1);
    });
  });

  it('a RUNNER_TEMP it cannot use is an error annotation and exit 2, not a crash, and the outputs say exit 2', async () => {
    const runner = tempDir('trailgate-runner-');
    const output = join(runner, 'output');
    const r = await runActionInProcess(workspace(), { snapshots: 'org.yaml', only: CORE }, { RUNNER_TEMP: join(runner, 'gone'), GITHUB_OUTPUT: output });
    assert.strictEqual(r.code, 2, r.stderr);
    assert.match(r.stdout, /^::error title=trailgate could not run::trailgate: cannot create a temporary folder in .*gone \(RUNNER_TEMP\): no such file or directory$/m);
    assert.notInclude(r.stderr, 'internal error');
    assert.notInclude(r.stderr, '    at ', 'no stack trace');
    assert.strictEqual(r.outputs['exit-code'], '2');
    assert.strictEqual(r.outputs.fail, '');
  });

  // statSync throws for these whatever throwIfNoEntry says: the step ended as a crash (exit 70), with a stack trace.
  for (const [what, dir, why] of [
    ['a path through a file', 'org.yaml/audit', 'a part of the path is a file, not a directory'],
    ['a name too long for the file system', 'x'.repeat(300), 'the name is too long for the file system'],
  ]) {
    it(`a working-directory that is ${what} is an input error that names it, not a crash`, async () => {
      const r = await runActionInProcess(workspace(), { 'working-directory': dir, snapshots: 'org.yaml' });
      assertInputMistake(r, `the input "working-directory" names ${dir}, which is not a directory of the workspace (${why})`);
      assert.notInclude(r.stderr, 'internal error');
    });
  }

  // The input's value went into a RegExp: V8 refuses one of some 60,000 characters, and the step crashed (exit 70).
  it('an input value of 100,000 characters is refused as any other, not a crash', async () => {
    const long = 'x'.repeat(100_000);
    for (const name of ['config', 'baseline', 'compliance']) {
      const r = await runActionInProcess(workspace(), { snapshots: 'org.yaml', only: CORE, [name]: long });
      assert.strictEqual(r.code, 2, `${name}: ${r.stderr.slice(0, 500)}`);
      assert.notInclude(r.stderr, 'internal error');
      assert.match(r.stdout, /^::error title=trailgate could not run::trailgate: /m);
    }
  });

  it('with a GITHUB_OUTPUT it can write, exits as the CLI does and writes the outputs', async () => {
    const r = await runActionInProcess(workspace(), { snapshots: 'org.yaml', only: CORE });
    assert.strictEqual(r.code, 1, r.stderr);
    assert.strictEqual(r.outputs['exit-code'], '1');
    assert.strictEqual(r.outputs.fail, '3');
  });

  describe('the count outputs come from the run, not from a report read back', () => {
    it('a json input that is a device (/dev/null) still gives the counts', async () => {
      const r = await runActionInProcess(workspace(), { snapshots: 'org.yaml', only: CORE, json: '/dev/null' });
      assert.strictEqual(r.code, 1, r.stderr);
      assert.deepInclude(r.outputs, { pass: '3', fail: '3', error: '0', skipped: '0' });
      // README, outputs: a path that is no regular file names no report a later step could read.
      assert.strictEqual(r.outputs.json, '');
    });

    it('a json input that cannot be written still gives the counts of what was judged', async () => {
      const r = await runActionInProcess(workspace(), { snapshots: 'org.yaml', only: CORE, json: 'org.yaml/r.json' });
      assert.strictEqual(r.code, 2, r.stderr);
      assert.deepInclude(r.outputs, { pass: '3', fail: '3', error: '0', skipped: '0', json: '' });
    });

    it('without a json input, the Action writes no JSON report of its own', () => {
      const { argv } = scanArguments({ INPUT_SNAPSHOTS: 'org.yaml', INPUT_SARIF: 'r.sarif' }, '/tmp/runner');
      assert.deepEqual(argv.filter((a) => a.startsWith('json')), []);
    });
  });

  it('a report output keeps a backslash that is part of a POSIX file name', async function () {
    if (process.platform === 'win32') this.skip();
    const r = await runActionInProcess(workspace(), { snapshots: 'org.yaml', only: CORE, sarif: 'a\\b.sarif' });
    assert.strictEqual(r.code, 1, r.stderr);
    assert.strictEqual(r.outputs.sarif, 'a\\b.sarif');
  });

  describe('the annotation of a run that ends on an error', () => {
    it('a run that judged everything but could not write its only report: "could not write every report", and only the error', async () => {
      const r = await runActionInProcess(workspace(), { snapshots: 'org.yaml', only: CORE, sarif: 'org.yaml/out.sarif' });
      assert.strictEqual(r.code, 2, r.stderr);
      const annotations = r.stdout.split('\n').filter((l) => l.startsWith('::error title=trailgate'));
      assert.deepEqual(annotations, ['::error title=trailgate could not write every report::trailgate: org.yaml/out.sarif: cannot write the report: a part of the path is a file, not a directory']);
    });

    it('with more violations than GitHub shows, the annotation that says why the step failed is still among the 10 errors it keeps', async () => {
      const many = readFileSync(join(REPO, 'test', 'fixtures', 'action', 'many-errors.json'), 'utf8');
      const dir = workspace({ 'many.json': many });
      const r = await runActionInProcess(dir, { snapshots: 'many.json', sarif: 'many.json/out.sarif' });
      assert.strictEqual(r.code, 2, r.stderr);
      const errors = r.stdout.split('\n').filter((l) => l.startsWith('::error '));
      assert.isAtMost(errors.length, 10, 'the runner keeps the first 10 error annotations of a step');
      assert.match(errors.at(-1)!, /^::error title=trailgate could not write every report::/);
      assert.isAbove(errors.length, 5, 'the inventory has enough violations to fill the slots');
    });

    // The summary was written with the results' exit code (1) while the step ended 2.
    it('the step summary says the run ends 2 when a report could not be written, as the log does', async () => {
      const r = await runActionInProcess(workspace(), { snapshots: 'org.yaml', only: CORE, sarif: 'org.yaml/out.sarif' });
      assert.strictEqual(r.code, 2, r.stderr);
      assert.match(r.summary, /^exit 2: 1 of \d reports could not be written \(without that, exit 1: violations at or above low\)$/m);
    });

    // A snapshot that could not be saved was called "could not write every report".
    it('a live run whose snapshot could not be saved: the title names the snapshot', async function () {
      if (!existsSync('/dev/full')) this.skip(); // Linux's always-full device
      const r = await withFakeAws((env) => runActionInProcess(workspace(), { organization: 'true', 'role-name': ROLE, regions: 'us-east-1', 'save-snapshot': '/dev/full' }, env));
      assert.strictEqual(r.code, 2, r.stderr);
      const annotations = r.stdout.split('\n').filter((l) => l.startsWith('::error title=trailgate'));
      assert.deepEqual(annotations, ['::error title=trailgate could not write the snapshot::trailgate: /dev/full: cannot write the snapshot: no space left on the device']);
      const both = await withFakeAws((env) => runActionInProcess(workspace(), { organization: 'true', 'role-name': ROLE, regions: 'us-east-1', 'save-snapshot': '/dev/full', json: 'org.yaml/live.json' }, { ...env, GITHUB_OUTPUT: '/nonexistent/trailgate-output' }));
      assert.match(both.stdout, /^::error title=trailgate could not write the snapshot%2C every report or the step outputs::/m);
    });

    it('a live run: the progress lines stay in the log, out of the annotation', async () => {
      const r = await withFakeAws((env) => runActionInProcess(workspace(), { organization: 'true', 'role-name': ROLE, regions: 'us-east-1', json: 'org.yaml/live.json' }, env));
      assert.strictEqual(r.code, 2, r.stderr);
      assert.match(r.stderr, /^trailgate: collecting \d+ accounts/m, 'progress in the log');
      const annotations = r.stdout.split('\n').filter((l) => l.startsWith('::error title=trailgate'));
      assert.lengthOf(annotations, 1, r.stdout);
      assert.match(annotations[0], /^::error title=trailgate could not write every report::trailgate: org\.yaml\/live\.json: cannot write the report: [^%]*$/);
    });
  });

  // The summary and the log's text report said "(--fail-on never)", a flag the workflow never wrote.
  it('fail-on never from the input is named as the input in the step summary and the log', async () => {
    const r = await runActionInProcess(workspace(), { snapshots: 'org.yaml', only: CORE, 'fail-on': 'never' });
    assert.strictEqual(r.code, 0, r.stderr);
    assert.include(r.summary, 'exit 0: violations never fail this run (the input "fail-on" is never)');
    assert.include(r.stdout, '\nexit 0: violations never fail this run (the input "fail-on" is never)\n');
    assert.notInclude(r.summary + r.stdout + r.stderr, '--fail-on');
  });

  describe('an input mistake names the input as the workflow writes it', () => {
    it('fail-on', async () => {
      const r = await runActionInProcess(workspace(), { snapshots: 'org.yaml', 'fail-on': 'bogus' });
      assertInputMistake(r, 'the input "fail-on" must be one of critical, high, medium, low, info or never, got "bogus"');
      // Escaped once, as every other value is: it was JSON-quoted first, and its backslash doubled.
      const odd = await runActionInProcess(workspace(), { snapshots: 'org.yaml', 'fail-on': 'lo\x1bw' });
      assertInputMistake(odd, 'the input "fail-on" must be one of critical, high, medium, low, info or never, got "lo\\x1bw"');
      const separators = await runActionInProcess(workspace(), { snapshots: 'org.yaml', regions: ',\n,' });
      assertInputMistake(separators, 'the input "regions" lists nothing, only separators: ",\\n,"');
    });

    for (const [name, value] of [
      ['regions', 'us-east-1'],
      ['role-arn', 'arn:aws:iam::111122223333:role/audit'],
      ['accounts', '111122223333'],
      ['role-name', 'audit'],
      ['external-id', 'x'],
      ['organization', 'true'],
    ]) {
      it(`${name} with snapshots`, async () => {
        const r = await runActionInProcess(workspace(), { snapshots: 'org.yaml', [name]: value });
        assertInputMistake(r, `the input "${name}" is for live scans; with "snapshots" the inventory decides what is judged (remove "${name}", or remove "snapshots" to collect live)`);
      });
    }

    it('save-snapshot with snapshots', async () => {
      const r = await runActionInProcess(workspace(), { snapshots: 'org.yaml', 'save-snapshot': 'evidence.json' });
      assertInputMistake(r, 'the input "save-snapshot" saves a live collection; it cannot be used with "snapshots"');
    });

    it('a live list input of separators only, beside snapshots, is reported as that', async () => {
      // The bundle's test of separators (action.test.ts) gives snapshots with every list input.
      const r = await runActionInProcess(workspace(), { snapshots: 'org.yaml', regions: ' , ' });
      assertInputMistake(r, 'the input "regions" lists nothing, only separators');
    });

    it('organization: false (the default) with snapshots is no live input', async () => {
      const r = await runActionInProcess(workspace(), { snapshots: 'org.yaml', only: CORE, organization: 'false' });
      assert.strictEqual(r.code, 1, r.stderr);
    });

    it('a live input beside the config file\'s snapshots', async () => {
      const r = await runActionInProcess(workspace({ '.trailgate.yml': 'snapshots: [org.yaml]\n' }), { regions: 'us-east-1' });
      assertInputMistake(r, 'the input "regions" is for live scans; with `snapshots` in .trailgate.yml:1:1 the inventory decides what is judged (drop the input "regions", or remove `snapshots` from the config to collect live)');
    });

    it('a live input that needs another the workflow did not give', async () => {
      const r = await runActionInProcess(workspace(), { organization: 'true' });
      assertInputMistake(r, 'the input "organization" needs "role-name"');
    });

    it('compliance', async () => {
      const r = await runActionInProcess(workspace(), { snapshots: 'org.yaml', compliance: 'bogus' });
      assertInputMistake(r, 'the input "compliance" names an unknown framework "bogus"; known frameworks: ');
    });

    it('compliance that the only selection leaves no rule of', async () => {
      const r = await runActionInProcess(workspace(), { snapshots: 'org.yaml', only: 'log-file-validation', compliance: 'aws-quotas' });
      assertInputMistake(r, 'no rule left to run maps to aws-quotas (after the only/skip selection and the rules loaded)');
    });

    it('standard input as an inventory, no rules at all, an empty baseline: said in the inputs\' words', async () => {
      assertInputMistake(await runActionInProcess(workspace(), { snapshots: '-' }), 'the input "snapshots" names "-" (standard input), which the Action does not give the run');
      assertInputMistake(await runActionInProcess(workspace(), { snapshots: '/dev/stdin' }), 'the input "snapshots" names "/dev/stdin" (standard input)');
      // The same from the config file's `snapshots`, which the inputs check cannot see.
      assertInputMistake(await runActionInProcess(workspace({ 'c.yml': 'snapshots: ["-"]\n' }), { config: 'c.yml' }), 'c.yml:1:13: invalid config: the `snapshots` entry -: is standard input, which the Action does not give the run: name an inventory file (at /snapshots/0)');
      // The baseline too, from the config or the input: it read as empty, or as what the runner left there.
      assertInputMistake(await runActionInProcess(workspace(), { snapshots: 'org.yaml', baseline: '/dev/stdin' }), 'the input "baseline" names "/dev/stdin" (standard input), which the Action does not give the run');
      assertInputMistake(await runActionInProcess(workspace({ 'c.yml': 'snapshots: [org.yaml]\nbaseline: /dev/stdin\n' }), { config: 'c.yml' }), 'c.yml:2:11: invalid config: the `baseline` file /dev/stdin: is standard input, which the Action does not give the run');
      // Twice: refused as standard input, not as "given more than once" (as if once were fine).
      assertInputMistake(await runActionInProcess(workspace({ 'c.yml': 'snapshots: ["-", "-"]\n' }), { config: 'c.yml' }), 'c.yml:1:13: invalid config: the `snapshots` entry -: is standard input, which the Action does not give the run');
      // Under any name: /dev/stdin from the config read whatever the runner left on standard input.
      for (const name of ['/dev/stdin', '/dev/fd/0']) {
        const r = await runActionInProcess(workspace({ 'c.yml': `snapshots: [org.yaml, "${name}"]\n` }), { config: 'c.yml' });
        assertInputMistake(r, `c.yml:1:23: invalid config: the \`snapshots\` entry ${name}: is standard input, which the Action does not give the run: name an inventory file (at /snapshots/1)`);
      }
      const noRules = await runActionInProcess(workspace({ 'nob.yml': 'builtinRules: false\n' }), { snapshots: 'org.yaml', config: 'nob.yml' });
      assertInputMistake(noRules, 'nob.yml:1:15: invalid config: no rule to run: builtinRules is false, and no rules are given (the config file\'s `rules`, or the input "rules")');
      const empty = await runActionInProcess(workspace({ 'empty.json': '' }), { snapshots: 'org.yaml', baseline: 'empty.json' });
      assertInputMistake(empty, 'empty.json:1:1: the baseline is empty; expected a JSON report written by trailgate (the input "json" writes one)');
    });

    it('a value that looks like an option is a value: -V never prints the version and passes the step', async () => {
      assertInputMistake(await runActionInProcess(workspace(), { snapshots: 'org.yaml', only: '-V' }), 'the input "only" names an unknown rule "-V"');
      const r = await runActionInProcess(workspace(), { snapshots: '-Vendor.yaml' });
      assert.strictEqual(r.code, 2, r.stdout + r.stderr);
      assert.notInclude(r.stdout, JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')).version);
    });

    it('only and skip', async () => {
      assertInputMistake(await runActionInProcess(workspace(), { snapshots: 'org.yaml', only: 'no-such-rule' }), 'the input "only" names an unknown rule "no-such-rule"');
      assertInputMistake(await runActionInProcess(workspace(), { snapshots: 'org.yaml', skip: 'no-such-rule' }), 'the input "skip" names an unknown rule "no-such-rule"');
      assertInputMistake(await runActionInProcess(workspace(), { snapshots: 'org.yaml', only: 'kms-encryption', skip: 'kms-encryption' }), 'no rule is left to run after the only/skip selection');
    });

    for (const name of ['sarif', 'junit', 'json']) {
      it(`${name}: - (standard output, where the annotations go)`, async () => {
        const r = await runActionInProcess(workspace(), { snapshots: 'org.yaml', [name]: '-' });
        assertInputMistake(r, `the input "${name}" is "-" (standard output), which the Action's own annotations use: a report input must name a file`);
      });
    }

    for (const name of ['sarif', 'junit', 'json']) {
      it(`${name}: /dev/stdout, /dev/fd/1 and a link to them, standard output under other names`, async () => {
        const dir = workspace();
        symlinkSync('/dev/stdout', join(dir, 'out.link'));
        for (const path of ['/dev/stdout', '/dev/fd/1', 'out.link']) {
          const r = await runActionInProcess(dir, { snapshots: 'org.yaml', [name]: path });
          assertInputMistake(r, `the input "${name}" is "${path}" (standard output), which the Action's own annotations use: a report input must name a file (reports/trailgate.${name}, for example)`);
        }
      });
    }

    it('a report input that names a descriptor nothing opened for the Action', async function () {
      // One of Node's own (its event loop's), as Linux shows them; elsewhere there is nothing to find.
      const fd = Array.from({ length: 30 }, (_, i) => i + 3).find(isRuntimeDescriptor);
      if (fd === undefined) this.skip();
      const r = await runActionInProcess(workspace(), { snapshots: 'org.yaml', sarif: `/dev/fd/${fd}` });
      assertInputMistake(r, `the input "sarif" names descriptor ${fd} (/dev/fd/${fd}), which nothing opened for the Action (Node.js uses it for itself); name a file (trailgate.sarif, for example)`);
      const live = await runActionInProcess(workspace(), { 'save-snapshot': `/dev/fd/${fd}` });
      assertInputMistake(live, `the input "save-snapshot" names descriptor ${fd} (/dev/fd/${fd}), which nothing opened for the Action (Node.js uses it for itself); name a file (snapshot.json, for example)`);
    });

    // The CLI refused it too, but in its own words, with `--format` and `--save-snapshot` to use.
    it('a report input, or save-snapshot, that names standard input', async function () {
      if (!existsSync('/proc/self/fd')) this.skip(); // Linux's names of descriptors
      const dir = workspace();
      symlinkSync('/dev/stdin', join(dir, 'in.link'));
      for (const path of ['/dev/stdin', '/dev/fd/0', 'in.link']) {
        const r = await runActionInProcess(dir, { snapshots: 'org.yaml', json: path });
        assertInputMistake(r, `the input "json" is "${path}" (standard input), which the Action only reads: name a file (trailgate.json, for example)`);
      }
      const live = await runActionInProcess(workspace(), { 'save-snapshot': '/proc/self/fd/0' });
      assertInputMistake(live, 'the input "save-snapshot" is "/proc/self/fd/0" (standard input), which the Action only reads: name a file (snapshot.json, for example)');
    });

    describe('save-snapshot', () => {
      it('standard output, as "-" or by name', async () => {
        for (const path of ['-', '/dev/stdout']) {
          const r = await runActionInProcess(workspace(), { 'save-snapshot': path });
          assertInputMistake(r, `the input "save-snapshot" is "${path}" (standard output), which the Action's own annotations use: the snapshot must go to a file (evidence/snapshot.json, for example)`);
        }
      });

      it('a directory', async () => {
        const dir = workspace();
        mkdirSync(join(dir, 'evidence'));
        for (const path of ['out/', 'evidence']) {
          const r = await runActionInProcess(dir, { 'save-snapshot': path });
          assertInputMistake(r, `the input "save-snapshot" names a directory, not a file: ${path}; name a file in it (${path.replace(/\/$/, '')}/snapshot.json, for example)`);
        }
      });

      it('a path through a file', async () => {
        const r = await runActionInProcess(workspace(), { 'save-snapshot': 'org.yaml/snap.json' });
        assertInputMistake(r, 'the input "save-snapshot" (org.yaml/snap.json) cannot be written: org.yaml is a file, not a directory');
      });

      it('the file of a report input, as written or through a link', async () => {
        const dir = workspace();
        assertInputMistake(await runActionInProcess(dir, { 'save-snapshot': 'r.json', json: './r.json' }), 'the inputs "json" and "save-snapshot" name the same file, r.json; give each its own file');
        // An earlier run's snapshot, which the link leads to.
        writeFileSync(join(dir, 'snap.json'), '{}');
        symlinkSync('snap.json', join(dir, 'link.sarif'));
        // Found once the credentials are known to work, before any collection.
        const r = await withFakeAws((env) => runActionInProcess(dir, { 'save-snapshot': 'snap.json', sarif: 'link.sarif' }, env));
        assertInputMistake(r, 'the input "save-snapshot" (snap.json) and the input "sarif" (link.sarif) name the same file: the report would replace the inventory');
      });
    });

    it('a report input that names a directory', async () => {
      const dir = workspace();
      mkdirSync(join(dir, 'reports'));
      for (const path of ['out/', 'reports']) {
        const r = await runActionInProcess(dir, { snapshots: 'org.yaml', sarif: path });
        assertInputMistake(r, `the input "sarif" names a directory, not a file: ${path}; name a file in it (${path.replace(/\/$/, '')}/trailgate.sarif, for example)`);
      }
    });

    it('two report inputs that name one file', async () => {
      const r = await runActionInProcess(workspace(), { snapshots: 'org.yaml', sarif: 'r.json', json: './r.json' });
      assertInputMistake(r, 'the inputs "sarif" and "json" name the same file, ./r.json; give each report its own file');
    });

    it('a report input that is the inventory, through a link', async () => {
      const dir = workspace();
      symlinkSync('org.yaml', join(dir, 'link.sarif'));
      const r = await runActionInProcess(dir, { snapshots: 'org.yaml', sarif: 'link.sarif' });
      assertInputMistake(r, 'the input "sarif" (link.sarif) would overwrite the inventory org.yaml');
    });

    it('the CLI\'s own words stand for what no input gave', async () => {
      const dir = workspace();
      writeFileSync(join(dir, '.trailgate.yml'), 'only: [no-such-rule]\n');
      const r = await runActionInProcess(dir, { snapshots: 'org.yaml' });
      assert.strictEqual(r.code, 2);
      assert.include(r.stdout, '.trailgate.yml:1:8: invalid config: `only` names an unknown rule "no-such-rule"');
    });

    it('a value is put in brackets only where the whole value is written, not inside an example that starts with it', () => {
      const env = { 'INPUT_SAVE-SNAPSHOT': 'out/' };
      assert.strictEqual(inputWording(env, 'x --save-snapshot out/ y; --save-snapshot out/snapshot.json'), 'x the input "save-snapshot" (out/) y; the input "save-snapshot" out/snapshot.json');
    });

    it('a message that points to the CLI\'s help does not', () => {
      assert.strictEqual(inputWording({}, 'trailgate: too many arguments for \'scan\' (see trailgate --help)\n'), "trailgate: too many arguments for 'scan'\n");
    });
  });
});
