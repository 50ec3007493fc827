/**
 * The run variables and the loaded task of a run, the same for a real run and a dry run (`--dry-run`
 * must show exactly what the run would do): git facts of the context (overridable, as a trigger that
 * already knows the commit does), `$Registry`, extra variables, then the task loaded with them.
 */
import type { RunVariables } from '../../task/model';
import type { EngineInfo } from '../ContainerRuntime';
import { loadTaskForRun, type LoadForRunInput, type LoadForRunResult } from './loadForRun';
import { workspaceVolumeName } from './runSetup';
import { buildRunVariables, gitRevision } from './runVariables';

/** What the user gave for the run that shapes how the task resolves. */
export interface RunInputs {
  taskFile: string;
  taskText: string;
  contextDir: string;
  registry?: string;
  /** Variables given with the run; `Commit`/`Branch` win over the context's git checkout. */
  runVariables?: Partial<RunVariables>;
  values?: LoadForRunInput['values'];
  set?: LoadForRunInput['set'];
  secrets?: LoadForRunInput['secrets'];
  keyVault?: LoadForRunInput['keyVault'];
  readAliasSource?: LoadForRunInput['readAliasSource'];
  templateEnv?: LoadForRunInput['templateEnv'];
}

export interface RunFacts {
  runId: string;
  startedAt: Date;
  engine: Pick<EngineInfo, 'os' | 'architecture'>;
  signal: AbortSignal;
  missingSecrets?: LoadForRunInput['missingSecrets'];
}

export async function resolveRun(
  inputs: RunInputs,
  facts: RunFacts,
): Promise<{ runVariables: RunVariables; loaded: LoadForRunResult }> {
  const checkout = await gitRevision(inputs.contextDir, facts.signal);
  const runVariables = buildRunVariables({
    runId: facts.runId,
    startedAt: facts.startedAt,
    os: facts.engine.os,
    architecture: facts.engine.architecture,
    sharedVolume: workspaceVolumeName(facts.runId),
    commit: inputs.runVariables?.Commit || checkout.commit,
    branch: inputs.runVariables?.Branch || checkout.branch,
    ...(inputs.registry ? { registry: inputs.registry } : {}),
    ...(inputs.runVariables ? { extra: inputs.runVariables } : {}),
  });
  const loaded = await loadTaskForRun({
    taskFile: inputs.taskFile,
    text: inputs.taskText,
    run: runVariables,
    signal: facts.signal,
    ...(facts.missingSecrets ? { missingSecrets: facts.missingSecrets } : {}),
    ...definedOnly(inputs, ['values', 'set', 'secrets', 'keyVault', 'readAliasSource', 'templateEnv']),
  });
  return { runVariables, loaded };
}

function definedOnly<T extends object, K extends keyof T>(source: T, keys: readonly K[]): Partial<Pick<T, K>> {
  const out: Partial<Pick<T, K>> = {};
  for (const key of keys) if (source[key] !== undefined) out[key] = source[key];
  return out;
}
