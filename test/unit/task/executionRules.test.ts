import { strict as assert } from 'node:assert';
import { parseDockerBuildCommand, readBuildStringAsAcb } from '../../../server/src/task/buildCommand';
import { buildTaskGraph } from '../../../server/src/task/graph';
import { parseTask } from '../../../server/src/task/parse';
import { cleanPath } from '../../../server/src/task/goPath';
import {
  mergeStepEnv,
  normalizePushImages,
  resolveTaskNetworks,
  stepWorkingDirectory,
} from '../../../server/src/task/stepSettings';

describe('execution rules shared by the engine and the editor', () => {
  it('builds the DAG of edge case 7: implicit dependency is only the previous line', () => {
    // a ─┐
    //    ├─ d
    // b ─ c ┘
    const { task } = parseTask(
      'steps:\n  - {id: a, cmd: slow}\n  - {id: b, cmd: fast, when: ["-"]}\n  - {id: c, cmd: fast}\n  - {id: d, cmd: x, when: [a, c]}\n',
    );
    const graph = buildTaskGraph(task);
    assert.deepEqual(Object.fromEntries(graph.parents), { a: ['acb_root'], b: ['acb_root'], c: ['b'], d: ['a', 'c'] });
    assert.deepEqual(graph.levels, [['a', 'b'], ['c'], ['d']]);
  });

  it('merges env in Docker order (edge case 20)', () => {
    const { task } = parseTask(
      'env: ["A=task", "B=task"]\nsteps: [{id: s, cmd: alpine env, env: ["A=step", "D=1", "A=dup"]}]\n',
    );
    assert.deepEqual(mergeStepEnv(task, task.steps[0]), ['A=step', 'D=1', 'A=dup', 'B=task']);
  });

  it('adds CLI env only for keys the task does not define', () => {
    const { task } = parseTask('env: ["A=task"]\nsteps: [{cmd: x}]\n');
    assert.deepEqual(mergeStepEnv(task, task.steps[0], ['A=cli,C=cli']), ['A=task', 'C=cli']);
  });

  const workdirs: [string, string | undefined][] = [
    ['steps: [{cmd: alpine pwd, workingDirectory: src, disableWorkingDirectoryOverride: true}]', undefined],
    ['steps: [{cmd: x, workingDirectory: /abs/../path/}]', '/path'],
    ['steps: [{cmd: x, workingDirectory: ../etc}]', '/etc'],
    ['steps: [{cmd: x, workingDirectory: src}]', '/workspace/src'],
    ['workingDirectory: app\nsteps: [{cmd: x}]', '/workspace/app'],
    ['steps: [{cmd: x}]', '/workspace'],
  ];
  for (const [yaml, expected] of workdirs) {
    it(`working directory of ${JSON.stringify(yaml)} is ${String(expected)} (edge cases 46, 47)`, () => {
      const { task } = parseTask(yaml);
      assert.equal(stepWorkingDirectory(task, task.steps[0]), expected);
    });
  }

  it('cleans paths like Go path.Clean', () => {
    assert.deepEqual(['/a/./b/../c/', 'a/../..', '', '//x'].map(cleanPath), ['/a/c', '..', '.', '/x']);
  });

  it('normalizes push images (edge case 27)', () => {
    assert.deepEqual(
      normalizePushImages(['img', 'img:latest', 'localhost:5000/img', 'reg.io/a/b', 'reg.io/x@sha256:abc']),
      ['img:latest', 'localhost:5000/img', 'reg.io/a/b:latest', 'reg.io/x@sha256:abc'],
    );
  });

  it('resolves networks (edge case 29)', () => {
    const none = resolveTaskNetworks(parseTask('steps: [{cmd: x}]').task);
    assert.deepEqual(
      [none.create.map((n) => n.name), none.defaultNetwork],
      [['acb_default_network'], 'acb_default_network'],
    );
    const listed = resolveTaskNetworks(parseTask('networks: [{name: mynet}]').task);
    assert.deepEqual([listed.create.map((n) => n.name), listed.defaultNetwork], [['mynet'], undefined]);
    const twoDefaults = resolveTaskNetworks(
      parseTask('networks: [{name: a, isDefault: true}, {name: b, isDefault: true}]').task,
    );
    assert.equal(twoDefaults.defaultNetwork, 'b');
    const cli = resolveTaskNetworks(parseTask('networks: [{name: a, isDefault: true}]').task, 'external');
    assert.deepEqual([cli.create.map((n) => n.name), cli.defaultNetwork], [['a'], 'external']);
    const buildTask = resolveTaskNetworks(parseTask('isbuildtask: true').task);
    assert.deepEqual([buildTask.create, buildTask.defaultNetwork], [[], undefined]);
  });

  it('extracts tags and build args the way acb does (edge case 28)', () => {
    const reading = readBuildStringAsAcb('--tag=a:1 -t b:2 --tag c:3 -t "d:4" --build-arg X=1 --build-arg=Y=2 .');
    assert.deepEqual(reading, { context: '.', tags: ['b:2', 'c:3', '"d:4"'], buildArgs: ['X=1'] });
  });

  it('reads a build string the way docker does, for execution', () => {
    const command = parseDockerBuildCommand(
      `-f docker/Dockerfile --tag=a:1 -t 'b:2' --build-arg X=1 --build-arg=Y --no-cache --target t --platform linux/amd64 --label k=v ctx`,
    );
    assert.deepEqual(
      {
        context: command.context,
        dockerfile: command.dockerfile,
        tags: command.tags,
        buildArgs: [...command.buildArgs],
        noCache: command.noCache,
        target: command.target,
        platform: command.platform,
        labels: [...command.labels],
        errors: command.errors,
      },
      {
        context: 'ctx',
        dockerfile: 'docker/Dockerfile',
        tags: ['a:1', 'b:2'],
        buildArgs: [
          ['X', '1'],
          ['Y', undefined],
        ],
        noCache: true,
        target: 't',
        platform: 'linux/amd64',
        labels: [['k', 'v']],
        errors: [],
      },
    );
  });

  it('rejects shell operators and a missing context in a build string', () => {
    assert.deepEqual(parseDockerBuildCommand('-t a . && rm -rf /').errors.length > 0, true);
    assert.match(parseDockerBuildCommand('-t a').errors[0], /names no context/);
  });
});
