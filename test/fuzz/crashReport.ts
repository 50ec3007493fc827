/**
 * Groups fuzz failures by where they come from (operation + error type + innermost frame of our code)
 * and minimises one document per group into a readable reproducer.
 */
import { minimiseText } from './minimise';
import type { WorkerFailure } from './workerProtocol';

export interface Crash<Context> {
  signature: string;
  /** What the failing call saw besides the text (positions, settings), to replay it while minimising. */
  context: Context;
  operation: string;
  /** Index of the first fuzz case that hit it (replays with the same seed). */
  caseIndex: number;
  occurrences: number;
  stack: string;
  text: string;
}

function stackOf(error: unknown): string {
  return error instanceof Error ? (error.stack ?? `${error.name}: ${error.message}`) : String(error);
}

/** The innermost stack frame in the project's compiled code, e.g. `out/server/src/task/parse.js:120`. */
function innermostOwnFrame(stack: string): string {
  const frame = stack.split('\n').find((line) => /\/out\/server\//.test(line) || /\/dist\//.test(line));
  const match = frame?.match(/\/((?:out|dist)\/[^:)]+:\d+)/);
  return match?.[1] ?? 'unknown frame';
}

export function signatureOf(operation: string, error: unknown): string {
  const type = error instanceof Error ? error.constructor.name : typeof error;
  return `${operation}: ${type} at ${innermostOwnFrame(stackOf(error))}`;
}

export class CrashCollector<Context> {
  private readonly crashes = new Map<string, Crash<Context>>();

  /** Records one failure; only the first document per signature is kept (and later minimised). */
  add(operation: string, error: unknown, caseIndex: number, text: string, context: Context): void {
    const signature = signatureOf(operation, error);
    const known = this.crashes.get(signature);
    if (known) known.occurrences++;
    else
      this.crashes.set(signature, {
        signature,
        context,
        operation,
        caseIndex,
        occurrences: 1,
        stack: stackOf(error),
        text,
      });
  }

  /**
   * Every crash with its document minimised by `reproduces(candidate, crash)` (true when the candidate
   * text still fails with the crash's signature).
   */
  minimised(reproduces: (candidate: string, crash: Crash<Context>) => boolean, maxTries?: number): WorkerFailure[] {
    return [...this.crashes.values()].map((crash) => ({
      index: crash.caseIndex,
      signature: crash.signature,
      operation: crash.operation,
      occurrences: crash.occurrences,
      stack: crash.stack.split('\n').slice(0, 10).join('\n'),
      minimised: minimiseText(crash.text, (candidate) => reproduces(candidate, crash), maxTries),
    }));
  }
}

function abbreviate(text: string, limit = 400): string {
  return text.length <= limit ? text : `${text.slice(0, limit)}… (${text.length} characters)`;
}

/** Readable failure list for an assertion message (long documents abbreviated). */
export function formatFailures(failures: readonly WorkerFailure[]): string {
  return failures
    .map((failure) =>
      [
        `● ${failure.signature} (${failure.occurrences}×, first at document #${failure.index})`,
        `  minimised document: ${abbreviate(JSON.stringify(failure.minimised))}`,
        `  ${failure.stack.replace(/\n/g, '\n  ')}`,
      ].join('\n'),
    )
    .join('\n\n');
}
