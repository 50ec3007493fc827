/**
 * The rendered preview: the task file through ACR's whole loading pipeline (values, `--set`, run
 * variables, aliases, templates), with problems mapped back to the lines the user wrote. Secret values
 * are masked in the output.
 */
import type { SourceAnalysis } from '../task/analyze';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { loadTask } from '../task/load';
import type { RunVariables } from '../task/model';
import type { LanguageServiceHost } from './LanguageServiceHost';
import { memoizedReader, type TaskLspDiagnostic, toLspDiagnostic } from './validation';

export interface RenderPreviewOptions {
  /** Parsed values file (a YAML map). */
  values?: Record<string, unknown>;
  /** `--set KEY=VALUE` items. */
  set?: string[];
  run: RunVariables;
  /** Secret values by secret id; masked as `***` in the rendered text. */
  secrets?: Record<string, string>;
  /** The `imageAliases` setting (image alias → image). */
  imageAliases?: Record<string, string>;
  /** The cached editor analysis of the document, so the preview does not parse it again. */
  sourceAnalysis?: SourceAnalysis;
}

export interface RenderPreviewResult {
  rendered: string;
  diagnostics: TaskLspDiagnostic[];
}

const SECRET_MASK = '***';

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

function utf8(text: string): number[] {
  const bytes: number[] = [];
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    if (code < 0x80) bytes.push(code);
    else if (code < 0x800) bytes.push(0xc0 | (code >> 6), 0x80 | (code & 63));
    else if (code < 0x10000) bytes.push(0xe0 | (code >> 12), 0x80 | ((code >> 6) & 63), 0x80 | (code & 63));
    else bytes.push(0xf0 | (code >> 18), 0x80 | ((code >> 12) & 63), 0x80 | ((code >> 6) & 63), 0x80 | (code & 63));
  }
  return bytes;
}

/** Standard Base64 of the UTF-8 bytes of `text` (no Buffer/btoa in the pure layer). */
export function base64(text: string): string {
  const bytes = utf8(text);
  let out = '';
  for (let index = 0; index < bytes.length; index += 3) {
    const [a = 0, b = 0, c = 0] = bytes.slice(index, index + 3);
    const chunk = (a << 16) | (b << 8) | c;
    out += BASE64[(chunk >> 18) & 63] + BASE64[(chunk >> 12) & 63];
    out += index + 1 < bytes.length ? BASE64[(chunk >> 6) & 63] : '=';
    out += index + 2 < bytes.length ? BASE64[chunk & 63] : '=';
  }
  return out;
}

function maskSecrets(text: string, secrets: Record<string, string> | undefined): string {
  // Secrets usually reach volumes as `{{.Secrets.x | b64enc}}`: the Base64 form is the secret too.
  const values = Object.values(secrets ?? {})
    .filter((value) => value !== '')
    .flatMap((value) => [value, base64(value)])
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
    imageAliases: options.imageAliases ? new Map(Object.entries(options.imageAliases)) : undefined,
    sourceAnalysis: options.sourceAnalysis,
    readAliasSource: (src) => {
      if (/^https?:\/\//i.test(src)) return { error: 'URLs are not fetched in the preview' };
      const text = memoizedReader(host, document.uri)(src);
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
