/** The options of live collection, as the CLI and the config file give them. */
export interface CollectOptions {
  /** Regions to collect; default every region enabled for each account. */
  regions?: string[];
  /** AWS shared-config profile for the starting credentials. */
  profile?: string;
  /** Assume this role first, with the starting credentials. */
  roleArn?: string;
  /** Accounts to audit, each through `arn:<partition>:iam::<id>:role/<roleName>`. */
  accounts?: string[];
  /** The role to assume in each audited account (with `accounts` or `organization`). */
  roleName?: string;
  /** The external id the audited accounts' roles require. */
  externalId?: string;
  /** Audit every active account of the caller's AWS Organization. */
  organization?: boolean;
  /** How many accounts are collected at the same time (default 32). */
  concurrency?: number;
  /** Client-side CloudTrail requests per second per account and region (default 9, below AWS's 10). */
  requestsPerSecond?: number;
  /** Requests that may start at once per account, region and service (default 4). */
  burst?: number;
  /** Attempts per request, including the first, with the SDK's adaptive retries (default 8). */
  maxAttempts?: number;
  /** Milliseconds a request may take before it counts as a timeout (default 30 s). */
  requestTimeoutMs?: number;
  /** The clock for `collectedAt` (tests fix it). */
  now?: () => Date;
}

/** A line of progress for stderr; lines that start with "warning: " are notes a user should see even when progress is summarised. */
export type Progress = (line: string) => void;
