/**
 * Key completions for the mapping under the cursor, from the schema: only keys not yet written, and
 * for a step only the keys ACR uses for that step's kind. Each inserts `key: ` with a snippet shaped
 * by the key's type, indented for the column it is typed at.
 */
import {
  type CompletionItem,
  CompletionItemKind,
  InsertTextFormat,
  InsertTextMode,
  MarkupKind,
  type Range,
} from 'vscode-languageserver-types';
import type { StepKind } from '../../task/model';
import { keyAppliesTo, type KeyInfo, keysOf } from '../schemaKeys';

/** Sub-keys inserted with a list of objects, so a new entry is complete enough to be valid. */
const OBJECT_SKELETONS: Record<string, string[]> = {
  step: [],
  secret: ['id: ${1:name}', 'keyvault: ${2:https://myvault.vault.azure.net/secrets/name}'],
  network: ['name: ${1:mynet}'],
  volume: ['name: ${1:myvolume}', 'secret:', '  ${2:file.txt}: ${3:base64 content}'],
  volumeMount: ['name: ${1:myvolume}', 'mountPath: ${2:/run/secrets}'],
};

function indentLines(lines: string[], indent: number): string {
  return lines.map((line) => `\n${' '.repeat(indent)}${line}`).join('');
}

/** The snippet inserted for `info` typed at `column` (lines after the first are indented explicitly). */
export function keySnippet(info: KeyInfo, column: number): string {
  const name = info.name;
  if (info.enum && info.enum.length > 0) return `${name}: \${1|${info.enum.join(',')}|}`;
  switch (info.type) {
    case 'boolean':
      return `${name}: \${1|true,false|}`;
    case 'integer':
      return info.default !== undefined ? `${name}: \${1:${String(info.default)}}` : `${name}: $1`;
    case 'stringArray':
    case 'integerArray':
      return `${name}:${indentLines(['- $1'], column + 2)}`;
    case 'objectArray': {
      const skeleton = OBJECT_SKELETONS[info.children ?? ''] ?? [];
      if (skeleton.length === 0) return `${name}:${indentLines(['- $0'], column + 2)}`;
      const [first, ...rest] = skeleton;
      return `${name}:${indentLines([`- ${first}`], column + 2)}${indentLines(rest, column + 4)}`;
    }
    case 'stringMap':
      return `${name}:${indentLines(['${1:name}: ${2:value}'], column + 2)}`;
    case 'object':
      return `${name}:${indentLines(['$0'], column + 2)}`;
    default:
      return `${name}: $1`;
  }
}

function documentation(info: KeyInfo): string {
  const parts = [info.description];
  if (info.default !== undefined) parts.push(`Default: \`${String(info.default)}\``);
  if (info.appliesTo) parts.push(`Applies to: ${info.appliesTo.join(', ')} steps`);
  return parts.join('\n\n');
}

export interface KeyCompletionRequest {
  kind: Parameters<typeof keysOf>[0];
  siblings: ReadonlySet<string>;
  /** The step's kind when the mapping is a step and its kind is already written. */
  stepKind: StepKind | undefined;
  column: number;
  range: Range;
  /** Only the name is replaced (a `:` follows already). */
  nameOnly: boolean;
}

/** Completion items for the keys that can still be written in the mapping. */
export function keyCompletions(request: KeyCompletionRequest): CompletionItem[] {
  const kindKeys = new Set(['cmd', 'build', 'push']);
  const hasKind = [...request.siblings].some((key) => kindKeys.has(key));
  return keysOf(request.kind)
    .filter((info) => !request.siblings.has(info.name) && !info.internal)
    .filter((info) => request.kind !== 'step' || request.stepKind === undefined || keyAppliesTo(info, request.stepKind))
    .filter((info) => !(request.kind === 'step' && hasKind && kindKeys.has(info.name)))
    .map((info, index): CompletionItem => {
      const item: CompletionItem = {
        label: info.name,
        kind: CompletionItemKind.Property,
        detail: info.summary,
        documentation: { kind: MarkupKind.Markdown, value: documentation(info) },
        sortText: `${info.required ? '0' : '1'}${String(index).padStart(3, '0')}`,
      };
      if (request.nameOnly) {
        item.textEdit = { range: request.range, newText: info.name };
        return item;
      }
      item.textEdit = { range: request.range, newText: keySnippet(info, request.column) };
      item.insertTextFormat = InsertTextFormat.Snippet;
      item.insertTextMode = InsertTextMode.asIs;
      return item;
    });
}
