/** The report formats, one explicit registry: name to renderer. */
import { githubReport } from './github.ts';
import { jsonChunks } from './json.ts';
import { junitChunks } from './junit.ts';
import { sarifReport } from './sarif.ts';
import { textChunks, type TextOptions } from './text.ts';
import type { ReportInput } from './types.ts';

/** How a report is rendered: the text options, and for annotations the directory the paths are under. */
export interface RenderOptions extends TextOptions {
  /** `github` and `sarif`: the working directory relative to the repository root (`$GITHUB_WORKSPACE`), '' when they are the same. */
  fileBase?: string;
}

export type FormatName = 'text' | 'json' | 'sarif' | 'junit' | 'github';

/**
 * Each format renders to a sequence of text chunks. The large ones (JSON and JUnit hold every
 * result, text every violation) stream, so a 500,000-result report is written piece by piece
 * and never held whole.
 */
export const FORMATS: Record<FormatName, (input: ReportInput, options: RenderOptions) => Iterable<string>> = {
  text: (input, options) => textChunks(input, options),
  json: (input) => jsonChunks(input),
  sarif: (input, options) => [sarifReport(input, options)],
  junit: (input) => junitChunks(input),
  github: (input, options) => [githubReport(input, options)],
};

export function isFormatName(s: string): s is FormatName {
  return Object.prototype.hasOwnProperty.call(FORMATS, s);
}
