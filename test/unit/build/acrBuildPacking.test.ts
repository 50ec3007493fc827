/**
 * The `acr-build` packing mode: what the build of `az acr build` receives from a local folder — the az
 * upload rules first, then the agent's docker CLI applying the uploaded `.dockerignore` (spec §9.1).
 */
import { deepStrictEqual } from 'node:assert';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

import { packContext } from '../../../server/src/engine/context/contextPacking';
import { describeEntries, readTarEntries } from '../engine-docker/tarEntries';

const UUID = 'a'.repeat(32);

function makeTree(files: Record<string, string | { link: string }>): string {
  const root = mkdtempSync(path.join(tmpdir(), 'acr-build-'));
  for (const [name, value] of Object.entries(files)) {
    const full = path.join(root, name);
    mkdirSync(path.dirname(full), { recursive: true });
    if (typeof value === 'string') writeFileSync(full, value);
    else symlinkSync(value.link, full);
  }
  return root;
}

interface Case {
  name: string;
  files: Record<string, string | { link: string }>;
  dockerfile: string;
  /** Entries sent (files and symlinks; directory entries left out for brevity). */
  sent: string[];
  skipped: string[];
  ignoreFile: string | undefined;
}

const CASES: Case[] = [
  {
    name: 'docker semantics for ** and ! re-includes; the Dockerfile sent again as <uuidhex>_Dockerfile',
    files: {
      '.dockerignore': '*.log\n!keep.log\n**/tmp\n',
      Dockerfile: 'FROM scratch\n',
      'a.log': 'x',
      'keep.log': 'x',
      'src/tmp/t': 'x',
      'src/main.c': 'x',
    },
    dockerfile: 'Dockerfile',
    sent: ['f .dockerignore', 'f Dockerfile', 'f keep.log', 'f src/main.c', `f ${UUID}_Dockerfile`],
    skipped: ['src/tmp'],
    ignoreFile: '.dockerignore',
  },
  {
    name: 'a rooted /pattern: az never matches it, the agent docker does, so it is not sent',
    files: { '.dockerignore': '/vendor\n/notes.txt\n', Dockerfile: 'x', 'vendor/v.c': 'x', 'notes.txt': 'x' },
    dockerfile: 'Dockerfile',
    sent: ['f .dockerignore', 'f Dockerfile', `f ${UUID}_Dockerfile`],
    skipped: ['vendor'],
    ignoreFile: '.dockerignore',
  },
  {
    name: "az quirks stay: VCS metadata at the root is dropped, **/x also drops 'ax'",
    files: { '.dockerignore': '**/x\n', Dockerfile: 'x', ax: 'x', 'd/x': 'x', '.git/HEAD': 'x', '.gitignore': 'x' },
    dockerfile: 'Dockerfile',
    sent: ['f .dockerignore', 'f Dockerfile', `f ${UUID}_Dockerfile`],
    skipped: ['.git'],
    ignoreFile: '.dockerignore',
  },
  {
    name: '.dockerignore listing itself: az leaves it out, so the agent applies no rules of its own',
    files: { '.dockerignore': '.dockerignore\n/b\n', Dockerfile: 'x', a: 'x', b: 'x' },
    dockerfile: 'Dockerfile',
    // `/b` never matches in az, and the agent has no ignore file: b is sent.
    sent: ['f Dockerfile', 'f a', 'f b', `f ${UUID}_Dockerfile`],
    skipped: [],
    ignoreFile: '.dockerignore',
  },
  {
    name: '<Dockerfile>.dockerignore at the context root wins and drops the root .dockerignore',
    files: {
      '.dockerignore': 'root-ignored\n',
      'app.Dockerfile.dockerignore': 'az-ignored\n',
      'docker/app.Dockerfile': 'x',
      'docker/app.Dockerfile.dockerignore': 'bk-ignored\n',
      'root-ignored': 'x',
      'az-ignored': 'x',
      'bk-ignored': 'x',
    },
    dockerfile: 'docker/app.Dockerfile',
    sent: [
      'f app.Dockerfile.dockerignore',
      'f bk-ignored',
      'f docker/app.Dockerfile',
      'f docker/app.Dockerfile.dockerignore',
      'f root-ignored',
      `f ${UUID}_app.Dockerfile`,
    ],
    skipped: [],
    ignoreFile: 'app.Dockerfile.dockerignore',
  },
  {
    name: 'symlinks are sent as links, never followed',
    files: { Dockerfile: 'x', 'out-link': { link: '/etc/passwd' }, 'in-link': { link: 'Dockerfile' } },
    dockerfile: 'Dockerfile',
    sent: ['f Dockerfile', 's in-link -> Dockerfile', 's out-link -> /etc/passwd', `f ${UUID}_Dockerfile`],
    skipped: [],
    ignoreFile: undefined,
  },
];

describe('acr-build packing (az upload, then the agent docker CLI)', () => {
  const roots: string[] = [];
  after(() => roots.forEach((root) => rmSync(root, { recursive: true, force: true })));

  for (const testCase of CASES) {
    it(testCase.name, async () => {
      const root = makeTree(testCase.files);
      roots.push(root);
      const packed = await packContext({
        contextDir: root,
        mode: 'acr-build',
        dockerfile: testCase.dockerfile,
        generateId: () => UUID,
      });
      const entries = await readTarEntries(packed.stream);
      const report = await packed.report;
      deepStrictEqual(
        {
          sent: describeEntries(entries).filter((entry) => !entry.startsWith('d ')),
          skipped: report.skippedDirectories,
          ignoreFile: report.ignoreFile,
          dockerfileInTar: packed.dockerfileInTar,
        },
        {
          sent: testCase.sent,
          skipped: testCase.skipped,
          ignoreFile: testCase.ignoreFile,
          dockerfileInTar: `${UUID}_${path.basename(testCase.dockerfile)}`,
        },
      );
    });
  }

  it('a Dockerfile outside the context is sent under the uuid name only', async () => {
    const root = makeTree({ 'ctx/a': 'x', 'elsewhere/Dockerfile': 'FROM scratch\n' });
    roots.push(root);
    const packed = await packContext({
      contextDir: path.join(root, 'ctx'),
      mode: 'acr-build',
      dockerfile: path.join(root, 'elsewhere/Dockerfile'),
      generateId: () => UUID,
    });
    const entries = await readTarEntries(packed.stream);
    deepStrictEqual(
      entries.map((entry) => [entry.name, entry.content]),
      [
        ['a', 'x'],
        [`${UUID}_Dockerfile`, 'FROM scratch\n'],
      ],
    );
  });
});
