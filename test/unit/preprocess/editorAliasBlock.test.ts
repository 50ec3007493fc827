import { deepStrictEqual } from 'node:assert';
import { readAliasBlockForEditor, type EditorAliasBlock } from '../../../server/src/task/preprocess';

/** Span of a mapping key written as `name:` in `text`. */
function key(text: string, name: string): { start: number; end: number } {
  const start = text.indexOf(`${name}:`);
  if (start < 0) throw new Error(`${name}: not in fixture`);
  return { start, end: start + name.length };
}

/** Span of the `occurrence`-th `needle` in `text` (0-based). */
function at(text: string, needle: string, occurrence = 0): { start: number; end: number } {
  let start = -1;
  for (let count = 0; count <= occurrence; count++) start = text.indexOf(needle, start + 1);
  if (start < 0) throw new Error(`${needle} not in fixture`);
  return { start, end: start + needle.length };
}

describe('readAliasBlockForEditor', () => {
  it('no block', () => {
    deepStrictEqual(readAliasBlockForEditor('version: v1.1.0\nsteps: []\n'), { values: [], src: [], errors: [] });
  });

  it('values, src and directive with spans in the original text; comments and templates kept out of the way', () => {
    const text = [
      'version: v1.1.0',
      '# a comment',
      'alias:',
      '  # values: {not: this}',
      '  values:',
      '    repo: myrepo',
      '    img: "{{.Values.base}}:{{.Run.ID}}"',
      '    raw: {{.Values.base}}:{{.Run.ID}}',
      '{{ if .Values.extra }}',
      '    extra: yes',
      '{{ end }}',
      '  src:',
      '    - ./aliases.yaml',
      '  directive: "&"',
      '',
      'steps:',
      '  - cmd: bash echo &repo',
      '',
    ].join('\n');
    const expected: EditorAliasBlock = {
      values: [
        { name: 'repo', value: 'myrepo', keySpan: key(text, 'repo'), valueSpan: at(text, 'myrepo'), templated: false },
        {
          name: 'img',
          value: '{{.Values.base}}:{{.Run.ID}}',
          keySpan: key(text, 'img'),
          valueSpan: at(text, '"{{.Values.base}}:{{.Run.ID}}"'),
          templated: true,
        },
        {
          name: 'raw',
          value: '{{.Values.base}}:{{.Run.ID}}',
          keySpan: key(text, 'raw'),
          valueSpan: at(text, '{{.Values.base}}:{{.Run.ID}}', 1),
          templated: true,
        },
        { name: 'extra', value: 'yes', keySpan: key(text, 'extra'), valueSpan: at(text, 'yes'), templated: false },
      ],
      src: [{ path: './aliases.yaml', span: at(text, './aliases.yaml') }],
      directive: { value: '&', span: at(text, '"&"') },
      blockSpan: { start: at(text, 'alias:').start, end: at(text, '"&"').end },
      errors: [],
    };
    deepStrictEqual(readAliasBlockForEditor(text), expected);
  });

  it('invalid keys and directive are reported where they are written; templated ones are not judged', () => {
    const text = 'alias:\n  values:\n    my-repo: x\n    {{ .Values.k }}: y\n  directive: ab\nsteps: []\n';
    const result = readAliasBlockForEditor(text);
    deepStrictEqual(result.errors, [
      {
        code: 'alias-key-invalid',
        message: 'alias key names only support alphanumeric characters: "my-repo"',
        span: at(text, 'my-repo'),
      },
      {
        code: 'alias-directive-invalid',
        message: '$ directive can only be overwritten by a single character',
        span: at(text, 'ab'),
      },
    ]);
    deepStrictEqual(
      result.values.map((value) => [value.name, value.templated]),
      [
        ['my-repo', false],
        ['{{ .Values.k }}', true],
      ],
    );
  });

  it('a templated directive is not judged', () => {
    const text = 'alias:\n  directive: "{{ .Values.d }}"\n';
    deepStrictEqual(readAliasBlockForEditor(text).errors, []);
  });

  it('the block may be last and the file may use CRLF', () => {
    const text = 'steps: []\r\nalias:\r\n  values:\r\n    a: b\r\n';
    deepStrictEqual(readAliasBlockForEditor(text), {
      values: [
        { name: 'a', value: 'b', keySpan: { start: 34, end: 35 }, valueSpan: { start: 37, end: 38 }, templated: false },
      ],
      src: [],
      errors: [],
      blockSpan: { start: 11, end: 38 },
    });
  });

  it('a YAML error inside the block is reported with what could still be read', () => {
    const text = 'alias:\n  values:\n    a: b\n    c: [\nsteps: []\n';
    const result = readAliasBlockForEditor(text);
    deepStrictEqual(
      result.errors.every((error) => error.code === 'alias-block-invalid' && error.span.start >= 0),
      true,
    );
    deepStrictEqual(result.errors.length > 0, true);
    deepStrictEqual(result.values[0], {
      name: 'a',
      value: 'b',
      keySpan: { start: 21, end: 22 },
      valueSpan: { start: 24, end: 25 },
      templated: false,
    });
  });

  it('uses template spans given by the caller', () => {
    const text = 'alias:\n  values:\n    a: <<x>>\n';
    const span = at(text, '<<x>>');
    deepStrictEqual(readAliasBlockForEditor(text, { templateSpans: [span] }).values, [
      { name: 'a', value: '<<x>>', keySpan: key(text, 'a'), valueSpan: span, templated: true },
    ]);
  });
});
