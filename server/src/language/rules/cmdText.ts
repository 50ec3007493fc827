/**
 * The `cmd` strings of a task as the agent shell will see them (spec §5.6), located in the source.
 * In alias mode the alias substitution runs first (§7.4), so known `$aliases` never reach the shell
 * and `$$` reaches it as one `$`.
 */
import type { SourceAnalysis } from '../../task/analyze';
import type { Span, Step } from '../../task/model';
import { findAliasReferences } from '../../task/preprocess';
import type { EditorAliases } from '../aliases';
import { sourceSpanOf } from '../valueText';

export interface CmdText {
  step: Step;
  /** The decoded `cmd` (templates masked with placeholders of the same length). */
  text: string;
  /** The `cmd` value as written. */
  span: Span;
  /** Maps a span inside `text` to the source. */
  toSource(part: Span): Span;
}

/** Every `cmd` string of the task with its source location. */
export function cmdTexts(analysis: SourceAnalysis): CmdText[] {
  const result: CmdText[] = [];
  for (const step of analysis.parsed.task.steps) {
    const entry = step.entries.get('cmd');
    if (step.cmd === undefined || entry === undefined) continue;
    const text = step.cmd;
    result.push({
      step,
      text,
      span: entry.value,
      toSource: (part) => sourceSpanOf(analysis.masked, entry.value, text, part),
    });
  }
  return result;
}

/**
 * The cmd with alias processing applied in place (same length): known references become filler so
 * the shell reading skips them, and an escaping `$$` keeps only its second `$`.
 */
export function shellView(text: string, aliases: EditorAliases): string {
  if (!aliases.enabled || !text.includes(aliases.directive)) return text;
  const references = findAliasReferences(text, aliases.values, aliases.directive);
  if (references.length === 0) return text;
  const chars = text.split('');
  for (const reference of references) {
    if (reference.escaped) chars[reference.span.start] = ' ';
    else if (reference.known)
      for (let index = reference.span.start; index < reference.span.end; index++) chars[index] = 'x';
  }
  return chars.join('');
}
