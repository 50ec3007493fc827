import { strict as assert } from 'node:assert';
import { parse } from 'yaml';
import { prefixTag, quickBuildTask, shellWord } from '../../../server/src/lsp/quickBuild';

describe('Build Context as a quick-build task (spec §9.1)', () => {
  const cases: {
    name: string;
    params: Parameters<typeof quickBuildTask>[0];
    registry: string;
    expected: { steps: unknown[]; pushed: string[]; warnings: string[] };
  }[] = [
    {
      name: 'tags are prefixed with the registry and pushed after the build',
      params: { context: '/src/app', tags: ['app:{{.Run.ID}}'] },
      registry: 'localhost:5000',
      expected: {
        steps: [
          { id: 'build', build: '-f Dockerfile -t localhost:5000/app:{{.Run.ID}} .', timeout: 28800 },
          { id: 'push', push: ['localhost:5000/app:{{.Run.ID}}'], when: ['build'], timeout: 3600 },
        ],
        pushed: ['localhost:5000/app:{{.Run.ID}}'],
        warnings: [],
      },
    },
    {
      name: 'no-push builds only',
      params: { context: '/src/app', tags: ['app:1'], noPush: true },
      registry: 'localhost:5000',
      expected: {
        steps: [{ id: 'build', build: '-f Dockerfile -t localhost:5000/app:1 .', timeout: 28800 }],
        pushed: [],
        warnings: [],
      },
    },
    {
      name: 'no registry: the image stays local, with a warning',
      params: { context: '/src/app', tags: ['app:1'] },
      registry: '',
      expected: {
        steps: [{ id: 'build', build: '-f Dockerfile -t app:1 .', timeout: 28800 }],
        pushed: [],
        warnings: ['No registry is set (acrTasks.registry), so the image stays in the local engine.'],
      },
    },
    {
      name: 'no tags: nothing to push, with a warning',
      params: { context: '/src/app', tags: [] },
      registry: 'r.io',
      expected: {
        steps: [{ id: 'build', build: '-f Dockerfile .', timeout: 28800 }],
        pushed: [],
        warnings: ['No image names were given, so nothing is pushed.'],
      },
    },
    {
      name: 'Dockerfile in a subfolder, build args (NAME alone from the environment), target, platform, no cache',
      params: {
        context: '/src',
        dockerfile: '/src/docker/Dockerfile.prod',
        tags: ['library/app:x'],
        buildArgs: ['A=1', 'FROM_ENV', 'SPACED=a b'],
        target: 'final',
        platform: 'linux/arm64',
        noCache: true,
        noPush: true,
      },
      registry: 'r.io',
      expected: {
        steps: [
          {
            id: 'build',
            build:
              "-f docker/Dockerfile.prod -t library/app:x --build-arg A=1 --build-arg FROM_ENV=env-value --build-arg 'SPACED=a b' --target final --platform linux/arm64 --no-cache .",
            timeout: 28800,
          },
        ],
        pushed: [],
        warnings: [],
      },
    },
  ];
  for (const { name, params, registry, expected } of cases) {
    it(name, () => {
      const task = quickBuildTask(params, registry, { FROM_ENV: 'env-value' });
      assert.deepEqual(
        { steps: (parse(task.text) as { steps: unknown[] }).steps, pushed: task.pushed, warnings: task.warnings },
        expected,
      );
      assert.deepEqual(parse(task.text), { version: 'v1.0.0', isbuildtask: true, steps: expected.steps });
    });
  }

  it('refuses a Dockerfile outside the context and a relative context', () => {
    assert.throws(
      () => quickBuildTask({ context: '/src/app', dockerfile: '/src/Dockerfile', tags: [] }, ''),
      /outside the context/,
    );
    assert.throws(() => quickBuildTask({ context: 'app', tags: [] }, ''), /absolute path/);
  });

  it('prefixes like util/prefixes.go and quotes only what needs quoting', () => {
    assert.deepEqual(
      ['app', 'r.io/app', 'library/app', 'other.io/app'].map((tag) => prefixTag(tag, 'r.io')),
      ['r.io/app', 'r.io/app', 'library/app', 'r.io/other.io/app'],
    );
    assert.deepEqual(['app:{{.Run.ID}}', 'a b', "it's", '$HOME'].map(shellWord), [
      'app:{{.Run.ID}}',
      "'a b'",
      `'it'\\''s'`,
      "'$HOME'",
    ]);
  });
});
