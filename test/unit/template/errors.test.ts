/** Error messages (Go's exact text) and the spans they point at. */
import * as assert from 'node:assert/strict';
import { renderTemplate } from '../../../server/src/task/template';
import type { TemplateError } from '../../../server/src/task/template';

/** Span of the nth occurrence of `part` in `text`. */
function at(text: string, part: string, nth = 0): { start: number; end: number } {
  let start = -1;
  for (let i = 0; i <= nth; i++) start = text.indexOf(part, start + 1);
  assert.ok(start >= 0, `${part} not in ${text}`);
  return { start, end: start + part.length };
}

interface Case {
  name: string;
  template: string;
  /** Substring (and occurrence) the error span must cover. */
  part: string;
  nth?: number;
  message: string;
}

const cases: Case[] = [
  {
    name: 'unknown function (parse error, line only)',
    template: 'a: 1\nb: {{ foo 1 }}',
    part: 'foo',
    message: 'template: task:2: function "foo" not defined',
  },
  {
    name: 'helm-only required',
    template: '{{ required "x" .Values.a }}',
    part: 'required',
    message: 'template: task:1: function "required" not defined',
  },
  {
    name: 'helm-only toYaml',
    template: '{{ toYaml .Values }}',
    part: 'toYaml',
    message: 'template: task:1: function "toYaml" not defined',
  },
  {
    name: 'sprig v3 get does not exist in v2.22',
    template: '{{ get .Values "a" }}',
    part: 'get',
    message: 'template: task:1: function "get" not defined',
  },
  {
    name: 'nil pointer: line and UTF-8 byte column of the second field (Go quirk), span of the chain',
    template: 'x\n  é {{ .Values.a.b }}',
    part: '.Values.a.b',
    message: 'template: task:2:15: executing "task" at <.Values.a.b>: nil pointer evaluating interface {}.b',
  },
  {
    name: 'field of a string',
    template: '{{ .Values.s.x }}',
    part: '.Values.s.x',
    message: 'template: task:1:10: executing "task" at <.Values.s.x>: can\'t evaluate field x in type interface {}',
  },
  {
    name: 'function error names the command',
    template: '{{ trunc -1 "abc" }}',
    part: 'trunc -1 "abc"',
    message:
      'template: task:1:3: executing "task" at <trunc -1 "abc">: error calling trunc: runtime error: slice bounds out of range [:-1]',
  },
  {
    name: 'wrong argument count',
    template: '{{ upper }}',
    part: 'upper',
    message: 'template: task:1:3: executing "task" at <upper>: wrong number of args for upper: want 1 got 0',
  },
  {
    name: 'wrong argument type',
    template: '{{ repeat .Values.f "x" }}',
    part: '.Values.f',
    message: 'template: task:1:17: executing "task" at <.Values.f>: wrong type for value; expected int; got float64',
  },
  {
    name: 'fail',
    template: 'a\n{{ fail "boom" }}',
    part: 'fail "boom"',
    message: 'template: task:2:3: executing "task" at <fail "boom">: error calling fail: boom',
  },
  { name: 'unclosed action', template: 'x {{ .Values.a', part: '', message: 'template: task:1: unclosed action' },
  {
    name: 'unexpected end',
    template: 'a {{ end }}',
    part: '{{ end }}',
    message: 'template: task:1: unexpected {{end}}',
  },
  { name: 'missing end', template: '{{ if true }}\nx\n', part: '', message: 'template: task:3: unexpected EOF' },
  {
    name: 'undefined variable',
    template: '{{ $nope }}',
    part: '$nope',
    message: 'template: task:1: undefined variable "$nope"',
  },
  {
    name: 'break outside range',
    template: '{{ break }}',
    part: 'break',
    message: 'template: task:1: {{break}} outside {{range}}',
  },
  {
    name: 'bad string escape',
    template: '{{ "bad\\q" }}',
    part: '"bad\\q"',
    message: 'template: task:1: invalid syntax',
  },
  {
    name: 'incompatible comparison',
    template: '{{ eq 1 "1" }}',
    part: 'eq 1 "1"',
    message: 'template: task:1:3: executing "task" at <eq 1 "1">: error calling eq: incompatible types for comparison',
  },
  {
    name: 'template not defined',
    template: '{{ template "x" }}',
    part: '{{ template "x" }}',
    message: 'template: task:1:12: executing "task" at <{{template "x"}}>: template "x" not defined',
  },
];

describe('renderTemplate errors', () => {
  for (const c of cases) {
    it(c.name, () => {
      const r = renderTemplate(c.template, { Values: { s: 'str', f: 1.5 } });
      assert.equal(r.output, '');
      assert.equal(r.errors.length, 1);
      const e = r.errors[0];
      assert.equal(e.message, c.message);
      if (c.part !== '') assert.deepStrictEqual(e.span, at(c.template, c.part, c.nth));
      else assert.ok(e.span.start >= 0 && e.span.end <= c.template.length && e.span.end >= e.span.start);
    });
  }

  it('every error span lies inside the text', () => {
    const texts = ['{{', '}}', '{{ (', '{{ "', '{{ `', "{{ '", '{{ .a.', '{{ $x := }}', '{{/*', '{{ 1) }}'];
    for (const t of texts) {
      const errors: TemplateError[] = renderTemplate(t, {}).errors;
      for (const e of errors) assert.ok(e.span.start >= 0 && e.span.end <= t.length, `${t}: ${JSON.stringify(e)}`);
    }
  });
});
