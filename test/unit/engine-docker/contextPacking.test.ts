import { deepStrictEqual, rejects, strictEqual } from 'node:assert';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

import {
  ContextPackingError,
  packContext,
  type ContextReport,
  type PackContextOptions,
} from '../../../server/src/engine/context/contextPacking';
import { describeEntries, readTarEntries } from './tarEntries';

/** Creates files (`content`), directories (trailing `/`) and symlinks (`{ link }`) under a temp dir. */
function makeTree(files: Record<string, string | { link: string }>): string {
  const root = mkdtempSync(path.join(tmpdir(), 'ctx-'));
  for (const [name, value] of Object.entries(files)) {
    const full = path.join(root, name);
    if (name.endsWith('/')) {
      mkdirSync(full, { recursive: true });
      continue;
    }
    mkdirSync(path.dirname(full), { recursive: true });
    if (typeof value === 'string') writeFileSync(full, value);
    else symlinkSync(value.link, full);
  }
  return root;
}

/** Temp trees made by the current test; removed after it. */
const roots: string[] = [];

async function pack(files: Record<string, string | { link: string }>, options: Omit<PackContextOptions, 'contextDir'>) {
  const root = makeTree(files);
  roots.push(root);
  const packed = await packContext({
    ...options,
    contextDir: path.join(root, 'ctx'),
    generateId: () => 'f'.repeat(32),
  });
  const entries = await readTarEntries(packed.stream);
  return { root, entries, report: await packed.report, dockerfileInTar: packed.dockerfileInTar };
}

describe('packContext', () => {
  afterEach(() => {
    for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
  });

  const tricky = {
    'ctx/.dockerignore': '*\n!**/*.go\n!a.txt\nDockerfile\n',
    'ctx/Dockerfile': 'FROM scratch\n',
    'ctx/a.txt': 'a',
    'ctx/b.txt': 'b',
    'ctx/src/a.go': 'go',
    'ctx/src/c.js': 'js',
    'ctx/src/sub/b.go': 'go',
    'ctx/.git/HEAD': 'ref',
  };

  it('docker-classic: ** and ! as the docker CLI sends them; Dockerfile and .dockerignore always sent', async () => {
    const { entries, report } = await pack(tricky, { mode: 'docker-classic', dockerfile: 'Dockerfile' });
    deepStrictEqual(describeEntries(entries), ['f .dockerignore', 'f Dockerfile', 'f a.txt']);
    deepStrictEqual(
      {
        skipped: report.skippedDirectories,
        dockerfileExcluded: report.dockerfileExcluded,
        inTar: report.dockerfileInTar,
      },
      { skipped: ['.git', 'src'], dockerfileExcluded: true, inTar: 'Dockerfile' },
    );
  });

  it('docker-buildkit: the same rules re-include Go files below excluded directories', async () => {
    const { entries } = await pack(tricky, { mode: 'docker-buildkit', dockerfile: 'Dockerfile' });
    deepStrictEqual(describeEntries(entries), [
      'f .dockerignore',
      'f Dockerfile',
      'f a.txt',
      'f src/a.go',
      'f src/sub/b.go',
    ]);
  });

  it('acr-upload: az rules, VCS dropped, the Dockerfile added again as <uuidhex>_<basename>', async () => {
    const { entries, report, dockerfileInTar } = await pack(tricky, { mode: 'acr-upload', dockerfile: 'Dockerfile' });
    const generated = `${'f'.repeat(32)}_Dockerfile`;
    deepStrictEqual(describeEntries(entries), ['f a.txt', 'f src/a.go', 'f src/sub/b.go', `f ${generated}`]);
    deepStrictEqual(
      { dockerfileInTar, reportName: report.dockerfileInTar, excluded: report.dockerfileExcluded },
      {
        dockerfileInTar: generated,
        reportName: generated,
        excluded: true,
      },
    );
  });

  it('acr-upload without an ignore file keeps everything except root VCS metadata, with directory entries', async () => {
    const { entries } = await pack(
      { 'ctx/.git/HEAD': 'x', 'ctx/.gitignore': 'x', 'ctx/app/.git/HEAD': 'x', 'ctx/app/main.c': 'x' },
      { mode: 'acr-upload' },
    );
    deepStrictEqual(describeEntries(entries), ['d app', 'd app/.git', 'f app/.git/HEAD', 'f app/main.c']);
  });

  it('nested re-include: an excluded directory is entered only for the ! rule inside it', async () => {
    const files = {
      'ctx/.dockerignore': 'docs\nvendor\n!docs/keep\n',
      'ctx/docs/a.md': 'a',
      'ctx/docs/keep/b.md': 'b',
      'ctx/vendor/lib/x.c': 'x',
      'ctx/main.c': 'm',
    };
    for (const mode of ['docker-classic', 'docker-buildkit', 'acr-upload'] as const) {
      const { entries, report } = await pack(files, { mode });
      deepStrictEqual(
        {
          mode,
          entries: describeEntries(entries).filter((e) => !e.endsWith('.dockerignore')),
          skipped: report.skippedDirectories,
        },
        { mode, entries: ['d docs/keep', 'f docs/keep/b.md', 'f main.c'], skipped: ['vendor'] },
      );
    }
  });

  it('per-Dockerfile ignore files: az reads <context>/<name>.dockerignore, BuildKit <dockerfile>.dockerignore, classic neither', async () => {
    const files = {
      'ctx/.dockerignore': 'root-ignored\n',
      'ctx/app.Dockerfile.dockerignore': 'az-ignored\n',
      'ctx/docker/app.Dockerfile': 'FROM scratch\n',
      'ctx/docker/app.Dockerfile.dockerignore': 'bk-ignored\n',
      'ctx/root-ignored': 'x',
      'ctx/az-ignored': 'x',
      'ctx/bk-ignored': 'x',
    };
    const results: Record<string, { ignoreFile: string | undefined; sent: string[] }> = {};
    for (const mode of ['docker-classic', 'docker-buildkit', 'acr-upload'] as const) {
      const { entries, report } = await pack(files, { mode, dockerfile: 'docker/app.Dockerfile' });
      results[mode] = {
        ignoreFile: report.ignoreFile,
        sent: describeEntries(entries).filter((e) => e.endsWith('-ignored') || e.endsWith(' .dockerignore')),
      };
    }
    deepStrictEqual(results, {
      'docker-classic': { ignoreFile: '.dockerignore', sent: ['f .dockerignore', 'f az-ignored', 'f bk-ignored'] },
      'docker-buildkit': {
        ignoreFile: 'docker/app.Dockerfile.dockerignore',
        sent: ['f .dockerignore', 'f az-ignored', 'f root-ignored'],
      },
      // az's override also drops the root .dockerignore itself.
      'acr-upload': { ignoreFile: 'app.Dockerfile.dockerignore', sent: ['f bk-ignored', 'f root-ignored'] },
    });
  });

  it('stores symlinks as symlinks, never follows them, and reports those pointing outside', async () => {
    const { entries, report } = await pack(
      {
        'outside/secret.txt': 'do not send',
        'ctx/inside.txt': 'i',
        'ctx/to-inside': { link: 'inside.txt' },
        'ctx/sub/to-outside': { link: '../../outside/secret.txt' },
        'ctx/to-outside-dir': { link: '../outside' },
      },
      { mode: 'docker-classic' },
    );
    deepStrictEqual(
      {
        entries: describeEntries(entries),
        external: report.externalSymlinks,
        symlinks: report.symlinks,
        files: report.files,
      },
      {
        entries: [
          'f inside.txt',
          'd sub',
          's sub/to-outside -> ../../outside/secret.txt',
          's to-inside -> inside.txt',
          's to-outside-dir -> ../outside',
        ],
        external: ['sub/to-outside', 'to-outside-dir'],
        symlinks: 3,
        files: 1,
      },
    );
  });

  it('keeps modes and mtimes and orders entries by byte order, depth first', async () => {
    const root = makeTree({ 'ctx/b/x': 'x', 'ctx/B': 'B', 'ctx/a.sh': '#!/bin/sh\n', 'ctx/a/y': 'y' });
    roots.push(root);
    chmodSync(path.join(root, 'ctx/a.sh'), 0o750);
    utimesSync(path.join(root, 'ctx/a.sh'), 1_600_000_000, 1_600_000_000);
    const packed = await packContext({ contextDir: path.join(root, 'ctx'), mode: 'docker-classic' });
    const entries = await readTarEntries(packed.stream);
    deepStrictEqual(describeEntries(entries), ['f B', 'd a', 'f a/y', 'f a.sh', 'd b', 'f b/x']);
    const script = entries.find((e) => e.name === 'a.sh');
    deepStrictEqual({ mode: script?.mode, mtime: script?.mtimeSeconds }, { mode: 0o750, mtime: 1_600_000_000 });
  });

  describe('a Dockerfile from outside the context, as the docker CLI sends it', () => {
    const generated = `.dockerfile.${'f'.repeat(20)}`;
    const cases: Array<{ name: string; ignore?: string; entries: string[]; sentIgnore: string }> = [
      {
        name: 'no .dockerignore: one is made that drops itself and the Dockerfile from the build',
        entries: ['f app.c', 'f .dockerignore', `f ${generated}`],
        sentIgnore: `.dockerignore\n${generated}\n`,
      },
      {
        name: 'a .dockerignore: the Dockerfile is appended to it, once, at the end',
        ignore: '*.log\n',
        entries: ['f app.c', 'f .dockerignore', `f ${generated}`],
        sentIgnore: `*.log\n\n${generated}\n`,
      },
    ];
    for (const { name, ignore, entries, sentIgnore } of cases) {
      it(name, async () => {
        const files = {
          'ctx/app.c': 'c',
          'ctx/debug.log': 'x',
          'build/Dockerfile': 'FROM scratch\n',
          ...(ignore === undefined ? {} : { 'ctx/.dockerignore': ignore }),
        };
        const classic = await pack(files, { mode: 'docker-classic', dockerfile: '../build/Dockerfile' });
        deepStrictEqual(
          describeEntries(classic.entries),
          ignore === undefined ? ['f app.c', 'f debug.log', ...entries.slice(1)] : entries,
        );
        strictEqual(classic.dockerfileInTar, generated);
        const content = (entry: string) => classic.entries.find((e) => e.name === entry)?.content;
        deepStrictEqual([content(generated), content('.dockerignore')], ['FROM scratch\n', sentIgnore]);
      });
    }
  });

  it('reports sizes, the largest files and every path', async () => {
    const { report } = await pack(
      { 'ctx/big.bin': 'x'.repeat(5000), 'ctx/mid.bin': 'x'.repeat(300), 'ctx/d/small.txt': 'x', 'ctx/empty': '' },
      { mode: 'docker-classic', listPaths: true, largestCount: 2 },
    );
    const expected: Partial<ContextReport> = {
      files: 4,
      directories: 1,
      totalBytes: 5301,
      largest: [
        { path: 'big.bin', size: 5000 },
        { path: 'mid.bin', size: 300 },
      ],
      paths: ['big.bin', 'd', 'd/small.txt', 'empty', 'mid.bin'],
    };
    deepStrictEqual(
      {
        files: report.files,
        directories: report.directories,
        totalBytes: report.totalBytes,
        largest: report.largest,
        paths: report.paths,
      },
      expected,
    );
  });

  it('streams large files without changing them', async () => {
    const big = 'abcdefghij'.repeat(300_000);
    const { entries } = await pack({ 'ctx/large.txt': big }, { mode: 'docker-classic' });
    strictEqual(entries[0]?.content === big, true);
  });

  const failures: Array<{ name: string; options: Omit<PackContextOptions, 'contextDir'>; message: RegExp }> = [
    {
      name: 'missing Dockerfile',
      options: { mode: 'docker-classic', dockerfile: 'Nope' },
      message: /the Dockerfile .*Nope does not exist/,
    },
  ];
  for (const { name, options, message } of failures) {
    it(`rejects before streaming: ${name}`, async () => {
      const root = makeTree({ 'ctx/a': 'a' });
      roots.push(root);
      await rejects(packContext({ ...options, contextDir: path.join(root, 'ctx') }), (error: unknown) => {
        strictEqual(error instanceof ContextPackingError, true);
        strictEqual(message.test((error as Error).message), true, (error as Error).message);
        return true;
      });
    });
  }

  it('rejects a missing context directory', async () => {
    await rejects(packContext({ contextDir: '/nonexistent/ctx', mode: 'acr-upload' }), {
      name: 'ContextPackingError',
      message: 'the build context /nonexistent/ctx does not exist',
    });
  });
});
