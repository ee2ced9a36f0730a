/** Reading an input whole, no further than a limit: measured first when it is a file, counted as read otherwise. */
import { existsSync, openSync, closeSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { readAll, readInputFile } from '../../src/input/read-input.ts';
import { inputErrorOf } from '../helpers/input-error.ts';
import { tempDir } from '../helpers/cli.ts';

describe('readInputFile', () => {
  it('reads a file up to the limit whole, and refuses one byte more by its size', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'at.json'), 'x'.repeat(2048));
    writeFileSync(join(dir, 'past.json'), 'x'.repeat(2049));
    expect(readInputFile(join(dir, 'at.json'), 'at.json', 2048).toString()).to.equal('x'.repeat(2048));
    const e = inputErrorOf(() => readInputFile(join(dir, 'past.json'), 'past.json', 2048));
    expect(e.message).to.equal('the file is 2.0 KiB (2049 bytes), more than the 2.0 KiB (2048 bytes) of text Node.js can hold: trailgate cannot read it');
    expect(e.position).to.deep.equal({ file: 'past.json' });
  });

  it('stops reading a device that never ends once past the limit', function () {
    if (!existsSync('/dev/zero')) this.skip();
    const e = inputErrorOf(() => readInputFile('/dev/zero', 'zero', 3 * 1024 * 1024));
    expect(e.message).to.equal('the input goes on past 3.0 MiB (3145728 bytes), the most text Node.js can hold: trailgate cannot read it');
  });

  it('throws a missing file or a directory as the system names it, for the caller to word', () => {
    const dir = tempDir();
    expect(() => readInputFile(join(dir, 'nope.json'), 'nope.json')).to.throw().with.property('code', 'ENOENT');
    expect(() => readInputFile(dir, 'dir')).to.throw().with.property('code', 'EISDIR');
  });
});

describe('readAll', () => {
  it('reads a descriptor to its end, across chunks', () => {
    const dir = tempDir();
    const text = 'abc'.repeat(1_000_000);
    writeFileSync(join(dir, 'f'), text);
    const fd = openSync(join(dir, 'f'), 'r');
    try {
      expect(readAll(fd, 'f').toString()).to.equal(text);
    } finally {
      closeSync(fd);
    }
  });
});
