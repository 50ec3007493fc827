/**
 * The editor's reading of a task file: the text as written, with templates masked so YAML can be
 * parsed with offsets that equal the user's (STYLE "Templates first"). ACR renders before parsing;
 * the editor cannot (values and secrets are unknown while typing), so each `{{ … }}` becomes a
 * same-length placeholder, and a line holding only template control (`{{ if }}`, `{{ end }}`) becomes
 * blank so it cannot break YAML. Values that overlapped a template are not type-checked.
 */
import type { TaskDiagnostic } from './diagnostic';
import { diagnostic } from './diagnostic';
import type { Span } from './model';
import type { Document } from 'yaml';
import { moveDocumentThroughChange } from './documentThroughChange';
import { decodeTask, type ParsedTask, parseTask } from './parse';
import { aliasModeEnabled, blankCommentLines, sniffVersion } from './preprocess';
import { analyzeTemplate, type TemplateAction, type TemplateAnalysis } from './template';
import { changeBetween, templateThroughChange } from './textChange';
import { problemsOfParsedTask } from './validate';

export interface SourceAnalysis {
  /** The text as the user wrote it. */
  text: string;
  /** Comment lines and templates blanked/masked; same length and line breaks as `text`. */
  masked: string;
  template: TemplateAnalysis;
  /** Spans of template actions that were replaced by placeholders (not the blanked control lines). */
  templateSpans: Span[];
  parsed: ParsedTask;
  sniffedVersion: string | undefined;
  aliasMode: boolean;
  /** Template, YAML and ACR validation problems, in the user's offsets. */
  diagnostics: TaskDiagnostic[];
}

const PLACEHOLDER = '_';

function lineBounds(text: string, offset: number): { start: number; end: number } {
  const start = text.lastIndexOf('\n', offset - 1) + 1;
  const newline = text.indexOf('\n', offset);
  return { start, end: newline < 0 ? text.length : newline };
}

/** `text[span]` with every character but line breaks replaced by `filler` (same length, same lines). */
function filled(text: string, span: Span, filler: string): string {
  return text.slice(span.start, span.end).replace(/[^\r\n]/g, filler);
}

/** True when, apart from these actions, the line holds only whitespace. */
function onlyActionsOnLine(text: string, line: Span, actions: readonly TemplateAction[]): boolean {
  let cursor = line.start;
  for (const action of actions) {
    if (action.span.end > line.end || text.slice(cursor, action.span.start).trim() !== '') return false;
    cursor = action.span.end;
  }
  return text.slice(cursor, line.end).trim() === '';
}

/** Masks template actions; returns the masked text and the spans that became placeholders. */
export function maskTemplates(text: string, template: TemplateAnalysis): { masked: string; templateSpans: Span[] } {
  // Offsets from the template engine are UTF-16 code units, as are string slices. The masked text is
  // assembled from slices rather than a per-character array: a large file has ~10^5 characters and
  // only a few thousand masked ones.
  const pieces: string[] = [];
  let copiedUpTo = 0;
  const templateSpans: Span[] = [];
  // Group the actions by the line they start on, in one pass (they come in text order).
  const lines: { line: Span; actions: TemplateAction[] }[] = [];
  for (const action of template.actions) {
    const last = lines[lines.length - 1];
    if (last && action.span.start <= last.line.end) last.actions.push(action);
    else lines.push({ line: lineBounds(text, action.span.start), actions: [action] });
  }
  for (const { line, actions } of lines) {
    // A line of nothing but `{{ if }}`/`{{ end }}`-like actions renders to nothing: blank it so YAML
    // never sees it; any other action becomes a same-length placeholder value.
    const controlOnly = actions.every((action) => action.control) && onlyActionsOnLine(text, line, actions);
    for (const action of actions) {
      // Actions never overlap; a defensive clamp keeps the output the text's length if one ever did.
      const start = Math.max(action.span.start, copiedUpTo);
      const end = Math.max(action.span.end, start);
      pieces.push(text.slice(copiedUpTo, start), filled(text, { start, end }, controlOnly ? ' ' : PLACEHOLDER));
      copiedUpTo = end;
      if (!controlOnly) templateSpans.push(action.span);
    }
  }
  pieces.push(text.slice(copiedUpTo));
  return { masked: pieces.join(''), templateSpans };
}

/** What {@link analyzeSource} may take over from the analysis of the version before an edit. */
export interface PreviousVersion {
  text: string;
  template: TemplateAnalysis;
  masked?: string;
  /**
   * Its YAML document. When the edit allows (documentThroughChange.ts) it is moved onto the new text
   * IN PLACE and becomes the new analysis' document: the previous analysis must not be used afterwards.
   */
  document?: Document;
}

/**
 * Everything the language service needs to know about a task file's text, without rendering it.
 * `previous`: the analysis of the version before an edit. What the edit provably leaves as it was is
 * moved onto the new text instead of being recomputed: the template analysis (textChange.ts) and, for
 * a keystroke inside a one-line plain value, the YAML tree (documentThroughChange.ts).
 */
export function analyzeSource(text: string, previous?: PreviousVersion): SourceAnalysis {
  const withoutComments = blankCommentLines(text);
  const template =
    (previous && templateThroughChange(previous.text, text, changeBetween(previous.text, text), previous.template)) ??
    analyzeTemplate(withoutComments);
  const { masked, templateSpans } = maskTemplates(withoutComments, template);
  const moved =
    previous?.masked !== undefined &&
    previous.document !== undefined &&
    moveDocumentThroughChange(previous.document, previous.masked, masked, changeBetween(previous.masked, masked));
  const parsed =
    moved && previous?.document
      ? decodeTask(previous.document, { templateSpans })
      : parseTask(masked, { templateSpans });
  const sniffed = sniffVersion(withoutComments);
  const diagnostics: TaskDiagnostic[] = [
    ...template.errors.map((error) => diagnostic('template-error', 'error', error.message, error.span)),
    ...problemsOfParsedTask(parsed, masked),
  ];
  return {
    text,
    masked,
    template,
    templateSpans,
    parsed,
    sniffedVersion: sniffed?.value,
    aliasMode: aliasModeEnabled(sniffed?.value),
    diagnostics,
  };
}
