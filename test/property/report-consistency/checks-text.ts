/**
 * The text report, against the JSON report.
 *
 * text: a line per fail and error (every result with --verbose) under its account's header,
 * whose unescaped text ends with the message and [file:line]; nothing raw that could move
 * the cursor; the summary line's counts equal the JSON summary (with the severity, baseline
 * and suppressed breakdowns) and the exit line names the JSON exit code and its count.
 */
import { expect } from 'chai';
import { ACTIVE, SEVERITY_RANK, subjectKeyOf, unescapeTerminal, type Any } from './decode.ts';
import type { Plan } from './generate.ts';

const LABELS: Record<string, string> = { fail: 'FAIL', error: 'ERROR', pass: 'PASS', skipped: 'SKIP' };

/** Assigns each result a distinct line it may be printed as (augmenting paths: a line may suit several results). */
export function matchLines<L>(results: Any[], lines: L[], fits: (r: Any, line: L) => boolean): (number | undefined)[] {
  const owner: (number | undefined)[] = lines.map(() => undefined);
  const tryAssign = (i: number, visited: Set<number>): boolean => {
    for (let j = 0; j < lines.length; j++) {
      if (visited.has(j) || !fits(results[i], lines[j])) continue;
      visited.add(j);
      if (owner[j] === undefined || tryAssign(owner[j]!, visited)) {
        owner[j] = i;
        return true;
      }
    }
    return false;
  };
  return results.map((_, i) => (tryAssign(i, new Set()) ? owner.indexOf(i) : undefined));
}

export function checkText(text: string, json: Any, plan: Plan): void {
  expect(ACTIVE.test(text.replace(/\n/g, '')), 'nothing raw that a terminal acts on').to.equal(false);
  const lines = text.split('\n');
  expect(lines.pop()).to.equal('');
  const exitLine = lines.pop()!;
  const summaryLine = lines.pop()!;

  // The result lines, each with the account whose group it is in.
  const shown: Any[] = json.results.filter((r: Any) => plan.verbose || r.status === 'fail' || r.status === 'error');
  let account: string | undefined;
  const printed: { account: string | undefined; line: string }[] = [];
  for (const line of lines) {
    if (line.startsWith('Account ')) account = unescapeTerminal(line.slice('Account '.length));
    else if (/^ {2}(FAIL|ERROR|PASS|SKIP) /.test(line)) printed.push({ account, line: unescapeTerminal(line) });
  }
  expect(printed, 'a line per shown result, and no forged ones').to.have.lengthOf(shown.length);
  const fits = (r: Any, p: { account: string | undefined; line: string }) =>
    p.account === r.accountId &&
    p.line.startsWith(`  ${LABELS[r.status].padEnd(5)} ${r.severity} `) &&
    p.line.includes(` ${r.ruleId} `) &&
    // Escaped (lone surrogates included), so the decoded line holds exactly what the JSON report does.
    p.line.endsWith(`: ${r.message}${r.location ? `  [${r.location.file}:${r.location.line}]` : ''}`);
  const matched = matchLines(shown, printed, fits);
  matched.forEach((m, i) => expect(m, `a text line for ${shown[i].ruleId} ${JSON.stringify(subjectKeyOf(shown[i]))}`).to.not.equal(undefined));

  const m = /^(\d+) rules?, (\d+) accounts?: (\d+) passed, (\d+) failed(?: \((.*?)\))?, (\d+) errors?(?: \((.*?)\))?, (\d+) skipped(?: \((.*?)\))?$/.exec(summaryLine);
  expect(m, `summary line: ${summaryLine}`).to.not.equal(null);
  const [, rules, accounts, passed, failed, failedParts, errors, errorParts, skipped, skippedParts] = m!;
  const results: Any[] = json.results;
  // Accounts scanned: every rule runs here, so each has account results; an organization trail's
  // owner that only members' entries show has trail results alone, and was not scanned.
  const scanned = new Set(results.filter((r) => r.scope !== 'trail').map((r) => r.accountId));
  expect([rules, accounts].map(Number)).to.deep.equal([json.rules.length, scanned.size]);
  expect([passed, failed, errors, skipped].map(Number), 'the summary line counts the JSON summary').to.deep.equal([json.summary.pass, json.summary.fail, json.summary.error, json.summary.skipped]);
  const fails = results.filter((r) => r.status === 'fail');
  const breakdown = [
    ...['critical', 'high', 'medium', 'low', 'info'].map((s) => [fails.filter((r) => r.severity === s).length, s] as const).filter(([n]) => n > 0).map(([n, s]) => `${n} ${s}`),
  ].join(', ');
  const baselined = (status: string) => results.filter((r) => r.status === status && r.suppression?.kind === 'baseline').length;
  const inBaseline = (n: number) => (n > 0 ? `${n} in baseline` : '');
  expect(failedParts ?? '').to.equal([breakdown, inBaseline(baselined('fail'))].filter(Boolean).join('; '));
  expect(errorParts ?? '').to.equal(inBaseline(baselined('error')));
  const suppressed = results.filter((r) => r.suppression?.kind === 'suppression').length;
  expect(skippedParts ?? '').to.equal(suppressed > 0 ? `${suppressed} suppressed` : '');

  expect(exitLine.startsWith(`exit ${json.exitCode}: `), `exit line: ${exitLine}`).to.equal(true);
  const open = results.filter((r) => r.suppression === undefined);
  if (json.exitCode === 1) {
    const n = open.filter((r) => r.status === 'fail' && SEVERITY_RANK[r.severity] >= SEVERITY_RANK[plan.failOn]).length;
    expect(exitLine).to.equal(`exit 1: ${n} violation${n === 1 ? '' : 's'} at or above ${plan.failOn}`);
  } else if (json.exitCode === 3) {
    const n = open.filter((r) => r.status === 'error').length;
    expect(exitLine).to.include(`but ${n} result${n === 1 ? ' is an error' : 's are errors'}`);
  }
}
