/** Parsing `--format FMT[=FILE]` and writing each report where it belongs. */
import { closeSync, mkdirSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { InputError } from '../errors.ts';
import { FORMATS, isFormatName, type FormatName } from '../report/index.ts';

export interface FormatSpec {
  format: FormatName;
  /** Undefined: standard output. */
  file?: string;
}

/**
 * Parses the `--format` values; at most one may take standard output. Without any, text goes to
 * standard output; when every report goes to a file, the scan prints only a summary, on stderr.
 */
export function parseFormats(values: readonly string[]): FormatSpec[] {
  const specs: FormatSpec[] = values.map((v) => {
    const eq = v.indexOf('=');
    const name = eq < 0 ? v : v.slice(0, eq);
    const file = eq < 0 ? undefined : v.slice(eq + 1);
    if (!isFormatName(name)) throw new InputError(`unknown format "${name}" in --format ${v}; expected one of ${Object.keys(FORMATS).join(', ')}`);
    if (file === '') throw new InputError(`--format ${v} names no file; write ${name}=FILE, or ${name} alone for standard output`);
    return { format: name, file };
  });
  const toStdout = specs.filter((s) => s.file === undefined);
  if (toStdout.length > 1) {
    throw new InputError(`only one format may write to standard output, got ${toStdout.map((s) => s.format).join(' and ')}; give the others a file (--format sarif=results.sarif)`);
  }
  const files = new Set<string>();
  for (const s of specs) {
    if (s.file === undefined) continue;
    if (files.has(s.file)) throw new InputError(`two formats write to the same file ${s.file}`);
    files.add(s.file);
  }
  if (specs.length === 0) specs.push({ format: 'text' });
  return specs;
}

/**
 * Writes a report atomically: a temporary file beside it, then a rename, so a killed run never
 * leaves a half-written report that a later CI step could read as clean.
 */
export function writeAtomically(cwd: string, file: string, content: string | Iterable<string>): void {
  // A string is iterable too, by character: take it whole.
  const chunks = typeof content === 'string' ? [content] : content;
  const target = resolve(cwd, file);
  const temp = `${target}.trailgate-tmp-${process.pid}`;
  try {
    mkdirSync(dirname(target), { recursive: true });
    const fd = openSync(temp, 'w');
    try {
      // The streaming reports already yield chunks of hundreds of kilobytes: written as they come.
      for (const chunk of chunks) writeSync(fd, chunk);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, target);
  } catch (e) {
    try {
      unlinkSync(temp);
    } catch {
      // the temporary file was never created
    }
    throw new InputError(`cannot write the report: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, { file });
  }
}

/** Joins small chunks into writes of about a megabyte: few system calls, little memory. */
export function* batched(chunks: Iterable<string>, size = 1 << 20): Generator<string> {
  let parts: string[] = [];
  let length = 0;
  for (const c of chunks) {
    parts.push(c);
    length += c.length;
    if (length >= size) {
      yield parts.join('');
      parts = [];
      length = 0;
    }
  }
  if (parts.length > 0) yield parts.join('');
}
