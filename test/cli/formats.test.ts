/** Writing reports: whole or not at all, in order, and bad targets named. */
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, closeSync, createReadStream, existsSync, fstatSync, lstatSync, mkdirSync, openSync, readdirSync, readFileSync, readlinkSync, statSync, symlinkSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import fc from 'fast-check';
import { checkReportTargets, parseFormats } from '../../src/cli/formats.ts';
import { batched, writeAtomically, writeStreamAtomically } from '../../src/cli/write-file.ts';
import { InputError } from '../../src/errors.ts';
import { generateInventory, inventoryText } from '../../bench/generate.ts';
import { cli, REPO, tempDir } from '../helpers/cli.ts';

function* failingAfter(first: string[]): Generator<string> {
  yield* first;
  throw new Error('the report broke half-way');
}

async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error('expected a rejection');
}

// Resolved here, for the children run in a temporary directory, where `--import tsx` would find
// no tsx; at the top of the module, not inside a suite: under tsx's loader import.meta.resolve
// lets mocha load the next test files meanwhile, and inside a suite their suites were defined in it.
const TSX = import.meta.resolve('tsx');

describe('report files', () => {
  it('streams chunks to the file in order, byte for byte (any text)', async () => {
    const dir = tempDir();
    await fc.assert(
      fc.asyncProperty(fc.array(fc.string({ unit: 'binary', maxLength: 300 }), { maxLength: 20 }), async (chunks) => {
        await writeStreamAtomically(dir, 'r.json', chunks);
        expect(readFileSync(join(dir, 'r.json'), 'utf8')).to.equal(Buffer.from(chunks.join(''), 'utf8').toString('utf8'));
      }),
      { numRuns: 60 },
    );
    expect(readdirSync(dir)).to.deep.equal(['r.json']);
  });

  it('writes chunks larger than one write at a time completely', async () => {
    const dir = tempDir();
    const big = ['a'.repeat(3 << 20), 'é'.repeat(1 << 20), 'z'];
    await writeStreamAtomically(dir, 'big.txt', big);
    expect(readFileSync(join(dir, 'big.txt'), 'utf8')).to.equal(big.join(''));
  });

  it('creates missing directories', async () => {
    const dir = tempDir();
    await writeStreamAtomically(dir, 'a/b/r.xml', ['<x/>']);
    writeAtomically(dir, 'c/d/r.xml', '<y/>');
    expect(readFileSync(join(dir, 'a/b/r.xml'), 'utf8')).to.equal('<x/>');
    expect(readFileSync(join(dir, 'c/d/r.xml'), 'utf8')).to.equal('<y/>');
  });

  it('keeps the previous report, and leaves no temporary file, when making the new one fails; a bug stays a bug, not a write that failed', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'r.sarif'), 'previous');
    const streamed = await rejection(writeStreamAtomically(dir, 'r.sarif', failingAfter(['new', 'er'])));
    // Not an InputError (exit 2, "cannot write the report"): the file system refused nothing, so the
    // error is trailgate's own and ends the run as a crash (exit 70), wherever the report was going.
    expect(streamed).not.to.be.instanceOf(InputError);
    expect((streamed as Error).message).to.equal('the report broke half-way');
    expect(() => writeAtomically(dir, 'r.sarif', failingAfter(['new']))).to.throw(Error, 'half-way').and.not.to.be.instanceOf(InputError);
    expect(readFileSync(join(dir, 'r.sarif'), 'utf8')).to.equal('previous');
    expect(readdirSync(dir)).to.deep.equal(['r.sarif']);
  });

  it('a directory the kernel refuses to create is an error, not an endless loop (/proc)', async function () {
    if (!existsSync('/proc/self')) this.skip();
    const streamed = await rejection(writeStreamAtomically(tempDir(), '/proc/trailgate-nope/r.sarif', ['{}']));
    expect((streamed as InputError).describe()).to.equal('/proc/trailgate-nope/r.sarif: cannot write the report: no such file or directory');
    const dir = tempDir();
    writeAtomically(dir, 'a/b/c/r.json', '{}');
    expect(readFileSync(join(dir, 'a', 'b', 'c', 'r.json'), 'utf8')).to.equal('{}');
  });

  it('names the file it cannot write, and why in words', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'taken.json'));
    const streamed = await rejection(writeStreamAtomically(dir, 'taken.json', ['{}']));
    expect(streamed).to.be.instanceOf(InputError);
    expect((streamed as InputError).message).to.equal('cannot write the report: is a directory, not a report file');
    expect((streamed as InputError).describe()).to.match(/^taken\.json: cannot write the report/);
    expect(() => writeAtomically(dir, 'taken.json', '{}')).to.throw(InputError, /cannot write the report: is a directory, not a report file/);
    expect(readdirSync(dir)).to.deep.equal(['taken.json']);
  });
});

describe('report targets that are not plain files', () => {
  // Renaming a temporary file over `/dev/null` (as root, in a container) replaced the device with
  // a regular file for every program on the machine. A FIFO stands in for any such target here.
  it('writes into a FIFO or device in place instead of renaming over it', async () => {
    const dir = tempDir();
    const fifo = join(dir, 'report.fifo');
    execFileSync('mkfifo', [fifo]);
    const reader = spawn('cat', [fifo]);
    let got = '';
    reader.stdout.on('data', (b: Buffer) => void (got += b.toString('utf8')));
    const read = new Promise((done) => reader.on('close', done));
    try {
      await writeStreamAtomically(dir, 'report.fifo', ['{"a":', '1}']);
      expect(lstatSync(fifo).isFIFO(), 'the FIFO is still there').to.equal(true);
      await read;
    } finally {
      reader.kill(); // were the FIFO replaced, the reader would wait for a writer forever
    }
    expect(got).to.equal('{"a":1}');
    expect(readdirSync(dir)).to.deep.equal(['report.fifo']);
  });

  it('keeps a symbolic link and replaces the file it points to', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'real.json'), 'old');
    symlinkSync('real.json', join(dir, 'link.json'));
    writeAtomically(dir, 'link.json', 'new');
    expect(lstatSync(join(dir, 'link.json')).isSymbolicLink()).to.equal(true);
    expect(readlinkSync(join(dir, 'link.json'))).to.equal('real.json');
    expect(readFileSync(join(dir, 'real.json'), 'utf8')).to.equal('new');
  });

  // In a shared directory anyone could plant a link at the temporary file's name, which was
  // `<report>.trailgate-tmp-<pid>`: the report was written through it into the file it named.
  it('never writes through a link planted where the temporary file used to be named', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'victim'), 'precious');
    symlinkSync(join(dir, 'victim'), join(dir, `r.json.trailgate-tmp-${process.pid}`));
    symlinkSync(join(dir, 'victim'), join(dir, `s.json.trailgate-tmp-${process.pid}`));
    writeAtomically(dir, 'r.json', 'report');
    await writeStreamAtomically(dir, 's.json', ['report']);
    expect(readFileSync(join(dir, 'victim'), 'utf8')).to.equal('precious');
    expect(readFileSync(join(dir, 'r.json'), 'utf8')).to.equal('report');
    expect(readFileSync(join(dir, 's.json'), 'utf8')).to.equal('report');
    expect(lstatSync(join(dir, 'r.json')).isFile()).to.equal(true);
  });

  // A snapshot holds bucket and key policies: a user who made it 0600 must not find it 0644 after the next run.
  it('keeps the permissions of the file it replaces (through a link too); a new file follows the umask', async () => {
    const dir = tempDir();
    for (const [name, mode] of [['a.json', 0o600], ['b.json', 0o640]] as const) {
      writeFileSync(join(dir, name), 'old');
      chmodSync(join(dir, name), mode);
    }
    symlinkSync('b.json', join(dir, 'link.json'));
    writeAtomically(dir, 'a.json', 'new');
    await writeStreamAtomically(dir, 'link.json', ['new']);
    expect(statSync(join(dir, 'a.json')).mode & 0o777).to.equal(0o600);
    expect(statSync(join(dir, 'b.json')).mode & 0o777).to.equal(0o640);
    writeAtomically(dir, 'c.json', 'new');
    expect(statSync(join(dir, 'c.json')).mode & 0o777).to.equal(0o666 & ~process.umask());
  });

  // With `> out.txt`, `/dev/stdout` is a link to out.txt: the report replaced out.txt by a rename,
  // destroying what else went to standard output, and `text` plus `json=/dev/stdout` passed as
  // two formats on two outputs.
  it('counts /dev/stdout, and every other name of descriptor 1, as standard output', function () {
    if (!existsSync('/proc/self/fd')) this.skip(); // Linux's names of descriptors
    const dir = tempDir();
    symlinkSync('/dev/stdout', join(dir, 'out.json'));
    for (const stdout of ['/dev/stdout', '/dev/fd/1', '/proc/self/fd/1', 'out.json']) {
      expect(parseFormats([`json=${stdout}`], dir), stdout).to.deep.equal([{ format: 'json' }]);
      expect(() => parseFormats(['text', `json=${stdout}`], dir), stdout).to.throw(InputError, 'only one format may write to standard output, got text and json');
    }
    expect(parseFormats(['json=/dev/stderr', 'sarif=/dev/fd/3'], dir)).to.deep.equal([
      { format: 'json', file: '/dev/stderr' },
      { format: 'sarif', file: '/dev/fd/3' },
    ]);
  });

  it('writes through a descriptor that holds a regular file, at its offset, never replacing the file (`2> log`, `3> r.json`)', async function () {
    if (!existsSync('/proc/self/fd')) this.skip();
    const dir = tempDir();
    const log = join(dir, 'log.txt');
    const fd = openSync(log, 'w');
    try {
      writeSync(fd, 'before\n');
      writeAtomically(dir, `/dev/fd/${fd}`, 'snapshot\n');
      await writeStreamAtomically(dir, `/proc/self/fd/${fd}`, ['re', 'port\n']);
      writeSync(fd, 'after\n');
      expect(readFileSync(log, 'utf8')).to.equal('before\nsnapshot\nreport\nafter\n');
      expect(statSync(log).ino, 'the same file, not one renamed over it').to.equal(fstatSync(fd).ino);
      expect(readdirSync(dir)).to.deep.equal(['log.txt']);
      // A report that breaks half-way leaves nothing of itself in the file.
      expect(() => writeAtomically(dir, `/dev/fd/${fd}`, failingAfter(['half']))).to.throw('half-way');
      expect(readFileSync(log, 'utf8')).to.equal('before\nsnapshot\nreport\nafter\n');
    } finally {
      closeSync(fd);
    }
  });

  it('refuses two formats that name one file in different spellings', () => {
    expect(() => parseFormats(['json=a.json', 'sarif=./a.json'])).to.throw(InputError, 'two formats write to the same file ./a.json');
  });

  it('refuses, before any work, a report over another through an absolute path or a link, over a --snapshot, or onto a directory', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'inv.json'), '{}');
    writeFileSync(join(dir, 'x.json'), '');
    symlinkSync('x.json', join(dir, 'link.json'));
    mkdirSync(join(dir, 'out'));
    const check = (values: string[]) => () => checkReportTargets(dir, parseFormats(values), ['inv.json']);
    expect(check(['json=x.json', `sarif=${join(dir, 'x.json')}`])).to.throw(InputError, `--format sarif=${join(dir, 'x.json')} would overwrite the json report x.json`);
    expect(check(['json=x.json', 'junit=link.json'])).to.throw(InputError, '--format junit=link.json would overwrite the json report x.json');
    expect(check(['json=new/../inv.json'])).to.throw(InputError, '--format json=new/../inv.json would overwrite the inventory inv.json');
    expect(check(['sarif=out'])).to.throw(InputError, '--format sarif=out names a directory, not a file; write sarif=out/trailgate.sarif');
    // The inventory named as messages name it everywhere, relative to the working directory, however it was given.
    expect(() => checkReportTargets(dir, parseFormats(['json=inv.json']), [join(dir, 'inv.json')])).to.throw(InputError, '--format json=inv.json would overwrite the inventory inv.json;');
    // Distinct files, and a device, are fine.
    expect(check(['json=x.json', 'sarif=new/r.sarif', 'junit=/dev/null'])).to.not.throw();
  });

  // `--format junit=.trailgate.yml` replaced the config with JUnit XML, and `--format
  // sarif=base.json --baseline base.json` the baseline with SARIF: the next run failed on them.
  it('refuses a report, or the saved snapshot, over the config file, the baseline or a rule file', () => {
    const dir = tempDir();
    for (const f of ['.trailgate.yml', 'base.json', 'rule.yaml', 'rules/a.yaml']) {
      mkdirSync(join(dir, 'rules'), { recursive: true });
      writeFileSync(join(dir, f), '');
    }
    const others = { config: join(dir, '.trailgate.yml'), baseline: 'base.json', rulePaths: ['rule.yaml', 'rules'] };
    const check = (values: string[], save?: string) => () => checkReportTargets(dir, parseFormats(values), ['inv.json'], save, others);
    expect(check(['junit=.trailgate.yml'])).to.throw(InputError, '--format junit=.trailgate.yml would overwrite the config file .trailgate.yml;');
    expect(check(['sarif=base.json'])).to.throw(InputError, '--format sarif=base.json would overwrite the baseline base.json, which must stay a JSON report;');
    expect(check(['json=rule.yaml'])).to.throw(InputError, '--format json=rule.yaml would overwrite the rule file rule.yaml;');
    expect(check(['json=rules/a.yaml'])).to.throw(InputError, '--format json=rules/a.yaml would put a report among the rule files of the rules directory rules,');
    // Not there yet, but the rule loader reads every YAML file of the directory.
    expect(check(['json=rules/new.YML'])).to.throw(InputError, 'would put a report among the rule files of the rules directory rules');
    expect(check([], '.trailgate.yml')).to.throw(InputError, '--save-snapshot .trailgate.yml would overwrite the config file .trailgate.yml;');
    expect(check([], 'base.json')).to.throw(InputError, '--save-snapshot base.json would overwrite the baseline base.json;');
    expect(check([], 'rules/s.yaml')).to.throw(InputError, '--save-snapshot rules/s.yaml would put the inventory among the rule files of the rules directory rules,');
    // The JSON report records the baseline again (it was read first); other files in the rules folder are no rules.
    expect(check(['json=base.json', 'sarif=rules/r.sarif'])).to.not.throw();
  });

  // The snapshot is not there yet, so the link dangles: it was taken for a file of its own.
  it('sees through a dangling link to the snapshot still to be saved', () => {
    const dir = tempDir();
    symlinkSync('snap.json', join(dir, 'link.json'));
    expect(() => checkReportTargets(dir, parseFormats(['json=link.json']), [], 'snap.json')).to.throw(InputError, '--save-snapshot snap.json and --format json=link.json name the same file');
    // Its `..` counts from the real directory, as the kernel's does, even through a linked one: d/l is a/b/r.json.
    mkdirSync(join(dir, 'a', 'b', 'c'), { recursive: true });
    symlinkSync(join('a', 'b', 'c'), join(dir, 'd'));
    symlinkSync(join('..', 'r.json'), join(dir, 'a', 'b', 'c', 'l'));
    expect(() => checkReportTargets(dir, parseFormats(['json=d/l', 'sarif=a/b/r.json']), [])).to.throw(InputError, '--format sarif=a/b/r.json would overwrite the json report d/l');
  });

  it('knows the config file the scan read, and leaves it as it was', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, '.trailgate.yml'), 'failOn: high\n');
    const r = await cli(['scan', '--snapshot', join(REPO, 'examples', 'organization.yaml'), '--format', 'junit=.trailgate.yml'], { cwd: dir });
    expect(r.code).to.equal(2);
    expect(r.stderr).to.include('--format junit=.trailgate.yml would overwrite the config file .trailgate.yml;');
    expect(readFileSync(join(dir, '.trailgate.yml'), 'utf8')).to.equal('failOn: high\n');
  });
});

describe('a scan with reports that cannot be written', () => {
  const EXAMPLE = join(REPO, 'examples', 'organization.yaml');

  // CI uploads the reports that exist even from a failed step (`if: !cancelled()`): one report
  // that fails, wherever it is in the list, must not cost the others.
  it('writes every other report, then exits 2 naming each that failed, one line apiece', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'blocked'), ''); // a file where a report wants a directory
    const args = ['scan', '--snapshot', EXAMPLE, '--format', 'sarif=blocked/r.sarif', '--format', 'junit=j.xml', '--format', 'json=j.json', '--format', 'text=blocked/r.txt'];
    const failures = [
      'trailgate: blocked/r.sarif: cannot write the report: a part of the path is a file, not a directory',
      'trailgate: blocked/r.txt: cannot write the report: a part of the path is a file, not a directory',
    ];
    const r = await cli(args, { cwd: dir });
    expect(r.code, r.stderr).to.equal(2);
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines.slice(1)).to.deep.equal(failures);
    expect(lines[0]).to.match(/; exit 2: 2 of 4 reports could not be written \(without that, exit 1: \d+ violations at or above low\)\. Reports: j\.xml, j\.json$/);
    expect(JSON.parse(readFileSync(join(dir, 'j.json'), 'utf8')).exitCode).to.equal(1);
    expect(readFileSync(join(dir, 'j.xml'), 'utf8')).to.match(/<\/testsuites>\n?$/);
    expect(readdirSync(dir).sort(), 'no temporary file left behind').to.deep.equal(['blocked', 'j.json', 'j.xml']);

    const quiet = await cli([...args, '--quiet'], { cwd: dir });
    expect(quiet.code).to.equal(2);
    expect(quiet.stderr).to.equal(failures.map((l) => `${l}\n`).join(''));
  });

  it('a report that fails half-way (a full device) does not stop the ones after it', async function () {
    if (!existsSync('/dev/full')) this.skip(); // Linux's always-full device
    const dir = tempDir();
    const r = await cli(['scan', '--snapshot', EXAMPLE, '--format', 'sarif=/dev/full', '--format', 'junit=j.xml', '--format', 'json=j.json', '--quiet'], { cwd: dir });
    expect(r.code).to.equal(2);
    expect(r.stderr).to.equal('trailgate: /dev/full: cannot write the report: no space left on the device\n');
    expect(JSON.parse(readFileSync(join(dir, 'j.json'), 'utf8')).exitCode).to.equal(1);
    expect(readdirSync(dir).sort()).to.deep.equal(['j.json', 'j.xml']);
  });
});

// A killed run (Ctrl-C, a cancelled CI job, a timeout, a closed terminal) left its temporary report files beside the
// reports, half-written, where an upload of the report folder took them along.
describe('a scan killed while it writes its reports', function () {
  this.timeout(120_000);
  const MAIN = join(REPO, 'src', 'cli', 'main.ts');


  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    it(`${signal}: ends by that signal, leaving no temporary file and the earlier report as it was`, async function () {
      if (process.platform === 'win32') this.skip(); // no POSIX signals
      const dir = tempDir();
      writeFileSync(join(dir, 'inv.json'), inventoryText(generateInventory({ accounts: 300, seed: 1 })));
      writeFileSync(join(dir, 'r.sarif'), 'the earlier report\n');
      const child = spawn(process.execPath, ['--import', TSX, MAIN, 'scan', '--snapshot', 'inv.json', '--format', 'json=r.json', '--format', 'sarif=r.sarif', '--format', 'junit=r.xml', '--quiet'], { cwd: dir, stdio: 'ignore' });
      const ended = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) => child.on('exit', (code, sig) => done({ code, signal: sig })));
      // Killed as soon as the first report is being written: its temporary file is there.
      let killed = false;
      const watch = setInterval(() => {
        if (!killed && readdirSync(dir).some((f) => f.includes('.trailgate-tmp-'))) {
          killed = true;
          child.kill(signal);
        }
      }, 1);
      const { code, signal: by } = await ended;
      clearInterval(watch);
      expect(killed, 'the run ended before any report was being written').to.equal(true);
      expect({ code, signal: by }).to.deep.equal({ code: null, signal });
      const left = readdirSync(dir).sort();
      expect(left.filter((f) => f.includes('trailgate-tmp')), 'temporary files left behind').to.deep.equal([]);
      expect(readFileSync(join(dir, 'r.sarif'), 'utf8')).to.equal('the earlier report\n');
    });
  }

  it('leaves a named pipe it wrote a report into in place: only temporary files are removed', async function () {
    if (process.platform === 'win32') this.skip(); // no POSIX signals
    const dir = tempDir();
    writeFileSync(join(dir, 'inv.json'), inventoryText(generateInventory({ accounts: 300, seed: 1 })));
    execFileSync('mkfifo', [join(dir, 'r.pipe')]);
    const child = spawn(process.execPath, ['--import', TSX, MAIN, 'scan', '--snapshot', 'inv.json', '--format', 'json=r.pipe', '--format', 'sarif=r.sarif', '--quiet'], { cwd: dir, stdio: 'ignore' });
    const ended = new Promise<NodeJS.Signals | null>((done) => child.on('exit', (_code, sig) => done(sig)));
    // The report written through the pipe first, then killed once the next one is being written.
    const read = createReadStream(join(dir, 'r.pipe')).resume();
    let killed = false;
    const watch = setInterval(() => {
      if (!killed && readdirSync(dir).some((f) => f.includes('.trailgate-tmp-'))) {
        killed = true;
        child.kill('SIGTERM');
      }
    }, 1);
    const by = await ended;
    clearInterval(watch);
    read.destroy();
    expect([killed, by]).to.deep.equal([true, 'SIGTERM']);
    expect(lstatSync(join(dir, 'r.pipe')).isFIFO(), 'the pipe').to.equal(true);
  });
});

describe('batched', () => {
  it('joins chunks into writes of about the given size without losing or reordering text', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 50 })), fc.integer({ min: 1, max: 200 }), (chunks, size) => {
        const out = [...batched(chunks, size)];
        expect(out.join('')).to.equal(chunks.join(''));
        // Every batch but the last reached the size; none is empty.
        for (const b of out.slice(0, -1)) expect(b.length).to.be.at.least(size);
        if (out.length > 0) expect(out[out.length - 1].length).to.be.greaterThan(0);
      }),
    );
  });
});
