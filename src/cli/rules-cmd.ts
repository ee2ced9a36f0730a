/** `trailgate rules`: the rules that would run, as a table or as JSON. */
import type { CompiledRule } from '../rules/compiled.ts';
import { InputError } from '../errors.ts';
import { escapeTerminal, jsonWithoutCommands } from '../report/escape.ts';

/** Renders the rule listing. */
export function renderRules(rules: readonly CompiledRule[], format: string): string {
  if (format === 'json') {
    const list = rules.map((r) => ({
      id: r.meta.id,
      severity: r.meta.severity,
      scope: r.meta.scope,
      title: r.meta.title,
      source: r.meta.source,
      compliance: r.meta.compliance,
      parameters: r.params,
    }));
    // Titles and control ids come from rule files, a user's among them: `##[` in one would be a
    // workflow command where the listing is printed to an Actions log.
    return `${jsonWithoutCommands(JSON.stringify(list, null, 2))}\n`;
  }
  if (format !== 'text') throw new InputError(`unknown format "${format}" for rules; expected text or json`);
  const rows = rules.map((r) => [r.meta.id, r.meta.severity, r.meta.scope, escapeTerminal(r.meta.title)]);
  const head = ['ID', 'SEVERITY', 'SCOPE', 'TITLE'];
  // Every row has as many cells as head, and so as many as widths.
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join('  ');
  return `${[line(head), ...rows.map(line)].join('\n')}\n`;
}
