/**
 * The definitions file's JSON schema (what generic YAML tools validate and complete with) agrees with
 * the parser (the authority): files the parser accepts without errors are schema-valid, and files it
 * rejects for a reason a schema can express are schema-invalid.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { deepStrictEqual, strictEqual } from 'node:assert';
import Ajv from 'ajv';
import { parse } from 'yaml';

import { parseDefinitions } from '../../../server/src/task/definitions/parseDefinitions';
import { editorKeywords, repoRoot } from '../schema/schemaSupport';

const schema = JSON.parse(
  readFileSync(path.join(repoRoot, 'schemas/acr-tasks-definitions.schema.json'), 'utf8'),
) as object;

function verdicts(text: string): { schema: boolean; parser: boolean } {
  const ajv = new Ajv({ allErrors: true, strict: true });
  ajv.addVocabulary([...editorKeywords, 'defaultSnippets']);
  const validate = ajv.compile(schema);
  return {
    schema: validate(parse(text) ?? {}),
    parser: !parseDefinitions(text).diagnostics.some((problem) => problem.severity === 'error'),
  };
}

describe('acr-tasks-definitions.schema.json', () => {
  const cases: [string, string, boolean][] = [
    [
      'a full task',
      'version: v1\ntasks:\n  app:\n    file: Dockerfile\n    context: src\n    images: [app:1]\n    registry: r.io\n    set: [a=1]\n    timeout: 60\n    status: Disabled\n    triggers:\n      commit: {enabled: false, branch: main}\n      baseImage: {enabled: true, type: All}\n      schedules: {nightly: "0 2 * * *"}\n',
      true,
    ],
    ['a minimal task', 'tasks:\n  app:\n    file: acr-task.yaml\n', true],
    ['no tasks', 'tasks: {}\n', true],
    ['a missing file', 'tasks:\n  app:\n    context: .\n', false],
    ['a bad name', 'tasks:\n  "a b":\n    file: x.yaml\n', false],
    ['an unknown key', 'tasks:\n  app:\n    file: x.yaml\n    imag: []\n', false],
    ['a bad trigger type', 'tasks:\n  app:\n    file: x.yaml\n    triggers: {baseImage: {type: Build}}\n', false],
    ['a zero timeout', 'tasks:\n  app:\n    file: x.yaml\n    timeout: 0\n', false],
    ['a set item without =', 'tasks:\n  app:\n    file: x.yaml\n    set: [novalue]\n', false],
    ['a 3-field schedule', 'tasks:\n  app:\n    file: x.yaml\n    triggers: {schedules: {t1: "* * *"}}\n', false],
    ['an unknown version', 'version: v2\ntasks: {}\n', false],
  ];
  for (const [name, text, valid] of cases) {
    it(`${valid ? 'accepts' : 'rejects'} ${name}, as the parser does`, () => {
      deepStrictEqual(verdicts(text), { schema: valid, parser: valid });
    });
  }

  it('is a strict draft-07 schema', () => {
    const ajv = new Ajv({ strict: true });
    ajv.addVocabulary([...editorKeywords, 'defaultSnippets']);
    strictEqual(ajv.validateSchema(schema), true);
  });
});
