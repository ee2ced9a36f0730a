/** The report formats, one explicit registry: name to renderer. */
import { githubReport } from './github.ts';
import { jsonReport } from './json.ts';
import { junitReport } from './junit.ts';
import { sarifReport } from './sarif.ts';
import { textReport, type TextOptions } from './text.ts';
import type { ReportInput } from './types.ts';

export type FormatName = 'text' | 'json' | 'sarif' | 'junit' | 'github';

export const FORMATS: Record<FormatName, (input: ReportInput, text: TextOptions) => string> = {
  text: (input, options) => textReport(input, options),
  json: (input) => jsonReport(input),
  sarif: (input) => sarifReport(input),
  junit: (input) => junitReport(input),
  github: (input) => githubReport(input),
};

export function isFormatName(s: string): s is FormatName {
  return Object.prototype.hasOwnProperty.call(FORMATS, s);
}
