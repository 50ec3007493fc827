/**
 * The ACR task-file language service: text in, LSP types out (like rcjsuen's
 * dockerfile-language-service). Pure — files come through the host — and it never throws: an internal
 * bug yields an empty result, reported to the host if it listens.
 */
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type {
  CodeAction,
  CompletionList,
  Diagnostic,
  DocumentSymbol,
  Hover,
  Location,
  Position,
  Range,
  WorkspaceEdit,
} from 'vscode-languageserver-types';
import { AnalysisCache } from './AnalysisCache';
import { codeActionsFor } from './codeActions';
import { completeAt, completeWithoutTreeOffsets } from './completion';
import { hoverAt } from './hover';
import type { LanguageServiceHost, LanguageSettings } from './LanguageServiceHost';
import { findDefinition, findReferences, prepareStepRename, renameStep } from './navigation';
import { renderPreview, type RenderPreviewOptions, type RenderPreviewResult } from './preview';
import { documentSymbols } from './symbols';
import { ruleContext, type TaskLspDiagnostic, validateAnalysis } from './validation';

export type { LanguageServiceHost, LanguageSettings } from './LanguageServiceHost';
export type { RenderPreviewOptions, RenderPreviewResult } from './preview';
export type { TaskLspDiagnostic } from './validation';

export interface TaskLanguageService {
  /** Every problem at once; source `acr-task`, `code` a stable string. */
  validate(document: TextDocument, settings: LanguageSettings): TaskLspDiagnostic[];
  complete(document: TextDocument, position: Position, settings: LanguageSettings): CompletionList;
  hover(document: TextDocument, position: Position, settings: LanguageSettings): Hover | null;
  documentSymbols(document: TextDocument): DocumentSymbol[];
  definition(document: TextDocument, position: Position): Location[];
  references(document: TextDocument, position: Position, includeDeclaration: boolean): Location[];
  prepareRename(document: TextDocument, position: Position): Range | null;
  rename(document: TextDocument, position: Position, newName: string): WorkspaceEdit | null;
  codeActions(document: TextDocument, range: Range, diagnostics: Diagnostic[]): CodeAction[];
  renderPreview(document: TextDocument, options: RenderPreviewOptions): RenderPreviewResult;
  /** Releases what is cached for a document the editor closed. */
  forget(uri: string): void;
}

/** Optional: where internal errors go (they never reach the caller as exceptions). */
export interface LanguageServiceOptions {
  onInternalError?(feature: string, error: unknown): void;
}

/** Creates a language service reading files through `host`. */
export function createLanguageService(
  host: LanguageServiceHost,
  options: LanguageServiceOptions = {},
): TaskLanguageService {
  const cache = new AnalysisCache();
  function safely<T>(feature: string, fallback: T, run: () => T): T {
    try {
      return run();
    } catch (error) {
      try {
        options.onInternalError?.(feature, error);
      } catch {
        // The listener's own failure must not escape either.
      }
      return fallback;
    }
  }
  const emptyList = (): CompletionList => ({ isIncomplete: false, items: [] });
  return {
    validate: (document, settings) =>
      safely('validate', [], () => validateAnalysis(document, cache.get(document), settings, host)),
    complete: (document, position, settings) =>
      safely('complete', emptyList(), () => {
        // Right behind a keystroke inside a free-text value the previous analysis still holds every
        // fact completion needs, and answering from it spares the user a whole re-analysis.
        const previous = cache.throughEdit(document);
        const early = previous
          ? completeWithoutTreeOffsets(document, position, ruleContext(document, previous, settings, host))
          : undefined;
        return early ?? completeAt(document, position, ruleContext(document, cache.get(document), settings, host));
      }),
    hover: (document, position, settings) =>
      safely('hover', null, () =>
        hoverAt(document, ruleContext(document, cache.get(document), settings, host), document.offsetAt(position)),
      ),
    documentSymbols: (document) => safely('documentSymbols', [], () => documentSymbols(document, cache.get(document))),
    definition: (document, position) =>
      safely('definition', [], () => findDefinition(document, cache.get(document), document.offsetAt(position))),
    references: (document, position, includeDeclaration) =>
      safely('references', [], () =>
        findReferences(document, cache.get(document), document.offsetAt(position), includeDeclaration),
      ),
    prepareRename: (document, position) =>
      safely('prepareRename', null, () =>
        prepareStepRename(document, cache.get(document), document.offsetAt(position)),
      ),
    rename: (document, position, newName) =>
      safely('rename', null, () => renameStep(document, cache.get(document), document.offsetAt(position), newName)),
    codeActions: (document, _range, diagnostics) =>
      safely('codeActions', [], () => codeActionsFor(document, cache.get(document), diagnostics)),
    forget: (uri) => cache.forget(uri),
    renderPreview: (document, previewOptions) =>
      safely('renderPreview', { rendered: '', diagnostics: [] }, () =>
        renderPreview(document, host, { ...previewOptions, sourceAnalysis: cache.get(document) }),
      ),
  };
}
