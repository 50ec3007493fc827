/**
 * A quick build (`az acr build`, spec §9.1) on a container engine: the context (a local folder, a git URL
 * or a tarball URL) and the options become acb's build task — run variables rendered into tags and build
 * arguments, tags prefixed with the registry, a `build` step and, when there is something to push, a
 * `push` step `when: [build]` — which runs through {@link runTask} like any task file: same events,
 * masking, history and cleanup. The context goes straight from disk to the build ({@link BuildSource}).
 */
import { randomUUID } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import * as path from 'node:path';

import type { ContainerRuntime, EngineInfo } from '../ContainerRuntime';
import { classifyContext, type ContextSource } from '../remoteContext/contextSource';
import { generateRunId, isValidRunId } from '../run/runId';
import { workspaceVolumeName } from '../run/runSetup';
import { runTask, type RunResult, type RunTaskOptions } from '../run/runTask';
import { buildRunVariables, gitRevision } from '../run/runVariables';
import { BuildSource, dockerfileInBuild } from './buildSource';
import { foreignPlatformWarning, parsePlatform } from './platform';
import { planQuickBuild, type QuickBuildPlan, type QuickBuildRequest } from './quickBuildPlan';

/** The build cannot start: bad options, a missing context or Dockerfile. Nothing ran. */
export class QuickBuildError extends Error {
  override name = 'QuickBuildError';
}

export interface QuickBuildOptions
  extends
    QuickBuildRequest,
    Pick<
      RunTaskOptions,
      | 'registryAuths'
      | 'resolveRegistryAuth'
      | 'signal'
      | 'onEvent'
      | 'store'
      | 'timeoutSeconds'
      | 'timing'
      | 'runVariables'
      | 'origin'
    > {
  runtime: ContainerRuntime;
  /** A local folder (relative to `cwd`), a git URL (`…git#ref:subdir`) or an http(s) tarball URL. */
  context: string;
  /**
   * `-f`. Local context: relative to `cwd` (as az resolves it), default `<context>/Dockerfile`, may be
   * outside the context. Remote context: relative to the context root, default `Dockerfile`.
   */
  dockerfile?: string;
  cwd: string;
  /** For `--build-arg NAME` without a value, and git's environment. */
  env: Readonly<Record<string, string | undefined>>;
  runId?: string;
  /** `Build` by default; what the history shows as the trigger. */
  trigger?: string;
  /** Back-off between tarball download attempts (tests shorten it). */
  downloadBackoffMs?: number;
}

export interface QuickBuildResult extends RunResult {
  plan: QuickBuildPlan;
}

/** Where the context is and which Dockerfile it uses; throws {@link QuickBuildError}. */
export function resolveBuildSource(
  context: string,
  dockerfile: string | undefined,
  cwd: string,
): { source: ContextSource; dockerfile: string } {
  let source: ContextSource;
  try {
    source = classifyContext(context, (candidate) => existsSync(path.resolve(cwd, candidate)));
  } catch (error) {
    throw new QuickBuildError(error instanceof Error ? error.message : String(error));
  }
  if (source.kind !== 'local') {
    const relative = (dockerfile ?? 'Dockerfile').split(path.sep).join('/');
    if (path.posix.isAbsolute(relative))
      throw new QuickBuildError(`-f ${relative}: for a remote context the Dockerfile is a path inside it`);
    return { source, dockerfile: relative };
  }
  const folder = path.resolve(cwd, source.path);
  if (!statSync(folder).isDirectory())
    throw new QuickBuildError(`the build context ${context} is not a folder (give a folder or a URL)`);
  // az: without -f, `<context>/Dockerfile`; with -f, relative to the current directory.
  const file = dockerfile === undefined ? path.join(folder, 'Dockerfile') : path.resolve(cwd, dockerfile);
  let isFile = false;
  try {
    isFile = statSync(file).isFile();
  } catch {
    // reported below
  }
  if (!isFile) throw new QuickBuildError(`the Dockerfile ${dockerfile ?? file} does not exist or is not a file`);
  return { source: { kind: 'local', path: folder }, dockerfile: file };
}

async function engineInfo(runtime: ContainerRuntime, signal: AbortSignal): Promise<EngineInfo | undefined> {
  // An unreachable engine is reported by the run itself, in its usual words.
  return runtime.info(AbortSignal.any([signal, AbortSignal.timeout(30_000)])).catch(() => undefined);
}

/** A quick build ready to start: its plan is known, its run id chosen; nothing has run yet. */
export interface PreparedQuickBuild {
  runId: string;
  plan: QuickBuildPlan;
  /** Runs the build (fetching a remote context first) and removes what was fetched. */
  start(): Promise<QuickBuildResult>;
  /** Removes what was fetched, for a prepared build that is never started. */
  dispose(): Promise<void>;
}

/** Checks the options and plans the build; throws {@link QuickBuildError} when it cannot run. */
export async function prepareQuickBuild(options: QuickBuildOptions): Promise<PreparedQuickBuild> {
  const signal = options.signal ?? new AbortController().signal;
  if (options.runId !== undefined && !isValidRunId(options.runId))
    throw new QuickBuildError(`invalid run id ${JSON.stringify(options.runId)}: use lowercase letters and digits`);
  let platform: string | undefined;
  if (options.platform !== undefined) {
    const parsed = parsePlatform(options.platform);
    if (!parsed.ok) throw new QuickBuildError(parsed.error);
    platform = parsed.text;
  }
  const { source, dockerfile } = resolveBuildSource(options.context, options.dockerfile, options.cwd);
  const uploadId = randomUUID().replace(/-/g, '');
  const runId = options.runId ?? (await generateRunId((id) => options.store?.has(id) ?? false));
  const startedAt = new Date();
  // The run itself asks the engine and git again; ask here only when the templates can use the answers.
  const templates = [...options.tags, ...(options.buildArgs ?? []), ...(options.secretBuildArgs ?? [])].join('\n');
  const needs = (pattern: RegExp) => /\{\{/.test(templates) && pattern.test(templates);
  const engine =
    platform !== undefined || needs(/OS|Architecture|RunJSON/) || /\$(OS|Architecture)\b/.test(templates)
      ? await engineInfo(options.runtime, signal)
      : undefined;
  const git =
    source.kind === 'local' && (needs(/Commit|Branch|RunJSON/) || /\$(Commit|Branch)\b/.test(templates))
      ? await gitRevision(source.path, signal)
      : { commit: '', branch: '' };
  const run = buildRunVariables({
    runId,
    startedAt,
    os: engine?.os ?? '',
    architecture: engine?.architecture ?? '',
    sharedVolume: workspaceVolumeName(runId),
    commit: git.commit,
    branch: git.branch,
    ...(options.registry ? { registry: options.registry } : {}),
    ...(options.runVariables ? { extra: options.runVariables } : {}),
  });
  const credentialRegistries = [
    ...(options.credentialRegistries ?? []),
    ...(options.registryAuths ?? []).map((auth) => auth.serveraddress),
  ];
  const planned = planQuickBuild(
    { ...options, ...(platform ? { platform } : {}), credentialRegistries },
    { dockerfile: dockerfileInBuild({ source, dockerfile, uploadId }), run, env: options.env },
  );
  if (!planned.ok) throw new QuickBuildError(planned.error);
  const plan = planned.plan;
  const warnings = [...plan.warnings];
  const parsedPlatform = platform ? parsePlatform(platform) : undefined;
  if (parsedPlatform?.ok && engine) {
    const warning = foreignPlatformWarning(parsedPlatform.platform, {
      os: engine.os,
      architecture: engine.architecture,
    });
    if (warning) warnings.push(`--platform ${platform}: ${warning}`);
  }
  const buildSource = new BuildSource({
    source,
    dockerfile,
    uploadId,
    env: options.env,
    ...(options.downloadBackoffMs !== undefined ? { downloadBackoffMs: options.downloadBackoffMs } : {}),
  });
  const taskOptions: RunTaskOptions = {
    runtime: options.runtime,
    taskFile: source.kind === 'local' ? dockerfile : `${source.display} (${dockerfile})`,
    taskText: plan.taskText,
    contextDir: source.kind === 'local' ? source.path : source.display,
    secrets: plan.secrets,
    runId,
    startedAt,
    trigger: options.trigger ?? 'build',
    directBuildContext: buildSource,
    warnings,
    ...(options.registry ? { registry: options.registry } : {}),
    ...pick(options, [
      'registryAuths',
      'resolveRegistryAuth',
      'signal',
      'onEvent',
      'store',
      'timeoutSeconds',
      'timing',
      'runVariables',
      'origin',
    ]),
  };
  return {
    runId,
    plan,
    async start() {
      try {
        return { ...(await runTask(taskOptions)), plan };
      } finally {
        await buildSource.dispose();
      }
    },
    dispose: () => buildSource.dispose(),
  };
}

/** Plans and runs a quick build; throws {@link QuickBuildError} when it cannot start, else reports like a run. */
export async function runQuickBuild(options: QuickBuildOptions): Promise<QuickBuildResult> {
  return (await prepareQuickBuild(options)).start();
}

function pick<T extends object, K extends keyof T>(source: T, keys: readonly K[]): Partial<Pick<T, K>> {
  const out: Partial<Pick<T, K>> = {};
  for (const key of keys) if (source[key] !== undefined) out[key] = source[key];
  return out;
}
