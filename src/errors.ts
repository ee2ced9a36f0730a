/**
 * The typed errors trailgate raises. The CLI maps each class to an exit code in one table
 * (src/cli/exit.ts); nothing else decides how the process ends.
 */

/** Where in an input file a problem is. */
export interface InputPosition {
  file: string;
  line?: number;
  column?: number;
  /** JSON pointer, when the problem is about a value. */
  pointer?: string;
}

/** Bad input: a flag, a rule file, a config file or an inventory. Exit code 2. */
export class InputError extends Error {
  override readonly name = 'InputError';
  constructor(
    message: string,
    readonly position?: InputPosition,
  ) {
    super(message);
  }

  /** `file:line:column: message` (or `file: message`), the form editors and CI logs link. */
  describe(): string {
    const p = this.position;
    if (!p) return this.message;
    let where = p.file;
    if (p.line !== undefined) where += `:${p.line}`;
    if (p.line !== undefined && p.column !== undefined) where += `:${p.column}`;
    // A pointer through a crafted key can be megabytes long: its start is enough beside the line and column.
    const shown = p.pointer !== undefined && p.pointer.length > 200 ? `${clipAt(p.pointer, 197)}...` : p.pointer;
    const pointer = shown !== undefined && shown !== '' ? ` (at ${shown})` : '';
    return `${where}: ${this.message}${pointer}`;
  }

  /** The lines that tell the error: one, unless it gathers several problems (InputProblems). */
  describeAll(): string[] {
    return [this.describe()];
  }
}

/**
 * Several independent problems of one file, told together so that one edit fixes them all: the
 * error's own message and position are the first in the file's order. Exit code 2, as any.
 */
export class InputProblems extends InputError {
  constructor(
    /** In the file's order, at most as many as are shown; one at least. */
    readonly problems: readonly [InputError, ...InputError[]],
    /** Problems found beyond those. */
    readonly more: number,
  ) {
    super(problems[0].message, problems[0].position);
  }

  /** Each problem on a line of its own, then how many more there are. */
  override describeAll(): string[] {
    const lines = this.problems.map((p) => p.describe());
    if (this.more > 0) lines.push(`${this.position?.file ?? 'the file'}: ${this.more} more problem${this.more === 1 ? '' : 's'} not shown`);
    return lines;
  }
}

/** One error for a file's problems: the problem itself when it is alone, else InputProblems in the file's order. */
export function gathered(problems: readonly InputError[], more: number): InputError {
  if (problems.length === 1 && more === 0) return problems[0]!;
  const [first, ...rest] = inFileOrder(problems);
  if (first === undefined) throw new Error('gathered needs at least one problem');
  return new InputProblems([first, ...rest], more);
}

/** A file's problems by line, then column (a stable sort: those at one place keep their order). */
export function inFileOrder(problems: readonly InputError[]): InputError[] {
  const at = (e: InputError): [number, number] => [e.position?.line ?? 0, e.position?.column ?? 0];
  return [...problems].sort((a, b) => at(a)[0] - at(b)[0] || at(a)[1] - at(b)[1]);
}

/**
 * A parse error of a file whose role the reader cannot tell from its name (`--baseline x.json`,
 * `--config ci.yml`), told with that role: `invalid JSON in the baseline: ...`. Other errors pass
 * through unchanged.
 */
export function asPartOf(e: unknown, role: string): unknown {
  if (!(e instanceof InputError) || e.constructor !== InputError) return e;
  const told = e.message.replace(/^invalid (JSON|YAML): /, `invalid $1 in the ${role}: `);
  return told === e.message ? e : new InputError(told, e.position);
}

/**
 * A rule file that a value the config file gives one of its parameters makes invalid: located in
 * the rule file, where the value is used; the config file's entry is where to fix it, and
 * config/apply.ts shows it there when the run has the config at hand.
 */
export class ConfigParameterError extends InputError {
  constructor(
    message: string,
    position: InputPosition | undefined,
    readonly ruleId: string,
    readonly param: string,
  ) {
    super(message, position);
  }
}

/**
 * A file a flag names that cannot be read as named: missing, a directory, unreadable (`flag`, and
 * `index` among the values of a repeatable one). When the value came from the config file's key
 * for that flag, the problem is shown at that entry of the file (config/apply.ts), where the
 * mistake is to be fixed, not at a file that does not exist.
 */
export class PathArgumentError extends InputError {
  constructor(
    message: string,
    readonly shown: string,
    readonly flag: string,
    readonly index?: number,
  ) {
    super(message, { file: shown });
  }
}

/**
 * Why a file could not be read or written, in words (`ENOENT` means nothing to most readers);
 * `kind` names what was expected where a directory stands ("an inventory file").
 */
export function fileProblem(e: unknown, kind: string): string {
  const code = (e as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ENOENT':
      return 'no such file or directory';
    case 'EISDIR':
      return `is a directory, not ${kind}`;
    case 'ENOTDIR':
      return 'a part of the path is a file, not a directory';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ELOOP':
      return 'too many levels of symbolic links';
    case 'ENAMETOOLONG':
      return 'the name is too long for the file system';
    case 'ENOSPC':
      return 'no space left on the device';
    case 'EROFS':
      return 'the file system is read-only';
    case 'ERR_INVALID_ARG_VALUE':
      // Node refuses a path with a NUL byte before asking the system (a config file can hold one).
      return 'the name holds a NUL character, which no file name can';
    case 'ENXIO':
      // a socket, or a FIFO opened for writing with no reader
      return 'nothing at the other end: it is not a file, and no process is reading or writing it';
    default:
      return code ?? (e as Error).message;
  }
}

/** Live collection could not start at all (no credentials, no organization access). Exit code 2. */
export class CollectionError extends Error {
  override readonly name = 'CollectionError';
}

/**
 * The first `length` UTF-16 units of `text`, one fewer when the cut would split a character
 * outside the Basic Multilingual Plane (an emoji): half of its pair is no character, and was
 * shown as \ud83d.
 */
export function clipAt(text: string, length: number): string {
  const code = text.charCodeAt(length - 1);
  return text.slice(0, code >= 0xd800 && code <= 0xdbff ? length - 1 : length);
}
