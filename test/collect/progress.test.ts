/** Progress on stderr: plain, summarised lines off a terminal; one rewritten line on it; warnings always. */
import { expect } from 'chai';
import type { Io } from '../../src/cli/io.ts';
import { progressReporter } from '../../src/cli/live.ts';

function io(tty: boolean, env: Record<string, string> = {}, stderrColumns?: number): Io & { err: string } {
  const o = {
    stderrColumns,
    err: '',
    stdout: () => undefined,
    stderr: (s: string) => void (o.err += s),
    readStdin: () => '',
    cwd: '.',
    env,
    stdoutIsTTY: tty,
    stderrIsTTY: tty,
    now: () => new Date(0),
  };
  return o;
}

describe('collect: progress reporter', () => {
  it('off a terminal: plain lines, per-account lines summarised, warnings and the totals always', () => {
    const out = io(false);
    const p = progressReporter(out, false);
    p.line('collecting 3 accounts (3 at a time)');
    p.line('account 1: 17 region(s), 1 trail(s)');
    p.line('account 2: 17 region(s), 1 trail(s)');
    p.line('warning: account 3: region ap-east-1 is not enabled, skipped');
    p.line('collected 3 account(s)');
    p.done();
    expect(out.err).to.equal(
      [
        'trailgate: collecting 3 accounts (3 at a time)',
        'trailgate: warning: account 3: region ap-east-1 is not enabled, skipped',
        'trailgate: collected 3 account(s)',
        '',
      ].join('\n'),
    );
    expect(out.err.includes('\x1b') || out.err.includes('\r')).to.equal(false);
  });

  it('escapes control characters an AWS answer put in a line (an error code, a region name), on a terminal or off it', () => {
    for (const tty of [false, true]) {
      const out = io(tty, { COLUMNS: '200' });
      const p = progressReporter(out, false);
      p.line('warning: account 1: cannot assume the role (Denied\x1b[2J\n::error::forged\u202e), not collected');
      p.line('account 1: 17 region(s), 1 trail(s) \x07');
      p.done();
      expect(out.err).to.include('trailgate: warning: account 1: cannot assume the role (Denied\\x1b[2J\\n::error::forged\\u202e), not collected\n');
      const own = out.err.replaceAll('\r\x1b[2K', '');
      // eslint-disable-next-line no-control-regex -- control characters are what must not get through
      expect(/[\x00-\x09\x0b-\x1f\u202e]/.test(own), JSON.stringify(out.err)).to.equal(false);
    }
  });

  it('doubles a backslash in a line, so a literal `\\x1b` from AWS is not shown as an escaped ESC', () => {
    for (const tty of [false, true]) {
      const out = io(tty, { COLUMNS: '200' });
      const p = progressReporter(out, false);
      p.line('warning: account 1: cannot assume the role (Denied\x1b and Denied\\x1b), not collected');
      p.done();
      expect(out.err).to.include('trailgate: warning: account 1: cannot assume the role (Denied\\x1b and Denied\\\\x1b), not collected\n');
    }
  });

  it('on a terminal, cuts a long line to its width without splitting a character past U+FFFF in two', () => {
    for (const at of [0, 1]) {
      const out = io(true, {}, 20);
      const p = progressReporter(out, false);
      // "trailgate: " is 11 units; the emoji's two halves straddle the 19th unit or end on it.
      p.line(`${'a'.repeat(6 + at)}\u{1F600}bbbbbbbbbb`);
      const line = out.err.replaceAll('\r\x1b[2K', '');
      expect(line.length, JSON.stringify(line)).to.be.at.most(19);
      expect(/[\ud800-\udbff](?![\udc00-\udfff])/.test(line), JSON.stringify(line)).to.equal(false);
    }
  });

  it('with --quiet: warnings only', () => {
    const out = io(false);
    const p = progressReporter(out, true);
    p.line('collecting 1 account (1 at a time)');
    p.line('warning: something to know');
    p.done();
    expect(out.err).to.equal('trailgate: warning: something to know\n');
  });

  it('on a terminal: one line rewritten in place, cleared at the end; plain again when CI is set', () => {
    const tty = io(true, { COLUMNS: '60' });
    const p = progressReporter(tty, false);
    p.line('collecting 1 account (1 at a time)');
    p.line('account 1: 17 region(s), 1 trail(s)');
    p.done();
    expect(tty.err).to.contain('\r\x1b[2K');
    expect(tty.err.endsWith('\r\x1b[2K')).to.equal(true);
    const ci = io(true, { CI: 'true' });
    const q = progressReporter(ci, false);
    q.line('collecting 1 account (1 at a time)');
    q.done();
    expect(ci.err).to.equal('trailgate: collecting 1 account (1 at a time)\n');
  });

  it("on a terminal: lines fit the terminal's own width (COLUMNS is not exported), and a 0-column one gets plain lines", () => {
    const narrow = io(true, {}, 30);
    const p = progressReporter(narrow, false);
    p.line('collected 2 account(s), 1 trail(s), 1 bucket(s), 0 key(s), 2 failed read(s) in 0.7 s');
    const shown = narrow.err.split('\r\x1b[2K').filter((l) => l !== '');
    expect(shown.every((l) => l.length < 30), JSON.stringify(narrow.err)).to.equal(true);
    const zero = io(true, {}, 0);
    const q = progressReporter(zero, false);
    q.line('collecting 1 account (1 at a time)');
    q.done();
    expect(zero.err).to.equal('trailgate: collecting 1 account (1 at a time)\n');
  });
});
