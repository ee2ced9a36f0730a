/**
 * Compiling a rule's `path: schema` conjuncts once, and evaluating them on a subject with
 * three-valued logic: a conjunct whose data could not be read is unknown, not false.
 */
import { Ajv, type ValidateFunction } from 'ajv';
import safeRegex from 'safe-regex2';
import type { FailedRead } from '../engine/result.ts';
import { BUCKET_OPERATIONS, KEY_OPERATIONS } from '../engine/reads.ts';
import { PRECOMPILED } from './precompiled.ts';
import type { CheckSpec } from './types.ts';

/** Three-valued truth: true, false, or unknown because a read failed. */
export type Tri = true | false | 'unknown';

export interface Conjunct {
  /** As written, without the trailing `?`. */
  display: string;
  path: string[];
  optional: boolean;
  /** The read this path depends on (`Trail`, `Status`, `Bucket.Policy`, ...). */
  read: string;
  validate: ValidateFunction;
  schema: unknown;
}

export interface CompiledCheck {
  conjuncts: Conjunct[];
}

export interface CheckOutcome {
  value: Tri;
  /** The first conjunct that is false, and why. */
  reason?: string;
  /** For unknown: the read that is missing. */
  failedRead?: FailedRead;
}

/** Something a check can read: a subject with paths and a read-state oracle. */
export interface Checkable {
  read(name: string): { ok: true } | { ok: false; failed: FailedRead };
}

/** The read each derived fact depends on. */
export const FACT_READS: Record<string, string> = {
  owned: 'Trail',
  ownerAccountId: 'Trail',
  isOrganizationTrail: 'Trail',
  multiRegion: 'Trail',
  coversGlobalRegion: 'Trail',
  kmsEncrypted: 'Trail',
  recordsAllManagementEvents: 'EventSelectors',
  eventSelectorCount: 'EventSelectors',
  dataResourceCount: 'EventSelectors',
  advancedSelectorCount: 'EventSelectors',
  advancedValueCount: 'EventSelectors',
  recordsS3WriteDataEvents: 'EventSelectors',
  recordsS3ReadDataEvents: 'EventSelectors',
  cloudWatchLogsDeliveryAgeHours: 'Status.collectedAt',
  keyCustomerManaged: 'Key.KeyMetadata',
  keySymmetric: 'Key.KeyMetadata',
  hasInsightSelectors: 'Trail.HasInsightSelectors',
};

/** Top-level subject fields that need no read beyond the trail itself. */
const PLAIN_FIELDS = new Set(['accountId', 'region', 'partition', 'organizationId', 'collectedAt']);

/** The read a path depends on, or an explanation of why the path is not valid. */
export function readForPath(path: string[]): { read: string } | { problem: string } {
  const [root, field] = path;
  switch (root) {
    case 'Trail':
      return { read: 'Trail' };
    case 'Status':
      return { read: 'Status' };
    case 'EventSelectors':
    case 'AdvancedEventSelectors':
      return { read: 'EventSelectors' };
    case 'InsightSelectors':
      return { read: 'InsightSelectors' };
    case 'Bucket':
      return { read: field !== undefined && field in BUCKET_OPERATIONS ? `Bucket.${field}` : 'Bucket' };
    case 'Key':
      return { read: field !== undefined && field in KEY_OPERATIONS ? `Key.${field}` : 'Key' };
    case 'facts':
      if (field === undefined || !(field in FACT_READS)) {
        return { problem: `unknown fact "${field ?? ''}"; known facts: ${Object.keys(FACT_READS).join(', ')}` };
      }
      return { read: FACT_READS[field] };
    default:
      if (PLAIN_FIELDS.has(root) && path.length === 1) return { read: 'Trail' };
      return {
        problem: `unknown path "${path.join('.')}"; a path starts with Trail, Status, EventSelectors, AdvancedEventSelectors, InsightSelectors, Bucket, Key, facts, accountId or region`,
      };
  }
}

/** Replaces every `{ $param: NAME }` with the parameter's value. Throws on an unknown name. */
export function substituteParams(value: unknown, params: Record<string, unknown>): unknown {
  if (Array.isArray(value)) return value.map((v) => substituteParams(v, params));
  if (value !== null && typeof value === 'object') {
    const obj = value as Record<string, unknown>;
    if (Object.keys(obj).length === 1 && typeof obj.$param === 'string') {
      if (!(obj.$param in params)) throw new Error(`unknown parameter "${obj.$param}"`);
      return params[obj.$param];
    }
    return Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, substituteParams(v, params)]));
  }
  return value;
}

/** One Ajv for every rule's schemas: unknown keywords are errors (a misspelt `cosnt` must not silently pass), but `{maximum: 5}` needs no `type`. */
export const CHECK_AJV_OPTIONS = {
  strictSchema: true,
  strictNumbers: true,
  strictTypes: false,
  strictTuples: false,
  strictRequired: false,
  allErrors: false,
  allowUnionTypes: true,
} as const;

/** A lazily created Ajv for check schemas: a bundled scan whose checks are all precompiled never builds one. */
export function createCheckAjv(): () => Ajv {
  let ajv: Ajv | undefined;
  return () => (ajv ??= new Ajv({ ...CHECK_AJV_OPTIONS, code: { regExp: guardedRegExp } }));
}

/**
 * The RegExp behind a rule's `pattern`, refused unless it provably cannot backtrack
 * exponentially. The values it meets are untrusted (anyone who may name a trail chooses one),
 * and a pattern such as `^(a+)+$` on a crafted name would hang the gate until CI gives up. The
 * test is safe-regex2's: no repeated group that itself repeats, at most 25 repetitions, and
 * syntax it can read. It errs towards refusing, with a message that says how to rewrite.
 */
export function guardedRegExp(pattern: string, flags: string): RegExp {
  const re = new RegExp(pattern, flags);
  if (!safeRegex(pattern)) {
    throw new Error(
      `pattern ${JSON.stringify(pattern)} is refused: a crafted value could make it run for hours. Patterns may not repeat a group that itself repeats (like (a+)+ or ([a-z]+\\.)+), hold more than 25 repetitions, or use lookbehind; rewrite it, for example with a character class ([a-z.]+)`,
    );
  }
  return re;
}
guardedRegExp.code = 'new RegExp';

/**
 * Compiles a check. Throws an Error whose message says what is wrong with which path; the
 * rule loader adds the file position.
 */
export function compileCheck(spec: CheckSpec, ajv: () => Ajv, onPathError: (path: string, message: string) => never): CompiledCheck {
  const conjuncts: Conjunct[] = [];
  for (const [written, schema] of Object.entries(spec)) {
    const optional = written.endsWith('?');
    const display = optional ? written.slice(0, -1) : written;
    const path = display.split('.');
    const r = readForPath(path);
    if ('problem' in r) onPathError(written, r.problem);
    let validate: ValidateFunction;
    try {
      validate = PRECOMPILED.checks[JSON.stringify(schema)] ?? ajv().compile(schema as object);
    } catch (e) {
      const message = (e as Error).message;
      // Ajv's wording ("ignored") reads as if the rule ran anyway; it did not, so say what to use.
      const format = /^unknown format "([^"]*)"/.exec(message);
      if (format) onPathError(written, `invalid JSON Schema: "format": "${format[1]}" is not supported in checks; match the text with "pattern" instead`);
      onPathError(written, `invalid JSON Schema: ${message}`);
    }
    conjuncts.push({ display, path, optional, read: (r as { read: string }).read, validate, schema });
  }
  return { conjuncts };
}

/** The value at a dotted path, or undefined. */
export function valueAt(subject: unknown, path: readonly string[]): unknown {
  let v: unknown = subject;
  for (const seg of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[seg];
  }
  return v;
}

/** The outcome of every check that holds: shared, as most checks of a large run hold. */
const HOLDS: CheckOutcome = Object.freeze({ value: true });

/**
 * Evaluates a check with Kleene AND: false as soon as a readable conjunct is false,
 * unknown when no conjunct is false but one could not be read, true otherwise.
 */
export function evalCheck(check: CompiledCheck, subject: Checkable): CheckOutcome {
  let unknown: FailedRead | undefined;
  for (const c of check.conjuncts) {
    // The trail itself is always there; every other read is asked for.
    if (c.read !== 'Trail') {
      const state = subject.read(c.read);
      if (!state.ok) {
        unknown ??= state.failed;
        continue;
      }
    }
    const value = valueAt(subject, c.path);
    if (value === undefined) {
      if (c.optional) continue;
      return { value: false, reason: `${c.display} is absent` };
    }
    if (!c.validate(value)) return { value: false, reason: explain(c, value) };
  }
  return unknown ? { value: 'unknown', failedRead: unknown } : HOLDS;
}

function explain(c: Conjunct, value: unknown): string {
  const e = c.validate.errors?.[0];
  const shown = show(value);
  if (!e) return `${c.display} is ${shown}`;
  const p = e.params as Record<string, unknown>;
  const where = e.instancePath ? `${c.display}${e.instancePath.replace(/\//g, '.')}` : c.display;
  switch (e.keyword) {
    case 'const':
      return `${c.display} is ${shown}; expected ${JSON.stringify(p.allowedValue)}`;
    case 'enum':
      return `${c.display} is ${shown}; expected one of ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    case 'maximum':
    case 'minimum':
    case 'exclusiveMaximum':
    case 'exclusiveMinimum':
      return `${where} is ${shown}; must be ${String(p.comparison)} ${String(p.limit)}`;
    default:
      return `${where} ${e.message ?? `fails ${e.keyword}`} (found ${shown})`;
  }
}

/** A short rendering of a value for messages. */
export function show(value: unknown): string {
  const s = JSON.stringify(value) ?? String(value);
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}
