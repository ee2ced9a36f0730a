/**
 * Reading a baseline: an earlier run's JSON report (src/report/json.ts). Only its violations
 * and errors matter, identified by rule id, subject and status; messages are ignored, so
 * rewording a rule never turns old findings into new ones. A malformed file is an InputError at
 * its line. Every report trailgate has written gives each result a status, so a record with
 * none, or one no report uses, is refused rather than guessed at: read as `fail` it could hide
 * a violation nobody accepted.
 */
import { resolve } from 'node:path';
import { Ajv } from 'ajv';
import { asPartOf, fileProblem, InputError, PathArgumentError } from '../errors.ts';
import { baselineKey } from '../engine/suppress.ts';
import type { Scope } from '../engine/result.ts';
import { parseJsonFast } from '../input/document.ts';
import { locateJsonPointer } from '../input/json-pointer.ts';
import { pickError } from '../input/schema-errors.ts';
import { decodeUtf8 } from '../input/utf8.ts';
import { readInputFile } from '../input/read-input.ts';

/** The part of the JSON report a baseline needs. */
const BASELINE_SCHEMA = {
  type: 'object',
  required: ['results'],
  properties: {
    // Older reports and hand-written ones may leave `tool` out; one that names another tool is not ours.
    tool: { type: 'object', properties: { name: { const: 'trailgate' } } },
    results: {
      type: 'array',
      items: {
        type: 'object',
        required: ['ruleId', 'status', 'accountId'],
        properties: {
          ruleId: { type: 'string', minLength: 1 },
          status: { enum: ['pass', 'fail', 'error', 'skipped'] },
          scope: { enum: ['trail', 'region', 'account'] },
          accountId: { type: 'string' },
          region: { type: 'string' },
          resource: { type: 'string' },
        },
      },
    },
  },
} as const;

let validator: ReturnType<Ajv['compile']> | undefined;

interface BaselineRecord {
  ruleId: string;
  status: 'pass' | 'fail' | 'error' | 'skipped';
  scope?: Scope;
  accountId: string;
  region?: string;
  resource?: string;
}

/** The identities (see `baselineKey`, status included) of the violations and errors in a JSON report's text. */
export function parseBaseline(text: string, file: string): Set<string> {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.trim() === '') throw new InputError('the baseline is empty; expected a JSON report written by trailgate scan --format json=FILE', { file, line: 1, column: 1 });
  let value: unknown;
  try {
    value = parseJsonFast(text, file);
  } catch (e) {
    throw asPartOf(e, 'baseline');
  }
  validator ??= new Ajv({ strict: false, allErrors: false }).compile(BASELINE_SCHEMA);
  if (!validator(value)) {
    const { pointer, message } = pickError(validator.errors ?? []);
    // One pass that follows the pointer, not a YAML parse of the whole report (minutes and gigabytes on a large one).
    const pos = locateJsonPointer(text, pointer);
    throw new InputError(`invalid baseline (expected a trailgate JSON report): ${message}`, { file, ...pos, pointer });
  }
  const keys = new Set<string>();
  for (const r of (value as { results: BaselineRecord[] }).results) {
    // A suppressed finding was skipped in that run; it is the suppression's to hide, not the baseline's.
    if (r.status !== 'fail' && r.status !== 'error') continue;
    const kind: Scope = r.scope ?? (r.resource !== undefined ? 'trail' : r.region !== undefined ? 'region' : 'account');
    keys.add(baselineKey(r.ruleId, { kind, accountId: r.accountId, region: r.region, arn: r.resource }, r.status));
  }
  return keys;
}

/** Reads and parses a baseline file; `file` is resolved from `cwd` and shown as given. */
export function loadBaseline(cwd: string, file: string): Set<string> {
  let bytes: Buffer;
  try {
    bytes = readInputFile(resolve(cwd, file), file);
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new PathArgumentError(`cannot read the baseline: ${fileProblem(e, 'a JSON report')}`, file, '--baseline');
  }
  return parseBaseline(decodeUtf8(bytes, file), file);
}
