/** The configuration file's shape, as schemas/config.schema.json validates it. */
import type { FailOn } from '../cli/exit.ts';
import type { SuppressionEntry } from '../engine/suppress.ts';

export type { SuppressionEntry };

/** `.trailgate.yml`: every key mirrors a scan flag, plus parameters, suppressions and a baseline. */
export interface TrailgateConfig {
  version?: 1;
  snapshots?: string[];
  rules?: string[];
  builtinRules?: boolean;
  only?: string[];
  skip?: string[];
  compliance?: string;
  formats?: string[];
  failOn?: FailOn;
  verbose?: boolean;
  quiet?: boolean;
  color?: boolean;
  regions?: string[];
  profile?: string;
  roleArn?: string;
  accounts?: string[];
  roleName?: string;
  externalId?: string;
  organization?: boolean;
  concurrency?: number;
  saveSnapshot?: string;
  baseline?: string;
  parameters?: Record<string, Record<string, unknown>>;
  suppressions?: SuppressionEntry[];
}

/** A loaded config file: its values (paths already resolved) and how to point into it. */
export interface LoadedConfig {
  /** The file as shown in messages (relative to the working directory). */
  file: string;
  config: TrailgateConfig;
  /** Line and column of the value at a JSON pointer. */
  locate(pointer: string): { line: number; column: number };
}
