/**
 * Files into and out of Docker volumes through the Engine API only, so it works on a remote engine:
 * a never-started helper container mounts the volume and the archive endpoints move the data. The
 * helper's image is imported on first use from a tiny tar (nothing is pulled).
 */
import { PassThrough, Readable } from 'node:stream';

import { RuntimeError } from '../ContainerRuntime';
import { inspectImage, removeContainerQuietly, requestOptional, toError, type EngineRequests } from './engineRequests';
import { importImage } from './imageTransfer';
import {
  HELPER_COMMAND,
  HELPER_IMAGE,
  HELPER_LABEL,
  HELPER_MOUNT,
  directoryChainTar,
  helperImageTar,
  prefixTarEntries,
  volumeSubpath,
} from './volumeHelper';

export class VolumeTransfer {
  private helperImageReady = false;
  /** The check (and import) under way, shared by writes running side by side so the image is imported once. */
  private helperImagePending: Promise<void> | undefined;

  constructor(private readonly engine: EngineRequests) {}

  /** Extract `tar` into `path` of `volume` (which must exist; the path is created), through a helper container. */
  async write(
    volume: string,
    path: string,
    tar: Readable,
    labels: Record<string, string>,
    signal: AbortSignal,
  ): Promise<void> {
    const subpath = volumeSubpath(path);
    const helper = await this.createHelper(volume, labels, false, signal);
    try {
      if (subpath !== '') {
        const exists = await requestOptional(this.engine, 'inspect volume path', signal, {
          path: `/containers/${helper}/archive`,
          method: 'HEAD',
          query: { path: `${HELPER_MOUNT}/${subpath}` },
        });
        if (exists === undefined) {
          await this.putArchive(helper, HELPER_MOUNT, Readable.from(await directoryChainTar(subpath)), signal);
        }
      }
      const prefix = [HELPER_MOUNT.slice(1), subpath].filter((part) => part !== '').join('/');
      await this.putArchive(helper, '/', prefixTarEntries(tar, prefix), signal);
    } finally {
      await removeContainerQuietly(this.engine, helper);
    }
  }

  /**
   * A tar of `path` in `volume`. Entries are named after the path's last component (`src/…`, or just
   * `Dockerfile` for a file); for the volume root they are `./…`. The stream ends after the helper
   * container is gone.
   */
  async read(volume: string, path: string, labels: Record<string, string>, signal: AbortSignal): Promise<Readable> {
    const subpath = volumeSubpath(path);
    const helper = await this.createHelper(volume, labels, true, signal);
    let archive: NodeJS.ReadableStream;
    try {
      // For the root, `<mount>/.` asks for the contents: the mount point's own name means nothing to callers.
      archive = await this.engine.openStream('read volume', signal, {
        path: `/containers/${helper}/archive`,
        method: 'GET',
        query: { path: subpath === '' ? `${HELPER_MOUNT}/.` : `${HELPER_MOUNT}/${subpath}` },
      });
    } catch (error) {
      await removeContainerQuietly(this.engine, helper);
      throw error;
    }
    const output = new PassThrough();
    archive.pipe(output, { end: false });
    let ended = false;
    let archiveError: Error | undefined;
    archive.on('error', (error: Error) => (archiveError = error));
    archive.once('end', () => {
      ended = true;
      void removeContainerQuietly(this.engine, helper).then(() => output.end());
    });
    archive.once('close', () => {
      if (ended) return;
      const reason = `read volume: the archive stream broke off (${archiveError?.message ?? 'closed early'})`;
      output.destroy(signal.aborted ? toError(signal.reason) : new RuntimeError(reason, 'read volume'));
      void removeContainerQuietly(this.engine, helper);
    });
    return output;
  }

  /** A created (never started) container with `volume` at HELPER_MOUNT; returns its id. */
  private async createHelper(
    volume: string,
    labels: Record<string, string>,
    readOnly: boolean,
    signal: AbortSignal,
  ): Promise<string> {
    // Binding a missing volume would silently create an unlabelled one that no cleanup finds.
    await this.engine.request('inspect volume', signal, { path: `/volumes/${volume}`, method: 'GET' });
    await this.ensureHelperImage(signal);
    const created = await this.engine.request<{ Id: string }>('create volume helper', signal, {
      path: '/containers/create',
      method: 'POST',
      body: {
        Image: HELPER_IMAGE,
        Cmd: HELPER_COMMAND,
        Labels: { ...labels, [HELPER_LABEL]: 'volume' },
        NetworkDisabled: true,
        HostConfig: { Binds: [`${volume}:${HELPER_MOUNT}${readOnly ? ':ro' : ''}`] },
      },
    });
    return created.Id;
  }

  private async ensureHelperImage(signal: AbortSignal): Promise<void> {
    while (!this.helperImageReady) {
      const joined = this.helperImagePending !== undefined;
      const pending = (this.helperImagePending ??= this.provideHelperImage(signal).finally(
        () => (this.helperImagePending = undefined),
      ));
      try {
        await pending;
      } catch (error) {
        // Another caller's attempt may have ended with *its* signal; then ours tries again.
        if (!joined || signal.aborted) throw error;
      }
    }
  }

  private async provideHelperImage(signal: AbortSignal): Promise<void> {
    if (!(await inspectImage(this.engine, HELPER_IMAGE, signal))) {
      const rootfs = Readable.from(await helperImageTar());
      await importImage(this.engine, HELPER_IMAGE, rootfs, [`LABEL ${HELPER_LABEL}=volume`], signal);
    }
    this.helperImageReady = true;
  }

  private async putArchive(container: string, target: string, tar: Readable, signal: AbortSignal): Promise<void> {
    await this.engine.request('write to volume', signal, {
      path: `/containers/${container}/archive`,
      method: 'PUT',
      query: { path: target, noOverwriteDirNonDir: true },
      // The request timeout restarts with every uploaded chunk, so only a stalled upload times out.
      file: tar,
    });
  }
}
