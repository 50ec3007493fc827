/**
 * ACR-parity warnings for the Dockerfile a build step uses (read through the host: the step's `-f`,
 * else `<context>/Dockerfile`, relative to the task file's folder):
 * - `dockerfile-from-platform` / `dockerfile-from-unparsable`: ACR's dependency scan fails on these
 *   FROM lines before `docker build` runs (spec §10.3, edge case 44; Azure/acr#697);
 * - `dockerfile-buildkit-syntax`: ACR builds with DOCKER_BUILDKIT=0 unless the step's env says
 *   DOCKER_BUILDKIT=1 (or `cache: enabled` switches to buildx), so BuildKit-only syntax fails there;
 * - `dockerfile-dockerignored`: the context's .dockerignore excludes the Dockerfile itself — ACR's
 *   upload leaves it out and the run fails, while a local `docker build` still finds it.
 */
import ignore from '@balena/dockerignore';
import { readBuildStringAsAcb } from '../../task/buildCommand';
import { diagnostic } from '../../task/diagnostic';
import type { Span, Step } from '../../task/model';
import { mergeStepEnv } from '../../task/stepSettings';
import { type DockerfileFinding, readDockerfile } from '../dockerfileText';
import { isRemoteContext, joinPath, resolveUri } from '../paths';
import { isTemplatedSpan } from '../memo';
import type { Rule, RuleContext, RuleDiagnostic } from './Rule';

interface BuildTarget {
  step: Step;
  span: Span;
  /** Dockerfile path relative to the task file's folder. */
  dockerfile: string;
  context: string;
}

/** Whether a token of the build string was written as (part of) a template. */
function tokenTemplated(context: RuleContext, span: Span, token: string): boolean {
  const source = context.analysis.masked.slice(span.start, span.end);
  for (let found = source.indexOf(token); found >= 0; found = source.indexOf(token, found + 1)) {
    const at = { start: span.start + found, end: span.start + found + token.length };
    if (isTemplatedSpan(context.analysis, at)) return true;
  }
  return false;
}

function buildTargets(context: RuleContext): BuildTarget[] {
  const targets: BuildTarget[] = [];
  for (const step of context.analysis.parsed.task.steps) {
    const entry = step.entries.get('build');
    if (step.kind !== 'build' || step.build === undefined || entry === undefined) continue;
    const reading = readBuildStringAsAcb(step.build);
    if (isRemoteContext(reading.context)) continue;
    if (tokenTemplated(context, entry.value, reading.context)) continue;
    if (reading.dockerfile !== undefined && tokenTemplated(context, entry.value, reading.dockerfile)) continue;
    const dockerfile =
      reading.dockerfile !== undefined ? joinPath('.', reading.dockerfile) : joinPath(reading.context, 'Dockerfile');
    targets.push({ step, span: entry.value, dockerfile, context: joinPath('.', reading.context) });
  }
  return targets;
}

function related(
  context: RuleContext,
  path: string,
  finding: DockerfileFinding,
  message: string,
): RuleDiagnostic['related'] {
  const uri = resolveUri(context.taskFileUri, path);
  if (uri === undefined) return undefined;
  return [
    {
      uri,
      range: {
        start: { line: finding.line, character: 0 },
        end: { line: finding.line, character: finding.text.length },
      },
      message,
    },
  ];
}

function withRelated(found: RuleDiagnostic, links: RuleDiagnostic['related']): RuleDiagnostic {
  return links ? { ...found, related: links } : found;
}

function usesBuildKit(context: RuleContext, step: Step): boolean {
  if ((step.cache ?? '').toLowerCase() === 'enabled') return true;
  return mergeStepEnv(context.analysis.parsed.task, step).includes('DOCKER_BUILDKIT=1');
}

/** The Dockerfile's path inside the context, when it is inside it. */
function pathInContext(dockerfile: string, buildContext: string): string | undefined {
  if (buildContext === '.') return dockerfile.startsWith('../') || dockerfile.startsWith('/') ? undefined : dockerfile;
  return dockerfile.startsWith(`${buildContext}/`) ? dockerfile.slice(buildContext.length + 1) : undefined;
}

function checkTarget(context: RuleContext, target: BuildTarget, text: string): RuleDiagnostic[] {
  const found: RuleDiagnostic[] = [];
  const where = { stepId: target.step.id, dockerfile: target.dockerfile };
  const reading = readDockerfile(text);
  for (const finding of reading.fromPlatform) {
    const message = `ACR's dependency scan cannot read \`${finding.text}\` (${target.dockerfile}:${finding.line + 1}): this build step fails on ACR before docker build runs. Remove \`--platform\` (ACR builds for the run's platform).`;
    found.push(
      withRelated(
        diagnostic('dockerfile-from-platform', 'warning', message, target.span, where),
        related(context, target.dockerfile, finding, 'FROM --platform'),
      ),
    );
  }
  for (const finding of reading.fromUnparsable) {
    const message = `ACR's dependency scan cannot read \`${finding.text}\` (${target.dockerfile}:${finding.line + 1}): it accepts only \`FROM image\` and \`FROM image AS name\`, so this build step fails on ACR.`;
    found.push(
      withRelated(
        diagnostic('dockerfile-from-unparsable', 'warning', message, target.span, where),
        related(context, target.dockerfile, finding, 'unreadable FROM'),
      ),
    );
  }
  const first = reading.buildKitOnly[0];
  if (first && !usesBuildKit(context, target.step)) {
    const features = [...new Set(reading.buildKitOnly.map((finding) => finding.feature))].join(', ');
    const message = `${target.dockerfile} uses BuildKit-only syntax (${features}, first at line ${first.line + 1}), but ACR builds with the classic builder (DOCKER_BUILDKIT=0) unless the step's env sets DOCKER_BUILDKIT=1.`;
    found.push(
      withRelated(
        diagnostic('dockerfile-buildkit-syntax', 'warning', message, target.span, where),
        related(context, target.dockerfile, first, 'BuildKit-only syntax'),
      ),
    );
  }
  const inContext = pathInContext(target.dockerfile, target.context);
  const ignoreText = inContext === undefined ? undefined : context.readFile(joinPath(target.context, '.dockerignore'));
  if (
    inContext !== undefined &&
    ignoreText !== undefined &&
    ignore().add(ignoreText.split(/\r?\n/)).ignores(inContext)
  ) {
    const message = `${joinPath(target.context, '.dockerignore')} excludes the Dockerfile \`${inContext}\`: ACR leaves it out of the uploaded context and the build fails (a local docker build still finds it).`;
    found.push(diagnostic('dockerfile-dockerignored', 'warning', message, target.span, where));
  }
  return found;
}

export const dockerfileParityRule: Rule = {
  codes: [
    'dockerfile-from-platform',
    'dockerfile-from-unparsable',
    'dockerfile-buildkit-syntax',
    'dockerfile-dockerignored',
  ],
  check(context): RuleDiagnostic[] {
    const found: RuleDiagnostic[] = [];
    for (const target of buildTargets(context)) {
      const text = context.readFile(target.dockerfile);
      if (text !== undefined) found.push(...checkTarget(context, target, text));
    }
    return found;
  },
};
