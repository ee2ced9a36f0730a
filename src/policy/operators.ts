/**
 * The condition operators IAM defines, by family (String, Numeric, Date, Bool, Binary,
 * IpAddress, Arn, Null), each with the comparison it makes and whether it is negated. Keyed
 * lower-cased, so a policy's operator is found whatever its case.
 */

/** The operator families. */
export type Family = 'String' | 'Numeric' | 'Date' | 'Bool' | 'Binary' | 'IpAddress' | 'Arn' | 'Null';

/** Which comparison a base operator makes inside its family. */
export type Comparison = 'eq' | 'eqIgnoreCase' | 'like' | 'lt' | 'lte' | 'gt' | 'gte';

export interface OperatorSpec {
  name: string;
  family: Family;
  comparison: Comparison;
  negated: boolean;
}

export const OPERATORS = new Map<string, OperatorSpec>();
function op(name: string, family: Family, comparison: Comparison, negated = false): void {
  OPERATORS.set(name.toLowerCase(), { name, family, comparison, negated });
}
op('StringEquals', 'String', 'eq');
op('StringNotEquals', 'String', 'eq', true);
op('StringEqualsIgnoreCase', 'String', 'eqIgnoreCase');
op('StringNotEqualsIgnoreCase', 'String', 'eqIgnoreCase', true);
op('StringLike', 'String', 'like');
op('StringNotLike', 'String', 'like', true);
for (const f of ['Numeric', 'Date'] as const) {
  op(`${f}Equals`, f, 'eq');
  op(`${f}NotEquals`, f, 'eq', true);
  op(`${f}LessThan`, f, 'lt');
  op(`${f}LessThanEquals`, f, 'lte');
  op(`${f}GreaterThan`, f, 'gt');
  op(`${f}GreaterThanEquals`, f, 'gte');
}
op('Bool', 'Bool', 'eq');
op('BinaryEquals', 'Binary', 'eq');
op('IpAddress', 'IpAddress', 'eq');
op('NotIpAddress', 'IpAddress', 'eq', true);
// IAM documents ArnEquals and ArnLike as the same test: per-part matching with wildcards.
op('ArnEquals', 'Arn', 'like');
op('ArnLike', 'Arn', 'like');
op('ArnNotEquals', 'Arn', 'like', true);
op('ArnNotLike', 'Arn', 'like', true);
op('Null', 'Null', 'eq');

/** The names of every operator the evaluator knows (for documentation and tests). */
export const OPERATOR_NAMES: readonly string[] = [...OPERATORS.values()].map((s) => s.name);
