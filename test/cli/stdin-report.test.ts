/** Reports aimed at trailgate's own standard input: refused before any work, whatever the spelling. */
import { spawnSync, type StdioOptions } from 'node:child_process';
import { closeSync, existsSync, openSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { generateInventory, inventoryText } from '../../bench/generate.ts';
import { checkReportTargets, checkSnapshotOutput, parseFormats } from '../../src/cli/formats.ts';
import { InputError } from '../../src/errors.ts';
import { REPO, tempDir } from '../helpers/cli.ts';

const MAIN = join(REPO, 'src', 'cli', 'main.ts');
// Resolved here: the runs are in a temporary directory, where `--import tsx` would find no tsx.
const TSX = import.meta.resolve('tsx');
const EXAMPLE_FILE = join(REPO, 'examples', 'organization.yaml');
const EXAMPLE = readFileSync(EXAMPLE_FILE, 'utf8');

/** `trailgate scan ...args` in `cwd`, its standard input `input`: an open descriptor, or a file piped in by `cat`. */
function scan(cwd: string, args: string[], input: string | number) {
  const node = [process.execPath, '--import', TSX, MAIN, 'scan', ...args];
  // A shell's pipe, as in CI: Node's own `input` would be a socket, which cannot be opened by name.
  const [command, argv] = typeof input === 'number' ? [node[0], node.slice(1)] : ['sh', ['-c', 'cat "$0" | "$@"', input, ...node]];
  const stdio: StdioOptions = [typeof input === 'number' ? input : 'ignore', 'pipe', 'pipe'];
  // A run that hangs, as a report over 64 KiB into the pipe did, fails here instead of stalling the suite.
  return spawnSync(command, argv, { cwd, encoding: 'utf8', stdio, timeout: 30_000 });
}

describe('a report on the standard input that --snapshot - reads', () => {
  before(function () {
    if (!existsSync('/proc/self/fd')) this.skip(); // Linux's names of descriptors
  });

  // Into the pipe: a small report was lost while the summary named it written, and one over the
  // pipe's 64 KiB blocked forever (the CI step hung, no other report written).
  it('is refused with exit 2 when standard input is a pipe, under any name or link, however large the report', () => {
    const dir = tempDir();
    symlinkSync('/proc/self/fd/0', join(dir, 'input.json'));
    // Three accounts make a JSON report of about 140 KB: more than a pipe holds.
    const big = join(tempDir(), 'big.json');
    writeFileSync(big, inventoryText(generateInventory({ accounts: 3, seed: 1 })));
    for (const [target, inventory] of [['/dev/stdin', EXAMPLE_FILE], ['/dev/fd/0', big], ['/proc/self/fd/0', EXAMPLE_FILE], ['input.json', big]]) {
      const r = scan(dir, ['--snapshot', '-', '--format', 'sarif=other.sarif', '--format', `json=${target}`], inventory);
      expect(r.signal, `${target}: it hung`).to.equal(null);
      expect(r.status, `${target}: ${r.stderr}`).to.equal(2);
      expect(r.stderr).to.equal(`trailgate: --format json=${target} is trailgate's standard input, from which --snapshot - reads the inventory: the report would be written back into the scan's own input, never to a file or a reader; give it a file (--format json=trailgate.json)\n`);
      expect(r.stdout).to.equal('');
    }
    // Before any work: not even the other report was written.
    expect(readdirSync(dir)).to.deep.equal(['input.json']);
  });

  // `< inv.json`: the whole scan ran, then writing to the read-only descriptor failed with a bare
  // EBADF; and the file itself, named as a report, is the inventory.
  it('is refused when standard input is a file, through its descriptor or by the file\'s own name, which stays as it was', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'inv.yaml'), EXAMPLE);
    const fd = openSync(join(dir, 'inv.yaml'), 'r');
    try {
      const viaDescriptor = scan(dir, ['--snapshot', '-', '--format', 'json=/dev/stdin'], fd);
      expect(viaDescriptor.status, viaDescriptor.stderr).to.equal(2);
      expect(viaDescriptor.stderr).to.equal("trailgate: --format json=/dev/stdin is trailgate's standard input, from which --snapshot - reads the inventory: the report would be written back into the scan's own input, never to a file or a reader; give it a file (--format json=trailgate.json)\n");
      const byName = scan(dir, ['--snapshot', '-', '--format', 'sarif=./inv.yaml'], fd);
      expect(byName.status, byName.stderr).to.equal(2);
      expect(byName.stderr).to.equal('trailgate: --format sarif=./inv.yaml would overwrite the inventory that --snapshot - reads: it is the file standard input comes from; give each report its own file\n');
    } finally {
      closeSync(fd);
    }
    expect(readFileSync(join(dir, 'inv.yaml'), 'utf8')).to.equal(EXAMPLE);
    expect(readdirSync(dir)).to.deep.equal(['inv.yaml']);
  });

  it('still writes a report to a file of its own, or to /dev/null', () => {
    const dir = tempDir();
    const r = scan(dir, ['--snapshot', '-', '--format', 'json=r.json', '--format', 'sarif=/dev/null'], EXAMPLE_FILE);
    expect(r.status, r.stderr).to.equal(1);
    expect(JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8')).exitCode).to.equal(1);
  });
});

// Standard input is no output even when nothing reads it: CI gives the step a pipe, where a report
// went back into trailgate's own input (lost, or blocking once the pipe is full), and `< file`
// opens it for reading only (a bare EBADF after the whole scan).
describe('a report, or a saved snapshot, on a standard input that no --snapshot - reads', () => {
  before(function () {
    if (!existsSync('/proc/self/fd')) this.skip();
  });

  it('is refused with exit 2, before any work', () => {
    const dir = tempDir();
    const r = scan(dir, ['--snapshot', EXAMPLE_FILE, '--format', 'sarif=other.sarif', '--format', 'json=/dev/stdin'], EXAMPLE_FILE);
    expect(r.status, r.stderr).to.equal(2);
    expect(r.stderr).to.equal("trailgate: --format json=/dev/stdin is trailgate's standard input, which it only reads: the report would go back into its own input, or fail on a file opened for reading; give it a file (--format json=trailgate.json), or write json alone for standard output\n");
    expect(readdirSync(dir)).to.deep.equal([]);
  });

  it('is refused under every name of descriptor 0, for reports, --save-snapshot and snapshot -o alike', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'inv.json'), '{}');
    symlinkSync('/dev/stdin', join(dir, 'in.link'));
    for (const name of ['/dev/stdin', '/dev/fd/0', '/proc/self/fd/0', 'in.link']) {
      expect(() => checkReportTargets(dir, parseFormats([`junit=${name}`], dir), ['inv.json'])).to.throw(InputError, `--format junit=${name} is trailgate's standard input, which it only reads: the report would go back into its own input, or fail on a file opened for reading; give it a file (--format junit=trailgate.junit), or write junit alone for standard output`);
      expect(() => checkReportTargets(dir, [], [], name)).to.throw(InputError, `--save-snapshot ${name} is trailgate's standard input, which it only reads: the inventory would go back into its own input, or fail on a file opened for reading; save it to a file (--save-snapshot snapshot.json)`);
      expect(() => checkSnapshotOutput(dir, name, '-o')).to.throw(InputError, `-o ${name} is trailgate's standard input, which it only reads: the inventory would go back into its own input, or fail on a file opened for reading; save it to a file (-o snapshot.json)`);
    }
    // Another process's standard input is not this one's: nothing here says what it holds.
    expect(() => checkSnapshotOutput(dir, `/proc/${process.ppid}/fd/0`, '-o')).to.not.throw();
  });
});

// A terminal on standard input was read as an empty inventory: "<stdin>:1:1: the inventory is
// empty" sent the user looking for a problem in a file, when no file was given at all.
describe('--snapshot - with a terminal on standard input', () => {
  it('is refused with a hint to pipe or name the inventory, not taken for an empty one', function () {
    let terminal: number;
    try {
      terminal = openSync('/dev/ptmx', 'r+'); // a pseudo-terminal: isatty() holds for it
    } catch {
      this.skip();
    }
    try {
      const r = scan(tempDir(), ['--snapshot', '-'], terminal);
      expect(r.status, r.stderr).to.equal(2);
      expect(r.stderr).to.equal('trailgate: --snapshot - reads an inventory from standard input, which is a terminal here: pipe or redirect one into trailgate (trailgate scan --snapshot - < inventory.json), or name the file (--snapshot inventory.json)\n');
    } finally {
      closeSync(terminal);
    }
  });
});

describe('standard input named twice, as - and by its path', () => {
  before(function () {
    if (!existsSync('/proc/self/fd')) this.skip(); // Linux's names of descriptors
  });

  // Read twice, the pipe was found empty the second time: "the inventory is empty", of a file that is not.
  it('is read once, where it is first given, as a file given twice is', () => {
    for (const names of [['-', '/dev/stdin'], ['/dev/stdin', '-'], ['-', '/dev/fd/0']]) {
      const r = scan(tempDir(), [...names.flatMap((n) => ['--snapshot', n]), '--format', 'json'], EXAMPLE_FILE);
      expect(r.stderr, names.join(' ')).to.not.include('the inventory is empty');
      expect(r.status, names.join(' ')).to.equal(1);
      expect(JSON.parse(r.stdout).inputs, names.join(' ')).to.have.length(1);
    }
  });

  // Redirected from a file, standard input is that file: named beside it, it was read twice and
  // its accounts refused as "in two inventories" (/dev/stdin was told apart by its real path before).
  it('is one with the file it is redirected from (< a.json), under any of its names', () => {
    for (const names of [['/dev/stdin', EXAMPLE_FILE], ['-', EXAMPLE_FILE], [EXAMPLE_FILE, '-'], [EXAMPLE_FILE, '/dev/fd/0']]) {
      const fd = openSync(EXAMPLE_FILE, 'r');
      try {
        const r = scan(tempDir(), [...names.flatMap((n) => ['--snapshot', n]), '--format', 'json'], fd);
        expect(r.stderr, names.join(' ')).to.not.include('appears twice');
        expect(r.status, names.join(' ')).to.equal(1);
        expect(JSON.parse(r.stdout).inputs, names.join(' ')).to.have.length(1);
      } finally {
        closeSync(fd);
      }
    }
  });
});

describe('standard input named by its path alone', () => {
  before(function () {
    if (!existsSync('/proc/self/fd')) this.skip(); // Linux's names of descriptors
  });

  // As a path relative to the working directory, /dev/stdin was reported as `../../dev/stdin`:
  // in JSON's inputs and locations, and as a SARIF file of no repository.
  it('is named stdin in the reports, as - is, whether piped or redirected from a file', () => {
    for (const name of ['/dev/stdin', '/dev/fd/0']) {
      for (const input of [EXAMPLE_FILE, 'file'] as const) {
        const dir = tempDir();
        const fd = input === 'file' ? openSync(EXAMPLE_FILE, 'r') : undefined;
        try {
          const r = scan(dir, ['--snapshot', name, '--format', 'json', '--format', 'sarif=out.sarif'], fd ?? input);
          expect(r.status, r.stderr).to.equal(1);
          const report = JSON.parse(r.stdout) as { inputs: string[]; results: { location?: { file: string } }[] };
          expect(report.inputs, name).to.deep.equal(['stdin']);
          expect(new Set(report.results.map((x) => x.location?.file)), name).to.deep.equal(new Set(['stdin']));
          const sarif = readFileSync(join(dir, 'out.sarif'), 'utf8');
          expect(sarif, name).to.not.include('dev/');
          expect(sarif, name).to.include('"uri": "aws/111122223333/');
        } finally {
          if (fd !== undefined) closeSync(fd);
        }
      }
    }
  });

  it('is called <stdin> in a message about the inventory', () => {
    const r = scan(tempDir(), ['--snapshot', '/dev/stdin'], join(REPO, 'package.json'));
    expect(r.status).to.equal(2);
    expect(r.stderr).to.match(/^trailgate: <stdin>:\d+:\d+: /);
  });
});
