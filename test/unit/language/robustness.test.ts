/** The service never throws: internal failures become empty results, reported to the optional listener. */
import { strict as assert } from 'node:assert';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { createLanguageService } from '../../../server/src/language';
import { completeRunVariables } from '../../../server/src/task/load';
import { documentOf } from './harness';

describe('language service: robustness', () => {
  it('turns an internal failure into an empty result and reports it', () => {
    const reported: string[] = [];
    const service = createLanguageService(
      { readFile: () => undefined },
      { onInternalError: (feature) => reported.push(feature) },
    );
    const broken = {
      uri: 'file:///x/acr-task.yaml',
      languageId: 'yaml',
      version: 1,
      lineCount: 1,
      getText: () => {
        throw new Error('boom');
      },
      positionAt: () => ({ line: 0, character: 0 }),
      offsetAt: () => 0,
    } as unknown as TextDocument;
    const position = { line: 0, character: 0 };
    assert.deepEqual(service.validate(broken, {}), []);
    assert.deepEqual(service.complete(broken, position, {}), { isIncomplete: false, items: [] });
    assert.equal(service.hover(broken, position, {}), null);
    assert.deepEqual(service.documentSymbols(broken), []);
    assert.deepEqual(service.definition(broken, position), []);
    assert.deepEqual(service.references(broken, position, true), []);
    assert.equal(service.prepareRename(broken, position), null);
    assert.equal(service.rename(broken, position, 'x'), null);
    assert.deepEqual(service.codeActions(broken, { start: position, end: position }, []), []);
    assert.deepEqual(service.renderPreview(broken, { run: completeRunVariables({}) }), {
      rendered: '',
      diagnostics: [],
    });
    assert.deepEqual(reported, [
      'validate',
      'complete',
      'hover',
      'documentSymbols',
      'definition',
      'references',
      'prepareRename',
      'rename',
      'codeActions',
      'renderPreview',
    ]);
  });

  it('treats a host whose reads throw as missing files, keeping every other problem', () => {
    const service = createLanguageService({
      readFile: () => {
        throw new Error('EACCES');
      },
    });
    const document = documentOf('steps:\n  - {build: ., retries: -1}\n');
    assert.deepEqual(
      service.validate(document, { valuesFile: 'values.yaml' }).map((diagnostic) => diagnostic.code),
      ['step-retries-negative'],
    );
  });

  it('reuses one analysis per document version and re-reads a new version', () => {
    const service = createLanguageService({ readFile: () => undefined });
    const first = documentOf('steps:\n  - {id: a, cmd: x}\n');
    assert.deepEqual(service.validate(first, {}), []);
    const second = documentOf('steps:\n  - {id: a, cmd: x, retries: -1}\n');
    assert.deepEqual(
      service.validate(second, {}).map((diagnostic) => diagnostic.code),
      ['step-retries-negative'],
    );
  });
});
