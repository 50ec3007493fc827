/** What a step runner needs from its run. */
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
