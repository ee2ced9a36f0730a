/** Defaults and checks for CollectOptions, apart from the collector so the CLI can show them. */
import { InputError } from '../errors.ts';
import type { CollectOptions } from './types.ts';
import { unauditedRegion } from './partitions.ts';

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
    const unaudited = unauditedRegion(r);
    if (unaudited !== undefined) throw new InputError(`--region: ${unaudited}`);
    if (!REGION.test(r)) throw new InputError(`--region: "${r}" is not an AWS region name`);
  }
  if (options.regions !== undefined && options.regions.length === 0) throw new InputError('--region: no region given');
  positiveInteger('--concurrency', options.concurrency);
  positiveInteger('max attempts', options.maxAttempts);
  positiveInteger('burst', options.burst);
  if (options.requestsPerSecond !== undefined && !(options.requestsPerSecond > 0)) throw new InputError('requests per second must be positive');
  if (options.requestTimeoutMs !== undefined && !(options.requestTimeoutMs > 0)) throw new InputError('the request timeout must be positive');
}

/** What to give instead of an empty value, per live flag that names one thing. */
const NAMED: Readonly<Record<string, string>> = {
  '--profile': 'name a profile of the AWS config files, or leave --profile out to use the default credential chain',
  '--role-arn': 'give the ARN of the role to assume, or leave --role-arn out',
  '--external-id': 'give the external id the roles require, or leave --external-id out',
  '--role-name': 'give the name of the role to assume in each audited account',
};

/**
 * The error for a live flag given an empty value (`--profile "$UNSET"`). Passed on, the SDK would
 * read it as "none given" and work with whatever the default credential chain holds, and no role:
 * refused, as the config file refuses `profile: ""`.
 */
export function emptyValue(flag: string): InputError {
  return new InputError(`${flag}: the value is empty; ${NAMED[flag] ?? `give a value, or leave ${flag} out`}`);
}

function positiveInteger(name: string, v: number | undefined): void {
  if (v !== undefined && (!Number.isInteger(v) || v < 1)) throw new InputError(`${name}: expected a positive whole number, got ${v}`);
}
