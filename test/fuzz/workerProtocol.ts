/**
 * Messages between the fuzz tests (parent) and the child process that runs the language service
 * (serviceWorker.ts). The service runs in a child because some inputs end the whole process, not
 * just the call: V8 aborts with "FATAL ERROR: RegExpCompiler Allocation failed" when a regular
 * expression is compiled near the stack limit, which deeply nested YAML reaches. In the mocha
 * process that would lose every test result; in a child it becomes one reported failure.
 */

export type WorkerJob =
  | { kind: 'fuzz'; seed: number; from: number; count: number }
  /** `texts[from]` up to (not including) `to`, default all. */
  | { kind: 'texts'; texts: string[]; from: number; to?: number };

export interface WorkerFailure {
  index: number;
  signature: string;
  operation: string;
  occurrences: number;
  stack: string;
  /** The document, shrunk while it still fails the same way. */
  minimised: string;
}

export type WorkerMessage =
  /** Sent before each document, so the parent knows which one was running if the child dies or hangs. */
  | { type: 'start'; index: number }
  | { type: 'finished'; index: number; ms: number }
  | { type: 'failure'; failure: WorkerFailure }
  | { type: 'done'; documents: number; characters: number; seconds: number }
  /** Last message: everything before it has been written. */
  | { type: 'flushed' };
