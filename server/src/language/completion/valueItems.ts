/**
 * Value completions: enum values and booleans from the schema, image aliases as the first word of a
 * `cmd` (alias mode), declared networks and volumes, and list items — ids of EARLIER steps and `-` in a
 * `when` (spec §5.1: a `when` may only name steps defined before it), tags built earlier in a `push`.
 */
import { type CompletionItem, CompletionItemKind, type Range } from 'vscode-languageserver-types';
import { readBuildStringAsAcb } from '../../task/buildCommand';
import type { Task } from '../../task/model';
import type { EditorAliases } from '../aliases';
import { keyInfo, type KeyKind } from '../schemaKeys';

function plain(
  label: string,
  kind: CompletionItemKind,
  range: Range,
  detail?: string,
  newText = label,
): CompletionItem {
  const item: CompletionItem = { label, kind, textEdit: { range, newText } };
  if (detail !== undefined) item.detail = detail;
  return item;
}

export interface ValueRequest {
  kind: KeyKind;
  key: string;
  /** The value text before the cursor. */
  before: string;
  range: Range;
  /** A space must be inserted first (the cursor is right after the colon). */
  needsSpace: boolean;
  task: Task;
  aliases: EditorAliases;
}

function imageAliasItems(request: ValueRequest): CompletionItem[] {
  if (!request.aliases.enabled || /\s/.test(request.before)) return [];
  return [...request.aliases.aliases.values()]
    .filter((alias) => alias.image || alias.source !== 'predefined')
    .map((alias) =>
      plain(
        alias.name,
        CompletionItemKind.Module,
        request.range,
        alias.value,
        (request.needsSpace ? ' ' : '') + alias.name,
      ),
    );
}

/** Completions for the value of `key`. */
export function valueCompletions(request: ValueRequest): CompletionItem[] {
  const space = request.needsSpace ? ' ' : '';
  if (request.kind === 'step' && request.key === 'cmd') return imageAliasItems(request);
  if (request.kind === 'step' && request.key === 'network') {
    const names = [
      ...request.task.networks.map((network) => network.name).filter((name) => name !== ''),
      'host',
      'none',
    ];
    return [...new Set(names)].map((name) =>
      plain(name, CompletionItemKind.Value, request.range, 'network', space + name),
    );
  }
  if (request.kind === 'volumeMount' && request.key === 'name') {
    return request.task.volumes.map((volume) =>
      plain(volume.name, CompletionItemKind.Value, request.range, 'volume', space + volume.name),
    );
  }
  const info = keyInfo(request.kind, request.key);
  if (!info) return [];
  if (info.enum) {
    const values = [...info.enum].reverse(); // newest version first
    return values.map((value, index) => ({
      ...plain(value, CompletionItemKind.EnumMember, request.range, info.summary, space + value),
      sortText: String(index),
    }));
  }
  if (info.type === 'boolean')
    return ['true', 'false'].map((value) =>
      plain(value, CompletionItemKind.Value, request.range, undefined, space + value),
    );
  return [];
}

export interface ItemRequest {
  kind: KeyKind;
  key: string;
  /** Index of the step holding the list, when the list is a step's. */
  stepIndex: number | undefined;
  range: Range;
  /** The item is already inside quotes. */
  quoted: boolean;
  task: Task;
  /** The task file as written (templates unmasked), to offer tags exactly as written. */
  text: string;
}

function writtenBuild(text: string, step: Task['steps'][number]): string | undefined {
  const entry = step.entries.get('build');
  if (!entry || step.build === undefined) return undefined;
  const raw = text.slice(entry.value.start, entry.value.end);
  return /^["']/.test(raw) ? raw.slice(1, -1) : raw;
}

/** Completions for an item of the list `key`. */
export function itemCompletions(request: ItemRequest): CompletionItem[] {
  if (request.kind !== 'step' || request.stepIndex === undefined) return [];
  const step = request.task.steps[request.stepIndex];
  const earlier = request.task.steps.slice(0, request.stepIndex);
  if (request.key === 'when') {
    const listed = new Set(step?.when ?? []);
    // Nearest first: a step usually waits for one just above it.
    const items = [...earlier]
      .reverse()
      .filter((other) => !listed.has(other.id) && other.id !== step?.id)
      .map((other, index) => ({
        ...plain(other.id, CompletionItemKind.Reference, request.range, other.kind ? `${other.kind} step` : 'step'),
        sortText: String(index).padStart(4, '0'),
      }));
    // `-` alone must be quoted: a bare `- -` is a nested list.
    if (listed.size === 0)
      items.push({
        ...plain(
          '-',
          CompletionItemKind.Keyword,
          request.range,
          'start immediately (no dependency)',
          request.quoted ? '-' : '"-"',
        ),
        sortText: '9999',
      });
    return items;
  }
  if (request.key === 'push') {
    const tags = earlier.flatMap((other) => {
      const build = writtenBuild(request.text, other);
      return build === undefined ? [] : readBuildStringAsAcb(build).tags.map((tag) => tag.replace(/^["']|["']$/g, ''));
    });
    return [...new Set(tags)].map((tag) =>
      plain(tag, CompletionItemKind.Value, request.range, 'built by an earlier step'),
    );
  }
  return [];
}
