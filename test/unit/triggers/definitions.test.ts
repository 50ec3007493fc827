/**
 * The task definitions file: reading it with ACR's defaults (§10.1), located problems, and the edits
 * behind `task create`/`update`/`delete` (comments kept, invalid results refused).
 */
import { deepStrictEqual, ok, strictEqual } from 'node:assert';

import {
  createTaskDefinition,
  deleteTaskDefinition,
  updateTaskDefinition,
} from '../../../server/src/task/definitions/editDefinitions';
import { DEFINITIONS_FILE_NAME, isTaskFilePath } from '../../../server/src/task/definitions/model';
import { TASK_DEFINITIONS_FILE_NAME } from '../../../server/src/protocol';
import { parseDefinitions } from '../../../server/src/task/definitions/parseDefinitions';

/** `[code, the text the diagnostic covers]` for each problem. */
function problems(text: string): [string, string][] {
  return parseDefinitions(text).diagnostics.map((problem) => [
    problem.code,
    text.slice(problem.span.start, problem.span.end),
  ]);
}

describe('task definitions: reading the file', () => {
  it('applies ACR defaults: context ., timeout 3600, Enabled, commit and base-image (Runtime) triggers on', () => {
    const parsed = parseDefinitions('version: v1\ntasks:\n  app:\n    file: acr-task.yaml\n');
    deepStrictEqual(parsed.diagnostics, []);
    deepStrictEqual(parsed.tasks, [
      {
        name: 'app',
        file: 'acr-task.yaml',
        kind: 'taskFile',
        context: '.',
        images: [],
        set: [],
        timeoutSeconds: 3600,
        status: 'Enabled',
        triggers: {
          commit: { enabled: true },
          baseImage: { enabled: true, type: 'Runtime' },
          schedules: [],
        },
        span: { start: 21, end: 24 },
      },
    ]);
  });

  it('reads every key, a Dockerfile task with images, and normalised cron schedules', () => {
    const text = [
      'tasks:',
      '  base:',
      '    file: base/Dockerfile',
      '    context: src',
      '    images: ["127.0.0.1:5000/base:latest", "base:{{.Run.ID}}"]',
      '    registry: 127.0.0.1:5000',
      '    set: [a=1, b=]',
      '    timeout: 600',
      '    status: disabled',
      '    triggers:',
      '      commit: {enabled: false, branch: main}',
      '      baseImage: {type: All}',
      '      schedules:',
      '        nightly: "0  2 * * *"',
      '        weekly: "0 3 * * SUN"',
    ].join('\n');
    const parsed = parseDefinitions(text);
    deepStrictEqual(parsed.diagnostics, []);
    deepStrictEqual(
      parsed.tasks.map(({ span: _span, ...task }) => task),
      [
        {
          name: 'base',
          file: 'base/Dockerfile',
          kind: 'dockerfile',
          context: 'src',
          images: ['127.0.0.1:5000/base:latest', 'base:{{.Run.ID}}'],
          registry: '127.0.0.1:5000',
          set: ['a=1', 'b='],
          timeoutSeconds: 600,
          status: 'Disabled',
          triggers: {
            commit: { enabled: false, branch: 'main' },
            baseImage: { enabled: true, type: 'All' },
            schedules: [
              { name: 'nightly', cron: '0 2 * * *' },
              { name: 'weekly', cron: '0 3 * * SUN' },
            ],
          },
        },
      ],
    );
  });

  const invalid: [string, string, [string, string][]][] = [
    ['an empty file', '', []],
    ['a YAML syntax error', 'tasks:\n  app: [\n', [['definitions-yaml-syntax', '']]],
    ['a missing file', 'tasks:\n  app:\n    context: .\n', [['definitions-file-missing', 'app']]],
    ['an empty task', 'tasks:\n  app:\n', [['definitions-file-missing', 'app']]],
    ['a bad task name', 'tasks:\n  "a b":\n    file: x.yaml\n', [['definitions-task-name', '"a b"']]],
    ['an unknown key', 'tasks:\n  app:\n    file: x.yaml\n    imgs: []\n', [['definitions-unknown-key', 'imgs']]],
    ['a wrong type', 'tasks:\n  app:\n    file: [x]\n', [['definitions-type', '[x]']]],
    ['a bad timeout', 'tasks:\n  app:\n    file: x.yaml\n    timeout: "60"\n', [['definitions-type', '"60"']]],
    [
      'a bad enum',
      'tasks:\n  app:\n    file: x.yaml\n    triggers: {baseImage: {type: Build}}\n',
      [['definitions-enum', 'Build']],
    ],
    [
      'a bad set item',
      'tasks:\n  app:\n    file: x.yaml\n    set: [novalue]\n',
      [['definitions-set-format', 'novalue']],
    ],
    [
      'a bad cron',
      'tasks:\n  app:\n    file: x.yaml\n    triggers: {schedules: {t1: "* * *"}}\n',
      [['definitions-cron', '"* * *"']],
    ],
    [
      'two timers with one schedule',
      'tasks:\n  app:\n    file: x.yaml\n    triggers:\n      schedules: {a: "0 1 * * *", b: "0 1 * * *"}\n',
      [['definitions-schedule-duplicate', '"0 1 * * *"']],
    ],
    [
      'images on a task file (a warning)',
      'tasks:\n  app:\n    file: x.yaml\n    images: [a]\n',
      [['definitions-images-task-file', 'images']],
    ],
    ['an unsupported version', 'version: v9\ntasks: {}\n', [['definitions-version', 'v9']]],
    ['a list instead of a mapping', '- app\n', [['definitions-type', '- app\n']]],
  ];
  for (const [name, text, expected] of invalid) {
    it(`reports ${name}`, () => deepStrictEqual(problems(text), expected));
  }

  it('leaves tasks with errors out, keeps the others', () => {
    const parsed = parseDefinitions('tasks:\n  bad:\n    file: x.yaml\n    timeout: -1\n  good:\n    file: y.yaml\n');
    deepStrictEqual(
      parsed.tasks.map((task) => task.name),
      ['good'],
    );
  });

  it('names the file as the protocol tells the client', () => {
    strictEqual(DEFINITIONS_FILE_NAME, TASK_DEFINITIONS_FILE_NAME);
  });

  it('takes -f extensions as az does: YAML and script names are task files, anything else a Dockerfile', () => {
    deepStrictEqual(
      ['acr-task.yaml', 'a.YML', 'x.json', 'Dockerfile', 'app.dockerfile', 'Dockerfile.prod'].map(isTaskFilePath),
      [true, true, true, false, false, false],
    );
  });
});

describe('task definitions: create, update, delete', () => {
  it('creates the file with a header, version and the given flags', () => {
    const edit = createTaskDefinition('', 'app', {
      file: 'acr-task.yaml',
      context: 'app',
      set: ['a=1'],
      branch: 'main',
      schedules: [{ cron: '0 2 * * *' }, { name: 'weekly', cron: '0 3 * * 0' }],
    });
    ok(edit.ok);
    strictEqual(
      edit.text,
      [
        '# Task definitions for ACR Tasks Local (like `az acr task create`): see `acr-tasks task --help`.',
        'version: v1',
        'tasks:',
        '  app:',
        '    file: acr-task.yaml',
        '    context: app',
        '    set:',
        '      - a=1',
        '    triggers:',
        '      commit:',
        '        branch: main',
        '      schedules:',
        '        t1: 0 2 * * *',
        '        weekly: 0 3 * * 0',
        '',
      ].join('\n'),
    );
    strictEqual(parseDefinitions(edit.text).tasks[0]?.triggers.schedules.length, 2);
  });

  it('refuses a second task of the same name, a missing --file, and an invalid result', () => {
    const text = 'tasks:\n  app:\n    file: a.yaml\n';
    deepStrictEqual(createTaskDefinition(text, 'app', { file: 'b.yaml' }), {
      ok: false,
      errors: ['task app already exists; use `task update`'],
    });
    deepStrictEqual(createTaskDefinition(text, 'web', {}), { ok: false, errors: ['--file is required'] });
    deepStrictEqual(createTaskDefinition(text, 'bad name', { file: 'b.yaml' }), {
      ok: false,
      errors: ['task name `bad name`: 1-50 letters, digits, - and _'],
    });
    deepStrictEqual(createTaskDefinition(text, 'web', { file: 'b.yaml', schedules: [{ cron: '* *' }] }), {
      ok: false,
      errors: [
        '--schedule * *: a schedule has 5 fields (minute hour day-of-month month day-of-week, UTC), got 2: `* *`',
      ],
    });
  });

  it('updates only what is given and keeps comments', () => {
    const text = '# mine\ntasks:\n  app:\n    file: a.yaml # the task\n    timeout: 60\n';
    const edit = updateTaskDefinition(text, 'app', {
      timeoutSeconds: 120,
      baseImageTriggerType: 'All',
      schedules: [{ cron: '0 1 * * *' }],
    });
    ok(edit.ok);
    strictEqual(
      edit.text,
      '# mine\ntasks:\n  app:\n    file: a.yaml # the task\n    timeout: 120\n    triggers:\n      baseImage:\n        type: All\n      schedules:\n        t1: 0 1 * * *\n',
    );
    deepStrictEqual(updateTaskDefinition(text, 'web', {}), { ok: false, errors: ['no task named web'] });
  });

  it('deletes a task', () => {
    const edit = deleteTaskDefinition('tasks:\n  a:\n    file: a.yaml\n  b:\n    file: b.yaml\n', 'a');
    deepStrictEqual(edit, { ok: true, text: 'tasks:\n  b:\n    file: b.yaml\n' });
    deepStrictEqual(deleteTaskDefinition('tasks: {}\n', 'a'), { ok: false, errors: ['no task named a'] });
  });
});
