/**
 * SARIF validation for tests: the official OASIS schema, then what GitHub code scanning adds on
 * top of it (an upload breaking any of these is rejected, or churns alerts).
 */
import { readFileSync } from 'node:fs';
import AjvDraft04 from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { assert } from 'chai';

const SCHEMA_FILE = new URL('../fixtures/schemas/sarif-schema-2.1.0.json', import.meta.url);

/** GitHub's documented limits. */
const MAX_RESULTS = 25_000;
const MAX_RULES = 25_000;
const MAX_TAGS = 10;
const MAX_FULL_DESCRIPTION = 1024;

type Validator = ((data: unknown) => boolean) & { errors?: unknown };
let validator: Validator | undefined;

function schemaValidator(): Validator {
  if (!validator) {
    const ajv = new AjvDraft04.default({ allErrors: true, strict: false });
    addFormats.default(ajv);
    validator = ajv.compile(JSON.parse(readFileSync(SCHEMA_FILE, 'utf8'))) as Validator;
  }
  return validator;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- SARIF is walked as plain JSON here
type Any = any;

/** Asserts that `text` is SARIF 2.1.0 valid against the OASIS schema and acceptable to GitHub code scanning. */
export function assertValidSarif(text: string): void {
  const log: Any = JSON.parse(text);
  const validate = schemaValidator();
  assert.isTrue(validate(log), `SARIF schema errors: ${JSON.stringify(validate.errors, null, 2)}`);

  assert.lengthOf(log.runs, 1, 'one run per file, one category');
  const run = log.runs[0];
  // The category is upload-sarif's to set (its `category` input, else the workflow and job);
  // when a file does name one, it must not be empty.
  if (run.automationDetails !== undefined) assert.isNotEmpty(run.automationDetails.id, 'run.automationDetails.id (the category)');

  const rules: Any[] = run.tool.driver.rules ?? [];
  assert.isAtMost(rules.length, MAX_RULES, 'rules per run');
  const ruleIds = rules.map((r) => r.id);
  assert.lengthOf(new Set(ruleIds), ruleIds.length, 'rule ids are unique');
  rules.forEach(checkRule);

  const results: Any[] = run.results ?? [];
  assert.isAtMost(results.length, MAX_RESULTS, 'results per run');
  const withSuppressions = results.filter((r) => r.suppressions !== undefined).length;
  assert.oneOf(withSuppressions, [0, results.length], 'suppressions on every result or on none');
  const problems = results.flatMap((r, i) => checkResult(r, i, ruleIds));
  assert.deepEqual(problems.slice(0, 20), [], `${problems.length} results GitHub would reject`);
}

function checkRule(rule: Any): void {
  const where = `rule ${rule.id}`;
  assert.isString(rule.name, `${where}: name`);
  assert.isNotEmpty(rule.shortDescription?.text, `${where}: shortDescription.text`);
  assert.isString(rule.fullDescription?.text, `${where}: fullDescription.text`);
  assert.isAtMost(rule.fullDescription.text.length, MAX_FULL_DESCRIPTION, `${where}: fullDescription.text length`);
  assert.isNotEmpty(rule.help?.text, `${where}: help.text`);
  assert.isNotEmpty(rule.help?.markdown, `${where}: help.markdown`);
  assert.match(rule.helpUri, /^https?:\/\//, `${where}: helpUri`);
  assert.oneOf(rule.defaultConfiguration?.level, ['error', 'warning', 'note'], `${where}: defaultConfiguration.level`);
  const props = rule.properties ?? {};
  assert.isArray(props.tags, `${where}: properties.tags`);
  assert.include(props.tags, 'security', `${where}: tags include security`);
  assert.isAtMost(props.tags.length, MAX_TAGS, `${where}: at most ${MAX_TAGS} tags`);
  assert.isString(props.precision, `${where}: properties.precision`);
  const score = props['security-severity'];
  assert.isString(score, `${where}: security-severity must be a string (a number fails GitHub's upload)`);
  assert.match(score, /^\d+(\.\d+)?$/, `${where}: security-severity is a decimal`);
  assert.isAtLeast(Number(score), 0.1, `${where}: security-severity in a GitHub band`);
  assert.isAtMost(Number(score), 10, `${where}: security-severity at most 10`);
}

/**
 * Plain checks collected into a list rather than chai assertions: a run can hold 25,000
 * results, and one assertion call per field made the check slower than rendering.
 */
function checkResult(r: Any, i: number, ruleIds: string[]): string[] {
  const where = `result ${i} (${r.ruleId})`;
  const problems: string[] = [];
  const check = (ok: boolean, what: string): void => {
    if (!ok) problems.push(`${where}: ${what}`);
  };
  check(ruleIds.includes(r.ruleId), 'ruleId names a rule in driver.rules');
  check(r.ruleIndex === undefined || ruleIds[r.ruleIndex] === r.ruleId, 'ruleIndex points at its rule');
  check(typeof r.message?.text === 'string' && r.message.text !== '', 'message.text');
  check(r.kind === undefined || r.kind === 'fail' || r.level === undefined || r.level === 'none', `a result of kind ${r.kind} must have level none`);

  const physical = Array.isArray(r.locations) ? r.locations[0]?.physicalLocation : undefined;
  check(physical !== undefined, 'locations[0].physicalLocation (without it GitHub rejects the file)');
  const uri = physical?.artifactLocation?.uri;
  check(typeof uri === 'string' && uri !== '', 'artifactLocation.uri');
  if (typeof uri === 'string') {
    check(!/^[A-Za-z][A-Za-z0-9+.-]*:/.test(uri), `uri must be relative, no scheme: ${uri}`);
    check(!uri.startsWith('/'), `uri must be relative: ${uri}`);
    check(!/\s/.test(uri), `uri without spaces: ${uri}`);
    check(/^(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/]|%[0-9A-Fa-f]{2})+$/.test(uri), `uri has only URI characters: ${uri}`);
  }
  const line = physical?.region?.startLine;
  check(Number.isInteger(line) && line >= 1, `region.startLine >= 1, got ${line}`);
  const hash = r.partialFingerprints?.primaryLocationLineHash;
  check(typeof hash === 'string' && hash !== '', 'partialFingerprints.primaryLocationLineHash');
  return problems;
}
