/**
 * Where a step's time goes, container by container, with load drift cancelled out: four ways of running
 * the same `true` container alternate one container at a time —
 *   minimal   the bare API floor (bareApi.ts: no volumes, default bridge, explicit remove);
 *   network   the same with only the run's network and the step's alias (the part of ACR's
 *             configuration that turned out to cost the engine time);
 *   acrConfig the bare API (same calls, explicit remove) with the create body of one of our steps
 *             (planCmdStep → containerCreateBody: workspace, home and docker-socket binds, the run's
 *             network with the step's alias, labels, HOME) — what ACR's semantics cost the engine;
 *   runtime   DockerodeRuntime.runContainer with that step's spec (attach + wait before start, wait
 *             until AutoRemove has removed it) — what our client adds on top.
 * The step's resources come from the engine's own setUpRun and are removed by cleanUpRun.
 */
import { performance } from 'node:perf_hooks';
import type Docker from 'dockerode';

import type { DockerodeRuntime } from '../../server/src/engine/DockerodeRuntime';
import { containerCreateBody } from '../../server/src/engine/docker/containerConfig';
import { loadTaskForRun } from '../../server/src/engine/run/loadForRun';
import { cleanUpRun } from '../../server/src/engine/run/runCleanup';
import { RunEvents } from '../../server/src/engine/run/runEvents';
import { runResourceNames, setUpRun, workspaceVolumeName } from '../../server/src/engine/run/runSetup';
import { buildRunVariables } from '../../server/src/engine/run/runVariables';
import { SecretMasker } from '../../server/src/engine/secrets/masker';
import { planCmdStep } from '../../server/src/engine/steps/stepPlan';
import { runBare } from './bareApi';
import { IMAGE } from './scenarios';
import { maximum, median, minimum } from './stats';
import { benchRunId } from './variants';

export interface ContainerCost {
  containers: number;
  /** Median ms per container, start of its first call → its last call answered. */
  minimalMs: number;
  networkOnlyMs: number;
  acrConfigMs: number;
  runtimeMs: number;
  /** Paired (same triple) differences: median, min, max. */
  configCost: { median: number; min: number; max: number };
  /** The run's network (with the step's alias) alone − minimal. */
  networkCost: { median: number; min: number; max: number };
  clientCost: { median: number; min: number; max: number };
}

const spread = (values: readonly number[]) => ({ median: median(values), min: minimum(values), max: maximum(values) });

async function timed(run: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await run();
  return performance.now() - start;
}

/** `triples` × (minimal, network only, ACR config, our runtime), alternating; the task is the chain's. */
export async function measureContainerCost(
  runtime: DockerodeRuntime,
  docker: Docker,
  taskText: string,
  contextDir: string,
  triples: number,
): Promise<ContainerCost> {
  const signal = AbortSignal.timeout(10 * 60_000);
  const runId = benchRunId();
  const engine = await runtime.info(signal);
  const run = buildRunVariables({
    runId,
    startedAt: new Date(),
    os: engine.os,
    architecture: engine.architecture,
    sharedVolume: workspaceVolumeName(runId),
  });
  const loaded = await loadTaskForRun({ taskFile: 'acr-task.yaml', text: taskText, run, signal });
  if (!loaded.ok) throw new Error(`the chain task does not load: ${loaded.errors.join('; ')}`);
  const names = runResourceNames(loaded.task, runId, engine);
  const events = new RunEvents(runId, new SecretMasker([]), () => undefined);
  const step = loaded.task.steps[0];
  const plan = planCmdStep(loaded.task, step, names, { runnerEnv: {}, cliEnv: [] });
  if (!plan.ok) throw new Error(plan.error);
  const samples = {
    minimal: [] as number[],
    networkOnly: [] as number[],
    acrConfig: [] as number[],
    runtime: [] as number[],
  };
  try {
    await setUpRun({ runtime, task: loaded.task, names, contextDir, registryLogins: [], events, signal });
    for (let index = 0; index < triples; index++) {
      const spec = (variant: string) => ({ ...plan.spec, name: `${plan.spec.name}_${variant}${index}` });
      // The bare flow removes explicitly, like the minimal one: only the configuration differs.
      const body = containerCreateBody({ ...spec('c'), autoRemove: false }, { attach: true });
      const network = body.HostConfig.NetworkMode;
      const runs: Record<keyof typeof samples, () => Promise<unknown>> = {
        minimal: () => runBare(docker, IMAGE, ['true']),
        networkOnly: () =>
          runBare(docker, IMAGE, ['true'], undefined, {
            Image: IMAGE,
            Cmd: ['true'],
            AttachStdout: true,
            AttachStderr: true,
            HostConfig: { NetworkMode: network },
            ...(body.NetworkingConfig ? { NetworkingConfig: body.NetworkingConfig } : {}),
          }),
        acrConfig: () => runBare(docker, IMAGE, ['true'], undefined, body),
        runtime: async () => {
          const result = await runtime.runContainer(spec('r'), { signal, detach: false, onOutput: () => undefined });
          if (result.exitCode !== 0) throw new Error(`exit ${String(result.exitCode)}`);
        },
      };
      // Rotate which goes first, so none always follows the same neighbour.
      const order = (['minimal', 'networkOnly', 'acrConfig', 'runtime'] as const).map(
        (_, k, all) => all[(k + index) % all.length],
      );
      for (const variant of order) samples[variant].push(await timed(runs[variant]));
    }
  } finally {
    await cleanUpRun(runtime, runId, events);
  }
  return {
    containers: triples,
    minimalMs: median(samples.minimal),
    networkOnlyMs: median(samples.networkOnly),
    acrConfigMs: median(samples.acrConfig),
    runtimeMs: median(samples.runtime),
    configCost: spread(samples.acrConfig.map((value, index) => value - samples.minimal[index])),
    networkCost: spread(samples.networkOnly.map((value, index) => value - samples.minimal[index])),
    clientCost: spread(samples.runtime.map((value, index) => value - samples.acrConfig[index])),
  };
}
