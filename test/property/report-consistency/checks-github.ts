/**
 * The GitHub annotations and step summary, against the JSON report.
 *
 * github: an annotation for exactly the fail and error results that no suppression or
 * baseline covers, of the kind their severity (or error) gives, at most 10 per kind (the most
 * severe, then a line saying how many were left out), with the same file (as it is, or none
 * when it holds a character the log cannot carry raw), line and column,
 * and the message "SUBJECT: MESSAGE" with control and bidi characters made visible and
 * backslashes doubled, as in the text report; the step
 * summary's counts equal the JSON summary, and its table lists the same open results.
 */
import { expect } from 'chai';
import { matchLines } from './checks-text.ts';
import { ANNOTATION, SEVERITY_RANK, subjectKeyOf, unescapeCommand, utf8, visible, type Any } from './decode.ts';

/** GitHub shows at most this many annotations of each kind; README: trailgate writes the most severe. */
const PER_KIND = 10;

export function checkGithub(annotations: string, summary: string, json: Any, failOn: string): void {
  const open: Any[] = json.results.filter((r: Any) => (r.status === 'fail' || r.status === 'error') && r.suppression === undefined);
  // README: what counts toward the exit code first (errors, and violations at or above
  // --fail-on), then violations before errors, the most severe first.
  const counts = (r: Any) => r.status === 'error' || (failOn !== 'never' && SEVERITY_RANK[r.severity] >= SEVERITY_RANK[failOn]);
  const kindOf = (r: Any) => (r.status === 'error' ? 'error' : ANNOTATION[r.severity]);
  const lines = annotations === '' ? [] : annotations.replace(/\n$/, '').split('\n');
  const parsed = lines
    .filter((line) => line.startsWith('::'))
    .map((line) => {
      const m = /^::(error|warning|notice) (.*?)::(.*)$/.exec(line);
      expect(m, `an annotation: ${line}`).to.not.equal(null);
      const props = Object.fromEntries(m![2].split(',').map((p) => [p.slice(0, p.indexOf('=')), unescapeCommand(p.slice(p.indexOf('=') + 1), true)]));
      return { kind: m![1], props, message: unescapeCommand(m![3], false) };
    });
  const fits = (r: Any, a: (typeof parsed)[number]) =>
    a.kind === kindOf(r) &&
    a.props.title.startsWith(`${r.ruleId} (`) &&
    a.message === utf8(visible(`${subjectKeyOf(r)}: ${r.message}`)) &&
    (r.location === undefined
      ? a.props.file === undefined
      : visible(r.location.file) !== r.location.file.replaceAll('\\', '\\\\')
        ? a.props.file === undefined && a.props.line === undefined
        : a.props.file === utf8(r.location.file) && a.props.line === String(r.location.line) && a.props.col === String(r.location.column));
  const notes: string[] = [];
  for (const kind of ['error', 'warning', 'notice']) {
    const mine = open.filter((r) => kindOf(r) === kind);
    const shown = parsed.filter((a) => a.kind === kind);
    expect(shown, `${kind}: an annotation per open violation or error, at most ${PER_KIND}`).to.have.lengthOf(Math.min(mine.length, PER_KIND));
    const matched = matchLines(mine, shown, fits);
    const kept = mine.filter((_, i) => matched[i] !== undefined);
    expect(kept, `${kind}: each annotation is one of its open results`).to.have.lengthOf(shown.length);
    const omitted = mine.filter((_, i) => matched[i] === undefined);
    if (omitted.length > 0) {
      // README: among `::error` annotations, those that count toward the exit code first; then
      // critical and high violations before results that could not be evaluated, the most
      // severe first.
      const rank = (r: Any) => (counts(r) ? 100 : 0) + (r.status === 'error' ? 0 : 10) + SEVERITY_RANK[r.severity];
      const least = Math.min(...kept.map(rank));
      expect(Math.max(...omitted.map(rank)), `${kind}: the most severe are kept`).to.be.at.most(least);
      notes.push(`trailgate: ${omitted.length} more ${kind} annotation${omitted.length === 1 ? '' : 's'} not shown`);
    }
  }
  const plain = lines.filter((line) => !line.startsWith('::'));
  expect(plain.map((line) => line.slice(0, line.indexOf(' (GitHub'))), 'a line saying how many were left out').to.deep.equal(notes);

  const row = /\n\| (\d+) \| (\d+) \| (\d+) \| (\d+) \| (\d+) \| (\d+) \|\n/.exec(summary);
  expect(row, 'the step summary has its counts').to.not.equal(null);
  const suppressed = json.results.filter((r: Any) => r.suppression?.kind === 'suppression').length;
  const baselined = json.results.filter((r: Any) => r.suppression?.kind === 'baseline').length;
  expect(row!.slice(1).map(Number)).to.deep.equal([json.summary.pass, json.summary.fail, json.summary.error, json.summary.skipped, suppressed, baselined]);
  // Its table: a row per open violation or error (up to 500), those that count toward the exit
  // code first, then violations before errors and the most severe first (report order within),
  // one line each whatever the message holds.
  const ranked = open
    .map((r, i) => ({ r, i }))
    .sort(
      (a, b) =>
        Number(counts(b.r)) - Number(counts(a.r)) ||
        Number(a.r.status === 'error') - Number(b.r.status === 'error') ||
        SEVERITY_RANK[b.r.severity] - SEVERITY_RANK[a.r.severity] ||
        a.i - b.i,
    )
    .map(({ r }) => r);
  const table = summary.split('\n').filter((line) => /^\| (fail|error) \| /.test(line));
  expect(table.map((line) => line.split(' | ').slice(0, 3).join(' | ')), 'the step summary table').to.deep.equal(
    ranked.slice(0, 500).map((r) => `| ${r.status} | ${r.severity} | ${r.ruleId}`),
  );
}
