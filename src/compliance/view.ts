/**
 * `trailgate rules --compliance FRAMEWORK`: the framework's controls, the rules that check
 * each, and the controls trailgate cannot check, with the reason. Which rule covers a control
 * comes from the rules' own `compliance` mappings (so user rules count too); the catalogue
 * adds titles and the controls no rule can cover.
 */
import { InputError } from '../errors.ts';
import { escapeLineStart, escapeTerminal, jsonWithoutCommands } from '../report/escape.ts';
import type { CompiledRule } from '../rules/compiled.ts';
import { compareControlIds, FRAMEWORKS, loadCatalogue, type Catalogue } from './frameworks.ts';
import { mappedControls } from './select.ts';

/** One control as the view shows it. */
export interface ControlView {
  id: string;
  title: string;
  /** The selected rules that map to the control. */
  rules: string[];
  notCheckable?: string;
  note?: string;
  /** Rules the catalogue names for the control that are not among those selected. */
  notRun?: string[];
}

/** A framework's controls against the selected rules. */
export interface ComplianceView {
  framework: string;
  title: string;
  url?: string;
  scope?: string;
  /** Whether trailgate ships a catalogue of the framework's controls; without one, only the controls rules map to are known. */
  catalogued: boolean;
  controls: ControlView[];
}

/** Builds the view of `framework` for the selected rules. */
export function complianceView(rules: readonly CompiledRule[], framework: string, catalogue: Catalogue | undefined = loadCatalogue(framework)): ComplianceView {
  const byId = new Map<string, ControlView>();
  for (const c of catalogue?.controls ?? []) {
    const v: ControlView = { id: c.id, title: c.title, rules: [] };
    if (c.notCheckable !== undefined) v.notCheckable = c.notCheckable;
    if (c.note !== undefined) v.note = c.note;
    byId.set(c.id, v);
  }
  for (const r of rules) {
    for (const id of mappedControls(r, framework)) {
      let v = byId.get(id);
      if (!v) byId.set(id, (v = { id, title: '', rules: [] }));
      if (!v.rules.includes(r.meta.id)) v.rules.push(r.meta.id);
    }
  }
  for (const c of catalogue?.controls ?? []) {
    const v = byId.get(c.id)!;
    const missing = c.rules.filter((id) => !v.rules.includes(id));
    if (missing.length > 0) v.notRun = missing;
  }
  const controls = [...byId.values()].sort((a, b) => compareControlIds(a.id, b.id));
  for (const c of controls) c.rules.sort();
  const title = catalogue?.title ?? FRAMEWORKS.find((f) => f.id === framework)?.title ?? framework;
  return { framework, title, ...(catalogue?.url ? { url: catalogue.url } : {}), ...(catalogue?.scope ? { scope: catalogue.scope } : {}), catalogued: catalogue !== undefined, controls };
}

/** Renders the view as text (a table, then what cannot be checked) or JSON. */
export function renderComplianceView(rules: readonly CompiledRule[], framework: string, format: string): string {
  const view = complianceView(rules, framework);
  // Control ids and titles can come from a user's rule files: `##[` is written so the runner never reads a command.
  if (format === 'json') return `${jsonWithoutCommands(JSON.stringify(view, null, 2))}\n`;
  if (format !== 'text') throw new InputError(`unknown format "${format}" for rules; expected text or json`);
  const out: string[] = [`${escapeTerminal(view.title)} (${escapeTerminal(view.framework)})`];
  if (view.url) out.push(view.url);
  if (view.scope) out.push(view.scope);
  if (!view.catalogued) out.push(UNCATALOGUED);
  out.push('');
  // Control ids come from rule files, a user's among them: escaped like every other text here.
  const rows = view.controls.map((c) => [escapeLineStart(c.id), escapeTerminal(c.title || '(not in trailgate\'s catalogue)'), checkedBy(c)]);
  const head = ['CONTROL', 'TITLE', 'CHECKED BY'];
  // Every row has as many cells as head, and so as many as widths.
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join('  ');
  out.push(line(head), ...rows.map(line));
  const uncheckable = view.controls.filter((c) => c.rules.length === 0 && c.notCheckable !== undefined);
  if (uncheckable.length > 0) {
    out.push('', 'Not checkable by trailgate:');
    for (const c of uncheckable) out.push(`  ${escapeLineStart(c.id)}  ${escapeTerminal(c.notCheckable!)}`);
  }
  const notes = view.controls.filter((c) => c.note !== undefined || c.notRun !== undefined);
  if (notes.length > 0) {
    out.push('', 'Notes:');
    for (const c of notes) {
      if (c.note !== undefined) out.push(`  ${escapeLineStart(c.id)}  ${escapeTerminal(c.note)}`);
      if (c.notRun !== undefined) out.push(`  ${escapeLineStart(c.id)}  not run in this selection: ${c.notRun.join(', ')}`);
    }
  }
  const checked = view.controls.filter((c) => c.rules.length > 0).length;
  const ruleCount = new Set(view.controls.flatMap((c) => c.rules)).size;
  if (view.catalogued) out.push('', `${checked} of ${view.controls.length} controls checked by ${ruleCount} rule${ruleCount === 1 ? '' : 's'}; ${uncheckable.length} not checkable.`);
  else out.push('', `${checked} control${checked === 1 ? '' : 's'} mapped, by ${ruleCount} rule${ruleCount === 1 ? '' : 's'}; the framework's other controls are unknown to trailgate.`);
  return `${out.join('\n')}\n`;
}

/**
 * Said wherever a framework without a catalogue is chosen: its few mapped rules passing must not
 * read as the framework passing.
 */
export const UNCATALOGUED =
  "trailgate has no catalogue of this framework's controls: it knows only the controls its rules map to, so a clean result is not a clean result for the framework.";

function checkedBy(c: ControlView): string {
  if (c.rules.length > 0) return c.rules.join(', ');
  if (c.notCheckable !== undefined) return '- (not checkable)';
  return '- (not run)';
}
