/**
 * What compiling one rule file needs, shared by compile-rule.ts and the checks of its messages
 * (message-templates.ts): the rule as written, its parameters and declared reads, and how to
 * refuse it at a line and column of its file.
 */
import type { Ajv } from 'ajv';
import { InputError } from '../errors.ts';
import type { ParsedDocument } from '../input/document.ts';
import type { ParameterSpec, RuleBody, RuleMeta } from './types.ts';

/** The assertions a rule may make, one of them. */
export const ASSERTIONS = ['check', 'some', 'every', 'none', 'count', 'builtin'] as const;

/** An InputError at the place of `pointer` in a rule file: its value, or (key) the key that holds it. */
export function located(doc: ParsedDocument, file: string, pointer: string, message: string, key = false): InputError {
  const pos = doc.locate(pointer, key);
  return new InputError(message, { file, line: pos.line, column: pos.column, pointer });
}

/** A rule file as written, after schema validation. */
export type RawRule = Omit<RuleMeta, 'tags' | 'references' | 'compliance' | 'source' | 'builtin'> &
  Omit<RuleBody, 'parameters'> & {
    tags?: string[];
    references?: string[];
    compliance?: Record<string, string[]>;
    parameters?: Record<string, ParameterSpec>;
  };

/** Refuses a rule file at a pointer: at its value, or (failAtKey) at the key that holds it. */
export type Fail = (pointer: string, message: string) => never;

/** What compiling the parts of one rule file needs: the rule as written, its parameters, and how to refuse it. */
export interface RuleContext {
  raw: RawRule;
  params: Record<string, unknown>;
  /** The reads the rule declares. */
  declared: ReadonlySet<string>;
  /** Whether the config file sets this parameter of the rule. */
  fromConfig: (param: string) => boolean;
  ajv: () => Ajv;
  fail: Fail;
  failAtKey: Fail;
}
