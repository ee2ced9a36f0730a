/**
 * No report forges a workflow command. The GitHub Actions runner reads every line a step prints
 * (any report can be printed: `--format json` without a file goes to standard output) and runs:
 * - `::command ...::data` when the line starts with it, after .NET's TrimStart (which removes
 *   any Unicode white space, U+00A0 and U+3000 among it);
 * - `##[command ...]data` anywhere in the line (the older syntax, found with IndexOf).
 * Lines are split at CR, LF and CRLF. Only the `github` format may hold commands, and only its
 * annotations, which must start their lines.
 */
import { expect } from 'chai';

/** .NET's Char.IsWhiteSpace: JavaScript's \s without U+FEFF, plus U+0085. */
const DOTNET_SPACE = /^[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*/;

function commandsIn(text: string): string[] {
  return text.split(/\r\n|\r|\n/).filter((line) => line.replace(DOTNET_SPACE, '').startsWith('::') || /##\[[^\]]*\]/.test(line));
}

export function checkNoCommands(reports: Record<string, string>): void {
  for (const [format, text] of Object.entries(reports)) {
    // The step summary is a file the runner renders as Markdown, never a log.
    if (format === 'summary') continue;
    const commands = commandsIn(text);
    if (format !== 'github') expect(commands, `${format}: lines the runner would run as workflow commands`).to.deep.equal([]);
    else for (const line of commands) expect(line, 'an annotation and nothing else').to.match(/^::(error|warning|notice) [^\n]*$/).and.not.include('##[');
  }
}
