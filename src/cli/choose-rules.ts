/**
 * Which rules a run loads and selects: the built-in ones and `--rules` paths, then only/skip and
 * --compliance, with the ids of the rules that exist but were not loaded, which only/skip,
 * parameters and suppressions may name without a mistake. Shared by `scan` and `rules`.
 */
import { resolve } from 'node:path';
import { escapeTerminal } from '../report/escape.ts';
import { relativePath } from '../input/display-path.ts';
import { builtinRuleIds, ruleIdsIn } from '../rules/files.ts';
import { loadRules } from '../rules/load.ts';
import type { CompiledRule } from '../rules/compiled.ts';
import { selectCompliance } from '../compliance/select.ts';
import type { Io } from './io.ts';
import { NoRulesError, selectRules } from './select.ts';

/** What chooses the rules, as `scan` and `rules` take it from flags and the config file. */
export interface RuleChoice {
  rulePaths: string[];
  builtinRules: boolean;
  only: string[];
  skip: string[];
  /** Per rule id, parameter overrides. */
  params?: Record<string, Record<string, unknown>>;
  /** Run only the rules mapped to this compliance framework. */
  compliance?: string;
  /** The config file's `rules` entries, as `rulePaths` gives paths: those a `--rules` flag replaced were not loaded. */
  configRulePaths?: string[];
}

/** Loads and selects the rules a scan or `rules` listing would run. */
export function rulesFor(options: RuleChoice, io: Io): CompiledRule[] {
  return chooseRules(options, io).rules;
}

/**
 * The config file's `rules` entries that were not loaded, a `--rules` flag having replaced them.
 * Compared as paths, so an entry named another way than its flag counts as not loaded: that only
 * spares a suppression, a parameter or an only/skip id that names one of their rules.
 */
function configRulesUnloaded(options: RuleChoice, io: Io): string[] {
  const loaded = new Set(options.rulePaths.map((p) => resolve(io.cwd, p)));
  return (options.configRulePaths ?? []).map((p) => resolve(io.cwd, p)).filter((p) => !loaded.has(p));
}

/**
 * The rules a run loads and selects, and `leftOut`: the ids of the rules that exist but were not
 * loaded (the built-in ones under --no-builtin-rules; those of the config's own folders that
 * --rules replaced). only/skip, parameters and suppressions may name them without a mistake.
 */
export function chooseRules(options: RuleChoice, io: Io): { rules: CompiledRule[]; all: CompiledRule[]; leftOut: ReadonlySet<string>; leftOutComplete: boolean } {
  // Not loaded, but their ids read (not compiled: a folder set aside may hold a broken rule).
  const { ids: unloadedIds, unread } = ruleIdsIn(configRulesUnloaded(options, io));
  // A set-aside file that could not be read may hold any id: only/skip, parameters and
  // suppressions then take an id no rule here has as one of its, all alike, and the log says why
  // (under --quiet too, as stale suppressions are: it is about the config, not the run).
  const complete = unread.length === 0;
  if (!complete) {
    const files = unread.map((u) => `${escapeTerminal(relativePath(io.cwd, u.path))} (${escapeTerminal(u.why)})`).join(', ');
    io.stderr(`trailgate: warning: the config's rules that --rules replaced could not all be read: ${files}; an id of only/skip, parameters or suppressions that no rule here has is taken as one of theirs\n`);
  }
  const all = loadRules({ builtin: options.builtinRules, paths: options.rulePaths.map((p) => resolve(io.cwd, p)), params: options.params, cwd: io.cwd, unloaded: (id) => !complete || unloadedIds.has(id) });
  if (all.length === 0 && !options.builtinRules && options.rulePaths.length === 0) throw new NoRulesError();
  const leftOut = new Set([...(options.builtinRules ? [] : builtinRuleIds()), ...unloadedIds]);
  const rules = selectCompliance(selectRules(all, options.only, options.skip, !options.builtinRules, (id) => !complete || leftOut.has(id)), options.compliance, all);
  return { rules, all, leftOut, leftOutComplete: complete };
}
