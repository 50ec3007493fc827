/**
 * Parity with the docker CLI: the same tricky context built with `DOCKER_BUILDKIT=0 docker build` and with
 * our docker-classic packer through the API must put the same files into the image (`COPY . /ctx`, then
 * `find /ctx | sort` inside the build).
 */
import { deepStrictEqual } from 'node:assert';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';

import type { DockerodeRuntime } from '../../../server/src/engine/DockerodeRuntime';
import { packContext } from '../../../server/src/engine/context/contextPacking';
import { BUSYBOX_IMAGE, getDocker, type DockerEnv } from '../setup';
import { newRun, runtimeFor, testSignal } from './runtimeFixtures';

const execFileAsync = promisify(execFile);

const DOCKERFILE = `FROM ${BUSYBOX_IMAGE}\nCOPY . /ctx\nRUN find /ctx | sort\n`;

/** Every file of the tricky tree; a trailing `/` makes an empty directory, `->` a symlink. */
const TREE = [
  'a.log', 'keep.log', 'x/a.log', 'node_modules/m.js', 'app/node_modules/m.js', 'app/main.js', 'abs-ignored/f',
  'x/abs-ignored/f', 'trailing/t', 'docs/a.md', 'docs/keep/b.md', 'docs/keep/tmp/c.md', 'sub/one/deep/d',
  'sub/one/shallow', 'src/main.go', 'src/lib/util.go', 'src/lib/util.js', '.hidden', 'space name.txt', 'emptydir/',
  'link-in -> keep.log', 'link-out -> ../outside/secret', 'Weird[1].txt', 'UPPER.LOG', 'root.go',
]; // prettier-ignore

const CASES: Array<{ name: string; dockerignore: string }> = [
  {
    name: 'comments, **, !, nested re-include, leading and trailing slashes, ignored Dockerfile',
    dockerignore:
      '# comment\n*.log\n!keep.log\n**/node_modules\n/abs-ignored\ntrailing/\ndocs\n!docs/keep\ndocs/keep/tmp\nsub/*/deep\nDockerfile\n.dockerignore\n',
  },
  // The classic archiver only enters an excluded directory when a ! rule starts with its path: here only
  // the root's Go file comes back…
  { name: 'everything but Go files: excluded directories are not entered for !**/*.go', dockerignore: '*\n!**/*.go\n' },
  // …and here `!src/lib` opens src, so !**/*.go applies inside it too.
  { name: 'a ! rule naming a directory opens it for the other ! rules', dockerignore: '*\n!**/*.go\n!src/lib\n' },
  { name: 'no ignore file', dockerignore: '' },
];

function makeContext(root: string, dockerignore: string): string {
  const context = path.join(root, 'ctx');
  mkdirSync(context, { recursive: true });
  for (const entry of TREE) {
    const [name, target] = entry.split(' -> ') as [string, string | undefined];
    const full = path.join(context, name);
    mkdirSync(name.endsWith('/') ? full : path.dirname(full), { recursive: true });
    if (name.endsWith('/')) continue;
    if (target) symlinkSync(target, full);
    else writeFileSync(full, name);
  }
  writeFileSync(path.join(context, 'Dockerfile'), DOCKERFILE);
  if (dockerignore !== '') writeFileSync(path.join(context, '.dockerignore'), dockerignore);
  return context;
}

function ctxLines(output: string): string[] {
  return output.split('\n').filter((line) => line.startsWith('/ctx'));
}

describe('context parity with the docker CLI (classic builder)', function () {
  let env: DockerEnv;
  let runtime: DockerodeRuntime;
  let scratch: string;
  const run = newRun();
  const tags: string[] = [];

  before(async function () {
    env = await getDocker();
    runtime = await runtimeFor(env);
    scratch = mkdtempSync(path.join(tmpdir(), 'parity-'));
  });
  after(async function () {
    rmSync(scratch, { recursive: true, force: true });
    for (const tag of tags)
      await env.docker
        .getImage(tag)
        .remove({ force: true })
        .catch(() => undefined);
  });

  /** The files of `/ctx` in the image the docker CLI builds and in ours, from the same context. */
  async function buildBoth(context: string, dockerfile: string, caseId: string) {
    const cliTag = `acrtest/parity:${run.runId}-${caseId}-cli`;
    const ourTag = `acrtest/parity:${run.runId}-${caseId}-ours`;
    tags.push(cliTag, ourTag);

    const cli = await execFileAsync('docker', ['build', '--no-cache', '-f', dockerfile, '-t', cliTag, '.'], {
      cwd: context,
      env: { ...process.env, ...env.processEnv, DOCKER_BUILDKIT: '0' },
      maxBuffer: 16 * 1024 * 1024,
    });

    const packed = await packContext({ contextDir: context, mode: 'docker-classic', dockerfile });
    const output: string[] = [];
    await runtime.buildImage(packed.stream, {
      dockerfile: packed.dockerfileInTar!,
      tags: [ourTag],
      buildArgs: {},
      noCache: true,
      pull: false,
      labels: {},
      registryAuths: [],
      signal: testSignal(),
      onOutput: (text) => output.push(text),
    });

    return { cli: ctxLines(cli.stdout), ours: ctxLines(output.join('')) };
  }

  CASES.forEach(({ name, dockerignore }, index) => {
    it(name, async () => {
      const context = makeContext(path.join(scratch, `case-${index}`), dockerignore);
      const { cli, ours } = await buildBoth(context, 'Dockerfile', String(index));
      deepStrictEqual({ ours, nonEmpty: cli.length > 1 }, { ours: cli, nonEmpty: true });
    });
  });

  // The CLI sends an outside Dockerfile under a random name and lists it in the `.dockerignore` it sends,
  // so the engine keeps it (and a generated `.dockerignore`) out of `COPY .`.
  ['', 'a.log\n'].forEach((dockerignore, index) => {
    it(`a Dockerfile from outside the context, ${dockerignore ? 'with' : 'without'} a .dockerignore`, async () => {
      const base = path.join(scratch, `outside-${index}`);
      const context = makeContext(path.join(base, 'ctx'), dockerignore);
      writeFileSync(path.join(base, 'Dockerfile.outside'), DOCKERFILE);
      const { cli, ours } = await buildBoth(context, path.join(base, 'Dockerfile.outside'), `outside${index}`);
      deepStrictEqual(
        { ours, nonEmpty: cli.length > 1, generated: cli.filter((line) => line.includes('.dockerfile.')) },
        { ours: cli, nonEmpty: true, generated: [] },
      );
    });
  });
});
