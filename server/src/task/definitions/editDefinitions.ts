/**
 * `task create` / `task update` / `task delete` as edits of the definitions file text. The YAML
 * document is edited in place (comments and the order of what the user wrote are kept), and the result
 * is read back with {@link parseDefinitions}: an edit that would leave the task invalid is refused with
 * the same messages the editor shows.
 */
import { parseDocumentSafely } from '../yamlSafety';
import { isMap, isScalar, type Document, type Node, type YAMLMap } from 'yaml';
import { parseCron, unnamedTimerName } from './cron';
import { DEFINITIONS_VERSION, SCHEDULE_NAME_PATTERN, type BaseImageTriggerType, type TaskStatus } from './model';
import { parseDefinitions } from './parseDefinitions';

/** The flags of `task create`/`task update`; undefined means "not given". */
export interface TaskDefinitionInput {
  file?: string;
  context?: string;
  images?: string[];
  registry?: string;
  values?: string;
  set?: string[];
  timeoutSeconds?: number;
  status?: TaskStatus;
  commitTriggerEnabled?: boolean;
  branch?: string;
  baseImageTriggerEnabled?: boolean;
  baseImageTriggerType?: BaseImageTriggerType;
  /** Timers to add; a named one replaces the timer of that name. Unnamed ones get `t1`, `t2`, … */
  schedules?: { name?: string; cron: string }[];
}

export type DefinitionsEdit = { ok: true; text: string } | { ok: false; errors: string[] };

const NEW_FILE_HEADER =
  '# Task definitions for ACR Tasks Local (like `az acr task create`): see `acr-tasks task --help`.\n';

function firstLine(text: string): string {
  return text.split('\n', 1)[0] ?? text;
}

function openDocument(text: string): Document | { errors: string[] } {
  const document =
    text.trim() === ''
      ? parseDocumentSafely(`${NEW_FILE_HEADER}version: ${DEFINITIONS_VERSION}\n`)
      : parseDocumentSafely(text);
  if (document.errors.length > 0) return { errors: document.errors.map((error) => firstLine(error.message)) };
  if (document.contents === null) document.contents = document.createNode({ version: DEFINITIONS_VERSION }) as never;
  if (!isMap(document.contents)) return { errors: ['the definitions file must be a mapping with `tasks:`'] };
  return document;
}

function taskNode(document: Document, name: string): YAMLMap | undefined {
  const node = document.getIn(['tasks', name], true) as Node | undefined;
  return isMap(node) ? node : undefined;
}

/** Sets or replaces the timers under `triggers.schedules`, keeping the others. */
function addSchedules(document: Document, name: string, schedules: NonNullable<TaskDefinitionInput['schedules']>) {
  const errors: string[] = [];
  const path = ['tasks', name, 'triggers', 'schedules'];
  const existing = document.getIn(path, true) as Node | undefined;
  const taken = new Set<string>();
  if (isMap(existing)) for (const pair of existing.items) if (isScalar(pair.key)) taken.add(String(pair.key.value));
  for (const schedule of schedules) {
    const parsed = parseCron(schedule.cron);
    if (!parsed.ok) {
      errors.push(`--schedule ${schedule.cron}: ${parsed.error}`);
      continue;
    }
    const timer = schedule.name === undefined || schedule.name === '' ? unnamedTimerName(taken) : schedule.name;
    if (!SCHEDULE_NAME_PATTERN.test(timer)) {
      errors.push(`--schedule ${timer}:…: a timer name is letters, digits, - and _`);
      continue;
    }
    taken.add(timer);
    document.setIn([...path, timer], parsed.schedule.expression);
  }
  return errors;
}

function applyInput(document: Document, name: string, input: TaskDefinitionInput): string[] {
  const set = (path: (string | number)[], value: unknown) => {
    if (value !== undefined) document.setIn(['tasks', name, ...path], value);
  };
  set(['file'], input.file);
  set(['context'], input.context);
  if (input.images?.length === 0) document.deleteIn(['tasks', name, 'images']);
  else set(['images'], input.images);
  set(['registry'], input.registry);
  set(['values'], input.values);
  if (input.set?.length === 0) document.deleteIn(['tasks', name, 'set']);
  else set(['set'], input.set);
  set(['timeout'], input.timeoutSeconds);
  set(['status'], input.status);
  set(['triggers', 'commit', 'enabled'], input.commitTriggerEnabled);
  set(['triggers', 'commit', 'branch'], input.branch);
  set(['triggers', 'baseImage', 'enabled'], input.baseImageTriggerEnabled);
  set(['triggers', 'baseImage', 'type'], input.baseImageTriggerType);
  return input.schedules ? addSchedules(document, name, input.schedules) : [];
}

/** The problems of task `name` after an edit (located messages as `line:column message`). */
function problemsOf(text: string, name: string): string[] {
  const parsed = parseDefinitions(text);
  const tasks = parseDocumentSafely(text).get('tasks', true) as Node | undefined;
  const pair = isMap(tasks)
    ? tasks.items.find((item) => isScalar(item.key) && String(item.key.value) === name)
    : undefined;
  const start = (pair?.key as Node | undefined)?.range?.[0] ?? 0;
  const end = (pair?.value as Node | undefined)?.range?.[2] ?? text.length;
  return parsed.diagnostics
    .filter((problem) => problem.severity === 'error')
    .filter((problem) => problem.span.start >= start && problem.span.start <= end)
    .map((problem) => problem.message);
}

function finish(document: Document, name: string, errors: string[]): DefinitionsEdit {
  if (errors.length > 0) return { ok: false, errors };
  const text = document.toString({ lineWidth: 0 });
  const problems = problemsOf(text, name);
  return problems.length > 0 ? { ok: false, errors: problems } : { ok: true, text };
}

/** `task create`: adds task `name`; refuses an existing name (use update) and a missing `file`. */
export function createTaskDefinition(text: string, name: string, input: TaskDefinitionInput): DefinitionsEdit {
  const document = openDocument(text);
  if (!('contents' in document)) return { ok: false, errors: document.errors };
  if (document.hasIn(['tasks', name]))
    return { ok: false, errors: [`task ${name} already exists; use \`task update\``] };
  if (input.file === undefined) return { ok: false, errors: ['--file is required'] };
  const tasks = document.get('tasks', true) as Node | undefined;
  if (tasks !== undefined && !isMap(tasks) && !(isScalar(tasks) && tasks.value === null))
    return { ok: false, errors: ['`tasks` in the definitions file is not a mapping'] };
  if (!isMap(tasks)) document.set('tasks', document.createNode({}));
  document.setIn(['tasks', name], document.createNode({}));
  return finish(document, name, applyInput(document, name, input));
}

/** `task update`: changes only what is given. */
export function updateTaskDefinition(text: string, name: string, input: TaskDefinitionInput): DefinitionsEdit {
  const document = openDocument(text);
  if (!('contents' in document)) return { ok: false, errors: document.errors };
  if (!taskNode(document, name)) return { ok: false, errors: [`no task named ${name}`] };
  return finish(document, name, applyInput(document, name, input));
}

/** `task delete`. */
export function deleteTaskDefinition(text: string, name: string): DefinitionsEdit {
  const document = openDocument(text);
  if (!('contents' in document)) return { ok: false, errors: document.errors };
  if (!document.hasIn(['tasks', name])) return { ok: false, errors: [`no task named ${name}`] };
  document.deleteIn(['tasks', name]);
  return { ok: true, text: document.toString({ lineWidth: 0 }) };
}
