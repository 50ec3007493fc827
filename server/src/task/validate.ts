/**
 * ACR's validation rules (spec §8 items 7–22), reported all at once instead of acb's first-error-only,
 * each with a stable code and the span of the offending text. The engine refuses a task with any
 * error from here; the language server shows them as you type.
 */
import { diagnostic, type TaskDiagnostic } from './diagnostic';
import { IMMEDIATE_WHEN, ROOT_STEP_ID, type Span, type Step, SUPPORTED_VERSIONS, type Task } from './model';
import { splitEnvEntries } from './stepSettings';

const VOLUME_NAME = /^[A-Za-z0-9_-]+$/;
const SECRET_FILE_NAME = /^[a-zA-Z0-9-_.]+$/;
const GUID = /^\{?[0-9a-fA-F]{8}-?([0-9a-fA-F]{4}-?){3}[0-9a-fA-F]{12}\}?$/;
const WHITESPACE = /\s/u;

/** Span of a key's value if written, else of the key, else of the node. */
function at(entries: Map<string, { key: Span; value: Span; templated: boolean }>, name: string, fallback: Span): Span {
  const entry = entries.get(name);
  return entry ? entry.value : fallback;
}

function isTemplated(entries: Map<string, { templated: boolean }>, name: string): boolean {
  return entries.get(name)?.templated ?? false;
}

/** Span of one item inside a list value (best effort: searches the item text inside the list's span). */
export function itemSpan(text: string | undefined, listSpan: Span, item: string, occurrence = 0): Span {
  if (text === undefined) return listSpan;
  let from = listSpan.start;
  for (let seen = 0; ; seen++) {
    const found = text.indexOf(item, from);
    if (found < 0 || found >= listSpan.end) return listSpan;
    if (seen === occurrence) return { start: found, end: found + item.length };
    from = found + item.length;
  }
}

function validateSecrets(task: Task, out: TaskDiagnostic[]): void {
  const seen = new Set<string>();
  for (const secret of task.secrets) {
    const idSpan = at(secret.entries, 'id', secret.span);
    if (secret.id === '') out.push(diagnostic('secret-id-missing', 'error', 'secret is missing an ID', secret.span));
    else if (WHITESPACE.test(secret.id) && !isTemplated(secret.entries, 'id'))
      out.push(
        diagnostic('secret-id-whitespace', 'error', `secret ID '${secret.id}' must not contain whitespace`, idSpan),
      );
    if (!secret.keyvault)
      out.push(
        diagnostic(
          'secret-keyvault-missing',
          'error',
          `secret '${secret.id}' should contain either keyvault property or MSI resource ID`,
          secret.span,
        ),
      );
    if (secret.clientID && !GUID.test(secret.clientID) && !isTemplated(secret.entries, 'clientID'))
      out.push(
        diagnostic(
          'secret-clientid-invalid',
          'error',
          `secret '${secret.id}': clientID '${secret.clientID}' is not a valid GUID`,
          at(secret.entries, 'clientID', secret.span),
        ),
      );
    if (secret.id !== '' && seen.has(secret.id))
      out.push(diagnostic('secret-duplicate', 'error', `duplicate secret found with ID '${secret.id}'`, idSpan));
    seen.add(secret.id);
  }
}

function validateVolumes(task: Task, out: TaskDiagnostic[]): void {
  const seen = new Set<string>();
  for (const volume of task.volumes) {
    const nameSpan = at(volume.entries, 'name', volume.span);
    if (volume.name === '')
      out.push(diagnostic('volume-name-missing', 'error', 'volume name cannot be empty', volume.span));
    else if (!VOLUME_NAME.test(volume.name) && !isTemplated(volume.entries, 'name'))
      out.push(
        diagnostic(
          'volume-name-invalid',
          'error',
          `volume name '${volume.name}' may only contain [A-Za-z0-9_-]`,
          nameSpan,
        ),
      );
    if (!volume.entries.has('secret'))
      out.push(
        diagnostic(
          'volume-source-missing',
          'error',
          `volume '${volume.name}': only support for source type secret (add a \`secret:\` map)`,
          volume.span,
        ),
      );
    else if (Object.keys(volume.secret).length === 0)
      out.push(
        diagnostic(
          'volume-secret-empty',
          'error',
          `volume '${volume.name}': the secret map is empty`,
          at(volume.entries, 'secret', volume.span),
        ),
      );
    for (const fileName of Object.keys(volume.secret)) {
      if (!SECRET_FILE_NAME.test(fileName) && !isTemplated(volume.entries, 'secret'))
        out.push(
          diagnostic(
            'volume-file-name-invalid',
            'error',
            `volume '${volume.name}': secret file name '${fileName}' may only contain [a-zA-Z0-9-_.]`,
            at(volume.entries, 'secret', volume.span),
          ),
        );
    }
    if (volume.name !== '' && seen.has(volume.name))
      out.push(diagnostic('volume-duplicate', 'error', `duplicate volume found with name '${volume.name}'`, nameSpan));
    seen.add(volume.name);
  }
  const declared = new Set(task.volumes.map((volume) => volume.name));
  for (const step of task.steps) {
    for (const mount of step.volumeMounts) {
      if (mount.name !== '' && !declared.has(mount.name))
        out.push(
          diagnostic(
            'mount-unknown-volume',
            'error',
            `volume mount '${mount.name}' of step '${step.id}' does not correspond to a volume`,
            mount.span,
            { stepId: step.id, name: mount.name },
          ),
        );
    }
  }
}

function validateVersionAndEnv(task: Task, out: TaskDiagnostic[]): void {
  const version = task.version.toLowerCase();
  if (!(SUPPORTED_VERSIONS as readonly string[]).includes(version) && !isTemplated(task.entries, 'version'))
    out.push(
      diagnostic(
        'version-invalid',
        'error',
        `invalid version specified: '${task.version}'; supported versions are ${SUPPORTED_VERSIONS.join(', ')} (current version is v1.0.0)`,
        at(task.entries, 'version', { start: 0, end: 0 }),
      ),
    );
  const taskEnv = splitEnvEntries(task.env);
  const envSpan = at(task.entries, 'env', { start: 0, end: 0 });
  for (const entry of taskEnv) {
    if (!entry.includes('=') && !isTemplated(task.entries, 'env'))
      out.push(
        diagnostic(
          'env-invalid',
          'error',
          `cannot parse task environment variable '${entry}' correctly: entries are split on commas and each needs KEY=value`,
          envSpan,
        ),
      );
  }
  if (taskEnv.length === 0) return; // acb checks step entries only when a task/CLI env exists (spec §5.7.3)
  for (const step of task.steps) {
    for (const entry of step.env) {
      if (!entry.includes('=') && !isTemplated(step.entries, 'env'))
        out.push(
          diagnostic(
            'env-invalid',
            'error',
            `cannot parse step environment variable '${entry}' correctly (step '${step.id}'): a task env exists, so every step entry needs KEY=value`,
            at(step.entries, 'env', step.span),
            { stepId: step.id },
          ),
        );
    }
  }
}

function validateStep(step: Step, out: TaskDiagnostic[]): void {
  const span = step.span;
  const where = { stepId: step.id };
  if (step.retries < 0)
    out.push(
      diagnostic(
        'step-retries-negative',
        'error',
        `step '${step.id}': retries must be >= 0`,
        at(step.entries, 'retries', span),
        where,
      ),
    );
  if (step.repeat < 0)
    out.push(
      diagnostic(
        'step-repeat-negative',
        'error',
        `step '${step.id}': repeat must be >= 0`,
        at(step.entries, 'repeat', span),
        where,
      ),
    );
  const kinds = (['cmd', 'build', 'push'] as const).filter((kind) =>
    kind === 'push' ? (step.push?.length ?? 0) > 0 : Boolean(step[kind]),
  );
  if (kinds.length > 1)
    out.push(
      diagnostic(
        'step-kind-multiple',
        'error',
        `step '${step.id}' must only contain a single build, cmd, or push property (found ${kinds.join(', ')})`,
        step.entries.get(kinds[1])?.key ?? span,
        where,
      ),
    );
  if (WHITESPACE.test(step.id) && !isTemplated(step.entries, 'id'))
    out.push(
      diagnostic(
        'step-id-whitespace',
        'error',
        `step ID '${step.id}' must not contain whitespace`,
        at(step.entries, 'id', span),
        where,
      ),
    );
  if (kinds.length === 0)
    out.push(
      diagnostic(
        'step-kind-missing',
        'error',
        `step '${step.id}' is missing a cmd, build, or push property`,
        span,
        where,
      ),
    );
  if (step.volumeMounts.length > 0 && kinds.length === 1 && kinds[0] === 'push')
    out.push(
      diagnostic(
        'mount-on-push',
        'error',
        `step '${step.id}': only cmd and build steps can mount volumes`,
        step.entries.get('volumeMounts')?.key ?? span,
        where,
      ),
    );
  const paths = new Set<string>();
  for (const mount of step.volumeMounts) {
    if (mount.name === '' || mount.mountPath === '')
      out.push(
        diagnostic(
          'mount-incomplete',
          'error',
          `step '${step.id}': a volume mount needs both name and mountPath`,
          mount.span,
          where,
        ),
      );
    if (mount.mountPath !== '' && paths.has(mount.mountPath))
      out.push(
        diagnostic(
          'mount-path-duplicate',
          'error',
          `step '${step.id}': mount path '${mount.mountPath}' is used twice`,
          mount.span,
          where,
        ),
      );
    paths.add(mount.mountPath);
  }
  if (step.when.includes(IMMEDIATE_WHEN) && step.when.length > 1)
    out.push(
      diagnostic(
        'when-immediate-mixed',
        'error',
        `step '${step.id}': '-' (start immediately) cannot be combined with step ids in when`,
        at(step.entries, 'when', span),
        where,
      ),
    );
  if (step.when.includes(step.id))
    out.push(
      diagnostic(
        'when-self',
        'error',
        `step '${step.id}' is self-referenced in its when`,
        at(step.entries, 'when', span),
        where,
      ),
    );
  if (step.cache && !['enabled', 'disabled'].includes(step.cache.toLowerCase()) && !isTemplated(step.entries, 'cache'))
    out.push(
      diagnostic(
        'cache-invalid',
        'error',
        `step '${step.id}': cache must be 'enabled' or 'disabled', not '${step.cache}'`,
        at(step.entries, 'cache', span),
        where,
      ),
    );
}

/** Ids and `when` references (spec §8 items 21–22, plus the duplicate-entry hang of edge case 9). */
function validateGraph(task: Task, text: string | undefined, out: TaskDiagnostic[]): void {
  const defined = new Map<string, number>();
  for (const step of task.steps) {
    const where = { stepId: step.id };
    const idSpan = step.idExplicit ? at(step.entries, 'id', step.span) : step.span;
    if (step.id === ROOT_STEP_ID)
      out.push(diagnostic('step-id-reserved', 'error', `'${ROOT_STEP_ID}' is a reserved ID`, idSpan, where));
    else if (defined.has(step.id)) {
      const auto = step.idExplicit ? '' : ' (the automatic id of this step)';
      out.push(
        diagnostic(
          'step-id-duplicate',
          'error',
          `step ID '${step.id}'${auto} already exists as a vertex`,
          idSpan,
          where,
        ),
      );
    }
    const whenSpan = at(step.entries, 'when', step.span);
    const counts = new Map<string, number>();
    for (const id of step.when) {
      const occurrence = counts.get(id) ?? 0;
      counts.set(id, occurrence + 1);
      const span = itemSpan(text, whenSpan, id, occurrence);
      if (id === IMMEDIATE_WHEN || id === step.id) continue;
      if (occurrence === 1)
        out.push(
          diagnostic(
            'when-duplicate',
            'error',
            `step '${step.id}' lists '${id}' twice in when: ACR would never start this step and the run would hang until it times out`,
            span,
            { ...where, id },
          ),
        );
      if (occurrence > 0 || defined.has(id)) continue;
      const later = task.steps.find((other) => other.index > step.index && other.id === id);
      const message = later
        ? `step '${id}' does not exist as a vertex yet [from: ${id}, to: ${step.id}]: when may only name steps defined earlier in the file`
        : `step '${id}' does not exist as a vertex [from: ${id}, to: ${step.id}]`;
      out.push(diagnostic('when-unknown-step', 'error', message, span, { ...where, id, definedLater: Boolean(later) }));
    }
    defined.set(step.id, step.index);
  }
}

/**
 * All of ACR's validation problems of a decoded task. `text` (the parsed text) lets `when` problems point
 * at the exact list item.
 */
export function validateTask(task: Task, text?: string): TaskDiagnostic[] {
  const out: TaskDiagnostic[] = [];
  validateSecrets(task, out);
  validateVolumes(task, out);
  validateVersionAndEnv(task, out);
  for (const step of task.steps) validateStep(step, out);
  validateGraph(task, text, out);
  return out;
}

/** True when the task has no error-level problem and can be scheduled. */
export function isRunnable(diagnostics: readonly TaskDiagnostic[]): boolean {
  return !diagnostics.some((entry) => entry.severity === 'error');
}

/**
 * Decoding and validation problems of a parsed text, without the cascade a YAML syntax error causes
 * (a half-parsed step would otherwise also be "missing a cmd" and have "wrong types").
 */
export function problemsOfParsedTask(
  parsed: { task: Task; diagnostics: readonly TaskDiagnostic[] },
  text: string,
): TaskDiagnostic[] {
  const syntax = parsed.diagnostics.filter((problem) => problem.code === 'yaml-syntax');
  const overlapsSyntaxError = (problem: TaskDiagnostic) =>
    syntax.some((error) => problem.span.start <= error.span.end && error.span.start <= problem.span.end);
  const rest = [
    ...parsed.diagnostics.filter((problem) => problem.code !== 'yaml-syntax'),
    ...validateTask(parsed.task, text),
  ];
  return [...syntax, ...rest.filter((problem) => !overlapsSyntaxError(problem))];
}
