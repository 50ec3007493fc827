/**
 * One analysis per document version. Diagnostics, completion, hover and the rest all ask for the same
 * reading of the same text, and on a large task file the YAML parse dominates, so it runs once per edit.
 */
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { analyzeSource, type SourceAnalysis } from '../task/analyze';
import { changeBetween } from '../task/textChange';
import { isFactNeutral, viewThroughChange } from './editReuse';

interface Entry {
  version: number;
  /** Holds the analysed text itself (no second copy is kept for the version check). */
  analysis: SourceAnalysis;
  /** The analysis seen through a fact-neutral edit, for the version after it (see `throughEdit`). */
  view?: { version: number; text: string; analysis: SourceAnalysis };
}

/** Latest analysis per document URI, for a bounded number of documents (least recently used dropped). */
export class AnalysisCache {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly capacity = 32) {}

  /** The analysis of the document's current text, computed at most once per (uri, version, text). */
  get(document: TextDocument): SourceAnalysis {
    const text = document.getText();
    const cached = this.entries.get(document.uri);
    // The text check guards against callers that reuse a version number for different text.
    if (cached && cached.version === document.version && cached.analysis.text === text) {
      this.entries.delete(document.uri);
      this.entries.set(document.uri, cached);
      return cached.analysis;
    }
    // Let go of the previous version's analysis before building the next (holding both would double
    // the peak memory on every edit); the next one may take over its template analysis and its YAML
    // document (changed in place: the entry is gone before that happens).
    const previous = cached && {
      text: cached.analysis.text,
      template: cached.analysis.template,
      masked: cached.analysis.masked,
      document: cached.analysis.parsed.document,
    };
    this.entries.delete(document.uri);
    const analysis = analyzeSource(text, previous);
    this.entries.set(document.uri, { version: document.version, analysis });
    while (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
    return analysis;
  }

  /**
   * The previous version's analysis, seen through the edit that led to the document's current text,
   * when that edit is fact-neutral (editReuse.ts) — without analysing anything. undefined when the
   * current version is already analysed (use `get`), or there is no previous analysis, or the edit
   * could change what the analysis says.
   */
  throughEdit(document: TextDocument): SourceAnalysis | undefined {
    const cached = this.entries.get(document.uri);
    if (!cached || cached.version === document.version) return undefined;
    const text = document.getText();
    if (cached.view?.version === document.version && cached.view.text === text) return cached.view.analysis;
    const change = changeBetween(cached.analysis.text, text);
    if (!isFactNeutral(cached.analysis, text, change)) return undefined;
    const analysis = viewThroughChange(cached.analysis, text, change);
    cached.view = { version: document.version, text, analysis };
    return analysis;
  }

  /** Drops a closed document's analysis (a 1,000-step file's analysis is tens of MB). */
  forget(uri: string): void {
    this.entries.delete(uri);
  }
}
