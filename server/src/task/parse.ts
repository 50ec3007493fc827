/**
 * YAML text → Task model with ACR's defaults (spec §2–§4, §7 "initialize"), keeping source spans.
 * Used on the editor's masked text (offsets = the user's text) and on the rendered text of a run.
 * Never throws: YAML and type problems become diagnostics, and decoding carries on with defaults.
 */
import { parseDocumentSafely } from './yamlSafety';
import { type Document, isMap, type Node, type YAMLMap } from 'yaml';
import { diagnostic, type TaskDiagnostic } from './diagnostic';
import {
  DEFAULT_RETRY_DELAY_SECONDS,
  DEFAULT_STEP_TIMEOUT_SECONDS,
  DEFAULT_VERSION,
  type EntrySpans,
  type NetworkDef,
  type SecretDef,
  type Span,
  type Step,
  type StepKind,
  type Task,
  type VolumeDef,
  type VolumeMount,
} from './model';
import {
  type DecodeContext,
  mapEntries,
  readBool,
  readInt,
  readMapList,
  readString,
  readStringList,
  readStringMap,
  spanOf,
  valueNode,
} from './yamlDecode';

export interface ParsedTask {
  task: Task;
  /** YAML syntax and type problems (validation rules come separately). */
  diagnostics: TaskDiagnostic[];
  document: Document;
}

export interface ParseOptions {
  /** Spans of masked templates in the text: values overlapping them are not type-checked. */
  templateSpans?: readonly Span[];
}

/** Overlap test against sorted, non-overlapping masked spans: a binary search, not a scan per value. */
function overlapsAny(spans: readonly Span[]): (span: Span) => boolean {
  const sorted = [...spans].sort((a, b) => a.start - b.start);
  return (span) => {
    let low = 0;
    let high = sorted.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (sorted[middle].end <= span.start) low = middle + 1;
      else high = middle;
    }
    const candidate = sorted[low];
    return candidate !== undefined && candidate.start < span.end;
  };
}

type Entries = ReturnType<typeof mapEntries>;

function child(context: DecodeContext, ...path: (string | number)[]): DecodeContext {
  // Called for every field of every step: no object or array spreads (a large file has ~10^4 fields).
  return { diagnostics: context.diagnostics, isTemplated: context.isTemplated, path: context.path.concat(path) };
}

/**
 * `read` on a field, with a child context made only when the field is present: a step is decoded for
 * ~30 keys and most are absent (every reader returns `absent` for a missing node).
 */
function readField<T>(
  context: DecodeContext,
  entries: Entries,
  name: string,
  read: (context: DecodeContext, node: Node | null, key: string) => T,
  absent: T,
): T {
  const node = field(entries, name);
  return node === null ? absent : read(child(context, name), node, name);
}

function spansOf(entries: Entries): Map<string, EntrySpans> {
  const spans = new Map<string, EntrySpans>();
  for (const [name, entry] of entries) spans.set(name, entry.spans);
  return spans;
}

function field(entries: Entries, name: string): Node | null {
  return valueNode(entries.get(name)?.pair);
}

function decodeMount(context: DecodeContext, map: YAMLMap): VolumeMount {
  const entries = mapEntries(map, context);
  return {
    name: readString(child(context, 'name'), field(entries, 'name'), 'name') ?? '',
    mountPath: readString(child(context, 'mountPath'), field(entries, 'mountPath'), 'mountPath') ?? '',
    span: spanOf(map),
  };
}

function stepKindOf(step: Pick<Step, 'cmd' | 'build' | 'push'>): StepKind | undefined {
  // Type predicates are "field non-empty" (spec §3.1): `cmd: " "` is a cmd step, `push: []` is no push.
  const kinds: StepKind[] = [];
  if (step.cmd) kinds.push('cmd');
  if (step.build) kinds.push('build');
  if (step.push && step.push.length > 0) kinds.push('push');
  return kinds.length === 1 ? kinds[0] : undefined;
}

function decodeStep(context: DecodeContext, map: YAMLMap, index: number, stepTimeout: number): Step {
  const entries = mapEntries(map, context);
  const str = (name: string) => readField(context, entries, name, readString, undefined);
  const int = (name: string) => readField(context, entries, name, readInt, undefined);
  const bool = (name: string) => readField(context, entries, name, readBool, undefined) ?? false;
  const list = (name: string) => readField(context, entries, name, readStringList, []);
  const explicitId = str('id');
  const timeout = int('timeout') ?? 0;
  const retryDelay = int('retryDelay') ?? 0;
  const pushNode = field(entries, 'push');
  const step: Step = {
    index,
    id: explicitId ?? `acb_step_${index}`,
    idExplicit: explicitId !== undefined,
    kind: undefined,
    cmd: str('cmd'),
    build: str('build'),
    push: pushNode === null ? undefined : list('push'),
    when: list('when'),
    timeout: timeout <= 0 ? stepTimeout : timeout,
    startDelay: int('startDelay') ?? 0,
    retries: int('retries') ?? 0,
    retryDelay: retryDelay <= 0 ? DEFAULT_RETRY_DELAY_SECONDS : retryDelay,
    repeat: int('repeat') ?? 0,
    retryOnErrors: list('retryOnErrors'),
    ignoreErrors: bool('ignoreErrors'),
    detach: bool('detach'),
    keep: bool('keep'),
    privileged: bool('privileged'),
    user: str('user'),
    network: str('network'),
    isolation: str('isolation'),
    entryPoint: str('entryPoint'),
    env: list('env'),
    ports: list('ports'),
    expose: list('expose'),
    workingDirectory: str('workingDirectory'),
    disableWorkingDirectoryOverride: bool('disableWorkingDirectoryOverride'),
    pull: bool('pull'),
    cmdDownloadRetries: int('cmdDownloadRetries') ?? 0,
    cmdDownloadRetryDelay: int('cmdDownloadRetryDelay') ?? 0,
    cache: str('cache'),
    volumeMounts: readMapList(
      child(context, 'volumeMounts'),
      field(entries, 'volumeMounts'),
      'volumeMounts',
      'VolumeMount',
    ).map((mount, mountIndex) => decodeMount(child(context, 'volumeMounts', mountIndex), mount)),
    cpus: str('cpus'),
    tags: entries.has('tags') ? list('tags') : undefined,
    span: spanOf(map),
    entries: spansOf(entries),
  };
  step.kind = stepKindOf(step);
  return step;
}

function decodeSecret(context: DecodeContext, map: YAMLMap): SecretDef {
  const entries = mapEntries(map, context);
  const str = (name: string) => readField(context, entries, name, readString, undefined);
  return {
    id: str('id') ?? '',
    keyvault: str('keyvault'),
    clientID: str('clientID'),
    span: spanOf(map),
    entries: spansOf(entries),
  };
}

function decodeNetwork(context: DecodeContext, map: YAMLMap): NetworkDef {
  const entries = mapEntries(map, context);
  const bool = (name: string) => readField(context, entries, name, readBool, undefined) ?? false;
  return {
    name: readString(child(context, 'name'), field(entries, 'name'), 'name') ?? '',
    driver: readString(child(context, 'driver'), field(entries, 'driver'), 'driver'),
    ipv6: bool('ipv6'),
    skipCreation: bool('skipCreation'),
    isDefault: bool('isDefault'),
    span: spanOf(map),
    entries: spansOf(entries),
  };
}

function decodeVolume(context: DecodeContext, map: YAMLMap): VolumeDef {
  const entries = mapEntries(map, context);
  const secret = readStringMap(child(context, 'secret'), field(entries, 'secret'), 'secret');
  return {
    name: readString(child(context, 'name'), field(entries, 'name'), 'name') ?? '',
    secret: secret ?? {},
    span: spanOf(map),
    entries: spansOf(entries),
  };
}

/** Parses task YAML as acb decodes it, and applies ACR's defaults. */
export function parseTask(text: string, options: ParseOptions = {}): ParsedTask {
  // yaml.v2 is YAML 1.1 (`yes`/`on` booleans, `010` octal) and lets a duplicate key's last value win.
  return decodeTask(parseDocumentSafely(text, { version: '1.1', uniqueKeys: false, prettyErrors: false }), options);
}

/** The task in a document parsed as {@link parseTask} parses it (its YAML errors become diagnostics). */
export function decodeTask(document: Document, options: ParseOptions = {}): ParsedTask {
  const diagnostics: TaskDiagnostic[] = [];
  for (const error of document.errors) {
    const [start, end] = error.pos;
    diagnostics.push(
      diagnostic('yaml-syntax', 'error', error.message.split('\n')[0] ?? error.message, {
        start,
        end: Math.max(end, start + 1),
      }),
    );
  }
  const context: DecodeContext = { diagnostics, isTemplated: overlapsAny(options.templateSpans ?? []), path: [] };
  const task: Task = {
    version: DEFAULT_VERSION,
    stepTimeout: DEFAULT_STEP_TIMEOUT_SECONDS,
    env: [],
    secrets: [],
    networks: [],
    volumes: [],
    steps: [],
    isBuildTask: false,
    entries: new Map(),
  };
  const root = document.contents;
  if (root === null || (document.errors.length > 0 && !isMap(root))) {
    return { task, diagnostics, document };
  }
  if (!isMap(root)) {
    diagnostics.push(
      diagnostic(
        'yaml-type',
        'error',
        'a task file must be a YAML mapping (keys such as `version` and `steps`)',
        spanOf(root),
      ),
    );
    return { task, diagnostics, document };
  }
  const entries = mapEntries(root, context);
  task.entries = spansOf(entries);
  const top = (name: string) => field(entries, name);
  task.version = readString(child(context, 'version'), top('version'), 'version') ?? DEFAULT_VERSION;
  const stepTimeout = readInt(child(context, 'stepTimeout'), top('stepTimeout'), 'stepTimeout') ?? 0;
  task.stepTimeout = stepTimeout <= 0 ? DEFAULT_STEP_TIMEOUT_SECONDS : stepTimeout;
  task.workingDirectory =
    readString(child(context, 'workingDirectory'), top('workingDirectory'), 'workingDirectory') || undefined;
  task.env = readStringList(child(context, 'env'), top('env'), 'env');
  task.isBuildTask = readBool(child(context, 'isbuildtask'), top('isbuildtask'), 'isbuildtask') ?? false;
  task.secrets = readMapList(child(context, 'secrets'), top('secrets'), 'secrets', 'Secret').map((map, index) =>
    decodeSecret(child(context, 'secrets', index), map),
  );
  task.networks = readMapList(child(context, 'networks'), top('networks'), 'networks', 'Network').map((map, index) =>
    decodeNetwork(child(context, 'networks', index), map),
  );
  task.volumes = readMapList(child(context, 'volumes'), top('volumes'), 'volumes', 'Volume').map((map, index) =>
    decodeVolume(child(context, 'volumes', index), map),
  );
  task.steps = readMapList(child(context, 'steps'), top('steps'), 'steps', 'Step').map((map, index) =>
    decodeStep(child(context, 'steps', index), map, index, task.stepTimeout),
  );
  return { task, diagnostics, document };
}
