import { deepStrictEqual, strictEqual } from 'node:assert';
import fc from 'fast-check';
import {
  blankCommentLines,
  expandCommandAlias,
  findAliasReferences,
  PREDEFINED_ALIASES,
  readAliasBlockForEditor,
  resolveAliases,
  separateAliasBlock,
  sniffVersion,
  stripCommentLines,
  substituteAliases,
} from '../../../server/src/task/preprocess';

/** Task-file-like text: pieces that exercise every branch, mixed with arbitrary code points. */
const taskLike = fc
  .array(
    fc.oneof(
      fc.constantFrom(
        'alias:',
        'alias :',
        '  values:',
        '    a: b',
        '    my-repo: x',
        '  src:',
        '    - f.yaml',
        '  directive: "&"',
        '  directive: 😎',
        'version: v1.1.0',
        '"version": \'{{.V}}\'',
        'steps:',
        '  - cmd: bash $a $$ID $',
        '#',
        '  # c',
        '{{ if .x }}',
        '{{ end }}',
        '{{',
        '}}',
        '"',
        "'",
        '[',
        '{',
        ':',
        '\n',
        '\r\n',
        '\t',
        ' ',
        '&',
        '$',
        '\ufeff',
        '\u0085',
      ),
      fc.string({ unit: 'binary', maxLength: 8 }),
    ),
    { maxLength: 40 },
  )
  .map((pieces) => pieces.join(''));

const anyText = fc.oneof(taskLike, fc.string({ unit: 'binary', maxLength: 200 }));
const directive = fc.constantFrom('$', '&', '#', '😎', ' ', 'é');
const readSource = (src: string) => (src.length % 2 === 0 ? { text: src } : { error: 'nope' });

describe('preprocessing never throws and keeps its invariants (fast-check)', () => {
  it('no exported function throws on arbitrary input', () => {
    fc.assert(
      fc.property(anyText, directive, (text, dir) => {
        stripCommentLines(text);
        blankCommentLines(text);
        sniffVersion(text);
        const separated = separateAliasBlock(text);
        const resolved = resolveAliases(separated.block, readSource);
        resolveAliases(text, readSource);
        substituteAliases(text, resolved.aliases, dir);
        findAliasReferences(text, resolved.aliases, dir);
        expandCommandAlias(text, PREDEFINED_ALIASES);
        readAliasBlockForEditor(text);
      }),
      { numRuns: 500 },
    );
  });

  it('blankCommentLines keeps length and line breaks; stripCommentLines keeps the other lines in order', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const blanked = blankCommentLines(text);
        strictEqual(blanked.length, text.length);
        deepStrictEqual(
          [...blanked.matchAll(/[\r\n]/g)].map((m) => m.index),
          [...text.matchAll(/[\r\n]/g)].map((m) => m.index),
        );
        const stripped = stripCommentLines(text);
        const lines = text.split('\n');
        const kept = stripped.sourceLineOf.map((line) => lines[line]);
        // Joining zero lines gives '', which splits back into one empty line.
        deepStrictEqual(stripped.text.split('\n'), kept.length === 0 ? [''] : kept);
      }),
      { numRuns: 300 },
    );
  });

  it('reference spans start with the directive and lie inside the text; text without the directive is unchanged', () => {
    fc.assert(
      fc.property(anyText, directive, (text, dir) => {
        for (const reference of findAliasReferences(text, PREDEFINED_ALIASES, dir)) {
          strictEqual(text.startsWith(dir, reference.span.start), true);
          strictEqual(reference.span.end <= text.length, true);
        }
        const clean = text.split(dir).join('');
        if (dir !== ' ') strictEqual(substituteAliases(clean, PREDEFINED_ALIASES, dir).text, clean);
      }),
      { numRuns: 300 },
    );
  });

  it('editor spans lie inside the text', () => {
    fc.assert(
      fc.property(taskLike, (text) => {
        const result = readAliasBlockForEditor(text);
        const spans = [
          ...result.values.flatMap((value) => [value.keySpan, value.valueSpan]),
          ...result.src.map((src) => src.span),
          ...result.errors.map((error) => error.span),
        ];
        for (const span of spans)
          strictEqual(span.start >= 0 && span.start <= span.end && span.end <= text.length, true);
      }),
      { numRuns: 300 },
    );
  });
});
