/**
 * Whole-step and whole-file snippets: a build, cmd or push step on a new `steps` item, and a starter
 * task for an empty file. In alias mode they use `$Registry`/`$ID`, otherwise the template forms.
 */
import {
  type CompletionItem,
  CompletionItemKind,
  InsertTextFormat,
  InsertTextMode,
  type Range,
} from 'vscode-languageserver-types';

function image(aliasMode: boolean, repository: string): string {
  return aliasMode ? `\\$Registry/${repository}:\\$ID` : `{{.Run.Registry}}/${repository}:{{.Run.ID}}`;
}

function lines(column: number, ...body: string[]): string {
  const [first, ...rest] = body;
  return [first, ...rest.map((line) => `${' '.repeat(column)}${line}`)].join('\n');
}

function snippet(label: string, detail: string, newText: string, range: Range, sortText: string): CompletionItem {
  return {
    label,
    kind: CompletionItemKind.Snippet,
    detail,
    textEdit: { range, newText },
    insertTextFormat: InsertTextFormat.Snippet,
    insertTextMode: InsertTextMode.asIs,
    sortText,
  };
}

/** Snippets for a new step whose keys start at `column`. */
export function stepSnippets(column: number, range: Range, aliasMode: boolean): CompletionItem[] {
  const tag = image(aliasMode, '${2:app}');
  return [
    snippet(
      'build step',
      'docker build in the run context',
      lines(column, 'id: ${1:build}', `build: -t ${tag} \${3:.}`),
      range,
      '!0',
    ),
    snippet(
      'cmd step',
      'run a container',
      lines(column, 'id: ${1:test}', `cmd: \${2:${aliasMode ? 'bash' : 'alpine'}} \${3:echo hello}`),
      range,
      '!1',
    ),
    snippet(
      'push step',
      'push images to the registry',
      lines(column, 'id: ${1:push}', 'push:', `  - ${tag}`),
      range,
      '!2',
    ),
  ];
}

/** Starter tasks for an empty file. */
export function starterSnippets(range: Range): CompletionItem[] {
  const tag = image(true, '${1:app}');
  return [
    snippet(
      'ACR task: build and push',
      'version v1.1.0 task that builds an image and pushes it',
      [
        'version: v1.1.0',
        'steps:',
        '  - id: build',
        `    build: -t ${tag} \${2:.}`,
        '  - id: push',
        '    push:',
        `      - ${tag}`,
        '',
      ].join('\n'),
      range,
      '!0',
    ),
    snippet(
      'ACR task: build, test and push',
      'version v1.1.0 task that builds, runs a test container, then pushes',
      [
        'version: v1.1.0',
        'steps:',
        '  - id: build',
        `    build: -t ${tag} \${2:.}`,
        '  - id: test',
        `    cmd: ${tag} \${3:echo test}`,
        '  - id: push',
        '    push:',
        `      - ${tag}`,
        '',
      ].join('\n'),
      range,
      '!1',
    ),
  ];
}
