/**
 * Custom requests and notifications shared by the VS Code client and the language server.
 * Types and method names only: both sides import this file, so it must not import Node or VS Code.
 */

/** Request: the fully rendered task (values file, `--set`, run variables, aliases). */
export const RENDER_PREVIEW_REQUEST = 'acrTasks/renderPreview';

export interface RenderPreviewParams {
  uri: string;
  /** Values file path (absolute, or relative to the task file's folder); default: the setting. */
  valuesFile?: string;
  set?: string[];
  /** Run variables to use (`ID`, `Registry`, …); unset ones are empty, as `acb render` without flags. */
  run?: Record<string, string>;
}

export interface PreviewProblem {
  line: number;
  character: number;
  severity: 'error' | 'warning' | 'information' | 'hint';
  code: string;
  message: string;
}

export interface RenderPreviewResult {
  rendered: string;
  problems: PreviewProblem[];
}

/** Settings the server reads from the client (`acrTasks.*`). */
export interface ServerSettings {
  taskFileGlobs: string[];
  valuesFile: string;
  imageAliases: Record<string, string>;
}

export const DEFAULT_TASK_FILE_PATTERNS = ['acr-task.yaml', '*.acr-task.yaml', 'acb.yaml'] as const;
