/**
 * The shape of a language-service rule: a check over one analysed task file that reports problems ACR
 * itself ignores, hangs on or only finds at run time. One rule per file in this folder.
 */
import type { Range } from 'vscode-languageserver-types';
import type { SourceAnalysis } from '../../task/analyze';
import type { TaskDiagnostic } from '../../task/diagnostic';
import type { EditorAliases } from '../aliases';
import type { LanguageSettings } from '../LanguageServiceHost';
import type { ShellReading } from '../shellText';
import type { SelectedValues } from '../valuesFile';

/** A rule's finding: a core diagnostic, optionally pointing into another file (a Dockerfile line). */
export interface RuleDiagnostic extends TaskDiagnostic {
  related?: { uri: string; range: Range; message: string }[];
}

export interface RuleContext {
  analysis: SourceAnalysis;
  taskFileUri: string;
  settings: LanguageSettings;
  /** Reads a file relative to the task file's folder (memoized for one validation). */
  readFile(path: string): string | undefined;
  /** The selected values file with `--set` keys, or undefined when none is selected or found. */
  values: SelectedValues | undefined;
  /** The aliases in effect for this file (computed on first use). */
  aliases(): EditorAliases;
  /** How the agent shell reads a cmd text (memoized for one validation: several rules read each cmd). */
  shellText(text: string): ShellReading;
}

export interface Rule {
  /** The stable codes this rule reports. */
  readonly codes: readonly string[];
  check(context: RuleContext): RuleDiagnostic[];
}
