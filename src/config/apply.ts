/**
 * Merging the config file into a command's parsed flags. A flag given on the command line
 * wins; a key fills in only what the command line left at its default. Each key goes through
 * the flag's own parser, so a config value means exactly what the same flag would.
 */
import type { Command, Option } from 'commander';
import { ComplianceError } from '../compliance/select.ts';
import { FormatError } from '../cli/formats.ts';
import { NoRuleLeftError, NoRulesError } from '../cli/select.ts';
import { ConfigParameterError, InputError, PathArgumentError } from '../errors.ts';
import { escapePointerSegment } from '../input/document.ts';
import type { Io } from '../cli/io.ts';
import type { SuppressionEntry } from '../engine/suppress.ts';
import { findConfig } from './load.ts';
import type { LoadedConfig, TrailgateConfig } from './types.ts';

/** Config keys that mirror a flag, and the flag's attribute name as commander stores it. */
export const FLAG_OF_KEY: Readonly<Partial<Record<keyof TrailgateConfig, string>>> = {
  snapshots: 'snapshot',
  rules: 'rules',
  builtinRules: 'builtinRules',
  only: 'only',
  skip: 'skip',
  compliance: 'compliance',
  formats: 'format',
  failOn: 'failOn',
  verbose: 'verbose',
  quiet: 'quiet',
  color: 'color',
  regions: 'region',
  profile: 'profile',
  roleArn: 'roleArn',
  accounts: 'accounts',
  roleName: 'roleName',
  externalId: 'externalId',
  organization: 'organization',
  concurrency: 'concurrency',
  saveSnapshot: 'saveSnapshot',
  baseline: 'baseline',
};

/**
 * Keys that answer one question (which accounts to audit): a flag given for one of them wins over
 * the config's whole answer, so `organization: true` in the file does not clash with `--accounts`.
 */
const ONE_CHOICE: readonly (readonly (keyof TrailgateConfig)[])[] = [['accounts', 'organization']];

/** What the config file adds beyond flags. */
export interface ConfigExtras {
  /** Per rule id, parameter values. */
  parameters?: Record<string, Record<string, unknown>>;
  suppressions?: SuppressionEntry[];
  /** The loaded file, for locating errors in it. */
  loadedConfig?: LoadedConfig;
}

/** The keys that choose rules: all the `rules` listing takes from the config. */
export const RULE_KEYS: readonly (keyof TrailgateConfig)[] = ['rules', 'builtinRules', 'only', 'skip', 'compliance'];

/**
 * Loads the config (`opts.config`, else `.trailgate.yml` in the working directory) and
 * returns the flags with every key the command line did not give filled in from it
 * (only the `keys` given, when a command takes a few).
 */
export function applyConfig<T extends object>(cmd: Command, opts: T, io: Io, keys?: readonly (keyof TrailgateConfig)[]): T & ConfigExtras {
  const explicit = (opts as { config?: unknown }).config;
  const loaded = findConfig(io.cwd, typeof explicit === 'string' ? explicit : undefined);
  if (!loaded) return { ...opts };
  return { ...mergeFlags(cmd, opts, loaded.config, keys), parameters: loaded.config.parameters, suppressions: loaded.config.suppressions, loadedConfig: loaded };
}

/** The flags with config values filled in where the command line left the default. */
export function mergeFlags<T extends object>(cmd: Command, opts: T, config: TrailgateConfig, keys?: readonly (keyof TrailgateConfig)[]): T {
  const out = { ...opts } as Record<string, unknown>;
  for (const [key, flag] of Object.entries(FLAG_OF_KEY) as Array<[keyof TrailgateConfig, string]>) {
    const value = config[key];
    if (keys !== undefined && !keys.includes(key)) continue;
    if (value === undefined || cmd.getOptionValueSource(flag) === 'cli') continue;
    const rivals = ONE_CHOICE.find((group) => group.includes(key)) ?? [];
    if (rivals.some((k) => cmd.getOptionValueSource(FLAG_OF_KEY[k] ?? '') === 'cli')) continue;
    const option = cmd.options.find((o) => o.attributeName() === flag);
    out[flag] = option ? asFlag(option, value) : value;
  }
  return out as T;
}

/** A config value as the option would hold it had it been given on the command line. */
function asFlag(option: Option, value: unknown): unknown {
  if (typeof value === 'boolean') return value;
  const parse = option.parseArg;
  const items = Array.isArray(value) ? value.map(String) : [String(value)];
  if (!parse) return option.variadic || Array.isArray(option.defaultValue) ? items : items.join(',');
  // A repeatable flag folds each value in; a single one takes them comma-separated, as `--region a,b`.
  if (Array.isArray(option.defaultValue)) return items.reduce<unknown>((prev, v) => parse(v, prev), option.defaultValue);
  return parse(items.join(','), option.defaultValue);
}

/**
 * Runs `fn`; an error about a value that came from the config file (rule parameters, which the
 * rule loader knows nothing of; `only`, `skip`, `formats`, `compliance` or a live key the command
 * line did not replace; a file named by `snapshots`, `rules` or `baseline` that cannot be read) is
 * given the position of the offending key in the config file, and worded for the key.
 */
export async function withConfigLocations<R>(loaded: LoadedConfig | undefined, cmd: Pick<Command, 'getOptionValueSource'>, fn: () => R | Promise<R>): Promise<R> {
  try {
    return await fn();
  } catch (e) {
    if (!(e instanceof InputError) || !loaded) throw e;
    // A flag given on the command line replaced its key (see mergeFlags): the same words in the
    // file are not what was refused, and pointing there would send the user to the wrong place.
    const fromConfig = (key: keyof TrailgateConfig): boolean => loaded.config[key] !== undefined && cmd.getOptionValueSource(FLAG_OF_KEY[key] ?? '') !== 'cli';
    // A file the config names that is not there (the README's own example names a rules folder the
    // reader has yet to make) is shown at the entry, where it is to be fixed.
    const pathKey = e instanceof PathArgumentError ? keyOfFlag(e.flag.replace(/^--/, '')) : undefined;
    if (e instanceof PathArgumentError && pathKey !== undefined && fromConfig(pathKey)) {
      const pointer = e.index === undefined ? `/${pathKey}` : `/${pathKey}/${e.index}`;
      throw new InputError(`invalid config: the \`${pathKey}\` ${e.index === undefined ? 'file' : 'entry'} ${e.shown}: ${e.message}`, { file: loaded.file, ...loaded.locate(pointer), pointer });
    }
    // A parameter value the file gives that makes a rule invalid: the file's entry is what to fix.
    if (e instanceof ConfigParameterError && loaded.config.parameters?.[e.ruleId]?.[e.param] !== undefined) {
      const pointer = `/parameters/${escapePointerSegment(e.ruleId)}/${escapePointerSegment(e.param)}`;
      const used = e.position === undefined ? '' : `; rule ${e.ruleId} uses it at ${e.position.file}${e.position.line === undefined ? '' : `:${e.position.line}:${e.position.column ?? 1}`}`;
      throw new InputError(`invalid config: ${e.message}${used}`, { file: loaded.file, ...loaded.locate(pointer), pointer });
    }
    if (e.position !== undefined) throw e;
    // Worded without the flag, which the user did not type.
    if (e instanceof ComplianceError && fromConfig('compliance')) {
      throw new InputError(`invalid config: ${e.configMessage}`, { file: loaded.file, ...loaded.locate('/compliance'), pointer: '/compliance' });
    }
    if (e instanceof NoRulesError && fromConfig('builtinRules')) {
      throw new InputError(`invalid config: ${e.configMessage}`, { file: loaded.file, ...loaded.locate('/builtinRules'), pointer: '/builtinRules' });
    }
    // Shown at `skip`, which took the last rule away, unless only `only` came from the file.
    if (e instanceof NoRuleLeftError && (fromConfig('only') || fromConfig('skip'))) {
      const pointer = fromConfig('skip') ? '/skip' : '/only';
      throw new InputError(`invalid config: ${e.configMessage}`, { file: loaded.file, ...loaded.locate(pointer), pointer });
    }
    const selection = selectionPointer(e.message, loaded.config, fromConfig);
    const format = selection === undefined && e instanceof FormatError && fromConfig('formats') ? `/formats/${e.index}` : undefined;
    const leading = selection === undefined && format === undefined ? leadingKey(e.message) : undefined;
    const option = leading !== undefined && fromConfig(leading) ? `/${leading}` : undefined;
    const pointer = selection ?? format ?? option ?? (loaded.config.parameters && parameterPointer(e.message, loaded.config.parameters));
    if (pointer === undefined) throw e;
    // `--only names ...` would name a flag the user did not type: the key in the file is named instead.
    const worded =
      selection !== undefined ? e.message.replace(/^--(only|skip) /, '`$1` ') : format !== undefined ? formatWording(e.message) : option !== undefined ? keyWording(e.message) : e.message;
    // Advice on what to write (`write json=reports/trailgate.json`) is for the file, whose paths are
    // relative to its own folder: said with the working directory's, it pointed somewhere else.
    const message =
      format !== undefined
        ? adviceAsWritten(worded, fileOfFormat(loaded.config.formats?.[(e as FormatError).index]), fileOfFormat(loaded.written?.formats?.[(e as FormatError).index]))
        : option === '/saveSnapshot'
          ? adviceAsWritten(worded, loaded.config.saveSnapshot, loaded.written?.saveSnapshot)
          : worded;
    // An unknown rule id or parameter name is a key: shown where it is written, not at its value.
    const atKey = /unknown (?:rule|parameter) "/.test(e.message) && pointer.startsWith('/parameters/');
    throw new InputError(`invalid config: ${message}`, { file: loaded.file, ...loaded.locate(pointer, atKey), pointer });
  }
}

/** The config key of the flag a message starts with (`--role-name needs ...`: roleName), if it has one. */
function leadingKey(message: string): keyof TrailgateConfig | undefined {
  const flag = /^--([a-z][a-z-]*)/.exec(message)?.[1];
  return flag === undefined ? undefined : keyOfFlag(flag);
}

function keyOfFlag(flag: string): keyof TrailgateConfig | undefined {
  const attribute = flag.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
  return (Object.keys(FLAG_OF_KEY) as Array<keyof TrailgateConfig>).find((k) => FLAG_OF_KEY[k] === attribute);
}

/** A message about options said in the config's words: each flag that has a key is named as the key. */
function keyWording(message: string): string {
  return message.replace(/--([a-z][a-z-]*)/g, (flag, name: string) => {
    const key = keyOfFlag(name);
    return key === undefined ? flag : `\`${key}\``;
  });
}

/** The file of a `formats` entry (`json=out/r.json`: out/r.json), if it names one. */
function fileOfFormat(entry: string | undefined): string | undefined {
  const eq = entry?.indexOf('=') ?? -1;
  return eq < 0 ? undefined : entry!.slice(eq + 1);
}

/**
 * `message` with the path it advises to write (`...; write json=ci/reports/trailgate.json, for
 * example`) given as the config file writes it (`reports`), not as the working directory reaches
 * it (`ci/reports`): the advice is for the file, where paths are relative to its own folder.
 */
function adviceAsWritten(message: string, resolved: string | undefined, written: string | undefined): string {
  const at = message.lastIndexOf('; write ');
  if (resolved === undefined || written === undefined || resolved === written || at < 0) return message;
  const folder = (path: string) => path.replace(/[\\/]+$/, '');
  // The folder after `=` or a space, before a `/`. Found as text, not through a RegExp of the path:
  // V8 refuses a pattern of some 60,000 characters, and a path that long crashed the run (exit 70).
  const tail = message.slice(at);
  const from = folder(resolved);
  for (let i = tail.indexOf(from); i >= 0; i = tail.indexOf(from, i + 1)) {
    if ((tail[i - 1] === '=' || tail[i - 1] === ' ') && tail[i + from.length] === '/') return message.slice(0, at) + tail.slice(0, i) + folder(written) + tail.slice(i + from.length);
  }
  return message;
}

/** `--only names an unknown rule "x"` when `x` came from the config's `only` (or `skip`) list. */
function selectionPointer(message: string, config: TrailgateConfig, fromConfig: (key: 'only' | 'skip') => boolean): string | undefined {
  const m = /^--(only|skip) names an unknown rule "([^"]+)"/.exec(message);
  if (!m) return undefined;
  const key = m[1] as 'only' | 'skip';
  if (!fromConfig(key)) return undefined;
  const index = (config[key] ?? []).flatMap((v) => v.split(',').map((s) => s.trim())).indexOf(m[2]!);
  return index < 0 ? undefined : `/${key}/${index}`;
}

/** A `--format` message said of the config's `formats` entry it is about: the user typed no flag. */
function formatWording(message: string): string {
  return message.replace(/ \(--format (\S+)\)$/, ' ($1)').replace(/--format /g, 'the `formats` entry ');
}

function parameterPointer(message: string, parameters: Record<string, Record<string, unknown>>): string | undefined {
  const rule = /unknown rule "([^"]+)"/.exec(message)?.[1];
  if (rule !== undefined && Object.hasOwn(parameters, rule)) return `/parameters/${rule}`;
  // `unknown parameter "max" for rule "x"`, `parameter "max" of rule "x" must be...`: the rule is
  // named (a rule id is plain; the parameter name is JSON-quoted, so any name reads back).
  const m = /parameter ("(?:[^"\\]|\\.)*") (?:for|of) rule "([^"]+)"/.exec(message);
  if (m === null) return /parameter/.test(message) ? '/parameters' : undefined;
  // Both groups are not optional: a match has them.
  const name = JSON.parse(m[1]!) as string;
  const owner = m[2]!;
  if (!Object.hasOwn(parameters, owner)) return '/parameters';
  const entry = `/parameters/${escapePointerSegment(owner)}`;
  return Object.hasOwn(parameters[owner]!, name) ? `${entry}/${escapePointerSegment(name)}` : entry;
}
