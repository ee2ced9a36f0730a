/** What `bin` prints when a run stops: untrusted text in any message, a bug's included, stays inert on a terminal. */
import { expect } from 'chai';
import { exitForError } from '../../src/cli/exit.ts';
import { InputError } from '../../src/errors.ts';

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
