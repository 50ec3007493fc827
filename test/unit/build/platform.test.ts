/** `--platform` as az validates it, and what counts as the same platform when the built image is checked. */
import { deepStrictEqual, strictEqual } from 'node:assert';

import {
  checkBuiltPlatform,
  explainPlatformFailure,
  parsePlatform,
  samePlatform,
} from '../../../server/src/engine/quickBuild/platform';
import { FakeRuntime } from '../engine/fakeRuntime';

describe('build platforms', () => {
  it('parses and validates like az (get_validate_platform)', () => {
    deepStrictEqual(
      [
        'linux',
        'Linux/AMD64',
        'linux/arm/v7',
        'windows/amd64',
        'linux/arm64/v8',
        'mac/amd64',
        'linux/sparc',
        'linux/arm/v9',
      ].map((text) => {
        const parsed = parsePlatform(text);
        return parsed.ok ? parsed.text : parsed.error;
      }),
      [
        'linux/amd64',
        'linux/amd64',
        'linux/arm/v7',
        'windows/amd64',
        'linux/arm64/v8',
        "'mac' is not a valid value for OS specified in --platform. Valid options are linux,windows.",
        "'sparc' is not a valid value for Architecture specified in --platform. Valid options are amd64,x86,386,arm,arm64.",
        "'v9' is not a valid value for Variant specified in --platform. Valid options are v6,v7,v8.",
      ],
    );
  });

  it('compares platforms after containerd normalisation (aliases, default variants)', () => {
    const cases: [string, string, boolean][] = [
      ['linux/arm64', 'linux/aarch64/v8', true],
      ['linux/arm', 'linux/arm/v7', true],
      ['linux/arm/v6', 'linux/arm/v7', false],
      ['linux/386', 'linux/x86', true],
      ['linux/amd64', 'linux/x86_64', true],
      ['linux/amd64', 'linux/arm64', false],
      ['windows/amd64', 'linux/amd64', false],
    ];
    const split = (text: string) => {
      const [os = '', architecture = '', variant] = text.split('/');
      return { os, architecture, ...(variant ? { variant } : {}) };
    };
    deepStrictEqual(
      cases.map(([a, b]) => samePlatform(split(a), split(b))),
      cases.map(([, , expected]) => expected),
    );
  });

  it('fails a build whose image is for another platform; passes a matching one', async () => {
    const runtime = new FakeRuntime();
    runtime.images.set('sha256:x', { id: 'sha256:x', repoDigests: [], os: 'linux', architecture: 'amd64' });
    await checkBuiltPlatform(runtime, 'sha256:x', 'linux/amd64', AbortSignal.timeout(1000));
    const failure = await checkBuiltPlatform(runtime, 'sha256:x', 'linux/arm64', AbortSignal.timeout(1000)).then(
      () => undefined,
      (error: Error) => error.message,
    );
    strictEqual(
      failure,
      "the engine cannot build for linux/arm64: it built linux/amd64 instead — the classic builder uses the base image it has (linux/amd64); building for linux/arm64 needs base images for it and, for RUN instructions, emulation on the engine's host",
    );
  });

  it("explains the engine's own platform errors only when a platform was asked for", () => {
    const message = 'no matching manifest for linux/arm64/v8 in the manifest list entries';
    deepStrictEqual(
      [
        explainPlatformFailure(message, undefined),
        explainPlatformFailure('COPY failed', 'linux/arm64'),
        explainPlatformFailure(message, 'linux/arm64'),
      ],
      [
        message,
        'COPY failed',
        `the engine cannot build for linux/arm64 (it needs base images for linux/arm64 and, for RUN instructions, emulation on the engine's host): ${message}`,
      ],
    );
  });
});
