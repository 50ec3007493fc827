/**
 * The outline: top-level keys, with the steps (named by id, detailed by kind and first words) and the
 * declared secrets, networks and volumes as children.
 */
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { type DocumentSymbol, SymbolKind } from 'vscode-languageserver-types';
import type { SourceAnalysis } from '../task/analyze';
import type { EntrySpans, Span, Step } from '../task/model';
import { toRange } from './positions';

const DETAIL_LENGTH = 48;

function symbol(
  document: TextDocument,
  name: string,
  kind: SymbolKind,
  span: Span,
  selection: Span,
  detail?: string,
  children?: DocumentSymbol[],
): DocumentSymbol {
  const range = toRange(document, span);
  const selectionRange = toRange(document, {
    start: Math.max(span.start, selection.start),
    end: Math.min(span.end, selection.end),
  });
  const result: DocumentSymbol = { name: name.trim() === '' ? '(empty)' : name, kind, range, selectionRange };
  if (detail !== undefined && detail !== '') result.detail = detail;
  if (children !== undefined) result.children = children;
  return result;
}

/** The name as the user wrote it when it is a template, else the decoded value. */
function writtenName(document: TextDocument, entries: Map<string, EntrySpans>, key: string, decoded: string): string {
  const entry = entries.get(key);
  if (entry?.templated) return document.getText().slice(entry.value.start, entry.value.end);
  return decoded;
}

function shorten(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length <= DETAIL_LENGTH ? oneLine : `${oneLine.slice(0, DETAIL_LENGTH - 1)}…`;
}

function stepDetail(step: Step): string {
  if (step.kind === 'cmd') return `cmd: ${shorten(step.cmd ?? '')}`;
  if (step.kind === 'build') return `build: ${shorten(step.build ?? '')}`;
  if (step.kind === 'push') return `push: ${shorten((step.push ?? []).join(', '))}`;
  return 'no step kind';
}

function stepSymbol(document: TextDocument, step: Step): DocumentSymbol {
  const idEntry = step.entries.get('id');
  const firstKey = [...step.entries.values()][0]?.key ?? { start: step.span.start, end: step.span.start };
  const name = step.idExplicit ? writtenName(document, step.entries, 'id', step.id) : step.id;
  return symbol(document, name, SymbolKind.Function, step.span, idEntry?.value ?? firstKey, stepDetail(step));
}

function entryKind(key: string): SymbolKind {
  if (['steps', 'secrets', 'networks', 'volumes', 'env'].includes(key)) return SymbolKind.Array;
  if (key === 'alias') return SymbolKind.Namespace;
  if (key === 'stepTimeout') return SymbolKind.Number;
  return SymbolKind.Property;
}

/** Document symbols of a task file. */
export function documentSymbols(document: TextDocument, analysis: SourceAnalysis): DocumentSymbol[] {
  const task = analysis.parsed.task;
  const text = document.getText();
  const result: DocumentSymbol[] = [];
  for (const [key, entry] of task.entries) {
    if (key === '') continue;
    const span = { start: entry.key.start, end: Math.max(entry.key.end, entry.value.end) };
    let children: DocumentSymbol[] | undefined;
    if (key === 'steps') children = task.steps.map((step) => stepSymbol(document, step));
    if (key === 'secrets')
      children = task.secrets.map((secret) =>
        symbol(
          document,
          writtenName(document, secret.entries, 'id', secret.id),
          SymbolKind.Key,
          secret.span,
          secret.entries.get('id')?.value ?? secret.span,
          secret.keyvault,
        ),
      );
    if (key === 'networks')
      children = task.networks.map((network) =>
        symbol(
          document,
          writtenName(document, network.entries, 'name', network.name),
          SymbolKind.Interface,
          network.span,
          network.entries.get('name')?.value ?? network.span,
          network.isDefault ? 'default' : network.driver,
        ),
      );
    if (key === 'volumes')
      children = task.volumes.map((volume) =>
        symbol(
          document,
          writtenName(document, volume.entries, 'name', volume.name),
          SymbolKind.Struct,
          volume.span,
          volume.entries.get('name')?.value ?? volume.span,
          Object.keys(volume.secret).join(', '),
        ),
      );
    const scalar =
      children === undefined && key !== 'alias' ? shorten(text.slice(entry.value.start, entry.value.end)) : undefined;
    result.push(symbol(document, key, entryKind(key), span, entry.key, scalar, children));
  }
  return result;
}
