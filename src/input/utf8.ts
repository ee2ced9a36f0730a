/**
 * Input files are UTF-8. Node would turn any other bytes into U+FFFD without a word, so a
 * Latin-1 trail name would be judged mangled and a UTF-16 file would be reported as "not a
 * mapping"; instead the file is refused where its first bad byte is.
 */
import { isUtf8 } from 'node:buffer';
import { InputError } from '../errors.ts';

/** The text of `bytes`, or an InputError at the line and column of the first byte that is not UTF-8. */
export function decodeUtf8(bytes: Buffer, file: string): string {
  const text = bytes.toString('utf8');
  if (isUtf8(bytes)) return text;
  const utf16 = (bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff);
  // The first replacement character stands where the first bad byte was (a file that writes a
  // real U+FFFD earlier is pointed at that one instead: still a place worth looking at).
  const at = Math.max(0, text.indexOf('\ufffd'));
  // A lone CR (classic Mac OS) ends a line too, as the parsers count them.
  const before = text.slice(0, at).replace(/\r(?!\n)/g, '\n');
  const line = before.split('\n').length;
  const lineStart = before.lastIndexOf('\n') + 1;
  // An editor does not show a byte order mark, so it takes no column of line 1 (as everywhere else).
  const bom = lineStart === 0 && text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const column = at - lineStart + 1 - bom;
  const why = utf16 ? 'it looks like UTF-16; save it as UTF-8' : 'a byte here is not part of any UTF-8 character; save the file as UTF-8';
  throw new InputError(`the file is not UTF-8 text: ${why}`, { file, line, column });
}
