/**
 * A repeatable flag, and a config list folded in through the flag's parser, add each value to
 * one list: copying the list for each value made N values cost N²/2 copies (40,000 `--skip`
 * flags took 8 s, a config's `skip` of 80,000 entries 33 s).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { appendValues } from '../../src/cli/append.ts';
import { cli, tempDir } from '../helpers/cli.ts';

const EXAMPLE = join(import.meta.dirname, '..', '..', 'examples', 'organization.yaml');

describe('repeatable flags', () => {
  it('a value is added to the list it follows, which is not copied', () => {
    const first = appendValues([], ['a']);
    const second = appendValues(first, ['b', 'c']);
    expect(second).to.equal(first);
    expect(second).to.deep.equal(['a', 'b', 'c']);
  });

  it("the empty list an option starts from (its default, shared by every parse) is never written to", () => {
    const start: string[] = [];
    const list = appendValues(start, ['a']);
    expect(start).to.deep.equal([]);
    expect(list).to.not.equal(start);
  });

  it('100,000 values from one comma list are added without spreading them onto the stack', () => {
    const values = Array.from({ length: 100_000 }, (_, i) => String(i));
    expect(appendValues(['x'], values)).to.have.lengthOf(100_001);
  });

  // Before the fold appended, each of these copied the list once per value (60,000 values, about
  // as many as a command line can hold: 1.8 × 10^9 element copies; 200,000 config entries:
  // 2 × 10^10, minutes); the timeout only stops such a run.
  it('60,000 --skip flags are folded into one list of 60,000 ids', async function () {
    this.timeout(20_000);
    const dir = tempDir();
    const args = ['scan', '--snapshot', EXAMPLE, '--format', 'json=out.json', '--quiet'];
    for (let i = 0; i < 60_000; i++) args.push('--skip', 'trail-logging');
    const r = await cli(args, { cwd: dir });
    expect(r.code, r.stderr).to.equal(1);
    expect(r.stderr).to.equal('');
  });

  it("a config's 200,000 accounts are folded through --accounts' parser into one list", async function () {
    this.timeout(20_000);
    const dir = tempDir();
    const ids = Array.from({ length: 200_000 }, (_, i) => `  - "${String(100000000000 + i)}"`).join('\n');
    writeFileSync(join(dir, '.trailgate.yml'), `roleName: Audit\naccounts:\n${ids}\n`);
    const r = await cli(['scan', '--snapshot', EXAMPLE, '--format', 'json=out.json', '--quiet'], { cwd: dir });
    expect(r.code, r.stderr).to.be.oneOf([1, 2]);
  });
});
