/**
 * `node out/bench/build/run.js` (after `npm run build`): our quick build (`node dist/cli.js build`) and
 * `docker build` with the classic builder (`DOCKER_BUILDKIT=0`), side by side in one run, on the same
 * engine and the same generated contexts with a `.dockerignore`: a full one (~20,000 files / ~200 MB) and
 * a quarter-size one, to show that our memory does not grow with the context. Runs alternate between the
 * two tools (so load on the machine hits both alike); medians are compared. Prints the table and writes
 * bench/build/RESULTS.md.
 *
 * Options: --iterations=N (default 3, after one warm-up run of each), --files=N (default 20000),
 * --megabytes=N (default 200), --no-write (print only), --keep (keep the generated contexts).
 * Needs a running engine (DOCKER_HOST or the default socket) with the test base image `acrtest/busybox:1`
 * (the integration tests import it).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, release, tmpdir, totalmem, type as osType } from 'node:os';
import * as path from 'node:path';

import { generateContext, DOCKERIGNORE, type GeneratedContext } from './generateContext';
import { measure, median, rssAt, type Measurement } from './measure';

const REPO = path.resolve(__dirname, '../../..');
const CLI = path.join(REPO, 'dist/cli.js');
const REPORTER = path.join(__dirname, 'rssReporter.js');
const RESULTS = path.join(REPO, 'bench/build/RESULTS.md');
const BASE_IMAGE = 'acrtest/busybox:1';
/** Uses a part of the context, as most builds do; both tools send and the engine unpacks all of it. */
const DOCKERFILE = `FROM ${BASE_IMAGE}\nCOPY src/pkg1 /app\nRUN find /app -type f | wc -l\n`;
const TARGETS = { ratio: 1.0, peakRssMb: 200, rssGrowthMb: 5 };
/** Our CLI's output line when the whole context has been sent. */
const SENT = /Sent build context/;

function option(name: string, fallback: number): number {
  const raw = process.argv.find((arg) => arg.startsWith(`--${name}=`))?.split('=')[1];
  const value = Number(raw);
  return raw !== undefined && Number.isFinite(value) && value > 0 ? value : fallback;
}

function tool(command: string, args: string[]): string {
  try {
    return execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return 'unknown';
  }
}

interface Sample {
  tool: 'docker' | 'ours';
  measurement: Measurement;
}

async function buildOnce(which: Sample['tool'], context: GeneratedContext, tag: string): Promise<Sample> {
  const measurement =
    which === 'docker'
      ? await measure({
          command: 'docker',
          args: ['build', '--no-cache', '-q', '-t', tag, '.'],
          cwd: context.dir,
          env: { ...process.env, DOCKER_BUILDKIT: '0' },
        })
      : await measure({
          command: process.execPath,
          args: [CLI, 'build', '.', '-t', tag, '--no-cache', '--no-push'],
          cwd: context.dir,
          env: process.env,
          node: { reporter: REPORTER },
          marker: SENT,
        });
  if (measurement.exitCode !== 0)
    throw new Error(`${which} build failed (exit ${measurement.exitCode}):\n${measurement.output.slice(-3000)}`);
  execFileSync('docker', ['rmi', '-f', tag], { stdio: 'ignore' });
  return { tool: which, measurement };
}

interface SizeResult {
  name: string;
  context: GeneratedContext;
  samples: Sample[];
}

async function benchSize(name: string, context: GeneratedContext, iterations: number): Promise<SizeResult> {
  const samples: Sample[] = [];
  console.log(`${name}: warm-up (page cache, base image)`);
  await buildOnce('docker', context, `bench/build:${name}-warm-docker`);
  await buildOnce('ours', context, `bench/build:${name}-warm-ours`);
  for (let iteration = 0; iteration < iterations; iteration++) {
    const order: Sample['tool'][] = iteration % 2 === 0 ? ['docker', 'ours'] : ['ours', 'docker'];
    for (const which of order) {
      const sample = await buildOnce(which, context, `bench/build:${name}-${which}-${iteration}`);
      samples.push(sample);
      const rss = sample.measurement.peakRssMb ? `, peak RSS ${sample.measurement.peakRssMb.toFixed(0)} MB` : '';
      console.log(`${name}: ${which} ${sample.measurement.seconds.toFixed(2)} s${rss}`);
    }
  }
  return { name, context, samples };
}

function seconds(result: SizeResult, which: Sample['tool']): number[] {
  return result.samples.filter((sample) => sample.tool === which).map((sample) => sample.measurement.seconds);
}

/**
 * The median over iterations of ours / docker, each pair run back to back: the load on a shared machine
 * drifts over minutes, and a pair sees nearly the same load.
 */
function pairedRatio(result: SizeResult): number {
  const docker = seconds(result, 'docker');
  const ours = seconds(result, 'ours');
  return median(ours.map((value, index) => value / (docker[index] ?? value)));
}

function peakRss(result: SizeResult): number {
  return Math.max(...result.samples.map((sample) => sample.measurement.peakRssMb ?? 0));
}

/**
 * How much our RSS grew while the last three quarters of the context were sent: from a quarter of the
 * time until the context was sent to the moment it was (medians over the runs).
 */
function growthWhileSending(result: SizeResult): { quarter: number; sent: number; growth: number } {
  const pairs = result.samples
    .filter((sample) => sample.tool === 'ours')
    .map(({ measurement }) => {
      const sentAt = measurement.markerSeconds ?? measurement.seconds;
      const timeline = measurement.rssTimeline ?? [];
      return [rssAt(timeline, sentAt / 4) ?? 0, rssAt(timeline, sentAt) ?? 0] as const;
    });
  const quarter = median(pairs.map(([atQuarter]) => atQuarter));
  const sent = median(pairs.map(([, atEnd]) => atEnd));
  return { quarter, sent, growth: median(pairs.map(([atQuarter, atEnd]) => atEnd - atQuarter)) };
}

const mb = (bytes: number) => `${(bytes / 1e6).toFixed(0)} MB`;

function describeContext(context: GeneratedContext): string {
  return `${context.files.toLocaleString('en')} files / ${mb(context.bytes)} (sent after .dockerignore: ${context.sentFiles.toLocaleString('en')} files / ${mb(context.sentBytes)})`;
}

function table(results: readonly SizeResult[]): string {
  const rows = [
    '| Context | docker build (median) | ours (median) | Ratio ours / docker (paired) | Our peak RSS |',
    '|---|---:|---:|---:|---:|',
  ];
  for (const result of results) {
    const docker = median(seconds(result, 'docker'));
    const ours = median(seconds(result, 'ours'));
    rows.push(
      `| ${result.name}: ${describeContext(result.context)} | ${docker.toFixed(2)} s | ${ours.toFixed(2)} s | ${pairedRatio(result).toFixed(2)} | ${peakRss(result).toFixed(0)} MB |`,
    );
  }
  return rows.join('\n');
}

function runsTable(results: readonly SizeResult[]): string {
  const rows = ['| Context | Tool | Wall times (s), in run order | Peak RSS (MB) |', '|---|---|---|---|'];
  for (const result of results)
    for (const which of ['docker', 'ours'] as const) {
      const mine = result.samples.filter((sample) => sample.tool === which);
      rows.push(
        `| ${result.name} | ${which} | ${mine.map((sample) => sample.measurement.seconds.toFixed(2)).join(', ')} | ${which === 'ours' ? mine.map((sample) => sample.measurement.peakRssMb?.toFixed(0)).join(', ') : '—'} |`,
      );
    }
  return rows.join('\n');
}

/** The RSS timeline of the median-time full-context run, every half second, with when the context was sent. */
function timelineText(result: SizeResult): string {
  const ours = result.samples.filter((sample) => sample.tool === 'ours').map((sample) => sample.measurement);
  const middle = [...ours].sort((a, b) => a.seconds - b.seconds)[Math.floor(ours.length / 2)];
  if (!middle?.rssTimeline) return '(no samples)';
  const points: string[] = [];
  for (let at = 0.5; at <= middle.seconds; at += 0.5) {
    const rss = rssAt(middle.rssTimeline, at);
    if (rss !== undefined) points.push(`${at.toFixed(1)} s: ${rss.toFixed(0)}`);
  }
  return `${points.join(' · ')}\n\n(context sent at ${(middle.markerSeconds ?? 0).toFixed(1)} s; build finished at ${middle.seconds.toFixed(1)} s)`;
}

async function main(): Promise<void> {
  const iterations = option('iterations', 3);
  const files = option('files', 20_000);
  const megabytes = option('megabytes', 200);
  const write = !process.argv.includes('--no-write');
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing (run \`npm run build\` first)`);
  if (tool('docker', ['image', 'inspect', '-f', '{{.Id}}', BASE_IMAGE]) === 'unknown')
    throw new Error(`the engine has no ${BASE_IMAGE} (the integration tests import it: npm run test:integration)`);

  const root = mkdtempSync(path.join(tmpdir(), 'bench-build-'));
  const loadBefore = loadavg();
  try {
    console.log('generating contexts…');
    const full = generateContext(path.join(root, 'full'), { files, bytes: megabytes * 1e6 }, DOCKERFILE);
    const quarter = generateContext(
      path.join(root, 'quarter'),
      { files: Math.round(files / 4), bytes: (megabytes * 1e6) / 4 },
      DOCKERFILE,
    );
    const results = [await benchSize('full', full, iterations), await benchSize('quarter', quarter, iterations)];
    const loadAfter = loadavg();

    const [fullResult, quarterResult] = results as [SizeResult, SizeResult];
    const ratio = pairedRatio(fullResult);
    const rssFull = peakRss(fullResult);
    const rssQuarter = peakRss(quarterResult);
    const sending = growthWhileSending(fullResult);
    const verdict = (met: boolean) => (met ? 'yes' : '**NO**');
    const checks = [
      '| Target | Measured | Met |',
      '|---|---:|---|',
      `| wall time ours / docker build ≤ ${TARGETS.ratio.toFixed(1)} (full context; median of the ratios of back-to-back runs) | ${ratio.toFixed(2)} (ratio of medians ${(median(seconds(fullResult, 'ours')) / median(seconds(fullResult, 'docker'))).toFixed(2)}) | ${verdict(ratio <= TARGETS.ratio)} |`,
      `| our peak RSS ≤ ${TARGETS.peakRssMb} MB (both sizes) | ${rssQuarter.toFixed(0)} MB (quarter), ${rssFull.toFixed(0)} MB (full) | ${verdict(Math.max(rssFull, rssQuarter) <= TARGETS.peakRssMb)} |`,
      `| RSS does not grow with what is sent: full context, RSS when it is all sent − RSS a quarter of the way ≤ ${TARGETS.rssGrowthMb} MB (medians) | ${sending.growth.toFixed(1)} MB (${sending.quarter.toFixed(0)} → ${sending.sent.toFixed(0)} MB) | ${verdict(sending.growth <= TARGETS.rssGrowthMb)} |`,
    ].join('\n');
    const cpu = cpus();
    const text = [
      '# bench:build — latest results',
      '',
      `- Date: ${new Date().toISOString()}; commit ${tool('git', ['-C', REPO, 'rev-parse', '--short', 'HEAD'])}`,
      `- Machine: ${cpu[0]?.model ?? 'unknown CPU'} × ${cpu.length}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB RAM, ${osType()} ${release()}; Node ${process.version}`,
      `- Engine ${tool('docker', ['version', '-f', '{{.Server.Version}}'])}, docker CLI ${tool('docker', ['version', '-f', '{{.Client.Version}}'])}; load average before / after: ${loadBefore.map((load) => load.toFixed(1)).join(' / ')} → ${loadAfter.map((load) => load.toFixed(1)).join(' / ')} (1/5/15 min; other work on the machine slows both tools alike, runs alternate)`,
      `- Ours: \`node dist/cli.js build . -t TAG --no-cache --no-push\` (the whole quick build: plan, run record, events, context packed from disk with ACR's rules and streamed, cleanup). Docker: \`DOCKER_BUILDKIT=0 docker build --no-cache -q -t TAG .\`. Each image is removed after its run.`,
      `- ${iterations} measured runs of each tool per context after one warm-up run of each; wall time of the whole process; peak RSS = the CLI process's \`maxRSS\`; RSS sampled every 50 ms inside the CLI process (\`--require out/bench/build/rssReporter.js\`), "sent" = when it prints \`Sent build context\`.`,
      '- Our RSS rises to a plateau within the first second or two (Node, the bundle, and the garbage of buffers V8 lets accumulate before collecting) and stays there: the plateau does not move while the rest of the context is sent. Its level is set in that first phase, so the two sizes differ a little; see the timeline row below.',
      `- Contexts (deterministic, incompressible contents): \`.dockerignore\` = \`${DOCKERIGNORE.trim().split('\n').join(' · ')}\`; Dockerfile: \`${DOCKERFILE.trim().split('\n').join(' · ')}\``,
      '',
      checks,
      '',
      table(results),
      '',
      '## Every run',
      '',
      runsTable(results),
      '',
      '## Our RSS over one full-context build (MB at seconds since start)',
      '',
      timelineText(fullResult),
      '',
    ].join('\n');
    console.log(`\n${checks}\n\n${table(results)}\n\n${runsTable(results)}\n`);
    if (write) {
      writeFileSync(RESULTS, text);
      console.log(`written to ${RESULTS}`);
    }
  } finally {
    if (!process.argv.includes('--keep')) rmSync(root, { recursive: true, force: true });
    else console.log(`contexts kept in ${root}`);
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
