/**
 * bench/README.md's commands work on a fresh clone, where bench/out/ (git-ignored) does not
 * exist yet: `bench/generate.ts -o bench/out/org-1000.json` makes the folder it writes into.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';

const ROOT = join(import.meta.dirname, '..', '..');

describe('bench/README.md', () => {
  it('generate.ts -o writes into a folder that does not exist yet (bench/out/ on a fresh clone)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'trailgate-bench-'));
    try {
      const out = join(dir, 'out', 'org-2.json');
      const r = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'bench', 'generate.ts'), '--accounts', '2', '-o', out], { encoding: 'utf8', cwd: ROOT });
      expect(r.stderr).to.equal('');
      expect(r.status).to.equal(0);
      expect(existsSync(out)).to.equal(true);
      expect(JSON.parse(readFileSync(out, 'utf8')).accounts).to.have.length(2);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('names the generate.ts command it documents', () => {
    expect(readFileSync(join(ROOT, 'bench', 'README.md'), 'utf8')).to.include('node --import tsx bench/generate.ts --accounts 1000 -o bench/out/org-1000.json');
  });
});
