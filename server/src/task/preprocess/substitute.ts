import { goTrimSpace, isAsciiAlphanumeric } from './goText';
import type { AliasReference } from './types';

/**
 * The §7.4 scanner (`preprocessString`), exact. Walks code points (an emoji directive is one character),
 * with one space appended so a reference at the very end is terminated like any other.
 *
 * @param emit receives the output pieces; omitted when only the references are wanted.
 */
function scanAliasReferences(
  text: string,
  aliases: ReadonlyMap<string, string>,
  directive: string,
  emit?: (piece: string) => void,
): AliasReference[] {
  const references: AliasReference[] = [];
  const input = text + ' ';
  let inReference = false;
  let referenceStart = 0;
  let name = '';
  for (let index = 0; index < input.length;) {
    const char = String.fromCodePoint(input.codePointAt(index) ?? 0);
    const next = index + char.length;
    if (!inReference) {
      if (char === directive) {
        inReference = true;
        referenceStart = index;
        name = '';
      } else {
        emit?.(char);
      }
    } else if (char === directive && name === '') {
      // `$$`: one literal directive.
      emit?.(directive);
      // With a space directive the appended space can close an escape; keep the span inside the text.
      references.push({
        name: '',
        span: { start: referenceStart, end: Math.min(next, text.length) },
        known: false,
        escaped: true,
      });
      inReference = false;
    } else if (isAsciiAlphanumeric(char)) {
      name += char;
    } else {
      const value = aliases.get(name);
      const span = { start: referenceStart, end: index };
      references.push({ name, span, known: value !== undefined, escaped: false });
      if (value === undefined) {
        // Unknown (or empty) names stay verbatim, terminator included — even a directive, so the
        // name after it is not expanded (`$unknown$repo`).
        emit?.(directive + name + char);
        inReference = false;
      } else {
        emit?.(value);
        if (char === directive) {
          referenceStart = index; // chaining: `$a$b`
        } else {
          emit?.(char);
          inReference = false;
        }
      }
      name = '';
    }
    index = next;
  }
  return references;
}

/**
 * Spec §7.4 `preprocessString`: replace every `<directive><name>` whose name is an alias, over the whole
 * text (keys, values, inside `{{ }}`). Alias values are inserted verbatim and never rescanned.
 *
 * @returns the substituted text and every reference with its span in `text`.
 */
export function substituteAliases(
  text: string,
  aliases: ReadonlyMap<string, string>,
  directive: string,
): { text: string; references: AliasReference[] } {
  const pieces: string[] = [];
  const references = scanAliasReferences(text, aliases, directive, (piece) => pieces.push(piece));
  let output = pieces.join('');
  // Drop the space the scan appended. It is always emitted last unless the directive itself is a space;
  // then only a trailing space is dropped (how acb behaves for that odd directive is unverified).
  if (output.endsWith(' ')) output = output.slice(0, -1);
  return { text: output, references };
}

/**
 * The same scan as {@link substituteAliases} without building the output: every reference in `text`.
 * For the editor, pass the text with comment lines blanked and ignore references inside the alias block:
 * a reference never spans a line break, so the results on the remaining lines equal acb's scan of the rest.
 */
export function findAliasReferences(
  text: string,
  aliases: ReadonlyMap<string, string>,
  directive: string,
): AliasReference[] {
  return scanAliasReferences(text, aliases, directive);
}

/**
 * Spec §7.5 `ExpandCommandAliases` for one `cmd`: trim, split on single spaces, replace the first piece
 * when it is an alias name and rejoin (inner runs of spaces survive as empty pieces). A `cmd` whose first
 * word is not an alias is returned untouched, untrimmed.
 */
export function expandCommandAlias(cmd: string, aliases: ReadonlyMap<string, string>): string {
  const parts = goTrimSpace(cmd).split(' ');
  const image = aliases.get(parts[0] ?? '');
  if (image === undefined) return cmd;
  parts[0] = image;
  return parts.join(' ');
}
