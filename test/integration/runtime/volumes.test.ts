/**
 * Volume data through the Engine API only (helper container, putArchive/getArchive): a round trip on the
 * local engine and on the remote TLS engine, where no host path could be shared.
 */
import { deepStrictEqual, rejects } from 'node:assert';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

import { RuntimeError } from '../../../server/src/engine/ContainerRuntime';
import type { DockerodeRuntime } from '../../../server/src/engine/DockerodeRuntime';
import { packContext } from '../../../server/src/engine/context/contextPacking';
import { describeEntries, readTarEntries } from '../../unit/engine-docker/tarEntries';
import { getDocker, getTlsDocker, type DockerEnv } from '../setup';
import { newRun, outputCollector, removeRunResources, runtimeFor, spec, testSignal } from './runtimeFixtures';

const engines: Array<{ name: string; lease: () => Promise<DockerEnv> }> = [
  { name: 'local engine', lease: getDocker },
  { name: 'remote TLS engine', lease: getTlsDocker },
];

for (const engine of engines) {
  describe(`DockerodeRuntime volumes on the ${engine.name}`, function () {
    let runtime: DockerodeRuntime;
    let run: ReturnType<typeof newRun>;
    let source: string;

    before(async function () {
      runtime = await runtimeFor(await engine.lease());
      source = mkdtempSync(path.join(tmpdir(), 'vol-src-'));
      mkdirSync(path.join(source, 'ctx/src'), { recursive: true });
      writeFileSync(path.join(source, 'ctx/README'), 'read me\n');
      writeFileSync(path.join(source, 'ctx/src/main.sh'), 'echo main\n', { mode: 0o755 });
      symlinkSync('../../outside/secret', path.join(source, 'ctx/src/up'));
    });
    after(() => rmSync(source, { recursive: true, force: true }));
    beforeEach(() => (run = newRun()));
    afterEach(async () => removeRunResources(runtime, run.runId));

    it('writes a packed context into a volume and a container sees it, symlinks and modes intact', async () => {
      const volume = `${run.runId}-ws`;
      await runtime.createVolume(volume, run.labels, testSignal());
      const packed = await packContext({ contextDir: path.join(source, 'ctx'), mode: 'acr-upload' });
      await runtime.writeToVolume(volume, '/', packed.stream, run.labels, testSignal());
      await packed.report;
      const output = outputCollector();
      await runtime.runContainer(
        spec({
          name: `${run.runId}-look`,
          args: [
            'sh',
            '-c',
            'cd /workspace && find . | sort && readlink src/up && stat -c %a src/main.sh && sh src/main.sh',
          ],
          binds: [`${volume}:/workspace`],
          labels: run.labels,
        }),
        { signal: testSignal(), detach: false, onOutput: output.onOutput },
      );
      deepStrictEqual(output.text, {
        stdout: '.\n./README\n./src\n./src/main.sh\n./src/up\n../../outside/secret\n755\nmain\n',
        stderr: '',
      });
    });

    it('writes below a path that does not exist yet and reads a directory and a single file back', async () => {
      const volume = `${run.runId}-data`;
      await runtime.createVolume(volume, run.labels, testSignal());
      const packed = await packContext({ contextDir: path.join(source, 'ctx'), mode: 'docker-classic' });
      await runtime.writeToVolume(volume, 'deep/er', packed.stream, run.labels, testSignal());

      const directory = await readTarEntries(
        await runtime.readFromVolume(volume, 'deep/er/src', run.labels, testSignal()),
      );
      const file = await readTarEntries(
        await runtime.readFromVolume(volume, 'deep/er/README', run.labels, testSignal()),
      );
      const root = await readTarEntries(await runtime.readFromVolume(volume, '/', run.labels, testSignal()));
      deepStrictEqual(
        {
          directory: describeEntries(directory),
          file: file.map((e) => [e.name, e.content]),
          root: describeEntries(root),
        },
        {
          directory: ['d src/', 'f src/main.sh', 's src/up -> ../../outside/secret'],
          file: [['README', 'read me\n']],
          root: [
            'd ./',
            'd ./deep/',
            'd ./deep/er/',
            'f ./deep/er/README',
            'd ./deep/er/src/',
            'f ./deep/er/src/main.sh',
            's ./deep/er/src/up -> ../../outside/secret',
          ],
        },
      );
      // Helper containers are gone once their streams are read.
      deepStrictEqual(await runtime.listRunResources(run.runId, testSignal()), {
        containers: [],
        networks: [],
        volumes: [volume],
      });
    });

    it('refuses a volume that does not exist instead of creating an unlabelled one', async () => {
      const packed = await packContext({ contextDir: path.join(source, 'ctx'), mode: 'docker-classic' });
      await rejects(
        runtime.writeToVolume(`${run.runId}-absent`, '/', packed.stream, run.labels, testSignal()),
        (error: unknown) => {
          return error instanceof RuntimeError && error.statusCode === 404;
        },
      );
      packed.stream.destroy();
      deepStrictEqual(await runtime.listRunResources(run.runId, testSignal()), {
        containers: [],
        networks: [],
        volumes: [],
      });
    });

    it('reading a missing path is a 404 RuntimeError and leaves no helper behind', async () => {
      const volume = `${run.runId}-empty`;
      await runtime.createVolume(volume, run.labels, testSignal());
      await rejects(runtime.readFromVolume(volume, 'nope', run.labels, testSignal()), (error: unknown) => {
        return error instanceof RuntimeError && error.statusCode === 404;
      });
      deepStrictEqual(await runtime.listRunResources(run.runId, testSignal()), {
        containers: [],
        networks: [],
        volumes: [volume],
      });
    });
  });
}
