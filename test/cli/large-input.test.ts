/**
 * Inputs past the longest string Node can hold are refused as input errors, naming the file and
 * its size, before they are read (they ended in "internal error" and a stack trace, exit 70),
 * and a device that never ends is read no further than that (it was read until memory ran out).
 *
 * A schema error in a large or deeply nested JSON input is named promptly at its line and
 * column. Finding the position used to mean parsing the whole text again with the YAML parser,
 * which builds a node per value: a 120 MB inventory ended in an out-of-memory abort after four
 * minutes instead of the message, and a deeply nested file lost the position or the message.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { expect } from 'chai';
import { generateInventory, inventoryText } from '../../bench/generate.ts';
import { cli, REPO, tempDir } from '../helpers/cli.ts';

const MAIN = join(REPO, 'src', 'cli', 'main.ts');
const EXAMPLE = join(REPO, 'examples', 'organization.yaml');

/** `line:column` of the first `needle` in `text`. */
function positionOf(text: string, needle: string): string {
  const offset = text.indexOf(needle);
  const before = text.slice(0, offset);
  return `${before.split('\n').length}:${offset - before.lastIndexOf('\n')}`;
}

describe('schema errors in large and deeply nested JSON inputs', () => {
  it('a bad region in the last account of a 300-account inventory is located with a heap far smaller than a YAML parse needs', () => {
    const dir = tempDir();
    const clean = inventoryText(generateInventory({ accounts: 300, seed: 1 }));
    const open = clean.indexOf('[', clean.lastIndexOf('"regions": [')) + 1;
    const text = `${clean.slice(0, open)}\n        "us-east-9x",${clean.slice(open)}`;
    expect(text.length).to.be.greaterThan(3_000_000);
    const file = join(dir, 'inv.json');
    writeFileSync(file, text);
    // 64 MB of heap reads this file (JSON.parse and validation) many times over; the YAML parse
    // for the position ran out of 128 MB.
    const r = spawnSync(process.execPath, ['--max-old-space-size=64', '--import', 'tsx', MAIN, 'scan', '--snapshot', file], { cwd: REPO, encoding: 'utf8' });
    expect(r.status, r.stderr).to.equal(2);
    expect(r.stderr).to.equal(`trailgate: ${relative(REPO, file)}:${positionOf(text, '"us-east-9x"')}: invalid inventory: must be an AWS region name, such as us-east-1 (at /accounts/299/regions/0)\n`);
  });

  it('a repeated key in the last account of a 300-account inventory is named with the same small heap', () => {
    const dir = tempDir();
    const clean = inventoryText(generateInventory({ accounts: 300, seed: 1 }));
    const at = clean.lastIndexOf('"regions": [');
    const text = `${clean.slice(0, at)}"regions": [],\n      ${clean.slice(at)}`;
    const file = join(dir, 'inv.json');
    writeFileSync(file, text);
    const r = spawnSync(process.execPath, ['--max-old-space-size=64', '--import', 'tsx', MAIN, 'scan', '--snapshot', file], { cwd: REPO, encoding: 'utf8' });
    expect(r.status, r.stderr).to.equal(2);
    // The second occurrence: the original key, on the line after the one written in.
    const second = text.indexOf('"regions": [', at + 1);
    const before = text.slice(0, second);
    expect(r.stderr).to.equal(`trailgate: ${relative(REPO, file)}:${before.split('\n').length}:${second - before.lastIndexOf('\n')}: invalid JSON: the key "regions" is repeated in one object\n`);
  });

  // One systematic slip in a generated inventory is tens of thousands of schema errors: each is told
  // once (the first ten), in one pass over them, and with the same small heap (telling them
  // pairwise took minutes on the 10,000-account benchmark inventory).
  it('a slip repeated in every trail of a 300-account inventory names the first ten and counts the rest', () => {
    const dir = tempDir();
    const clean = inventoryText(generateInventory({ accounts: 300, seed: 1 }));
    const text = clean.replaceAll('"IsLogging": true', '"IsLogging": "yes"').replaceAll('"IsLogging": false', '"IsLogging": "no"');
    const slips = text.split('"IsLogging": "').length - 1;
    expect(slips).to.be.greaterThan(500);
    const file = join(dir, 'inv.json');
    writeFileSync(file, text);
    const r = spawnSync(process.execPath, ['--max-old-space-size=64', '--import', 'tsx', MAIN, 'scan', '--snapshot', file], { cwd: REPO, encoding: 'utf8' });
    expect(r.status, r.stderr).to.equal(2);
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines).to.have.length(11);
    expect(lines[0]).to.equal(`trailgate: ${relative(REPO, file)}:${positionOf(text, '"IsLogging": "') .replace(/:(\d+)$/, (_, c: string) => `:${Number(c) + 13}`)}: invalid inventory: must be of type boolean (at /accounts/0/trails/0/Status/IsLogging)`);
    for (const line of lines.slice(0, 10)) expect(line).to.match(/: invalid inventory: must be of type boolean \(at \/accounts\/\d+\/trails\/\d+\/Status\/IsLogging\)$/);
    expect(lines[10]).to.equal(`trailgate: ${relative(REPO, file)}: ${slips - 10} more problems not shown`);
  });

  it('thirty thousand slips in a small file are told as ten and a count, not compared pairwise', async () => {
    const dir = tempDir();
    const regions = Array.from({ length: 30_000 }, (_, i) => `"x${i}"`).join(',');
    writeFileSync(join(dir, 'inv.json'), `{"version":1,"accounts":[{"accountId":"111122223333","trails":[],"regions":[${regions}]}]}`);
    const r = await cli(['scan', '--snapshot', 'inv.json'], { cwd: dir });
    expect(r.code, r.stderr).to.equal(2);
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines.slice(0, 2)).to.deep.equal([
      'trailgate: inv.json:1:77: invalid inventory: must be an AWS region name, such as us-east-1 (at /accounts/0/regions/0)',
      'trailgate: inv.json:1:82: invalid inventory: must be an AWS region name, such as us-east-1 (at /accounts/0/regions/1)',
    ]);
    expect(lines.slice(10)).to.deep.equal(['trailgate: inv.json: 29990 more problems not shown']);
  });

  // Ajv gathers the errors of a definition it calls (an account) by copying those gathered so far:
  // a copy per account was a minute on this 400 KB file (past the suite's timeout; no clock is
  // read here, speed is the benchmarks' business).
  it('a hundred thousand accounts each missing their keys are told as ten and a count', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'inv.json'), `{"version":1,"accounts":[${Array.from({ length: 100_000 }, () => '{}').join(',')}]}`);
    const r = await cli(['scan', '--snapshot', 'inv.json'], { cwd: dir });
    expect(r.code, r.stderr).to.equal(2);
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines[0]).to.equal('trailgate: inv.json:1:26: invalid inventory: missing required keys "accountId", "regions" and "trails" (at /accounts/0)');
    expect(lines.slice(10)).to.deep.equal(['trailgate: inv.json: 99990 more problems not shown']);
  });

  it('a bad account id beside deep nesting is placed at the account id, not at 1:1', async () => {
    const dir = tempDir();
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    const text = `{"version":1,"buckets":{"b":{"Policy":{"Statement":${deep}}}},\n"accounts":[{"accountId":"12","regions":[],"trails":[]}]}`;
    writeFileSync(join(dir, 'inv.json'), text);
    const r = await cli(['scan', '--snapshot', 'inv.json'], { cwd: dir });
    expect(r.code, r.stderr).to.equal(2);
    expect(r.stderr).to.equal('trailgate: inv.json:2:26: invalid inventory: must be an AWS account id: 12 digits (at /accounts/0/accountId)\n');
  });

  it('a deeply nested baseline names its bad status, not "nests too deeply"', async () => {
    const dir = tempDir();
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    writeFileSync(join(dir, 'base.json'), `{"tool":{"name":"trailgate"},"junk":${deep},\n"results":[{"ruleId":"x","status":"bogus","accountId":"111122223333"}]}`);
    const r = await cli(['scan', '--snapshot', EXAMPLE, '--baseline', 'base.json'], { cwd: dir });
    expect(r.code, r.stderr).to.equal(2);
    expect(r.stderr).to.equal('trailgate: base.json:2:35: invalid baseline (expected a trailgate JSON report): must be one of "pass", "fail", "error", "skipped" (at /results/0/status)\n');
  });
});

describe('inputs longer than the longest text Node.js can hold', () => {
  const SIZE = '600.0 MiB (629145600 bytes), more than the 512.0 MiB (536870888 bytes) of text Node.js can hold: trailgate cannot read it';
  let dir = '';
  before(() => {
    dir = tempDir();
    // Sparse: no disk space and no read, as the file is refused by its size alone.
    writeFileSync(join(dir, 'big.json'), '');
    truncateSync(join(dir, 'big.json'), 600 * 1024 * 1024);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const cases: [what: string, args: (big: string) => string[]][] = [
    ['an inventory', (big) => ['--snapshot', big]],
    ['a baseline', (big) => ['--snapshot', EXAMPLE, '--baseline', big]],
    ['a config file', (big) => ['--snapshot', EXAMPLE, '--config', big]],
    ['a rule file', (big) => ['--snapshot', EXAMPLE, '--rules', big]],
  ];
  for (const [what, args] of cases) {
    it(`${what} of 600 MiB: exit 2 naming the file and its size (was exit 70, "internal error")`, async () => {
      const r = await cli(['scan', ...args('big.json')], { cwd: dir });
      expect(r.code, r.stderr).to.equal(2);
      expect(r.stderr).to.equal(`trailgate: big.json: the file is ${SIZE}\n`);
    });
  }

  it('an inventory that never ends (/dev/zero) is read no further than the limit (was read until killed)', async function () {
    if (!existsSync('/dev/zero')) this.skip();
    const r = await cli(['scan', '--snapshot', '/dev/zero'], { cwd: '/' });
    expect(r.code, r.stderr).to.equal(2);
    expect(r.stderr).to.equal('trailgate: dev/zero: the input goes on past 512.0 MiB (536870888 bytes), the most text Node.js can hold: trailgate cannot read it\n');
  });
});
