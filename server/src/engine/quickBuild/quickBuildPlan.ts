/**
 * What a quick build (`az acr build`, spec §9.1) runs, decided before the run: acb's `createBuildTask`
 * composes `[--no-cache] -f F [-t T]... [--build-arg A]... [--target X] [--platform P] <context>`, renders
 * it as a template with the run variables, then prefixes every tag with the registry unless it already
 * starts with a known registry or `library/` (`util/prefixes.go`). The result is a task of a `build` step
 * and, when pushing, a `push` step `when: [build]`, handed to the same engine as any task file.
 *
 * Pure apart from the environment passed in (for `--build-arg NAME` without a value).
 */
import { stringify } from 'yaml';

import type { RunVariables } from '../../task/model';
import { RUN_VARIABLE_ALIASES, substituteAliases } from '../../task/preprocess';
import { renderTemplate } from '../../task/template';
import { templateData } from '../../task/values';
import { registryHostOfImage } from '../registryAuth';

/** Engine step limits of quick builds (`build.go`): 8 h for the build, 1 h for the push. */
export const BUILD_STEP_TIMEOUT_SECONDS = 8 * 60 * 60;
export const PUSH_STEP_TIMEOUT_SECONDS = 60 * 60;

export interface QuickBuildRequest {
  /** `-t`: image names, may hold `{{.Run.ID}}` (and, as a local convenience, `$ID`). */
  tags: readonly string[];
  /** `--build-arg NAME[=VALUE]`. */
  buildArgs?: readonly string[];
  /** `--secret-build-arg NAME[=VALUE]`: passed as build args, masked in every output. */
  secretBuildArgs?: readonly string[];
  target?: string;
  /** Already validated (`parsePlatform`). */
  platform?: string;
  noCache?: boolean;
  noPush?: boolean;
  /** `$Registry`: the login server tags are prefixed with; empty means none. */
  registry?: string;
  /** Registries with credentials: tags starting with one of them are not prefixed (acb's known registries). */
  credentialRegistries?: readonly string[];
}

export interface QuickBuildWhere {
  /** `-f` as the build sees it (`<uuidhex>_Dockerfile` for an uploaded folder, else relative to the context). */
  dockerfile: string;
  run: RunVariables;
  /** Environment for `--build-arg NAME` without a value. */
  env: Readonly<Record<string, string | undefined>>;
}

export interface QuickBuildPlan {
  /** The task text for the engine. */
  taskText: string;
  /** The build command as words (rendered), e.g. `['-f', 'x_Dockerfile', '-t', 'reg/app:ca1', '.']`. */
  buildWords: string[];
  /** Rendered, prefixed tags. */
  tags: string[];
  /** Images the push step pushes (empty: no push step). */
  pushed: string[];
  /** Values to mask in all output: the secret build args. */
  secrets: Record<string, string>;
  /** Things the user should know (no push and why, local-only conveniences, …). */
  warnings: string[];
}

export type QuickBuildPlanResult = { ok: true; plan: QuickBuildPlan } | { ok: false; error: string };

/** acb's `PrefixRegistryToImageName`: plain prefix tests, no `/` required after the registry. */
export function prefixRegistry(registry: string, image: string, knownRegistries: readonly string[]): string {
  if (registry === '') return image;
  const known = knownRegistries.some((known) => known !== '' && image.startsWith(known));
  if (known || image.startsWith('library/')) return image;
  return `${registry}/${image}`;
}

/** `NAME=VALUE`, or `NAME` with the value of the environment variable NAME (empty when unset), as az does. */
export function resolveBuildArgument(
  argument: string,
  env: Readonly<Record<string, string | undefined>>,
): { name: string; value: string } | undefined {
  const equals = argument.indexOf('=');
  const name = equals < 0 ? argument : argument.slice(0, equals);
  if (name.trim() === '') return undefined;
  return { name, value: equals < 0 ? (env[name] ?? '') : argument.slice(equals + 1) };
}

/** A word of a build string, quoted for its shell-word reading; plain words stay as they are. */
export function shellWord(word: string): string {
  return /^[A-Za-z0-9_./:@%+=,{}-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/**
 * Task text whose template pass gives back exactly `text`: the plan is rendered already, so every `{{`
 * left in a value must stay literal when the engine renders the task.
 */
function literalTemplateText(text: string): string {
  return text.replace(/\{\{/g, '{{"{{"}}');
}

type Rendered = { ok: true; text: string } | { ok: false; error: string };

function render(word: string, run: RunVariables, what: string, secret: boolean): Rendered {
  const result = renderTemplate(word, templateData(run, {}, {}), { name: what });
  if (result.errors.length === 0) return { ok: true, text: result.output };
  // A template error may quote the text; a secret's text must not reach any output.
  const detail = secret ? 'the value is not a valid template' : (result.errors[0]?.message ?? 'invalid template');
  return { ok: false, error: `${what}: ${detail}` };
}

function looksLikeRegistryPath(image: string): boolean {
  return registryHostOfImage(image) !== 'docker.io' || /^(docker\.io|index\.docker\.io)\//.test(image);
}

/** Composes the quick build, or says why it cannot run. */
export function planQuickBuild(request: QuickBuildRequest, where: QuickBuildWhere): QuickBuildPlanResult {
  const warnings: string[] = [];
  const registry = request.registry ?? '';
  const known = [registry, ...(request.credentialRegistries ?? [])];

  const tags: string[] = [];
  for (const written of request.tags.map((tag) => tag.trim()).filter((tag) => tag !== '')) {
    const substituted = substituteAliases(written, RUN_VARIABLE_ALIASES, '$').text;
    if (substituted !== written)
      warnings.push(
        `-t ${written}: $-aliases are expanded locally, but ACR's quick build renders only {{ }} templates (acb build does no alias processing): write {{.Run.ID}} instead of $ID`,
      );
    const rendered = render(substituted, where.run, `-t ${written}`, false);
    if (!rendered.ok) return rendered;
    if (rendered.text.trim() === '') return { ok: false, error: `-t ${written}: the image name renders empty` };
    const prefixed = prefixRegistry(registry, rendered.text, known);
    if (prefixed !== rendered.text && looksLikeRegistryPath(rendered.text))
      warnings.push(
        `-t ${written}: ACR prefixes it with the registry although it names another one (becomes ${prefixed}); only tags starting with ${registry} are left alone`,
      );
    tags.push(prefixed);
  }

  const argumentWords: string[] = [];
  const secrets: Record<string, string> = {};
  const shellProblems: string[] = [];
  const addArguments = (items: readonly string[] | undefined, secret: boolean) => {
    for (const item of items ?? []) {
      const flag = secret ? '--secret-build-arg' : '--build-arg';
      const resolved = resolveBuildArgument(item, where.env);
      if (!resolved) return { ok: false as const, error: `${flag} ${secret ? '' : item}: expected NAME=VALUE or NAME` };
      const rendered = render(resolved.value, where.run, `${flag} ${resolved.name}`, secret);
      if (!rendered.ok) return rendered;
      if (secret) secrets[`secret-build-arg-${resolved.name}`] = rendered.text;
      if (/[\s'"$`\\]/.test(rendered.text)) shellProblems.push(`${flag} ${resolved.name}`);
      argumentWords.push('--build-arg', `${resolved.name}=${rendered.text}`);
    }
    return undefined;
  };
  const argumentProblem = addArguments(request.buildArgs, false) ?? addArguments(request.secretBuildArgs, true);
  if (argumentProblem) return argumentProblem;
  if (shellProblems.length > 0)
    warnings.push(
      `${shellProblems.join(', ')}: the value has whitespace, quotes, $ or \\; ACR's engine joins the build command with spaces for a shell, which would split or expand it there (here it is passed intact)`,
    );

  const buildWords: string[] = [];
  if (request.noCache) buildWords.push('--no-cache');
  buildWords.push('-f', where.dockerfile);
  for (const tag of tags) buildWords.push('-t', tag);
  buildWords.push(...argumentWords);
  if (request.target) buildWords.push('--target', request.target);
  if (request.platform) buildWords.push('--platform', request.platform);
  buildWords.push('.');

  const pushed = request.noPush
    ? []
    : tags.filter((tag) => registry !== '' || registryHostOfImage(tag) !== 'docker.io');
  if (!request.noPush && tags.length === 0) warnings.push('No image names were given (-t), so nothing is pushed.');
  const hubOnly = request.noPush ? [] : [...new Set(tags.filter((tag) => !pushed.includes(tag)))];
  if (hubOnly.length > 0)
    warnings.push(
      `Not pushed: ${hubOnly.join(', ')} (no registry is set and the name does not name one; give --registry, or a name like localhost:5000/app)`,
    );

  const steps: Record<string, unknown>[] = [
    {
      id: 'build',
      build: buildWords.map(shellWord).join(' '),
      // acb sets the step's tags itself; they are what the dependency records name.
      tags,
      timeout: BUILD_STEP_TIMEOUT_SECONDS,
    },
  ];
  if (pushed.length > 0) steps.push({ id: 'push', push: pushed, when: ['build'], timeout: PUSH_STEP_TIMEOUT_SECONDS });
  // v1.0.0: no alias pass over values. isbuildtask: quick builds get no default network (`Network: ''`).
  const yaml = stringify({ version: 'v1.0.0', isbuildtask: true, steps }, { lineWidth: 0 });
  return {
    ok: true,
    plan: { taskText: literalTemplateText(yaml), buildWords, tags, pushed, secrets, warnings },
  };
}
