/**
 * `npm run bench:lsp` (after `npm run build`): our language server (dist/server.js) and
 * yaml-language-server with our JSON schema, side by side in one run on the same generated
 * 1,000-step task file, plus a bare `yaml` parse of that text in-process. Prints the table and writes
 * it to bench/lsp/RESULTS.md.
 *
 * Options: --iterations=N (default 15), --steps=N (default 1000), --no-write (print only),
 * --profile (our server runs under `node --cpu-prof`; profiles land in out/bench/lsp/profiles).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem, type as osType, release } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { parseDocument } from 'yaml';
import { generateTaskFile } from './generateTask';
import { measureInProcess } from './inProcess';
import type { ServerLaunch } from './LspProcess';
import { BenchedServer, type Sanity, type ServerSamples } from './measureServer';
import { buildRows, detailTable, markdownTable } from './report';

const REPO = resolve(__dirname, '../../..');
const OUR_SERVER = join(REPO, 'dist/server.js');
const YAML_LANGUAGE_SERVER = join(REPO, 'node_modules/yaml-language-server/bin/yaml-language-server');
const SCHEMA = join(REPO, 'schemas/acr-task.schema.json');
const RESULTS = join(REPO, 'bench/lsp/RESULTS.md');
const PROFILES = join(REPO, 'out/bench/lsp/profiles');
const WARMUP = 2;
const COMPLETION_SAMPLES = 40;

function option(name: string, fallback: number): number {
  const raw = process.argv.find((arg) => arg.startsWith(`--${name}=`))?.split('=')[1];
  const value = Number(raw);
  return raw !== undefined && Number.isInteger(value) && value > 0 ? value : fallback;
}

function gitCommit(): string {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: REPO, encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
}

// `retries` must be an integer: our validator reports a type error, the schema an "Incorrect type".
const SANITY_TEXT = 'steps:\n  - cmd: alpine true\n    retries: three\n';
const OUR_SANITY: Sanity = {
  text: SANITY_TEXT,
  accept: (diagnostics) => diagnostics.some((d) => d.source === 'acr-task'),
};
const YAML_LS_SANITY: Sanity = {
  text: SANITY_TEXT,
  accept: (diagnostics) => diagnostics.some((d) => String(d.source).startsWith('yaml-schema')),
};

/**
 * Both servers, sample by sample in turn (never at the same time): the machine's load drifts during a
 * run, and alternating makes both see the same drift. The bare parse is timed before each pair of opens.
 */
async function measureSideBySide(
  subjects: { server: BenchedServer; sanity: Sanity }[],
  iterations: number,
  beforeOpens: (keep: boolean) => void,
): Promise<ServerSamples[]> {
  const servers = subjects.map((subject) => subject.server);
  const eachSample = async (count: number, take: (server: BenchedServer, keep: boolean) => Promise<void>) => {
    for (let index = 0; index < WARMUP + count; index++)
      for (const server of servers) await take(server, index >= WARMUP);
  };
  try {
    for (const { server, sanity } of subjects) await server.start(sanity);
    await eachSample(iterations, async (server, keep) => {
      if (server === servers[0]) beforeOpens(keep);
      await server.open(keep);
    });
    for (const server of servers) await server.openEdited();
    await eachSample(iterations, (server, keep) => server.edit(keep));
    await eachSample(COMPLETION_SAMPLES, (server, keep) => server.complete(keep));
    await eachSample(COMPLETION_SAMPLES, (server, keep) => server.keystrokeComplete(keep));
    for (const server of servers) server.recordFinalMemory();
    return servers.map((server) => server.samples);
  } finally {
    await Promise.all(servers.map((server) => server.stop()));
  }
}

async function main(): Promise<void> {
  const iterations = option('iterations', 15);
  const steps = option('steps', 1000);
  const write = !process.argv.includes('--no-write');
  const profile = process.argv.includes('--profile');
  for (const path of [OUR_SERVER, YAML_LANGUAGE_SERVER, SCHEMA])
    if (!existsSync(path)) throw new Error(`${path} is missing (run \`npm run build\` first)`);

  const root = mkdtempSync(join(tmpdir(), 'acr-bench-'));
  writeFileSync(join(root, 'values.yaml'), 'version: "1.0"\n');
  writeFileSync(join(root, 'Dockerfile'), 'FROM alpine\n');
  const task = generateTaskFile(steps);
  if (profile) mkdirSync(PROFILES, { recursive: true });

  const ours: ServerLaunch = {
    name: 'acr-tasks-local',
    script: OUR_SERVER,
    args: ['--stdio'],
    nodeArgs: profile ? ['--cpu-prof', `--cpu-prof-dir=${PROFILES}`] : [],
    configuration: (section) => (section === 'acrTasks' ? { valuesFile: 'values.yaml' } : {}),
  };
  const yamlLs: ServerLaunch = {
    name: 'yaml-language-server 1.25.0',
    script: YAML_LANGUAGE_SERVER,
    args: ['--stdio'],
    configuration: (section) =>
      section === 'yaml'
        ? {
            validate: true,
            completion: true,
            hover: true,
            schemaStore: { enable: false },
            schemas: { [`file://${SCHEMA}`]: ['*.acr-task.yaml'] },
          }
        : {},
  };

  console.log(
    `bench:lsp: ${steps} steps (${task.text.split('\n').length} lines), ${iterations} iterations + ${WARMUP} warm-up`,
  );
  const interleavedParse: number[] = [];
  const interleavedNodeBuildParse: number[] = [];
  const parseAsBundled = await yamlBrowserBuildParse();
  // The bare parse the targets compare with is the same yaml build our bundles run (esbuild.mjs); the
  // Node build, which the compiled tests use, is shown beside it.
  const timeBareParse = (keep: boolean) => {
    let started = performance.now();
    parseAsBundled(task.text);
    if (keep) interleavedParse.push(performance.now() - started);
    started = performance.now();
    parseDocument(task.text);
    if (keep) interleavedNodeBuildParse.push(performance.now() - started);
  };
  const [oursSamples, yamlLsSamples] = await measureSideBySide(
    [
      { server: new BenchedServer(ours, root, task), sanity: OUR_SANITY },
      { server: new BenchedServer(yamlLs, root, task), sanity: YAML_LS_SANITY },
    ],
    iterations,
    timeBareParse,
  );
  const inProcess = await measureInProcess(task.text, root, SCHEMA, WARMUP, iterations);
  inProcess.bareParse = interleavedParse;
  inProcess.bareParseNodeBuild = interleavedNodeBuildParse;
  rmSync(root, { recursive: true, force: true });

  const table = markdownTable(buildRows(oursSamples, yamlLsSamples, inProcess));
  const details = detailTable(oursSamples, yamlLsSamples, inProcess);
  const cpu = cpus();
  const results = [
    '# bench:lsp — latest results',
    '',
    `- Date: ${new Date().toISOString()}`,
    `- Machine: ${cpu[0]?.model ?? 'unknown CPU'} × ${cpu.length}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB RAM, ${osType()} ${release()}`,
    `- Node ${process.version}; commit ${gitCommit()}; load average at the end ${loadavg()
      .map((load) => load.toFixed(1))
      .join(' / ')} (1/5/15 min; other work on the machine slows both servers alike)`,
    `- Input: generated task file, ${steps} steps, ${task.text.split('\n').length} lines, ${Buffer.byteLength(task.text)} bytes`,
    `- Medians over ${iterations} iterations after ${WARMUP} warm-up ones (completion: ${COMPLETION_SAMPLES} samples); the two servers alternate sample by sample`,
    '- yaml-language-server: `--stdio`, `yaml.schemas` → schemas/acr-task.schema.json, `yaml.validate`/`completion` on,',
    '  schema store off. It waits a fixed 200 ms (`validationDelayMs`, not configurable) before validating, which is',
    '  part of what a user sees; the in-process rows below compare the validation work alone.',
    '',
    table,
    '',
    '## Distributions',
    '',
    details,
    '',
  ].join('\n');
  console.log(`\n${table}\n\n${details}\n`);
  if (write) {
    writeFileSync(RESULTS, results);
    console.log(`written to ${RESULTS}`);
  }
  if (profile) console.log(`CPU profile of our server: ${PROFILES}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exitCode = 1;
});

/** `parseDocument` of yaml's browser build, the one esbuild.mjs bundles (an ES module, outside yaml's exports). */
async function yamlBrowserBuildParse(): Promise<(text: string) => unknown> {
  const file = join(dirname(require.resolve('yaml/package.json')), 'browser', 'index.js');
  const module = (await import(pathToFileURL(file).href)) as { parseDocument: (text: string) => unknown };
  return (text) => module.parseDocument(text);
}
