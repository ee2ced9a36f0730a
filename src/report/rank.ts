/**
 * Which results a report that must leave some out keeps first: SARIF at GitHub's cap, the
 * `github` annotations at 10 per kind, the step summary's table at 500 rows.
 */
import { SEVERITIES, severityRank, type Result, type Severity } from '../engine/result.ts';

/**
 * 0 for a result that counts toward the exit code (an error, or a violation at or above
 * --fail-on), 1 for a violation below it, 2 for one a suppression or the baseline accepted. A
 * baselined violation keeps its status `fail`: ranked by status alone, thousands of them would
 * push out the one new violation that fails the run; and under `--fail-on critical` the errors
 * that make the run exit 3 must not give way to high violations that change nothing.
 */
export function tierOf(failOn: string): (r: Result) => number {
  const threshold = (SEVERITIES as readonly string[]).includes(failOn) ? severityRank(failOn as Severity) : Infinity;
  return (r) => (r.suppression !== undefined ? 2 : r.status === 'error' || severityRank(r.severity) >= threshold ? 0 : 1);
}
