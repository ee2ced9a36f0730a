/** Choosing rules with --only and --skip. An id that matches no rule is an error, not a silent no-op. */
import { InputError } from '../errors.ts';
import type { CompiledRule } from '../rules/compiled.ts';

/**
 * Splits repeatable, comma-separated id lists. A value with no id in it (`--only "$RULES"` with
 * the variable unset) is refused: read as "no filter", it would quietly widen a gate to every rule.
 */
export function idList(values: readonly string[] | undefined, flag: '--only' | '--skip'): string[] {
  return (values ?? []).flatMap((v) => {
    const ids = v.split(',').map((s) => s.trim()).filter(Boolean);
    if (ids.length === 0) throw new InputError(`${flag} was given no rule id (${JSON.stringify(v)}); name at least one, or leave ${flag} out`);
    return ids;
  });
}

/**
 * An --only and --skip that leave no rule. `configMessage` says it without the flags, for when
 * the config file's `only` or `skip` key made the choice (config/apply.ts locates it there).
 */
export class NoRuleLeftError extends InputError {
  /** Worded for the config file's keys; whether built-in rules were off is said, not where that came from. */
  readonly configMessage: string;
  constructor(builtinOff: boolean, notLoaded: readonly string[] = []) {
    // Ids `only` names that exist but were not loaded: why a choice of real rules left nothing.
    const why = notLoaded.length > 0 ? `: ${notLoaded.map((id) => `"${id}"`).join(', ')} ${notLoaded.length === 1 ? 'is a rule' : 'are rules'} this run does not load` : '';
    super(`no rule is left to run after --only/--skip${builtinOff ? ' (and --no-builtin-rules)' : ''}${why}`);
    this.configMessage = `no rule is left to run after the only/skip selection${builtinOff ? ', with the built-in rules left out' : ''}${why}`;
  }
}

/** No rule at all: the built-in rules left out, and none given with --rules. `configMessage` as above. */
export class NoRulesError extends InputError {
  readonly configMessage = 'no rule to run: builtinRules is false, and no rules are given (`rules`, or --rules)';
  constructor() {
    super('no rule to run: --no-builtin-rules leaves out the built-in rules, and no --rules were given');
  }
}

/**
 * The rules left after --only and --skip. An id may name a rule this run left out (a built-in
 * rule under --no-builtin-rules, a rule of a folder --rules replaced: `exists` says which): the
 * same config serves runs that leave different rules out, so such an id selects nothing rather
 * than stopping the run. An id that exists nowhere is a mistake.
 */
export function selectRules(
  rules: readonly CompiledRule[],
  only: readonly string[],
  skip: readonly string[],
  builtinOff = false,
  exists: (id: string) => boolean = () => false,
): CompiledRule[] {
  const known = new Set(rules.map((r) => r.meta.id));
  for (const [flag, ids] of [['--only', only], ['--skip', skip]] as const) {
    for (const id of ids) if (!known.has(id) && !exists(id)) throw new InputError(`${flag} names an unknown rule "${id}"; see \`trailgate rules\` for the ids`);
  }
  const onlySet = new Set(only);
  const skipSet = new Set(skip);
  const chosen = rules.filter((r) => (onlySet.size === 0 || onlySet.has(r.meta.id)) && !skipSet.has(r.meta.id));
  // The reason is given only when it is the whole one: every id `only` names is a rule not loaded.
  const notLoaded = [...new Set(only)].filter((id) => !known.has(id));
  if (chosen.length === 0) throw new NoRuleLeftError(builtinOff, notLoaded.length > 0 && notLoaded.length === new Set(only).size ? notLoaded : []);
  return chosen;
}
