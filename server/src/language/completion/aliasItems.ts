/**
 * `$alias` completions in alias mode: the block's `values`, `src` files' names and the predefined
 * aliases, each showing what it expands to.
 */
import { type CompletionItem, CompletionItemKind, MarkupKind, type Range } from 'vscode-languageserver-types';
import type { AliasInfo, EditorAliases } from '../aliases';

function origin(alias: AliasInfo): string {
  if (alias.source === 'values') return 'alias from `alias.values`';
  if (alias.source === 'src') return `alias from \`${alias.src ?? 'src'}\``;
  return alias.image ? 'predefined image alias' : 'predefined alias';
}

export function aliasCompletions(aliases: EditorAliases, range: Range): CompletionItem[] {
  return [...aliases.aliases.values()].map((alias): CompletionItem => {
    const label = `${aliases.directive}${alias.name}`;
    return {
      label,
      kind: alias.image ? CompletionItemKind.Module : CompletionItemKind.Variable,
      detail: alias.value,
      documentation: { kind: MarkupKind.Markdown, value: `${origin(alias)}: expands to \`${alias.value}\`` },
      filterText: label,
      sortText: `${alias.source === 'predefined' ? '1' : '0'}${alias.name}`,
      textEdit: { range, newText: label },
    };
  });
}
