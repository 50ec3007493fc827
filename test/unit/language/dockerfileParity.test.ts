/** The Dockerfile-parity rule against in-memory files: which Dockerfile, when BuildKit is on, what is skipped. */
import { strict as assert } from 'node:assert';
import { type Problem, validate } from './harness';

const warning = (code: string, text: string): Problem => ({ code, severity: 'warning', text });

const PLATFORM = 'FROM --platform=$BUILDPLATFORM golang:1.21 AS build\nFROM alpine\n';
const HEREDOC = 'FROM alpine\nRUN <<EOF\necho hi\nEOF\n';

describe('language service: Dockerfile parity', () => {
  const cases: { name: string; yaml: string; files: Record<string, string>; expected: Problem[] }[] = [
    {
      name: '<context>/Dockerfile without -f',
      yaml: 'steps:\n  - build: -t app src\n',
      files: { 'src/Dockerfile': PLATFORM },
      expected: [warning('dockerfile-from-platform', '-t app src')],
    },
    {
      name: '-f relative to the task file folder, quotes trimmed',
      yaml: 'steps:\n  - build: -t app -f "docker/Dockerfile.ci" .\n',
      files: { 'docker/Dockerfile.ci': PLATFORM },
      expected: [warning('dockerfile-from-platform', '-t app -f "docker/Dockerfile.ci" .')],
    },
    {
      name: 'other FROM lines acb cannot read',
      yaml: 'steps:\n  - build: .\n',
      files: { Dockerfile: 'FROM alpine AS\n' },
      expected: [warning('dockerfile-from-unparsable', '.')],
    },
    {
      name: 'BuildKit syntax with DOCKER_BUILDKIT=1 in the task env is fine',
      yaml: 'env: [DOCKER_BUILDKIT=1]\nsteps:\n  - build: .\n',
      files: { Dockerfile: HEREDOC },
      expected: [],
    },
    {
      name: 'BuildKit syntax with cache: enabled (buildx) is fine',
      yaml: 'steps:\n  - build: -t reg.io/app:1 .\n    cache: enabled\n',
      files: { Dockerfile: HEREDOC },
      expected: [],
    },
    {
      name: 'BuildKit syntax with DOCKER_BUILDKIT=0 spelled out is not',
      yaml: 'steps:\n  - build: .\n    env: [DOCKER_BUILDKIT=0]\n',
      files: { Dockerfile: HEREDOC },
      expected: [warning('dockerfile-buildkit-syntax', '.')],
    },
    {
      name: 'a .dockerignore that re-includes the Dockerfile',
      yaml: 'steps:\n  - build: .\n',
      files: { Dockerfile: 'FROM alpine\n', '.dockerignore': '*\n!Dockerfile\n' },
      expected: [],
    },
    {
      name: 'a Dockerfile outside the context is not subject to its .dockerignore',
      yaml: 'steps:\n  - build: -f Dockerfile app\n',
      files: { Dockerfile: 'FROM alpine\n', 'app/.dockerignore': 'Dockerfile\n' },
      expected: [],
    },
    {
      name: 'a missing Dockerfile says nothing (a step may create it)',
      yaml: 'steps:\n  - build: .\n',
      files: {},
      expected: [],
    },
    {
      name: 'remote contexts are not read',
      yaml: 'steps:\n  - build: https://github.com/org/repo.git\n',
      files: { 'https:/github.com/org/repo.git/Dockerfile': PLATFORM },
      expected: [],
    },
    {
      name: 'a templated Dockerfile path is not guessed',
      yaml: 'steps:\n  - build: -f {{.Values.dockerfile}} .\n',
      files: { Dockerfile: PLATFORM },
      expected: [],
    },
    {
      name: 'templated tags do not stop the check',
      yaml: 'steps:\n  - build: -t {{.Run.Registry}}/app:{{.Run.ID}} .\n',
      files: { Dockerfile: PLATFORM },
      expected: [warning('dockerfile-from-platform', '-t {{.Run.Registry}}/app:{{.Run.ID}} .')],
    },
  ];
  for (const { name, yaml, files, expected } of cases) {
    it(name, () => assert.deepEqual(validate(yaml, {}, files), expected));
  }
});
