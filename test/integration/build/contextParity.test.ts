/**
 * Parity with the docker CLI for quick builds: a build that lists its own context (`COPY . /ctx`, then
 * `find /ctx | sort` inside the build) run with `DOCKER_BUILDKIT=0 docker build` and with our quick
 * build on the same engine and the same tricky tree. What the image sees must be the same, except for
 * the differences ACR itself makes, which are asserted explicitly: az uploads the Dockerfile again as
 * `<uuidhex>_<name>`, drops VCS metadata at the root, and applies its own rule pass first (`**\/x` also
 * matches `ax`; a `*` rule drops the `.dockerignore` itself, so the agent's docker applies no rules).
 */
import { deepStrictEqual, ok } from 'node:assert';
import { execFile } from 'node:child_process';
import { rmSync } from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';

import type { DockerodeRuntime } from '../../../server/src/engine/DockerodeRuntime';
import { runQuickBuild } from '../../../server/src/engine/quickBuild/runQuickBuild';
import { randomRunId } from '../../../server/src/engine/run/runId';
import type { RunEvent } from '../../../server/src/protocol';
import { runtimeFor } from '../runtime/runtimeFixtures';
import { BUSYBOX_IMAGE, getDocker, type DockerEnv } from '../setup';
import { ctxLines, makeTree, stepOutput } from './buildFixtures';

const execFileAsync = promisify(execFile);

const DOCKERFILE = `FROM ${BUSYBOX_IMAGE}\nCOPY . /ctx\nRUN find /ctx | sort\n`;

/** A tree with the usual traps; `->` makes a symlink (one pointing out of the context), `/` a folder. */
const TREE: Record<string, string> = {
  'a.log': 'x',
  'keep.log': 'x',
  'x/a.log': 'x',
  'node_modules/m.js': 'x',
  'app/node_modules/m.js': 'x',
  'app/main.js': 'x',
  'abs-ignored/f': 'x',
  'x/abs-ignored/f': 'x',
  'trailing/t': 'x',
  'docs/a.md': 'x',
  'docs/keep/b.md': 'x',
  'docs/keep/tmp/c.md': 'x',
  'sub/one/deep/d': 'x',
  'sub/one/shallow': 'x',
  'src/main.go': 'x',
  'src/lib/util.go': 'x',
  '.hidden': 'x',
  'space name.txt': 'x',
  'emptydir/': '',
  'link-in -> keep.log': '',
  'link-out -> ../outside/secret': '',
  'Weird[1].txt': 'x',
  'own.Dockerfile': DOCKERFILE,
};

interface Case {
  name: string;
  files: Record<string, string>;
  /** `-f` for both, relative to the folder holding `ctx/`. */
  dockerfile: string;
  /** Paths the docker CLI sends that ACR does not. */
  acrDrops: string[];
  /** Paths ACR sends that the docker CLI does not (besides the uploaded Dockerfile). */
  acrAdds: string[];
}

const CASES: Case[] = [
  {
    name: 'comments, **, ! re-includes, nested re-include, rooted and trailing-slash rules',
    files: {
      ...TREE,
      'ctx/.dockerignore':
        '# comment\n*.log\n!keep.log\n**/node_modules\n/abs-ignored\ntrailing/\ndocs\n!docs/keep\ndocs/keep/tmp\nsub/*/deep\n',
    },
    dockerfile: 'ctx/own.Dockerfile',
    acrDrops: [],
    acrAdds: [],
  },
  {
    name: 'a Dockerfile outside the context',
    files: { ...TREE, 'ctx/.dockerignore': '*.log\n', 'elsewhere/Dockerfile': DOCKERFILE },
    dockerfile: 'elsewhere/Dockerfile',
    acrDrops: [],
    acrAdds: [],
  },
  {
    // docker's classic walker never enters `src` for `!**/*.go`. In ACR, az's `*` also drops the
    // .dockerignore itself from the upload, so the agent's docker has no rules, and az's own pass (which
    // walks into excluded folders for a stronger `!` rule) keeps the Go files at every depth.
    name: "everything but Go files: ACR sends Go files below folders that docker's classic walker skips",
    files: { ...TREE, 'ctx/.dockerignore': '*\n!**/*.go\n' },
    dockerfile: 'ctx/own.Dockerfile',
    acrDrops: [],
    acrAdds: ['/ctx/src', '/ctx/src/lib', '/ctx/src/lib/util.go', '/ctx/src/main.go'],
  },
  {
    name: "ACR's own differences: root VCS metadata, and az's **/x matching 'ax'",
    files: {
      ...TREE,
      'ctx/.dockerignore': '**/x\n',
      'ctx/.git/HEAD': 'ref',
      'ctx/.gitignore': 'x',
      'ctx/ax': 'x',
      'ctx/app/.git/HEAD': 'nested, kept',
    },
    dockerfile: 'ctx/own.Dockerfile',
    acrDrops: ['/ctx/.git', '/ctx/.git/HEAD', '/ctx/.gitignore', '/ctx/ax'],
    acrAdds: [],
  },
];

function inContext(files: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = { 'outside/secret': 'not sent' };
  for (const [name, content] of Object.entries(files))
    out[name.startsWith('ctx/') || name.startsWith('elsewhere/') ? name : `ctx/${name}`] = content;
  return out;
}

describe('quick build context parity with the docker CLI (classic builder)', function () {
  let env: DockerEnv;
  let runtime: DockerodeRuntime;
  const roots: string[] = [];
  const images: string[] = [];

  before(async function () {
    env = await getDocker();
    runtime = await runtimeFor(env);
  });
  after(async () => {
    roots.forEach((root) => rmSync(root, { recursive: true, force: true }));
    for (const image of images)
      await env.docker
        .getImage(image)
        .remove({ force: true })
        .catch(() => undefined);
  });

  CASES.forEach((testCase, index) => {
    it(testCase.name, async () => {
      const root = makeTree(inContext(testCase.files));
      roots.push(root);
      const runId = randomRunId(8);
      const cliTag = `acrtest/quick-parity:${runId}-cli`;
      const ourTag = `acrtest/quick-parity:${runId}-ours`;
      images.push(cliTag, ourTag);

      const cli = await execFileAsync(
        'docker',
        ['build', '--no-cache', '-f', testCase.dockerfile, '-t', cliTag, 'ctx'],
        {
          cwd: root,
          env: { ...process.env, ...env.processEnv, DOCKER_BUILDKIT: '0' },
          maxBuffer: 16 * 1024 * 1024,
        },
      );
      const events: RunEvent[] = [];
      const ours = await runQuickBuild({
        runtime,
        context: 'ctx',
        dockerfile: testCase.dockerfile,
        cwd: root,
        env: {},
        tags: [ourTag],
        noCache: true,
        runId,
        onEvent: (event) => events.push(event),
      });
      ok(ours.status === 'succeeded', ours.error);

      const cliFiles = ctxLines(cli.stdout);
      const uploaded = `/ctx/${ours.plan.buildWords[ours.plan.buildWords.indexOf('-f') + 1]}`;
      const expected = [
        ...cliFiles.filter((line) => !testCase.acrDrops.includes(line)),
        ...testCase.acrAdds,
        uploaded,
      ].sort();
      deepStrictEqual({ index, ours: ctxLines(stepOutput(events, 'build')) }, { index, ours: expected });
      // The differences are real: docker sends what ACR drops, and not what ACR adds.
      for (const dropped of testCase.acrDrops) ok(cliFiles.includes(dropped), `${dropped} is not sent by docker`);
      for (const added of testCase.acrAdds) ok(!cliFiles.includes(added), `${added} is sent by docker too`);
      ok(cliFiles.includes('/ctx'), 'the docker build listed its context');
      ok(ours.plan.buildWords.includes(path.basename(uploaded)));
    });
  });
});
