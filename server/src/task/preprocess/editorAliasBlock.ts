/**
 * The editor's reading of the `alias:` block in the text as written: no rendering, so `{{ … }}` is masked
 * (same length) before YAML parsing and values that hold templates are returned raw from the source.
 * Every span is an offset into the original text.
 */
import { parseDocumentSafely } from '../yamlSafety';
import { type Scalar } from 'yaml';
import { classifyAliasBlockLines } from './aliasBlock';
import { ALIAS_MESSAGES, decodeAliasDocument, directiveProblem } from './aliasDefinition';
import { blankCommentLines } from './comments';
import { goTrimEndIndex, goTrimSpace, isAliasName, isGoSpace, type TextLine } from './goText';
import { findTemplateSpans, overlapsAny } from './templateSpans';
import type { PreprocessError, PreSpan } from './types';
import { GO_YAML_PARSE_OPTIONS, isYamlNull, scalarText } from './yamlDecode';

export interface EditorAliasValue {
  name: string;
  value: string;
  keySpan: PreSpan;
  valueSpan: PreSpan;
  /** The key or value contains a template, so it is shown raw and not validated. */
  templated: boolean;
}

export interface EditorAliasBlock {
  values: EditorAliasValue[];
  src: { path: string; span: PreSpan }[];
  directive?: { value: string; span: PreSpan };
  /** From the start of the (first) `alias:` line to the end of its last non-blank line. */
  blockSpan?: PreSpan;
  errors: PreprocessError[];
}

export interface ReadAliasBlockOptions {
  /** Template action spans already found by the template analyzer; found here when omitted. */
  templateSpans?: readonly PreSpan[];
}

const PLACEHOLDER = '_';

/** YAML plain-scalar line folding: line breaks become spaces, empty lines become `\n`. */
function foldPlain(raw: string): string {
  let folded = '';
  let pendingBreaks = 0;
  for (const line of raw.split('\n').map((part) => goTrimSpace(part))) {
    if (line === '') {
      pendingBreaks++;
      continue;
    }
    if (folded !== '') folded += pendingBreaks > 0 ? '\n'.repeat(pendingBreaks) : ' ';
    folded += line;
    pendingBreaks = 0;
  }
  return folded;
}

/** The value of a scalar that overlaps a template, read from the original text. */
function rawScalarText(text: string, node: Scalar): string {
  const [start, end] = node.range ?? [0, 0];
  const raw = text.slice(start, end);
  if (node.type === 'PLAIN' || node.type === undefined) return foldPlain(raw);
  const reparsed = parseDocumentSafely(raw, GO_YAML_PARSE_OPTIONS);
  const contents = reparsed.contents;
  if (reparsed.errors.length === 0 && contents !== null && 'value' in contents && !isYamlNull(contents)) {
    return scalarText(contents);
  }
  return raw;
}

/** Masks templates inside block lines; lines holding nothing but templates become blank. */
function maskBlockTemplates(chars: string[], blockLines: TextLine[], templates: readonly PreSpan[]): void {
  for (const line of blockLines) {
    const onLine = templates.filter((span) => span.start < line.end && line.start < span.end);
    if (onLine.length === 0) continue;
    let onlyTemplates = true;
    for (let index = line.start; index < line.end && onlyTemplates; index++) {
      const insideTemplate = onLine.some((span) => span.start <= index && index < span.end);
      if (!insideTemplate && !isGoSpace(chars[index]?.charCodeAt(0) ?? 0x20)) onlyTemplates = false;
    }
    const filler = onlyTemplates ? ' ' : PLACEHOLDER;
    for (const span of onLine) {
      for (let index = Math.max(span.start, line.start); index < Math.min(span.end, line.end); index++) {
        chars[index] = filler;
      }
    }
  }
}

function lastContentEnd(lines: TextLine[]): number {
  for (let index = lines.length - 1; index >= 0; index--) {
    const line = lines[index];
    if (line !== undefined && goTrimSpace(line.text) !== '') return line.start + goTrimEndIndex(line.text);
  }
  return lines[0]?.end ?? 0;
}

/**
 * For the editor: locate the `alias:` block(s) in the original text (comment lines blanked) and read
 * `values`, `src` and `directive` with spans, validating what can be validated before rendering
 * (key names, the directive). `src` files are not loaded here.
 */
export function readAliasBlockForEditor(text: string, options: ReadAliasBlockOptions = {}): EditorAliasBlock {
  const blanked = blankCommentLines(text);
  const { block, blockRanges } = classifyAliasBlockLines(blanked);
  if (block.length === 0) return { values: [], src: [], errors: [] };

  // Everything outside the block becomes spaces, so the parse sees only the block yet offsets stay put.
  const chars: string[] = blanked.split('').map((char) => (char === '\n' || char === '\r' ? char : ' '));
  for (const line of block) {
    for (let index = line.start; index < line.end; index++) chars[index] = blanked[index] ?? ' ';
  }
  const templates = options.templateSpans ?? findTemplateSpans(blanked);
  maskBlockTemplates(chars, block, templates);

  const doc = parseDocumentSafely(chars.join(''), GO_YAML_PARSE_OPTIONS);
  const isTemplated = (span: PreSpan): boolean => overlapsAny(span, templates);
  const read = (node: Scalar): string => {
    const range = node.range;
    if (range && isTemplated({ start: range[0], end: range[1] })) return rawScalarText(blanked, node);
    return scalarText(node);
  };
  const definition = decodeAliasDocument(doc, read, { despiteSyntaxErrors: true });
  const errors: PreprocessError[] = [...definition.errors];

  const values = definition.values.map((entry): EditorAliasValue => {
    const keyTemplated = isTemplated(entry.keySpan);
    if (!keyTemplated && !isAliasName(entry.name)) {
      errors.push({
        code: 'alias-key-invalid',
        message: `${ALIAS_MESSAGES.keyInvalid}: ${JSON.stringify(entry.name)}`,
        span: entry.keySpan,
      });
    }
    return {
      name: entry.name,
      value: entry.value,
      keySpan: entry.keySpan,
      valueSpan: entry.valueSpan,
      templated: keyTemplated || isTemplated(entry.valueSpan),
    };
  });

  const result: EditorAliasBlock = { values, src: definition.src, errors };
  if (definition.directive !== undefined) {
    result.directive = definition.directive;
    const problem = isTemplated(definition.directive.span) ? undefined : directiveProblem(definition.directive.value);
    if (problem !== undefined) {
      errors.push({ code: 'alias-directive-invalid', message: problem, span: definition.directive.span });
    }
  }
  const first = blockRanges[0];
  const firstLines = block.filter((line) => first !== undefined && line.index >= first.start && line.index < first.end);
  const firstLine = firstLines[0];
  if (firstLine !== undefined) result.blockSpan = { start: firstLine.start, end: lastContentEnd(firstLines) };
  return result;
}
