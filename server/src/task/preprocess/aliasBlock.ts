import { scanLines, type TextLine } from './goText';

// acb's three line patterns (`SeparateAliasFromRest`), with Go RE2's `\s` ([\t\n\f\r ]) spelled out:
// JavaScript's `\s` would also match `\v` and Unicode spaces.
const COMMENT_LINE = /^[\t\n\f\r ]*#/;
const ALIAS_KEY_LINE = /^alias[\t\n\f\r ]*:/;
const TOP_LEVEL_KEY_LINE = /^[^\t\n\f\r :][^:]*:/;

/** Half-open range of 0-based line numbers. */
export interface LineRange {
  start: number;
  end: number;
}

/** Which section each line of the input went to, in acb's order. */
export interface AliasBlockLines {
  /** Lines of the alias block(s) in input order. */
  block: TextLine[];
  /** Every other line except dropped comment lines. */
  rest: TextLine[];
  /** Consecutive runs of block lines; more than one when `alias:` appears again after another key. */
  blockRanges: LineRange[];
}

/**
 * The line classification of `SeparateAliasFromRest` (spec §7.3): a column-0 `alias<spaces>:` line opens
 * the block, the next line that starts with a non-space, non-colon character and contains a `:` closes it
 * (that line — even another `alias:` — goes to the rest). Everything in between, including blank lines and
 * colon-free column-0 template lines, belongs to the block. Lines follow Go `bufio.ScanLines`.
 */
export function classifyAliasBlockLines(text: string): AliasBlockLines {
  const block: TextLine[] = [];
  const rest: TextLine[] = [];
  const blockRanges: LineRange[] = [];
  let inside = false;
  let previousWasBlock = false;
  for (const line of scanLines(text)) {
    if (COMMENT_LINE.test(line.text)) continue;
    if (!inside && ALIAS_KEY_LINE.test(line.text)) {
      inside = true;
    } else if (inside && TOP_LEVEL_KEY_LINE.test(line.text)) {
      inside = false;
    }
    if (!inside) {
      rest.push(line);
      previousWasBlock = false;
      continue;
    }
    block.push(line);
    // A dropped comment line does not split a range.
    const current = blockRanges[blockRanges.length - 1];
    if (previousWasBlock && current !== undefined) current.end = line.index + 1;
    else blockRanges.push({ start: line.index, end: line.index + 1 });
    previousWasBlock = true;
  }
  return { block, rest, blockRanges };
}

/** Result of {@link separateAliasBlock}. */
export interface SeparatedAliasBlock {
  /** The alias block as acb hands it to the template engine (each line + `\n`); undefined when there is none. */
  block: string | undefined;
  /** Everything else, each line + `\n` (so `\r\n` becomes `\n` and a final newline is added). */
  rest: string;
  /** Lines of the input that formed the (first) block. */
  blockLines?: LineRange;
  /** Every block range (acb concatenates them all into one block). */
  blockLineRanges: LineRange[];
  /** For each line of `rest`, its 0-based line in the input. */
  restLineOf: number[];
  /** For each line of `block`, its 0-based line in the input. */
  blockLineOf: number[];
}

/**
 * Spec §7.3 `SeparateAliasFromRest`, applied to the comment-stripped text in alias mode: cut the `alias:`
 * block out (it may be anywhere, even last) and rebuild both parts line by line exactly as acb does.
 */
export function separateAliasBlock(text: string): SeparatedAliasBlock {
  const { block, rest, blockRanges } = classifyAliasBlockLines(text);
  const joinLines = (lines: TextLine[]): string => lines.map((line) => line.text + '\n').join('');
  const separated: SeparatedAliasBlock = {
    block: block.length > 0 ? joinLines(block) : undefined,
    rest: joinLines(rest),
    blockLineRanges: blockRanges,
    restLineOf: rest.map((line) => line.index),
    blockLineOf: block.map((line) => line.index),
  };
  const first = blockRanges[0];
  if (first !== undefined) separated.blockLines = { ...first };
  return separated;
}
