/** Writing step outputs to `$GITHUB_OUTPUT`, in the heredoc form that keeps any value on its own lines. */
import { randomUUID } from 'node:crypto';
import { appendFileSync } from 'node:fs';

/** The `name<<DELIMITER ... DELIMITER` records for the outputs, with a delimiter no value contains. */
export function outputRecords(outputs: Record<string, string>): string {
  let text = '';
  for (const [name, value] of Object.entries(outputs)) {
    let delimiter = `ghadelimiter_${randomUUID()}`;
    while (value.includes(delimiter) || name.includes(delimiter)) delimiter = `ghadelimiter_${randomUUID()}`;
    text += `${name}<<${delimiter}\n${value}\n${delimiter}\n`;
  }
  return text;
}

/** Appends the outputs to the file the runner names in GITHUB_OUTPUT; false when there is none (not in Actions). A file system error is thrown, for the caller to report. */
export function writeOutputs(file: string | undefined, outputs: Record<string, string>): boolean {
  if (!file) return false;
  appendFileSync(file, outputOrdered(outputs));
  return true;
}

function outputOrdered(outputs: Record<string, string>): string {
  return outputRecords(Object.fromEntries(Object.entries(outputs).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))));
}
