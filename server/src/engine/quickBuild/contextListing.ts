/**
 * What a quick build would send, without building (`build --list-context`, the editor's context report):
 * the context is packed exactly as for the build — same rules, same streaming — into a byte counter, so
 * the numbers are what the engine would receive. Remote contexts are fetched into a temporary folder
 * first and removed afterwards.
 */
import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

import type { ContextReport } from '../context/contextPacking';
import { BuildSource, contextWarnings } from './buildSource';
import { resolveBuildSource } from './runQuickBuild';

export interface ContextListingOptions {
  context: string;
  dockerfile?: string;
  cwd: string;
  env: Readonly<Record<string, string | undefined>>;
  signal: AbortSignal;
  /** Progress of fetching a remote context. */
  output?: (text: string) => void;
  /** Collect every path sent (in tar order). */
  listPaths?: boolean;
  /** How many of the largest files to name. Default 10. */
  largestCount?: number;
}

export interface ContextListing extends ContextReport {
  source: 'local' | 'git' | 'tarball';
  /** The context as given (a URL without credentials for remote ones). */
  context: string;
  /** The Dockerfile: absolute for local contexts, relative to the context root for remote ones. */
  dockerfile: string;
  /** Bytes of the tar stream itself (headers and padding included). */
  tarBytes: number;
}

/** Packs the context into a counter; rule problems and what breaks builds are in `warnings`. */
export async function listBuildContext(options: ContextListingOptions): Promise<ContextListing> {
  const { source, dockerfile } = resolveBuildSource(options.context, options.dockerfile, options.cwd);
  const buildSource = new BuildSource({
    source,
    dockerfile,
    uploadId: randomUUID().replace(/-/g, ''),
    env: options.env,
  });
  try {
    await buildSource.prepare(options.signal, options.output ?? (() => undefined));
    const packed = await buildSource.packWithReport({
      ...(options.listPaths ? { listPaths: true } : {}),
      ...(options.largestCount !== undefined ? { largestCount: options.largestCount } : {}),
    });
    let tarBytes = 0;
    await pipeline(
      packed.stream,
      new Writable({
        write(chunk: Buffer, _encoding, done) {
          tarBytes += chunk.length;
          done();
        },
      }),
      { signal: options.signal },
    );
    const report = await packed.report;
    return {
      ...report,
      warnings: contextWarnings(report),
      source: source.kind,
      context: source.kind === 'local' ? source.path : source.display,
      dockerfile,
      tarBytes,
    };
  } finally {
    await buildSource.dispose();
  }
}
