/**
 * Finding and loading `.trailgate.yml`: parse with positions, validate against the published
 * schema (schemas/config.schema.json), check what a schema cannot (real calendar dates), and
 * resolve relative paths from the config file's directory. Every problem is an InputError at
 * file, line and column.
 */
import { lstatSync, readlinkSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { Ajv, type ErrorObject } from 'ajv';
import configSchema from '../../schemas/config.schema.json' with { type: 'json' };
import { asPartOf, fileProblem, gathered, InputError } from '../errors.ts';
import { BARE_DIGITS_HINT, parseYaml, unquotedHint, valueAtPointer } from '../input/document.ts';
import { documentOrder, pickError, pickErrors, PROBLEMS_SHOWN } from '../input/schema-errors.ts';
import { expiryInstant } from '../engine/suppress.ts';
import type { LoadedConfig, TrailgateConfig } from './types.ts';
import { decodeUtf8 } from '../input/utf8.ts';
import { readInputFile } from '../input/read-input.ts';
import { relativePath } from '../input/display-path.ts';
import { textForValueHint } from '../input/text-for-value.ts';

/** The file looked for in the working directory when no --config is given. */
const DEFAULT_CONFIG = '.trailgate.yml';

let validator: ReturnType<Ajv['compile']> | undefined;

/**
 * Loads the config file: `explicit` (from --config; missing is an error) or `.trailgate.yml`
 * in `cwd` when present. Returns undefined when there is none.
 */
export function findConfig(cwd: string, explicit?: string): LoadedConfig | undefined {
  const path = resolve(cwd, explicit ?? DEFAULT_CONFIG);
  // lstat, not exists: a link to a file that is gone is a config the user meant to have, and
  // skipping it would silently drop its rules, suppressions and fail-on.
  if (explicit === undefined && !isPresent(path)) return undefined;
  const shown = explicit === undefined ? DEFAULT_CONFIG : relativePath(cwd, explicit);
  let bytes: Buffer;
  try {
    bytes = readInputFile(path, shown);
  } catch (e) {
    if (e instanceof InputError) throw e;
    const dangling = (e as NodeJS.ErrnoException).code === 'ENOENT' && isPresent(path);
    throw new InputError(`cannot read the config file: ${dangling ? `a symbolic link to ${readlinkSync(path)}, which does not exist` : fileProblem(e, 'a config file')}`, { file: shown });
  }
  return parseConfig(decodeUtf8(bytes, shown), shown, cwd, dirname(path));
}

/** Parses and validates a config file's text; relative paths in it are resolved from `dir`. */
export function parseConfig(text: string, file: string, cwd: string, dir: string): LoadedConfig {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.trim() === '') return { file, config: {}, locate: () => ({ line: 1, column: 1 }) };
  let doc: ReturnType<typeof parseYaml>;
  try {
    doc = parseYaml(text, file);
  } catch (e) {
    throw asPartOf(e, 'config file');
  }
  const value = doc.value ?? {};
  // `failOn high`, the colon forgotten: YAML reads the whole file as one text, refused as "must be of type object".
  if (typeof value !== 'object' || Array.isArray(value)) {
    const advice = Array.isArray(value)
      ? 'the file is a list, not a mapping of keys; write each setting as key: value on a line of its own, without a leading "- " or [ ]'
      : `the file is one value (${JSON.stringify(String(value).slice(0, 60))}), not a mapping of keys; write each setting as key: value, such as failOn: high`;
    throw new InputError(`invalid config: ${advice}`, { file, ...doc.locate('', false), pointer: '' });
  }
  // `atKey`: an unknown or misnamed key is shown where the key is written, as in rule files and
  // inventories; its value may be lines below it (a misspelt `suppresions:` list), or absent.
  const fail = (pointer: string, message: string, atKey = false): never => {
    throw new InputError(message, { file, ...doc.locate(pointer, atKey), pointer });
  };
  const validate = configValidator();
  if (!validate(value)) {
    const errors = validate.errors ?? [];
    const { problems, more } = pickErrors(errors, PROBLEMS_SHOWN, documentOrder(value));
    const told = problems.map((p) => new InputError(`invalid config: ${hint(value, p.pointer, p.message, errors)}`, { file, ...doc.locate(p.pointer, p.atKey), pointer: p.pointer }));
    throw gathered(told, more);
  }
  const config = value as TrailgateConfig;
  (config.suppressions ?? []).forEach((s, i) => {
    if (s.expires !== undefined && expiryInstant(s.expires) === undefined) {
      fail(`/suppressions/${i}/expires`, `invalid config: "${s.expires}" is not a real date or time`);
    }
    const pos = doc.locate(`/suppressions/${i}`);
    s.source = { file, line: pos.line, column: pos.column };
  });
  return { file, config: resolvePaths(config, cwd, dir), written: config, locate: doc.locate };
}

function configValidator(): ReturnType<Ajv['compile']> {
  validator ??= new Ajv({ strict: false, allErrors: true, verbose: true }).compile(configSchema);
  return validator;
}

/**
 * Why `value` would be refused as the config key `key` (`must be the ARN of an IAM role, such as
 * ...`), or undefined. The flag of the same meaning is checked with it, so `--role-arn` and
 * `roleArn` take the same values by one rule, the published schema's.
 */
export function keyValueProblem(key: keyof TrailgateConfig, value: unknown): string | undefined {
  const validate = configValidator();
  return validate({ [key]: value }) ? undefined : pickError(validate.errors ?? []).message;
}

/** A friendlier message for the mistake YAML makes easy: a bare account id read as a number. */
function hint(value: unknown, pointer: string, message: string, errors: readonly ErrorObject[]): string {
  // Only where a string was wanted: `concurrency: 2.5` or `trails-per-region: 4` is no account id.
  const wantsString = errors.some((e) => e.instancePath === pointer && e.keyword === 'type' && (e.params as { type?: unknown }).type === 'string');
  if (wantsString && typeof valueAtPointer(value, pointer) === 'number') {
    // A date written as bare digits is a number too; the account-id example would only confuse.
    if (/\/expires$/.test(pointer)) return `${message}: write the date as YYYY-MM-DD ("2027-03-31")`;
    // A long run of digits is most likely an account id; `reason: 1` is only text YAML took for a number.
    const n = valueAtPointer(value, pointer) as number;
    if (!(Number.isInteger(n) && Math.abs(n) >= 1e7)) return `${message}: quote it ("${String(n)}"), as YAML reads bare digits as a number`;
    return `${message}: ${BARE_DIGITS_HINT}`;
  }
  // `reason: true` or `owner: false`: text to the user, a boolean to YAML (unquotedHint is empty for anything else).
  if (wantsString) {
    const said = unquotedHint(valueAtPointer(value, pointer));
    if (said !== '') return `${message}${said}`;
  }
  // `only: []` or `snapshots: []` read as "none given" would run every rule or scan live, as
  // `--only ,` would on the command line, where it is refused: every list names something.
  if (errors.some((e) => e.instancePath === pointer && e.keyword === 'minItems') && Array.isArray(valueAtPointer(value, pointer))) {
    return 'the list is empty; name at least one item, or leave the key out';
  }
  // The other way round: `version: "1"`, `concurrency: !!str 4` or `verbose: "true"` looks like the
  // value wanted, and "must be 1" alone would not show that quotes or a tag made it text.
  const wanted = errors.flatMap((e) => {
    if (e.instancePath !== pointer) return [];
    const p = e.params as { type?: unknown; allowedValue?: unknown };
    if (e.keyword === 'type' && ['number', 'integer', 'boolean'].includes(String(p.type))) return [String(p.type)];
    return e.keyword === 'const' && typeof p.allowedValue !== 'string' ? [typeof p.allowedValue] : [];
  });
  const v = valueAtPointer(value, pointer);
  const advice = wanted.length > 0 && typeof v === 'string' ? textForValueHint(wanted, v) : undefined;
  return advice === undefined ? message : `${message}: ${advice}`;
}


/**
 * Paths in the config are relative to its own directory; the CLI takes them relative to the
 * working directory. Only the platform's separator becomes `/`: on POSIX a backslash is part of a
 * file name (`snapshots: ["org\\a.yaml"]` names the file `org\a.yaml`, as `--snapshot` does).
 */
function resolvePaths(config: TrailgateConfig, cwd: string, dir: string): TrailgateConfig {
  // `-` is standard input to `snapshots` and standard output to `formats` and `saveSnapshot`, as
  // to their flags; to `rules` and `baseline`, as to `--rules` and `--baseline`, it is a file's name.
  const fix = (p: string, dash: 'stream' | 'file' = 'stream'): string => {
    if ((p === '-' && dash === 'stream') || isAbsolute(p)) return p;
    const rel = relative(cwd, join(dir, p)).split(sep).join('/');
    // relative() drops a trailing slash, which says the path is a folder (`json=reports/` is refused as a report file).
    return (rel === '' ? '.' : rel) + (p.endsWith('/') && rel !== '' ? '/' : '');
  };
  const out: TrailgateConfig = { ...config };
  if (config.snapshots) out.snapshots = config.snapshots.map((p) => fix(p));
  if (config.rules) out.rules = config.rules.map((p) => fix(p, 'file'));
  if (config.baseline !== undefined) out.baseline = fix(config.baseline, 'file');
  if (config.saveSnapshot !== undefined) out.saveSnapshot = fix(config.saveSnapshot);
  if (config.formats) {
    out.formats = config.formats.map((f) => {
      const eq = f.indexOf('=');
      return eq < 0 ? f : `${f.slice(0, eq)}=${fix(f.slice(eq + 1))}`;
    });
  }
  return out;
}

function isPresent(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}
