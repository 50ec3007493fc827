/**
 * The Build Context requests of the run bridge: a quick build (engine/quickBuild) prepared from the
 * editor's parameters — bad input fails the request before any run exists — and the context report.
 */
import { isAbsolute, parse } from 'node:path';
import type { CancellationToken } from 'vscode-languageserver/node';

import { listBuildContext } from '../engine/quickBuild/contextListing';
import { prepareQuickBuild, QuickBuildError } from '../engine/quickBuild/runQuickBuild';
import { isHttpUrl } from '../engine/remoteContext/contextSource';
import type { BuildContextParams, ContextReportParams, ContextReportResult } from '../protocol';
import type { LaunchCommon } from './runBridge';
import { userError } from './handler';

/**
 * Context and Dockerfile of an editor request: a folder is absolute (a relative Dockerfile is read from
 * it); anything else is a URL, for which the file system is never consulted.
 */
export function quickBuildLocation(params: { context: string; dockerfile?: string }): {
  context: string;
  cwd: string;
  dockerfile?: string;
} {
  const local = !isHttpUrl(params.context) && isAbsolute(params.context);
  if (!local && !/^(git@|git:\/\/|github\.com\/)/.test(params.context) && !isHttpUrl(params.context))
    throw userError(`the context must be an absolute folder or a URL: ${params.context}`);
  return {
    context: params.context,
    cwd: local ? params.context : parse(process.cwd()).root,
    ...(params.dockerfile ? { dockerfile: params.dockerfile } : {}),
  };
}

/** Plans the quick build; resolves with what starts it, or fails the request with a user error. */
export async function prepareBuildContext(
  params: BuildContextParams,
  common: LaunchCommon,
): Promise<() => Promise<unknown>> {
  try {
    const prepared = await prepareQuickBuild({
      ...common,
      ...quickBuildLocation(params),
      env: process.env,
      tags: params.tags,
      trigger: 'build',
      ...(params.buildArgs ? { buildArgs: params.buildArgs } : {}),
      ...(params.secretBuildArgs ? { secretBuildArgs: params.secretBuildArgs } : {}),
      ...(params.platform ? { platform: params.platform } : {}),
      ...(params.target ? { target: params.target } : {}),
      ...(params.noPush ? { noPush: true } : {}),
      ...(params.noCache ? { noCache: true } : {}),
      ...(params.registry ? { registry: params.registry } : {}),
      ...(params.timeoutSeconds ? { timeoutSeconds: params.timeoutSeconds } : {}),
    });
    return () => prepared.start();
  } catch (error) {
    throw error instanceof QuickBuildError ? userError(error.message) : error;
  }
}

/** What Build Context would send, without building; LSP cancellation stops a remote fetch. */
export async function contextReport(
  params: ContextReportParams,
  token: CancellationToken,
): Promise<ContextReportResult> {
  const controller = new AbortController();
  const subscription = token.onCancellationRequested(() => controller.abort());
  try {
    return await listBuildContext({
      ...quickBuildLocation(params),
      env: process.env,
      signal: controller.signal,
      ...(params.listPaths ? { listPaths: true } : {}),
      ...(params.largestCount !== undefined ? { largestCount: params.largestCount } : {}),
    });
  } catch (error) {
    throw userError(error instanceof Error ? error.message : String(error));
  } finally {
    subscription.dispose();
  }
}
