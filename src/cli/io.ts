/** What the CLI may touch of the outside world, passed in so tests can run it in-process. */
export interface Io {
  stdout(text: string): void;
  /**
   * Resolves once standard output can take more: at once for a file or a terminal, when the reader
   * has caught up for a pipe, so a large report waits for a slow reader instead of piling up in
   * memory. False once writing to standard output has failed (the reader closed the pipe, a full
   * disk): the rest of a report is then not worth making, and the entry point, which owns
   * standard output, says so and exits 2. Optional: without it every write counts as taken.
   */
  stdoutReady?(): Promise<boolean>;
  /**
   * Resolves once every write to standard output so far has completed: false when one failed
   * (the reader of a pipe is gone). Optional: a caller without it is taken to have written all.
   */
  stdoutFlushed?(): Promise<boolean>;
  stderr(text: string): void;
  /** Standard input, read whole (for `--snapshot -`). */
  readStdin(): string;
  cwd: string;
  env: Record<string, string | undefined>;
  /** Whether stdout and stderr are terminals (colour and live progress only then). */
  stdoutIsTTY: boolean;
  stderrIsTTY: boolean;
  /** The width of the terminal stderr is, when it is one (COLUMNS is rarely exported, so the env cannot tell). */
  stderrColumns?: number;
  /** The one clock; tests fix it. */
  now(): Date;
  /**
   * Asks for a full garbage collection now, at a phase boundary where much became garbage at once
   * (the inventory, once judged). Optional: without it the runtime collects when it likes, later.
   */
  releaseMemory?(): void;
  /**
   * Told the results' counts by status once a scan has judged every result, before any report is
   * written: for a caller that needs them (the GitHub Action's outputs) without reading a report
   * back, which may be megabytes, or gone to a device. Optional.
   */
  judged?(counts: Record<'pass' | 'fail' | 'error' | 'skipped', number>): void;
  /** Told what a judged run could not write (and so ends 2 for), after trying every report. Optional. */
  unwritten?(what: { snapshot: boolean; reports: number }): void;
  /**
   * Told each error message the run ends on (an input that stops it, a report that could not be
   * written, a crash), as it also goes to stderr: for a caller that shows the errors apart from
   * the progress and warnings around them (the GitHub Action's annotation), with the error itself
   * when it is one the run stopped on (the Action places a file's mistakes at their lines). Optional.
   */
  failed?(message: string, error?: unknown): void;
  /**
   * Error annotations the caller writes after the run's own when it fails (the GitHub Action's):
   * the `github` report leaves that many of GitHub's 10 per step free. Optional.
   */
  reservedErrorAnnotations?: number;
  /**
   * How reports say that a flag set `--fail-on never`, for a caller that passes its own setting
   * as the flag (the GitHub Action's `fail-on` input). Optional: `--fail-on never`.
   */
  failOnFlag?: string;
  /**
   * Set by a caller that gives the run no standard input (the GitHub Action), to say so: an
   * inventory named `-` or `/dev/stdin` is then refused, "standard input, which NO_STDIN". Optional.
   */
  noStdin?: string;
}

/** An error the run ends on: written to stderr, and told to a caller that asked (Io.failed). */
export function fail(io: Io, message: string, error?: unknown): void {
  io.stderr(`${message}\n`);
  io.failed?.(message, error);
}
