/**
 * Real task files under test/fixtures/tasks, read through a host over the fixture folder: their
 * problems (Dockerfile parity, values, secrets), the DAG their comment sketches, and the preview.
 */
import { strict as assert } from 'node:assert';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { createLanguageService, type LanguageSettings } from '../../../server/src/language';
import { analyzeSource } from '../../../server/src/task/analyze';
import { buildTaskGraph } from '../../../server/src/task/graph';
import { completeRunVariables } from '../../../server/src/task/load';
import { problemsOf } from './harness';

const FIXTURES = resolve(__dirname, '../../../../test/fixtures/tasks');

function open(relative: string): { document: TextDocument; folder: string } {
  const path = join(FIXTURES, relative);
  return {
    document: TextDocument.create(`file://${path}`, 'yaml', 1, readFileSync(path, 'utf8')),
    folder: dirname(path),
  };
}

function serviceFor(folder: string) {
  return createLanguageService({
    readFile: (path) => {
      const absolute = isAbsolute(path) ? path : join(folder, path);
      return existsSync(absolute) ? readFileSync(absolute, 'utf8') : undefined;
    },
  });
}

function validateFixture(relative: string, settings: LanguageSettings = {}) {
  const { document, folder } = open(relative);
  return { document, diagnostics: serviceFor(folder).validate(document, settings) };
}

describe('language service: fixture task files', () => {
  it('build-test-push: valid, and its DAG is the one sketched in its comment', () => {
    const { document, diagnostics } = validateFixture('build-test-push.acr-task.yaml');
    assert.deepEqual(problemsOf(document, diagnostics), []);
    const graph = buildTaskGraph(analyzeSource(document.getText()).parsed.task);
    assert.deepEqual(graph.levels, [['build', 'lint'], ['test'], ['push']]);
  });

  it('parity: Dockerfiles that docker accepts but ACR does not', () => {
    const { document, diagnostics } = validateFixture('parity/acr-task.yaml');
    assert.deepEqual(problemsOf(document, diagnostics), [
      { code: 'dockerfile-from-platform', severity: 'warning', text: '-t a -f Dockerfile.platform .' },
      { code: 'dockerfile-buildkit-syntax', severity: 'warning', text: '-t b -f Dockerfile.buildkit .' },
      { code: 'dockerfile-dockerignored', severity: 'warning', text: '-t d ignored' },
    ]);
    const messages = diagnostics.map((diagnostic) => diagnostic.message);
    assert.match(messages[0], /`FROM --platform=linux\/amd64 golang:1\.21 AS build` \(Dockerfile\.platform:1\)/);
    assert.match(messages[1], /\(`# syntax=` directive, `RUN --mount`, heredoc \(`<<EOF`\), first at line 1\)/);
    assert.match(messages[2], /ignored\/\.dockerignore excludes the Dockerfile `Dockerfile`/);
    const platformLink = diagnostics[0].relatedInformation?.[0];
    assert.equal(platformLink?.location.uri, `file://${FIXTURES}/parity/Dockerfile.platform`);
    assert.deepEqual(platformLink?.location.range, {
      start: { line: 0, character: 0 },
      end: { line: 0, character: 48 },
    });
    const graph = buildTaskGraph(analyzeSource(document.getText()).parsed.task);
    assert.deepEqual(graph.levels, [['platform'], ['buildkit'], ['buildkit-on'], ['ignored'], ['fine']]);
  });

  it('values-secrets: undeclared secret always, missing value once the values file is selected', () => {
    const without = validateFixture('values-secrets/acr-task.yaml');
    assert.deepEqual(problemsOf(without.document, without.diagnostics), [
      { code: 'secret-undeclared', severity: 'error', text: '.Secrets.deployToken' },
    ]);
    const withValues = validateFixture('values-secrets/acr-task.yaml', { valuesFile: 'values.yaml' });
    assert.deepEqual(problemsOf(withValues.document, withValues.diagnostics), [
      { code: 'secret-undeclared', severity: 'error', text: '.Secrets.deployToken' },
      { code: 'value-missing', severity: 'warning', text: '.Values.environment' },
    ]);
    const graph = buildTaskGraph(analyzeSource(withValues.document.getText()).parsed.task);
    assert.deepEqual(graph.levels, [['login'], ['deploy']]);
  });

  it('renders the preview with run variables and aliases, masking secret values', () => {
    const { document, folder } = open('values-secrets/acr-task.yaml');
    const result = serviceFor(folder).renderPreview(document, {
      values: { image: 'myapp', tag: 'v1' },
      set: ['environment=prod'],
      run: completeRunVariables({ ID: 'ca1', Registry: 'reg.azurecr.io' }),
      secrets: { registryPassword: 's3cret!', deployToken: 'tok-123' },
    });
    assert.deepEqual(result.diagnostics, []);
    assert.match(result.rendered, /cmd: myapp:v1 deploy --env prod --token \*\*\*\n/);
    assert.match(result.rendered, /password\.txt: \*\*\*\n/);
    assert.doesNotMatch(result.rendered, /s3cret|tok-123|czNjcmV0IQ==/);

    const aliases = open('build-test-push.acr-task.yaml');
    const rendered = serviceFor(aliases.folder).renderPreview(aliases.document, {
      run: completeRunVariables({ ID: 'ca1', Registry: 'reg.azurecr.io' }),
    });
    assert.match(rendered.rendered, /build: -t reg\.azurecr\.io\/app:ca1 -f Dockerfile \./);
  });

  it('maps a render error of the preview to the line that caused it', () => {
    const document = TextDocument.create(
      'file:///work/t.yaml',
      'yaml',
      1,
      'steps:\n  - cmd: alpine echo {{.Values.cfg.port}}\n',
    );
    const result = createLanguageService({ readFile: () => undefined }).renderPreview(document, {
      run: completeRunVariables({}),
    });
    assert.deepEqual(
      result.diagnostics.map((diagnostic) => [diagnostic.code, diagnostic.range.start.line]),
      [['template-error', 1]],
    );
    assert.match(result.diagnostics[0].message, /nil pointer evaluating interface \{\}\.port/);
  });
});
