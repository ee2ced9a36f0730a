/**
 * Input files are UTF-8. Node would turn any other bytes into U+FFFD without a word, so a
 * Latin-1 trail name would be judged mangled and a UTF-16 file would be reported as "not a
 * mapping"; instead the file is refused where its first bad byte is. A NUL byte is refused too:
 * JSON and YAML text never holds one raw, and UTF-16 or UTF-32 text without a byte order mark is
 * valid UTF-8 full of them (it was reported as a JSON syntax error, or "not a mapping").
 */
import { isUtf8 } from 'node:buffer';
import { InputError } from '../errors.ts';

/** The text of `bytes`, or an InputError at the line and column of the first byte that is not UTF-8, or is NUL. */
export function decodeUtf8(bytes: Buffer, file: string): string {
  const text = bytes.toString('utf8');
  const utf8 = isUtf8(bytes);
  if (utf8 && bytes.indexOf(0) < 0) return text;
  const encoding = otherEncoding(bytes);
  // The first replacement character stands where the first bad byte was (a file that writes a
  // real U+FFFD earlier is pointed at that one instead: still a place worth looking at).
  // A file in another encoding is wrong as a whole: it is placed at its start.
  const at = encoding !== undefined ? 0 : Math.max(0, utf8 ? text.indexOf('\0') : text.indexOf('\ufffd'));
  // A lone CR (classic Mac OS) ends a line too, as the parsers count them.
  const before = text.slice(0, at).replace(/\r(?!\n)/g, '\n');
  const line = before.split('\n').length;
  const lineStart = before.lastIndexOf('\n') + 1;
  // An editor does not show a byte order mark, so it takes no column of line 1 (as everywhere else).
  const bom = lineStart === 0 && text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const column = at - lineStart + 1 - bom;
  // Standard input is no file to save: what is piped in is converted instead.
  const stdin = file === '<stdin>';
  const save = stdin ? 'convert it to UTF-8 (iconv -t UTF-8) before piping it in' : 'save it as UTF-8';
  const why =
    encoding !== undefined
      ? `it looks like ${encoding}; ${save}`
      : utf8
        ? `a NUL byte here, which JSON and YAML text never holds; ${stdin ? 'pipe in UTF-8 text' : 'save the file as UTF-8 text'}`
        : `a byte here is not part of any UTF-8 character; ${stdin ? save : 'save the file as UTF-8'}`;
  throw new InputError(`${stdin ? 'standard input' : 'the file'} is not UTF-8 text: ${why}`, { file, line, column });
}

/**
 * UTF-16 or UTF-32, by the byte order mark, or without one by the NUL bytes that text of these
 * encodings has where UTF-8 has none: one in every two bytes of ASCII in UTF-16, three in every
 * four in UTF-32.
 */
function otherEncoding(bytes: Buffer): string | undefined {
  const [a, b, c, d] = bytes;
  if ((a === 0xff && b === 0xfe && c === 0 && d === 0) || (a === 0 && b === 0 && c === 0xfe && d === 0xff)) return 'UTF-32';
  if ((a === 0xff && b === 0xfe) || (a === 0xfe && b === 0xff)) return 'UTF-16';
  const sample = bytes.subarray(0, 512);
  if (sample.length < 4) return undefined;
  let nul = 0;
  for (const byte of sample) if (byte === 0) nul++;
  const share = nul / sample.length;
  return share >= 0.7 ? 'UTF-32' : share >= 0.4 ? 'UTF-16' : undefined;
}
