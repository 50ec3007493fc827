/**
 * Build Context as a task (spec §9.1): `az acr build` runs `acb build`, which is a task of one `build`
 * step plus a `push` step (`when: [build]`) when it pushes. We write that task as YAML and hand it to the
 * same engine as any task file, so a quick build gets the same events, terminal, history and cleanup.
 */
import { isAbsolute, relative, resolve } from 'node:path';
import { stringify } from 'yaml';
import type { BuildContextParams } from '../protocol';

/** Engine step limits of quick builds (`build.go`): 8 h for the build, 1 h for the push. */
const BUILD_STEP_TIMEOUT_SECONDS = 8 * 60 * 60;
const PUSH_STEP_TIMEOUT_SECONDS = 60 * 60;

export interface QuickBuildTask {
  /** The task text (`version: v1.0.0`, so `$` in build args is not read as an alias). */
  text: string;
  /** Absolute Dockerfile path, used as the run's task file in the history. */
  dockerfile: string;
  /** Tags as pushed (registry-prefixed); empty when nothing is pushed. */
  pushed: string[];
  /** Things the user should know (no tags → no push, …). */
  warnings: string[];
}

/** A build-string word, quoted for the shell-word reading of build strings; `{{ }}` stays renderable. */
export function shellWord(word: string): string {
  return /^[A-Za-z0-9_./:@%+=,{}-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/**
 * ACR prefixes quick-build tags with the registry unless they already name it or start with `library/`
 * (`util/prefixes.go`).
 */
export function prefixTag(tag: string, registry: string): string {
  if (registry === '' || tag.startsWith(`${registry}/`) || tag.startsWith('library/')) return tag;
  return `${registry}/${tag}`;
}

/** `NAME` alone takes its value from the environment, as `az acr build --build-arg NAME` does. */
function buildArgument(argument: string, env: Readonly<Record<string, string | undefined>>): string {
  return argument.includes('=') ? argument : `${argument}=${env[argument] ?? ''}`;
}

/** Composes the quick-build task; throws an Error with a user-facing message for unusable input. */
export function quickBuildTask(
  params: BuildContextParams,
  registry: string,
  env: Readonly<Record<string, string | undefined>> = process.env,
): QuickBuildTask {
  if (!isAbsolute(params.context)) throw new Error(`the context must be an absolute path: ${params.context}`);
  const dockerfile = resolve(params.context, params.dockerfile ?? 'Dockerfile');
  const inContext = relative(params.context, dockerfile).split('\\').join('/');
  if (inContext.startsWith('../') || isAbsolute(inContext)) {
    throw new Error(`the Dockerfile ${dockerfile} is outside the context ${params.context}`);
  }
  const tags = params.tags.map((tag) => tag.trim()).filter((tag) => tag !== '');
  const prefixed = tags.map((tag) => prefixTag(tag, registry));
  const words = ['-f', inContext];
  for (const tag of prefixed) words.push('-t', tag);
  for (const argument of params.buildArgs ?? []) words.push('--build-arg', buildArgument(argument, env));
  if (params.target) words.push('--target', params.target);
  if (params.platform) words.push('--platform', params.platform);
  if (params.noCache) words.push('--no-cache');
  words.push('.');

  const warnings: string[] = [];
  const push = !params.noPush && prefixed.length > 0 && registry !== '';
  if (!params.noPush && prefixed.length === 0) warnings.push('No image names were given, so nothing is pushed.');
  if (!params.noPush && prefixed.length > 0 && registry === '')
    warnings.push('No registry is set (acrTasks.registry), so the image stays in the local engine.');
  const steps: Record<string, unknown>[] = [
    { id: 'build', build: words.map(shellWord).join(' '), timeout: BUILD_STEP_TIMEOUT_SECONDS },
  ];
  if (push) steps.push({ id: 'push', push: prefixed, when: ['build'], timeout: PUSH_STEP_TIMEOUT_SECONDS });
  // Quick builds get no default network (the log shows `Network: ''`): isbuildtask says so.
  const text = stringify({ version: 'v1.0.0', isbuildtask: true, steps }, { lineWidth: 0 });
  return { text, dockerfile, pushed: push ? prefixed : [], warnings };
}
