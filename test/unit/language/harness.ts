/**
 * Test helpers for the language service: documents from fixture text with the cursor marked by a
 * caret (`|` unless the text needs that character, then pass another marker), and a host that reads
 * files from an in-memory folder beside the task file.
 */
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Diagnostic, Position, Range } from 'vscode-languageserver-types';
import { createLanguageService, type LanguageSettings, type TaskLanguageService } from '../../../server/src/language';

export const TASK_URI = 'file:///work/project/acr-task.yaml';

let version = 0;

/** A document of `text` (each call a new version, so the service cannot reuse an analysis by mistake). */
export function documentOf(text: string, uri = TASK_URI): TextDocument {
  version++;
  return TextDocument.create(uri, 'yaml', version, text);
}

/** Splits the caret out of `marked`: the text without it and the cursor's offset. */
export function caret(marked: string, marker = '|'): { text: string; offset: number } {
  const offset = marked.indexOf(marker);
  if (offset < 0 || marked.indexOf(marker, offset + 1) >= 0) throw new Error(`fixture needs exactly one ${marker}`);
  return { text: marked.slice(0, offset) + marked.slice(offset + marker.length), offset };
}

/** The document and cursor position of a caret-marked fixture. */
export function at(marked: string, marker = '|'): { document: TextDocument; position: Position } {
  const { text, offset } = caret(marked, marker);
  const document = documentOf(text);
  return { document, position: document.positionAt(offset) };
}

/** A service whose host reads `files` (paths relative to the task file's folder, or absolute). */
export function serviceWith(files: Record<string, string> = {}): TaskLanguageService {
  return createLanguageService({
    readFile: (path) => files[path.replace(/^\.\//, '')] ?? files[path],
  });
}

export interface Problem {
  code: string;
  severity: 'error' | 'warning' | 'information' | 'hint';
  /** The text the diagnostic covers. */
  text: string;
}

const SEVERITY_NAMES = ['error', 'error', 'warning', 'information', 'hint'] as const;

/** Diagnostics as {code, severity, covered text}, in the service's order. */
export function problemsOf(document: TextDocument, diagnostics: Diagnostic[]): Problem[] {
  return diagnostics.map((diagnostic) => ({
    code: String(diagnostic.code),
    severity: SEVERITY_NAMES[diagnostic.severity ?? 1],
    text: document.getText(diagnostic.range),
  }));
}

/** Validates `text` and returns its problems. */
export function validate(text: string, settings: LanguageSettings = {}, files: Record<string, string> = {}): Problem[] {
  const document = documentOf(text);
  const diagnostics = serviceWith(files).validate(document, settings);
  for (const diagnostic of diagnostics) {
    if (diagnostic.source !== 'acr-task')
      throw new Error(`diagnostic ${String(diagnostic.code)} has source ${String(diagnostic.source)}`);
  }
  return problemsOf(document, diagnostics);
}

/** A range as `line:character-line:character`, for compact assertions. */
export function rangeText(range: Range): string {
  return `${range.start.line}:${range.start.character}-${range.end.line}:${range.end.character}`;
}
