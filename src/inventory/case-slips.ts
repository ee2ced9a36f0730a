/**
 * Keys inside AWS shapes that differ from a field AWS writes only in case (`isLogging`,
 * `IsMultiregionTrail`). The schema lets unknown keys through there, since AWS adds fields, so
 * such a slip would leave the field "not collected" without a word, or worse: a `Status` whose
 * `IsLogging` is spelt `isLogging` reads as a trail that is not logging. AWS never has two fields
 * that differ only in case, so the key is refused with the name it stands for.
 */
import inventorySchema from '../../schemas/inventory.schema.json' with { type: 'json' };
import { escapePointerSegment } from '../input/document.ts';

interface SchemaNode {
  $ref?: string;
  properties?: Record<string, SchemaNode | boolean>;
  additionalProperties?: SchemaNode | boolean;
  items?: SchemaNode;
}

/** A key written with the wrong case: where, as written, and as AWS writes it. */
export interface CaseSlip {
  pointer: string;
  written: string;
  meant: string;
  /** Whether the schema refuses the key meant there too (a trail entry's key inside its Trail). */
  refused: boolean;
}

const DEFINITIONS = (inventorySchema as { definitions: Record<string, SchemaNode> }).definitions;

/**
 * A schema node made ready for the walk, its `$ref`s followed: the node of each field by name,
 * the node of any other key (a map's values), the node of a list's items, and (where unknown keys
 * are let through) the fields by their lower-case names. `null` for a key the schema refuses.
 */
interface Walked {
  fields: Map<string, Walked | null>;
  rest: Walked | undefined;
  items: Walked | undefined;
  lower: Map<string, string> | undefined;
}

const walked = new Map<SchemaNode, Walked>();
let root: Walked | undefined;

/** The walk's node for a schema node, built once per schema node (shared definitions once). */
function compile(node: SchemaNode): Walked {
  const schema = node.$ref === undefined ? node : (DEFINITIONS[node.$ref.slice('#/definitions/'.length)] ?? node);
  let w = walked.get(schema);
  if (w !== undefined) return w;
  w = { fields: new Map(), rest: undefined, items: undefined, lower: undefined };
  walked.set(schema, w);
  const properties = schema.properties ?? {};
  for (const [k, sub] of Object.entries(properties)) w.fields.set(k, sub === false ? null : sub === true ? EMPTY : compile(sub));
  if (typeof schema.additionalProperties === 'object') w.rest = compile(schema.additionalProperties);
  if (schema.items !== undefined) w.items = compile(schema.items);
  // In a closed object the schema has already named every unknown key. A key the schema refuses
  // there (`Status` inside a Trail, `IsPublic` beside a bucket's keys) is looked for too: written
  // `isPublic`, it would otherwise slip past the refusal that `IsPublic` meets.
  if (schema.properties !== undefined && schema.additionalProperties !== false) w.lower = new Map(Object.keys(properties).map((k) => [k.toLowerCase(), k]));
  return w;
}

/** A node with nothing to look at below it (a `true` schema). */
const EMPTY: Walked = { fields: new Map(), rest: undefined, items: undefined, lower: undefined };

/** Whether anything below a node can hold a key to look at. */
function hasKeys(w: Walked): boolean {
  return w.fields.size > 0 || w.rest !== undefined || w.items !== undefined;
}

/** The case slips of a valid inventory, in the order they are written (at most `limit`, and how many more). */
export function caseSlips(value: unknown, limit: number): { slips: CaseSlip[]; more: number } {
  root ??= compile(inventorySchema as SchemaNode);
  const slips: CaseSlip[] = [];
  let found = 0;
  // The keys from the root to the value walked: a pointer is built only for a slip.
  const path: string[] = [];
  const walk = (v: object, w: Walked): void => {
    if (Array.isArray(v)) {
      const items = w.items;
      // A list of text (Values, regions) has no keys to look at.
      if (items === undefined || !hasKeys(items)) return;
      for (let i = 0; i < v.length; i++) {
        const item: unknown = v[i];
        if (item === null || typeof item !== 'object') continue;
        path.push(String(i));
        walk(item, items);
        path.pop();
      }
      return;
    }
    const record = v as Record<string, unknown>;
    // for...in, not Object.keys: no array per object on a walk over every object of the file
    // (a parsed JSON or YAML document holds only own, enumerable keys).
    for (const key in record) {
      const field = w.fields.get(key);
      const sub = field === undefined ? w.rest : field;
      if (sub !== undefined) {
        const child = record[key];
        // Only an object or a list has keys to look at: a text or a number is no call.
        if (sub !== null && child !== null && typeof child === 'object') {
          path.push(key);
          walk(child, sub);
          path.pop();
        }
        continue;
      }
      const meant = w.lower?.get(key.toLowerCase());
      if (meant === undefined) continue;
      const at = [...path, key].map((k) => `/${escapePointerSegment(k)}`).join('');
      if (found++ < limit) slips.push({ pointer: at, written: key, meant, refused: w.fields.get(meant) === null });
    }
  };
  if (value !== null && typeof value === 'object') walk(value, root);
  return { slips, more: found - slips.length };
}
