/**
 * The edit that declares a secret: a `- id:`/`keyvault:` item appended to `secrets:` in the list's own
 * style and indentation, or a new `secrets:` block before `steps:`.
 */
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { TextEdit } from 'vscode-languageserver-types';
import { isMap, isScalar, isSeq, type Node } from 'yaml';
import type { SourceAnalysis } from '../task/analyze';
import { toRange } from './positions';

function vaultUrl(id: string): string {
  return `https://myvault.vault.azure.net/secrets/${id}`;
}

function insertAt(document: TextDocument, offset: number, newText: string): TextEdit {
  return { range: toRange(document, { start: offset, end: offset }), newText };
}

function lineEndAfter(text: string, offset: number): number {
  const newline = text.indexOf('\n', Math.max(0, offset - 1));
  return newline < 0 ? text.length : newline + 1;
}

/** Adds `id` to the task's secrets. */
export function secretSkeletonEdit(document: TextDocument, analysis: SourceAnalysis, id: string): TextEdit | undefined {
  const text = document.getText();
  const root = analysis.parsed.document.contents;
  if (!isMap(root)) return undefined;
  const secretsPair = root.items.find((pair) => isScalar(pair.key) && pair.key.value === 'secrets');
  const secrets = secretsPair?.value as Node | null | undefined;
  if (secretsPair && isSeq(secrets) && secrets.items.length > 0 && secrets.range) {
    if (secrets.flow) {
      const close = text.lastIndexOf(']', secrets.range[1]);
      return close < 0 ? undefined : insertAt(document, close, `, {id: ${id}, keyvault: ${vaultUrl(id)}}`);
    }
    const first = secrets.items[0] as Node;
    const firstStart = first.range?.[0] ?? secrets.range[0];
    const lineStart = text.lastIndexOf('\n', firstStart - 1) + 1;
    const dash = text.indexOf('-', lineStart);
    const column = dash >= 0 && dash < firstStart ? dash - lineStart : firstStart - lineStart;
    const pad = ' '.repeat(column);
    const last = secrets.items[secrets.items.length - 1] as Node;
    const end = last.range?.[1] ?? secrets.range[1];
    const at = lineEndAfter(text, end);
    const prefix = at === text.length && !text.endsWith('\n') ? '\n' : '';
    return insertAt(document, at, `${prefix}${pad}- id: ${id}\n${pad}  keyvault: ${vaultUrl(id)}\n`);
  }
  const block = `secrets:\n  - id: ${id}\n    keyvault: ${vaultUrl(id)}\n`;
  if (secretsPair && isScalar(secretsPair.key) && secretsPair.key.range) {
    // `secrets:` with no items: replace the key line.
    const keyStart = secretsPair.key.range[0];
    const lineStart = text.lastIndexOf('\n', keyStart - 1) + 1;
    const end = lineEndAfter(text, (secrets?.range?.[1] ?? secretsPair.key.range[1]) + 1);
    return { range: toRange(document, { start: lineStart, end }), newText: block };
  }
  const steps = root.items.find((pair) => isScalar(pair.key) && pair.key.value === 'steps');
  const stepsStart = isScalar(steps?.key) ? steps.key.range?.[0] : undefined;
  if (stepsStart !== undefined) return insertAt(document, text.lastIndexOf('\n', stepsStart - 1) + 1, block);
  return insertAt(document, text.length, (text === '' || text.endsWith('\n') ? '' : '\n') + block);
}
