/**
 * Sentences about suppressions that need attention (expired, stale), shared by stderr
 * warnings, the text report and the GitHub step summary so they all say the same thing.
 */
import type { Suppression } from '../engine/result.ts';
import type { SuppressionEntry, SuppressionNotes } from '../engine/suppress.ts';

/** The config file as `shown` names it (from the repository root, on GitHub's pages), else as given. */
function where(e: SuppressionEntry, shown?: (file: string) => string | undefined): string {
  return e.source ? ` (${shown?.(e.source.file) ?? e.source.file}:${e.source.line}:${e.source.column})` : '';
}

function what(e: SuppressionEntry): string {
  return `rule ${e.rule}, resource ${e.resource}${e.owner !== undefined ? `, owner ${e.owner}` : ''}`;
}

/**
 * One sentence per expired or stale suppression, expired first, in config file order. `shown`
 * names the config file another way than from the working directory (the step summary names
 * files from the repository root, as its table does).
 */
export function suppressionNoteLines(notes: SuppressionNotes | undefined, shown?: (file: string) => string | undefined): string[] {
  if (!notes) return [];
  const lines = notes.expired.map(({ entry, matched, stillSuppressed, inBaseline, judged }) => {
    const again = matched === 0 ? undefined : `${matched} result${matched === 1 ? '' : 's'} count${matched === 1 ? 's' : ''} again`;
    // Still accepted, by the baseline: saying it counts again would contradict the exit code.
    const baselined = inBaseline === 0 ? undefined : `${inBaseline} result${inBaseline === 1 ? ' it matches is' : 's it matches are'} in the baseline, so ${inBaseline === 1 ? 'it still does' : 'they still do'} not count`;
    const other = stillSuppressed === 0 ? undefined : `${stillSuppressed} result${stillSuppressed === 1 ? '' : 's'} it matches ${stillSuppressed === 1 ? 'is' : 'are'} still suppressed by another entry`;
    // Matching nothing means little when the rules it names were left out of this run.
    const none = judged ? 'it matches nothing now either' : 'its rules did not all run, so what it would match now was not looked for';
    const effects = [again, baselined, other].filter((e) => e !== undefined);
    const effect = effects.length === 0 ? none : effects.join('; ');
    return `suppression expired on ${entry.expires}${where(entry, shown)}: ${what(entry)}; ${effect}`;
  });
  for (const e of notes.stale) lines.push(`stale suppression${where(e, shown)}: ${what(e)} matches no violation or error; remove it`);
  return lines;
}

/** Why a result is suppressed: the reason, with the owner and expiry when they are given. */
export function suppressionText(s: Suppression): string {
  const details = [s.owner && `owner ${s.owner}`, s.expires && `expires ${s.expires}`].filter(Boolean).join(', ');
  return details ? `${s.reason} (${details})` : s.reason;
}
