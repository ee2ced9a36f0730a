/** The parser of every option that names a file, shared by `scan`, `rules` and `snapshot`. */
import { InvalidArgumentError } from 'commander';

/**
 * A file or directory argument. An empty one (`--snapshot "$UNSET"`) would resolve to the working
 * directory and be reported as a directory with no name; say what it is instead.
 */
export function filePath(value: string): string {
  if (value === '') throw new InvalidArgumentError('An empty argument names no file.');
  return value;
}
