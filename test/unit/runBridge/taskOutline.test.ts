import { strict as assert } from 'node:assert';
import { taskOutline } from '../../../server/src/lsp/taskOutline';

describe('task outline for the Tasks view and CodeLens', () => {
  const cases: { name: string; text: string; expected: ReturnType<typeof taskOutline> }[] = [
    {
      name: 'steps with positions, kinds, §5.1 dependencies and the written (unmasked) text; secrets',
      text: [
        'version: v1.1.0',
        'secrets:',
        '  - id: token',
        '    keyvault: https://v.vault.azure.net/secrets/t',
        'steps:',
        '  - id: a',
        '    cmd: bash echo {{.Run.ID}}',
        '  - build: -t app .',
        '  - id: c',
        '    push: [app]',
        '    when: [a, acb_step_1]',
        '  - id: d',
        '    when: ["-"]',
        '    cmd: x',
        '',
      ].join('\n'),
      expected: {
        steps: [
          { id: 'a', kind: 'cmd', line: 5, character: 4, dependsOn: [], detail: 'cmd: bash echo {{.Run.ID}}' },
          { id: 'acb_step_1', kind: 'build', line: 7, character: 4, dependsOn: ['a'], detail: 'build: -t app .' },
          { id: 'c', kind: 'push', line: 8, character: 4, dependsOn: ['a', 'acb_step_1'], detail: 'push: [app]' },
          { id: 'd', kind: 'cmd', line: 11, character: 4, dependsOn: [], detail: 'cmd: x' },
        ],
        secrets: ['token'],
      },
    },
    {
      name: 'a step without a kind',
      text: 'steps:\n  - id: nothing\n',
      expected: {
        steps: [{ id: 'nothing', line: 1, character: 4, dependsOn: [], detail: 'no step kind' }],
        secrets: [],
      },
    },
    { name: 'not YAML at all', text: '{{ if }}: [', expected: { steps: [], secrets: [] } },
    { name: 'empty', text: '', expected: { steps: [], secrets: [] } },
  ];
  for (const { name, text, expected } of cases) {
    it(name, () => assert.deepEqual(taskOutline(text), expected));
  }
});
