/**
 * Two things DockerodeRuntime.dial does around docker-modem's `dial` (kept apart from the one file that
 * imports dockerode, which they do not need).
 */
import { Transform } from 'node:stream';

import type { ResolvedEndpoint } from '../dockerEndpoint';
import type { Deadline } from './engineErrors';

/**
 * For ssh:// endpoints docker-modem builds each request's path with `url.resolve('ssh:host:port', …)`,
 * which Node flags with a DEP0170 warning printed on stderr (apocas/docker-modem#184); the path it makes
 * is still the right one. The warning is raised synchronously inside `dial`, so it is silenced just there.
 */
export function dialQuietly(endpoint: ResolvedEndpoint, dial: () => void): void {
  if (endpoint.transport.kind !== 'ssh') return dial();
  const saved = process.noDeprecation;
  process.noDeprecation = true;
  try {
    dial();
  } finally {
    process.noDeprecation = saved;
  }
}

/**
 * The upload as it goes out: each chunk restarts the deadline, so a large context or workspace over a
 * slow link is not cut off while bytes are still moving (a stalled upload still times out).
 */
export function uploadWatched(file: NodeJS.ReadableStream, deadline: Deadline): NodeJS.ReadableStream {
  const watched = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      deadline.touch();
      callback(null, chunk);
    },
  });
  file.on('error', (error: Error) => watched.destroy(error));
  return file.pipe(watched);
}
