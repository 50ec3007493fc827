/**
 * What each `{{ .Run.X }}` renders to (spec §6.2), for hover and completion. Examples are the shapes
 * the ACR service produces (run ids such as `ca1` are short lowercase alphanumerics, not UUIDs).
 */
import type { RunVariables } from '../task/model';

export interface RunVariableDoc {
  summary: string;
  example: string;
}

export const RUN_VARIABLE_DOCS: Readonly<Record<keyof RunVariables, RunVariableDoc>> = {
  ID: { summary: 'run id', example: 'ca1' },
  SharedVolume: { summary: 'name of the Docker volume mounted at /workspace in every step', example: 'acb_vol_5c1a…' },
  Registry: { summary: 'fully-qualified login server of the registry', example: 'myregistry.azurecr.io' },
  RegistryName: { summary: 'registry name: the login server up to its first dot', example: 'myregistry' },
  Date: { summary: 'run start time in UTC, `yyyyMMdd-HHmmss` and a literal `z`', example: '20240102-030405z' },
  OS: { summary: "the engine's operating system", example: 'linux' },
  OSVersion: { summary: 'the OS version given to the engine (often empty)', example: '1903' },
  Architecture: { summary: "the engine's CPU architecture", example: 'amd64' },
  Commit: { summary: 'triggering commit SHA (may be empty)', example: '8b9f2c1e…' },
  Branch: { summary: 'triggering or checked-out branch (may be empty)', example: 'main' },
  GitTag: { summary: 'the git tag given to the run (no `$` alias exists for it)', example: 'v1.2.0' },
  Repository: { summary: 'the repository given to the run', example: 'myapp' },
  TriggeredBy: { summary: 'what triggered the run', example: 'manual' },
  TaskName: { summary: 'task name (empty for quick runs)', example: 'mytask' },
};

/** Other data a template sees besides `.Run` (spec §6.2). */
export const TEMPLATE_DATA_DOCS: Readonly<Record<string, string>> = {
  Run: 'run variables (`.Run.ID`, `.Run.Registry`, …)',
  Values: 'values from the values file and `--set` (missing keys render as empty)',
  Secrets: 'secrets declared under `secrets:` and resolved from Key Vault at run start',
  Build: 'legacy: `.Build.ID` is the same as `.Run.ID`',
  ValuesJSON: '`.Values` as JSON, shell-quoted when needed',
  RunJSON: '`.Run` as JSON (keys sorted), shell-quoted when needed',
};
