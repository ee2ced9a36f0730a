/** What `bin` prints when a run stops: untrusted text in any message, a bug's included, stays inert on a terminal. */
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { generateInventory, inventoryText } from '../../bench/generate.ts';
import { exitCodeFor, exitForError } from '../../src/cli/exit.ts';
import type { Result } from '../../src/engine/result.ts';
import { CollectionError, InputError } from '../../src/errors.ts';
import { REPO, tempDir } from '../helpers/cli.ts';

const MAIN = join(REPO, 'src', 'cli', 'main.ts');

describe('exitCodeFor', () => {
  const result = (status: Result['status'], severity: Result['severity'], suppressed = false): Result => ({
    ruleId: 'r',
    severity,
    status,
    message: 'm',
    subject: { kind: 'account', accountId: '111122223333' },
    anchor: { accountId: '111122223333', pointer: '' },
    ...(suppressed ? { suppression: { kind: 'baseline' as const, reason: 'accepted' } } : {}),
  });

  it('never fails a run under --fail-on never, not even on a critical violation (cli.md: --fail-on never)', () => {
    expect(exitCodeFor([result('fail', 'critical')], 'never')).to.equal(0);
    expect(exitCodeFor([result('fail', 'critical'), result('error', 'low')], 'never')).to.equal(3);
  });

  it('fails at the threshold itself and above it, not below', () => {
    expect(exitCodeFor([result('fail', 'high')], 'high')).to.equal(1);
    expect(exitCodeFor([result('fail', 'critical')], 'high')).to.equal(1);
    expect(exitCodeFor([result('fail', 'medium')], 'high')).to.equal(0);
  });

  it('counts neither suppressed violations nor suppressed errors', () => {
    expect(exitCodeFor([result('fail', 'critical', true), result('error', 'low', true)], 'info')).to.equal(0);
  });
});

describe('exitForError', () => {
  it('escapes control characters in an internal error, line by line, keeping the trace readable', () => {
    const bug = new Error('bad trail name \u001b]8;;https://evil.example\u0007click\u001b]8;;\u0007 \u202e');
    bug.stack = `${bug.message}\n    at judge (src/engine/evaluate.ts:1:1)`;
    const { code, message } = exitForError(bug);
    expect(code).to.equal(70);
    const raw = [...message].filter((c) => c !== '\n' && (c.charCodeAt(0) < 0x20 || c === '\u007f' || (c >= '\u202a' && c <= '\u202e')));
    expect(raw).to.deep.equal([]);
    expect(message.split('\n')).to.have.length(3);
    expect(message).to.include('    at judge (src/engine/evaluate.ts:1:1)');
  });

  it("lets no line of an internal error's message start a workflow command (::error::...)", () => {
    const bug = new Error('bad trail\n::error file=README.md,line=1::forged\n \u00a0::warning::forged too');
    bug.stack = `Error: ${bug.message}\n    at judge (src/engine/evaluate.ts:1:1)`;
    const lines = exitForError(bug).message.split('\n');
    expect(lines.filter((l) => /^\s*::/.test(l))).to.deep.equal([]);
    expect(lines).to.include('\\x3a:error file=README.md,line=1::forged');
    expect(lines).to.include(' \u00a0\\x3a:warning::forged too');
  });

  it('doubles backslashes, so a file named with a literal `\\x1b` is not shown as one named with an ESC', () => {
    const esc = exitForError(new InputError('cannot read the inventory', { file: 'a\u001b[2Jb.json' })).message;
    const literal = exitForError(new InputError('cannot read the inventory', { file: 'a\\x1b[2Jb.json' })).message;
    expect(esc).to.equal('trailgate: a\\x1b[2Jb.json: cannot read the inventory');
    expect(literal).to.equal('trailgate: a\\\\x1b[2Jb.json: cannot read the inventory');
    const bug = new Error('trail a\\x1b');
    bug.stack = `${bug.message}\n    at judge (C:\\src\\evaluate.ts:1:1)`;
    expect(exitForError(bug).message.split('\n').slice(1)).to.deep.equal(['trail a\\\\x1b', '    at judge (C:\\\\src\\\\evaluate.ts:1:1)']);
  });

  it('gives an input error exit 2 and one escaped line', () => {
    const { code, message } = exitForError(new InputError('name \u001b[2J here'));
    expect(code).to.equal(2);
    expect(message.split('\n')).to.have.length(1);
    expect(message).to.not.include('\u001b');
  });

  // An AWS message is untrusted text too (cli.md: exit 2 for a run that could not start).
  it('gives a collection error exit 2 and one escaped line', () => {
    const { code, message } = exitForError(new CollectionError('AccessDenied: \u001b[2J\nforged line'));
    expect(code).to.equal(2);
    expect(message.split('\n')).to.have.length(1);
    expect(message).to.not.include('\u001b');
  });
});

describe('a report that cannot be written to standard output', () => {
  it('exits 2 and says so, whatever the verdict (a full disk under `> report.json`)', function () {
    if (!existsSync('/dev/full')) this.skip(); // Linux's always-full device
    const out = openSync('/dev/full', 'w');
    try {
      const r = spawnSync(process.execPath, ['--import', 'tsx', MAIN, 'scan', '--snapshot', join(REPO, 'examples', 'organization.yaml'), '--fail-on', 'never', '--format', 'json'], {
        cwd: REPO,
        stdio: ['ignore', out, 'pipe'],
        encoding: 'utf8',
      });
      expect(r.status, r.stderr).to.equal(2);
      expect(r.stderr).to.include('trailgate: cannot write the report to standard output: no space left on the device');
    } finally {
      closeSync(out);
    }
  });

  it('names no report when the output is help or the rule list', function () {
    if (!existsSync('/dev/full')) this.skip();
    const out = openSync('/dev/full', 'w');
    try {
      for (const args of [['rules'], ['scan', '--help'], ['--version']]) {
        const r = spawnSync(process.execPath, ['--import', 'tsx', MAIN, ...args], { cwd: REPO, stdio: ['ignore', out, 'pipe'], encoding: 'utf8' });
        expect(r.status, args.join(' ')).to.equal(2);
        expect(r.stderr, args.join(' ')).to.equal('trailgate: cannot write to standard output: no space left on the device\n');
      }
    } finally {
      closeSync(out);
    }
  });
});

/**
 * Runs the CLI from source as a process whose standard output is a pipe, as under `| head`. With
 * `closeEarly`, the reading end is closed as soon as the first bytes arrive, while the rest of
 * the report still waits to be written; otherwise everything is read.
 */
function throughPipe(args: string[], closeEarly: boolean, env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN, ...args], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  child.stdout.on('data', (d: Buffer) => {
    out.push(d);
    if (closeEarly) child.stdout.destroy();
  });
  child.stderr.on('data', (d: Buffer) => err.push(d));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') }));
  });
}

describe('a report to standard output whose reader goes away (`trailgate scan | head`)', () => {
  let big: string;
  before(() => {
    // A report of megabytes: far more than a pipe holds (64 KiB on Linux), so most of it is
    // still to be written when the reader closes its end.
    big = join(tempDir(), 'organization.json');
    writeFileSync(big, inventoryText(generateInventory({ accounts: 300, seed: 1 })));
  });

  // The verdict would be 0 for the first (no violation) and 1 for the second (210 violations).
  for (const only of ['trails-per-region', 'log-file-validation']) {
    it(`exits 2 with one line on stderr, whatever the verdict (--only ${only})`, async () => {
      const r = await throughPipe(['scan', '--snapshot', big, '--only', only, '--format', 'json'], true);
      expect(r.code, r.stderr).to.equal(2);
      expect(r.stderr).to.equal('trailgate: cannot write the report to standard output: EPIPE (the reader closed the pipe before the end of the report)\n');
    });
  }

  // The summary said the verdict's exit 1: the failure of a pipe comes after the write that made it.
  it('the step summary says the run ends 2, as it does', async () => {
    const dir = tempDir();
    const summary = join(dir, 'summary.md');
    const r = await throughPipe(['scan', '--snapshot', big, '--only', 'log-file-validation', '--format', 'json', '--format', `github=${join(dir, 'annotations.txt')}`], true, { GITHUB_STEP_SUMMARY: summary });
    expect(r.code, r.stderr).to.equal(2);
    expect(readFileSync(summary, 'utf8')).to.match(/^exit 2: 1 of 2 reports could not be written \(without that, exit 1: violations at or above low\)$/m);
  });

  it('gives the whole report and the verdict when the reader reads it all, or when it goes to a file', async () => {
    const piped = await throughPipe(['scan', '--snapshot', big, '--only', 'trails-per-region', '--fail-on', 'never', '--format', 'json'], false);
    expect(piped.code, piped.stderr).to.equal(0);
    expect(piped.stderr).to.equal('');
    const report = JSON.parse(piped.stdout) as { results: unknown[] };
    expect(report.results).to.have.length.greaterThan(1000);
    const file = join(tempDir(), 'out.json');
    const out = openSync(file, 'w');
    try {
      const r = spawnSync(process.execPath, ['--import', 'tsx', MAIN, 'scan', '--snapshot', big, '--only', 'trails-per-region', '--fail-on', 'never', '--format', 'json'], { cwd: REPO, stdio: ['ignore', out, 'pipe'], encoding: 'utf8' });
      expect(r.status, r.stderr).to.equal(0);
    } finally {
      closeSync(out);
    }
    expect(readFileSync(file, 'utf8')).to.equal(piped.stdout);
  });
});

describe('reports to the names of descriptors, with the descriptors redirected to files', () => {
  // `> out.txt` made /dev/stdout a link to out.txt: the JSON report was renamed over it, and what
  // else went to standard output was lost; the same for /dev/stderr and /dev/fd/3.
  it('writes into the redirect targets, after what is already there, replacing none', function () {
    if (!existsSync('/proc/self/fd')) this.skip(); // Linux's names of descriptors
    const dir = tempDir();
    const files = ['out.txt', 'err.txt', 'three.txt'].map((f) => join(dir, f));
    const fds = files.map((f) => openSync(f, 'w'));
    try {
      for (const fd of fds) writeSync(fd, 'before\n');
      const args = ['scan', '--snapshot', join(REPO, 'examples', 'organization.yaml'), '--fail-on', 'never'];
      const r = spawnSync(process.execPath, ['--import', 'tsx', MAIN, ...args, '--format', 'json=/dev/stdout', '--format', 'sarif=/dev/stderr', '--format', 'junit=/dev/fd/3'], { cwd: REPO, stdio: ['ignore', fds[0], fds[1], fds[2]] });
      expect(r.status).to.equal(0);
      const [out, err, three] = files.map((f) => readFileSync(f, 'utf8'));
      expect(out.startsWith('before\n{')).to.equal(true);
      expect(JSON.parse(out.slice('before\n'.length)).exitCode).to.equal(0);
      expect(err.startsWith('before\n{')).to.equal(true);
      expect(JSON.parse(err.slice('before\n'.length)).version).to.equal('2.1.0');
      expect(three).to.match(/^before\n<\?xml[^]*<\/testsuites>\n?$/);
    } finally {
      for (const fd of fds) closeSync(fd);
    }
  });
});

describe('standard error whose reader is gone (`2>&1 | true`, a closed log pipe)', () => {
  /** Runs the CLI from source with its standard error a pipe whose reading end is closed before it writes. */
  function withClosedStderr(args: string[]): Promise<number | null> {
    const child = spawn(process.execPath, ['--import', 'tsx', MAIN, ...args], { cwd: REPO, stdio: ['ignore', 'ignore', 'pipe'] });
    child.stderr.destroy();
    return new Promise((resolve, reject) => {
      child.on('error', reject);
      child.on('close', resolve);
    });
  }

  // Node made the failed write an uncaught error and exited 1, which reads as "violations".
  it('keeps the exit code the run decided: 2 for a missing inventory, 0 for a passing run, 1 for violations', async () => {
    const example = join(REPO, 'examples', 'organization.yaml');
    // Every report to a file: the one-line summary goes to standard error.
    const reports = ['--format', 'json=/dev/null'];
    expect(await withClosedStderr(['scan', '--snapshot', join(tempDir(), 'missing.yaml')])).to.equal(2);
    expect(await withClosedStderr(['scan', '--snapshot', example, '--fail-on', 'never', ...reports])).to.equal(0);
    expect(await withClosedStderr(['scan', '--snapshot', example, ...reports])).to.equal(1);
  });
});
