/**
 * `npm run bench`: the figures issue 2 asks for, each as a ratio to plain Node doing the least
 * it could, so that they mean the same on a fast laptop and a loaded CI runner.
 *
 *   (a) scan of a 10,000-account inventory writing SARIF, JUnit and JSON, against `node`
 *       parsing the same file (median of 3; target <= 5x) and its peak RSS (target < 1 GB);
 *   (b) cold start, a scan of the example inventory against `node -e 0` (median of 10; <= 3x);
 *   (c) the live-collection figures of bench/live.ts, when that file exists.
 *
 * Also the JSON source locator against JSON.parse, in process. Writes bench/out/results.json.
 * Usage: npm run bench [-- --runs 3 --cold-runs 10 --example examples/organization.yaml --no-live --no-gnu-time]
 *        npm run bench -- --profile [N]   (CPU profile of one large scan: the N hottest functions)
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { jsonSourceMap } from '../src/inventory/locate-json.ts';
import { generateInventory, inventoryText } from './generate.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const OUT = join(ROOT, 'bench', 'out');
const SEED = 1;

interface Run {
  ms: number;
  /** Peak resident set size in bytes, when it could be measured. */
  rss?: number;
  /** User + system CPU time: steadier than wall time when other work shares the machine. */
  cpuMs?: number;
  status: number | null;
  stderr: string;
}

interface Options {
  runs: number;
  coldRuns: number;
  example?: string;
  live: boolean;
  /** Instead of the figures: profile one large scan and list this many hot spots. */
  profile?: number;
}

function parseArgs(argv: string[]): Options {
  const o: Options = { runs: 3, coldRuns: 10, live: true };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--runs') o.runs = Number(argv[++i]);
    else if (a === '--cold-runs') o.coldRuns = Number(argv[++i]);
    else if (a === '--example') o.example = argv[++i];
    else if (a === '--no-live') o.live = false;
    else if (a === '--no-gnu-time') continue; // read where gnuTime is decided: the fallback, on purpose
    else if (a === '--profile') o.profile = /^\d+$/.test(argv[i + 1] ?? '') ? Number(argv[++i]) : 25;
    else throw new Error(`unknown argument ${a}`);
  }
  return o;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/**
 * Peak RSS comes from GNU time when it is installed; otherwise from a preloaded module that
 * writes the child's own `process.resourceUsage().maxRSS` to fd 3 as it exits. Both read the
 * kernel's getrusage, so they agree; the preload works wherever Node does.
 */
const gnuTime = !process.argv.includes('--no-gnu-time') && existsSync('/usr/bin/time') && /Maximum resident set size/.test(spawnSync('/usr/bin/time', ['-v', 'true'], { encoding: 'utf8' }).stderr ?? '');
const PROBE = `data:text/javascript,${encodeURIComponent(
  "import { writeSync } from 'node:fs'; process.on('exit', () => { const u = process.resourceUsage(); try { writeSync(3, `${u.maxRSS} ${(u.userCPUTime + u.systemCPUTime) / 1000}`); } catch {} });",
)}`;

/** Runs `node args...` once from the repository root, timing it from spawn to exit. */
function runNode(args: string[]): Run {
  const start = performance.now();
  if (gnuTime) {
    const r = spawnSync('/usr/bin/time', ['-v', process.execPath, ...args], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 64 << 20 });
    const ms = performance.now() - start;
    const kb = /Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr)?.[1];
    const user = /User time \(seconds\): ([\d.]+)/.exec(r.stderr)?.[1];
    const sys = /System time \(seconds\): ([\d.]+)/.exec(r.stderr)?.[1];
    const cpuMs = user && sys ? (Number(user) + Number(sys)) * 1000 : undefined;
    const stderr = r.stderr.replace(/\n\tCommand being timed:[\s\S]*$/, '').replace(/Command exited with non-zero status \d+\n?/, '');
    return { ms, rss: kb ? Number(kb) * 1024 : undefined, cpuMs, status: r.status, stderr };
  }
  const r = spawnSync(process.execPath, ['--import', PROBE, ...args], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe', 'pipe'], maxBuffer: 64 << 20 });
  const ms = performance.now() - start;
  const [kb, cpuMs] = String(r.output[3] ?? '').split(' ').map(Number);
  return { ms, rss: kb > 0 ? kb * 1024 : undefined, cpuMs: cpuMs > 0 ? cpuMs : undefined, status: r.status, stderr: r.stderr };
}

/** Median CPU time of runs, NaN when it was not measured. */
function cpuMedian(runs: Run[]): number {
  const xs = runs.map((r) => r.cpuMs).filter((x): x is number => x !== undefined);
  return xs.length === runs.length ? median(xs) : NaN;
}

/**
 * Runs two commands alternately, so that both see the same share of a noisy machine.
 * `beforeB` runs untimed before each run of `b`.
 */
function paired(n: number, a: string[], b: string[], beforeB?: () => void): [Run[], Run[]] {
  const ra: Run[] = [];
  const rb: Run[] = [];
  for (let i = 0; i < n; i++) {
    ra.push(runNode(a));
    beforeB?.();
    rb.push(runNode(b));
  }
  return [ra, rb];
}

const REPORTS = ['r.sarif', 'r.xml', 'r.json'];

/** Removes the previous run's reports, so that a scan writes into a clean directory as in CI, not over 500 MB of old files. */
function removeReports(): void {
  for (const f of REPORTS) rmSync(join(OUT, f), { force: true });
}

/** The inventory of `accounts` accounts, generated when missing or older than the generator. */
function ensureInventory(accounts: number): string {
  const file = join(OUT, `org-${accounts}.json`);
  const generator = join(ROOT, 'bench', 'generate.ts');
  if (!existsSync(file) || statSync(file).mtimeMs < statSync(generator).mtimeMs) {
    const start = performance.now();
    writeFileSync(file, inventoryText(generateInventory({ accounts, seed: SEED })));
    console.error(`generated ${relative(ROOT, file)} (${mb(statSync(file).size)}) in ${seconds(performance.now() - start)}`);
  }
  return file;
}

const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const ratio = (x: number) => `${x.toFixed(2)}x`;

/** Node's own cost of reading the inventory: the floor under any scan. */
const PARSE = (file: string) => ['-e', "JSON.parse(require('fs').readFileSync(process.argv[1], 'utf8'))", file];

/** A scan ends 0 (no violations) or 1 (violations, as on these inventories); anything else is a failure. */
function scanFailure(runs: Run[]): string | undefined {
  const bad = runs.find((r) => r.status !== 0 && r.status !== 1);
  return bad && `exit ${bad.status}: ${bad.stderr.trim().split('\n').slice(0, 5).join(' | ')}`;
}

function buildCli(): string | undefined {
  const r = spawnSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (r.status !== 0) return `npm run build failed: ${(r.stderr || r.stdout).trim().split('\n').slice(0, 5).join(' | ')}`;
  return existsSync(join(ROOT, 'lib', 'trailgate.js')) ? undefined : 'npm run build left no lib/trailgate.js';
}

/** The scan (a) measures: SARIF, JUnit and JSON to files, and the default text to stdout. */
function scanArgs(file: string): string[] {
  const report = (f: string) => relative(ROOT, join(OUT, f));
  return ['scan', '--snapshot', relative(ROOT, file), '--format', `sarif=${report('r.sarif')}`, '--format', `junit=${report('r.xml')}`, '--format', `json=${report('r.json')}`];
}

/** (a): the scan of the large inventory against parsing it. */
function largeScan(file: string, runs: number, cliError: string | undefined) {
  const scan = ['bin/trailgate.js', ...scanArgs(file)];
  if (cliError) {
    const parse = Array.from({ length: runs }, () => runNode(PARSE(file)));
    return { file: relative(ROOT, file), bytes: statSync(file).size, parseMs: median(parse.map((r) => r.ms)), error: cliError };
  }
  const [parse, scanned] = paired(runs, PARSE(file), scan, removeReports);
  const failure = scanFailure(scanned);
  const parseMs = median(parse.map((r) => r.ms));
  const scanMs = median(scanned.map((r) => r.ms));
  const cpuRatio = cpuMedian(scanned) / cpuMedian(parse);
  const rss = scanned.map((r) => r.rss).filter((x): x is number => x !== undefined);
  const outputs = Object.fromEntries(REPORTS.map((f) => [f, existsSync(join(OUT, f)) ? statSync(join(OUT, f)).size : 0]));
  return {
    file: relative(ROOT, file),
    bytes: statSync(file).size,
    command: `node ${scan.join(' ')}`,
    parseMs,
    parseRuns: parse.map((r) => Math.round(r.ms)),
    parseRss: Math.max(0, ...parse.map((r) => r.rss ?? 0)) || undefined,
    scanMs,
    scanRuns: scanned.map((r) => Math.round(r.ms)),
    ratio: scanMs / parseMs,
    cpuRatio: Number.isFinite(cpuRatio) ? cpuRatio : undefined,
    peakRss: rss.length ? Math.max(...rss) : undefined,
    outputs,
    error: failure,
  };
}

/** (b): a scan of the small example against starting Node at all. */
function coldStart(example: string, runs: number, cliError: string | undefined) {
  if (cliError) return { example, error: cliError };
  const [node, scanned] = paired(runs, ['-e', '0'], ['bin/trailgate.js', 'scan', '--snapshot', example]);
  const nodeMs = median(node.map((r) => r.ms));
  const scanMs = median(scanned.map((r) => r.ms));
  const cpuRatio = cpuMedian(scanned) / cpuMedian(node);
  return { example, nodeMs, scanMs, ratio: scanMs / nodeMs, cpuRatio: Number.isFinite(cpuRatio) ? cpuRatio : undefined, scanRuns: scanned.map((r) => Math.round(r.ms)), nodeRuns: node.map((r) => Math.round(r.ms)), error: scanFailure(scanned) };
}

/** The locator against JSON.parse on the same text, in this process (median of `runs`). */
function locator(file: string, runs: number) {
  const text = readFileSync(file, 'utf8');
  const parse: number[] = [];
  const scan: number[] = [];
  for (let i = 0; i < runs; i++) {
    let start = performance.now();
    JSON.parse(text);
    parse.push(performance.now() - start);
    start = performance.now();
    jsonSourceMap(text, file).locate('/accounts/0');
    scan.push(performance.now() - start);
  }
  return { file: relative(ROOT, file), parseMs: median(parse), scanMs: median(scan), ratio: median(scan) / median(parse) };
}

interface LiveFigures {
  wallSeconds: number;
  lowerBoundSeconds: number;
  ratio: number;
  throttlingErrors: number;
  clientCpuSeconds?: number;
  fakeCpuSeconds?: number;
  cpuFloorSeconds?: number;
}

/** (c): bench/live.ts, when present, exports one async function returning its figures. */
async function live(): Promise<LiveFigures | { error: string } | undefined> {
  const file = join(ROOT, 'bench', 'live.ts');
  if (!existsSync(file)) return undefined;
  try {
    const mod = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
    const fn = typeof mod.default === 'function' ? mod.default : Object.values(mod).find((v) => typeof v === 'function');
    if (typeof fn !== 'function') return { error: 'bench/live.ts exports no function' };
    return (await fn()) as LiveFigures;
  } catch (e) {
    return { error: e instanceof Error ? e.message : String(e) };
  }
}

function defaultExample(): string {
  const found = readdirSync(join(ROOT, 'examples')).filter((f) => /\.(ya?ml|json)$/.test(f)).sort();
  if (found.length === 0) throw new Error('no inventory in examples/; pass --example FILE');
  return join('examples', found[0]);
}

function row(what: string, figure: string, target: string, ok: boolean | undefined): string {
  const verdict = ok === undefined ? '' : ok ? 'ok' : 'MISSED';
  return `| ${what.padEnd(52)} | ${figure.padEnd(36)} | ${target.padEnd(9)} | ${verdict.padEnd(6)} |`;
}

/**
 * Where a large scan's time goes: self time per function from `node --cpu-prof`. The bundle
 * keeps function names, so each is traced to the src/ file that defines it.
 */
function profile(file: string, top: number): void {
  const dir = join(OUT, 'profile');
  mkdirSync(dir, { recursive: true });
  const before = new Set(readdirSync(dir));
  removeReports();
  const start = performance.now();
  const r = spawnSync(process.execPath, ['--cpu-prof', '--cpu-prof-dir', dir, 'lib/trailgate.js', ...scanArgs(file)], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'] });
  const ms = performance.now() - start;
  const written = readdirSync(dir).filter((f) => !before.has(f) && f.endsWith('.cpuprofile'));
  if (written.length === 0) throw new Error(`no profile written (exit ${r.status}): ${r.stderr.slice(0, 500)}`);
  const prof = JSON.parse(readFileSync(join(dir, written[0]), 'utf8')) as CpuProfile;
  const byId = new Map(prof.nodes.map((n) => [n.id, n.callFrame]));
  const self = new Map<string, number>();
  let total = 0;
  prof.samples.forEach((id, i) => {
    const f = byId.get(id)!;
    const name = f.functionName || '(anonymous)';
    const key = f.url.endsWith('trailgate.js') ? name : `${name} ${f.url.replace(/^.*\/node_modules\//, '').replace(/^node:/, 'node:')}`.trim();
    self.set(key, (self.get(key) ?? 0) + prof.timeDeltas[i]);
    total += prof.timeDeltas[i];
  });
  const sources = sourceIndex();
  console.log(`profile of: node lib/trailgate.js ${scanArgs(file).join(' ')}\nexit ${r.status}, ${seconds(ms)} wall; ${join('bench', 'out', 'profile', written[0])}\n`);
  for (const [key, us] of [...self].sort((x, y) => y[1] - x[1]).slice(0, top)) {
    // esbuild renames clashing functions with a numeric suffix (evaluate2).
    const files = sources.get(key) ?? sources.get(key.replace(/\d+$/, '')) ?? [];
    const where = files.length === 0 ? '' : `${files[0]}${files.length > 1 ? ` (or ${files.length - 1} more)` : ''}:`;
    console.log(`${(us / 1000).toFixed(0).padStart(7)} ms ${((100 * us) / total).toFixed(1).padStart(5)}%  ${where}${key}`);
  }
}

interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string } }[];
  samples: number[];
  timeDeltas: number[];
}

/** Function name -> the src/ files that define one of that name, for reading a bundle's profile. */
function sourceIndex(): Map<string, string[]> {
  const index = new Map<string, string[]>();
  const definition = /(?:function\s+|^\s*(?:(?:private|public|static|async|get)\s+)*|(?:const|let)\s+)([A-Za-z_$][\w$]*)\s*(?:=\s*(?:async\s*)?\(|=\s*function|\(|<)/gm;
  const keywords = new Set(['if', 'for', 'while', 'switch', 'return', 'catch']);
  const walk = (dir: string): void => {
    for (const entry of readdirSync(join(ROOT, dir), { withFileTypes: true }).sort((x, y) => x.name.localeCompare(y.name))) {
      const path = `${dir}/${entry.name}`;
      if (entry.isDirectory()) walk(path);
      else if (path.endsWith('.ts')) {
        for (const m of readFileSync(join(ROOT, path), 'utf8').matchAll(definition)) {
          const files = index.get(m[1]) ?? [];
          if (!keywords.has(m[1]) && !files.includes(path)) index.set(m[1], [...files, path]);
        }
      }
    }
  };
  walk('src');
  return index;
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  mkdirSync(OUT, { recursive: true });
  const loadBefore = loadavg();
  const small = ensureInventory(1_000);
  const large = ensureInventory(10_000);
  const cliError = buildCli();
  if (options.profile !== undefined) {
    if (cliError) throw new Error(cliError);
    profile(large, options.profile);
    return;
  }
  if (cliError) console.error(`${cliError}\nmeasuring the parse baseline only`);

  const a = largeScan(large, options.runs, cliError);
  const a1000 = largeScan(small, options.runs, cliError);
  const b = coldStart(options.example ?? defaultExample(), options.coldRuns, cliError);
  const loc = locator(large, Math.max(options.runs, 7)); // cheap, and noisier than the rest
  const c = options.live ? await live() : undefined;

  const lines = [
    `trailgate benchmarks, Node ${process.version}, ${cpus().length} CPUs, load ${loadBefore.map((x) => x.toFixed(1)).join(' ')} (medians: figures on a shared machine are noisy)`,
    '',
    row('measure', 'figure', 'target', undefined),
    `|${'-'.repeat(54)}|${'-'.repeat(38)}|${'-'.repeat(11)}|${'-'.repeat(8)}|`,
    row(`node parse of ${a.file} (${mb(a.bytes)})`, seconds(a.parseMs), '', undefined),
  ];
  if ('scanMs' in a && a.scanMs !== undefined) {
    lines.push(row('(a) scan, SARIF + JUnit + JSON written', `${seconds(a.scanMs)} = ${ratio(a.ratio)} parse`, '<= 5x', a.error ? false : a.ratio <= 5));
    if (a.cpuRatio !== undefined) lines.push(row('    the same in CPU time (user + system)', `${ratio(a.cpuRatio)} parse`, '', undefined));
    lines.push(row('(a) peak RSS of that scan', a.peakRss ? mb(a.peakRss) : 'not measured', '< 1 GB', a.peakRss === undefined ? undefined : a.peakRss < 1e9));
  } else {
    lines.push(row('(a) scan', `not run: ${a.error}`.slice(0, 34), '<= 5x', false));
  }
  if ('scanMs' in a1000 && a1000.scanMs !== undefined) {
    lines.push(row(`    same for ${a1000.file} (${mb(a1000.bytes)})`, `${seconds(a1000.scanMs)} = ${ratio(a1000.ratio)} parse`, '', undefined));
  }
  if ('scanMs' in b && b.scanMs !== undefined) {
    lines.push(row(`(b) cold start: scan ${b.example}`, `${seconds(b.scanMs)} = ${ratio(b.ratio)} node -e 0`, '<= 3x', b.error ? false : b.ratio <= 3));
    if (b.cpuRatio !== undefined) lines.push(row('    the same in CPU time (user + system)', `${ratio(b.cpuRatio)} node -e 0`, '', undefined));
  } else {
    lines.push(row('(b) cold start', `not run: ${b.error}`.slice(0, 34), '<= 3x', false));
  }
  lines.push(row('    JSON source locator, in process', `${(loc.scanMs).toFixed(0)} ms = ${ratio(loc.ratio)} JSON.parse`, '< 1x', loc.ratio < 1));
  if (c && 'error' in c) lines.push(row('(c) live collection', `error: ${c.error}`.slice(0, 34), '', false));
  else if (c) {
    lines.push(row('(c) live collection, wall', `${c.wallSeconds.toFixed(2)} s = ${ratio(c.ratio)} lower bound`, '<= 1.5x', c.ratio <= 1.5 && c.throttlingErrors === 0));
    lines.push(row('    lower bound; throttling errors', `${c.lowerBoundSeconds.toFixed(2)} s; ${c.throttlingErrors}`, '0 errors', c.throttlingErrors === 0));
    if (c.cpuFloorSeconds !== undefined) {
      // What the machine allows: the CPU the collector and the fake needed, spread over every core.
      lines.push(row('    CPU: collector + fake endpoint', `${c.clientCpuSeconds} + ${c.fakeCpuSeconds} s`, '', undefined));
      lines.push(row('    CPU floor (that CPU / cores)', `${c.cpuFloorSeconds.toFixed(2)} s = ${ratio(c.cpuFloorSeconds / c.lowerBoundSeconds)} lower bound`, '', undefined));
    }
  }
  for (const x of [a, b]) if (x.error) lines.push('', `error: ${x.error}`);
  console.log(lines.join('\n'));

  const results = {
    node: process.version,
    cpus: cpus().length,
    loadAverage: { before: loadBefore, after: loadavg() },
    rssSource: gnuTime ? '/usr/bin/time -v' : 'process.resourceUsage().maxRSS in the child',
    largeScan: a,
    scan1000: a1000,
    coldStart: b,
    locator: loc,
    live: c ?? null,
  };
  writeFileSync(join(OUT, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
  console.log(`\nwritten ${relative(ROOT, join(OUT, 'results.json'))}`);
}

await main();
