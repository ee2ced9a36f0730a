/**
 * What the Action decides itself, around the CLI's run, tested on its sources in-process
 * (test/action/action.test.ts runs the committed bundle, which is rebuilt from these).
 */
import { assert } from 'chai';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CORE, workspace } from '../config/run.ts';
import { runActionInProcess } from './runner.ts';

describe('the GitHub Action (its sources, in-process)', function () {
  this.timeout(30_000);

  describe('GITHUB_OUTPUT that cannot be written', () => {
    for (const [what, output] of [
      ['a missing directory', (dir: string) => join(dir, 'gone', 'output')],
      ['a directory', (dir: string) => dir],
    ] as const) {
      it(`(${what}) is an error annotation naming the file and why, and exit 2, not a crash`, async () => {
        const runner = mkdtempSync(join(tmpdir(), 'trailgate-runner-'));
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
      });
    }

    it('escapes the file name in the annotation, so it cannot end the command early', async () => {
      const file = join(mkdtempSync(join(tmpdir(), 'trailgate-runner-')), 'gone%0A\n::warning::x', 'output');
      const r = await runActionInProcess(workspace(), { snapshots: 'org.yaml', only: CORE }, { GITHUB_OUTPUT: file });
      assert.strictEqual(r.code, 2, r.stderr);
      assert.notMatch(r.stdout, /^::warning::x/m);
      assert.include(r.stdout, 'gone%250A\\n::warning::x');
    });

    it('also when the run itself failed: exit 2 and both reasons', async () => {
      const r = await runActionInProcess(workspace(), { snapshots: 'missing.yaml' }, { GITHUB_OUTPUT: '/nonexistent/trailgate-output' });
      assert.strictEqual(r.code, 2);
      assert.match(r.stdout, /^::error title=trailgate could not run::trailgate: missing\.yaml: /m);
      assert.match(r.stdout, /^::error title=trailgate could not write the step outputs::.*\/nonexistent\/trailgate-output/m);
    });
  });

  it('with a GITHUB_OUTPUT it can write, exits as the CLI does and writes the outputs', async () => {
    const r = await runActionInProcess(workspace(), { snapshots: 'org.yaml', only: CORE });
    assert.strictEqual(r.code, 1, r.stderr);
    assert.strictEqual(r.outputs['exit-code'], '1');
    assert.strictEqual(r.outputs.fail, '3');
  });
});
