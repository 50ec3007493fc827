/**
 * The aliases in effect for a task file, as the editor can know them before a run (spec §7): the
 * `alias:` block read from the text as written, `src` files read through the host, and the predefined
 * aliases (image tags overridable by the `imageAliases` setting). Precedence as acb's: `values` >
 * later `src` > earlier `src` > predefined.
 */
import type { SourceAnalysis } from '../task/analyze';
import type { Span } from '../task/model';
import {
  type AliasReference,
  blankCommentLines,
  classifyAliasBlockLines,
  DEFAULT_DIRECTIVE,
  findAliasReferences,
  type EditorAliasBlock,
  LINUX_IMAGE_ALIASES,
  parseFlatStringMap,
  predefinedAliases,
  readAliasBlockForEditor,
  RUN_VARIABLE_ALIASES,
} from '../task/preprocess';
import { memoized } from './memo';
import { closestName } from './suggest';

export type AliasSource = 'values' | 'src' | 'predefined';

export interface AliasInfo {
  name: string;
  value: string;
  source: AliasSource;
  /** Where the `values` key or the `src` entry is written in the task file. */
  span?: Span;
  /** The `src` path the alias came from. */
  src?: string;
  /** Usable as the first word of `cmd` (all aliases are, but image aliases are meant for it). */
  image: boolean;
}

export interface EditorAliases {
  /** Alias mode is on (sniffed version >= "v1.1.0"). */
  enabled: boolean;
  directive: string;
  aliases: Map<string, AliasInfo>;
  /** Name → replacement text, as the §7.4 scanner takes it. */
  values: ReadonlyMap<string, string>;
  block: EditorAliasBlock;
  /** Local `src` files that could not be read or are not flat string maps (ACR fails the run). */
  srcErrors: { code: 'alias-src-failed'; message: string; span: Span }[];
}

/**
 * The editor reading of the alias block, given only the text up to the block's last line: offsets stay
 * the same, and the rest of a large file is not re-parsed on every edit.
 */
function readBlock(analysis: SourceAnalysis): EditorAliasBlock {
  const { block } = classifyAliasBlockLines(blankCommentLines(analysis.text));
  const last = block[block.length - 1];
  if (last === undefined) return { values: [], src: [], errors: [] };
  const prefix = analysis.text.slice(0, last.end);
  const templateSpans = analysis.templateSpans.filter((span) => span.start < last.end);
  return readAliasBlockForEditor(prefix, { templateSpans });
}

/** The alias table of a task file. `readFile` loads `src` entries (URLs cannot be read: skipped). */
export function editorAliases(
  analysis: SourceAnalysis,
  readFile: (path: string) => string | undefined,
  imageOverrides: Record<string, string> = {},
): EditorAliases {
  const block: EditorAliasBlock = analysis.aliasMode
    ? memoized(analysis, 'aliasBlock', () => readBlock(analysis))
    : { values: [], src: [], errors: [] };
  const aliases = new Map<string, AliasInfo>();
  for (const entry of block.values) {
    // A later duplicate key wins, as in yaml.v2's map decode.
    aliases.set(entry.name, {
      name: entry.name,
      value: entry.value,
      source: 'values',
      span: entry.keySpan,
      image: false,
    });
  }
  const srcErrors: EditorAliases['srcErrors'] = [];
  for (const source of [...block.src].reverse()) {
    if (/^https?:\/\//i.test(source.path)) continue; // URLs are fetched by ACR only
    const text = readFile(source.path);
    const parsed = text === undefined ? undefined : parseFlatStringMap(text);
    const problem = parsed === undefined ? 'file not found' : parsed.errors[0];
    if (problem !== undefined) {
      srcErrors.push({
        code: 'alias-src-failed',
        message: `failed to load alias src ${JSON.stringify(source.path)}: ${problem}`,
        span: source.span,
      });
      continue;
    }
    for (const [name, value] of parsed!.map) {
      if (!aliases.has(name))
        aliases.set(name, { name, value, source: 'src', span: source.span, src: source.path, image: false });
    }
  }
  const overrides = new Map(Object.entries(imageOverrides).filter(([name]) => LINUX_IMAGE_ALIASES.has(name)));
  for (const [name, value] of predefinedAliases('linux', overrides)) {
    if (!aliases.has(name))
      aliases.set(name, { name, value, source: 'predefined', image: !RUN_VARIABLE_ALIASES.has(name) });
  }
  const written = block.directive?.value;
  const directive =
    written !== undefined && [...written].length === 1 && !/^[A-Za-z0-9]$/.test(written) ? written : DEFAULT_DIRECTIVE;
  const values = new Map([...aliases].map(([name, info]) => [name, info.value]));
  return { enabled: analysis.aliasMode, directive, aliases, values, block, srcErrors };
}

/**
 * Every directive reference in `text` (§7.4 scan), line by line and only on lines holding the
 * directive: a reference never spans a line break, and most lines of a large file hold none.
 */
export function findReferencesByLine(
  text: string,
  values: ReadonlyMap<string, string>,
  directive: string,
): AliasReference[] {
  const found: AliasReference[] = [];
  for (let at = text.indexOf(directive); at >= 0;) {
    const start = text.lastIndexOf('\n', at) + 1;
    const newline = text.indexOf('\n', at);
    const end = newline < 0 ? text.length : newline;
    for (const reference of findAliasReferences(text.slice(start, end), values, directive)) {
      found.push({ ...reference, span: { start: reference.span.start + start, end: reference.span.end + start } });
    }
    at = newline < 0 ? -1 : text.indexOf(directive, newline);
  }
  return found;
}

/** The alias an unknown `$name` was probably meant to be (a typo or a case slip), if any. */
export function aliasSuggestion(name: string, aliases: EditorAliases): string | undefined {
  if (name === '' || aliases.aliases.has(name)) return undefined;
  return closestName(name, aliases.aliases.keys());
}
