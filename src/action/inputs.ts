/**
 * The Action's inputs, read the way the runner passes them: environment variables named
 * `INPUT_` + the input's name upper-cased, spaces as `_`, hyphens kept (`INPUT_FAIL-ON`).
 * Turned into `trailgate scan` arguments, so the Action is the CLI and nothing else.
 */
import { join } from 'node:path';
import { InputError } from '../errors.ts';

type Env = Record<string, string | undefined>;

/** An input's value, trimmed; '' when the workflow did not give it. */
export function getInput(env: Env, name: string): string {
  return (env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] ?? '').trim();
}

/** A list input: one item per line, or comma-separated. */
export function listInput(env: Env, name: string): string[] {
  const value = getInput(env, name);
  const items = value
    .split(/[\n,]/)
    .map((s) => s.trim())
    .filter(Boolean);
  // Only separators (`${{ vars.A }},${{ vars.B }}` with both unset) is a mistake, as `--only ,`
  // is for the CLI: dropped silently, it would widen the run to every rule, region or account.
  if (items.length === 0 && value !== '') throw new InputError(`the input "${name}" lists nothing, only separators: ${JSON.stringify(value)}`);
  return items;
}

/** A boolean input, as YAML 1.2 spells true and false. Anything else is an error. */
export function booleanInput(env: Env, name: string): boolean {
  const v = getInput(env, name);
  if (v === '' || /^(false|False|FALSE)$/.test(v)) return false;
  if (/^(true|True|TRUE)$/.test(v)) return true;
  throw new InputError(`the input "${name}" must be true or false, got "${v}"`);
}

/** Report files the run writes, relative to the working directory. */
export interface ReportPaths {
  sarif?: string;
  junit?: string;
  /** The JSON report the workflow asked for, if it did. */
  json?: string;
  /** Where the counts are read from: `json`, or a temporary file. */
  countsFrom: string;
  /** The text report, for the log. */
  text?: string;
}

/**
 * The `trailgate scan` arguments for the inputs. Annotations go to standard output (the runner
 * reads workflow commands there); a JSON report is always written, to read the counts from,
 * and a text report, for people reading the log.
 */
export function scanArguments(env: Env, tempDir: string): { argv: string[]; reports: ReportPaths } {
  const argv = ['scan'];
  const add = (flag: string, value: string) => {
    if (value !== '') argv.push(flag, value);
  };
  for (const s of listInput(env, 'snapshots')) argv.push('--snapshot', s);
  for (const r of listInput(env, 'rules')) argv.push('--rules', r);
  add('--config', getInput(env, 'config'));
  add('--region', listInput(env, 'regions').join(','));
  add('--role-arn', getInput(env, 'role-arn'));
  add('--accounts', listInput(env, 'accounts').join(','));
  add('--role-name', getInput(env, 'role-name'));
  if (booleanInput(env, 'organization')) argv.push('--organization');
  add('--external-id', getInput(env, 'external-id'));
  add('--save-snapshot', getInput(env, 'save-snapshot'));
  add('--fail-on', getInput(env, 'fail-on'));
  add('--only', listInput(env, 'only').join(','));
  add('--skip', listInput(env, 'skip').join(','));
  add('--compliance', getInput(env, 'compliance'));
  add('--baseline', getInput(env, 'baseline'));
  const reports: ReportPaths = { countsFrom: '' };
  for (const format of ['sarif', 'junit', 'json'] as const) {
    const path = getInput(env, format);
    if (path === '') continue;
    reports[format] = path;
    argv.push('--format', `${format}=${path}`);
  }
  reports.countsFrom = reports.json ?? join(tempDir, 'trailgate-counts.json');
  if (reports.json === undefined) argv.push('--format', `json=${reports.countsFrom}`);
  reports.text = join(tempDir, 'trailgate-report.txt');
  argv.push('--format', `text=${reports.text}`, '--format', 'github');
  return { argv, reports };
}
