/** analyzeTemplate: actions with kinds and spans, field references, functions, errors. */
import * as assert from 'node:assert/strict';
import { analyzeTemplate, describeFunction, TEMPLATE_FUNCTION_NAMES } from '../../../server/src/task/template';

function at(text: string, part: string, nth = 0): { start: number; end: number } {
  let start = -1;
  for (let i = 0; i <= nth; i++) start = text.indexOf(part, start + 1);
  assert.ok(start >= 0, `${part} not in ${text}`);
  return { start, end: start + part.length };
}

describe('analyzeTemplate', () => {
  it('lists every action with kind, control flag and full span', () => {
    const text =
      '{{- /* c */ -}}\nimg: {{ .Values.image }}\n{{ if .Values.x }}a{{ else if .Values.y }}b{{ else }}c{{ end }}\n' +
      '{{ $v := 1 }}{{ range .Values.l }}{{ break }}{{ end }}{{ template "t" . }}{{ define "t" }}{{ end }}';
    const a = analyzeTemplate(text);
    assert.deepStrictEqual(a.errors, []);
    assert.deepStrictEqual(
      a.actions.map((x) => ({ kind: x.kind, control: x.control, span: x.span })),
      [
        { kind: 'comment', control: true, span: at(text, '{{- /* c */ -}}') },
        { kind: 'output', control: false, span: at(text, '{{ .Values.image }}') },
        { kind: 'if', control: true, span: at(text, '{{ if .Values.x }}') },
        { kind: 'else-if', control: true, span: at(text, '{{ else if .Values.y }}') },
        { kind: 'else', control: true, span: at(text, '{{ else }}') },
        { kind: 'end', control: true, span: at(text, '{{ end }}') },
        { kind: 'output', control: true, span: at(text, '{{ $v := 1 }}') },
        { kind: 'range', control: true, span: at(text, '{{ range .Values.l }}') },
        { kind: 'break', control: true, span: at(text, '{{ break }}') },
        { kind: 'end', control: true, span: at(text, '{{ end }}', 1) },
        { kind: 'template', control: false, span: at(text, '{{ template "t" . }}') },
        { kind: 'define', control: true, span: at(text, '{{ define "t" }}') },
        { kind: 'end', control: true, span: at(text, '{{ end }}', 2) },
      ],
    );
  });

  it('reports field chains with exact spans and whether they start at the data', () => {
    const text =
      '{{ .Values.image }}{{ range .Values.list }}{{ .name }}{{ $.Run.ID }}{{ end }}{{ $x := .Run }}{{ $x.ID }}{{ (dict).a }}';
    const fields = analyzeTemplate(text).actions.flatMap((a) => a.fields);
    assert.deepStrictEqual(fields, [
      { path: ['Values', 'image'], span: at(text, '.Values.image'), fromRoot: true, base: 'dot' },
      { path: ['Values', 'list'], span: at(text, '.Values.list'), fromRoot: true, base: 'dot' },
      { path: ['name'], span: at(text, '.name'), fromRoot: false, base: 'dot' },
      { path: ['Run', 'ID'], span: at(text, '$.Run.ID'), fromRoot: true, base: 'root' },
      { path: ['Run'], span: at(text, '.Run', 1), fromRoot: true, base: 'dot' },
      { path: ['ID'], span: at(text, '$x.ID'), fromRoot: false, base: 'variable', variable: '$x' },
      { path: ['a'], span: at(text, '.a'), fromRoot: false, base: 'expression' },
    ]);
  });

  it('else of with/range sees the outer dot again', () => {
    const text = '{{ with .Values.a }}{{ .b }}{{ else }}{{ .Values.c }}{{ end }}';
    const fields = analyzeTemplate(text).actions.flatMap((a) => a.fields.map((f) => [f.path.join('.'), f.fromRoot]));
    assert.deepStrictEqual(fields, [
      ['Values.a', true],
      ['b', false],
      ['Values.c', true],
    ]);
  });

  it('reports functions with spans, and unknown ones as errors', () => {
    const text = 'a: {{ .Values.x | upper | quote }}\nb: {{ required "m" .Values.y }}\nc: {{ nope }}';
    const a = analyzeTemplate(text);
    assert.deepStrictEqual(
      a.actions.flatMap((x) => x.functions),
      [
        { name: 'upper', span: at(text, 'upper'), known: true },
        { name: 'quote', span: at(text, 'quote'), known: true },
        { name: 'required', span: at(text, 'required'), known: false },
        { name: 'nope', span: at(text, 'nope'), known: false },
      ],
    );
    assert.deepStrictEqual(a.errors, [
      { message: 'template: task:2: function "required" not defined', span: at(text, 'required') },
      { message: 'template: task:3: function "nope" not defined', span: at(text, 'nope') },
    ]);
  });

  it('keeps analysing after a broken action', () => {
    const text = '{{ "unterminated }}\nx: {{ .Values.ok }}';
    const a = analyzeTemplate(text);
    assert.deepStrictEqual(
      a.actions.map((x) => x.span),
      [at(text, '{{ "unterminated }}'), at(text, '{{ .Values.ok }}')],
    );
    assert.deepStrictEqual(
      a.actions[1].fields.map((f) => f.path),
      [['Values', 'ok']],
    );
    assert.deepStrictEqual(
      a.errors.map((e) => e.message),
      ['template: task:1: unterminated quoted string'],
    );
  });

  it('reports the structural error Go reports', () => {
    assert.deepStrictEqual(
      analyzeTemplate('{{ if .x }}a').errors.map((e) => e.message),
      ['template: task:1: unexpected EOF'],
    );
    assert.deepStrictEqual(
      analyzeTemplate('{{ end }}').errors.map((e) => e.message),
      ['template: task:1: unexpected {{end}}'],
    );
  });
});

describe('function catalogue', () => {
  it('lists Go builtins and Sprig v2.22 functions, not Helm or Sprig v3 ones', () => {
    for (const name of [
      'and',
      'printf',
      'index',
      'len',
      'eq',
      'default',
      'b64enc',
      'toJson',
      'regexReplaceAll',
      'sha256sum',
      'uuidv4',
      'now',
      'date',
    ]) {
      assert.ok(TEMPLATE_FUNCTION_NAMES.includes(name), name);
    }
    for (const name of ['required', 'tpl', 'include', 'toYaml', 'get', 'fromJson', 'mustToJson', 'dig']) {
      assert.ok(!TEMPLATE_FUNCTION_NAMES.includes(name), name);
    }
    assert.deepStrictEqual([...TEMPLATE_FUNCTION_NAMES], [...TEMPLATE_FUNCTION_NAMES].sort());
  });
  it('describes functions in one line', () => {
    assert.equal(describeFunction('trimPrefix'), 'trimPrefix PREFIX STRING — Removes PREFIX once.');
    assert.match(describeFunction('semverCompare') ?? '', /not available in local renders/);
    assert.equal(describeFunction('required'), undefined);
    for (const name of TEMPLATE_FUNCTION_NAMES) assert.ok(!(describeFunction(name) ?? '\n').includes('\n'), name);
  });
});
