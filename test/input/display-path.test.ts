/** How files the user named appear in reports: however they were typed, the same bytes. */
import { expect } from 'chai';
import { join } from 'node:path';
import { displayPath, relativePath } from '../../src/input/display-path.ts';

describe('display paths', () => {
  const cwd = join('/work', 'repo');
  for (const typed of ['base.json', './base.json', join(cwd, 'base.json'), join(cwd, 'x', '..', 'base.json')]) {
    it(`names ${typed} as base.json`, () => {
      expect(displayPath(cwd, typed)).to.equal('base.json');
      expect(relativePath(cwd, typed)).to.equal('base.json');
    });
  }

  it('names an inventory read from standard input "stdin", but a config or baseline file called "-" by its name', () => {
    expect(displayPath(cwd, '-')).to.equal('stdin');
    expect(relativePath(cwd, '-')).to.equal('-');
  });
});
