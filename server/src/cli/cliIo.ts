/** What a CLI command gets from the process, injected so tests can run commands in-process. */
export interface CliIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Aborted on Ctrl+C. */
  signal: AbortSignal;
  /** Aborted on a second Ctrl+C, for commands that stop in two stages (`watch`: finish runs, then cancel them). */
  interrupted?: AbortSignal;
}

/** A user error: printed as one clear line (no stack trace), exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}
