/** Defaults and checks for CollectOptions, apart from the collector so the CLI can show them. */
import { InputError } from '../errors.ts';
import type { CollectOptions } from './types.ts';

/** The defaults a live collection uses when an option is not given. */
export const DEFAULTS = Object.freeze({
  concurrency: 32,
  requestsPerSecond: 9,
  burst: 4,
  maxAttempts: 8,
  requestTimeoutMs: 30_000,
});

const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;

/** Throws an InputError for an option value that cannot work. */
export function checkOptions(options: CollectOptions): void {
  for (const r of options.regions ?? []) {
    if (!REGION.test(r)) throw new InputError(`--region: "${r}" is not an AWS region name`);
  }
  if (options.regions !== undefined && options.regions.length === 0) throw new InputError('--region: no region given');
  positiveInteger('--concurrency', options.concurrency);
  positiveInteger('max attempts', options.maxAttempts);
  positiveInteger('burst', options.burst);
  if (options.requestsPerSecond !== undefined && !(options.requestsPerSecond > 0)) throw new InputError('requests per second must be positive');
  if (options.requestTimeoutMs !== undefined && !(options.requestTimeoutMs > 0)) throw new InputError('the request timeout must be positive');
}

function positiveInteger(name: string, v: number | undefined): void {
  if (v !== undefined && (!Number.isInteger(v) || v < 1)) throw new InputError(`${name}: expected a positive whole number, got ${v}`);
}
