/**
 * Base-image dependency discovery for build steps (spec §10.3) and the dependency record ACR emits
 * after a run (§10.4). Pure: the Dockerfile text comes in as a string.
 *
 * The scanner reads a Dockerfile the way acb's does — line by line, `ARG name=value` defaults that
 * `--build-arg` values beat, `FROM image [AS alias]` with `$VAR`/`${VAR}` expansion and stage-alias
 * resolution, stopping after the `--target` stage — with one deliberate difference: `FROM --platform=…`
 * is understood (its flags are skipped) instead of failing the step as ACR does (Azure/acr#697).
 */

/** One image reference as acb records it. `tag` is omitted when the reference has none. */
export interface DependencyImageRef {
  registry: string;
  repository: string;
  tag?: string;
  digest: string;
  reference: string;
}

/** acb's dependency record, one per `-t` tag of a build (or one with `image: null` without tags). */
export interface DependencyRecord {
  image: DependencyImageRef | null;
  'runtime-dependency': DependencyImageRef;
  'buildtime-dependency': DependencyImageRef[] | null;
  git?: { 'git-head-revision': string };
}

export type DockerfileScan = { ok: true; runtime: string; buildtime: string[] } | { ok: false; error: string };

export interface DockerfileScanOptions {
  /** `NAME=VALUE` build args (quotes around the value are trimmed); entries without `=` are ignored. */
  buildArgs?: readonly string[];
  target?: string;
}

export const DOCKER_HUB_REGISTRY = 'registry.hub.docker.com';

/** Trims surrounding double quotes, then single quotes (acb's order). */
function trimSurroundingQuotes(text: string): string {
  return text.replace(/^"+|"+$/g, '').replace(/^'+|'+$/g, '');
}

function splitAssignment(text: string): [string, string] | undefined {
  const equals = text.indexOf('=');
  return equals < 0 ? undefined : [text.slice(0, equals), trimSurroundingQuotes(text.slice(equals + 1))];
}

/** Go's os.Expand over the ARG values: `$NAME`, `${NAME}` (the whole text between braces is the name). */
function expandVariables(text: string, values: ReadonlyMap<string, string>): string {
  return text.replace(
    /\$(?:\{([^}]*)\}|([A-Za-z0-9_]+)|([*#$@!?-]))/g,
    (_match, braced?: string, plain?: string, special?: string) => {
      const name = braced ?? plain ?? special ?? '';
      return values.get(name) ?? '';
    },
  );
}

/** Scans a Dockerfile for its runtime (last stage) and build-time base images. */
export function scanDockerfileDependencies(dockerfile: string, options: DockerfileScanOptions = {}): DockerfileScan {
  const args = new Map<string, string>();
  for (const buildArg of options.buildArgs ?? []) {
    const assignment = splitAssignment(buildArg);
    if (assignment) args.set(assignment[0], assignment[1]);
  }
  const stageOrigins = new Map<string, string>();
  const allOrigins = new Set<string>();
  let origin: string | undefined;
  const lines = dockerfile.replace(/^\uFEFF/, '').split(/\r?\n/);
  for (const line of lines) {
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const tokens = trimmed.split(/\s+/);
    const instruction = tokens[0].toUpperCase();
    if (instruction === 'ARG') {
      const assignment = tokens[1] === undefined ? undefined : splitAssignment(tokens[1]);
      if (assignment && !args.has(assignment[0])) args.set(assignment[0], assignment[1]);
      continue;
    }
    if (instruction !== 'FROM') continue;
    // Our one difference from acb: FROM flags (`--platform=…`) are skipped instead of failing the scan.
    const operands = tokens.slice(1).filter((token) => !token.startsWith('--'));
    if (
      operands.length === 0 ||
      operands.length === 2 ||
      (operands.length >= 3 && operands[1].toLowerCase() !== 'as')
    ) {
      return { ok: false, error: `unable to understand line ${line}` };
    }
    const image = expandVariables(trimSurroundingQuotes(operands[0]), args);
    const aliasOrigin = stageOrigins.get(image);
    if (aliasOrigin !== undefined) {
      origin = aliasOrigin;
    } else {
      origin = image;
      allOrigins.add(image);
    }
    const alias = operands[2];
    if (alias !== undefined) {
      stageOrigins.set(alias, origin);
      if (options.target !== undefined && alias.toLowerCase() === options.target.toLowerCase()) break;
    }
  }
  if (origin === undefined) return { ok: false, error: 'unexpected dockerfile format' };
  const runtime = origin;
  return { ok: true, runtime, buildtime: [...allOrigins].filter((image) => image !== runtime) };
}

/** acb's NormalizeImageTag: `:latest` when the reference has neither `:` nor `@`. */
export function normalizeImageTag(image: string): string {
  return image.includes(':') || image.includes('@') ? image : `${image}:latest`;
}

const NAME_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const DOMAIN =
  /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*(?::[0-9]+)?$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}$/;

/**
 * Splits an image reference the way acb records it (§10.4): a first component with a `.` is the
 * registry; anything else is Docker Hub (`library/` added to single names). A domain without a dot,
 * such as `localhost:5000`, is taken as a Docker Hub user, as acb does.
 */
export function parseImageReference(image: string): DependencyImageRef | { error: string } {
  let rest = image;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest)) return { error: `invalid reference format: ${image}` };
  }
  const slash = rest.lastIndexOf('/');
  const colon = rest.lastIndexOf(':');
  let tag: string | undefined;
  if (colon > slash) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG.test(tag)) return { error: `invalid reference format: ${image}` };
  }
  const components = rest.split('/');
  const domain = components.length > 1 && DOMAIN.test(components[0]) ? components[0] : undefined;
  const pathComponents = domain === undefined ? components : components.slice(1);
  if (pathComponents.length === 0 || !pathComponents.every((component) => NAME_COMPONENT.test(component))) {
    return {
      error: /[A-Z]/.test(rest) ? `repository name must be lowercase: ${image}` : `invalid reference format: ${image}`,
    };
  }
  const path = pathComponents.join('/');
  let registry: string;
  let repository: string;
  if (domain?.includes('.')) {
    registry = domain;
    repository = path;
  } else {
    registry = DOCKER_HUB_REGISTRY;
    repository = domain === undefined ? `library/${path}` : `${domain}/${path}`;
  }
  const ref: DependencyImageRef = { registry, repository, digest: '', reference: image };
  if (tag !== undefined) ref.tag = tag;
  if (digest !== undefined) ref.digest = digest;
  return ref;
}

export type DependencyRecordsResult = { ok: true; records: DependencyRecord[] } | { ok: false; error: string };

/**
 * The records of one build step: one per tag (none → one with `image: null`). Build-time images that
 * differ only by a `library/` prefix are merged, as acb does. Digests start empty (filled after the run).
 */
export function dependencyRecords(
  tags: readonly string[],
  scan: { runtime: string; buildtime: readonly string[] },
  gitHeadRevision?: string,
): DependencyRecordsResult {
  const runtime = parseImageReference(normalizeImageTag(scan.runtime));
  if ('error' in runtime) return { ok: false, error: runtime.error };
  const seen = new Set<string>();
  const buildtime: DependencyImageRef[] = [];
  for (const image of scan.buildtime) {
    const key = normalizeImageTag(image).replace(/^library\//, '');
    if (seen.has(key)) continue;
    seen.add(key);
    const ref = parseImageReference(key);
    if ('error' in ref) return { ok: false, error: ref.error };
    buildtime.push(ref);
  }
  const records: DependencyRecord[] = [];
  for (const tag of tags.length === 0 ? [undefined] : tags) {
    const image = tag === undefined ? null : parseImageReference(normalizeImageTag(trimSurroundingQuotes(tag)));
    if (image !== null && 'error' in image) return { ok: false, error: image.error };
    const record: DependencyRecord = {
      image,
      'runtime-dependency': { ...runtime },
      'buildtime-dependency': buildtime.length === 0 ? null : buildtime.map((ref) => ({ ...ref })),
    };
    if (gitHeadRevision) record.git = { 'git-head-revision': gitHeadRevision };
    records.push(record);
  }
  return { ok: true, records };
}
