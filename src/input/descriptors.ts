/**
 * Paths that name an open file descriptor rather than a file: `/dev/stdout`, `/dev/stderr`,
 * `/dev/fd/N`, `/proc/self/fd/N`, or a link to one. On Linux these are links to whatever the
 * descriptor holds, so a report written "to the file they name" would, with `> out.txt`,
 * replace out.txt by a rename, or open it afresh at offset 0: either way destroying what else
 * the descriptor has written or will write. They are written through the descriptor instead.
 */
import { basename, dirname, resolve } from 'node:path';
import { fstatSync, lstatSync, readdirSync, readFileSync, readlinkSync, realpathSync, statSync } from 'node:fs';

/** An open file descriptor a path names: `own` when it is this process's (not `/proc/<other pid>/fd/N`). */
export interface Descriptor {
  fd: number;
  own: boolean;
}

/** The file descriptor `path` names, through any links, or undefined when it names an ordinary file. */
export function descriptorOf(path: string): Descriptor | undefined {
  let p = path;
  // A loop of links ends where the kernel would give up (ELOOP): 40 hops.
  for (let hops = 0; hops < 40; hops++) {
    const dir = realDirectory(dirname(p));
    const fd = /^\d+$/.test(basename(p)) ? Number(basename(p)) : undefined;
    // `/dev/fd` is `/proc/self/fd` on Linux, and the kernel's own descriptor directory on the BSDs and macOS.
    const proc = /^\/proc\/(\d+)(?:\/task\/\d+)?\/fd$/.exec(dir);
    if (fd !== undefined && (proc !== null || dir === '/dev/fd')) return { fd, own: proc === null || Number(proc[1]) === process.pid };
    const next = linkTarget(p);
    if (next === undefined) return undefined; // an ordinary file, or not there: an ordinary new one
    p = next;
  }
  return undefined;
}

/**
 * Where the symbolic link `path` points, resolved from its directory's real path as the kernel
 * resolves a link's `..`; undefined when `path` is no link (or is not there).
 */
export function linkTarget(path: string): string | undefined {
  try {
    return lstatSync(path).isSymbolicLink() ? resolve(realDirectory(dirname(path)), readlinkSync(path)) : undefined;
  } catch {
    return undefined;
  }
}

/** Whether `path` names this process's standard output (`/dev/stdout`, `/dev/fd/1`...). */
export function namesStdout(cwd: string, path: string): boolean {
  const d = descriptorOf(resolve(cwd, path));
  return d !== undefined && d.own && d.fd === 1;
}

/** Whether `path` names this process's standard input (`/dev/stdin`, `/dev/fd/0`, `/proc/self/fd/0`...). */
export function namesStdin(cwd: string, path: string): boolean {
  const d = descriptorOf(resolve(cwd, path));
  return d !== undefined && d.own && d.fd === 0;
}

/**
 * What standard input comes from when `path`, under any name, is that same file (`< inv.json`)
 * or pipe (`< fifo`, or the writing end of the pipe as another process's `/proc/PID/fd/1`):
 * compared by device and inode, as only the descriptor knows what it was opened on. A terminal
 * or `/dev/null` is never it: writing there does not reach what standard input reads.
 */
export function stdinSource(path: string): 'file' | 'pipe' | undefined {
  try {
    const input = fstatSync(0);
    const kind = input.isFile() ? 'file' : input.isFIFO() || input.isSocket() ? 'pipe' : undefined;
    if (kind === undefined) return undefined;
    const target = statSync(path);
    return target.dev === input.dev && target.ino === input.ino ? kind : undefined;
  } catch {
    return undefined; // standard input closed, or nothing at `path` yet
  }
}

/** Whether this process's descriptor `fd` is open on a regular file (not a pipe, a terminal or a device). */
export function holdsRegularFile(fd: number): boolean {
  try {
    return fstatSync(fd).isFile();
  } catch {
    return false; // not open
  }
}

/**
 * The descriptor `path` names when it is one the shell did not open for trailgate
 * (`/dev/fd/7` without `7>file`): reading or writing it would reach Node's own plumbing.
 */
export function unopenedDescriptor(path: string): number | undefined {
  const d = descriptorOf(path);
  return d !== undefined && d.own && isRuntimeDescriptor(d.fd) ? d.fd : undefined;
}

/** What to say of such a descriptor, `fd`, named by `what` (`--format json=/dev/fd/7`). */
export function unopenedDescriptorProblem(what: string, fd: number, redirect: string): string {
  return `${what} names descriptor ${fd}, which was not opened for trailgate (Node.js uses it for itself); open it when you run trailgate (${fd}${redirect}) or name a file`;
}

/**
 * Whether this process's descriptor `fd` is one Node.js opened for its own event loop (an epoll,
 * an eventfd, or one end of a wake-up pipe whose other end it also holds), and so not one the
 * shell gave trailgate. `--format json=/dev/fd/7` without `7>file` wrote into that plumbing and
 * Node died of a segmentation fault; `--snapshot /dev/fd/4` waited forever. Linux tells through
 * /proc; elsewhere nothing is known and nothing is refused.
 */
export function isRuntimeDescriptor(fd: number): boolean {
  if (fd <= 2) return false;
  const target = linkOf(fd);
  if (target === undefined) return false;
  if (target.startsWith('anon_inode:')) return true;
  if (!target.startsWith('pipe:')) return false;
  // A pipe the shell gives (`7> >(gzip)`, `<(cat f)`) has its other end in another process; a
  // second descriptor on the same end (`7>&1` into a pipe) is no sign either: only both ends are.
  const mode = accessMode(fd);
  let others: string[];
  try {
    others = readdirSync('/proc/self/fd');
  } catch {
    return false;
  }
  return others.some((o) => Number(o) !== fd && linkOf(Number(o)) === target && accessMode(Number(o)) !== mode);
}

function linkOf(fd: number): string | undefined {
  try {
    return readlinkSync(`/proc/self/fd/${fd}`);
  } catch {
    return undefined;
  }
}

/** O_RDONLY, O_WRONLY or O_RDWR, from the octal `flags:` line of /proc/self/fdinfo. */
function accessMode(fd: number): number | undefined {
  try {
    const flags = /^flags:\s*([0-7]+)$/m.exec(readFileSync(`/proc/self/fdinfo/${fd}`, 'utf8'));
    return flags === null ? undefined : Number.parseInt(flags[1]!, 8) & 3;
  } catch {
    return undefined;
  }
}

function realDirectory(dir: string): string {
  try {
    return realpathSync(dir);
  } catch {
    return dir;
  }
}
