/**
 * Loading a task for a run, ACR's way (spec §1.5): when the text mentions `secrets`, a first render
 * finds the task's `secrets:`, those are resolved (given values, else Key Vault), and the final render
 * has `.Secrets` filled in. Problems come back as `file:line:column` lines, never as exceptions.
 */
import type { TaskDiagnostic } from '../../task/diagnostic';
import { loadTask, type LoadTaskOptions } from '../../task/load';
import type { RunVariables, Task } from '../../task/model';
import { resolveTaskSecrets, SecretResolutionError, type KeyVaultSecretResolver } from '../secrets/secretResolver';

export interface LoadForRunInput {
  taskFile: string;
  text: string;
  values?: Record<string, unknown>;
  set?: string[];
  run: RunVariables;
  /** Secret values given by the user, by secret id. */
  secrets?: Readonly<Record<string, string>>;
  keyVault?: KeyVaultSecretResolver;
  /** Dry runs render secrets that have no value as empty instead of failing. */
  missingSecrets?: 'fail' | 'empty';
  readAliasSource?: LoadTaskOptions['readAliasSource'];
  /** Environment for Sprig's `env`/`expandenv`. */
  templateEnv?: Record<string, string>;
  signal: AbortSignal;
}

export type LoadForRunResult =
  | { ok: true; task: Task; rendered: string; secrets: Record<string, string>; warnings: string[] }
  | { ok: false; errors: string[]; warnings: string[]; secretsUnresolved?: boolean };

/** 1-based line and column of an offset. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, Math.max(0, Math.min(offset, text.length)));
  const lastNewline = before.lastIndexOf('\n');
  return { line: before.split('\n').length, column: offset - lastNewline };
}

export function formatTaskDiagnostic(taskFile: string, text: string, problem: TaskDiagnostic): string {
  const { line, column } = lineColumn(text, problem.span.start);
  return `${taskFile}:${line}:${column}: ${problem.severity}: ${problem.message} [${problem.code}]`;
}

export async function loadTaskForRun(input: LoadForRunInput): Promise<LoadForRunResult> {
  const load = (secrets: Record<string, string>) => {
    const options: LoadTaskOptions = { run: input.run, secrets };
    if (input.values) options.values = input.values;
    if (input.set) options.set = input.set;
    if (input.readAliasSource) options.readAliasSource = input.readAliasSource;
    if (input.templateEnv) options.env = input.templateEnv;
    return loadTask(input.text, options);
  };
  const report = (diagnostics: readonly TaskDiagnostic[]) => ({
    errors: diagnostics
      .filter((d) => d.severity === 'error')
      .map((d) => formatTaskDiagnostic(input.taskFile, input.text, d)),
    warnings: diagnostics
      .filter((d) => d.severity === 'warning')
      .map((d) => formatTaskDiagnostic(input.taskFile, input.text, d)),
  });

  let secrets: Record<string, string> = { ...input.secrets };
  if (input.text.includes('secrets')) {
    const first = load(secrets);
    const problems = report(first.diagnostics);
    if (!first.task || problems.errors.length > 0) return { ok: false, ...problems };
    const resolver = input.missingSecrets === 'empty' ? undefined : input.keyVault;
    try {
      secrets =
        input.missingSecrets === 'empty'
          ? { ...Object.fromEntries(first.task.secrets.map((secret) => [secret.id, ''])), ...secrets }
          : await resolveTaskSecrets(first.task.secrets, secrets, resolver, input.signal);
    } catch (error) {
      if (error instanceof SecretResolutionError)
        return {
          ok: false,
          errors: [`${input.taskFile}: ${error.message}`],
          warnings: problems.warnings,
          secretsUnresolved: true,
        };
      throw error;
    }
  }
  const loaded = load(secrets);
  const problems = report(loaded.diagnostics);
  if (!loaded.task || problems.errors.length > 0) return { ok: false, ...problems };
  return { ok: true, task: loaded.task, rendered: loaded.rendered, secrets, warnings: problems.warnings };
}

/**
 * acb counts a duplicated `when` entry twice and the step never starts (edge case 9): the run would
 * hang until its timeout. We refuse such a task instead (a documented deviation).
 */
export function duplicateWhenProblems(taskFile: string, text: string, task: Task): string[] {
  const problems: string[] = [];
  for (const step of task.steps) {
    const seen = new Set<string>();
    for (const id of step.when) {
      if (seen.has(id)) {
        const span = step.entries.get('when')?.value ?? step.span;
        const { line, column } = lineColumn(text, span.start);
        problems.push(
          `${taskFile}:${line}:${column}: error: step ${step.id} lists ${id} twice in when: ACR would never start it and wait until the run times out; remove the duplicate [when-duplicate]`,
        );
        break;
      }
      seen.add(id);
    }
  }
  return problems;
}
