/**
 * The Action's inputs, read the way the runner passes them: environment variables named
 * `INPUT_` + the input's name upper-cased, spaces as `_`, hyphens kept (`INPUT_FAIL-ON`).
 * Turned into `trailgate scan` arguments, so the Action is the CLI and nothing else; but its
 * messages name the inputs, which is what the workflow wrote, not the flags.
 */
import { statSync } from 'node:fs';
import { join, normalize, resolve } from 'node:path';
import { FAIL_ON_VALUES } from '../cli/exit.ts';
import { namesDirectory } from '../cli/formats.ts';
import { InputError } from '../errors.ts';
import { namesStdin, namesStdout, unopenedDescriptor } from '../input/descriptors.ts';
import { escapeTerminal } from '../report/escape.ts';

type Env = Record<string, string | undefined>;

/** An input's value, trimmed; '' when the workflow did not give it. */
export function getInput(env: Env, name: string): string {
  return (env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] ?? '').trim();
}

/** A list input: one item per line, or comma-separated. */
function listInput(env: Env, name: string): string[] {
  const value = getInput(env, name);
  const items = value
    .split(/[\n,]/)
    .map((s) => s.trim())
    .filter(Boolean);
  // Only separators (`${{ vars.A }},${{ vars.B }}` with both unset) is a mistake, as `--only ,`
  // is for the CLI: dropped silently, it would widen the run to every rule, region or account.
  if (items.length === 0 && value !== '') throw new InputError(`the input "${name}" lists nothing, only separators: "${value}"`);
  return items;
}

/** A boolean input, as YAML 1.2 spells true and false. Anything else is an error. */
function booleanInput(env: Env, name: string): boolean {
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
  /** The text report, for the log. */
  text?: string;
}

/**
 * Each input that becomes a `trailgate scan` flag, and the flag. scanArguments builds the argv
 * from it, and inputWording reads it backwards to name the input in the CLI's messages.
 */
export const FLAG_OF_INPUT = {
  snapshots: '--snapshot',
  rules: '--rules',
  config: '--config',
  regions: '--region',
  'role-arn': '--role-arn',
  accounts: '--accounts',
  'role-name': '--role-name',
  organization: '--organization',
  'external-id': '--external-id',
  'save-snapshot': '--save-snapshot',
  'fail-on': '--fail-on',
  only: '--only',
  skip: '--skip',
  compliance: '--compliance',
  baseline: '--baseline',
} as const;

type FlagInput = keyof typeof FLAG_OF_INPUT;

/** The inputs for live collection, which a scan of `snapshots` has no use for. */
const LIVE_INPUTS: readonly FlagInput[] = ['regions', 'role-arn', 'accounts', 'role-name', 'external-id', 'organization', 'save-snapshot'];

/** The report inputs, each a `--format NAME=FILE`. */
const REPORT_INPUTS = ['sarif', 'junit', 'json'] as const;

/** The inputs that take a list. */
const LIST_INPUTS: readonly FlagInput[] = ['snapshots', 'rules', 'regions', 'accounts', 'only', 'skip'];

/**
 * Whether the workflow gave an input (`organization: false`, the default, is not giving it). A
 * list of separators only is refused here too, so that mistake is the one reported.
 */
function given(env: Env, name: FlagInput): boolean {
  if (name === 'organization') return booleanInput(env, name);
  return LIST_INPUTS.includes(name) ? listInput(env, name).length > 0 : getInput(env, name) !== '';
}

/**
 * The mistakes the inputs show on their own, refused before any argv is built, in the words the
 * workflow uses: the CLI would name flags the workflow never wrote. `cwd` is the working
 * directory, where a report path that is a directory is looked for.
 */
export function checkInputs(env: Env, cwd: string): void {
  // The Action gives the run no standard input: an inventory named `-` or /dev/stdin would read as empty.
  for (const path of listInput(env, 'snapshots')) {
    if (path === '-' || namesStdin(cwd, path)) {
      throw new InputError(`the input "snapshots" names "${path}" (standard input), which the Action does not give the run: name the inventory file (inventory.json, for example)`);
    }
  }
  const baseline = getInput(env, 'baseline');
  if (baseline !== '' && (baseline === '-' || namesStdin(cwd, baseline))) {
    throw new InputError(`the input "baseline" names "${baseline}" (standard input), which the Action does not give the run: name the JSON report to use as the baseline (baseline.json, for example)`);
  }
  if (listInput(env, 'snapshots').length > 0) {
    const live = LIVE_INPUTS.find((name) => given(env, name));
    if (live === 'save-snapshot') {
      throw new InputError('the input "save-snapshot" saves a live collection; it cannot be used with "snapshots" (remove "save-snapshot", or remove "snapshots" to collect live)');
    }
    if (live !== undefined) {
      throw new InputError(`the input "${live}" is for live scans; with "snapshots" the inventory decides what is judged (remove "${live}", or remove "snapshots" to collect live)`);
    }
  }
  const failOn = getInput(env, 'fail-on');
  if (failOn !== '' && !(FAIL_ON_VALUES as readonly string[]).includes(failOn)) {
    throw new InputError(`the input "fail-on" must be one of ${FAIL_ON_VALUES.slice(0, -1).join(', ')} or ${FAIL_ON_VALUES.at(-1)}, got "${failOn}"`);
  }
  const seen = new Map<string, string>();
  for (const name of [...REPORT_INPUTS, 'save-snapshot'] as const) {
    const path = getInput(env, name);
    if (path === '') continue;
    const example = name === 'save-snapshot' ? 'snapshot.json' : `trailgate.${name}`;
    checkFileInput(cwd, name, path, example);
    // `a.json` and `./a.json` are one file: the second report would replace the first.
    const other = seen.get(normalize(path));
    if (other !== undefined) throw new InputError(`the inputs "${other}" and "${name}" name the same file, ${path}; give each ${name === 'save-snapshot' ? 'its' : 'report its'} own file`);
    seen.set(normalize(path), name);
  }
}

/**
 * An input that names a file the run writes (a report, the saved snapshot), refused when it
 * cannot be one, in the Action's words: the CLI's would name flags, and suggest a redirection
 * (`7>trailgate.sarif`) or `trailgate snapshot`, which a workflow cannot use.
 */
function checkFileInput(cwd: string, name: string, path: string, example: string): void {
  // `-`, `/dev/stdout`, `/dev/fd/1` and links to them are standard output; the Action's annotations are written there.
  if (path === '-' || namesStdout(cwd, path)) {
    const must = name === 'save-snapshot' ? 'the snapshot must go to a file (evidence' : 'a report input must name a file (reports';
    throw new InputError(`the input "${name}" is "${path}" (standard output), which the Action's own annotations use: ${must}/${example}, for example)`);
  }
  // `/dev/stdin`, `/dev/fd/0` and links to them: what the runner gave to be read, never where a file goes.
  if (namesStdin(cwd, path)) throw new InputError(`the input "${name}" is "${path}" (standard input), which the Action only reads: name a file (${example}, for example)`);
  const fd = unopenedDescriptor(resolve(cwd, path));
  if (fd !== undefined) {
    throw new InputError(`the input "${name}" names descriptor ${fd} (${path}), which nothing opened for the Action (Node.js uses it for itself); name a file (${example}, for example)`);
  }
  if (namesDirectory(path) || isDirectory(resolve(cwd, path))) {
    throw new InputError(`the input "${name}" names a directory, not a file: ${path}; name a file in it (${path.replace(/[\\/]+$/, '')}/${example}, for example)`);
  }
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** The CLI's phrases that name several flags at once, said without them (as the config file's messages do). */
const PHRASES: readonly [RegExp, string][] = [
  [/ \(see trailgate --help\)$/gm, ''],
  [/\(after --only\/--skip and --rules\)/g, '(after the only/skip selection and the rules loaded)'],
  [/after --only\/--skip \(and --no-builtin-rules\)/g, 'after the only/skip selection, with the built-in rules left out'],
  [/after --only\/--skip/g, 'after the only/skip selection'],
  [/no rules are given \(`rules`, or --rules\)/g, 'no rules are given (the config file\'s `rules`, or the input "rules")'],
  [/written by trailgate scan --format json=FILE/g, 'written by trailgate (the input "json" writes one)'],
  // A workflow has no terminal to run `aws configure` in, and the Action no --profile flag or input.
  [
    /run `aws configure` \(or `aws configure sso`\), or name a profile with --profile/g,
    'give the job credentials in a step before this one (aws-actions/configure-aws-credentials), or name a profile with the config file\'s `profile`',
  ],
];

/**
 * `text`, what the CLI wrote on stderr, with inputs named in place of the flags the Action passes
 * for them. For the mistakes only the CLI can see (a rule id or framework that no loaded rule
 * has, a live input beside the config file's `snapshots`, a report path that is a link to an
 * input): checkInputs refuses the rest first, in the inputs' own words. A flag the workflow did
 * not give as an input is named by the input's name alone (`"role-name"`): it may be one to add,
 * or the config file's key of that meaning, and "the input" would send the reader to the wrong place.
 */
export function inputWording(env: Env, text: string): string {
  let out = text;
  for (const [phrase, words] of PHRASES) out = out.replace(phrase, words);
  for (const name of REPORT_INPUTS) {
    const path = escapeTerminal(getInput(env, name));
    if (path !== '') out = out.split(`--format ${name}=${path}`).join(`the input "${name}" (${path})`);
  }
  for (const [name, flag] of Object.entries(FLAG_OF_INPUT) as [FlagInput, string][]) {
    const input = given(env, name);
    // `--save-snapshot FILE and --format ...`: a value passed as written goes in brackets after the input's name.
    const value = escapeTerminal(getInput(env, name));
    // Only the whole value: `--save-snapshot out/` must not be found inside an example, `--save-snapshot out/snapshot.json`.
    if (input && name !== 'organization' && !LIST_INPUTS.includes(name)) out = replaceWhole(out, `${flag} ${value}`, `the input "${name}" (${value})`);
    out = out.replace(new RegExp(`(?<![\\w-])${flag}(?![\\w-])`, 'g'), input ? `the input "${name}"` : `"${name}"`);
  }
  return out;
}

/**
 * `text` with each `needle` that the end, a space, `;`, `,` or `)` follows replaced by `by`. Not
 * with a RegExp of the needle: the value in it is the workflow's, and one of some 60,000
 * characters made a pattern V8 refuses ("Regular expression too large"), which crashed the step
 * (exit 70) as soon as the run had anything to say on standard error.
 */
function replaceWhole(text: string, needle: string, by: string): string {
  let out = '';
  let from = 0;
  let at = text.indexOf(needle);
  while (at >= 0) {
    const next = text[at + needle.length];
    if (next === undefined || /[\s;,)]/.test(next)) {
      out += text.slice(from, at) + by;
      from = at + needle.length;
      at = text.indexOf(needle, from);
    } else at = text.indexOf(needle, at + 1);
  }
  return out + text.slice(from);
}

/**
 * The `trailgate scan` arguments for the inputs. Annotations go to standard output (the runner
 * reads workflow commands there), and a text report to `tempDir`, for people reading the log.
 * The counts come from the run itself (Io.judged), never from a report read back.
 */
export function scanArguments(env: Env, tempDir: string): { argv: string[]; reports: ReportPaths } {
  const argv = ['scan'];
  // `--flag=value`, one argument: a value that looks like an option (an ExternalId `-Vx7`, a file
  // `-V.yaml`) is never read as one.
  const add = (flag: string, value: string) => {
    if (value !== '') argv.push(`${flag}=${value}`);
  };
  const flag = FLAG_OF_INPUT;
  for (const s of listInput(env, 'snapshots')) argv.push(`${flag.snapshots}=${s}`);
  for (const r of listInput(env, 'rules')) argv.push(`${flag.rules}=${r}`);
  add(flag.config, getInput(env, 'config'));
  add(flag.regions, listInput(env, 'regions').join(','));
  add(flag['role-arn'], getInput(env, 'role-arn'));
  add(flag.accounts, listInput(env, 'accounts').join(','));
  add(flag['role-name'], getInput(env, 'role-name'));
  if (booleanInput(env, 'organization')) argv.push(flag.organization);
  add(flag['external-id'], getInput(env, 'external-id'));
  add(flag['save-snapshot'], getInput(env, 'save-snapshot'));
  add(flag['fail-on'], getInput(env, 'fail-on'));
  add(flag.only, listInput(env, 'only').join(','));
  add(flag.skip, listInput(env, 'skip').join(','));
  add(flag.compliance, getInput(env, 'compliance'));
  add(flag.baseline, getInput(env, 'baseline'));
  const reports: ReportPaths = {};
  for (const format of REPORT_INPUTS) {
    const path = getInput(env, format);
    if (path === '') continue;
    reports[format] = path;
    argv.push(`--format=${format}=${path}`);
  }
  reports.text = join(tempDir, 'trailgate-report.txt');
  argv.push('--format', `text=${reports.text}`, '--format', 'github');
  return { argv, reports };
}
