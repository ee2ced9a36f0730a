/** Turns Ajv's validation errors into one readable sentence with the JSON pointer it is about. */
import type { ErrorObject } from 'ajv';
import { patternWords } from './pattern-words.ts';
import { clipAt } from '../errors.ts';

/** The most useful error of an Ajv run and its pointer: the deepest one, as the user's mistake is usually there. */
export function pickError(errors: readonly ErrorObject[]): { pointer: string; message: string; atKey: boolean } {
  // Errors from inside oneOf/anyOf branches are noisy; prefer the deepest concrete one.
  const concrete = errors.filter((e) => !['oneOf', 'anyOf', 'if'].includes(e.keyword));
  const pool = concrete.length > 0 ? concrete : errors;
  let best = pool[0];
  for (const e of pool) if (depth(e.instancePath) > depth(best.instancePath)) best = e;
  let message = describe(best);
  if (best.keyword === 'required') {
    // A misspelt key (`raeds`) is both unknown and leaves the real one missing: point at what was written.
    const unknown = pool.find((e) => e.keyword === 'additionalProperties' && e.instancePath === best.instancePath);
    if (unknown) {
      message = `${describe(unknown)}; the required key "${String(best.params.missingProperty)}" is missing`;
      best = unknown;
    }
  }
  let pointer = best.instancePath;
  // A key that breaks `propertyNames` (a check path with a space in it) is named, and shown where it is written.
  const badKey = best.keyword === 'additionalProperties' ? best.params.additionalProperty : best.propertyName;
  if (badKey !== undefined && best.keyword !== 'additionalProperties' && best.keyword !== 'propertyNames') message = `the key "${String(badKey)}" ${message}`;
  if (badKey !== undefined) pointer += `/${String(badKey).replace(/~/g, '~0').replace(/\//g, '~1')}`;
  // An unknown key is best shown where the key is written, not where its value starts.
  return { pointer, message, atKey: badKey !== undefined };
}

/** A key as a message quotes it: a crafted 50 MB key is named by its start, not echoed whole. */
function clipped(key: string): string {
  return key.length > 80 ? `${clipAt(key, 77)}...` : key;
}

function depth(p: string): number {
  return p === '' ? 0 : p.split('/').length;
}

function describe(e: ErrorObject): string {
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'additionalProperties':
      return `unknown key "${clipped(String(p.additionalProperty))}"`;
    case 'required':
      return `missing required key "${String(p.missingProperty)}"`;
    case 'enum':
      return `must be one of ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    case 'const':
      return `must be ${JSON.stringify(p.allowedValue)}`;
    case 'type':
      // Several allowed types: "string, object or null", not ajv's "string,object,null".
      return `must be of type ${Array.isArray(p.type) ? `${p.type.slice(0, -1).join(', ')} or ${p.type[p.type.length - 1]}` : String(p.type)}`;
    case 'pattern':
      return patternWords(String(p.pattern));
    case 'propertyNames':
      return `has an invalid key "${String(p.propertyName)}"`;
    default:
      return e.message ?? `fails ${e.keyword}`;
  }
}
