/** Runs `collect` against a fresh fake AWS endpoint, with the environment pointed at it and restored after. */
import { collect, type CollectOptions } from '../../src/collect/index.ts';
import type { Inventory } from '../../src/inventory/types.ts';
import { fakeAwsEnv } from '../fake-aws/env.ts';
import { principalFor, type FakePrincipal, type FakeScenario } from '../fake-aws/scenario.ts';
import { startFakeAws, type FakeAws, type FakeOptions } from '../fake-aws/server.ts';
import { MGMT } from './world.ts';

export const FIXED_NOW = new Date('2026-11-21T02:00:00Z');

/** What one collection against the fake produced. */
export interface Run {
  inventory: Inventory;
  fake: FakeAws;
  progress: string[];
}

/** Options of `runCollect`. */
export interface RunOptions {
  fake?: FakeOptions;
  principal?: FakePrincipal | null;
  env?: Record<string, string>;
  /** Runs before collect with the fake started (to inject faults that need its URL, say). */
  before?: (fake: FakeAws) => void;
}

/** Collects `scenario` with `options` (fast retries and a fixed clock unless given). */
export async function runCollect(scenario: FakeScenario, options: CollectOptions = {}, run: RunOptions = {}): Promise<Run> {
  const fake = await startFakeAws(scenario, run.fake ?? {});
  const principal = run.principal === null ? undefined : (run.principal ?? principalFor(MGMT));
  const restore = fakeAwsEnv(fake.url, principal, run.env ?? {});
  const progress: string[] = [];
  try {
    run.before?.(fake);
    const inventory = await collect({ now: () => FIXED_NOW, maxAttempts: 3, requestTimeoutMs: 5_000, ...options }, (l) => progress.push(l));
    return { inventory, fake, progress };
  } finally {
    restore();
    await fake.stop();
  }
}

/** Runs `fn` with the environment pointed at a started fake; restores and stops after. */
export async function withFake<T>(scenario: FakeScenario, fn: (fake: FakeAws) => Promise<T>, fakeOptions: FakeOptions = {}, principal: FakePrincipal | null = principalFor(MGMT)): Promise<T> {
  const fake = await startFakeAws(scenario, fakeOptions);
  const restore = fakeAwsEnv(fake.url, principal ?? undefined);
  try {
    return await fn(fake);
  } finally {
    restore();
    await fake.stop();
  }
}
