/**
 * Completions inside `{{ … }}`: `.Run.` fields (with what they render to), `.Values.` keys of the
 * selected values file and `--set`, `.Secrets.` ids declared in the file, the top-level data names,
 * and function names and keywords where a function can start.
 */
import { type CompletionItem, CompletionItemKind, MarkupKind, type Range } from 'vscode-languageserver-types';
import { RUN_VARIABLE_NAMES, type Task } from '../../task/model';
import { describeFunction, TEMPLATE_FUNCTION_NAMES } from '../../task/template';
import { RUN_VARIABLE_DOCS, TEMPLATE_DATA_DOCS } from '../runVariableDocs';
import type { SelectedValues } from '../valuesFile';

const KEYWORDS = ['if', 'else', 'end', 'range', 'with', 'define', 'template', 'block', 'break', 'continue', 'nil'];

export interface TemplateRequest {
  /** The action's text from after `{{` up to the cursor. */
  expression: string;
  range: Range;
  task: Task;
  values: SelectedValues | undefined;
  /** `.Values.x` keys referenced anywhere in the file. */
  usedValueKeys: string[];
}

function item(
  label: string,
  kind: CompletionItemKind,
  range: Range,
  detail?: string,
  documentation?: string,
): CompletionItem {
  const result: CompletionItem = { label, kind, textEdit: { range, newText: label } };
  if (detail !== undefined) result.detail = detail;
  if (documentation !== undefined) result.documentation = { kind: MarkupKind.Markdown, value: documentation };
  return result;
}

function shown(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 59)}…` : text;
}

/** Completions for the template expression being typed. */
export function templateCompletions(request: TemplateRequest): CompletionItem[] {
  // Only the end matters; a bounded tail keeps the unanchored match linear on a pasted 20 kB action.
  const token = /(?:^|[\s|(,])(\$?[.\w]*)$/.exec(request.expression.slice(-256))?.[1] ?? '';
  const field = /^\$?\.(Run|Values|Secrets|Build)\.\w*$/.exec(token)?.[1];
  if (field === 'Run') {
    return RUN_VARIABLE_NAMES.map((name) =>
      item(
        name,
        CompletionItemKind.Field,
        request.range,
        `${RUN_VARIABLE_DOCS[name].summary}, e.g. ${RUN_VARIABLE_DOCS[name].example}`,
      ),
    );
  }
  if (field === 'Build') return [item('ID', CompletionItemKind.Field, request.range, 'same as .Run.ID (legacy)')];
  if (field === 'Values') {
    if (!request.values) {
      // No values file selected: offer the keys this file already uses.
      return [...new Set(request.usedValueKeys)].map((key) =>
        item(key, CompletionItemKind.Field, request.range, 'used in this file'),
      );
    }
    const values = request.values.values;
    return Object.entries(values).map(([key, value]) =>
      item(
        key,
        CompletionItemKind.Field,
        request.range,
        request.values?.setKeys.has(key) ? `--set: ${shown(value)}` : shown(value),
        `from \`${request.values?.path ?? ''}\``,
      ),
    );
  }
  if (field === 'Secrets') {
    return request.task.secrets
      .filter((secret) => secret.id !== '')
      .map((secret) =>
        item(
          secret.id,
          CompletionItemKind.Field,
          request.range,
          secret.keyvault ? `Key Vault: ${secret.keyvault}` : 'declared secret',
        ),
      );
  }
  if (/^\$?\.\w*$/.test(token)) {
    return Object.entries(TEMPLATE_DATA_DOCS).map(([name, doc]) =>
      item(name, CompletionItemKind.Module, request.range, doc),
    );
  }
  if (/^\w*$/.test(token)) {
    const functions = TEMPLATE_FUNCTION_NAMES.map((name) =>
      item(name, CompletionItemKind.Function, request.range, describeFunction(name)),
    );
    const keywords = KEYWORDS.map((name) => item(name, CompletionItemKind.Keyword, request.range));
    return [...keywords, ...functions];
  }
  return [];
}
