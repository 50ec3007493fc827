import { deepStrictEqual, match } from 'node:assert';
import type { Readable } from 'node:stream';
import * as tar from 'tar-stream';

import { volumeBuildContext } from '../../../server/src/engine/steps/volumeContext';
import { describeEntries, readTarEntries } from './tarEntries';

/** A volume archive of the directory `ctx`, named the way the Engine API names it (`ctx/…`). */
function volumeTar(files: Record<string, string>): Readable {
  const pack = tar.pack();
  pack.entry({ name: 'ctx/', type: 'directory', mode: 0o755 });
  for (const [name, content] of Object.entries(files)) pack.entry({ name: `ctx/${name}`, mode: 0o644 }, content);
  pack.finalize();
  return pack as unknown as Readable;
}

describe('volumeBuildContext (build steps read their context from the workspace volume)', () => {
  it('applies .dockerignore and keeps the Dockerfile in the context', async () => {
    const context = volumeBuildContext({
      source: volumeTar({
        '.dockerignore': '*.log\nDockerfile\n',
        Dockerfile: 'FROM scratch\n',
        'a.log': 'x',
        'app.c': 'c',
      }),
      topDirectory: 'ctx',
      dockerignore: '*.log\nDockerfile\n',
      dockerfileInContext: 'Dockerfile',
    });
    const entries = await readTarEntries(context.stream);
    deepStrictEqual(
      [describeEntries(entries), context.dockerfileInTar],
      [['f .dockerignore', 'f Dockerfile', 'f app.c'], 'Dockerfile'],
    );
  });

  const outsideCases: Array<{ name: string; dockerignore?: string; expectedIgnore: (generated: string) => string }> = [
    { name: 'without a .dockerignore', expectedIgnore: (generated) => `.dockerignore\n${generated}\n` },
    { name: 'with a .dockerignore', dockerignore: '*.log\n', expectedIgnore: (generated) => `*.log\n\n${generated}\n` },
  ];
  for (const { name, dockerignore, expectedIgnore } of outsideCases) {
    it(`a Dockerfile from outside the context, ${name}: sent as the docker CLI sends it`, async () => {
      const files: Record<string, string> = { 'a.log': 'x', 'app.c': 'c' };
      if (dockerignore !== undefined) files['.dockerignore'] = dockerignore;
      const context = volumeBuildContext({
        source: volumeTar(files),
        topDirectory: 'ctx',
        ...(dockerignore !== undefined ? { dockerignore } : {}),
        externalDockerfile: Buffer.from('FROM scratch\n'),
      });
      const entries = await readTarEntries(context.stream);
      const generated = context.dockerfileInTar ?? '';
      match(generated, /^\.dockerfile\.[0-9a-f]{20}$/);
      deepStrictEqual(
        entries.map((entry) => [entry.name, entry.content]),
        [
          ...(dockerignore === undefined ? [['a.log', 'x']] : []),
          ['app.c', 'c'],
          ['.dockerignore', expectedIgnore(generated)],
          [generated, 'FROM scratch\n'],
        ],
      );
    });
  }
});
