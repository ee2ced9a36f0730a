/** What every reporter receives: the run's results and the rules' documentation, nothing of the engine. */
import type { Result } from '../engine/result.ts';
import type { SuppressionNotes } from '../engine/suppress.ts';
import type { RuleMeta } from '../rules/types.ts';

export interface ReportInput {
  tool: { name: string; version: string; informationUri: string };
  /** The rules that ran, sorted by id. */
  rules: RuleMeta[];
  /** Every result, sorted with sortResults (rule id, account, region, resource). */
  results: Result[];
  /** The run's one recorded start time (ISO 8601, UTC); tests fix it. */
  startTime: string;
  /** The inventory files scanned (relative paths), or [] for a live scan. */
  inputs: string[];
  /** The lowest severity whose violations fail the run, or `never`. */
  failOn: string;
  /**
   * The config file whose `failOn` key set `failOn`, when no `--fail-on` did: the sentence that
   * explains `never` then names that key, not a flag nobody typed.
   */
  failOnSource?: string;
  /**
   * Without failOnSource, the words that say a flag set `never`, as the caller names it: the
   * GitHub Action passes its `fail-on` input as `--fail-on`, a flag the workflow never wrote.
   * Default `--fail-on never`.
   */
  failOnFlag?: string;
  /** The exit code the run will end with (0, 1 or 3); reports may state it. */
  exitCode: number;
  /** Accounts scanned (an account a selection of rules says nothing of counts too); else those in the results. */
  accountCount?: number;
  /** Suppressions that expired or match nothing, when the config has any. */
  suppressionNotes?: SuppressionNotes;
}

/**
 * Where an inventory file, as results' locations name it (relative to the working directory), is
 * in the repository GitHub reads paths from: a path from the repository root, or undefined when
 * the file is not in the repository. Given to the `github` and `sarif` reports inside GitHub
 * Actions only.
 */
export type RepositoryPath = (file: string) => string | undefined;

/** A reporter: a pure function from the run to the text of one report. */
export type Reporter = (input: ReportInput) => string;
