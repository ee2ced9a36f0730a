/**
 * The fake endpoint in a child process, for the benchmark: its CPU then does not compete with
 * the collector's. Protocol over IPC: {start: {scenario, options}} -> {url}; 'summary' -> the
 * call counts per account, region and service, and the CPU used; 'stop' -> exits.
 */
import type { FakeScenario } from './scenario.ts';
import { startFakeAws, type FakeAws, type FakeOptions } from './server.ts';

/** What the parent learns about the calls the fake received. */
export interface CallSummary {
  calls: number;
  /** Calls per `account|region|service`. */
  perKey: Record<string, number>;
  /** Responses that were throttling answers. */
  throttled: number;
  /** Calls per status code. */
  statuses: Record<string, number>;
  /** CPU seconds (user + system) the fake's process has used so far. */
  cpuSeconds: number;
}

let fake: FakeAws | undefined;

function summary(f: FakeAws): CallSummary {
  const perKey: Record<string, number> = {};
  const statuses: Record<string, number> = {};
  let throttled = 0;
  for (const c of f.calls) {
    const k = `${c.account}|${c.region}|${c.service}`;
    perKey[k] = (perKey[k] ?? 0) + 1;
    statuses[c.status] = (statuses[c.status] ?? 0) + 1;
    if (c.code && /Throttl|SlowDown|TooManyRequests|RequestLimitExceeded/.test(c.code)) throttled++;
  }
  const cpu = process.cpuUsage();
  return { calls: f.calls.length, perKey, throttled, statuses, cpuSeconds: (cpu.user + cpu.system) / 1e6 };
}

process.on('message', (msg: unknown) => {
  void (async () => {
    if (msg && typeof msg === 'object' && 'start' in msg) {
      const { scenario, options } = (msg as { start: { scenario: FakeScenario; options: FakeOptions } }).start;
      fake = await startFakeAws(scenario, options);
      process.send?.({ url: fake.url });
    } else if (msg === 'summary' && fake) {
      process.send?.({ summary: summary(fake) });
    } else if (msg === 'stop') {
      await fake?.stop();
      process.disconnect?.();
      process.exit(0);
    }
  })();
});
process.on('disconnect', () => process.exit(0));
