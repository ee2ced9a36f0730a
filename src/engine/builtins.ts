/**
 * The registry of named built-ins, one explicit sorted map. A rule's `builtin: <name>` must name
 * an entry here; the rule loader rejects unknown names with the file position.
 */
import { bucketDelivery } from '../policy/bucket-delivery.ts';
import type { Builtin } from './builtin-types.ts';
import { bucketNotPublic } from './builtins/bucket-not-public.ts';
import { kmsKeyUsable } from './builtins/kms-key-usable.ts';

export const BUILTINS: ReadonlyMap<string, Builtin> = new Map<string, Builtin>([
  ['bucket-delivery', bucketDelivery],
  ['bucket-not-public', bucketNotPublic],
  ['kms-key-usable', kmsKeyUsable],
]);
