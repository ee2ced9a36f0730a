import { spawnSync, type StdioOptions } from 'node:child_process';
import { closeSync, existsSync, openSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { isRuntimeDescriptor } from '../../src/input/descriptors.ts';
import { REPO, tempDir } from '../helpers/cli.ts';

const MAIN = join(REPO, 'src', 'cli', 'main.ts');

/** This process's descriptors and what each links to, from /proc. */
function openDescriptors(): Map<number, string> {
  const links = new Map<number, string>();
  for (const f of readdirSync('/proc/self/fd')) {
    try {
      links.set(Number(f), readlinkSync(`/proc/self/fd/${f}`));
    } catch {
      // the directory's own descriptor, closed by now
    }
  }
  return links;
}

describe("descriptors Node.js opened for itself (Linux's /proc)", () => {
  before(function () {
    if (!existsSync('/proc/self/fdinfo')) this.skip();
  });

  it("recognises the event loop's epoll and eventfd, and its wake-up pipe held at both ends", () => {
    const links = [...openDescriptors()];
    const anon = links.filter(([fd, l]) => fd > 2 && l.startsWith('anon_inode:'));
    expect(anon.length).to.be.greaterThan(0);
    for (const [fd] of anon) expect(isRuntimeDescriptor(fd), `descriptor ${fd}`).to.equal(true);
    const pipes = links.filter(([fd, l]) => fd > 2 && l.startsWith('pipe:') && links.filter(([, o]) => o === l).length === 2);
    expect(pipes.length).to.be.greaterThan(0);
    for (const [fd] of pipes) expect(isRuntimeDescriptor(fd), `descriptor ${fd}`).to.equal(true);
  });

  it('does not take a file, standard streams or a closed descriptor for one', () => {
    const file = join(tempDir(), 'a.txt');
    const fd = openSync(file, 'w');
    try {
      expect(isRuntimeDescriptor(fd)).to.equal(false);
    } finally {
      closeSync(fd);
    }
    for (const std of [0, 1, 2]) expect(isRuntimeDescriptor(std)).to.equal(false);
    expect(isRuntimeDescriptor(fd)).to.equal(false); // closed now
  });

  // Without `7>file`, Node wrote the report into its own event loop's pipe and died of a
  // segmentation fault (exit 139), after printing "Reports: /dev/fd/7"; `--snapshot /dev/fd/4`
  // waited forever on the other end of such a pipe.
  it('refuses reports and inventories that name one, with exit 2 and the redirect to use', () => {
    const example = join(REPO, 'examples', 'organization.yaml');
    const cases = [
      ['scan', '--snapshot', example, '--format', 'json=/dev/fd/7'],
      ['scan', '--snapshot', example, '--format', 'sarif=/dev/fd/3'],
      ['scan', '--snapshot', '/dev/fd/4'],
      ['scan', '--snapshot', '/dev/fd/5'],
    ];
    for (const args of cases) {
      const r = spawnSync(process.execPath, ['--import', 'tsx', MAIN, ...args], { cwd: REPO, encoding: 'utf8', timeout: 30_000, stdio: ['ignore', 'pipe', 'pipe'] });
      const fd = /\/dev\/fd\/(\d+)/.exec(args.join(' '))?.[1];
      expect(r.signal, args.join(' ')).to.equal(null);
      expect(r.status, `${args.join(' ')}: ${r.stderr}`).to.equal(2);
      expect(r.stderr).to.include(`names descriptor ${fd}, which was not opened for trailgate`);
      expect(r.stdout).to.equal('');
    }
  });

  it('still writes to a descriptor the caller did open', () => {
    const file = join(tempDir(), 'seven.json');
    const fd = openSync(file, 'w');
    try {
      const stdio: StdioOptions = ['ignore', 'ignore', 'pipe', 'ignore', 'ignore', 'ignore', 'ignore', fd];
      const r = spawnSync(process.execPath, ['--import', 'tsx', MAIN, 'scan', '--snapshot', join(REPO, 'examples', 'organization.yaml'), '--format', 'json=/dev/fd/7'], { cwd: REPO, encoding: 'utf8', stdio });
      expect(r.status, r.stderr).to.equal(1);
    } finally {
      closeSync(fd);
    }
    expect(JSON.parse(readFileSync(file, 'utf8')).exitCode).to.equal(1);
  });
});
