import { strict as assert } from 'node:assert';
import { parseTask } from '../../../server/src/task/parse';
import { problemsOfParsedTask, validateTask } from '../../../server/src/task/validate';

function problems(text: string): { code: string; text: string }[] {
  const parsed = parseTask(text);
  return problemsOfParsedTask(parsed, text).map((problem) => ({
    code: problem.code,
    text: text.slice(problem.span.start, problem.span.end),
  }));
}

function codes(text: string): string[] {
  return problems(text).map((problem) => problem.code);
}

describe('task parsing and ACR validation (spec §8, §11)', () => {
  const cases: { name: string; yaml: string; expected: string[] }[] = [
    {
      name: '1 forward reference',
      yaml: 'steps:\n  - {id: a, cmd: alpine true, when: [b]}\n  - {id: b, cmd: alpine true}\n',
      expected: ['when-unknown-step'],
    },
    {
      name: '2 duplicate id',
      yaml: 'steps:\n  - {id: a, cmd: x}\n  - {id: a, cmd: y}\n',
      expected: ['step-id-duplicate'],
    },
    {
      name: '3 explicit id colliding with an auto id',
      yaml: 'steps:\n  - {id: acb_step_1, cmd: alpine true}\n  - cmd: alpine true\n',
      expected: ['step-id-duplicate'],
    },
    { name: '4 reserved id', yaml: 'steps:\n  - {id: acb_root, cmd: x}\n', expected: ['step-id-reserved'] },
    {
      name: '5 immediate mixed with ids',
      yaml: 'steps:\n  - {id: a, cmd: x}\n  - {id: b, cmd: x, when: ["-", a]}\n',
      expected: ['when-immediate-mixed'],
    },
    { name: '6 self dependency', yaml: 'steps:\n  - {id: a, cmd: x, when: [a]}\n', expected: ['when-self'] },
    {
      name: '8 empty when list is valid',
      yaml: 'steps:\n  - {id: a, cmd: x}\n  - {id: b, cmd: x, when: []}\n',
      expected: [],
    },
    {
      name: '9 duplicate when entry',
      yaml: 'steps:\n  - {id: a, cmd: x}\n  - {id: b, cmd: x, when: [a, a]}\n',
      expected: ['when-duplicate'],
    },
    { name: '12 unknown version', yaml: 'version: v2.0.0\nsteps: []\n', expected: ['version-invalid'] },
    { name: '11 version case-insensitive', yaml: 'version: V1.1.0\n', expected: [] },
    {
      name: '16 negative retries and repeat',
      yaml: 'steps:\n  - {cmd: x, retries: -1, repeat: -1}\n',
      expected: ['step-retries-negative', 'step-repeat-negative'],
    },
    { name: '17 quoted int is a type error', yaml: 'steps:\n  - {cmd: x, timeout: "10"}\n', expected: ['yaml-type'] },
    { name: '17 float int is truncated', yaml: 'steps:\n  - {cmd: x, timeout: 1.5}\n', expected: [] },
    {
      name: '18 comma in task env',
      yaml: 'env: ["LIST=a,b"]\nsteps: [{cmd: alpine env}]\n',
      expected: ['env-invalid'],
    },
    { name: '18 comma in step env is fine', yaml: 'steps: [{cmd: alpine env, env: ["LIST=a,b"]}]\n', expected: [] },
    { name: '19 step env without = and no task env', yaml: 'steps: [{cmd: x, env: [FOO]}]\n', expected: [] },
    {
      name: '19 step env without = with task env',
      yaml: 'env: [A=1]\nsteps: [{cmd: x, env: [FOO]}]\n',
      expected: ['env-invalid'],
    },
    { name: '21 cache yes invalid', yaml: 'steps: [{cmd: x, cache: "yes"}]\n', expected: ['cache-invalid'] },
    { name: '21 cache ENABLED on cmd valid', yaml: 'steps: [{cmd: x, cache: ENABLED}]\n', expected: [] },
    {
      name: '22 scalar when',
      yaml: 'steps:\n  - {id: step1, cmd: x}\n  - {cmd: x, when: step1}\n',
      expected: ['yaml-type'],
    },
    {
      name: '23 unknown keys are not ACR errors',
      yaml: 'totalTimeout: 100\nsteps:\n  - cmd: x\n    volumeMount: [{name: v, mountPath: /v}]\n',
      expected: [],
    },
    { name: '24 empty file', yaml: '', expected: [] },
    { name: '24 steps without items', yaml: 'steps:\n', expected: [] },
    { name: '25 no step kind', yaml: 'steps:\n  - {}\n', expected: ['step-kind-missing'] },
    { name: '25 empty push is no kind', yaml: 'steps:\n  - {id: x, push: []}\n', expected: ['step-kind-missing'] },
    { name: '25 two kinds', yaml: 'steps:\n  - {cmd: a, build: .}\n', expected: ['step-kind-multiple'] },
    { name: '26 whitespace in id', yaml: 'steps:\n  - {id: "a b", cmd: x}\n', expected: ['step-id-whitespace'] },
    { name: '26 slash in id passes', yaml: 'steps:\n  - {id: my/step, cmd: x}\n', expected: [] },
    {
      name: '42 mount rules',
      yaml: 'volumes:\n  - {name: v, secret: {a: YQ==}}\n  - {name: "v 1", secret: {"a/b": YQ==}}\n  - {name: w}\nsteps:\n  - {push: [x], volumeMounts: [{name: v, mountPath: /a}]}\n  - {cmd: x, volumeMounts: [{name: nope, mountPath: /a}, {name: v, mountPath: /a}]}\n  - {cmd: x, volumeMounts: [{name: v, mountPath: /a}, {name: v, mountPath: /b}]}\n',
      expected: [
        'volume-name-invalid',
        'volume-file-name-invalid',
        'volume-source-missing',
        'mount-unknown-volume',
        'mount-on-push',
        'mount-path-duplicate',
      ],
    },
    {
      name: '43 secret rules',
      yaml: 'secrets:\n  - {id: a}\n  - {id: b, keyvault: https://v.vault.azure.net/secrets/b, clientID: not-a-guid}\n  - {id: b, keyvault: https://v.vault.azure.net/secrets/c, clientID: 0b2e2cb0-8e8e-4a9a-9d1d-1c2f3a4b5c6d}\n',
      expected: ['secret-keyvault-missing', 'secret-clientid-invalid', 'secret-duplicate'],
    },
    { name: 'YAML syntax error', yaml: 'steps:\n  - cmd: [\n', expected: ['yaml-syntax'] },
  ];
  for (const testCase of cases) {
    it(testCase.name, () => {
      assert.deepEqual(codes(testCase.yaml).sort(), [...testCase.expected].sort());
    });
  }

  it('points a when problem at the list item, and names the later step', () => {
    const yaml = 'steps:\n  - {id: a, cmd: x, when: [b]}\n  - {id: b, cmd: x}\n';
    const [problem] = problems(yaml);
    assert.deepEqual(problem, { code: 'when-unknown-step', text: 'b' });
    const parsed = parseTask(yaml);
    const message = validateTask(parsed.task, yaml)[0].message;
    assert.match(message, /\[from: b, to: a\]/);
    assert.match(message, /defined earlier/);
  });

  it('points the second duplicate when entry at its own occurrence', () => {
    const yaml = 'steps:\n  - {id: a, cmd: x}\n  - {id: b, cmd: x, when: [a, a]}\n';
    const parsed = parseTask(yaml);
    const [problem] = validateTask(parsed.task, yaml);
    assert.equal(problem.span.start, yaml.lastIndexOf('a]'));
  });

  it('applies defaults (edge case 15)', () => {
    const { task } = parseTask(
      'stepTimeout: -3\nsteps:\n  - {cmd: alpine true, timeout: 0, retryDelay: -1}\n  - {cmd: alpine true, timeout: 30, retryDelay: 2}\n',
    );
    assert.deepEqual(
      task.steps.map((step) => [step.id, step.timeout, step.retryDelay]),
      [
        ['acb_step_0', 600, 5],
        ['acb_step_1', 30, 2],
      ],
    );
    assert.equal(task.stepTimeout, 600);
  });

  it('decodes YAML 1.1 scalars like yaml.v2 (yes booleans, octal ints, scalars into strings)', () => {
    const { task, diagnostics } = parseTask('steps:\n  - {cmd: x, detach: yes, startDelay: 010, user: 1000}\n');
    assert.deepEqual(diagnostics, []);
    const step = task.steps[0];
    assert.deepEqual([step.detach, step.startDelay, step.user], [true, 8, '1000']);
  });

  it('lets the last duplicate key win, as yaml.v2 does', () => {
    const { task } = parseTask('steps:\n  - {cmd: x, timeout: 5, timeout: 7}\n');
    assert.equal(task.steps[0].timeout, 7);
  });

  it('reads the undocumented but effective keys (edge case 50)', () => {
    const { task } = parseTask('isbuildtask: true\nsteps:\n  - {build: -t a .,  tags: [zzz], cpus: "2"}\n');
    assert.equal(task.isBuildTask, true);
    assert.deepEqual(task.steps[0].tags, ['zzz']);
    assert.equal(task.steps[0].cpus, '2');
  });

  it('does not type-check values that overlap a masked template', () => {
    const yaml = 'steps:\n  - {cmd: x, timeout: ________}\n';
    const start = yaml.indexOf('_');
    const parsed = parseTask(yaml, { templateSpans: [{ start, end: start + 8 }] });
    assert.deepEqual(parsed.diagnostics, []);
  });

  it('never throws on a non-mapping document', () => {
    for (const text of ['- a\n- b\n', 'just text', '[', '{a: [}', '\t\tsteps:']) {
      assert.doesNotThrow(() => validateTask(parseTask(text).task, text));
    }
  });
});
