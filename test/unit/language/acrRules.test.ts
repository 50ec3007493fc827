/**
 * Spec §11 edge cases that concern validation, through the service's validate(): ACR's own rules with
 * stable codes, exact ranges (asserted as the covered text) and one source name.
 */
import { strict as assert } from 'node:assert';
import { type Problem, validate } from './harness';

const error = (code: string, text: string): Problem => ({ code, severity: 'error', text });
const warning = (code: string, text: string): Problem => ({ code, severity: 'warning', text });

describe('language service: ACR validation rules (spec §8, §11)', () => {
  const cases: { name: string; yaml: string; expected: Problem[] }[] = [
    {
      name: '1 forward reference',
      yaml: 'steps:\n  - {id: a, cmd: alpine true, when: [b]}\n  - {id: b, cmd: alpine true}\n',
      expected: [error('when-unknown-step', 'b')],
    },
    {
      name: '2 duplicate id',
      yaml: 'steps:\n  - {id: a, cmd: x}\n  - {id: a, cmd: y}\n',
      expected: [error('step-id-duplicate', 'a')],
    },
    {
      name: '3 explicit id colliding with an auto id',
      yaml: 'steps:\n  - {id: acb_step_1, cmd: alpine true}\n  - cmd: alpine true\n',
      expected: [error('step-id-duplicate', 'cmd: alpine true\n')],
    },
    {
      name: '4 reserved id',
      yaml: 'steps:\n  - {id: acb_root, cmd: x}\n',
      expected: [error('step-id-reserved', 'acb_root')],
    },
    {
      name: '5 immediate token mixed with ids',
      yaml: 'steps:\n  - {id: a, cmd: x}\n  - {id: b, cmd: x, when: ["-", a]}\n',
      expected: [error('when-immediate-mixed', '["-", a]')],
    },
    {
      name: '6 self dependency',
      yaml: 'steps:\n  - {id: a, cmd: x, when: [a]}\n',
      expected: [error('when-self', '[a]')],
    },
    { name: '8 empty when list', yaml: 'steps:\n  - {id: a, cmd: x}\n  - {id: b, cmd: x, when: []}\n', expected: [] },
    {
      name: '9 duplicate when entry (ACR would hang)',
      yaml: 'steps:\n  - {id: a, cmd: alpine true}\n  - {id: b, cmd: alpine true, when: [a, a]}\n',
      expected: [error('when-duplicate', 'a')],
    },
    {
      name: '12 unknown version',
      yaml: 'version: v2.0.0\nsteps: []\n',
      expected: [error('version-invalid', 'v2.0.0')],
    },
    {
      name: '15 timeout and retryDelay defaults are valid',
      yaml: 'stepTimeout: -3\nsteps:\n  - {cmd: alpine true, timeout: 0, retryDelay: -1}\n  - {cmd: alpine true, timeout: 30, retryDelay: 2}\n',
      expected: [],
    },
    {
      name: '16 negative retries and repeat',
      yaml: 'steps:\n  - {cmd: x, retries: -1, repeat: -1}\n',
      expected: [error('step-retries-negative', '-1'), error('step-repeat-negative', '-1')],
    },
    {
      name: '17 quoted int is a type error',
      yaml: 'steps:\n  - {cmd: x, timeout: "10"}\n',
      expected: [error('yaml-type', '"10"')],
    },
    { name: '17 float int is accepted', yaml: 'steps:\n  - {cmd: x, timeout: 1.5}\n', expected: [] },
    {
      name: '18 comma in task env',
      yaml: 'env: ["LIST=a,b"]\nsteps: [{cmd: alpine env}]\n',
      expected: [error('env-invalid', '["LIST=a,b"]')],
    },
    { name: '18 comma in step env is fine', yaml: 'steps: [{cmd: alpine env, env: ["LIST=a,b"]}]\n', expected: [] },
    { name: '19 env without = and no task env', yaml: 'steps:\n  - {cmd: alpine env, env: [FOO]}\n', expected: [] },
    {
      name: '19 env without = once a task env exists',
      yaml: 'env: [A=1]\nsteps:\n  - {cmd: alpine env, env: [FOO]}\n',
      expected: [error('env-invalid', '[FOO]')],
    },
    {
      name: '21 cache "yes"',
      yaml: 'steps:\n  - {build: ., cache: "yes"}\n',
      expected: [error('cache-invalid', '"yes"')],
    },
    {
      name: '21 cache ENABLED on a cmd step is accepted (only warned: no effect there)',
      yaml: 'steps:\n  - {cmd: x, cache: ENABLED}\n',
      expected: [warning('key-ignored-for-kind', 'cache')],
    },
    {
      name: '22 scalar when',
      yaml: 'steps:\n  - {id: a, cmd: x}\n  - {cmd: y, when: a}\n',
      expected: [error('yaml-type', 'a')],
    },
    {
      name: '23 unknown and ignored keys are warnings, not errors',
      yaml: 'totalTimeout: 100\nsteps:\n  - cmd: alpine ls /run/v\n    volumeMount: [{name: v, mountPath: /run/v}]\n',
      expected: [warning('key-ignored', 'totalTimeout'), warning('key-ignored', 'volumeMount')],
    },
    {
      name: '25 no step kind / push: [] / two kinds',
      yaml: 'steps:\n  - {}\n  - {id: x, push: []}\n  - {cmd: a, build: .}\n',
      expected: [
        error('step-kind-missing', '{}'),
        error('step-kind-missing', '{id: x, push: []}'),
        error('step-kind-multiple', 'build'),
      ],
    },
    {
      name: '26 whitespace in id',
      yaml: 'steps:\n  - {id: "a b", cmd: x}\n',
      expected: [error('step-id-whitespace', '"a b"')],
    },
    { name: '26 slash in id passes', yaml: 'steps:\n  - {id: my/step, cmd: x}\n', expected: [] },
    {
      name: '27 push normalization is valid',
      yaml: 'steps:\n  - push: ["img", "img:latest", "localhost:5000/img", "reg.io/a/b", "reg.io/x@sha256:abc"]\n',
      expected: [],
    },
    {
      name: '28 tag and build-arg extraction is valid',
      yaml: 'steps:\n  - build: --tag=a:1 -t b:2 --tag c:3 -t "d:4" --build-arg X=1 --build-arg=Y=2 .\n',
      expected: [],
    },
    {
      name: '31 alias key with a dash',
      yaml: 'version: v1.1.0\nalias:\n  values:\n    my-repo: x\nsteps:\n  - cmd: bash echo hi\n',
      expected: [error('alias-key-invalid', 'my-repo')],
    },
    {
      name: '31 two-character directive',
      yaml: 'version: v1.1.0\nalias:\n  directive: "ab"\nsteps:\n  - cmd: bash echo hi\n',
      expected: [error('alias-directive-invalid', '"ab"')],
    },
    {
      name: '31 alphanumeric directive',
      yaml: 'version: v1.1.0\nalias:\n  directive: "a"\nsteps:\n  - cmd: bash echo hi\n',
      expected: [error('alias-directive-invalid', '"a"')],
    },
    {
      name: '42 mount rules',
      yaml: [
        'volumes:',
        '  - {name: v, secret: {a.txt: eA==}}',
        '  - {name: "v 1", secret: {"a/b": eA==}}',
        '  - {name: w}',
        'steps:',
        '  - {push: [img], volumeMounts: [{name: v, mountPath: /a}]}',
        '  - {cmd: x, volumeMounts: [{name: nope, mountPath: /a}]}',
        '  - {cmd: x, volumeMounts: [{name: v, mountPath: /a}, {name: v, mountPath: /a}]}',
        '  - {cmd: x, volumeMounts: [{name: v, mountPath: /a}, {name: v, mountPath: /b}]}',
        '',
      ].join('\n'),
      expected: [
        error('volume-name-invalid', '"v 1"'),
        error('volume-file-name-invalid', '{"a/b": eA==}'),
        error('volume-source-missing', '{name: w}'),
        error('mount-unknown-volume', '{name: nope, mountPath: /a}'),
        error('mount-on-push', 'volumeMounts'),
        error('mount-path-duplicate', '{name: v, mountPath: /a}'),
      ],
    },
    {
      name: '43 secret rules',
      yaml: [
        'secrets:',
        '  - {id: a}',
        '  - {id: b, keyvault: "https://v.vault.azure.net/secrets/b", clientID: not-a-guid}',
        '  - {id: b, keyvault: "https://v.vault.azure.net/secrets/c"}',
        'steps: [{cmd: x}]',
        '',
      ].join('\n'),
      expected: [
        error('secret-keyvault-missing', '{id: a}'),
        error('secret-clientid-invalid', 'not-a-guid'),
        error('secret-duplicate', 'b'),
      ],
    },
  ];
  for (const { name, yaml, expected } of cases) {
    it(name, () => {
      assert.deepEqual(validate(yaml), expected);
    });
  }

  it('reports every problem at once, not only the first as acb does', () => {
    const problems = validate(
      'version: v9\nsteps:\n  - {id: acb_root, cmd: x, retries: -1}\n  - {cmd: y, when: [nope]}\n',
    );
    assert.deepEqual(
      problems.map((problem) => problem.code),
      ['version-invalid', 'step-retries-negative', 'step-id-reserved', 'when-unknown-step'],
    );
  });

  it('an empty or comment-only file is valid', () => {
    assert.deepEqual(validate(''), []);
    assert.deepEqual(validate('# just a comment\n'), []);
  });
});
