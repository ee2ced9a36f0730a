/** Two command-line conventions: `FMT=-` is standard output, and NO_COLOR counts only when it is not empty (no-color.org); TERM=dumb gets no colour. */
import { expect } from 'chai';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateInventory, inventoryText } from '../../bench/generate.ts';
import { run } from '../../src/cli/program.ts';
import type { Io } from '../../src/cli/io.ts';
import { cli, REPO, tempDir } from '../helpers/cli.ts';

const EXAMPLE = join(REPO, 'examples', 'organization.yaml');

async function onTerminal(env: Record<string, string>): Promise<string> {
  let stdout = '';
  const io: Io = { stdout: (s) => void (stdout += s), stderr: () => undefined, readStdin: () => '', cwd: REPO, env, stdoutIsTTY: true, stderrIsTTY: true, now: () => new Date(0) };
  await run(['scan', '--snapshot', EXAMPLE], io);
  return stdout;
}

describe('standard output and colour', () => {
  it('--format json=- writes the JSON report to standard output, and counts as the one format there', async () => {
    const r = await cli(['scan', '--snapshot', EXAMPLE, '--format', 'json=-']);
    expect(r.code).to.equal(1);
    expect(JSON.parse(r.stdout).results.length).to.be.greaterThan(0);
    const two = await cli(['scan', '--snapshot', EXAMPLE, '--format', 'json=-', '--format', 'sarif']);
    expect(two.code).to.equal(2);
    expect(two.stderr).to.include('only one format may write to standard output, got json and sarif');
  });

  it('colours a terminal unless NO_COLOR is set to something or the terminal is dumb', async () => {
    const ESC = '\u001b[';
    expect(await onTerminal({})).to.include(ESC);
    expect(await onTerminal({ NO_COLOR: '' })).to.include(ESC);
    expect(await onTerminal({ NO_COLOR: '1' })).to.not.include(ESC);
    expect(await onTerminal({ TERM: 'dumb' })).to.not.include(ESC);
    expect(await onTerminal({ TERM: 'xterm-256color' })).to.include(ESC);
  });

  // The entry point owns standard output and turns its failure into exit 2 (test/cli/exit.test.ts);
  // the scan's part is to stop making a report nobody will read, and to write the others.
  it('stops the report to standard output once it has failed, and still writes the report files', async () => {
    const dir = tempDir();
    // Megabytes of JSON: several writes to standard output.
    writeFileSync(join(dir, 'org.json'), inventoryText(generateInventory({ accounts: 300, seed: 1 })));
    const writes: string[] = [];
    const io: Io = {
      stdout: (s) => void writes.push(s),
      stdoutReady: () => Promise.resolve(false),
      stderr: () => undefined,
      readStdin: () => '',
      cwd: dir,
      env: {},
      stdoutIsTTY: false,
      stderrIsTTY: false,
      now: () => new Date(0),
    };
    await run(['scan', '--snapshot', 'org.json', '--only', 'trails-per-region', '--format', 'json', '--format', 'sarif=r.sarif'], io);
    expect(writes).to.have.length(1);
    expect(JSON.parse(readFileSync(join(dir, 'r.sarif'), 'utf8')).runs[0].tool.driver.rules[0].id).to.equal('trails-per-region');
  });
});
