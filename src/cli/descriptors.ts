/**
 * Paths that name an open file descriptor rather than a file: `/dev/stdout`, `/dev/stderr`,
 * `/dev/fd/N`, `/proc/self/fd/N`, or a link to one. On Linux these are links to whatever the
 * descriptor holds, so a report written "to the file they name" would, with `> out.txt`,
 * replace out.txt by a rename, or open it afresh at offset 0: either way destroying what else
 * the descriptor has written or will write. They are written through the descriptor instead.
 */
import { basename, dirname, resolve } from 'node:path';
import { fstatSync, lstatSync, readlinkSync, realpathSync } from 'node:fs';

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
    try {
      if (!lstatSync(p).isSymbolicLink()) return undefined;
      p = resolve(dir, readlinkSync(p));
    } catch {
      return undefined; // not there: an ordinary new file
    }
  }
  return undefined;
}

/** Whether `path` names this process's standard output (`/dev/stdout`, `/dev/fd/1`...). */
export function namesStdout(cwd: string, path: string): boolean {
  const d = descriptorOf(resolve(cwd, path));
  return d !== undefined && d.own && d.fd === 1;
}

/** Whether this process's descriptor `fd` is open on a regular file (not a pipe, a terminal or a device). */
export function holdsRegularFile(fd: number): boolean {
  try {
    return fstatSync(fd).isFile();
  } catch {
    return false; // not open
  }
}

function realDirectory(dir: string): string {
  try {
    return realpathSync(dir);
  } catch {
    return dir;
  }
}
