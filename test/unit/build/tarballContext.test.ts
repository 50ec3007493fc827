/**
 * Tarball contexts against a loopback HTTP server (spec §9.1, acb `scan/context.go`): archive formats,
 * a non-archive giving an empty context, 3 attempts with 4xx failing fast, unreachable hosts, bad
 * archives — and an unpacking that never writes outside its folder.
 */
import { deepStrictEqual, match, rejects, strictEqual } from 'node:assert';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Readable } from 'node:stream';

import { classifyContext } from '../../../server/src/engine/remoteContext/contextSource';
import { extractTar } from '../../../server/src/engine/remoteContext/safeExtract';
import {
  fetchTarballContext,
  looksLikeTar,
  type TarballSource,
} from '../../../server/src/engine/remoteContext/tarballFetch';
import { ArchiveServer, compressWith, gzip, listFolder, tarOf, type ArchiveEntry } from './archives';

const CONTEXT: ArchiveEntry[] = [
  { name: 'Dockerfile', content: 'FROM scratch\n' },
  { type: 'directory', name: 'src' },
  { name: 'src/main.c', content: 'int main;' },
  { name: 'run.sh', content: '#!/bin/sh\n', mode: 0o755 },
  { type: 'symlink', name: 'link', linkname: 'src/main.c' },
];
const EXPECTED = [
  'Dockerfile: FROM scratch\n',
  'link -> src/main.c',
  'run.sh: #!/bin/sh\n',
  'src/',
  'src/main.c: int main;',
];

function source(url: string): TarballSource {
  const classified = classifyContext(url, () => false);
  if (classified.kind !== 'tarball') throw new Error(`not a tarball URL: ${url}`);
  return classified;
}

describe('tarball contexts', function () {
  const server = new ArchiveServer();
  const folders: string[] = [];
  let output: string[];

  function destination(): string {
    const root = mkdtempSync(path.join(tmpdir(), 'tarball-ctx-'));
    folders.push(root);
    const folder = path.join(root, 'context');
    mkdirSync(folder);
    return folder;
  }

  function fetch(url: string, folder = destination()) {
    return fetchTarballContext(source(url), folder, {
      signal: AbortSignal.timeout(30_000),
      output: (text) => output.push(text),
      backoffMs: 10,
    }).then((result) => ({ ...result, folder }));
  }

  before(() => server.start());
  after(async () => {
    await server.stop();
    for (const folder of folders) rmSync(folder, { recursive: true, force: true });
  });
  beforeEach(() => (output = []));

  const formats: [name: string, make: (tar: Buffer) => Buffer][] = [
    ['plain tar', (tar) => tar],
    ['gzip', gzip],
    ['bzip2', (tar) => compressWith('bzip2', tar)],
    ['xz', (tar) => compressWith('xz', tar)],
    ['zstd', (tar) => compressWith('zstd', tar)],
  ];
  for (const [name, make] of formats) {
    it(`unpacks a ${name} archive, keeping modes and links`, async () => {
      const url = server.serve(`/ctx-${name.replace(' ', '-')}`, { body: make(await tarOf(CONTEXT)) });
      const { folder, empty } = await fetch(url);
      deepStrictEqual({ empty, files: listFolder(folder) }, { empty: false, files: EXPECTED });
      strictEqual((await import('node:fs')).statSync(path.join(folder, 'run.sh')).mode & 0o777, 0o755);
    });
  }

  it('a file that is not an archive gives an empty context, and says so', async () => {
    const url = server.serve('/Dockerfile', { body: 'FROM scratch\n' });
    const { folder, empty } = await fetch(url);
    deepStrictEqual({ empty, files: listFolder(folder) }, { empty: true, files: [] });
    match(output.join(''), /WARNING: the URL is not an archive .* empty context/);
  });

  it('a 404 fails at once, with the server answer', async () => {
    const url = server.serve('/missing.tar.gz', { status: 404, body: 'not here' });
    await rejects(
      fetch(url),
      /unable to download remote context from .*missing\.tar\.gz: failed to GET .* with status 404 Not Found: not here/,
    );
    strictEqual(server.count('/missing.tar.gz'), 1);
  });

  it('a 5xx is retried: a server that recovers on the third attempt works', async () => {
    const tar = await tarOf(CONTEXT);
    const url = server.serve('/flaky.tar', { status: 503, body: 'busy' }, { status: 502 }, { body: tar });
    const { files } = { files: listFolder((await fetch(url)).folder) };
    deepStrictEqual({ files, requests: server.count('/flaky.tar') }, { files: EXPECTED, requests: 3 });
  });

  it('gives up after 3 attempts', async () => {
    const url = server.serve('/down.tar', { status: 500, body: 'broken' });
    await rejects(fetch(url), /status 500 Internal Server Error: broken/);
    strictEqual(server.count('/down.tar'), 3);
  });

  it('an unreachable host fails after 3 attempts with the connection error', async () => {
    const closed = new ArchiveServer();
    await closed.start();
    const url = `${closed.url}/ctx.tar`;
    await closed.stop();
    await rejects(
      fetch(url),
      /unable to download remote context from http:\/\/127\.0\.0\.1:\d+\/ctx\.tar: .*ECONNREFUSED/,
    );
    strictEqual(output.filter((line) => line.startsWith('Attempt')).length, 2);
  });

  it('bad archives: truncated gzip, gzip of something that is not tar', async () => {
    const gz = gzip(await tarOf(CONTEXT));
    const truncated = server.serve('/truncated.tar.gz', { body: gz, truncateAt: Math.floor(gz.length / 2) });
    await rejects(fetch(truncated), /unable to download remote context/);
    const notTar = server.serve('/text.gz', { body: gzip(Buffer.from('just text\n')) });
    await rejects(fetch(notTar), /bad archive: the gzip data is not a tar archive/);
    strictEqual(server.count('/text.gz'), 1);
    const garbage = server.serve('/garbage.gz', {
      body: Buffer.concat([Buffer.from([0x1f, 0x8b]), Buffer.alloc(600, 7)]),
    });
    await rejects(fetch(garbage), /bad archive: gzip: /);
  });

  it('sends the credentials of the URL as basic auth, never in the output', async () => {
    const url = server.serve('/private.tar', { body: await tarOf(CONTEXT) });
    await fetch(url.replace('http://', 'http://user:pa55word@'));
    const request = server.requests.find((entry) => entry.path === '/private.tar');
    strictEqual(request?.authorization, `Basic ${Buffer.from('user:pa55word').toString('base64')}`);
    strictEqual(output.join('').includes('pa55word'), false);
  });

  it('recognises tar headers (ustar and old-style checksums), not other data', async () => {
    const ustar = (await tarOf(CONTEXT)).subarray(0, 512);
    const oldStyle = Buffer.from(ustar);
    oldStyle.fill(0, 257, 265);
    let sum = 0;
    for (let index = 0; index < 512; index++) sum += index >= 148 && index < 156 ? 0x20 : oldStyle[index];
    oldStyle.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'latin1');
    deepStrictEqual(
      [ustar, oldStyle, Buffer.alloc(512), Buffer.alloc(512, 'a'), Buffer.from('short')].map(looksLikeTar),
      [true, true, false, false, false],
    );
  });

  describe('unpacking never writes outside the folder', () => {
    const escapes: [name: string, entries: ArchiveEntry[], message: RegExp][] = [
      ['a ../ name', [{ name: '../escaped', content: 'x' }], /points outside the context/],
      [
        'writing through a symlink to a folder outside',
        [
          { type: 'symlink', name: 'etc', linkname: '/tmp' },
          { name: 'etc/planted', content: 'x' },
        ],
        /goes through etc, which is not a directory/,
      ],
      [
        'a hard link to a file outside',
        [{ type: 'link', name: 'passwd', linkname: '../../../../etc/passwd' }],
        /points outside the context/,
      ],
      [
        'a hard link to something that is not a file of the archive',
        [{ type: 'link', name: 'hard', linkname: 'nothing' }],
        /the hard link hard points at nothing, which is not a file in the archive/,
      ],
    ];
    for (const [name, entries, message] of escapes) {
      it(`refuses ${name}`, async () => {
        const folder = destination();
        await rejects(extractTar(Readable.from([await tarOf(entries)]), folder, AbortSignal.timeout(10_000)), message);
        strictEqual(existsSync(path.join(path.dirname(folder), 'escaped')), false);
        strictEqual(existsSync('/tmp/planted'), false);
      });
    }

    it('keeps absolute names inside (moby drops the leading /) and hard links to earlier files', async () => {
      const folder = destination();
      await extractTar(
        Readable.from([
          await tarOf([
            { name: '/abs/file', content: 'a' },
            { name: './dot/../plain', content: 'p' },
            { type: 'link', name: 'hard', linkname: 'plain' },
          ]),
        ]),
        folder,
        AbortSignal.timeout(10_000),
      );
      deepStrictEqual(listFolder(folder), ['abs/', 'abs/file: a', 'hard: p', 'plain: p']);
    });
  });
});
