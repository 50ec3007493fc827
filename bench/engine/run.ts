/**
 * `npm run bench:engine` (after `npm run build`): our run engine beside the docker CLI and the bare
 * Engine API, in one process on the same engine, for the two workloads of issue 3 (see scenarios.ts).
 * Variants are interleaved round by round (their order rotating), so load on the machine affects all
 * alike; each figure is the median of the rounds. Then a few profiled runs say where our time goes.
 * Prints the tables and writes bench/engine/RESULTS.md.
 *
 * The engine and the base image come from the integration-test harness (it uses the engine that
 * answers at DOCKER_HOST or /var/run/docker.sock, or starts dockerd; it makes `acrtest/busybox:1` from
 * busybox-static). Options: --runs=N (default 5), --steps=N (default 20), --profile-runs=N (default 3),
 * --cost-triples=N (containers of each kind in the per-container decomposition, default 20),
 * --no-cli (skip the `node dist/cli.js` rows), --no-write (print only), --only=a|b (one scenario, printed only),
 * --baseline=DIR (also run another build's engine, DIR/server/src/engine/…, e.g. the out/ of an older
 * commit, and compare it with ours round by round; --baseline-commit=SHA names it in the results).
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Docker from 'dockerode';

import { DockerodeRuntime } from '../../server/src/engine/DockerodeRuntime';
import type { runTask } from '../../server/src/engine/run/runTask';
import { runBareSequence } from './bareApi';
import { measureContainerCost } from './containerCost';
import { machineFacts, type MachineFacts } from './machine';
import { profileScenario, type ScenarioProfile } from './profileRuns';
import {
  baselineComparison,
  chainTargets,
  dagTargets,
  targetTable,
  variantTable,
  type ScenarioSamples,
  type VariantName,
} from './report';
import { containerCostTable, profileText, writeResults } from './results';
import { acrCliScriptOf, chainScenario, dagScenario, IMAGE, type Scenario } from './scenarios';
import { benchRunId, runDockerCli, runOursCli, runOursInProcess } from './variants';

const REPO = resolve(__dirname, '../../..');
const CLI = join(REPO, 'dist/cli.js');
const HARNESS = join(REPO, 'out/test/integration/setup/index.js');
const RESULTS = join(REPO, 'bench/engine/RESULTS.md');

/** The part of the integration-test harness the benchmark uses (bench/ does not compile against test/). */
interface Harness {
  getDocker(): Promise<{
    dockerodeOptions: Docker.DockerOptions;
    dockerHost: string;
    processEnv: Record<string, string>;
  }>;
  releaseAll(): Promise<void>;
}

function option(name: string, fallback: number): number {
  const given = process.argv.find((arg) => arg.startsWith(`--${name}=`));
  const value = given ? Number(given.slice(name.length + 3)) : fallback;
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} must be a whole number ≥ 1`);
  return value;
}

interface Prepared {
  scenario: Scenario;
  contextDir: string;
  taskFile: string;
  samples: ScenarioSamples;
}

function prepare(scenario: Scenario, workDir: string, key: string): Prepared {
  const contextDir = join(workDir, key);
  mkdirSync(contextDir);
  const taskFile = join(contextDir, 'acr-task.yaml');
  writeFileSync(taskFile, scenario.taskText);
  return {
    scenario,
    contextDir,
    taskFile,
    samples: { name: scenario.name, steps: scenario.commands.length, totals: {}, ours: [], baseline: [] },
  };
}

/** `--baseline=DIR`: another build's compiled engine (DIR holds its out/server/src), run as one more variant. */
interface Baseline {
  /** The directory, and the commit given with `--baseline-commit=`. */
  label: string;
  runTask: typeof runTask;
  DockerodeRuntime: typeof DockerodeRuntime;
}

function loadBaseline(): Baseline | undefined {
  const dir = process.argv.find((arg) => arg.startsWith('--baseline='))?.slice('--baseline='.length);
  if (dir === undefined) return undefined;
  const engineDir = join(resolve(dir), 'server/src/engine');
  /* eslint-disable @typescript-eslint/no-require-imports -- a build chosen at run time */
  const commit = process.argv.find((arg) => arg.startsWith('--baseline-commit='))?.slice('--baseline-commit='.length);
  return {
    label: `\`${dir}\`${commit ? ` (commit ${commit})` : ''}`,
    runTask: (require(join(engineDir, 'run/runTask.js')) as { runTask: typeof runTask }).runTask,
    DockerodeRuntime: (require(join(engineDir, 'DockerodeRuntime.js')) as { DockerodeRuntime: typeof DockerodeRuntime })
      .DockerodeRuntime,
  };
  /* eslint-enable @typescript-eslint/no-require-imports */
}

/**
 * Ctrl+C: our run in progress is cancelled (the engine removes what it made), no new sample starts, and
 * the harness gives its engine lease back. A `docker run` or bare container in progress finishes first.
 */
const interrupted = new AbortController();
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  // `on`, not `once`: the harness's file locks (signal-exit) re-raise a signal nobody else listens to,
  // which would kill the process before the cleanup. A second signal stops at once.
  process.on(signal, () => {
    if (interrupted.signal.aborted) process.exit(signal === 'SIGINT' ? 130 : 143);
    console.error(`${signal}: stopping after cleaning up the sample in progress…`);
    interrupted.abort(new Error(`interrupted (${signal})`));
  });
}

async function main(): Promise<void> {
  const runs = option('runs', 5);
  const steps = option('steps', 20);
  const profileRuns = option('profile-runs', 3);
  const costTriples = option('cost-triples', 20);
  const withCli = !process.argv.includes('--no-cli');
  const onlyArg = process.argv.find((arg) => arg.startsWith('--only='))?.slice('--only='.length);
  if (onlyArg !== undefined && onlyArg !== 'a' && onlyArg !== 'b') throw new Error('--only takes a or b');
  // One scenario alone is for investigating: printed, never written over the full results.
  const write = !process.argv.includes('--no-write') && onlyArg === undefined;
  if (withCli && !existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first (or pass --no-cli)`);
  if (!existsSync(HARNESS)) throw new Error(`${HARNESS} is missing: run \`npx tsc -b\` first`);

  const baseline = loadBaseline();
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the harness is compiled by the test project
  const harness = require(HARNESS) as Harness;
  const engine = await harness.getDocker();
  const workDir = mkdtempSync(join(tmpdir(), 'acr-bench-engine-'));
  try {
    const env: NodeJS.ProcessEnv = { ...process.env, ...engine.processEnv, XDG_DATA_HOME: join(workDir, 'data') };
    const docker = new Docker(engine.dockerodeOptions);
    const runtime = await DockerodeRuntime.fromEnvironment({ host: engine.dockerHost });
    const baselineRuntime = await baseline?.DockerodeRuntime.fromEnvironment({ host: engine.dockerHost });
    const facts: MachineFacts = await machineFacts(runtime, env);
    // ACR mounts the engine's socket into steps when the engine is local; so do we, and so does the script.
    const socketPath = (await runtime.info(interrupted.signal)).localSocketPath;
    console.log(facts.summary);

    const chain = prepare(chainScenario(steps), workDir, 'chain');
    const dag = prepare(dagScenario(3, 3, 1), workDir, 'dag');
    const selected = onlyArg === 'a' ? [chain] : onlyArg === 'b' ? [dag] : [chain, dag];
    type Variant = { name: VariantName; run: () => Promise<number> };
    const variantsOf = (prepared: Prepared): Variant[] => {
      const { scenario, contextDir, taskFile, samples } = prepared;
      const list: Variant[] = [
        {
          name: 'ours',
          run: async () => {
            const sample = await runOursInProcess({
              runtime,
              taskText: scenario.taskText,
              contextDir,
              signal: interrupted.signal,
            });
            samples.ours.push(sample);
            return sample.totalMs;
          },
        },
        { name: 'dockerCli', run: () => runDockerCli(scenario.cliScript, env) },
        {
          name: 'dockerCliAcr',
          run: () => runDockerCli(acrCliScriptOf(scenario, benchRunId(), socketPath), env),
        },
      ];
      if (baseline && baselineRuntime) {
        list.push({
          name: 'baseline',
          run: async () => {
            const sample = await runOursInProcess({
              signal: interrupted.signal,
              runtime: baselineRuntime,
              runTask: baseline.runTask,
              taskText: scenario.taskText,
              contextDir,
            });
            samples.baseline.push(sample);
            return sample.totalMs;
          },
        });
      }
      if (prepared === chain) list.push({ name: 'bare', run: () => runBareSequence(docker, IMAGE, scenario.commands) });
      if (withCli) list.push({ name: 'oursCli', run: () => runOursCli(CLI, taskFile, contextDir, env) });
      return list;
    };

    console.log('warm-up: every variant once');
    for (const prepared of selected) {
      for (const variant of variantsOf(prepared)) {
        interrupted.signal.throwIfAborted();
        await variant.run();
      }
      prepared.samples.ours.length = 0;
      prepared.samples.baseline.length = 0;
    }
    for (let round = 0; round < runs; round++) {
      for (const prepared of selected) {
        const variants = variantsOf(prepared);
        // Rotate the order each round, so no variant always runs first, and reverse it every other
        // round, so none always runs right after the same neighbour.
        const rotated = variants.map((_, index) => variants[(index + round) % variants.length]);
        if (round % 2 === 1) rotated.reverse();
        for (const variant of rotated) {
          interrupted.signal.throwIfAborted();
          const elapsed = await variant.run();
          (prepared.samples.totals[variant.name] ??= []).push(elapsed);
          console.log(
            `round ${round + 1}/${runs} ${prepared === chain ? '(a)' : '(b)'} ${variant.name}: ${Math.round(elapsed)} ms`,
          );
        }
      }
    }
    const profiles: ScenarioProfile[] = [];
    for (const prepared of selected) {
      interrupted.signal.throwIfAborted();
      profiles.push(
        await profileScenario({
          runtime,
          docker,
          scenario: prepared.scenario,
          contextDir: prepared.contextDir,
          runs: profileRuns,
          withBare: prepared === chain,
          env,
        }),
      );
    }

    interrupted.signal.throwIfAborted();
    const containerCost = selected.includes(chain)
      ? await measureContainerCost(runtime, docker, chain.scenario.taskText, chain.contextDir, costTriples)
      : undefined;
    if (onlyArg !== undefined) {
      const [prepared] = selected;
      const targets = prepared === chain ? chainTargets(chain.samples) : dagTargets(dag.samples);
      const versus = baseline ? `\n\n${baselineComparison(prepared.samples)}` : '';
      const cost = containerCost ? `\n\n${containerCostTable(containerCost)}` : '';
      console.log(
        `\n${variantTable(prepared.samples)}\n\n${targetTable(targets)}${versus}\n\n${profileText(profiles[0])}${cost}`,
      );
      return;
    }
    const text = writeResults(
      {
        facts,
        runs,
        chain: chain.samples,
        dag: dag.samples,
        chainTargets: chainTargets(chain.samples),
        dagTargets: dagTargets(dag.samples),
        profiles,
        ...(containerCost ? { containerCost } : {}),
        ...(baseline ? { baselineLabel: baseline.label } : {}),
      },
      RESULTS,
    );
    console.log(`\n${variantTable(chain.samples)}\n\n${variantTable(dag.samples)}\n`);
    if (write) {
      writeFileSync(RESULTS, text);
      console.log(`wrote ${RESULTS}`);
    } else {
      console.log(text);
    }
  } finally {
    rmSync(workDir, { recursive: true, force: true });
    await harness.releaseAll();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exitCode = 1;
});
