/**
 * One analysis per document version. Diagnostics, completion, hover and the rest all ask for the same
 * reading of the same text, and on a large task file the YAML parse dominates, so it runs once per edit.
 */
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { analyzeSource, type SourceAnalysis } from '../task/analyze';

interface Entry {
  version: number;
  text: string;
  analysis: SourceAnalysis;
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
    if (cached && cached.version === document.version && cached.text === text) {
      this.entries.delete(document.uri);
      this.entries.set(document.uri, cached);
      return cached.analysis;
    }
    const analysis = analyzeSource(text);
    this.entries.delete(document.uri);
    this.entries.set(document.uri, { version: document.version, text, analysis });
    while (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
    return analysis;
  }

  /** Drops a closed document's analysis (a 1,000-step file's analysis is tens of MB). */
  forget(uri: string): void {
    this.entries.delete(uri);
  }
}
