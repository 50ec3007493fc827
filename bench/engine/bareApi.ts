/**
 * The floor: the same containers through the Engine API with nothing around them — one dockerode
 * client, the minimum create options, and per container create → attach → start → wait → remove,
 * one after another. No volumes, no network, no labels, no image check.
 */
import { performance } from 'node:perf_hooks';
import Docker from 'dockerode';

/** For the profile only: labels to find the containers' engine events by, and each call's duration. */
export interface BareProfiling {
  labels: Record<string, string>;
  /** Operation → durations in ms, one per container. */
  calls: Map<string, number[]>;
}

async function timed<T>(profiling: BareProfiling | undefined, operation: string, call: () => Promise<T>): Promise<T> {
  const start = performance.now();
  try {
    return await call();
  } finally {
    if (profiling) {
      const list = profiling.calls.get(operation) ?? [];
      list.push(performance.now() - start);
      profiling.calls.set(operation, list);
    }
  }
}

/**
 * Runs one container to its end and removes it; resolves to its exit code. `createOptions` replaces the
 * minimal create body (containerCost.ts runs the same flow with one of our steps' bodies).
 */
export async function runBare(
  docker: Docker,
  image: string,
  command: readonly string[],
  profiling?: BareProfiling,
  createOptions?: Docker.ContainerCreateOptions,
): Promise<number> {
  const container = await timed(profiling, 'create', () =>
    docker.createContainer(
      createOptions ?? {
        Image: image,
        Cmd: [...command],
        AttachStdout: true,
        AttachStderr: true,
        ...(profiling ? { Labels: profiling.labels } : {}),
      },
    ),
  );
  try {
    const output = await timed(profiling, 'attach', () =>
      container.attach({ stream: true, stdout: true, stderr: true }),
    );
    const drained = new Promise<void>((resolve, reject) => {
      output.on('error', reject);
      output.on('end', resolve);
      output.on('close', resolve);
      output.resume();
    });
    await timed(profiling, 'start', () => container.start());
    // `not-running` (the default) answers at once when the container has already exited: no race with start.
    const exit = (await timed(profiling, 'wait', () => container.wait())) as { StatusCode: number };
    await drained;
    return exit.StatusCode;
  } finally {
    await timed(profiling, 'remove', () => container.remove({ force: true }));
  }
}

/** `commands` one after another; resolves to the wall time in ms. Throws when a container fails. */
export async function runBareSequence(
  docker: Docker,
  image: string,
  commands: readonly (readonly string[])[],
  profiling?: BareProfiling,
): Promise<number> {
  const start = performance.now();
  for (const command of commands) {
    const code = await runBare(docker, image, command, profiling);
    if (code !== 0) throw new Error(`bare API: ${command.join(' ')} exited ${code}`);
  }
  return performance.now() - start;
}
