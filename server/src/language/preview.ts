/**
 * The rendered preview: the task file through ACR's whole loading pipeline (values, `--set`, run
 * variables, aliases, templates), with problems mapped back to the lines the user wrote. Secret values
 * are masked in the output.
 */
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { loadTask } from '../task/load';
import type { RunVariables } from '../task/model';
import type { LanguageServiceHost } from './LanguageServiceHost';
import { type TaskLspDiagnostic, toLspDiagnostic } from './validation';

export interface RenderPreviewOptions {
  /** Parsed values file (a YAML map). */
  values?: Record<string, unknown>;
  /** `--set KEY=VALUE` items. */
  set?: string[];
  run: RunVariables;
  /** Secret values by secret id; masked as `***` in the rendered text. */
  secrets?: Record<string, string>;
}

export interface RenderPreviewResult {
  rendered: string;
  diagnostics: TaskLspDiagnostic[];
}

const SECRET_MASK = '***';

function maskSecrets(text: string, secrets: Record<string, string> | undefined): string {
  const values = Object.values(secrets ?? {})
    .filter((value) => value !== '')
    .sort((a, b) => b.length - a.length);
  return values.reduce((masked, value) => masked.split(value).join(SECRET_MASK), text);
}

export function renderPreview(
  document: TextDocument,
  host: LanguageServiceHost,
  options: RenderPreviewOptions,
): RenderPreviewResult {
  const loaded = loadTask(document.getText(), {
    values: options.values,
    set: options.set,
    run: options.run,
    secrets: options.secrets,
    readAliasSource: (src) => {
      if (/^https?:\/\//i.test(src)) return { error: 'URLs are not fetched in the preview' };
      const text = host.readFile(src, document.uri);
      return text === undefined ? { error: 'file not found' } : { text };
    },
  });
  return {
    rendered: maskSecrets(loaded.rendered, options.secrets),
    diagnostics: loaded.diagnostics.map((problem) =>
      toLspDiagnostic(document, { ...problem, message: maskSecrets(problem.message, options.secrets) }),
    ),
  };
}
