/**
 * The live side of the command line: the flags of cli.md that choose accounts and regions,
 * `trailgate snapshot`, and the inventory a live `scan` evaluates. The collector loads the AWS
 * SDK itself, on first use, so a snapshot scan never pays for it.
 */
import { Option, type Command } from 'commander';
import { applyConfig, withConfigLocations, type ConfigExtras } from '../config/apply.ts';
import type { TrailgateConfig } from '../config/types.ts';
import { collect } from '../collect/index.ts';
import { appendValues } from './append.ts';
import { emptyValue } from '../collect/options.ts';
import type { CollectOptions } from '../collect/types.ts';
import { keyValueProblem } from '../config/load.ts';
import { InputError } from '../errors.ts';
import { parseInventory } from '../inventory/parse.ts';
import { mergeInventories } from '../inventory/merge.ts';
import type { LoadedInventory } from '../inventory/types.ts';
import { escapeTerminal, jsonWithoutCommands } from '../report/escape.ts';
import { exitForError } from './exit.ts';
import { namesStdout } from '../input/descriptors.ts';
import { checkSnapshotOutput } from './formats.ts';
import { SNAPSHOT, writeAtomically } from './write-file.ts';
import { filePath } from './file-path.ts';
import type { Io } from './io.ts';

/** The live flags as commander parses them. */
export interface LiveFlags {
  region: string[];
  profile?: string;
  roleArn?: string;
  accounts: string[];
  roleName?: string;
  externalId?: string;
  organization?: boolean;
  concurrency?: number;
  saveSnapshot?: string;
  quiet?: boolean;
}

/** The config keys `snapshot` takes (a `scan` takes them all). */
const LIVE_KEYS: readonly (keyof TrailgateConfig)[] = ['regions', 'profile', 'roleArn', 'accounts', 'roleName', 'externalId', 'organization', 'concurrency', 'quiet'];

/** A comma-separated list flag. An empty value (`--region "$UNSET"`) is refused, not read as the default (every region, the caller's own account). */
const list =
  (flag: string) =>
  (value: string, previous: string[]): string[] => {
    const items = value.split(',').map((s) => s.trim()).filter((s) => s !== '');
    if (items.length === 0) throw new InputError(`${flag}: no value given in "${value}"`);
    return appendValues(previous, items);
  };

/**
 * A flag that names one thing (a profile, a role, an external id), checked as its config key is:
 * an empty value (`--profile "$UNSET"`) would reach the SDK as "none given", and a role ARN the
 * schema refuses in the file (`--role-arn Audit`) is refused here too, before any AWS call.
 */
const named =
  (flag: string, key: keyof TrailgateConfig) =>
  (value: string): string => {
    if (value === '') throw emptyValue(flag);
    const problem = keyValueProblem(key, value);
    if (problem !== undefined) throw new InputError(`${flag}: "${value}" ${problem}`);
    return value;
  };

function positive(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InputError(`--concurrency: expected a positive whole number, got "${value}"`);
  return n;
}

/**
 * Adds the live collection flags (cli.md) to `scan` or `snapshot`. On `scan` their help starts
 * `live:` (a scan of --snapshot files refuses them); `snapshot` is live whatever it is given.
 */
export function addLiveOptions(cmd: Command, live = 'live: '): Command {
  return cmd
    .addOption(new Option('--region <regions>', `${live}regions to collect, comma-separated`).argParser(list('--region')).default([], 'every region enabled for the account'))
    .option('--profile <name>', `${live}AWS shared-config profile (default: the SDK credential chain)`, named('--profile', 'profile'))
    .option('--role-arn <arn>', `${live}assume this role first`, named('--role-arn', 'roleArn'))
    .addOption(new Option('--accounts <ids>', `${live}account ids to audit, comma-separated, each through --role-name`).argParser(list('--accounts')).default([], "the credentials' own account"))
    .option('--role-name <name>', `${live}the role to assume in each audited account`, named('--role-name', 'roleName'))
    .option('--external-id <id>', `${live}the external id the audited accounts' roles require`, named('--external-id', 'externalId'))
    .option('--organization', `${live}every active account of the AWS Organization, through --role-name`)
    .option('--concurrency <n>', `${live}accounts collected at the same time (default 32)`, positive);
}

/** The live flags, by their option names, as `scan --snapshot` would have to ignore them. */
const LIVE_FLAGS: [string, string][] = [
  ['region', '--region'],
  ['profile', '--profile'],
  ['roleArn', '--role-arn'],
  ['accounts', '--accounts'],
  ['roleName', '--role-name'],
  ['externalId', '--external-id'],
  ['organization', '--organization'],
  ['concurrency', '--concurrency'],
];

/**
 * A live flag on the command line of a scan of --snapshot files would do nothing: the inventory
 * decides which accounts and regions are judged. Refused, so that `--region eu-west-1` is never
 * silently read as a filter. The config file's live keys serve its live runs and are left aside.
 * `snapshotsKey` is where the config's `snapshots` key is (`file:line:column`) when the files
 * came from it: the message then names that key, not a --snapshot the user did not give.
 */
export function refuseLiveFlags(cmd: Command, snapshotsKey?: string): void {
  const given = LIVE_FLAGS.find(([name]) => cmd.getOptionValueSource(name) === 'cli');
  if (!given) return;
  const flag = given[1];
  if (snapshotsKey === undefined) throw new InputError(`${flag} is for live scans; with --snapshot the inventory decides what is judged (drop ${flag}, or drop --snapshot to collect live)`);
  throw new InputError(`${flag} is for live scans; with \`snapshots\` in ${snapshotsKey} the inventory decides what is judged (drop ${flag}, or remove \`snapshots\` from the config to collect live)`);
}

/** CollectOptions from the flags. */
function collectOptions(flags: LiveFlags, io: Io): CollectOptions {
  const o: CollectOptions = { now: () => io.now() };
  if (flags.region.length > 0) o.regions = flags.region;
  if (flags.accounts.length > 0) o.accounts = flags.accounts;
  if (flags.profile !== undefined) o.profile = flags.profile;
  if (flags.roleArn !== undefined) o.roleArn = flags.roleArn;
  if (flags.roleName !== undefined) o.roleName = flags.roleName;
  if (flags.externalId !== undefined) o.externalId = flags.externalId;
  if (flags.organization) o.organization = true;
  if (flags.concurrency !== undefined) o.concurrency = flags.concurrency;
  return o;
}

/**
 * The first `width` UTF-16 units of a line, one fewer when the cut would split a character past
 * U+FFFF in two (its first half alone prints as U+FFFD).
 */
function fitted(line: string, width: number): string {
  const end = Math.min(line.length, width);
  const split = end < line.length && end > 0 && (line.charCodeAt(end - 1) & 0xfc00) === 0xd800;
  return line.slice(0, split ? end - 1 : end);
}

/**
 * Progress on stderr as cli.md says: on a terminal one line rewritten in place; elsewhere (CI
 * logs) plain lines, the per-account ones at most every few seconds. Warnings always show.
 */
export function progressReporter(io: Io, quiet: boolean): { line: (text: string) => void; done: () => void } {
  // The terminal's own width: a longer line wraps, and `\r\x1b[2K` then clears only its last row.
  // Too narrow (or 0 columns, as some pseudo-terminals report): plain lines.
  const columns = io.stderrColumns ?? Number(io.env.COLUMNS ?? 80);
  const live = io.stderrIsTTY && !io.env.CI && columns >= 20;
  let last = 0;
  let pending: string | undefined;
  let shown = false;
  const clear = () => {
    if (live && shown) io.stderr('\r\x1b[2K');
    shown = false;
  };
  return {
    line(raw) {
      // Lines quote AWS answers (error codes, region names): escaped, they cannot move the cursor
      // nor, with backslashes doubled, pass a literal `\x1b` off as an escaped ESC.
      const text = escapeTerminal(raw);
      if (text.startsWith('warning: ')) {
        clear();
        io.stderr(`trailgate: ${text}\n`);
        return;
      }
      if (quiet) return;
      if (live) {
        clear();
        io.stderr(fitted(`trailgate: ${text}`, columns - 1));
        shown = true;
        return;
      }
      const now = Date.now();
      const final = text.startsWith('collected ') || text.startsWith('collecting ');
      if (final || now - last >= 5000) {
        io.stderr(`trailgate: ${text}\n`);
        last = now;
        pending = undefined;
      } else pending = text;
    },
    done() {
      clear();
      if (pending !== undefined && !quiet) io.stderr(`trailgate: ${pending}\n`);
    },
  };
}

/** Collects live and returns the inventory as JSON text (the bytes a snapshot file holds). */
async function collectText(flags: LiveFlags, io: Io): Promise<string> {
  const progress = progressReporter(io, flags.quiet === true);
  try {
    const inventory = await collect(collectOptions(flags, io), progress.line);
    // Written to standard output without -o, where an Actions log reads `##[` as a command.
    return `${jsonWithoutCommands(JSON.stringify(inventory, null, 2))}\n`;
  } finally {
    progress.done();
  }
}

/** The name of an inventory collected live and saved nowhere: results then point at resources, not at a file. */
export const LIVE_SOURCE = '<live>';

/** What a live `scan` evaluates, and why `--save-snapshot` could not be written, when it could not. */
export interface LiveInventory {
  loaded: LoadedInventory;
  /** The message naming the snapshot that could not be written. */
  saveFailure?: string;
}

/**
 * The inventory a live `scan` evaluates. It goes through the same text, parser and schema as a
 * saved snapshot, so scanning the file `--save-snapshot` wrote gives the same results. A snapshot
 * the disk refuses (full, read-only) does not cost the reports of a collection already made: the
 * scan goes on, and exits 2 once they are written. Its results then point at no file, since the
 * file they would name is not the inventory they were drawn from.
 */
export async function liveInventory(flags: LiveFlags, io: Io): Promise<LiveInventory> {
  const text = await collectText(flags, io);
  let source = LIVE_SOURCE;
  let saveFailure: string | undefined;
  if (flags.saveSnapshot !== undefined) {
    try {
      writeAtomically(io.cwd, flags.saveSnapshot, text, SNAPSHOT);
      source = flags.saveSnapshot;
    } catch (e) {
      // Only a write the file system refused; anything else is a bug, and stops the run as one.
      if (!(e instanceof InputError)) throw e;
      saveFailure = exitForError(e).message;
    }
  }
  return { loaded: mergeInventories([parseInventory(text, source)]), saveFailure };
}

/** Adds `trailgate snapshot [-o FILE]`; `setCode` receives its exit code. */
export function addSnapshotCommand(program: Command, io: Io, setCode: (code: number) => void): Command {
  return addLiveOptions(program.command('snapshot').description('collect live configuration and write an inventory (-o FILE, default stdout)'), '')
    .option('-o, --output <file>', 'write the inventory to this file (atomically) instead of standard output; - is standard output', filePath)
    .option('--quiet', 'print less on standard error', false)
    .option('--config <file>', 'the config file (default: .trailgate.yml in the working directory, when present)', filePath)
    .action(async (opts, cmd: Command) => {
      const flags = applyConfig(cmd, opts, io, LIVE_KEYS) as LiveFlags & { output?: string } & ConfigExtras;
      // `-o -`, or `-o /dev/stdout`, is the default: standard output, not a file named `-`, nor
      // the redirect target of `> out.json` replaced by a rename.
      const output = flags.output === '-' || (flags.output !== undefined && namesStdout(io.cwd, flags.output)) ? undefined : flags.output;
      // Nothing a scan with this config reads may be replaced, as with `scan --save-snapshot`.
      const config = flags.loadedConfig;
      if (output !== undefined) checkSnapshotOutput(io.cwd, output, '-o', { config: config?.file, baseline: config?.config.baseline, rulePaths: config?.config.rules });
      // A live key from the config file that is refused is named where the file writes it.
      const text = await withConfigLocations(flags.loadedConfig, cmd, () => collectText(flags, io));
      if (output !== undefined) writeAtomically(io.cwd, output, text, SNAPSHOT);
      else io.stdout(text);
      setCode(0);
    });
}
