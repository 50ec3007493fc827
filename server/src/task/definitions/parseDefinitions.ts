/**
 * Reads a task definitions file ({@link DEFINITIONS_FILE_NAME}) into {@link TaskDefinition}s with
 * ACR's defaults, and reports every problem as a located diagnostic (never an exception). A task with
 * errors is left out of `tasks`, so the watcher never runs something half-understood.
 *
 * ```yaml
 * version: v1
 * tasks:
 *   app:
 *     file: acr-task.yaml          # or a Dockerfile (then `images:` names what is pushed)
 *     context: app                 # relative to this file; default .
 *     values: values.yaml          # relative to the context
 *     set: [greeting=hi]
 *     timeout: 3600
 *     triggers:
 *       commit: { enabled: true, branch: main }
 *       baseImage: { enabled: true, type: Runtime }
 *       schedules: { nightly: "0 2 * * *" }
 * ```
 */
import { parseDocumentSafely } from '../yamlSafety';
import { isMap, isScalar, isSeq, LineCounter, type Node, type YAMLMap } from 'yaml';
import { diagnostic, type Severity, type TaskDiagnostic } from '../diagnostic';
import type { Span } from '../model';
import { parseCron } from './cron';
import {
  BASE_IMAGE_TRIGGER_TYPES,
  DEFAULT_TASK_TIMEOUT_SECONDS,
  DEFINITIONS_VERSION,
  defaultTriggers,
  isTaskFilePath,
  SCHEDULE_NAME_PATTERN,
  TASK_NAME_PATTERN,
  TASK_STATUSES,
  type BaseImageTriggerType,
  type TaskDefinition,
  type TaskStatus,
} from './model';

export interface ParsedDefinitions {
  /** Tasks without errors, in file order. */
  tasks: TaskDefinition[];
  diagnostics: TaskDiagnostic[];
}

const TOP_KEYS = ['version', 'tasks'];
const TASK_KEYS = ['file', 'context', 'images', 'registry', 'values', 'set', 'timeout', 'status', 'triggers'];
const TRIGGER_KEYS = ['commit', 'baseImage', 'schedules'];
const COMMIT_KEYS = ['enabled', 'branch'];
const BASE_IMAGE_KEYS = ['enabled', 'type'];

function spanOf(node: Node | null | undefined): Span {
  const range = node?.range;
  return range ? { start: range[0], end: range[1] } : { start: 0, end: 0 };
}

class Reader {
  readonly diagnostics: TaskDiagnostic[] = [];
  errors = 0;

  report(code: string, severity: Severity, message: string, node: Node | null | undefined, fallback?: Span): void {
    if (severity === 'error') this.errors++;
    const span = node?.range ? spanOf(node) : (fallback ?? { start: 0, end: 0 });
    this.diagnostics.push(diagnostic(`definitions-${code}`, severity, message, span));
  }

  /** The entries of a mapping, reporting keys outside `known`. */
  entries(map: YAMLMap, known: readonly string[], where: string): Map<string, { key: Node; value: Node | null }> {
    const result = new Map<string, { key: Node; value: Node | null }>();
    for (const pair of map.items) {
      const key = pair.key as Node;
      const name = isScalar(key) ? String(key.value) : '';
      if (!known.includes(name)) {
        // A typo must not silently change what runs: unknown keys are errors (the task is left out).
        this.report('unknown-key', 'error', `unknown key \`${name}\` in ${where}`, key);
        continue;
      }
      result.set(name, { key, value: (pair.value as Node | null) ?? null });
    }
    return result;
  }

  string(node: Node | null | undefined, key: string): string | undefined {
    if (node === undefined) return undefined;
    if (isScalar(node) && typeof node.value === 'string' && node.value.trim() !== '') return node.value;
    if (isScalar(node) && (typeof node.value === 'number' || typeof node.value === 'boolean') && key === 'branch')
      return String(node.source ?? node.value);
    this.report('type', 'error', `\`${key}\` must be a non-empty string`, node);
    return undefined;
  }

  boolean(node: Node | null | undefined, key: string): boolean | undefined {
    if (node === undefined) return undefined;
    if (isScalar(node) && typeof node.value === 'boolean') return node.value;
    this.report('type', 'error', `\`${key}\` must be true or false`, node);
    return undefined;
  }

  oneOf<T extends string>(node: Node | null | undefined, key: string, allowed: readonly T[]): T | undefined {
    if (node === undefined) return undefined;
    const value = isScalar(node) ? String(node.value) : undefined;
    const match = allowed.find((candidate) => candidate.toLowerCase() === value?.toLowerCase());
    if (match === undefined) this.report('enum', 'error', `\`${key}\` must be one of ${allowed.join(', ')}`, node);
    return match;
  }

  stringList(node: Node | null | undefined, key: string): string[] {
    if (node === undefined || (isScalar(node) && node.value === null)) return [];
    if (!isSeq(node)) {
      this.report('type', 'error', `\`${key}\` must be a list of strings`, node);
      return [];
    }
    const items: string[] = [];
    for (const item of node.items as (Node | null)[]) {
      const value = this.string(item, `${key}[]`);
      if (value !== undefined) items.push(value);
    }
    return items;
  }

  map(node: Node | null | undefined, key: string): YAMLMap | undefined {
    if (node === undefined || (isScalar(node) && node.value === null)) return undefined;
    if (isMap(node)) return node;
    this.report('type', 'error', `\`${key}\` must be a mapping`, node);
    return undefined;
  }
}

function readTriggers(reader: Reader, node: Node | null | undefined, taskName: string): TaskDefinition['triggers'] {
  const triggers = defaultTriggers();
  const map = reader.map(node, 'triggers');
  if (!map) return triggers;
  const entries = reader.entries(map, TRIGGER_KEYS, `the triggers of task ${taskName}`);
  const commit = reader.map(entries.get('commit')?.value, 'commit');
  if (commit) {
    const commitEntries = reader.entries(commit, COMMIT_KEYS, 'the commit trigger');
    triggers.commit.enabled = reader.boolean(commitEntries.get('enabled')?.value, 'enabled') ?? true;
    const branch = reader.string(commitEntries.get('branch')?.value, 'branch');
    if (branch !== undefined) triggers.commit.branch = branch;
  }
  const baseImage = reader.map(entries.get('baseImage')?.value, 'baseImage');
  if (baseImage) {
    const baseEntries = reader.entries(baseImage, BASE_IMAGE_KEYS, 'the base-image trigger');
    triggers.baseImage.enabled = reader.boolean(baseEntries.get('enabled')?.value, 'enabled') ?? true;
    triggers.baseImage.type =
      reader.oneOf<BaseImageTriggerType>(baseEntries.get('type')?.value, 'type', BASE_IMAGE_TRIGGER_TYPES) ??
      triggers.baseImage.type;
  }
  const schedules = reader.map(entries.get('schedules')?.value, 'schedules');
  const seen = new Map<string, string>();
  for (const pair of schedules?.items ?? []) {
    const key = pair.key as Node;
    const name = isScalar(key) ? String(key.value) : '';
    if (!SCHEDULE_NAME_PATTERN.test(name)) {
      reader.report('schedule-name', 'error', `timer name \`${name}\`: use letters, digits, - and _`, key);
      continue;
    }
    const cronNode = (pair.value as Node | null) ?? null;
    const cron = reader.string(cronNode, `schedules.${name}`);
    if (cron === undefined) continue;
    const parsed = parseCron(cron);
    if (!parsed.ok) {
      reader.report('cron', 'error', parsed.error, cronNode);
      continue;
    }
    const twin = seen.get(parsed.schedule.expression);
    if (twin !== undefined) {
      // ACR allows several timers only when their schedules differ (§10.1).
      reader.report('schedule-duplicate', 'error', `timer ${name} repeats the schedule of timer ${twin}`, cronNode);
      continue;
    }
    seen.set(parsed.schedule.expression, name);
    triggers.schedules.push({ name, cron: parsed.schedule.expression });
  }
  return triggers;
}

function readTask(reader: Reader, nameNode: Node, name: string, node: Node | null): TaskDefinition | undefined {
  const errorsBefore = reader.errors;
  if (!TASK_NAME_PATTERN.test(name)) {
    reader.report('task-name', 'error', `task name \`${name}\`: 1-50 letters, digits, - and _`, nameNode);
  }
  const map = reader.map(node ?? undefined, name);
  if (!map) {
    if (node === null || (isScalar(node) && node.value === null))
      reader.report('file-missing', 'error', `task ${name} needs a \`file\``, nameNode);
    return undefined;
  }
  const entries = reader.entries(map, TASK_KEYS, `task ${name}`);
  const file = reader.string(entries.get('file')?.value, 'file');
  if (!entries.has('file')) reader.report('file-missing', 'error', `task ${name} needs a \`file\``, nameNode);
  const kind = file !== undefined && isTaskFilePath(file) ? 'taskFile' : 'dockerfile';
  const images = reader.stringList(entries.get('images')?.value, 'images');
  if (kind === 'taskFile' && images.length > 0) {
    reader.report(
      'images-task-file',
      'warning',
      '`images` is only used by Dockerfile tasks; a task file names its images in its steps',
      entries.get('images')?.key,
    );
  }
  const values = reader.string(entries.get('values')?.value, 'values');
  if (kind === 'dockerfile' && values !== undefined)
    reader.report(
      'values-dockerfile',
      'warning',
      'a values file is only used by task files',
      entries.get('values')?.key,
    );
  const set = reader.stringList(entries.get('set')?.value, 'set');
  const setNode = entries.get('set')?.value;
  set.forEach((item, index) => {
    if (item.indexOf('=') <= 0) {
      const itemNode = isSeq(setNode) ? (setNode.items[index] as Node) : setNode;
      reader.report('set-format', 'error', `\`${item}\`: a set value is written KEY=VALUE`, itemNode);
    }
  });
  let timeoutSeconds = DEFAULT_TASK_TIMEOUT_SECONDS;
  const timeoutNode = entries.get('timeout')?.value;
  if (timeoutNode !== undefined) {
    const value = isScalar(timeoutNode) ? timeoutNode.value : undefined;
    if (typeof value === 'number' && Number.isInteger(value) && value > 0) timeoutSeconds = value;
    else reader.report('type', 'error', '`timeout` must be a whole number of seconds greater than 0', timeoutNode);
  }
  const status = reader.oneOf<TaskStatus>(entries.get('status')?.value, 'status', TASK_STATUSES) ?? 'Enabled';
  const context = reader.string(entries.get('context')?.value, 'context') ?? '.';
  const registry = reader.string(entries.get('registry')?.value, 'registry');
  const triggers = readTriggers(reader, entries.get('triggers')?.value, name);
  if (reader.errors > errorsBefore || file === undefined) return undefined;
  const task: TaskDefinition = {
    name,
    file,
    kind,
    context,
    images,
    set,
    timeoutSeconds,
    status,
    triggers,
    span: spanOf(nameNode),
  };
  if (registry !== undefined) task.registry = registry;
  if (values !== undefined) task.values = values;
  return task;
}

/** Parses the definitions file text; an empty file is an empty list of tasks. */
export function parseDefinitions(text: string): ParsedDefinitions {
  const reader = new Reader();
  const document = parseDocumentSafely(text, { lineCounter: new LineCounter(), prettyErrors: false, uniqueKeys: true });
  for (const error of document.errors) {
    reader.report('yaml-syntax', 'error', error.message.split('\n', 1)[0] ?? error.message, undefined, {
      start: error.pos[0],
      end: error.pos[1],
    });
  }
  if (document.errors.length > 0) return { tasks: [], diagnostics: reader.diagnostics };
  const root = document.contents as Node | null;
  if (root === null || (isScalar(root) && root.value === null)) return { tasks: [], diagnostics: [] };
  if (!isMap(root)) {
    reader.report('type', 'error', 'the definitions file must be a mapping with `tasks:`', root);
    return { tasks: [], diagnostics: reader.diagnostics };
  }
  const top = reader.entries(root, TOP_KEYS, 'the definitions file');
  const version = top.get('version');
  if (version && !(isScalar(version.value) && String(version.value.value) === DEFINITIONS_VERSION)) {
    reader.report(
      'version',
      'error',
      `unsupported version; this tool reads \`version: ${DEFINITIONS_VERSION}\``,
      version.value,
    );
  }
  const tasksMap = reader.map(top.get('tasks')?.value, 'tasks');
  const tasks: TaskDefinition[] = [];
  for (const pair of tasksMap?.items ?? []) {
    const key = pair.key as Node;
    const name = isScalar(key) ? String(key.value) : '';
    const task = readTask(reader, key, name, (pair.value as Node | null) ?? null);
    if (task) tasks.push(task);
  }
  return { tasks, diagnostics: reader.diagnostics };
}
