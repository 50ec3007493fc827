/** Property: rendering and analysing arbitrary or mutated templates never throws. */
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { analyzeTemplate, renderTemplate } from '../../../server/src/task/template';

const data = { Run: { ID: 'x' }, Values: { s: 'v', n: 1, l: [1, 'a'], m: { k: null } }, Secrets: {} };

const pieces = [
  '{{',
  '}}',
  '{{-',
  '-}}',
  ' ',
  '\n',
  '.Values',
  '.s',
  '.l',
  '.m.k',
  '$',
  '$x',
  ':=',
  '=',
  '|',
  '(',
  ')',
  '"',
  '`',
  "'",
  ',',
  'if',
  'else',
  'end',
  'range',
  'with',
  'define',
  'template',
  'block',
  'break',
  'continue',
  'nil',
  'true',
  '1',
  '-2',
  '1.5',
  '0x1F',
  '/*',
  '*/',
  'printf',
  '"%d %s"',
  'index',
  'len',
  'upper',
  'default',
  'list',
  'dict',
  'toJson',
  'b64enc',
  'fail',
  'eq',
  'and',
  'or',
  'not',
  'x',
  'é',
  '\\',
  '"t"',
];

function checkNeverThrows(text: string): void {
  const r = renderTemplate(text, data);
  assert.equal(typeof r.output, 'string');
  for (const e of r.errors)
    assert.ok(
      e.span.start >= 0 && e.span.end <= text.length && e.span.start <= e.span.end,
      JSON.stringify({ text, e }),
    );
  const a = analyzeTemplate(text);
  for (const act of a.actions)
    assert.ok(act.span.start >= 0 && act.span.end <= text.length, JSON.stringify({ text, act }));
}

describe('template engine never throws', () => {
  it('on random strings', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), (s) => checkNeverThrows(s)),
      { numRuns: 400 },
    );
  });
  it('on random sequences of template tokens', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...pieces), { maxLength: 30 }), (parts) => checkNeverThrows(parts.join(''))),
      { numRuns: 1500 },
    );
  });
  it('on mutations of a realistic task file', () => {
    const base =
      'version: v1.1.0\nsteps:\n  - build: -t {{.Run.Registry}}/app:{{.Run.ID}} .\n  - cmd: {{ if .Values.s }}{{ .Values.s | upper }}{{ else }}none{{ end }}\n' +
      '    env: [{{ range $i, $v := .Values.l }}"V{{$i}}={{$v}}",{{ end }}]\n  - cmd: docker ps --format \'{{`{{.ID}}`}}\'\n';
    fc.assert(
      fc.property(fc.nat(base.length), fc.nat(base.length), fc.string({ maxLength: 4 }), (a, b, ins) => {
        const [from, to] = a <= b ? [a, b] : [b, a];
        checkNeverThrows(base.slice(0, from) + ins + base.slice(to));
      }),
      { numRuns: 1500 },
    );
  });
  it('on deeply nested input', () => {
    checkNeverThrows('{{ ' + '('.repeat(3000) + '1' + ')'.repeat(3000) + ' }}');
    checkNeverThrows('{{ if true }}'.repeat(1500) + 'x' + '{{ end }}'.repeat(1500));
    checkNeverThrows('{{ define "r" }}{{ template "r" . }}{{ end }}{{ template "r" . }}');
  });
});
