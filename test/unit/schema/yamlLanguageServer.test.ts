/**
 * The schema as users of Red Hat's YAML extension meet it: yaml-language-server (the same library the
 * extension runs) validating, hovering and completing task files against schemas/acr-task.schema.json.
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { getLanguageService, type LanguageService } from 'yaml-language-server';
import { schemaPath } from './schemaSupport';

const schemaUri = 'file:///schemas/acr-task.schema.json';
/** yaml-language-server reports every schema problem as a warning (LSP severity 2). */
const WARNING = 2;

let documentCount = 0;
/** yaml-language-server caches parsed documents by URI and version, so every text gets its own URI. */
function document(text: string): TextDocument {
  documentCount++;
  return TextDocument.create(`file:///work/${documentCount}/acr-task.yaml`, 'yaml', 1, text);
}

function createService(): LanguageService {
  const schemaText = readFileSync(schemaPath, 'utf8');
  const service = getLanguageService({
    schemaRequestService: (uri) =>
      uri === schemaUri ? Promise.resolve(schemaText) : Promise.reject(new Error(`unexpected ${uri}`)),
    workspaceContext: { resolveRelativePath: (relativePath) => relativePath },
  });
  // What package.json's yamlValidation contribution does for acr-task.yaml files.
  service.registerCustomSchemaProvider(() => Promise.resolve(schemaUri));
  service.configure({ validate: true, hover: true, completion: true });
  return service;
}

/** [title, file, expected diagnostics as [line, severity, message]]. */
const validations: [string, string, [number, number, string][]][] = [
  [
    'templated integers, booleans and lists, and YAML 1.1 booleans',
    'stepTimeout: {{ .Values.t }}\nsteps:\n  - cmd: x\n    timeout: {{ .Values.t }}\n    keep: yes\n    detach: "{{ .Values.d }}"\n    when: [{{ .Values.w }}]\n',
    [],
  ],
  [
    'cmd and build in one step',
    'steps:\n  - {cmd: alpine true, build: .}\n',
    [[1, WARNING, 'Matches multiple schemas when only one must validate.']],
  ],
  ['a step without a kind', 'steps:\n  - id: x\n', [[1, WARNING, 'A step needs exactly one of cmd, build or push.']]],
  [
    'volumeMount (singular) and a misspelt key',
    'steps:\n  - cmd: x\n    volumeMount: [{name: v, mountPath: /v}]\n    entrypoint: sh\n',
    [
      [2, WARNING, "ACR silently ignores volumeMount (singular), although the docs' table lists it: use volumeMounts."],
      [3, WARNING, 'Property entrypoint is not allowed.'],
    ],
  ],
  [
    'bad step ids',
    'steps:\n  - {id: "a b", cmd: x}\n  - {id: acb_root, cmd: x}\n',
    [
      [1, WARNING, 'Step ids must not contain whitespace, and acb_root is reserved.'],
      [2, WARNING, 'Step ids must not contain whitespace, and acb_root is reserved.'],
    ],
  ],
  [
    'a comma in a task env value',
    'env: ["LIST=a,b"]\n',
    [
      [
        0,
        WARNING,
        "Task env entries must be KEY=value, and ACR splits them on commas: every comma-separated part needs its own '='.",
      ],
    ],
  ],
  [
    'an unsupported version and a bad cache value',
    'version: v2.0.0\nsteps:\n  - {build: ., cache: "yes"}\n',
    [
      [0, WARNING, 'Value is not accepted. Valid values: "v1.0.0", "v1.1.0", "1.0-preview-1".'],
      [2, WARNING, 'Value is not accepted. Valid values: "enabled", "disabled".'],
    ],
  ],
  [
    'secret and volume rules',
    'secrets: [{id: s, keyvault: k, clientID: nope}]\nvolumes: [{name: "v 1", secret: {"a/b": "x!"}}]\n',
    [
      [0, WARNING, 'clientID must be a GUID, e.g. 00000000-0000-0000-0000-000000000000.'],
      [1, WARNING, "Volume names may only contain letters, digits, '-' and '_'."],
      [1, WARNING, 'Volume secret values must be Base64, e.g. {{.Secrets.x | b64enc}}.'],
      [1, WARNING, "Secret file names may only contain letters, digits, '-', '_' and '.'."],
    ],
  ],
  [
    'alias rules',
    'alias:\n  values: {my-repo: x}\n  directive: ab\n',
    [
      [1, WARNING, 'Alias names only support alphanumeric characters.'],
      [2, WARNING, 'The directive must be exactly one character that is not a letter or a digit.'],
    ],
  ],
];

describe('acr-task.schema.json in yaml-language-server', () => {
  const service = createService();

  for (const [title, text, expected] of validations) {
    it(`diagnoses ${title}`, async () => {
      const diagnostics = await service.doValidation(document(text), false);
      const actual = diagnostics
        .map((diagnostic): [number, number, string] => [
          diagnostic.range.start.line,
          diagnostic.severity ?? 0,
          diagnostic.message,
        ])
        .sort((a, b) => a[0] - b[0]);
      assert.deepEqual(actual, expected);
    });
  }

  it('hovers a key with its markdown description (the engine default, not the docs)', async () => {
    const hover = await service.doHover(document('steps:\n  - cmd: x\n    retryDelay: 3\n'), { line: 2, character: 6 });
    const contents = hover?.contents;
    const markdown =
      contents !== undefined && typeof contents === 'object' && 'value' in contents ? contents.value : '';
    assert.ok(markdown.includes("**ACR's default is 5**"), markdown);
  });

  it('completes step keys without the ones ACR ignores or that are internal', async () => {
    const completion = await service.doComplete(
      document('steps:\n  - cmd: x\n    \n'),
      { line: 2, character: 4 },
      false,
    );
    const labels = completion.items.map((item) => item.label).sort();
    assert.deepEqual(
      labels,
      [
        'build',
        'cache',
        'cmdDownloadRetries',
        'cmdDownloadRetryDelay',
        'cpus',
        'detach',
        'disableWorkingDirectoryOverride',
        'entryPoint',
        'env',
        'expose',
        'id',
        'ignoreErrors',
        'isolation',
        'keep',
        'network',
        'ports',
        'privileged',
        'pull',
        'push',
        'repeat',
        'retries',
        'retryDelay',
        'retryOnErrors',
        'startDelay',
        'timeout',
        'user',
        'volumeMounts',
        'when',
        'workingDirectory',
      ].sort(),
    );
  });

  it('completes the values of cache', async () => {
    const completion = await service.doComplete(
      document('steps:\n  - build: .\n    cache: \n'),
      { line: 2, character: 11 },
      false,
    );
    assert.deepEqual(completion.items.map((item) => item.label).sort(), ['disabled', 'enabled']);
  });
});
