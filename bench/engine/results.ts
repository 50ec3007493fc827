/**
 * RESULTS.md: what was measured on what, the tables, the targets, and the profile. A hand-written
 * section between the ANALYSIS markers (findings and fixes, written after reading the profile) is
 * carried over from the previous file, so re-running the benchmark does not erase it.
 */
import { existsSync, readFileSync } from 'node:fs';

import type { ContainerCost } from './containerCost';
import { type MachineFacts, loadNow } from './machine';
import type { ScenarioProfile } from './profileRuns';
import {
  baselineComparison,
  phaseTable,
  stepTable,
  targetTable,
  VARIANT_LABELS,
  variantTable,
  type ScenarioSamples,
  type TargetRow,
} from './report';

const ANALYSIS_START = '<!-- analysis: hand-written, kept when the benchmark rewrites this file -->';
const ANALYSIS_END = '<!-- /analysis -->';

export interface ResultsInput {
  facts: MachineFacts;
  runs: number;
  chain: ScenarioSamples;
  dag: ScenarioSamples;
  chainTargets: TargetRow[];
  dagTargets: TargetRow[];
  profiles: ScenarioProfile[];
  /** The per-container decomposition (containerCost.ts), when the chain ran. */
  containerCost?: ContainerCost;
  /** What `--baseline` was (a directory, and the commit it was built from when known). */
  baselineLabel?: string;
}

function baselineSection(samples: ScenarioSamples, label: string | undefined): string {
  if (samples.baseline.length === 0) return '';
  return `\nAgainst the baseline engine ${label ?? ''}, in the same rounds:\n\n${baselineComparison(samples)}\n`;
}

/** The hand-written section of an existing RESULTS.md (markers included), or a placeholder heading. */
export function keptAnalysis(previousFile: string): string {
  if (existsSync(previousFile)) {
    const text = readFileSync(previousFile, 'utf8');
    const start = text.indexOf(ANALYSIS_START);
    const end = text.indexOf(ANALYSIS_END);
    if (start >= 0 && end > start) return text.slice(start, end + ANALYSIS_END.length);
  }
  return `${ANALYSIS_START}\n## Analysis\n\n(not written yet)\n${ANALYSIS_END}`;
}

function lifetimeTable(profile: ScenarioProfile): string {
  const rows = profile.lifetimes.map(
    (life) =>
      `| ${life.variant} | ${life.createToStartMs.toFixed(1)} | ${life.startToDieMs.toFixed(1)} | ${life.dieToDestroyMs.toFixed(1)} | ${life.count} |`,
  );
  return [
    '| containers of | create → start (ms) | start → exit (ms) | exit → removed (ms) | containers |',
    '|---|---|---|---|---|',
    ...rows,
  ].join('\n');
}

/** The per-container decomposition: the engine's cost of ACR's configuration, and our client's. */
export function containerCostTable(cost: ContainerCost): string {
  const range = (value: { median: number; min: number; max: number }) =>
    `${value.median.toFixed(1)} (${value.min.toFixed(0)} – ${value.max.toFixed(0)})`;
  return [
    '| one `true` container, alternating container by container | median ms |',
    '|---|---|',
    `| bare API, minimal create body | ${cost.minimalMs.toFixed(1)} |`,
    `| bare API, only the run's network and the step's alias | ${cost.networkOnlyMs.toFixed(1)} |`,
    `| bare API, one of our steps' create body (ACR's volumes, network, alias, labels, env) | ${cost.acrConfigMs.toFixed(1)} |`,
    `| DockerodeRuntime.runContainer, same step spec (attach, wait, start; waits for AutoRemove, unlike a step) | ${cost.runtimeMs.toFixed(1)} |`,
    `| run network alone − minimal, paired: median (min – max) | ${range(cost.networkCost)} |`,
    `| ACR configuration − minimal, paired | ${range(cost.configCost)} |`,
    `| our runtime − bare API with the same configuration, paired | ${range(cost.clientCost)} |`,
  ].join('\n');
}

/** A scenario's profile tables (for `--only`). */
export function profileText(profile: ScenarioProfile): string {
  const bare = profile.bareCalls.map((call) => `${call.operation} ${call.medianMs.toFixed(1)} ms`).join(', ');
  return [
    phaseTable(profile.phases),
    stepTable(profile.moments),
    lifetimeTable(profile),
    bare === '' ? '' : `bare API calls per container (median): ${bare}`,
  ].join('\n\n');
}

export function resultsText(input: ResultsInput, analysis: string): string {
  const { facts, runs, chain, dag } = input;
  const [chainProfile, dagProfile] = input.profiles;
  return `# Run engine benchmark (issue 3)

Measured ${facts.date.slice(0, 10)} by \`npm run bench:engine\` (bench/engine/run.ts), all variants in one process on
the same engine, interleaved round by round (the order rotates, and is reversed every other round); every figure is the median of ${runs} rounds
(after one warm-up round). A sample fails (and the benchmark with it) if any container fails or our run leaves
anything behind.

${facts.lines.map((line) => `- ${line}`).join('\n')}
- load average at the end: ${loadNow()}

Variants: ${Object.values(VARIANT_LABELS)
    .map((label) => `${label}`)
    .join('; ')}. Our runs include what every run does besides the steps: engine check, task load, workspace
volume + copy of the context (one small file), home volume with the docker config, the run's network — and
cleanup of all of it. \`node dist/cli.js\` also starts Node and writes the run record.

## (a) ${chain.name}: ours vs \`docker run --rm\` vs the bare API

${variantTable(chain)}

${targetTable(input.chainTargets)}
${baselineSection(chain, input.baselineLabel)}
**Which number the targets are about.** The ratio to the docker CLI is a user's comparison — "my task vs
the same containers by hand" — so it is taken on our **whole run**, setup and cleanup included. The
"≤ 50 ms per step above a bare API run" target is a *per-step* cost, so it is taken on the **step phase**
(first step started → last step finished, which includes every gap between steps); the run's fixed cost
(setup + cleanup, paid once per run whatever the number of steps) is reported beside it in the table above,
and spread over the ${chain.steps} steps in the informational row.

## (b) ${dag.name}: our DAG vs the same steps as a sequential docker CLI script

${variantTable(dag)}

${targetTable(input.dagTargets)}
${baselineSection(dag, input.baselineLabel)}
Ideal for the DAG: ${(dag.steps / 3).toFixed(0)} levels × 1 s = 3 s of sleeping per branch, branches side by side.

## Profile: where our time goes

${input.profiles[0]?.runs ?? 0} profiled in-process runs per scenario, after the measured rounds. Every Engine API call is
timed at DockerodeRuntime.request/openStream (the one seam all calls pass); engine events give each
container's create/start/exit/removal times on the same clock.

### (a) ${chain.name}: calls per phase (medians per run)

${chainProfile ? phaseTable(chainProfile.phases) : ''}

### (a) One step, from its start to its dependent's start (median over the steps)

${chainProfile ? stepTable(chainProfile.moments) : ''}

Since 39f28de a step ends when its container exits; the engine's removal of the container (exit →
removed below) runs beside the dependent step.

### (a) The engine's own share per container (engine events)

${chainProfile ? lifetimeTable(chainProfile) : ''}

For comparison, the bare API's calls per container (median): ${
    chainProfile?.bareCalls.map((call) => `${call.operation} ${call.medianMs.toFixed(1)} ms`).join(', ') ?? ''
  }.

${
  input.containerCost
    ? `### (a) One container at a time: ACR's configuration vs our client (${input.containerCost.containers} of each kind, alternating)

${containerCostTable(input.containerCost)}

`
    : ''
}### (b) ${dag.name}: calls per phase

${dagProfile ? phaseTable(dagProfile.phases) : ''}

### (b) One step, from its start to its dependent's start (median over the steps with a dependent)

${dagProfile ? stepTable(dagProfile.moments) : ''}

${dagProfile ? lifetimeTable(dagProfile) : ''}

${analysis}

Reproduce: \`npm run build && npm run bench:engine\` (options: \`--runs=N --steps=N --profile-runs=N --no-cli --no-write\`).
The engine and the \`acrtest/busybox:1\` image come from the integration-test harness, which uses the engine at
\`DOCKER_HOST\` or \`/var/run/docker.sock\` (or starts \`dockerd\`) and makes the image from busybox-static.
`;
}

/** The whole RESULTS.md text, keeping the hand-written analysis of `previousFile`. */
export function writeResults(input: ResultsInput, previousFile: string): string {
  return resultsText(input, keptAnalysis(previousFile));
}
