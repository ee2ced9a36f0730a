/**
 * Validators compiled ahead of time. Running from source this module is empty and everything is
 * compiled with Ajv at run time; the published bundle (scripts/build.ts) replaces it with Ajv's
 * standalone code for the inventory and rule schemas and every built-in rule's checks, plus the
 * built-in rule files already parsed, so a scan starts without compiling anything.
 */
import type { ValidateFunction } from 'ajv';

export interface Precompiled {
  inventory?: ValidateFunction;
  rule?: ValidateFunction;
  /** Check validators by the JSON text of their schema (parameters substituted). */
  checks: Record<string, ValidateFunction>;
  /** Built-in rule files by file name, parsed. */
  builtinRules?: Record<string, unknown>;
}

export const PRECOMPILED: Precompiled = { checks: {} };
