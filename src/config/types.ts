/** The configuration file's shape, as schemas/config.schema.json validates it. */
import type { FailOn } from '../cli/exit.ts';
import type { CollectOptions } from '../collect/types.ts';
import type { SuppressionEntry } from '../engine/suppress.ts';

export type { SuppressionEntry };

/** The live options the config file shares with the collector, with the collector's meanings. */
type LiveKeys = Pick<CollectOptions, 'regions' | 'profile' | 'roleArn' | 'accounts' | 'roleName' | 'externalId' | 'organization' | 'concurrency'>;

/** `.trailgate.yml`: every key mirrors a scan flag, plus parameters, suppressions and a baseline. */
export interface TrailgateConfig extends LiveKeys {
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
  /** The values as the file writes them, paths relative to its own folder (for advice on what to write there). */
  written?: TrailgateConfig;
  /** Line and column of the value at a JSON pointer (with `key`, of the key that holds it). */
  locate(pointer: string, key?: boolean): { line: number; column: number };
}
