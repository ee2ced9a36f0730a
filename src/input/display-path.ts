/** How a file the user named appears in reports and messages. */
import { isAbsolute, relative, resolve, sep } from 'node:path';

/**
 * A path as reports show it: relative to the working directory, forward slashes, so that
 * `./a.json`, `a.json` and `/abs/a.json` give the same bytes. Only the platform's separator
 * becomes `/`: on POSIX a backslash is part of a file name, not a separator.
 */
export function displayPath(cwd: string, file: string): string {
  if (file === '<stdin>' || file === '-') return 'stdin';
  return relativePath(cwd, file);
}

/** The same for a file that is never standard input (a config or baseline named `-` is a file). */
export function relativePath(cwd: string, file: string): string {
  const rel = relative(cwd, resolve(cwd, file)).split(sep).join('/');
  return rel === '' ? file : rel;
}

/**
 * Whether a path made by `relative(from, to)` leaves `from`: `..` or `../x`, or absolute (another
 * drive). Not `..cfg/x`, a folder inside whose name merely starts with two dots.
 */
export function leavesBase(rel: string): boolean {
  return rel === '..' || rel.startsWith(`..${sep}`) || rel.startsWith('../') || isAbsolute(rel);
}
