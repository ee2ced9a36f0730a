/** What `bin` prints when a run stops: untrusted text in any message, a bug's included, stays inert on a terminal. */
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { exitForError } from '../../src/cli/exit.ts';
import { InputError } from '../../src/errors.ts';
import { REPO } from '../helpers/cli.ts';

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

  it('gives an input error exit 2 and one escaped line', () => {
    const { code, message } = exitForError(new InputError('name \u001b[2J here'));
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
      const r = spawnSync(process.execPath, ['--import', 'tsx', join(REPO, 'src', 'cli', 'main.ts'), 'scan', '--snapshot', join(REPO, 'examples', 'organization.yaml'), '--fail-on', 'never', '--format', 'json'], {
        cwd: REPO,
        stdio: ['ignore', out, 'pipe'],
        encoding: 'utf8',
      });
      expect(r.status, r.stderr).to.equal(2);
      expect(r.stderr).to.include('trailgate: cannot write the report to standard output: ENOSPC');
    } finally {
      closeSync(out);
    }
  });
});
