/**
 * Live collection of a simulated organization: 100 accounts x 17 regions on the fake AWS
 * endpoint (in a child process), 20-50 ms per call, CloudTrail limited to 10 requests per
 * second per account and region. The figure is the wall time over the lower bound the rate
 * limit sets: the busiest account-region's CloudTrail calls / 10 per second, everything else in
 * parallel. Run standalone: `node --import tsx bench/live.ts [--accounts 100] [--concurrency N]`.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { availableParallelism, loadavg } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { THROTTLING_CODES } from '../src/collect/classify.ts';
import { collect } from '../src/collect/index.ts';
import { DEFAULTS } from '../src/collect/options.ts';
import type { CallSummary } from '../test/fake-aws/child.ts';
import { fakeAwsEnv } from '../test/fake-aws/env.ts';
import { DEFAULT_REGIONS, keyArn, principalFor, type FakeKey, type FakeScenario, type FakeTrail } from '../test/fake-aws/scenario.ts';
import type { FakeOptions } from '../test/fake-aws/server.ts';

/** The figures `npm run bench` reports. */
export interface LiveBenchResult {
  wallSeconds: number;
  lowerBoundSeconds: number;
  ratio: number;
  /** Inventory errors whose code is a throttling code (must be 0: throttling never becomes a result). */
  throttlingErrors: number;
  /** Throttling answers the fake gave (retried by the SDK); 0 when the client-side limit holds. */
  throttledResponses: number;
  errors: number;
  accounts: number;
  regions: number;
  calls: number;
  busiest: { key: string; calls: number };
  concurrency: number;
  /** CPU the collecting process used: on a small machine the SDK's per-call cost, not the rate limit, sets the pace. */
  clientCpuSeconds: number;
  /** CPU the fake endpoint used while answering (its own process, on the same machine). */
  fakeCpuSeconds: number;
  /**
   * The CPU floor: the CPU both processes needed over the cores there are. No schedule, however
   * parallel, finishes in less wall time on this machine; compare it with the lower bound.
   */
  cpuFloorSeconds: number;
  /** The 1-minute load average before and after, to read the figure against. */
  loadAverage: [number, number];
}

/** Options of the benchmark. */
export interface LiveBenchOptions {
  accounts?: number;
  concurrency?: number;
  latencyMs?: [number, number];
}

const ROLE = 'TrailgateAudit';
const RATE = 10;

function id(i: number): string {
  return String(100000000000 + i);
}

/**
 * Every account: the organization trail (management account, bucket and key in the log archive
 * account), its own multi-region trail and one to four regional trails in us-east-1 (AWS allows
 * five trails per region), all delivering to its own bucket with its own key; a data-events
 * trail in eu-west-1 for every fourth.
 */
export function organizationScenario(accounts: number): FakeScenario {
  const mgmt = id(0);
  const archive = id(1);
  const regions = DEFAULT_REGIONS.map((name) => ({ name, status: 'ENABLED_BY_DEFAULT' as const }));
  const scenario: FakeScenario = { organization: { id: 'o-bench00001', managementAccountId: mgmt }, principals: [principalFor(mgmt)], accounts: [], trails: [], buckets: [], keys: [] };
  const orgKey: FakeKey = { id: '00000000-0000-4000-8000-000000000001', account: archive, region: 'us-east-1', rotation: true, usableBy: [] };
  scenario.keys.push(orgKey);
  scenario.buckets.push({ name: 'org-archive-trail', account: archive, region: 'us-east-1', publicAccessBlock: { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true }, policy: '{"Version":"2012-10-17","Statement":[]}', ownership: 'BucketOwnerEnforced', versioning: { Status: 'Enabled' } });
  scenario.trails.push({ account: mgmt, name: 'org-trail', homeRegion: 'us-east-1', multiRegion: true, organization: true, bucket: 'org-archive-trail', kmsKeyId: keyArn(orgKey) });
  for (let i = 0; i < accounts; i++) {
    const a = id(i);
    scenario.accounts.push({ id: a, regions, roles: [{ name: ROLE, trustedAccounts: [mgmt] }] });
    const key: FakeKey = { id: `00000000-0000-4000-8000-${String(i + 2).padStart(12, '0')}`, account: a, region: 'us-east-1', aliases: [`alias/trail-${a}`], rotation: i % 3 !== 0 };
    scenario.keys.push(key);
    const bucket = `trail-logs-${a}`;
    scenario.buckets.push({ name: bucket, account: a, region: 'us-east-1', policy: '{"Version":"2012-10-17","Statement":[]}', versioning: { Status: 'Enabled' } });
    const own: FakeTrail[] = [{ account: a, name: 'account-trail', homeRegion: 'us-east-1', multiRegion: true, bucket, kmsKeyId: `alias/trail-${a}` }];
    for (let t = 0; t < 1 + (i % 4); t++) own.push({ account: a, name: `regional-${t}`, homeRegion: 'us-east-1', bucket, insightSelectors: t === 0 ? [{ InsightType: 'ApiCallRateInsight' }] : undefined });
    if (i % 4 === 0) {
      scenario.buckets.push({ name: `data-events-${a}`, account: a, region: 'eu-west-1' });
      own.push({ account: a, name: 'data-events', homeRegion: 'eu-west-1', bucket: `data-events-${a}`, eventSelectors: [{ ReadWriteType: 'All', IncludeManagementEvents: false, DataResources: [{ Type: 'AWS::S3::Object', Values: ['arn:aws:s3'] }] }] });
    }
    scenario.trails.push(...own);
  }
  return scenario;
}

function startChild(scenario: FakeScenario, options: FakeOptions): Promise<{ child: ChildProcess; url: string }> {
  // tsx by its resolved location, so the child starts whatever the working directory.
  const execArgv = ['--import', import.meta.resolve('tsx')];
  const child = fork(fileURLToPath(new URL('../test/fake-aws/child.ts', import.meta.url)), [], { execArgv, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('message', (m) => resolve({ child, url: (m as { url: string }).url }));
    child.send({ start: { scenario, options } });
  });
}

function ask(child: ChildProcess): Promise<CallSummary> {
  return new Promise((resolve) => {
    child.once('message', (m) => resolve((m as { summary: CallSummary }).summary));
    child.send('summary');
  });
}

/** Runs the benchmark and returns its figures. */
export async function benchLive(options: LiveBenchOptions = {}): Promise<LiveBenchResult> {
  const accounts = options.accounts ?? 100;
  const concurrency = options.concurrency ?? DEFAULTS.concurrency;
  const scenario = organizationScenario(accounts);
  const { child, url } = await startChild(scenario, { latencyMs: options.latencyMs ?? [20, 50], rate: { perSecond: RATE, burst: RATE, services: ['cloudtrail'] } });
  const restore = fakeAwsEnv(url, principalFor(id(0)));
  const loadBefore = loadavg()[0];
  const fakeBefore = (await ask(child)).cpuSeconds;
  try {
    const cpu = process.cpuUsage();
    const started = performance.now();
    const inventory = await collect({ organization: true, roleName: ROLE, concurrency });
    const wallSeconds = (performance.now() - started) / 1000;
    const used = process.cpuUsage(cpu);
    const summary = await ask(child);
    let busiest = { key: '', calls: 0 };
    for (const [key, calls] of Object.entries(summary.perKey)) if (key.endsWith('|cloudtrail') && calls > busiest.calls) busiest = { key, calls };
    const lowerBoundSeconds = busiest.calls / RATE;
    const errors = inventory.errors ?? [];
    return {
      wallSeconds: round(wallSeconds),
      lowerBoundSeconds: round(lowerBoundSeconds),
      ratio: round(wallSeconds / lowerBoundSeconds),
      throttlingErrors: errors.filter((e) => THROTTLING_CODES.has(e.code)).length,
      throttledResponses: summary.throttled,
      errors: errors.length,
      accounts: inventory.accounts.length,
      regions: new Set(inventory.accounts.flatMap((a) => a.regions)).size,
      calls: summary.calls,
      busiest,
      concurrency,
      clientCpuSeconds: round((used.user + used.system) / 1e6),
      fakeCpuSeconds: round(summary.cpuSeconds - fakeBefore),
      cpuFloorSeconds: round(((used.user + used.system) / 1e6 + summary.cpuSeconds - fakeBefore) / availableParallelism()),
      loadAverage: [round(loadBefore), round(loadavg()[0])],
    };
  } finally {
    restore();
    child.send('stop');
  }
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}

export default benchLive;

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const arg = (name: string): number | undefined => {
    const i = process.argv.indexOf(name);
    return i > 0 ? Number(process.argv[i + 1]) : undefined;
  };
  const result = await benchLive({ accounts: arg('--accounts'), concurrency: arg('--concurrency') });
  console.log(JSON.stringify(result, null, 2));
}
