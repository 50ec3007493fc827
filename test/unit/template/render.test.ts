/** renderTemplate: spec §6 and edge cases 24, 33, 36, 37, 39, 40, 41, plus Go semantics task files rely on. */
import * as assert from 'node:assert/strict';
import { goFloat64, renderTaskTemplate, renderTemplate } from '../../../server/src/task/template';
import type { TemplateData } from '../../../server/src/task/template';

const run = { ID: 'cb12', Registry: 'myreg.azurecr.io', RegistryName: 'myreg', Date: '20240102-030405z' };

interface Case {
  name: string;
  template: string;
  data?: TemplateData;
  output?: string;
  error?: string;
}

function check(c: Case): void {
  const r = renderTemplate(c.template, c.data ?? { Run: run, Values: {}, Secrets: {} }, { now: () => new Date(0) });
  const got = r.errors.length > 0 ? { error: r.errors[0].message } : { output: r.output };
  assert.deepStrictEqual(got, c.error !== undefined ? { error: c.error } : { output: c.output });
}

const values = (v: Record<string, unknown>): TemplateData => ({ Run: run, Values: v, Secrets: {} });

describe('renderTemplate: ACR edge cases (spec §11)', () => {
  const cases: Case[] = [
    // 24: an empty render is only an error for a whole task file (see renderTaskTemplate below).
    { name: '24 if false renders nothing', template: '{{if false}}x{{end}}', output: '' },
    {
      name: '33 templates inside alias values render; $alias text is left alone',
      template: 'img: "{{.Values.base}}:{{.Run.ID}}" chain: "$img"',
      data: values({ base: 'alpine' }),
      output: 'img: "alpine:cb12" chain: "$img"',
    },
    {
      name: '36 foreign {{.ID}} is consumed',
      template: "docker ps --format '{{.ID}}'",
      output: "docker ps --format ''",
    },
    {
      name: '36 raw string escape keeps it',
      template: "docker ps --format '{{`{{.ID}}`}}'",
      output: "docker ps --format '{{.ID}}'",
    },
    { name: '36 quoted string escape keeps it', template: '{{"{{.ID}}"}}', output: '{{.ID}}' },
    { name: '36 literal <no value> in the file is erased', template: 'a<no value>b', output: 'ab' },
    {
      name: '37 missing nested value is a nil pointer error',
      template: 'port: {{.Values.cfg.port}}',
      error: 'template: task:1:15: executing "task" at <.Values.cfg.port>: nil pointer evaluating interface {}.port',
    },
    { name: '37 missing value renders empty', template: 'port: {{.Values.port}}', output: 'port: ' },
    {
      name: '37 missing Secrets / Run field renders empty',
      template: '[{{.Secrets.nope}}][{{.Run.Tag}}]',
      output: '[][]',
    },
    {
      name: '39 enabled: false from a file is falsy',
      template: '{{ if .Values.enabled }}on{{ else }}off{{ end }}',
      data: values({ enabled: false }),
      output: 'off',
    },
    {
      name: '39 --set enabled=false is the string "false", truthy',
      template: '{{ if .Values.enabled }}on{{ else }}off{{ end }}',
      data: values({ enabled: 'false' }),
      output: 'on',
    },
    {
      name: '40 no comma splitting: x is "1,y=2", y is missing',
      template: '{{.Values.x}}|{{.Values.y}}',
      data: values({ x: '1,y=2' }),
      output: '1,y=2|',
    },
    {
      name: '40 dotted --set keys via index',
      template: '{{ index .Values "a.b" }}',
      data: values({ 'a.b': 'c' }),
      output: 'c',
    },
    {
      name: '41 b64enc of an int encodes <int Value>',
      template: '{{.Values.n | b64enc}}',
      data: values({ n: 42 }),
      output: 'PGludCBWYWx1ZT4=',
    },
    {
      name: '41 toString first',
      template: '{{.Values.n | toString | b64enc}}',
      data: values({ n: 42 }),
      output: 'NDI=',
    },
    { name: '41 missing value gives empty', template: '[{{.Values.nope | b64enc}}]', output: '[]' },
    { name: '41 b64enc of a string', template: '{{ "hello" | b64enc }}', output: 'aGVsbG8=' },
    {
      name: '41 b64enc of a float',
      template: '{{ b64enc .Values.f }}',
      data: values({ f: 1.5 }),
      output: 'PGZsb2F0NjQgVmFsdWU+',
    },
  ];
  for (const c of cases) it(c.name, () => check(c));

  it('24 renderTaskTemplate: a task file rendering to exactly "" is an error', () => {
    const r = renderTaskTemplate('{{if false}}x{{end}}', values({}));
    assert.deepStrictEqual(r, {
      output: '',
      errors: [{ message: 'rendered template was empty', span: { start: 0, end: 20 } }],
    });
  });
  it('24 renderTaskTemplate: a trailing newline keeps the render non-empty', () => {
    assert.deepStrictEqual(renderTaskTemplate('{{if false}}x{{end}}\n', values({})), { output: '\n', errors: [] });
  });
});

describe('renderTemplate: Go printing', () => {
  const cases: Case[] = [
    { name: 'int', template: '{{ 42 }} {{ -7 }}', output: '42 -7' },
    {
      name: 'float shortest %v',
      template: '{{ 1.5 }} {{ 1e6 }} {{ 100000.0 }} {{ 0.0001 }} {{ 0.00001 }} {{ 123456789.0 }}',
      output: '1.5 1e+06 100000 0.0001 1e-05 1.23456789e+08',
    },
    {
      name: 'JS non-integers are float64',
      template: '{{ .Values.f }} {{ typeOf .Values.f }} {{ typeOf .Values.i }}',
      data: values({ f: 2.25, i: 3 }),
      output: '2.25 float64 int',
    },
    {
      name: 'whole float64 via goFloat64',
      template: '{{ .Values.f }} {{ typeOf .Values.f }}',
      data: values({ f: goFloat64(3) }),
      output: '3 float64',
    },
    { name: 'bool', template: '{{ true }} {{ .Values.b }}', data: values({ b: false }), output: 'true false' },
    { name: 'list', template: '{{ .Values.l }}', data: values({ l: ['a', 1, null, [2]] }), output: '[a 1 <nil> [2]]' },
    {
      name: 'map with sorted keys',
      template: '{{ .Values.m }}',
      data: values({ m: { b: 2, a: 1, c: { z: true } } }),
      output: 'map[a:1 b:2 c:map[z:true]]',
    },
    { name: 'nil prints <no value> (erased)', template: '[{{ .Values.nope }}]', output: '[]' },
    { name: 'print shows nil as <nil>', template: '{{ print .Values.nope }}', output: '<nil>' },
    { name: 'print spacing (only between two non-strings)', template: '{{ print 1 2 "a" "b" 3 }}', output: '1 2ab3' },
    { name: 'println', template: '{{ println "a" 1 }}', output: 'a 1\n' },
  ];
  for (const c of cases) it(c.name, () => check(c));
});

describe('renderTemplate: printf', () => {
  const cases: Case[] = [
    {
      name: 'basic verbs',
      template: '{{ printf "%s %d %v %t %%" "s" 42 (list 1 "a") true }}',
      output: 's 42 [1 a] true %',
    },
    { name: '%q and %x', template: '{{ printf "%q %x %X %x" "a\\"b" "hi" 255 -255 }}', output: '"a\\"b" 6869 FF -ff' },
    {
      name: 'widths and flags',
      template: '{{ printf "[%5d][%-5d][%05d][%+d][%5s][%-5s|]" 42 42 -42 5 "ab" "ab" }}',
      output: '[   42][42   ][-0042][+5][   ab][ab   |]',
    },
    {
      name: 'floats',
      template: '{{ printf "%f %.2f %8.3f %e %g" 3.14159 2.5 3.14159 1234.5678 0.000012345 }}',
      output: '3.141590 2.50    3.142 1.234568e+03 1.2345e-05',
    },
    {
      name: 'round half to even like Go',
      template: '{{ printf "%.0f %.0f %.0f %.2f" 0.5 1.5 2.5 1.005 }}',
      output: '0 2 2 1.00',
    },
    {
      name: 'bad verb, missing and extra args',
      template: '{{ printf "%d|%s %s" "x" "one" }}{{ printf "%s" "a" "b" }}',
      output: '%!d(string=x)|one %!s(MISSING)a%!(EXTRA string=b)',
    },
    {
      name: '%T',
      template: '{{ printf "%T %T %T %T" 1 1.5 (list) .Values.nope }}',
      output: 'int float64 []interface {} <nil>',
    },
    { name: 'star width', template: '{{ printf "%*d|%.*f" 5 1 2 3.14159 }}', output: '    1|3.14' },
  ];
  for (const c of cases) it(c.name, () => check(c));
});

describe('renderTemplate: trim markers, comments, control flow, variables', () => {
  const cases: Case[] = [
    { name: 'trim both sides', template: 'a  \n {{- 1 -}} \n  b', output: 'a1b' },
    { name: 'trim needs a space after the dash', template: '{{-3}}', output: '-3' },
    { name: 'trimmed comment', template: 'a {{- /* note */ -}} b', output: 'ab' },
    { name: 'comment', template: 'a{{/* note */}}b', output: 'ab' },
    {
      name: 'if / else if / else',
      template: '{{ if false }}1{{ else if .Values.s }}2{{ else }}3{{ end }}',
      data: values({ s: 'x' }),
      output: '2',
    },
    {
      name: 'with sets dot, else uses the outer one',
      template: '{{ with .Values.s }}[{{ . }}]{{ end }}{{ with .Values.nope }}x{{ else }}none{{ end }}',
      data: values({ s: 'v' }),
      output: '[v]none',
    },
    {
      name: 'range list with index',
      template: '{{ range $i, $v := .Values.l }}{{ $i }}={{ $v }};{{ end }}',
      data: values({ l: ['a', 'b'] }),
      output: '0=a;1=b;',
    },
    {
      name: 'range map in key order',
      template: '{{ range $k, $v := .Values.m }}{{ $k }}={{ $v }};{{ end }}',
      data: values({ m: { b: 2, a: 1 } }),
      output: 'a=1;b=2;',
    },
    {
      name: 'range else on empty and missing',
      template: '{{ range .Values.l }}x{{ else }}empty{{ end }}|{{ range .Values.nope }}x{{ else }}none{{ end }}',
      data: values({ l: [] }),
      output: 'empty|none',
    },
    {
      name: 'break and continue',
      template:
        '{{ range .Values.l }}{{ if eq . 2 }}{{ continue }}{{ end }}{{ if eq . 4 }}{{ break }}{{ end }}{{ . }}{{ end }}',
      data: values({ l: [1, 2, 3, 4, 5] }),
      output: '13',
    },
    { name: 'range over an integer (Go 1.22+)', template: '{{ range $i := 3 }}{{ $i }}{{ end }}', output: '012' },
    {
      name: 'else with (Go 1.23+)',
      template: '{{ with .Values.a }}a{{ else with .Values.b }}{{ . }}{{ end }}',
      data: values({ b: 'B' }),
      output: 'B',
    },
    {
      name: 'assignment reaches the outer variable',
      template: '{{ $x := 1 }}{{ if true }}{{ $x = 2 }}{{ end }}{{ $x }}',
      output: '2',
    },
    {
      name: 'declaration in a block shadows until end',
      template: '{{ $x := 1 }}{{ if true }}{{ $x := 2 }}{{ $x }}{{ end }}{{ $x }}',
      output: '21',
    },
    {
      name: '$ is the data inside range',
      template: '{{ range .Values.l }}{{ $.Run.ID }}{{ end }}',
      data: values({ l: [1, 2] }),
      output: 'cb12cb12',
    },
    { name: 'declarations print nothing', template: '[{{ $x := "v" }}]{{ $x }}', output: '[]v' },
    {
      name: 'pipeline passes the last argument',
      template: '{{ "abc" | trunc 2 | upper | printf "<%s>" }}',
      output: '<AB>',
    },
    {
      name: 'parenthesised pipelines and chains',
      template: '{{ (dict "a" (dict "b" "x")).a.b }} {{ (len (list 1 2)) }}',
      output: 'x 2',
    },
    { name: 'and/or short-circuit', template: '{{ and 0 (fail "no") }}|{{ or 1 (fail "no") }}', output: '0|1' },
    {
      name: 'define and template',
      template: '{{ define "t" }}<{{ . }}>{{ end }}{{ template "t" "x" }}{{ template "t" }}',
      output: '<x><>',
    },
    { name: 'block', template: '{{ block "b" .Run.ID }}[{{ . }}]{{ end }}', output: '[cb12]' },
    { name: 'interpreted string escapes', template: '{{ "a\\tb\\u00e9\\x41\\101" }}', output: 'a\tbéAA' },
    {
      name: 'number literals',
      template: "{{ 0x1F }} {{ 0o17 }} {{ 017 }} {{ 0b101 }} {{ 1_000 }} {{ 'a' }}",
      output: '31 15 15 5 1000 97',
    },
  ];
  for (const c of cases) it(c.name, () => check(c));
});

describe('renderTemplate: Sprig functions task files use', () => {
  const cases: Case[] = [
    {
      name: 'default / empty / coalesce',
      template:
        '{{ .Values.nope | default "d" }} {{ default "d" "" }} {{ empty 0 }} {{ coalesce .Values.nope "" "c" }}',
      output: 'd d true c',
    },
    { name: 'quote / squote', template: '{{ quote "a" 1 .Values.nope }} {{ squote "b" }}', output: '"a" "1" \'b\'' },
    {
      name: 'string helpers',
      template:
        '{{ lower "AB" }} {{ title "hello world" }} {{ trim "  x " }} {{ trimPrefix "v" "v1.2" }} {{ replace "." "-" "1.2.3" }} {{ repeat 2 "ab" }}',
      output: 'ab Hello World x 1.2 1-2-3 abab',
    },
    {
      name: 'split/join',
      template: '{{ splitList "/" "a/b/c" | join "," }} {{ (split "/" "a/b")._1 }}',
      output: 'a,b,c b',
    },
    { name: 'indent / nindent', template: 'x:{{ "a\\nb" | nindent 2 }}', output: 'x:\n  a\n  b' },
    {
      name: 'int64 arithmetic',
      template: '{{ add 1 2 }} {{ sub 5 7 }} {{ mul 2 3 }} {{ div 7 2 }} {{ mod 7 3 }} {{ typeOf (add 1 2) }}',
      output: '3 -2 6 3 1 int64',
    },
    {
      name: 'toJson',
      template: '{{ toJson .Values }}',
      data: values({ b: [1, 'x<'], a: { c: null } }),
      output: '{"a":{"c":null},"b":[1,"x\\u003c"]}',
    },
    {
      name: 'hashes',
      template: '{{ sha256sum "abc" }} {{ sha1sum "abc" }}',
      output:
        'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad a9993e364706816aba3e25717850c26c9cd0d89d',
    },
    {
      name: 'regex',
      template:
        '{{ regexMatch "^v[0-9]+$" "v12" }} {{ regexReplaceAll "(a)(x*)" "-axx-" "${2}$1" }} {{ regexFind "[0-9]+" "ab12" }}',
      output: 'true -xxa- 12',
    },
    { name: 'env reads the injected environment only', template: '[{{ env "HOME" }}]', output: '[]' },
    {
      name: 'date formatting with Go layouts',
      template: '{{ date "2006-01-02T15:04:05Z07:00" 0 }} {{ now | date "20060102" }}',
      output: '1970-01-01T00:00:00Z 19700101',
    },
  ];
  for (const c of cases) it(c.name, () => check(c));

  it('env / expandenv use options.env', () => {
    const r = renderTemplate('{{ env "A" }}|{{ expandenv "x-$A-${B}" }}', values({}), { env: { A: '1', B: '2' } });
    assert.deepStrictEqual(r, { output: '1|x-1-2', errors: [] });
  });
  it('uuidv4 uses the injected randomness', () => {
    const r = renderTemplate('{{ uuidv4 }}', values({}), { randomBytes: (n) => new Uint8Array(n).fill(0xab) });
    assert.deepStrictEqual(r, { output: 'abababab-abab-4bab-abab-abababababab', errors: [] });
  });
  it('does not mutate the caller data', () => {
    const data = values({ m: { a: 1 } });
    renderTemplate('{{ $_ := set .Values.m "b" 2 }}', data);
    assert.deepStrictEqual(data.Values, { m: { a: 1 } });
  });
});
