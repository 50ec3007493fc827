import { deepStrictEqual, throws } from 'node:assert';
import { Readable } from 'node:stream';
import * as tar from 'tar-stream';

import { RuntimeError } from '../../../server/src/engine/ContainerRuntime';
import {
  directoryChainTar,
  helperImageTar,
  prefixTarEntries,
  volumeSubpath,
} from '../../../server/src/engine/docker/volumeHelper';
import { describeEntries, readTarEntries } from './tarEntries';

describe('volumeSubpath', () => {
  const cases: Array<[string, string]> = [
    ['', ''],
    ['/', ''],
    ['.', ''],
    ['./', ''],
    ['/a/b/', 'a/b'],
    ['a//b/./c', 'a/b/c'],
    ['a/../b', 'b'],
  ];
  for (const [input, expected] of cases)
    it(`"${input}" → "${expected}"`, () => deepStrictEqual(volumeSubpath(input), expected));
  for (const input of ['..', '../x', 'a/../../x']) {
    it(`refuses "${input}"`, () => throws(() => volumeSubpath(input), RuntimeError));
  }
});

describe('volume helper tars', () => {
  it('the helper image holds only the mount point and a note', async () => {
    deepStrictEqual(describeEntries(await readTarEntries(Readable.from(await helperImageTar()))), [
      'd v/',
      'f README.acr-tasks-local',
    ]);
  });

  it('creates a directory chain', async () => {
    deepStrictEqual(describeEntries(await readTarEntries(Readable.from(await directoryChainTar('a/b/c')))), [
      'd a/',
      'd a/b/',
      'd a/b/c/',
    ]);
  });

  it('moves entries under a prefix, hard links too, symlink targets untouched', async () => {
    const pack = tar.pack();
    pack.entry({ name: './', type: 'directory' });
    pack.entry({ name: './src/', type: 'directory' });
    pack.entry({ name: 'src/a.txt' }, 'A');
    pack.entry({ name: 'src/hard', type: 'link', linkname: 'src/a.txt' });
    pack.entry({ name: 'up', type: 'symlink', linkname: '../../etc/passwd' });
    pack.finalize();
    const entries = await readTarEntries(prefixTarEntries(Readable.from(pack), 'v/ws'));
    deepStrictEqual(describeEntries(entries), [
      'd v/ws',
      'd v/ws/src',
      'f v/ws/src/a.txt',
      'l v/ws/src/hard -> v/ws/src/a.txt',
      's v/ws/up -> ../../etc/passwd',
    ]);
    deepStrictEqual(entries[2]?.content, 'A');
  });

  it('passes a broken input tar on as a stream error', async () => {
    const broken = Readable.from([Buffer.alloc(512, 7)]);
    let failed = false;
    try {
      await readTarEntries(prefixTarEntries(broken, 'v'));
    } catch {
      failed = true;
    }
    deepStrictEqual(failed, true);
  });
});
