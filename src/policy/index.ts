/**
 * trailgate's IAM resource-policy evaluator: parse a policy once, evaluate requests against it.
 * Scope and semantics are described in the README ("bucket-delivery: how trailgate decides").
 */
export { parsePolicy, type ParseResult, type Policy } from './parse.ts';
export { evaluate, addToContext, byName, copyContext, describeStatement, describeStatements, requestContext, type Decision, type PolicyRequest, type StatementRef } from './evaluate.ts';
export { type ContextValue } from './conditions.ts';
export { OPERATOR_NAMES } from './operators.ts';
