/**
 * Parsing one inventory's text: JSON fast or YAML with positions, its forms normalised, validated
 * against the published schema, a trail's copies folded; positions for reports found on first
 * use. Every problem is an InputError naming the file, the line and column, and the JSON pointer.
 */
import { Ajv, type ValidateFunction } from 'ajv';
import { PRECOMPILED } from '../rules/precompiled.ts';
import inventorySchema from '../../schemas/inventory.schema.json' with { type: 'json' };
import { gathered, InputError } from '../errors.ts';
import { escapePointerSegment, parseJsonFast, parseYaml } from '../input/document.ts';
import { documentOrder, pickErrors, PROBLEMS_SHOWN } from '../input/schema-errors.ts';
import { inlineRefs } from '../input/inline-refs.ts';
import { showValue } from '../input/show-value.ts';
import { jsonSourceMap } from './locate-json.ts';
import { dropUnsetTrailFields, normaliseBucketRegions, normaliseCollectedAt } from './normalise.ts';
import { checkPartitions } from './partition.ts';
import { unwrapCliAnswers, writtenPointer } from './cli-answers.ts';
import { caseSlips, type CaseSlip } from './case-slips.ts';
import { checkHomeRegions } from './home-regions.ts';
import { checkPolicySizes } from './policy-sizes.ts';
import { withHint } from './schema-hints.ts';
import { checkReadErrors } from './read-errors.ts';
import { foldTrailCopies } from './trail-copies.ts';
import type { Inventory, SourceMap } from './types.ts';
import { locateJsonPointer } from '../input/json-pointer.ts';

/** One parsed and validated file. */
export interface InventoryFile {
  file: string;
  inventory: Inventory;
  sourceMap: SourceMap;
  /**
   * Line and column of any value (with `key`, of the key naming it), for input errors found while
   * merging. Only until the source map is first used: a JSON file's text is let go then.
   */
  locateInput?: (pointer: string, key?: boolean) => { line: number; column: number };
}

let validator: ValidateFunction | undefined;
function validate(value: unknown): ValidateFunction {
  validator ??= PRECOMPILED.inventory ?? new Ajv({ strict: false, allErrors: false }).compile(inventorySchema);
  validator(value);
  return validator;
}

/**
 * The errors to explain. The fast validator stops at the first; validating again with every
 * error (only on this failure path) finds the others, so one edit fixes them all, and for a
 * misspelt key (`acounts:`) finds the unknown key beside "missing accounts", where the typo is.
 */
function explained(value: unknown, first: NonNullable<ValidateFunction['errors']>): NonNullable<ValidateFunction['errors']> {
  // Definitions inlined: through Ajv's calls of a definition the errors were copied once per account.
  const all = new Ajv({ strict: false, allErrors: true, verbose: true }).compile(inlineRefs(inventorySchema));
  all(value);
  return all.errors ?? first;
}

/** A case slip told with the field meant, and where that field goes when it does not go here either. */
function caseSlipMessage(s: CaseSlip, value: unknown, isJson: boolean): string {
  if (!s.refused) return `unknown key "${s.written}"; did you mean "${s.meant}"? Keys are case-sensitive: as written, the field would be read as not collected`;
  const meantAt = `${s.pointer.slice(0, s.pointer.lastIndexOf('/'))}/${escapePointerSegment(s.meant)}`;
  return `unknown key "${s.written}", which AWS writes "${s.meant}": ${withHint(value, meantAt, `the key "${s.meant}" is not allowed here`, isJson)}`;
}

/** Parses and validates one inventory's text. `file` is the name shown in messages. */
export function parseInventory(text: string, file: string): InventoryFile {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const trimmed = text.trimStart();
  if (trimmed === '') throw new InputError('the inventory is empty; expected a JSON or YAML document with version: 1 and accounts', { file, line: 1, column: 1 });
  let isJson = trimmed.startsWith('{') || trimmed.startsWith('[');
  let value: unknown;
  let locateYaml: ((p: string, key?: boolean) => { line: number; column: number }) | undefined;
  if (isJson) {
    try {
      value = parseJsonFast(text, file);
    } catch (e) {
      // A YAML document may start with a flow mapping too (`{version: 1, accounts: [...]}`): one
      // that is not JSON is read as YAML, unless its name says JSON. Failing both, the JSON problem is named.
      if (/\.json$/i.test(file)) throw e;
      let doc: ReturnType<typeof parseYaml>;
      try {
        doc = parseYaml(text, file);
      } catch {
        throw e;
      }
      isJson = false;
      value = doc.value;
      locateYaml = doc.locate;
    }
  } else {
    const doc = parseYaml(text, file);
    value = doc.value;
    locateYaml = doc.locate;
  }
  // The text is kept only until positions are known: on a large inventory it is the biggest thing in memory.
  let source: string | undefined = text;
  // A JSON file's positions come from a pass that follows only the pointer: parsing it again as
  // YAML for one position would build a node for every value, minutes and gigabytes on a large file.
  // Fields read from a pasted AWS CLI answer (cli-answers.ts): what lies below them is written one key deeper.
  let unwrapped: ReadonlyMap<string, string> = new Map();
  const locate = (pointer: string, key = false) => {
    const p = writtenPointer(unwrapped, pointer);
    return locateYaml ? locateYaml(p, key) : locateJsonPointer(source ?? '', p, key);
  };
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new InputError('an inventory is a mapping with version: 1 and accounts', { file, ...locate('') });
  }
  const version = (value as Record<string, unknown>).version;
  if (version !== 1) {
    const pos = locate(version === undefined ? '' : '/version');
    throw new InputError(
      version === undefined
        ? 'missing required key "version" (this trailgate reads version 1)'
        : typeof version === 'string' && Number(version) === 1
          ? // `version: "1"` or `version: !!str 1`: "version "1"; reads version 1" would hide the cause.
            `the inventory version is the text ${JSON.stringify(version)}, not the number 1; write version: 1, without quotes or a tag`
          : `unsupported inventory version ${typeof version !== 'number' ? showValue(version) : Number.isFinite(version) ? String(version) : '(a number too large to hold)'}; this trailgate reads version 1`,
      { file, ...pos, pointer: '/version' },
    );
  }
  const unset = dropUnsetTrailFields(value as Record<string, unknown>);
  unwrapped = unwrapCliAnswers(value as Record<string, unknown>);
  normaliseBucketRegions(value as Record<string, unknown>);
  checkPartitions(value as Record<string, unknown>, (pointer) => ({ file, ...locate(pointer), pointer }));
  const v = validate(value);
  if (v.errors) {
    const { problems, more } = pickErrors(explained(value, v.errors), PROBLEMS_SHOWN, documentOrder(value));
    throw gathered(
      problems.map((p) => new InputError(`invalid inventory: ${withHint(value, p.pointer, p.message, isJson)}`, { file, ...locate(p.pointer, p.atKey), pointer: writtenPointer(unwrapped, p.pointer) })),
      more,
    );
  }
  const { slips, more } = caseSlips(value, PROBLEMS_SHOWN);
  if (slips.length > 0) {
    throw gathered(
      slips.map(
        (s) =>
          new InputError(`invalid inventory: ${caseSlipMessage(s, value, isJson)}`, {
            file,
            ...locate(s.pointer, true),
            pointer: writtenPointer(unwrapped, s.pointer),
          }),
      ),
      more,
    );
  }
  checkHomeRegions(value as Inventory, (pointer) => ({ file, ...locate(pointer), pointer }));
  checkPolicySizes(value as Inventory, (pointer) => ({ file, ...locate(pointer), pointer }));
  normaliseCollectedAt(value as Inventory, (pointer) => ({ file, ...locate(pointer), pointer }));
  checkReadErrors((value as Inventory).errors, (pointer) => ({ file, ...locate(pointer), pointer }));
  foldTrailCopies(value as Inventory, (pointer) => ({ file, ...locate(pointer), pointer }), unset);
  // Positions are needed only by reports that show them, so they are computed on first use.
  let map: SourceMap | undefined;
  let withErrors = false;
  const sourceMap: SourceMap = {
    wantErrors() {
      withErrors = true;
    },
    locate(pointer) {
      if (map === undefined) {
        map = isJson ? jsonSourceMap(source ?? '', file, withErrors) : { locate: (p) => ({ file, ...locate(p) }) };
        if (isJson) source = undefined;
      }
      return map.locate(pointer);
    },
  };
  return { file, inventory: value as Inventory, sourceMap, locateInput: (p, key) => locate(p, key) };
}
