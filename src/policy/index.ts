/**
 * trailgate's IAM resource-policy evaluator: parse a policy once, evaluate requests against it.
 * Scope and semantics are described in the README ("bucket-delivery: how trailgate decides").
 */
export { parsePolicy, type ParseResult, type Policy, type Statement, type PrincipalSet } from './parse.ts';
export { evaluate, byName, describeStatement, describeStatements, requestContext, type Decision, type PolicyRequest, type RequestPrincipal, type StatementRef } from './evaluate.ts';
export { OPERATOR_NAMES, type Family } from './conditions.ts';
export { wildcardMatch } from './match.ts';
