/**
 * Shared pieces of the DockerodeRuntime integration tests: a runtime connected to a harness engine
 * through our own endpoint resolution, unique run ids, and container specs with defaults.
 */
import { randomBytes } from 'node:crypto';
import { homedir } from 'node:os';

import { DockerodeRuntime } from '../../../server/src/engine/DockerodeRuntime';
import { RUN_ID_LABEL, type ContainerSpec } from '../../../server/src/engine/ContainerRuntime';
import { readFileIfExists, resolveDockerEndpoint } from '../../../server/src/engine/dockerEndpoint';
import { BUSYBOX_IMAGE, type DockerEnv } from '../setup';

/** Resolves the engine from the harness's environment variables, exactly as the product would. */
export async function runtimeFor(env: DockerEnv): Promise<DockerodeRuntime> {
  const endpoint = await resolveDockerEndpoint(
    {},
    { env: env.processEnv, homeDir: homedir(), readFile: readFileIfExists },
  );
  return new DockerodeRuntime({ endpoint });
}

/** A fresh run id and its labels. */
export function newRun(): { runId: string; labels: Record<string, string> } {
  const runId = `it-${randomBytes(5).toString('hex')}`;
  return { runId, labels: { [RUN_ID_LABEL]: runId } };
}

export function spec(overrides: Partial<ContainerSpec> & Pick<ContainerSpec, 'name' | 'args'>): ContainerSpec {
  return {
    image: BUSYBOX_IMAGE,
    env: [],
    privileged: false,
    networkAliases: [],
    ports: [],
    expose: [],
    binds: [],
    autoRemove: true,
    labels: {},
    ...overrides,
  };
}

/** A signal for one test step (generous: a loaded CI machine can be slow). */
export function testSignal(): AbortSignal {
  return AbortSignal.timeout(90_000);
}

/** Collects output per stream. */
export function outputCollector(): {
  onOutput: (stream: 'stdout' | 'stderr', chunk: Buffer) => void;
  text: { stdout: string; stderr: string };
} {
  const text = { stdout: '', stderr: '' };
  return { text, onOutput: (stream, chunk) => (text[stream] += chunk.toString('utf8')) };
}

/** Removes everything a run labelled (test cleanup; the product's own cleanup is tested separately). */
export async function removeRunResources(runtime: DockerodeRuntime, runId: string): Promise<void> {
  const signal = testSignal();
  const resources = await runtime.listRunResources(runId, signal);
  for (const name of resources.containers) await runtime.removeContainer(name, signal);
  for (const name of resources.networks) await runtime.removeNetwork(name, signal);
  for (const name of resources.volumes) await runtime.removeVolume(name, signal);
}
