/**
 * The TextMate injection grammar, tokenized for real with vscode-textmate + vscode-oniguruma (the
 * engine VS Code uses) on top of a real YAML grammar: tm-grammars' YAML (textmate/yaml.tmbundle, the
 * grammar VS Code shipped before 1.9x and that shiki/GitHub-style highlighters use).
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import * as oniguruma from 'vscode-oniguruma';
import { INITIAL, parseRawGrammar, Registry, type IGrammar } from 'vscode-textmate';
import { injectionGrammarPath, readJson } from './schemaSupport';

const INJECTION_SCOPE = 'acr-task.template.injection';

async function loadYamlWithInjection(): Promise<IGrammar> {
  const wasm = readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm'));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const grammarFiles: Record<string, string> = {
    'source.yaml': require.resolve('tm-grammars/grammars/yaml.json'),
    [INJECTION_SCOPE]: injectionGrammarPath,
  };
  const registry = new Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (patterns) => new oniguruma.OnigScanner(patterns),
      createOnigString: (text) => new oniguruma.OnigString(text),
    }),
    loadGrammar: (scopeName) => {
      const file = grammarFiles[scopeName];
      return Promise.resolve(file === undefined ? null : parseRawGrammar(readFileSync(file, 'utf8'), file));
    },
    // What package.json's `injectTo: ["source.yaml"]` does in VS Code.
    getInjections: (scopeName) => (scopeName === 'source.yaml' ? [INJECTION_SCOPE] : undefined),
  });
  const grammar = await registry.loadGrammar('source.yaml');
  if (grammar === null) throw new Error('source.yaml did not load');
  return grammar;
}

/** [token text, ...its scopes from our grammar] */
type Token = string[];

/** Tokens of one line of `text` that carry our scopes (whitespace-only tokens left out). */
function ourTokens(grammar: IGrammar, text: string, lineIndex: number): Token[] {
  let stack = INITIAL;
  const lines = text.split('\n');
  for (let index = 0; index < lineIndex; index++) stack = grammar.tokenizeLine(lines[index], stack).ruleStack;
  const line = lines[lineIndex];
  return grammar
    .tokenizeLine(line, stack)
    .tokens.map((token) => [
      line.slice(token.startIndex, token.endIndex),
      ...token.scopes.filter((scope) => scope.endsWith('.acr-task')),
    ])
    .filter((token) => token.length > 1 && token[0].trim() !== '');
}

/** The innermost YAML scope of the token at `column` of the given line. */
function yamlScopeAt(grammar: IGrammar, text: string, lineIndex: number, column: number): string | undefined {
  let stack = INITIAL;
  const lines = text.split('\n');
  for (let index = 0; index < lineIndex; index++) stack = grammar.tokenizeLine(lines[index], stack).ruleStack;
  const token = grammar
    .tokenizeLine(lines[lineIndex], stack)
    .tokens.find((candidate) => candidate.startIndex <= column && column < candidate.endIndex);
  return token?.scopes.filter((scope) => scope.endsWith('.yaml')).at(-1);
}

const ACTION = 'meta.template.action.acr-task';
const BEGIN = 'punctuation.section.embedded.begin.acr-task';
const END = 'punctuation.section.embedded.end.acr-task';
const TRIM = 'keyword.operator.trim.acr-task';
const DOT = 'punctuation.accessor.acr-task';
const DATA = 'variable.language.data.acr-task';
const FIELD = 'variable.other.property.acr-task';
const KEYWORD = 'keyword.control.acr-task';
const FUNCTION = 'support.function.acr-task';
const VARIABLE = 'variable.other.template.acr-task';
const DOLLAR = 'punctuation.definition.variable.acr-task';
const STRING = 'string.quoted.double.acr-task';
const ALIAS = 'variable.other.alias.acr-task';
const ALIAS_DOLLAR = 'punctuation.definition.variable.alias.acr-task';
const ESCAPE = 'constant.character.escape.alias.acr-task';

/** [title, YAML text, line to inspect, expected tokens] */
const cases: [string, string, number, Token[]][] = [
  [
    'a field chain in a plain scalar',
    'cmd: alpine echo {{ .Values.msg }}',
    0,
    [
      ['{{', ACTION, BEGIN],
      ['.', ACTION, DOT],
      ['Values', ACTION, DATA],
      ['.', ACTION, DOT],
      ['msg', ACTION, FIELD],
      ['}}', ACTION, END],
    ],
  ],
  [
    'trim markers, a pipe, a function and a number (an unquoted template YAML sees as a flow mapping)',
    'steps:\n  - cmd: x\n    timeout: {{- .Values.t | default 600 -}}',
    2,
    [
      ['{{', ACTION, BEGIN],
      ['-', ACTION, BEGIN, TRIM],
      ['.', ACTION, DOT],
      ['Values', ACTION, DATA],
      ['.', ACTION, DOT],
      ['t', ACTION, FIELD],
      ['|', ACTION, 'keyword.operator.pipe.acr-task'],
      ['default', ACTION, FUNCTION],
      ['600', ACTION, 'constant.numeric.acr-task'],
      ['-', ACTION, END, TRIM],
      ['}}', ACTION, END],
    ],
  ],
  [
    '{{-3}}: a negative number, not a trim marker',
    'x: a{{-3}}',
    0,
    [
      ['{{', ACTION, BEGIN],
      ['-3', ACTION, 'constant.numeric.acr-task'],
      ['}}', ACTION, END],
    ],
  ],
  [
    'comments, with and without trim markers',
    'x: a {{/* why */}} {{- /* trimmed */ -}}',
    0,
    [
      ['{{/*', 'comment.block.template.acr-task', 'punctuation.definition.comment.begin.acr-task'],
      [' why ', 'comment.block.template.acr-task'],
      ['*/}}', 'comment.block.template.acr-task', 'punctuation.definition.comment.end.acr-task'],
      ['{{- /*', 'comment.block.template.acr-task', 'punctuation.definition.comment.begin.acr-task'],
      [' trimmed ', 'comment.block.template.acr-task'],
      ['*/ -}}', 'comment.block.template.acr-task', 'punctuation.definition.comment.end.acr-task'],
    ],
  ],
  [
    'keywords, a comparison function and a string',
    'x: "{{ if eq .Run.OS "linux" }}l{{ else }}w{{ end }}"',
    0,
    [
      ['{{', ACTION, BEGIN],
      ['if', ACTION, KEYWORD],
      ['eq', ACTION, FUNCTION],
      ['.', ACTION, DOT],
      ['Run', ACTION, DATA],
      ['.', ACTION, DOT],
      ['OS', ACTION, FIELD],
      ['"', ACTION, STRING, 'punctuation.definition.string.begin.acr-task'],
      ['linux', ACTION, STRING],
      ['"', ACTION, STRING, 'punctuation.definition.string.end.acr-task'],
      ['}}', ACTION, END],
      ['{{', ACTION, BEGIN],
      ['else', ACTION, KEYWORD],
      ['}}', ACTION, END],
      ['{{', ACTION, BEGIN],
      ['end', ACTION, KEYWORD],
      ['}}', ACTION, END],
    ],
  ],
  [
    'range with variables on a line of its own',
    '{{ range $i, $v := .Values.list }}',
    0,
    [
      ['{{', ACTION, BEGIN],
      ['range', ACTION, KEYWORD],
      ['$', ACTION, VARIABLE, DOLLAR],
      ['i', ACTION, VARIABLE],
      [',', ACTION, 'punctuation.separator.acr-task'],
      ['$', ACTION, VARIABLE, DOLLAR],
      ['v', ACTION, VARIABLE],
      [':=', ACTION, 'keyword.operator.assignment.acr-task'],
      ['.', ACTION, DOT],
      ['Values', ACTION, DATA],
      ['.', ACTION, DOT],
      ['list', ACTION, FIELD],
      ['}}', ACTION, END],
    ],
  ],
  [
    'the root variable, a field named like a keyword, and parentheses',
    'x: {{ (index $.Values.end 0) }}',
    0,
    [
      ['{{', ACTION, BEGIN],
      ['(', ACTION, 'punctuation.section.parens.begin.acr-task'],
      ['index', ACTION, FUNCTION],
      ['$', ACTION, VARIABLE, DOLLAR],
      ['.', ACTION, DOT],
      ['Values', ACTION, DATA],
      ['.', ACTION, DOT],
      ['end', ACTION, FIELD],
      ['0', ACTION, 'constant.numeric.acr-task'],
      [')', ACTION, 'punctuation.section.parens.end.acr-task'],
      ['}}', ACTION, END],
    ],
  ],
  [
    'a raw string keeping braces meant for another tool',
    "cmd: docker ps --format '{{`{{.ID}}`}}'",
    0,
    [
      ['{{', ACTION, BEGIN],
      ['`', ACTION, 'string.quoted.raw.acr-task', 'punctuation.definition.string.begin.acr-task'],
      ['{{.ID}}', ACTION, 'string.quoted.raw.acr-task'],
      ['`', ACTION, 'string.quoted.raw.acr-task', 'punctuation.definition.string.end.acr-task'],
      ['}}', ACTION, END],
    ],
  ],
  [
    'aliases, chained and after an escape',
    'build: -t $Registry/$repo:$ID-x $$ID $$$repo',
    0,
    [
      ['$', ALIAS, ALIAS_DOLLAR],
      ['Registry', ALIAS],
      ['$', ALIAS, ALIAS_DOLLAR],
      ['repo', ALIAS],
      ['$', ALIAS, ALIAS_DOLLAR],
      ['ID', ALIAS],
      ['$$', ESCAPE],
      ['$$', ESCAPE],
      ['$', ALIAS, ALIAS_DOLLAR],
      ['repo', ALIAS],
    ],
  ],
  ['${name} and a lone $, which are not aliases', 'cmd: bash -c "echo ${repo} $ x"', 0, []],
  [
    '$ID inside an action: a template variable, not an alias',
    'x: {{ $ID }}',
    0,
    [
      ['{{', ACTION, BEGIN],
      ['$', ACTION, VARIABLE, DOLLAR],
      ['ID', ACTION, VARIABLE],
      ['}}', ACTION, END],
    ],
  ],
  ['nothing inside a YAML comment (ACR deletes comment lines first)', 'a: b\n# {{ .Values.x }} $ID', 1, []],
];

describe('acr-task.injection.tmLanguage.json', () => {
  let grammar: IGrammar;
  before(async () => {
    grammar = await loadYamlWithInjection();
  });

  it('is an injection into YAML with left priority, outside comments and actions', () => {
    const raw = readJson(injectionGrammarPath) as { scopeName: string; injectionSelector: string };
    assert.deepEqual(
      { scopeName: raw.scopeName, injectionSelector: raw.injectionSelector },
      { scopeName: INJECTION_SCOPE, injectionSelector: 'L:source.yaml -comment -meta.template.action.acr-task' },
    );
  });

  for (const [title, text, line, expected] of cases) {
    it(`highlights ${title}`, () => assert.deepEqual(ourTokens(grammar, text, line), expected));
  }

  /** [YAML context, text, line, column of a `{{`, expected YAML scope there] */
  const contexts: [string, string, number, number, string][] = [
    ['a plain scalar', 'cmd: echo {{ .Run.ID }}', 0, 10, 'string.unquoted.plain.out.yaml'],
    ['a double-quoted string', 'cmd: "echo {{ .Run.ID }}"', 0, 11, 'string.quoted.double.yaml'],
    ['a single-quoted string', "cmd: 'echo {{ .Run.ID }}'", 0, 11, 'string.quoted.single.yaml'],
    ['a block scalar', 'cmd: |\n  echo {{ .Run.ID }}', 1, 7, 'string.unquoted.block.yaml'],
    ['a flow sequence item', 'push: [a, "b:{{ .Run.ID }}"]', 0, 13, 'string.quoted.double.yaml'],
  ];
  for (const [context, text, line, column, yamlScope] of contexts) {
    it(`applies inside ${context}, keeping the YAML scope`, () => {
      const begin = ourTokens(grammar, text, line)[0];
      assert.deepEqual(
        { begin, yamlScope: yamlScopeAt(grammar, text, line, column) },
        { begin: ['{{', ACTION, BEGIN], yamlScope },
      );
    });
  }
});
