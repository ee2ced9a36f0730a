/** The report formats, one explicit registry: name to renderer. */
import { githubReport } from './github.ts';
import { jsonChunks } from './json.ts';
import { junitChunks } from './junit.ts';
import { sarifReport } from './sarif.ts';
import { textChunks, type TextOptions } from './text.ts';
import type { ReportInput, RepositoryPath } from './types.ts';

/** How a report is rendered: the text options, and for annotations and SARIF where the inventory files are in the repository. */
export interface RenderOptions extends TextOptions {
  /** `github` and `sarif`, inside GitHub Actions: each inventory file's path from the repository root, if it is in the repository. */
  repositoryPath?: RepositoryPath;
  /** `github`: error annotations to leave free for the caller's own (see GithubOptions). */
  reservedErrors?: number;
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
