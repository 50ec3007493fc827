/**
 * Hover: what a key means (schema description, engine default, the step kinds it applies to, ACR's
 * quirk), and what a variable renders to — `.Run.ID` → "run id, e.g. `ca1`", `.Values.x` → its value
 * in the selected values file, `$Registry` → `{{.Run.Registry}}`, an image alias → its full image.
 */
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { type Hover, MarkupKind } from 'vscode-languageserver-types';
import type { Span, Step } from '../task/model';
import { findAliasReferences, RUN_VARIABLE_ALIASES } from '../task/preprocess';
import { collectKeySites } from './keySites';
import { lineAt, toRange, touches } from './positions';
import type { RuleContext } from './rules';
import { keyInfo, type KeyInfo } from './schemaKeys';
import { collectStepIdSites, siteAt } from './stepIdSites';
import { runVariableText, templateHoverAt } from './templateHover';
import type { AliasInfo } from './aliases';

function markdown(document: TextDocument, value: string, span: Span): Hover {
  return { contents: { kind: MarkupKind.Markdown, value }, range: toRange(document, span) };
}

/** The hover text of a key; `step` is the step holding it (for the applies-to warning). */
export function keyHoverText(info: KeyInfo, step: Step | undefined): string {
  const head = [`**\`${info.name}\`**`, info.type === 'any' ? undefined : info.type];
  if (info.default !== undefined) head.push(`default \`${String(info.default)}\``);
  const parts = [head.filter((part) => part !== undefined).join(' · '), info.ignoredByEngine ?? info.description];
  if (info.appliesTo) parts.push(`Applies to: ${info.appliesTo.join(', ')} steps.`);
  if (step?.kind && info.appliesTo && !info.appliesTo.includes(step.kind)) {
    parts.push(`⚠ No effect on this ${step.kind} step. ${info.ignoredNote ?? ''}`.trim());
  }
  if (info.undocumented) parts.push('Undocumented by Microsoft, but read by the ACR engine.');
  if (info.docsUrl) parts.push(`[ACR YAML reference](${info.docsUrl})`);
  return parts.join('\n\n');
}

function keyHover(document: TextDocument, context: RuleContext, offset: number): Hover | null {
  const site = collectKeySites(context.analysis).find((candidate) => touches(candidate.span, offset));
  if (!site) return null;
  const info = keyInfo(site.kind, site.name);
  if (!info) return null;
  const stepIndex = site.kind === 'step' && typeof site.path[1] === 'number' ? site.path[1] : undefined;
  const step = stepIndex === undefined ? undefined : context.analysis.parsed.task.steps[stepIndex];
  return markdown(document, keyHoverText(info, step), site.span);
}

function referenceAt(
  lineText: string,
  lineStart: number,
  names: ReadonlyMap<string, string>,
  directive: string,
  offset: number,
): { name: string; span: Span } | undefined {
  if (!lineText.includes(directive)) return undefined;
  for (const found of findAliasReferences(lineText, names, directive)) {
    const span = { start: lineStart + found.span.start, end: lineStart + found.span.end };
    if (found.known && touches(span, offset)) return { name: found.name, span };
  }
  return undefined;
}

function aliasHoverText(info: AliasInfo): string {
  const where =
    info.source === 'values'
      ? 'alias from `alias.values`'
      : info.source === 'src'
        ? `alias from \`${info.src ?? 'src'}\``
        : info.image
          ? 'predefined image alias'
          : 'predefined alias';
  const run = /^\{\{\.Run\.(\w+)\}\}$/.exec(info.value)?.[1];
  const runNote = run === undefined ? '' : `\n\n${runVariableText(run)}`;
  return `${where}: expands to \`${info.value}\`${runNote}`;
}

function aliasHover(document: TextDocument, context: RuleContext, offset: number): Hover | null {
  const { analysis } = context;
  const line = lineAt(analysis.masked, offset);
  const lineText = analysis.masked.slice(line.start, line.end);
  if (!analysis.aliasMode) {
    const reference = referenceAt(lineText, line.start, RUN_VARIABLE_ALIASES, '$', offset);
    if (!reference) return null;
    const value = RUN_VARIABLE_ALIASES.get(reference.name) ?? '';
    return markdown(
      document,
      `Not an alias in this file: aliases need \`version: v1.1.0\`. ACR leaves \`$${reference.name}\` as is (in a cmd the agent shell expands it, usually to nothing); with v1.1.0 it would be \`${value}\`.`,
      reference.span,
    );
  }
  const aliases = context.aliases();
  const target =
    referenceAt(lineText, line.start, aliases.values, aliases.directive, offset) ?? imageAliasAt(context, offset);
  const info = target && aliases.aliases.get(target.name);
  return target && info ? markdown(document, aliasHoverText(info), target.span) : null;
}

/** The image alias written as the first word of a cmd under the cursor (alias mode). */
function imageAliasAt(context: RuleContext, offset: number): { name: string; span: Span } | undefined {
  for (const step of context.analysis.parsed.task.steps) {
    const entry = step.entries.get('cmd');
    if (!entry || !touches(entry.value, offset)) continue;
    const raw = context.analysis.masked.slice(entry.value.start, entry.value.end);
    const match = /^(["']?\s*)([A-Za-z0-9]+)/.exec(raw);
    if (!match) return undefined;
    const start = entry.value.start + match[1].length;
    const span = { start, end: start + match[2].length };
    return touches(span, offset) && context.aliases().aliases.has(match[2]) ? { name: match[2], span } : undefined;
  }
  return undefined;
}

function whenHover(document: TextDocument, context: RuleContext, offset: number): Hover | null {
  const site = siteAt(collectStepIdSites(context.analysis), offset);
  if (!site || site.role !== 'when') return null;
  if (site.id === '-')
    return markdown(document, '`-`: start this step immediately, without waiting for any other step.', site.span);
  const step = context.analysis.parsed.task.steps.find(
    (candidate) => candidate.id === site.id && candidate.index < site.stepIndex,
  );
  if (!step) return null;
  const what =
    step.kind === 'cmd'
      ? `cmd: ${step.cmd ?? ''}`
      : step.kind === 'build'
        ? `build: ${step.build ?? ''}`
        : step.kind === 'push'
          ? `push: ${(step.push ?? []).join(', ')}`
          : 'no step kind';
  return markdown(document, `Waits for step **${step.id}** (step ${step.index + 1}) — \`${what.trim()}\``, site.span);
}

/** The hover at `offset`, or null. */
export function hoverAt(document: TextDocument, context: RuleContext, offset: number): Hover | null {
  return (
    templateHoverAt(document, context, offset) ??
    aliasHover(document, context, offset) ??
    whenHover(document, context, offset) ??
    keyHover(document, context, offset)
  );
}
