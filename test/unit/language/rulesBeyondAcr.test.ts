/**
 * The rules beyond ACR (server/src/language/rules/): what ACR ignores, hangs on, or only finds at
 * run time, each with its stable code, severity and exact range.
 */
import { strict as assert } from 'node:assert';
import type { LanguageSettings } from '../../../server/src/language';
import { type Problem, validate } from './harness';

const error = (code: string, text: string): Problem => ({ code, severity: 'error', text });
const warning = (code: string, text: string): Problem => ({ code, severity: 'warning', text });
const information = (code: string, text: string): Problem => ({ code, severity: 'information', text });

interface Case {
  name: string;
  yaml: string;
  expected: Problem[];
  settings?: LanguageSettings;
  files?: Record<string, string>;
}

function table(title: string, cases: Case[]): void {
  describe(title, () => {
    for (const { name, yaml, expected, settings, files } of cases) {
      it(name, () => assert.deepEqual(validate(yaml, settings, files), expected));
    }
  });
}

describe('language service: rules beyond ACR', () => {
  table('unknown and ignored keys (key-unknown, key-ignored)', [
    {
      name: 'misspelt step key',
      yaml: 'steps:\n  - cmd: x\n    entrypoint: sh\n',
      expected: [warning('key-unknown', 'entrypoint')],
    },
    {
      name: 'misspelt top-level key',
      yaml: 'stepTimout: 10\nsteps: []\n',
      expected: [warning('key-unknown', 'stepTimout')],
    },
    {
      name: 'unknown secret key',
      yaml: 'secrets:\n  - {id: a, keyvault: u, client: x}\n',
      expected: [warning('key-unknown', 'client')],
    },
    {
      name: 'unknown mount key',
      yaml: 'volumes: [{name: v, secret: {a: eA==}}]\nsteps:\n  - cmd: x\n    volumeMounts: [{name: v, path: /a}]\n',
      expected: [error('mount-incomplete', '{name: v, path: /a}'), warning('key-unknown', 'path')],
    },
    {
      name: 'volumeMount (singular) is ignored',
      yaml: 'steps:\n  - cmd: x\n    volumeMount: []\n',
      expected: [warning('key-ignored', 'volumeMount')],
    },
    {
      name: 'step secret is ignored',
      yaml: 'steps:\n  - cmd: x\n    secret: s\n',
      expected: [warning('key-ignored', 'secret')],
    },
    {
      name: 'known keys are quiet',
      yaml: 'version: v1.1.0\nstepTimeout: 10\nsteps:\n  - {id: a, cmd: x, timeout: 5, retries: 1, retryDelay: 2, keep: true}\n',
      expected: [],
    },
    { name: 'templated keys are not judged', yaml: 'steps:\n  - cmd: x\n    {{.Values.k}}: 1\n', expected: [] },
  ]);

  it('key-unknown carries the did-you-mean and totalTimeout explains the run timeout', () => {
    const text = validate('totalTimeout: 100\nsteps:\n  - cmd: x\n    volumeMount: []\n');
    assert.deepEqual(
      text.map((problem) => problem.code),
      ['key-ignored', 'key-ignored'],
    );
  });

  table('keys ignored for the step kind (key-ignored-for-kind)', [
    {
      name: 'entryPoint and pull on a build step',
      yaml: 'steps:\n  - build: .\n    entryPoint: sh\n    pull: true\n',
      expected: [warning('key-ignored-for-kind', 'entryPoint'), warning('key-ignored-for-kind', 'pull')],
    },
    {
      name: 'env, retries, repeat, detach on a push step',
      yaml: 'steps:\n  - push: [img]\n    env: [A=1]\n    retries: 2\n    repeat: 1\n    detach: true\n    timeout: 60\n',
      expected: [
        warning('key-ignored-for-kind', 'env'),
        warning('key-ignored-for-kind', 'retries'),
        warning('key-ignored-for-kind', 'repeat'),
        warning('key-ignored-for-kind', 'detach'),
      ],
    },
    {
      name: 'the same keys on a cmd step are used',
      yaml: 'steps:\n  - cmd: x\n    entryPoint: sh\n    pull: true\n    env: [A=1]\n',
      expected: [],
    },
    {
      name: 'no kind: nothing to judge',
      yaml: 'steps:\n  - entryPoint: sh\n',
      expected: [error('step-kind-missing', 'entryPoint: sh\n')],
    },
  ]);

  table('aliases', [
    {
      name: '$Registry without version v1.1.0',
      yaml: 'steps:\n  - push: [$Registry/app:$ID]\n',
      expected: [warning('alias-mode-off', '$Registry'), warning('alias-mode-off', '$ID')],
    },
    {
      name: 'V1.1.0 (capital V) leaves aliases off',
      yaml: 'version: V1.1.0\nsteps:\n  - cmd: alpine echo $Date\n',
      expected: [warning('alias-mode-off', '$Date'), information('cmd-shell-variable', '$Date')],
    },
    {
      name: 'alias block in v1.0.0',
      yaml: 'version: v1.0.0\nalias:\n  values: {repo: r}\nsteps:\n  - push: [$repo/app]\n',
      expected: [warning('alias-mode-off', 'alias'), warning('alias-mode-off', '$repo')],
    },
    { name: 'aliases on: quiet', yaml: 'version: v1.1.0\nsteps:\n  - push: [$Registry/app:$ID]\n', expected: [] },
    {
      name: 'a misspelt alias in alias mode',
      yaml: 'version: v1.1.0\nsteps:\n  - push: [$Regsitry/app]\n  - cmd: bash echo $id\n',
      expected: [information('alias-unknown', '$Regsitry'), information('alias-unknown', '$id')],
    },
    {
      name: 'unknown names unlike any alias are left alone outside cmd',
      yaml: 'version: v1.1.0\nsteps:\n  - push: [$zzz/app]\n',
      expected: [],
    },
    {
      name: 'user aliases count',
      yaml: 'version: v1.1.0\nalias:\n  values:\n    repo: myrepo\nsteps:\n  - push: [$repo/app, $rep/app]\n',
      expected: [information('alias-unknown', '$rep')],
    },
    {
      name: 'an alias src file that is missing',
      yaml: 'version: v1.1.0\nalias:\n  src:\n    - ./missing.yaml\nsteps:\n  - cmd: bash echo\n',
      expected: [error('alias-src-failed', './missing.yaml')],
    },
    {
      name: 'an alias src file that exists defines names',
      yaml: 'version: v1.1.0\nalias:\n  src:\n    - ./aliases.yaml\nsteps:\n  - push: [$tool]\n',
      files: { 'aliases.yaml': 'tool: mcr.microsoft.com/tool:1\n' },
      expected: [],
    },
  ]);

  table('template data', [
    {
      name: 'undeclared secret',
      yaml: 'secrets:\n  - {id: pw, keyvault: "https://v.vault.azure.net/secrets/pw"}\nsteps:\n  - cmd: alpine echo {{.Secrets.pw}} {{.Secrets.token}}\n',
      expected: [error('secret-undeclared', '.Secrets.token')],
    },
    {
      name: 'values missing from the values file (warning) and --set keys count',
      yaml: 'steps:\n  - cmd: alpine echo {{.Values.a}} {{.Values.b}} {{.Values.c}}\n',
      settings: { valuesFile: 'values.yaml', set: ['c=1'] },
      files: { 'values.yaml': 'a: 1\n' },
      expected: [warning('value-missing', '.Values.b')],
    },
    {
      name: 'no values file selected: no values warnings',
      yaml: 'steps:\n  - cmd: alpine echo {{.Values.b}} {{.Values.x.y}}\n',
      expected: [],
    },
    {
      name: 'nested value whose parent is missing fails ACR (error)',
      yaml: 'steps:\n  - cmd: alpine echo {{.Values.cfg.port}}\n',
      settings: { valuesFile: 'values.yaml' },
      files: { 'values.yaml': 'a: 1\n' },
      expected: [error('value-nested', '.Values.cfg.port')],
    },
    {
      name: 'foreign template in a cmd',
      yaml: "steps:\n  - cmd: docker ps --format '{{.ID}}'\n",
      expected: [warning('template-foreign', '{{.ID}}')],
    },
    {
      name: 'escaped foreign template is fine',
      yaml: "steps:\n  - cmd: docker ps --format '{{`{{.ID}}`}}'\n",
      expected: [],
    },
  ]);

  table('the agent shell (cmd-shell-variable, cmd-shell-operator)', [
    {
      name: '$HOME in a v1.0.0 cmd',
      yaml: 'steps:\n  - cmd: alpine echo $HOME ${USER}\n',
      expected: [information('cmd-shell-variable', '$HOME'), information('cmd-shell-variable', '${USER}')],
    },
    {
      name: 'single-quoted sh -c is the container',
      yaml: "steps:\n  - cmd: alpine sh -c 'echo $HOME'\n",
      expected: [],
    },
    {
      name: 'double quotes are still the agent',
      yaml: 'steps:\n  - cmd: \'alpine sh -c "echo $HOME"\'\n',
      expected: [information('cmd-shell-variable', '$HOME')],
    },
    {
      name: 'known aliases are substituted first',
      yaml: 'version: v1.1.0\nsteps:\n  - cmd: bash echo $ID $$OS $HOME\n',
      expected: [information('cmd-shell-variable', '$OS'), information('cmd-shell-variable', '$HOME')],
    },
    {
      name: 'pipes, && and redirections',
      yaml: 'steps:\n  - cmd: alpine ls | grep x && echo done > out.txt\n',
      expected: [
        warning('cmd-shell-operator', '|'),
        warning('cmd-shell-operator', '&&'),
        warning('cmd-shell-operator', '>'),
      ],
    },
    {
      name: 'edge case 30: what reaches the shell after escapes and chaining',
      yaml: 'version: v1.1.0\nalias:\n  values:\n    repo: myrepo\nsteps:\n  - cmd: bash echo $repo $$repo $$$repo $repo$repo $repo-x ${repo} $$ $unknown$repo\n',
      expected: [
        information('cmd-shell-variable', '$repo'),
        information('cmd-shell-variable', '$$repo'),
        information('cmd-shell-variable', '${repo}'),
        information('cmd-shell-variable', '$unknown'),
        information('cmd-shell-variable', '$repo'),
      ],
    },
    {
      name: 'edge case 51: with directive "#", YAML reads the rest of the cmd as a comment',
      yaml: 'version: v1.1.0\nalias:\n  directive: "#"\n  values: {repo: myrepo}\nsteps:\n  - cmd: bash echo #repo #ID #unknown tail $ID\n',
      expected: [],
    },
    {
      name: 'operators inside quotes are arguments',
      yaml: "steps:\n  - cmd: alpine sh -c 'ls | grep x; echo'\n",
      expected: [],
    },
    {
      name: 'a block scalar maps back exactly',
      yaml: 'steps:\n  - cmd: >\n      alpine ls\n      ; echo\n',
      expected: [warning('cmd-shell-operator', ';')],
    },
  ]);
});
