/** How files the user named appear in reports: however they were typed, the same bytes. */
import { expect } from 'chai';
import { join } from 'node:path';
import { displayPath, leavesBase, relativePath } from '../../src/input/display-path.ts';

describe('display paths', () => {
  const cwd = join('/work', 'repo');
  for (const typed of ['base.json', './base.json', join(cwd, 'base.json'), join(cwd, 'x', '..', 'base.json')]) {
    it(`names ${typed} as base.json`, () => {
      expect(displayPath(cwd, typed)).to.equal('base.json');
      expect(relativePath(cwd, typed)).to.equal('base.json');
    });
  }

  it('tells a path that leaves its base (.., ../x, absolute) from a folder whose name starts with two dots', () => {
    expect(['..', join('..', 'x'), '../x', join('/', 'abs')].map(leavesBase)).to.deep.equal([true, true, true, true]);
    expect(['..cfg', join('..cfg', 'x'), '...', 'a/../b', ''].map(leavesBase)).to.deep.equal([false, false, false, false, false]);
  });

  it('names an inventory read from standard input "stdin", but a config or baseline file called "-" by its name', () => {
    expect(displayPath(cwd, '-')).to.equal('stdin');
    expect(relativePath(cwd, '-')).to.equal('-');
  });
});
