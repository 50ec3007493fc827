/** What a step runner needs from its run. */
import type { Readable } from 'node:stream';

import type { DependencyRecord } from '../../task/dependencyScan';
import type { Task } from '../../task/model';
import type { ContainerRuntime, RegistryAuth } from '../ContainerRuntime';
import type { RunEvents } from '../run/runEvents';
import type { Timing } from '../run/timing';
import type { RunResourceNames, StepEnvironment } from './stepPlan';

export interface StepContext {
  task: Task;
  runtime: ContainerRuntime;
  names: RunResourceNames;
  environment: StepEnvironment;
  timing: Timing;
  events: RunEvents;
  /** Credentials for the registry of an image (or a registry host), if any are known. */
  registryAuthFor(imageOrRegistry: string, signal: AbortSignal): Promise<RegistryAuth | undefined>;
  /** Every credential of the run (for base images of builds). */
  registryAuths: readonly RegistryAuth[];
  /** `$Commit`, recorded in dependency records. */
  gitCommit: string;
  recordDependencies(stepId: string, records: DependencyRecord[]): void;
  /** Set for quick builds: build steps read their context from here, not from the workspace volume. */
  directBuildContext?: DirectBuildContext;
}

/**
 * A build context taken from disk (or fetched) instead of the workspace volume: how `az acr build`
 * sends its source to the build. Its packing rules are its own; the build string's context and `-f`
 * only name it.
 */
export interface DirectBuildContext {
  /** Makes the context available (clones or downloads a remote one); progress goes to the step's output. */
  prepare(signal: AbortSignal, output: (text: string) => void): Promise<void>;
  /** The Dockerfile's text, for the dependency scan. */
  readDockerfile(): Promise<Buffer>;
  /** A fresh tar of the context for one build attempt; `done` settles when it has been produced. */
  pack(): Promise<{ stream: Readable; dockerfileInTar: string; done: Promise<unknown> }>;
}

/** How a step ended, before `ignoreErrors` is applied. */
export interface StepOutcome {
  status: 'succeeded' | 'failed' | 'timedOut' | 'cancelled';
  exitCode?: number;
  error?: string;
  digest?: string;
}

/** One-line text of anything thrown by the runtime. */
export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
