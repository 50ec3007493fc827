/**
 * All problems of a task file at once: ACR's own rules (template, YAML, spec §8 — from the core's
 * analysis), the alias block's, and the language service's rules beyond ACR. One source name, stable
 * codes, exact ranges.
 */
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { type Diagnostic, DiagnosticSeverity } from 'vscode-languageserver-types';
import type { SourceAnalysis } from '../task/analyze';
import { DIAGNOSTIC_SOURCE, type Severity, type TaskDiagnostic } from '../task/diagnostic';
import { editorAliases, type EditorAliases } from './aliases';
import type { LanguageServiceHost, LanguageSettings } from './LanguageServiceHost';
import { toRange } from './positions';
import { RULES, type RuleContext, type RuleDiagnostic } from './rules';
import { selectValues } from './valuesFile';
import { readShellText, type ShellReading } from './shellText';

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

/** An LSP diagnostic whose message is plain text (LSP 3.18 also allows markup; this service never sends it). */
export type TaskLspDiagnostic = Diagnostic & { message: string };

/** A core or rule diagnostic as an LSP diagnostic of this project's source. */
export function toLspDiagnostic(document: TextDocument, problem: RuleDiagnostic): TaskLspDiagnostic {
  const result: TaskLspDiagnostic = {
    range: toRange(document, problem.span),
    severity: SEVERITY[problem.severity],
    code: problem.code,
    source: DIAGNOSTIC_SOURCE,
    message: problem.message,
  };
  if (problem.data !== undefined) result.data = problem.data;
  if (problem.related !== undefined && problem.related.length > 0) {
    result.relatedInformation = problem.related.map((link) => ({
      location: { uri: link.uri, range: link.range },
      message: link.message,
    }));
  }
  return result;
}

/** A file reader bound to the task file, memoized for one request. */
export function memoizedReader(host: LanguageServiceHost, taskFileUri: string): (path: string) => string | undefined {
  const read = new Map<string, string | undefined>();
  return (path) => {
    if (!read.has(path)) {
      let text: string | undefined;
      try {
        text = host.readFile(path, taskFileUri);
      } catch {
        text = undefined; // a failing read is a missing file, not a lost validation
      }
      read.set(path, typeof text === 'string' ? text : undefined);
    }
    return read.get(path);
  };
}

/** The context rules see; aliases are computed on first use. */
export function ruleContext(
  document: TextDocument,
  analysis: SourceAnalysis,
  settings: LanguageSettings,
  host: LanguageServiceHost,
): RuleContext {
  const readFile = memoizedReader(host, document.uri);
  let aliases: EditorAliases | undefined;
  const shellTexts = new Map<string, ShellReading>();
  return {
    analysis,
    taskFileUri: document.uri,
    settings,
    readFile,
    values: selectValues(settings, readFile),
    aliases: () => (aliases ??= editorAliases(analysis, readFile, settings.imageAliases)),
    shellText: (text) => {
      let read = shellTexts.get(text);
      if (read === undefined) shellTexts.set(text, (read = readShellText(text)));
      return read;
    },
  };
}

function aliasBlockProblems(context: RuleContext): TaskDiagnostic[] {
  if (!context.analysis.aliasMode) return [];
  const aliases = context.aliases();
  return [...aliases.block.errors, ...aliases.srcErrors].map((error) => ({
    code: error.code,
    severity: 'error' as const,
    message: error.message,
    span: error.span,
  }));
}

/** Every problem of the document, ACR's first. */
export function validateAnalysis(
  document: TextDocument,
  analysis: SourceAnalysis,
  settings: LanguageSettings,
  host: LanguageServiceHost,
): TaskLspDiagnostic[] {
  const context = ruleContext(document, analysis, settings, host);
  const problems: RuleDiagnostic[] = [...analysis.diagnostics, ...aliasBlockProblems(context)];
  // A rule's warning on exactly the text an ACR error already covers adds nothing (e.g. a mount on a push step).
  const errorSpans = new Set(
    problems
      .filter((problem) => problem.severity === 'error')
      .map((problem) => `${problem.span.start}:${problem.span.end}`),
  );
  for (const rule of RULES) {
    try {
      for (const problem of rule.check(context)) {
        if (problem.severity !== 'error' && errorSpans.has(`${problem.span.start}:${problem.span.end}`)) continue;
        problems.push(problem);
      }
    } catch {
      // One broken rule must not hide the others' problems (the service never throws on input).
    }
  }
  return problems.map((problem) => toLspDiagnostic(document, problem));
}
