/**
 * The registry of named built-ins, one explicit sorted map. A rule's `builtin: <name>` must name
 * an entry here; the rule loader rejects unknown names with the file position.
 */
import { bucketDelivery } from '../policy/bucket-delivery.ts';
import type { Builtin } from './builtin-types.ts';

export const BUILTINS: ReadonlyMap<string, Builtin> = new Map<string, Builtin>([['bucket-delivery', bucketDelivery]]);
