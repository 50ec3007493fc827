import * as assert from 'node:assert/strict';

import {
  dependencyRecords,
  parseImageReference,
  scanDockerfileDependencies,
} from '../../../server/src/task/dependencyScan';

describe('Dockerfile dependency scan (spec §10.3)', () => {
  const edgeCase45 = 'ARG GO=1.21\nFROM golang:${GO} AS build\nFROM build AS test\nFROM gcr.io/distroless/base\n';
  const cases: { name: string; dockerfile: string; buildArgs?: string[]; target?: string; expected: unknown }[] = [
    {
      name: 'edge case 45: runtime is the last stage, build-time the others',
      dockerfile: edgeCase45,
      expected: { ok: true, runtime: 'gcr.io/distroless/base', buildtime: ['golang:1.21'] },
    },
    {
      name: 'edge case 45 with --build-arg and --target',
      dockerfile: edgeCase45,
      buildArgs: ['GO=1.22'],
      target: 'build',
      expected: { ok: true, runtime: 'golang:1.22', buildtime: [] },
    },
    {
      name: 'FROM --platform is understood (unlike ACR, edge case 44)',
      dockerfile: 'FROM --platform=linux/amd64 golang:1.21 AS build\nFROM alpine\n',
      expected: { ok: true, runtime: 'alpine', buildtime: ['golang:1.21'] },
    },
    {
      name: 'stage alias resolves to its origin',
      dockerfile: 'FROM node:20 AS base\nFROM base\n',
      expected: { ok: true, runtime: 'node:20', buildtime: [] },
    },
    {
      name: 'BOM, comments and lower-case keywords',
      dockerfile: '\uFEFF# syntax=docker/dockerfile:1\nfrom "busybox:1" as x\n',
      expected: { ok: true, runtime: 'busybox:1', buildtime: [] },
    },
    {
      name: 'ARG default does not override a build arg; ${VAR:-x} is not supported',
      dockerfile: 'ARG V=1\nARG V=2\nFROM a:${V}\nFROM b${W:-x}\n',
      buildArgs: ["V='3'"],
      expected: { ok: true, runtime: 'b', buildtime: ['a:3'] },
    },
    {
      name: 'three-token FROM fails like acb',
      dockerfile: 'FROM a b\n',
      expected: { ok: false, error: 'unable to understand line FROM a b' },
    },
    {
      name: 'no FROM at all',
      dockerfile: 'RUN true\n',
      expected: { ok: false, error: 'unexpected dockerfile format' },
    },
  ];
  for (const { name, dockerfile, buildArgs, target, expected } of cases) {
    it(name, () =>
      assert.deepEqual(
        scanDockerfileDependencies(dockerfile, { ...(buildArgs ? { buildArgs } : {}), ...(target ? { target } : {}) }),
        expected,
      ),
    );
  }
});

describe('dependency records (spec §10.4)', () => {
  const references: [string, unknown][] = [
    [
      'alpine:latest',
      {
        registry: 'registry.hub.docker.com',
        repository: 'library/alpine',
        tag: 'latest',
        digest: '',
        reference: 'alpine:latest',
      },
    ],
    [
      'user/repo:1',
      { registry: 'registry.hub.docker.com', repository: 'user/repo', tag: '1', digest: '', reference: 'user/repo:1' },
    ],
    [
      'myreg.azurecr.io/app/web:v2',
      {
        registry: 'myreg.azurecr.io',
        repository: 'app/web',
        tag: 'v2',
        digest: '',
        reference: 'myreg.azurecr.io/app/web:v2',
      },
    ],
    [
      'localhost:5000/base:1',
      {
        registry: 'registry.hub.docker.com',
        repository: 'localhost:5000/base',
        tag: '1',
        digest: '',
        reference: 'localhost:5000/base:1',
      },
    ],
    [
      `reg.io/x@sha256:${'a'.repeat(64)}`,
      {
        registry: 'reg.io',
        repository: 'x',
        digest: `sha256:${'a'.repeat(64)}`,
        reference: `reg.io/x@sha256:${'a'.repeat(64)}`,
      },
    ],
    ['Upper/Case:1', { error: 'repository name must be lowercase: Upper/Case:1' }],
  ];
  for (const [reference, expected] of references) {
    it(`reads ${reference}`, () => assert.deepEqual(parseImageReference(reference), expected));
  }

  it('makes one record per tag, merging library/ duplicates, with the git revision', () => {
    const result = dependencyRecords(
      ['app:1', '"reg.io/app:2"'],
      { runtime: 'alpine', buildtime: ['golang', 'library/golang:latest'] },
      'abc123',
    );
    const alpine = {
      registry: 'registry.hub.docker.com',
      repository: 'library/alpine',
      tag: 'latest',
      digest: '',
      reference: 'alpine:latest',
    };
    const golang = {
      registry: 'registry.hub.docker.com',
      repository: 'library/golang',
      tag: 'latest',
      digest: '',
      reference: 'golang:latest',
    };
    assert.deepEqual(result, {
      ok: true,
      records: [
        {
          image: {
            registry: 'registry.hub.docker.com',
            repository: 'library/app',
            tag: '1',
            digest: '',
            reference: 'app:1',
          },
          'runtime-dependency': alpine,
          'buildtime-dependency': [golang],
          git: { 'git-head-revision': 'abc123' },
        },
        {
          image: { registry: 'reg.io', repository: 'app', tag: '2', digest: '', reference: 'reg.io/app:2' },
          'runtime-dependency': alpine,
          'buildtime-dependency': [golang],
          git: { 'git-head-revision': 'abc123' },
        },
      ],
    });
  });

  it('records image null and buildtime null for an untagged single-stage build', () => {
    assert.deepEqual(dependencyRecords([], { runtime: 'busybox:1', buildtime: [] }), {
      ok: true,
      records: [
        {
          image: null,
          'runtime-dependency': {
            registry: 'registry.hub.docker.com',
            repository: 'library/busybox',
            tag: '1',
            digest: '',
            reference: 'busybox:1',
          },
          'buildtime-dependency': null,
        },
      ],
    });
  });
});
