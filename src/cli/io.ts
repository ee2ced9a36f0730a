/** What the CLI may touch of the outside world, passed in so tests can run it in-process. */
export interface Io {
  stdout(text: string): void;
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
}
