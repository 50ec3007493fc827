/** Quick fixes: each diagnostic's fix applied to the text, asserting the text that results. */
import { strict as assert } from 'node:assert';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { documentOf, serviceWith } from './harness';

/** Validates, asks for fixes of the diagnostics with `code`, and applies the fix titled `title`. */
function fix(text: string, code: string, title?: string): { titles: string[]; result?: string } {
  const service = serviceWith();
  const document = documentOf(text);
  const diagnostics = service.validate(document, {}).filter((diagnostic) => diagnostic.code === code);
  assert.ok(diagnostics.length > 0, `no ${code} diagnostic`);
  const actions = service.codeActions(document, diagnostics[0].range, diagnostics.slice(0, 1));
  const titles = actions.map((action) => action.title);
  const chosen = title === undefined ? actions[0] : actions.find((action) => action.title === title);
  if (!chosen) return { titles };
  assert.deepEqual(chosen.diagnostics, diagnostics.slice(0, 1));
  const edits = chosen.edit?.changes?.[document.uri] ?? [];
  return { titles, result: TextDocument.applyEdits(document, edits) };
}

describe('language service: quick fixes', () => {
  const cases: { name: string; text: string; code: string; title?: string; titles: string[]; result: string }[] = [
    {
      name: 'did-you-mean for a misspelt key',
      text: 'steps:\n  - cmd: x\n    entrypoint: sh\n',
      code: 'key-unknown',
      titles: ["Change to 'entryPoint'"],
      result: 'steps:\n  - cmd: x\n    entryPoint: sh\n',
    },
    {
      name: 'volumeMount → volumeMounts',
      text: 'steps:\n  - cmd: x\n    volumeMount: []\n',
      code: 'key-ignored',
      titles: ["Change to 'volumeMounts'"],
      result: 'steps:\n  - cmd: x\n    volumeMounts: []\n',
    },
    {
      name: 'remove a duplicate when entry (flow list)',
      text: 'steps:\n  - {id: a, cmd: x}\n  - {id: b, cmd: x, when: [a, a]}\n',
      code: 'when-duplicate',
      titles: ["Remove the duplicate 'a' from when"],
      result: 'steps:\n  - {id: a, cmd: x}\n  - {id: b, cmd: x, when: [a]}\n',
    },
    {
      name: 'remove a duplicate when entry (block list)',
      text: 'steps:\n  - {id: a, cmd: x}\n  - id: b\n    cmd: x\n    when:\n      - a\n      - a\n    timeout: 5\n',
      code: 'when-duplicate',
      titles: ["Remove the duplicate 'a' from when"],
      result: 'steps:\n  - {id: a, cmd: x}\n  - id: b\n    cmd: x\n    when:\n      - a\n    timeout: 5\n',
    },
    {
      name: "'-' mixed with ids: remove the '-'",
      text: 'steps:\n  - {id: a, cmd: x}\n  - {id: b, cmd: x, when: ["-", a]}\n',
      code: 'when-immediate-mixed',
      title: "Remove '-' (wait for the listed steps)",
      titles: ["Remove '-' (wait for the listed steps)", `Start 'b' immediately: when: ["-"]`],
      result: 'steps:\n  - {id: a, cmd: x}\n  - {id: b, cmd: x, when: [a]}\n',
    },
    {
      name: "'-' mixed with ids: start immediately",
      text: 'steps:\n  - {id: a, cmd: x}\n  - id: b\n    cmd: x\n    when:\n      - a\n      - "-"\n',
      code: 'when-immediate-mixed',
      title: `Start 'b' immediately: when: ["-"]`,
      titles: ["Remove '-' (wait for the listed steps)", `Start 'b' immediately: when: ["-"]`],
      result: 'steps:\n  - {id: a, cmd: x}\n  - id: b\n    cmd: x\n    when: ["-"]\n',
    },
    {
      name: 'declare a missing secret in the existing list',
      text: 'secrets:\n  - id: a\n    keyvault: https://v/secrets/a\nsteps:\n  - cmd: echo {{.Secrets.b}}\n',
      code: 'secret-undeclared',
      titles: ["Declare secret 'b' under secrets:"],
      result:
        'secrets:\n  - id: a\n    keyvault: https://v/secrets/a\n  - id: b\n    keyvault: https://myvault.vault.azure.net/secrets/b\nsteps:\n  - cmd: echo {{.Secrets.b}}\n',
    },
    {
      name: 'declare a missing secret with a new secrets block',
      text: 'version: v1.1.0\nsteps:\n  - cmd: echo {{.Secrets.tok}}\n',
      code: 'secret-undeclared',
      titles: ["Declare secret 'tok' under secrets:"],
      result:
        'version: v1.1.0\nsecrets:\n  - id: tok\n    keyvault: https://myvault.vault.azure.net/secrets/tok\nsteps:\n  - cmd: echo {{.Secrets.tok}}\n',
    },
    {
      name: 'escape a foreign template',
      text: "steps:\n  - cmd: docker ps --format '{{.ID}}'\n",
      code: 'template-foreign',
      titles: ['Escape {{.ID}} so ACR keeps it'],
      result: "steps:\n  - cmd: docker ps --format '{{`{{.ID}}`}}'\n",
    },
    {
      name: 'escape an action that calls a function ACR does not have',
      text: "steps:\n  - cmd: docker inspect --format '{{json .Config}}' x\n",
      code: 'template-error',
      titles: ['Escape {{json .Config}} so ACR keeps it'],
      result: "steps:\n  - cmd: docker inspect --format '{{`{{json .Config}}`}}' x\n",
    },
    {
      name: 'add version v1.1.0 for aliases',
      text: 'steps:\n  - push: [$Registry/app]\n',
      code: 'alias-mode-off',
      titles: ['Add version: v1.1.0 (turns aliases on)'],
      result: 'version: v1.1.0\nsteps:\n  - push: [$Registry/app]\n',
    },
    {
      name: 'set version v1.1.0 for aliases',
      text: '# task\nversion: "V1.1.0"\nsteps:\n  - push: [$Registry/app]\n',
      code: 'alias-mode-off',
      titles: ['Set version: v1.1.0 (turns aliases on)'],
      result: '# task\nversion: "v1.1.0"\nsteps:\n  - push: [$Registry/app]\n',
    },
    {
      name: 'rename a duplicate id',
      text: 'steps:\n  - {id: a, cmd: x}\n  - {id: a_2, cmd: x}\n  - {id: a, cmd: y}\n',
      code: 'step-id-duplicate',
      titles: ["Rename this step to 'a_3'"],
      result: 'steps:\n  - {id: a, cmd: x}\n  - {id: a_2, cmd: x}\n  - {id: a_3, cmd: y}\n',
    },
    {
      name: 'remove a key ignored for the step kind (block)',
      text: 'steps:\n  - build: .\n    entryPoint: sh\n    timeout: 5\n',
      code: 'key-ignored-for-kind',
      titles: ["Remove 'entryPoint' (no effect on a build step)"],
      result: 'steps:\n  - build: .\n    timeout: 5\n',
    },
    {
      name: 'remove a key ignored for the step kind (opening the item)',
      text: 'steps:\n  - pull: true\n    build: .\n',
      code: 'key-ignored-for-kind',
      titles: ["Remove 'pull' (no effect on a build step)"],
      result: 'steps:\n  - build: .\n',
    },
    {
      name: 'remove a key ignored for the step kind (flow)',
      text: 'steps:\n  - {push: [a], env: [A=1]}\n',
      code: 'key-ignored-for-kind',
      titles: ["Remove 'env' (no effect on a push step)"],
      result: 'steps:\n  - {push: [a]}\n',
    },
    {
      name: 'misspelt alias',
      text: 'version: v1.1.0\nsteps:\n  - push: [$Regsitry/app]\n',
      code: 'alias-unknown',
      titles: ["Change to '$Registry'"],
      result: 'version: v1.1.0\nsteps:\n  - push: [$Registry/app]\n',
    },
  ];
  for (const { name, text, code, title, titles, result } of cases) {
    it(name, () => assert.deepEqual(fix(text, code, title), { titles, result }));
  }

  it('ignores diagnostics of other sources and codes without a fix', () => {
    const service = serviceWith();
    const document = documentOf('steps:\n  - {cmd: x, retries: -1}\n');
    const diagnostics = service.validate(document, {});
    assert.deepEqual(service.codeActions(document, diagnostics[0].range, diagnostics), []);
    const foreign = { ...diagnostics[0], source: 'yaml', code: 'key-unknown', data: { replacement: 'x' } };
    assert.deepEqual(service.codeActions(document, foreign.range, [foreign]), []);
  });
});
