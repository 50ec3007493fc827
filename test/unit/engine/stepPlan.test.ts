import * as assert from 'node:assert/strict';

import { runResourceNames } from '../../../server/src/engine/run/runSetup';
import { planBuildStep, planCmdStep, planPushStep } from '../../../server/src/engine/steps/stepPlan';
import { parseTask } from '../../../server/src/task/parse';
import type { EngineInfo } from '../../../server/src/engine/ContainerRuntime';

const LOCAL: EngineInfo = {
  endpoint: 'unix:///var/run/docker.sock',
  os: 'linux',
  architecture: 'amd64',
  serverVersion: '20.10',
  apiVersion: '1.41',
  localSocketPath: '/var/run/docker.sock',
};
const REMOTE: EngineInfo = { ...LOCAL, endpoint: 'tcp://h:2376', localSocketPath: undefined };
const ENV = { runnerEnv: {}, cliEnv: [] };

function cmdPlan(yaml: string, engine = LOCAL, index = 0) {
  const { task } = parseTask(yaml);
  const step = task.steps[index];
  const plan = planCmdStep(task, step, runResourceNames(task, 'r1', engine), ENV);
  assert.ok(plan.ok, plan.ok ? '' : plan.error);
  return plan;
}

describe('cmd step container (spec §5.6)', () => {
  it('edge case 20: HOME first, step entries verbatim, then inherited task entries', () => {
    const plan = cmdPlan(
      'env: ["A=task", "B=task"]\nsteps:\n  - {id: s, cmd: alpine env, env: ["A=step", "D=1", "A=dup"]}\n',
    );
    assert.deepEqual(plan.spec.env, ['HOME=/acb/home', 'A=step', 'D=1', 'A=dup', 'B=task']);
  });

  const workdirs: [string, string | undefined][] = [
    ['steps: [{cmd: alpine pwd}]', '/workspace'],
    ['steps: [{cmd: alpine pwd, workingDirectory: src}]', '/workspace/src'],
    ['workingDirectory: app\nsteps: [{cmd: alpine pwd}]', '/workspace/app'],
    // edge case 46: the override is off, so the image's WORKDIR applies
    ['steps: [{cmd: alpine pwd, workingDirectory: src, disableWorkingDirectoryOverride: true}]', undefined],
    // edge case 47: cleaned, and `..` may leave the workspace
    ['steps: [{cmd: alpine pwd, workingDirectory: /abs/../path/}]', '/path'],
    ['steps: [{cmd: alpine pwd, workingDirectory: ../etc}]', '/etc'],
  ];
  for (const [yaml, expected] of workdirs) {
    it(`working directory of ${yaml.replace(/\n/g, ' ')}`, () => assert.equal(cmdPlan(yaml).spec.workingDir, expected));
  }

  it('resolves every container setting of a step', () => {
    const plan = cmdPlan(
      [
        'volumes: [{name: creds, secret: {token: aGk=}}]',
        'steps:',
        '  - id: web',
        `    cmd: busybox httpd -f -p "8080" -h '/srv dir'`,
        '    entryPoint: /bin/busybox',
        '    user: "1000"',
        '    privileged: true',
        '    ports: ["8080:8080"]',
        '    expose: ["9090"]',
        '    detach: true',
        '    keep: true',
        '    cpus: "1.5"',
        '    volumeMounts: [{name: creds, mountPath: /run/creds}]',
      ].join('\n'),
    );
    assert.deepEqual(plan.spec, {
      name: 'acb_r1_web',
      image: 'busybox',
      args: ['httpd', '-f', '-p', '8080', '-h', '/srv dir'],
      entrypoint: ['/bin/busybox'],
      env: ['HOME=/acb/home'],
      workingDir: '/workspace',
      user: '1000',
      privileged: true,
      network: 'acb_default_network_r1',
      networkAliases: ['web'],
      ports: ['8080:8080'],
      expose: ['9090'],
      binds: [
        'acb_vol_r1:/workspace',
        '/var/run/docker.sock:/var/run/docker.sock',
        'acb_home_r1:/acb/home',
        'acb_r1_creds:/run/creds',
      ],
      autoRemove: false,
      cpus: '1.5',
      labels: { 'dev.acr-tasks-local.run-id': 'r1', 'dev.acr-tasks-local.step-id': 'web' },
    });
    assert.equal(
      plan.command,
      'docker run --detach -p 8080:8080 --expose 9090 --privileged --user 1000 --network acb_default_network_r1 --cpus 1.5 --entrypoint /bin/busybox --name acb_r1_web --volume acb_vol_r1:/workspace --volume /var/run/docker.sock:/var/run/docker.sock --volume acb_home_r1:/acb/home --volume acb_r1_creds:/run/creds --env HOME=/acb/home --workdir /workspace busybox httpd -f -p "8080" -h \'/srv dir\'',
    );
  });

  it('does not mount the Docker socket of a remote engine', () => {
    assert.deepEqual(cmdPlan('steps: [{cmd: alpine true}]', REMOTE).spec.binds, [
      'acb_vol_r1:/workspace',
      'acb_home_r1:/acb/home',
    ]);
  });

  const networks: [string, string | undefined, string[]][] = [
    ['steps: [{id: a, cmd: alpine true}]', 'acb_default_network_r1', ['a']],
    ['steps: [{id: a, cmd: alpine true, network: host}]', 'host', []],
    // edge case 29: declared networks without isDefault → no --network at all
    ['networks: [{name: mynet}]\nsteps: [{id: a, cmd: alpine true}]', undefined, []],
    ['networks: [{name: mynet, isDefault: true}]\nsteps: [{id: a, cmd: alpine true}]', 'mynet', ['a']],
    ['isbuildtask: true\nsteps: [{id: a, cmd: alpine true}]', undefined, []],
  ];
  for (const [yaml, network, aliases] of networks) {
    it(`network of ${yaml.replace(/\n/g, ' ')}`, () => {
      const { spec } = cmdPlan(yaml);
      assert.deepEqual([spec.network, spec.networkAliases], [network, aliases]);
    });
  }

  const refusals: [string, string][] = [
    ['steps: [{id: p, cmd: alpine echo hi | wc}]', 'step p: cmd: the shell operator "|" is not supported'],
    [
      'steps: [{id: e, cmd: alpine true, entryPoint: "sh -c"}]',
      'step e: entryPoint must be a single word (docker --entrypoint takes one)',
    ],
  ];
  for (const [yaml, error] of refusals) {
    it(`refuses ${yaml}`, () => {
      const { task } = parseTask(yaml);
      const plan = planCmdStep(task, task.steps[0], runResourceNames(task, 'r1', LOCAL), ENV);
      assert.deepEqual(plan.ok ? 'ok' : plan.error, error);
    });
  }

  it('warns when $VAR expands against the empty runner environment (edge case 48)', () => {
    assert.deepEqual(cmdPlan('steps: [{id: s, cmd: alpine echo $HOME}]').warnings, [
      "step s: $HOME expanded to empty: in ACR the agent's shell expands it (use `sh -c '…'` to read the container's variables)",
    ]);
  });
});

describe('build and push plans', () => {
  it('reads the build like docker (context and -f relative to the working directory) and records like acb', () => {
    const { task } = parseTask(
      'steps: [{id: b, workingDirectory: src, build: "-f ../docker/Dockerfile -t app:1 --tag=app:2 --build-arg X=1 --build-arg FROMENV --label k=v --target t ."}]',
    );
    const plan = planBuildStep(task, task.steps[0], ENV);
    assert.ok(plan.ok);
    assert.deepEqual(plan.build, {
      contextDir: '/workspace/src',
      dockerfile: '/workspace/docker/Dockerfile',
      tags: ['app:1', 'app:2'],
      buildArgs: { X: '1' },
      labels: { k: 'v' },
      noCache: false,
      pull: false,
      target: 't',
      scan: { tags: ['app:1'], buildArgs: ['X=1', 'FROMENV'], target: 't' },
      command:
        'docker build -f ../docker/Dockerfile -t app:1 --tag=app:2 --build-arg X=1 --build-arg FROMENV --label k=v --target t .',
    });
  });

  const buildRefusals: [string, string][] = [
    [
      'steps: [{id: b, build: "-t a https://github.com/x/y.git"}]',
      'step b: the build context https://github.com/x/y.git is remote; local runs build only from the workspace (clone it in an earlier step)',
    ],
    [
      'steps: [{id: b, workingDirectory: /etc, build: "."}]',
      "step b: the build context /etc is outside /workspace; local builds read it from the run's workspace",
    ],
  ];
  for (const [yaml, error] of buildRefusals) {
    it(`refuses ${yaml}`, () => {
      const { task } = parseTask(yaml);
      const plan = planBuildStep(task, task.steps[0], ENV);
      assert.deepEqual(plan.ok ? 'ok' : plan.error, error);
    });
  }

  it('edge case 27: push images are normalised and de-duplicated', () => {
    const { task } = parseTask(
      'steps:\n  - push: ["img", "img:latest", "localhost:5000/img", "reg.io/a/b", "reg.io/x@sha256:abc"]\n',
    );
    assert.deepEqual(planPushStep(task.steps[0]).images, [
      'img:latest',
      'localhost:5000/img',
      'reg.io/a/b:latest',
      'reg.io/x@sha256:abc',
    ]);
  });
});
