/**
 * Keys inside AWS shapes that differ from a field AWS writes only in case (`isLogging`,
 * `IsMultiregionTrail`). The schema lets unknown keys through there, since AWS adds fields, so
 * such a slip would leave the field "not collected" without a word, or worse: a `Status` whose
 * `IsLogging` is spelt `isLogging` reads as a trail that is not logging. AWS never has two fields
 * that differ only in case, so the key is refused with the name it stands for.
 */
import inventorySchema from '../../schemas/inventory.schema.json' with { type: 'json' };

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

/** A node, or the definition its `$ref` names (the schema's refs are all `#/definitions/NAME`). */
function deref(node: SchemaNode): SchemaNode {
  return node.$ref === undefined ? node : (DEFINITIONS[node.$ref.slice('#/definitions/'.length)] ?? node);
}

/** The case slips of a valid inventory, in the order they are written (at most `limit`, and how many more). */
export function caseSlips(value: unknown, limit: number): { slips: CaseSlip[]; more: number } {
  const slips: CaseSlip[] = [];
  let found = 0;
  // The keys from the root to the value walked: a pointer is built only for a slip.
  const path: string[] = [];
  const walk = (v: unknown, node: SchemaNode): void => {
    if (v === null || typeof v !== 'object') return;
    const schema = deref(node);
    if (Array.isArray(v)) {
      const items = schema.items === undefined ? undefined : deref(schema.items);
      // A list of text (Values, regions) has no keys to look at.
      if (items === undefined || (items.properties === undefined && items.items === undefined && typeof items.additionalProperties !== 'object')) return;
      for (let i = 0; i < v.length; i++) {
        path.push(String(i));
        walk(v[i], items);
        path.pop();
      }
      return;
    }
    const fields = fieldsOf(schema);
    const rest = typeof schema.additionalProperties === 'object' ? schema.additionalProperties : undefined;
    for (const key of Object.keys(v)) {
      const sub = fields.exact.get(key) ?? rest;
      if (sub !== undefined) {
        if (sub !== true && sub !== false) {
          path.push(key);
          walk((v as Record<string, unknown>)[key], sub);
          path.pop();
        }
        continue;
      }
      const meant = fields.lower?.get(key.toLowerCase());
      if (meant === undefined) continue;
      const at = [...path, key].map((k) => `/${escape(k)}`).join('');
      if (found++ < limit) slips.push({ pointer: at, written: key, meant, refused: fields.exact.get(meant) === false });
    }
  };
  walk(value, inventorySchema as SchemaNode);
  return { slips, more: found - slips.length };
}

/** An object schema's fields by name, and (where unknown keys are let through) by their lower-case names. */
interface Fields {
  exact: Map<string, SchemaNode | boolean>;
  lower?: Map<string, string>;
}
const fieldsBySchema = new WeakMap<SchemaNode, Fields>();

function fieldsOf(schema: SchemaNode): Fields {
  let fields = fieldsBySchema.get(schema);
  if (fields !== undefined) return fields;
  const exact = new Map(Object.entries(schema.properties ?? {}));
  // In a closed object the schema has already named every unknown key. A key the schema refuses
  // there (`Status` inside a Trail, `IsPublic` beside a bucket's keys) is looked for too: written
  // `isPublic`, it would otherwise slip past the refusal that `IsPublic` meets.
  const open = schema.properties !== undefined && schema.additionalProperties !== false;
  const lower = open ? new Map([...exact.keys()].map((k) => [k.toLowerCase(), k])) : undefined;
  fieldsBySchema.set(schema, (fields = { exact, ...(lower ? { lower } : {}) }));
  return fields;
}

function escape(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}
