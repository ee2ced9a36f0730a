/** The committed Action bundle is exactly what the sources build: an Action runs dist/ as committed. */
import { assert } from 'chai';
import { execFileSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { REPO } from '../config/run.ts';
import { tempDir } from '../helpers/cli.ts';

describe('dist/action.js', function () {
  this.timeout(20_000);

  it('is fresh: rebuilding gives the same bytes (run `npm run build:action` and commit dist/ when this fails)', () => {
    const out = join(tempDir('trailgate-bundle-'), 'action.js');
    execFileSync(process.execPath, [join(REPO, 'scripts', 'build-action.mjs'), out], { cwd: REPO, stdio: 'pipe' });
    const rebuilt = readFileSync(out);
    const committed = readFileSync(join(REPO, 'dist', 'action.js'));
    assert.isTrue(rebuilt.equals(committed), `dist/action.js is stale (${committed.length} bytes committed, ${rebuilt.length} rebuilt)`);
  });

  it('is one self-contained file of a sane size', () => {
    const text = readFileSync(join(REPO, 'dist', 'action.js'), 'utf8');
    assert.notMatch(text, /from\s*"(?:@aws-sdk|@smithy|commander|yaml|ajv)[^"]*"/, 'no import of a package: an Action has no node_modules');
    assert.isBelow(statSync(join(REPO, 'dist', 'action.js')).size, 10 * 1024 * 1024);
  });
});
