/** What a command may touch of the outside world; tests pass their own. */
export interface CliIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  env: NodeJS.ProcessEnv;
  cwd: string;
  isTTY: boolean;
  /**
   * Resolves when a long-running command (serve) should stop. In the real process it never
   * does: Ctrl-C ends the process, and the Meilisearch release handlers clean up first.
   */
  untilStopped: () => Promise<void>;
}

export function processIo(): CliIo {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    cwd: process.cwd(),
    isTTY: Boolean(process.stdout.isTTY),
    untilStopped: () => new Promise(() => undefined),
  };
}
