/**
 * Reading an input file whole, within what Node can hold. Every input becomes one string, and V8
 * refuses a string past `MAX_STRING_LENGTH` (0x1fffffe8, about 512 MiB) with a RangeError that
 * reached the user as "internal error" and a stack trace, after the whole file had been read;
 * a device or FIFO that never ends (`--snapshot /dev/zero`) was read until memory ran out.
 * A regular file is measured before it is read; anything else is read in chunks and given up
 * as soon as it passes the limit.
 */
import { constants } from 'node:buffer';
import { closeSync, fstatSync, openSync, readFileSync, readSync } from 'node:fs';
import { InputError } from '../errors.ts';
import { unopenedDescriptor, unopenedDescriptorProblem } from './descriptors.ts';

/**
 * The most bytes an input may have. UTF-8 takes at least one byte per UTF-16 code unit, so a file
 * within this always decodes to a string Node can hold (one past it may too, with many multi-byte
 * characters, but a limit that depends on the content could not be checked before reading).
 */
const MAX_INPUT_BYTES = constants.MAX_STRING_LENGTH;

/** The bytes of the file at `path`; `file` names it in messages. Errors from opening or reading are thrown as they are. */
export function readInputFile(path: string, file: string, limit = MAX_INPUT_BYTES): Buffer {
  const unopened = unopenedDescriptor(path);
  if (unopened !== undefined) throw new InputError(unopenedDescriptorProblem('the path', unopened, '<FILE'), { file });
  const fd = openSync(path, 'r');
  try {
    const st = fstatSync(fd);
    if (st.isFile() && st.size > limit) throw new InputError(`the file is ${sizeInWords(st.size)}, more than the ${sizeInWords(limit)} of text Node.js can hold: trailgate cannot read it`, { file });
    // A regular file within the limit is read into one buffer of its size: chunks and their
    // concatenation would hold it twice at once (a 122 MB inventory's scan peaked 90 MB higher).
    if (st.isFile()) return readFileSync(fd);
    return readAll(fd, file, limit);
  } finally {
    closeSync(fd);
  }
}

/**
 * Everything the descriptor `fd` gives until its end, however slowly. A pipe may be in
 * non-blocking mode (Node puts standard input there once `process.stdin` is touched, and a
 * parent can hand it over that way), where a read before the writer is done fails with EAGAIN:
 * that means "not yet", so wait a moment and read again. Past `limit` bytes it stops.
 */
export function readAll(fd: number, file: string, limit = MAX_INPUT_BYTES): Buffer {
  const chunks: Buffer[] = [];
  let total = 0;
  const buffer = Buffer.allocUnsafe(1 << 20);
  for (;;) {
    let n: number;
    try {
      n = readSync(fd, buffer, 0, buffer.length, null);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EAGAIN') {
        Atomics.wait(PAUSE, 0, 0, 10);
        continue;
      }
      if (code === 'EOF') break; // a closed pipe on Windows
      throw e;
    }
    if (n === 0) break;
    total += n;
    if (total > limit) throw new InputError(`the input goes on past ${sizeInWords(limit)}, the most text Node.js can hold: trailgate cannot read it`, { file });
    chunks.push(Buffer.from(buffer.subarray(0, n)));
  }
  return Buffer.concat(chunks, total);
}

/** Something to wait on, synchronously, while a pipe has nothing yet. */
const PAUSE = new Int32Array(new SharedArrayBuffer(4));

/** A size as people read it, with the exact bytes: "600.0 MiB (629145600 bytes)". */
function sizeInWords(bytes: number): string {
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 'bytes';
  for (const u of units) {
    if (value < 1024) break;
    value /= 1024;
    unit = u;
  }
  return unit === 'bytes' ? `${bytes} bytes` : `${value.toFixed(1)} ${unit} (${bytes} bytes)`;
}
