/**
 * The command line, as README "Command line" (and the design note cli.md) describe it. `run` parses the
 * arguments, runs a command and returns the exit code; it never exits the process itself.
 */
import { Command, CommanderError, Help, Option } from 'commander';
import { applyConfig, RULE_KEYS, withConfigLocations, type ConfigExtras } from '../config/apply.ts';
import type { LoadedConfig } from '../config/types.ts';
import { InputError } from '../errors.ts';
import { escapeTerminal } from '../report/escape.ts';
import { EXIT, exitForError, FAIL_ON_VALUES, type FailOn } from './exit.ts';
import { filePath } from './file-path.ts';
import { parseFormats } from './formats.ts';
import { fail, type Io } from './io.ts';
import { renderRules } from './rules-cmd.ts';
import { renderComplianceView } from '../compliance/view.ts';
import { addLiveOptions, addSnapshotCommand, liveInventory, refuseLiveFlags, type LiveFlags } from './live.ts';
import { finishScan, planScan, scanSnapshots, type ScanOptions } from './scan.ts';
import { rulesFor } from './choose-rules.ts';
import { idList } from './select.ts';
import { appendValues } from './append.ts';
import { TOOL } from './tool.ts';

const collect = (value: string, previous: string[]) => appendValues(previous, [value]);

/** Option help without "(default: [])" and "(default: false)": the empty start of a repeatable option, or an unset flag, says nothing. */
function quietDefaults(this: Help, option: Option): string {
  return Help.prototype.optionDescription.call(this, option).replace(/ \(default: (?:\[\]|false)\)$/, '');
}
const collectPath = (value: string, previous: string[]) => appendValues(previous, [filePath(value)]);

/** Options shared by `scan` and `rules`. */
function ruleOptions(cmd: Command): Command {
  return cmd
    .option('--rules <path>', 'add rules from a YAML file or a directory of them (repeatable)', collectPath, [])
    .option('--no-builtin-rules', 'run only the rules given with --rules')
    .option('--only <ids>', 'run only these rule ids (comma-separated, repeatable)', collect, [])
    .option('--skip <ids>', 'skip these rule ids (comma-separated, repeatable)', collect, [])
    .option('--compliance <framework>', 'only the rules mapped to this framework, e.g. cis-aws-foundations-v3.0 or aws-fsbp; with `rules`, its controls and what covers each');
}

/** Runs trailgate with `argv` (without `node` and the script). Returns the exit code. */
export async function run(argv: string[], io: Io): Promise<number> {
  let code: number = EXIT.ok;
  const program = new Command('trailgate')
    .description('Policy-as-code compliance checks for AWS CloudTrail.')
    .version(TOOL.version, '-V, --version')
    // Program options only before the command: after it, `--only -V` or an ExternalId `-Vx7` is a
    // value, never `--version` (which printed the version and passed a gate without scanning).
    .enablePositionalOptions()
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr, outputError: () => undefined })
    .configureHelp({ optionDescription: quietDefaults });

  ruleOptions(
    addLiveOptions(program
      .command('scan')
      .description('evaluate the rules and report (input: --snapshot files, else live AWS)')
      .option('--snapshot <file>', 'evaluate an inventory file, JSON or YAML; - reads standard input (repeatable: files are merged)', collectPath, [])
      .option('--format <fmt[=file]>', 'text (default), json, sarif, junit or github; =FILE writes to a file (repeatable)', collect, [])
      .addOption(new Option('--fail-on <severity>', 'the lowest severity whose violations fail the run').choices(FAIL_ON_VALUES as string[]).default('low'))
      .option('--verbose', 'show passing and skipped results in the text report', false)
      .option('--quiet', 'print less on standard error', false)
      .option('--no-color', 'no ANSI colour (NO_COLOR is honoured too)')
      .option('--config <file>', 'the config file (default: .trailgate.yml in the working directory, when present)', filePath)
      .option('--baseline <file>', "an earlier run's JSON report: violations already in it do not fail the run", filePath))
      .option('--save-snapshot <file>', 'live: also write the collected inventory to this file', filePath),
  ).action(async (opts, cmd: Command) => {
    const flags = applyConfig(cmd, opts, io);
    // Inventory files named by the config, not by --snapshot: a clash names the key and where it is.
    const config = flags.loadedConfig;
    const snapshotsKey = config?.config.snapshots !== undefined && cmd.getOptionValueSource('snapshot') !== 'cli' ? placeOf(config, '/snapshots') : undefined;
    if (flags.snapshot.length > 0) refuseLiveFlags(cmd, snapshotsKey);
    // The config's saveSnapshot is for live scans; only the flag itself clashes with --snapshot.
    if (flags.snapshot.length > 0 && cmd.getOptionValueSource('saveSnapshot') !== 'cli') delete flags.saveSnapshot;
    if (flags.snapshot.length > 0 && flags.saveSnapshot !== undefined) {
      throw new InputError(
        snapshotsKey === undefined
          ? '--save-snapshot saves a live collection; it cannot be used with --snapshot'
          : `--save-snapshot saves a live collection; it cannot be used with \`snapshots\` in ${snapshotsKey} (drop --save-snapshot, or remove \`snapshots\` from the config to collect live)`,
      );
    }
    // The reports explain `never` by where it was set: the key, when no --fail-on replaced it.
    const failOnSource = config?.config.failOn !== undefined && cmd.getOptionValueSource('failOn') !== 'cli' ? config.file : undefined;
    // Likewise the warning about a framework without a catalogue names the key, not a --compliance nobody typed.
    const complianceSource = config?.config.compliance !== undefined && cmd.getOptionValueSource('compliance') !== 'cli' ? config.file : undefined;
    code = await withConfigLocations(flags.loadedConfig, cmd, () => scanCommand(flags, io, failOnSource, complianceSource));
  });

  ruleOptions(program.command('rules').description('list the rules that would run: id, severity, scope, title'))
    .addOption(new Option('--format <format>', 'text or json').choices(['text', 'json']).default('text'))
    .option('--config <file>', 'the config file (default: .trailgate.yml in the working directory, when present)', filePath)
    .action(async (opts, cmd: Command) => {
      const o = applyConfig(cmd, opts, io, RULE_KEYS);
      const rules = await withConfigLocations(o.loadedConfig, cmd, () => rulesFor({ rulePaths: o.rules, builtinRules: o.builtinRules, only: idList(o.only, '--only'), skip: idList(o.skip, '--skip'), params: o.parameters, compliance: o.compliance, configRulePaths: o.loadedConfig?.config.rules }, io));
      io.stdout(o.compliance !== undefined ? renderComplianceView(rules, o.compliance, opts.format) : renderRules(rules, opts.format));
    });

  addSnapshotCommand(program, io, (c) => (code = c));

  try {
    if (argv.length === 0) {
      io.stdout(program.helpInformation());
      return EXIT.ok;
    }
    await program.parseAsync(helpTopicChecked(program, argv), { from: 'user' });
    return code;
  } catch (e) {
    if (e instanceof CommanderError) {
      // Commander shows the help for a mistake too (exit code 1 then): that is no request for help.
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || (e.code === 'commander.help' && e.exitCode === 0)) return EXIT.ok;
      if (e.code === 'commander.help') return EXIT.input;
      // Program options come before the command (they are positional, so that `--only -V` is a value).
      if (e.code === 'commander.unknownOption' && /'(--version|-V)'/.test(e.message)) {
        fail(io, 'trailgate: --version goes before the command: trailgate --version');
        return EXIT.input;
      }
      const misplaced = e.code === 'commander.unknownOption' ? commandOptionFirst(program, argv, e.message) : undefined;
      if (misplaced !== undefined) {
        fail(io, `trailgate: ${misplaced}`);
        return EXIT.input;
      }
      // Commander puts its "(Did you mean --no-color?)" on a line of its own: keep the message one line.
      fail(io, `trailgate: ${escapeTerminal(e.message.replace(/^error: /, '').replace(/\n(?=\(Did you mean )/, ' '))} (see trailgate --help)`);
      return EXIT.input;
    }
    const { code: exit, message } = exitForError(e);
    fail(io, message, e);
    return exit;
  }
}

/**
 * An unknown command is refused whatever follows it. Commander acts on `--version` and `--help`
 * before it looks at the command, so `trailgate nope --version` printed the version (exit 0) and
 * `help nope` the general help: a typo in a script's call would pass. Either is parsed as the
 * command alone, which gives the unknown-command message, its suggestion and exit 2.
 */
function helpTopicChecked(program: Command, argv: string[]): string[] {
  const known = (name: string) => program.commands.some((c) => c.name() === name || c.aliases().includes(name));
  const [first, topic] = argv;
  if (first === undefined || first.startsWith('-')) return argv;
  if (first !== 'help') return known(first) ? argv : [first];
  if (topic === undefined || topic.startsWith('-')) return argv;
  return known(topic) ? argv : [topic];
}

/**
 * For an option of a command written before the command (`trailgate --quiet scan`), which
 * Commander calls unknown, as the program has no such option: where it goes instead.
 */
function commandOptionFirst(program: Command, argv: readonly string[], message: string): string | undefined {
  const name = /unknown option '([^'=]+)/.exec(message)?.[1];
  if (name === undefined) return undefined;
  // The command is the first word that names one: a value of the misplaced option comes before it.
  const command = argv.findIndex((a) => program.commands.some((c) => c.name() === a));
  const at = argv.findIndex((a) => a === name || a.startsWith(`${name}=`));
  if (at < 0 || (command >= 0 && at > command)) return undefined;
  const owners = program.commands.filter((c) => c.options.some((o) => o.long === name || o.short === name)).map((c) => c.name());
  if (owners.length === 0) return undefined;
  // Before a command that lacks it, moving it after that command would not help: Commander's own words.
  if (command >= 0 && !owners.includes(argv[command]!)) return undefined;
  const example = command >= 0 ? argv[command] : owners[0];
  return `${name} is an option of ${owners.join(' and ')}: it goes after the command (trailgate ${example} ${name} ...)`;
}

/** `file:line:column` of a config key, for messages that name the key rather than locate an error in it. */
function placeOf(config: LoadedConfig, pointer: string): string {
  const { line, column } = config.locate(pointer, true);
  return `${config.file}:${line}:${column}`;
}

interface ScanFlags extends ConfigExtras, LiveFlags {
  snapshot: string[];
  rules: string[];
  builtinRules: boolean;
  only: string[];
  skip: string[];
  format: string[];
  failOn: string;
  verbose: boolean;
  quiet: boolean;
  color: boolean;
  baseline?: string;
  compliance?: string;
}

async function scanCommand(flags: ScanFlags, io: Io, failOnSource: string | undefined, complianceSource: string | undefined): Promise<number> {
  const options: ScanOptions = {
    snapshots: flags.snapshot,
    rulePaths: flags.rules,
    builtinRules: flags.builtinRules,
    only: idList(flags.only, '--only'),
    skip: idList(flags.skip, '--skip'),
    formats: parseFormats(flags.format, io.cwd),
    failOn: flags.failOn as FailOn,
    failOnSource,
    verbose: flags.verbose,
    quiet: flags.quiet,
    color: flags.color === false ? false : undefined,
    params: flags.parameters,
    suppressions: flags.suppressions,
    baseline: flags.baseline,
    compliance: flags.compliance,
    complianceSource,
    configFile: flags.loadedConfig?.file,
    configRulePaths: flags.loadedConfig?.config.rules,
  };
  if (options.snapshots.length === 0) {
    // planScan checks the report files against the snapshot to save before collecting.
    const plan = planScan({ ...options, saveSnapshot: flags.saveSnapshot }, io);
    const { loaded, saveFailure } = await liveInventory(flags, io);
    return finishScan(plan, loaded, { ...options, saveFailure }, io);
  }
  return scanSnapshots(options, io);
}
