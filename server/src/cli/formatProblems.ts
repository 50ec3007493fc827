import type { Diagnostic } from 'vscode-languageserver-types';

const SEVERITY = ['', 'error', 'warning', 'information', 'hint'] as const;

/** LSP 3.18 allows markup in diagnostic messages; the CLI prints plain text. */
export function messageText(diagnostic: Diagnostic): string {
  return typeof diagnostic.message === 'string' ? diagnostic.message : diagnostic.message.value;
}

export function severityName(diagnostic: Diagnostic): string {
  return SEVERITY[diagnostic.severity ?? 1] || 'error';
}

/** `file:line:col severity code message`, 1-based like compilers print. */
export function formatProblem(file: string, diagnostic: Diagnostic): string {
  const { line, character } = diagnostic.range.start;
  return `${file}:${line + 1}:${character + 1} ${severityName(diagnostic)} ${String(diagnostic.code ?? '')} ${messageText(diagnostic)}`;
}

export function problemToJson(file: string, diagnostic: Diagnostic): Record<string, unknown> {
  return {
    file,
    line: diagnostic.range.start.line + 1,
    column: diagnostic.range.start.character + 1,
    endLine: diagnostic.range.end.line + 1,
    endColumn: diagnostic.range.end.character + 1,
    severity: severityName(diagnostic),
    code: diagnostic.code,
    source: diagnostic.source,
    message: messageText(diagnostic),
  };
}
