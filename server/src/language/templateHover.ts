/**
 * Hover inside `{{ … }}`: what a field renders to and what a function does.
 */
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { type Hover, MarkupKind } from 'vscode-languageserver-types';
import type { RunVariables, Span } from '../task/model';
import { describeFunction } from '../task/template';
import { toRange, touches } from './positions';
import type { RuleContext } from './rules';
import { RUN_VARIABLE_DOCS, TEMPLATE_DATA_DOCS } from './runVariableDocs';
import { templateCalls, templateFields, type TemplateField } from './templateFacts';

function markdown(document: TextDocument, value: string, span: Span): Hover {
  return { contents: { kind: MarkupKind.Markdown, value }, range: toRange(document, span) };
}

/** "`.Run.ID`: run id, e.g. `ca1`". */
export function runVariableText(name: string): string {
  const doc = RUN_VARIABLE_DOCS[name as keyof RunVariables] as
    (typeof RUN_VARIABLE_DOCS)[keyof RunVariables] | undefined;
  if (!doc) return `\`.Run.${name}\` is not a run variable: ACR fails to render it`;
  return `\`.Run.${name}\`: ${doc.summary}, e.g. \`${doc.example}\``;
}

function shown(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function valueText(context: RuleContext, key: string | undefined): string {
  if (key === undefined) return `\`.Values\`: ${TEMPLATE_DATA_DOCS.Values ?? ''}`;
  const selected = context.values;
  if (!selected)
    return `\`.Values.${key}\`: no values file is selected, so its value is only known at run time (missing values render as empty)`;
  if (!Object.prototype.hasOwnProperty.call(selected.values, key))
    return `\`.Values.${key}\`: not in \`${selected.path}\` — renders as an empty string`;
  const from = selected.setKeys.has(key) ? '`--set`' : `\`${selected.path}\``;
  return `\`.Values.${key}\` = \`${shown(selected.values[key])}\` (from ${from})`;
}

function secretText(context: RuleContext, id: string | undefined): string {
  if (id === undefined) return `\`.Secrets\`: ${TEMPLATE_DATA_DOCS.Secrets ?? ''}`;
  const secret = context.analysis.parsed.task.secrets.find((candidate) => candidate.id === id);
  if (!secret) return `\`.Secrets.${id}\`: not declared under \`secrets:\` — renders as an empty string`;
  return `\`.Secrets.${id}\`: resolved at run start from ${secret.keyvault ? `\`${secret.keyvault}\`` : 'Key Vault'}${secret.clientID ? ` with identity \`${secret.clientID}\`` : ''}`;
}

function fieldText(context: RuleContext, field: TemplateField): string {
  const [root, name] = field.path;
  if (root === 'Run') return name === undefined ? `\`.Run\`: ${TEMPLATE_DATA_DOCS.Run ?? ''}` : runVariableText(name);
  if (root === 'Build') return '`.Build.ID`: legacy, the same as `.Run.ID`';
  if (root === 'Values') return valueText(context, name);
  if (root === 'Secrets') return secretText(context, name);
  const doc = root === undefined ? undefined : TEMPLATE_DATA_DOCS[root];
  return doc
    ? `\`.${root}\`: ${doc}`
    : `\`.${field.path.join('.')}\` is no task data: ACR renders it as an empty string`;
}

/** The hover for a template field or function at `offset`, or null. */
export function templateHoverAt(document: TextDocument, context: RuleContext, offset: number): Hover | null {
  const field = templateFields(context.analysis).find((candidate) => touches(candidate.span, offset));
  if (field) return markdown(document, fieldText(context, field), field.span);
  const call = templateCalls(context.analysis).find((candidate) => touches(candidate.span, offset));
  const description = call && describeFunction(call.name);
  if (call && description) return markdown(document, `\`${call.name}\`: ${description}`, call.span);
  return null;
}
