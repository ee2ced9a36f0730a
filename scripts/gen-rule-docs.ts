/**
 * Generates docs/rules.md, the rule catalogue, from the built-in rule files: one section per
 * rule with what it checks and why, how to fix it, its parameters, references and compliance
 * mappings. `npm run docs:rules` writes it; test/docs/rule-docs.test.ts fails when the file
 * is stale, so the catalogue can never drift from the rules.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { FRAMEWORKS } from '../src/compliance/frameworks.ts';
import type { CompiledCheck } from '../src/rules/check.ts';
import type { CompiledRule } from '../src/rules/compiled.ts';
import { builtinRulesDir } from '../src/rules/files.ts';
import { loadRules } from '../src/rules/load.ts';
import { conditionTemplate } from '../src/rules/template.ts';
import type { ConditionMessage, ParameterSpec } from '../src/rules/types.ts';
import { parse } from 'yaml';

/** Where the catalogue lives, relative to the repository root. */
export const RULE_DOCS_PATH = join('docs', 'rules.md');

const SCOPE: Record<string, string> = {
  trail: 'trail: one result per trail (TrailARN), under the account that owns it',
  region: 'region: one result per region of each account',
  account: 'account: one result per account',
};

/** The whole catalogue for the given rules, as Markdown. */
export function renderRuleDocs(rules: readonly CompiledRule[]): string {
  const sorted = [...rules].sort((a, b) => (a.meta.id < b.meta.id ? -1 : 1));
  const out: string[] = [
    '# Rule catalogue',
    '',
    '<!-- Generated from rules/*.yaml by scripts/gen-rule-docs.ts: do not edit by hand; run `npm run docs:rules`. -->',
    '',
    `trailgate ships ${sorted.length} built-in rules. Each is a YAML file in [\`rules/\`](../rules/) written in the`,
    'format of [docs/rule-format.md](rule-format.md); this page is generated from those files.',
    'Results are `pass`, `fail`, `error` (data the rule needs could not be read; the message names',
    'the read) or `skipped` (not applicable, or suppressed). Run a framework\'s rules with',
    '`trailgate scan --compliance <framework>`, and see its controls with `trailgate rules --compliance <framework>`.',
    'In the fix commands, `{Trail.Name}`-style placeholders stand for the values of the trail at fault,',
    'and `<...>` for values you choose; `{Path|text}` prints the text when the trail has no such value',
    '(`{Key.KeyMetadata.Arn|<key-arn>}`: the key\'s ARN, or a blank to fill in).',
    '',
    '| rule | severity | scope | title | frameworks |',
    '|---|---|---|---|---|',
    ...sorted.map((r) => `| [\`${r.meta.id}\`](#${r.meta.id}) | ${r.meta.severity} | ${r.meta.scope} | ${cell(r.meta.title)} | ${cell(Object.keys(r.meta.compliance).sort().join(', '))} |`),
    '',
    '## Framework ids',
    '',
    '| id | framework |',
    '|---|---|',
    ...FRAMEWORKS.map((f) => `| \`${f.id}\` | ${f.title} |`),
    '',
    'Rules may also cite `cloudtrail-user-guide` (the CloudTrail user guide section that defines the',
    'requirement) and `aws-quotas` (a CloudTrail service quota).',
    '',
  ];
  for (const r of sorted) out.push(...section(r));
  return `${out.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd()}\n`;
}

function section(r: CompiledRule): string[] {
  const m = r.meta;
  const out = [
    `## ${m.id}`,
    '',
    `**${m.title}**`,
    '',
    `- Severity: ${m.severity}`,
    `- Scope: ${SCOPE[m.scope] ?? m.scope}`,
    `- Reads: ${r.reads.map((x) => `\`${x}\``).join(', ')}`,
    `- Source: [\`${m.source}\`](../${m.source})`,
    '',
    '### What it checks, and why',
    '',
    m.description,
    '',
    ...assertion(r),
    '### How to fix',
    '',
    m.remediation.text,
    '',
  ];
  out.push(...commandLines(r));
  const params = Object.entries(r.params);
  if (params.length > 0) {
    const specs = parameterSpecs(m.source);
    out.push('### Parameters', '', `Set them per rule in the config file (\`parameters: {${m.id}: {name: value}}\`).`, '', '| name | type | default | meaning |', '|---|---|---|---|');
    for (const [name, value] of params) {
      const spec = specs[name];
      out.push(`| \`${name}\` | ${spec?.type ?? typeof value} | \`${JSON.stringify(value)}\` | ${cell(spec?.description ?? '')} |`);
    }
    out.push('');
  }
  if (m.references.length > 0) out.push('### References', '', ...m.references.map((u) => `- <${u}>`), '');
  const frameworks = Object.keys(m.compliance).sort();
  if (frameworks.length > 0) {
    out.push('### Compliance mappings', '', '| framework | controls |', '|---|---|');
    for (const f of frameworks) out.push(`| \`${f}\` | ${m.compliance[f].map((c) => `\`${c}\``).join(', ')} |`);
    out.push('');
  }
  return out;
}

/** The assertion in words: the conditions a subject (or some/every/no trail) must meet. */
function assertion(r: CompiledRule): string[] {
  const a = r.assertion;
  const out: string[] = ['### How it decides', ''];
  const m = r.message;
  if (r.where) out.push('Applies to trails that meet (others are `skipped`):', '', ...conditions(r.where, m?.skipped), '');
  if (a.kind === 'builtin') out.push(`Decided by the built-in \`${a.builtin.name}\`, written in TypeScript, as described above.`, '');
  else if (a.kind === 'check') out.push('Passes when the trail meets all of:', '', ...conditions(a.check, m?.fail), '');
  else if (a.kind === 'count') {
    const bounds = [a.min !== undefined ? `at least ${a.min}` : '', a.max !== undefined ? `at most ${a.max}` : ''].filter(Boolean).join(' and ');
    out.push(`Passes when ${bounds} of the trails that apply${a.where ? ' meet all of:' : '.'}`, '');
    if (a.where) out.push(...conditions(a.where), '');
  } else {
    const lead = { some: 'Passes when some trail that applies', every: 'Passes when every trail that applies', none: 'Passes when no trail that applies' }[a.kind];
    if (a.where) out.push(`${lead}, among those that meet:`, '', ...conditions(a.where), '', 'meets all of:', '');
    else out.push(`${lead} meets all of:`, '');
    out.push(...conditions(a.check, m?.reasons), '');
  }
  return out;
}

/** Each condition with its schema and, when the rule words it (`message.fail`, `skipped`, `reasons`), what a result says when it is not met. */
function conditions(check: CompiledCheck, words?: ConditionMessage): string[] {
  return check.conjuncts.map((c) => {
    // Only per-condition words: one template for every condition says nothing about this one.
    const said = typeof words === 'object' ? conditionTemplate(words, c.display) : undefined;
    return `- \`${c.display}${c.optional ? '?' : ''}\`: \`${JSON.stringify(c.schema)}\`${said !== undefined ? `; otherwise: "${said}"` : ''}`;
  });
}

/** A built-in rule file's parameter declarations (the compiled rule keeps only their values). */
function parameterSpecs(source: string): Record<string, ParameterSpec> {
  const doc = parse(readFileSync(join(dirname(builtinRulesDir()), source), 'utf8')) as { parameters?: Record<string, ParameterSpec> };
  return doc.parameters ?? {};
}

function cell(s: string): string {
  return s.replace(/\|/g, '\\|');
}

/** Writes docs/rules.md under `root` from the built-in rules. */
export function writeRuleDocs(root: string): string {
  const file = join(root, RULE_DOCS_PATH);
  writeFileSync(file, renderRuleDocs(loadRules()));
  return file;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const file = writeRuleDocs(join(import.meta.dirname, '..'));
  console.log(`wrote ${file}`);
}

/**
 * The remediation command as a shell block; per condition, each under the condition it fixes;
 * per kind of failure of a built-in, each under what that kind means.
 */
function commandLines(r: CompiledRule): string[] {
  const cli = r.meta.remediation.cli;
  if (cli === undefined) return [];
  if (typeof cli === 'string') return ['```sh', cli, '```', ''];
  const failures = r.assertion.kind === 'builtin' ? r.assertion.builtin.failures : undefined;
  if (failures === undefined) return Object.entries(cli).flatMap(([condition, command]) => [`When \`${condition.replace(/\?$/, '')}\` is not met:`, '', '```sh', command, '```', '']);
  // Every kind the built-in names, in its order: the ones without a command are said to have none.
  const lead = 'A failure gets the command for what failed; one that needs several of these fixes gets their commands joined with `&&` (and none, if one of them has none).';
  return [
    lead,
    '',
    ...Object.entries(failures).flatMap(([key, meaning]) => {
      const when = `When ${meaning} (\`${key}\`):`;
      return Object.hasOwn(cli, key) ? [when, '', '```sh', cli[key], '```', ''] : [`${when} no one command fixes it.`, ''];
    }),
  ];
}
