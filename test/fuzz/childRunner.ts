/**
 * Runs a fuzz job in a child process (serviceWorker.js) and survives it: a document that kills the
 * process (a V8 fatal error) or runs longer than the hang limit is recorded against its index, and a
 * fresh child carries on with the next document, so one bad input never hides the rest.
 */
import { fork } from 'node:child_process';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { CHILD_NODE_ARGS } from './settings';
import type { WorkerFailure, WorkerJob, WorkerMessage } from './workerProtocol';

export interface FatalDocument {
  index: number;
  /** `exit code 134: FATAL ERROR: …`, or `no answer for N ms` for a hang. */
  reason: string;
}

export interface ChildRunResult {
  failures: WorkerFailure[];
  fatal: FatalDocument[];
  /** Milliseconds per finished document, by index. */
  durations: Map<number, number>;
  characters: number;
  seconds: number;
}

const WORKER = join(__dirname, 'serviceWorker.js');

function jobFrom(job: WorkerJob, from: number): WorkerJob {
  return { ...job, from };
}

/** Runs one child from `job.from` until it ends; resolves with where it stopped and why. */
function runChild(job: WorkerJob, hangMs: number, result: ChildRunResult): Promise<{ next: number; done: boolean }> {
  return new Promise((resolve) => {
    const child = fork(WORKER, [], { stdio: ['ignore', 'inherit', 'pipe', 'ipc'], execArgv: CHILD_NODE_ARGS });
    const stderr: string[] = [];
    child.stderr!.on('data', (chunk: Buffer) => stderr.push(chunk.toString()));
    let current = job.from;
    let done = false;
    let hung = false;
    let watchdog: NodeJS.Timeout | undefined;
    const rearm = () => {
      clearTimeout(watchdog);
      watchdog = setTimeout(() => {
        hung = true;
        child.kill('SIGKILL');
      }, hangMs);
    };
    child.on('message', (message: WorkerMessage) => {
      rearm();
      if (message.type === 'start') current = message.index;
      else if (message.type === 'finished') result.durations.set(message.index, message.ms);
      else if (message.type === 'failure') result.failures.push(message.failure);
      else if (message.type === 'done') {
        done = true;
        result.characters += message.characters;
      }
    });
    child.on('exit', (code, signal) => {
      clearTimeout(watchdog);
      if (done) return resolve({ next: current + 1, done: true });
      const fatalLine = stderr
        .join('')
        .split('\n')
        .find((line) => /FATAL|Error/.test(line));
      const reason = hung
        ? `no answer for ${hangMs} ms`
        : `exit ${signal ?? `code ${code}`}${fatalLine ? `: ${fatalLine.trim()}` : ''}`;
      result.fatal.push({ index: current, reason });
      resolve({ next: current + 1, done: false });
    });
    rearm();
    child.send(job);
  });
}

/** Runs `job` over `total` documents (restarting after fatal ones) and collects everything reported. */
export async function runInChild(job: WorkerJob, total: number, hangMs: number): Promise<ChildRunResult> {
  const result: ChildRunResult = { failures: [], fatal: [], durations: new Map(), characters: 0, seconds: 0 };
  const started = performance.now();
  let from = job.from;
  while (from < total) {
    const { next, done } = await runChild(jobFrom(job, from), hangMs, result);
    if (done) break;
    from = next;
  }
  result.seconds = (performance.now() - started) / 1000;
  return result;
}

/**
 * Each text in a fresh child process, as a freshly started server would see it: whether deep input
 * exhausts the stack must not depend on what an earlier document left compiled.
 */
export async function runEachInFreshChild(texts: string[], hangMs: number): Promise<ChildRunResult> {
  const result: ChildRunResult = { failures: [], fatal: [], durations: new Map(), characters: 0, seconds: 0 };
  const started = performance.now();
  for (let index = 0; index < texts.length; index++)
    await runChild({ kind: 'texts', texts, from: index, to: index + 1 }, hangMs, result);
  result.seconds = (performance.now() - started) / 1000;
  return result;
}
