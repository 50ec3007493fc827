/**
 * The quick build's task (spec §9.1): tag rendering and registry prefixing as acb does them, build
 * arguments from the environment, secret build arguments, and a task text the engine reads back intact.
 */
import { deepStrictEqual, ok, strictEqual } from 'node:assert';

import {
  planQuickBuild,
  prefixRegistry,
  resolveBuildArgument,
  type QuickBuildPlan,
  type QuickBuildRequest,
} from '../../../server/src/engine/quickBuild/quickBuildPlan';
import { parseDockerBuildCommand } from '../../../server/src/task/buildCommand';
import { loadTask, sampleRunVariables } from '../../../server/src/task/load';

const RUN = sampleRunVariables({ ID: 'ca1', Registry: 'myreg.azurecr.io', Date: '20240102-030405z' });
const WHERE = { dockerfile: `${'b'.repeat(32)}_Dockerfile`, run: RUN, env: { FROM_ENV: 'env value' } };

function plan(request: Partial<QuickBuildRequest>): QuickBuildPlan {
  const result = planQuickBuild({ tags: [], registry: 'myreg.azurecr.io', ...request }, WHERE);
  if (!result.ok) throw new Error(result.error);
  return result.plan;
}

describe('quick build plan', () => {
  describe('prefixRegistry (acb util/prefixes.go)', () => {
    const cases: [registry: string, image: string, known: string[], expected: string][] = [
      ['', 'someimg', [''], 'someimg'],
      ['', 'foo:latest', [''], 'foo:latest'],
      ['foo', 'someimg', ['foo'], 'foo/someimg'],
      ['foo', 'someimg:bar', ['foo'], 'foo/someimg:bar'],
      ['foo', 'library/someimg:bar', ['foo'], 'library/someimg:bar'],
      ['foo', 'bar/someimage:latest', ['foo', 'bar'], 'bar/someimage:latest'],
      ['myreg.azurecr.io', 'myreg.azurecr.io/app:v1', ['myreg.azurecr.io'], 'myreg.azurecr.io/app:v1'],
      // docker.io is not a known registry: it is prefixed like any other name.
      ['myreg.azurecr.io', 'docker.io/x/y', ['myreg.azurecr.io'], 'myreg.azurecr.io/docker.io/x/y'],
      // A plain prefix test, as acb's strings.HasPrefix.
      ['myreg.azurecr.io', 'myreg.azurecr.io2/app', ['myreg.azurecr.io'], 'myreg.azurecr.io2/app'],
    ];
    for (const [registry, image, known, expected] of cases) {
      it(`${registry || '(none)'} + ${image} → ${expected}`, () => {
        strictEqual(prefixRegistry(registry, image, known), expected);
      });
    }
  });

  it('build arguments without a value come from the environment (empty when unset)', () => {
    const env = { A: 'from env' };
    deepStrictEqual(
      ['X=1', 'X=', 'X=a=b', 'A', 'UNSET', '=x', ''].map((argument) => resolveBuildArgument(argument, env)),
      [
        { name: 'X', value: '1' },
        { name: 'X', value: '' },
        { name: 'X', value: 'a=b' },
        { name: 'A', value: 'from env' },
        { name: 'UNSET', value: '' },
        undefined,
        undefined,
      ],
    );
  });

  it('renders run variables in tags, then prefixes them (a rendered registry prefix is not doubled)', () => {
    const result = plan({ tags: ['app:{{.Run.ID}}', '{{.Run.Registry}}/web:{{.Run.Date}}', 'library/base:1'] });
    deepStrictEqual(
      { tags: result.tags, pushed: result.pushed, warnings: result.warnings },
      {
        tags: ['myreg.azurecr.io/app:ca1', 'myreg.azurecr.io/web:20240102-030405z', 'library/base:1'],
        pushed: ['myreg.azurecr.io/app:ca1', 'myreg.azurecr.io/web:20240102-030405z', 'library/base:1'],
        warnings: [],
      },
    );
  });

  it('expands $ID-style run-variable aliases in tags, and says ACR does not', () => {
    const result = plan({ tags: ['app:$ID', 'app:$$ID-$unknown'] });
    deepStrictEqual(result.tags, ['myreg.azurecr.io/app:ca1', 'myreg.azurecr.io/app:$ID-$unknown']);
    strictEqual(result.warnings.length, 2);
    ok(result.warnings[0]?.includes('write {{.Run.ID}} instead of $ID'), result.warnings[0]);
  });

  it('composes the command in acb order and the task as build + push when: [build]', () => {
    const result = plan({
      tags: ['app:v1'],
      buildArgs: ['B=1', 'FROM_ENV'],
      secretBuildArgs: ['TOKEN=s3cr3t'],
      target: 'final',
      platform: 'linux/amd64',
      noCache: true,
    });
    deepStrictEqual(result.buildWords, [
      '--no-cache',
      '-f',
      WHERE.dockerfile,
      '-t',
      'myreg.azurecr.io/app:v1',
      '--build-arg',
      'B=1',
      '--build-arg',
      'FROM_ENV=env value',
      '--build-arg',
      'TOKEN=s3cr3t',
      '--target',
      'final',
      '--platform',
      'linux/amd64',
      '.',
    ]);
    deepStrictEqual(result.secrets, { 'secret-build-arg-TOKEN': 's3cr3t' });
    const loaded = loadTask(result.taskText, { run: RUN });
    deepStrictEqual(loaded.diagnostics, []);
    deepStrictEqual(
      loaded.task?.steps.map((step) => ({
        id: step.id,
        push: step.push,
        when: step.when,
        timeout: step.timeout,
        tags: step.tags,
      })),
      [
        { id: 'build', push: undefined, when: [], timeout: 28800, tags: ['myreg.azurecr.io/app:v1'] },
        { id: 'push', push: ['myreg.azurecr.io/app:v1'], when: ['build'], timeout: 3600, tags: undefined },
      ],
    );
    strictEqual(loaded.task?.isBuildTask, true);
  });

  it('values survive the engine reading the task: spaces, quotes, $, {{ and template-rendered values', () => {
    const values = ["it's a b", 'x $HOME y', 'a}}b', 'tab\there', 'id-{{.Run.ID}}', '{{"{{"}}literal}}'];
    const result = plan({ buildArgs: values.map((value, index) => `V${index}=${value}`) });
    const loaded = loadTask(result.taskText, { run: RUN });
    deepStrictEqual(loaded.diagnostics, []);
    const parsed = parseDockerBuildCommand(loaded.task?.steps[0]?.build ?? '');
    deepStrictEqual(
      [...parsed.buildArgs.values()],
      ["it's a b", 'x $HOME y', 'a}}b', 'tab\there', 'id-ca1', '{{literal}}'],
    );
    ok(
      result.warnings.some((warning) => warning.includes('--build-arg V0, --build-arg V1')),
      result.warnings.join(),
    );
  });

  it('no tags: nothing to push, and it says so', () => {
    const result = plan({ tags: [] });
    deepStrictEqual(
      { pushed: result.pushed, steps: loadTask(result.taskText, { run: RUN }).task?.steps.map((step) => step.id) },
      { pushed: [], steps: ['build'] },
    );
    deepStrictEqual(result.warnings, ['No image names were given (-t), so nothing is pushed.']);
  });

  it('without a registry only names that name a registry are pushed; Docker Hub names never are', () => {
    const result = plan({ registry: '', tags: ['localhost:5000/app:1', 'acrtest/app:1'] });
    deepStrictEqual(
      { tags: result.tags, pushed: result.pushed },
      { tags: ['localhost:5000/app:1', 'acrtest/app:1'], pushed: ['localhost:5000/app:1'] },
    );
    ok(result.warnings[0]?.startsWith('Not pushed: acrtest/app:1'), result.warnings[0]);
  });

  it('--no-push builds only, silently', () => {
    const result = plan({ tags: ['app:1'], noPush: true });
    deepStrictEqual({ pushed: result.pushed, warnings: result.warnings }, { pushed: [], warnings: [] });
  });

  it('a tag naming another registry is prefixed anyway, with a warning', () => {
    const result = plan({ tags: ['docker.io/x/y:1', 'other.io/z:1'], credentialRegistries: ['other.io'] });
    deepStrictEqual(result.tags, ['myreg.azurecr.io/docker.io/x/y:1', 'other.io/z:1']);
    deepStrictEqual(result.warnings.length, 1);
  });

  it('bad input: template errors name the flag; a secret value is never quoted', () => {
    const cases: [Partial<QuickBuildRequest>, RegExp][] = [
      [{ tags: ['app:{{.Run.ID'] }, /^-t app:\{\{\.Run\.ID: template: /],
      [{ tags: ['{{""}}'] }, /^-t \{\{""\}\}: the image name renders empty$/],
      [{ secretBuildArgs: ['TOKEN=pw{{oops'] }, /^--secret-build-arg TOKEN: the value is not a valid template$/],
      [{ buildArgs: ['=x'] }, /^--build-arg =x: expected NAME=VALUE or NAME$/],
    ];
    for (const [request, expected] of cases) {
      const result = planQuickBuild({ tags: [], registry: 'r.io', ...request }, WHERE);
      ok(!result.ok && expected.test(result.error), JSON.stringify(result));
    }
  });
});
