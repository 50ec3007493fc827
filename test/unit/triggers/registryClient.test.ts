/**
 * The Registry API v2 digest client against scripted registries: reference → API location, the
 * challenge parser, Bearer token flows (basic credentials, identity tokens, anonymous), HTTPS → HTTP
 * fallback only for loopback registries, a digest computed from the manifest when the header is
 * missing, and errors that never carry secrets. (The Basic flow runs against the real registry in
 * test/integration/triggers.)
 */
import { createHash } from 'node:crypto';
import { deepStrictEqual, ok, rejects, strictEqual } from 'node:assert';

import type { RegistryAuth } from '../../../server/src/engine/ContainerRuntime';
import { manifestLocation, parseChallenge, RegistryClient } from '../../../server/src/engine/triggers/registryClient';

interface Call {
  method: string;
  url: string;
  authorization?: string;
  body?: string;
}

/** A scripted fetch: answers by `METHOD url`, records every call. */
function scripted(answers: Record<string, (call: Call) => Response | Error>): { fetch: typeof fetch; calls: Call[] } {
  const calls: Call[] = [];
  const fake = (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const headers = new Headers(init?.headers);
    const call: Call = { method: init?.method ?? 'GET', url: input instanceof Request ? input.url : input.toString() };
    const authorization = headers.get('authorization');
    if (authorization) call.authorization = authorization;
    if (init?.body instanceof URLSearchParams || typeof init?.body === 'string') call.body = init.body.toString();
    calls.push(call);
    const answer = answers[`${call.method} ${call.url.replace(/\?.*$/, '')}`];
    if (!answer) return Promise.resolve(new Response(null, { status: 599 }));
    const result = answer(call);
    return result instanceof Error ? Promise.reject(result) : Promise.resolve(result);
  };
  return { fetch: fake, calls };
}

const DIGEST = `sha256:${'a'.repeat(64)}`;
const credentials = (auth: RegistryAuth | undefined) => (): Promise<RegistryAuth | undefined> => Promise.resolve(auth);

describe('registry digest client (Registry API v2)', () => {
  it('locates manifests like Docker', () => {
    deepStrictEqual(
      [
        'busybox',
        'user/app:1',
        'myreg.azurecr.io/a/b:v2',
        '127.0.0.1:5000/base',
        'localhost/x@sha256:00',
        'docker.io/library/node:20',
      ].map(manifestLocation),
      [
        { host: 'registry-1.docker.io', repository: 'library/busybox', reference: 'latest' },
        { host: 'registry-1.docker.io', repository: 'user/app', reference: '1' },
        { host: 'myreg.azurecr.io', repository: 'a/b', reference: 'v2' },
        { host: '127.0.0.1:5000', repository: 'base', reference: 'latest' },
        { host: 'localhost', repository: 'x', reference: 'sha256:00' },
        { host: 'registry-1.docker.io', repository: 'library/node', reference: '20' },
      ],
    );
  });

  it('parses challenges', () => {
    deepStrictEqual(
      parseChallenge('Bearer realm="https://auth.io/token",service="reg.io",scope="repository:a:pull,push"'),
      {
        scheme: 'bearer',
        params: { realm: 'https://auth.io/token', service: 'reg.io', scope: 'repository:a:pull,push' },
      },
    );
    deepStrictEqual(parseChallenge('Basic realm="basic-realm"'), { scheme: 'basic', params: { realm: 'basic-realm' } });
  });

  it('Bearer: fetches a pull token with basic credentials, then reads Docker-Content-Digest', async () => {
    const { fetch, calls } = scripted({
      'HEAD https://reg.io/v2/app/manifests/1': (call) =>
        call.authorization === 'Bearer tok'
          ? new Response(null, { status: 200, headers: { 'docker-content-digest': DIGEST } })
          : new Response(null, {
              status: 401,
              headers: {
                'www-authenticate': 'Bearer realm="https://auth.io/token",service="reg.io",scope="repository:app:pull"',
              },
            }),
      'GET https://auth.io/token': () => Response.json({ token: 'tok', expires_in: 300 }),
    });
    const client = new RegistryClient({
      fetch,
      credentials: credentials({ serveraddress: 'reg.io', username: 'u', password: 'p' }),
    });
    strictEqual(await client.manifestDigest('reg.io/app:1', AbortSignal.timeout(5000)), DIGEST);
    strictEqual(await client.manifestDigest('reg.io/app:1', AbortSignal.timeout(5000)), DIGEST);
    deepStrictEqual(
      calls.map((call) => `${call.method} ${call.url} ${call.authorization ?? ''}`),
      [
        'HEAD https://reg.io/v2/app/manifests/1 ',
        `GET https://auth.io/token?service=reg.io&scope=repository%3Aapp%3Apull Basic ${Buffer.from('u:p').toString('base64')}`,
        'HEAD https://reg.io/v2/app/manifests/1 Bearer tok',
        // The token is cached for the second check.
        'HEAD https://reg.io/v2/app/manifests/1 ',
        'HEAD https://reg.io/v2/app/manifests/1 Bearer tok',
      ],
    );
  });

  it('Bearer with an identity token: OAuth2 refresh-token grant (az acr login)', async () => {
    const { fetch, calls } = scripted({
      'HEAD https://acr.io/v2/app/manifests/latest': (call) =>
        call.authorization === 'Bearer access'
          ? new Response(null, { status: 200, headers: { 'docker-content-digest': DIGEST } })
          : new Response(null, {
              status: 401,
              headers: { 'www-authenticate': 'Bearer realm="https://acr.io/oauth2/token",service="acr.io"' },
            }),
      'POST https://acr.io/oauth2/token': () => Response.json({ access_token: 'access' }),
    });
    const client = new RegistryClient({
      fetch,
      credentials: credentials({ serveraddress: 'acr.io', identitytoken: 'refresh-secret' }),
    });
    strictEqual(await client.manifestDigest('acr.io/app', AbortSignal.timeout(5000)), DIGEST);
    const body = new URLSearchParams(calls[1]?.body);
    deepStrictEqual(
      [body.get('grant_type'), body.get('refresh_token'), body.get('service'), body.get('scope')],
      ['refresh_token', 'refresh-secret', 'acr.io', 'repository:app:pull'],
    );
  });

  it('falls back to HTTP for loopback registries only, and remembers the scheme', async () => {
    const refused = () => Object.assign(new TypeError('fetch failed'), { cause: { code: 'EPROTO' } });
    const loopback = scripted({
      'HEAD https://127.0.0.1:5000/v2/base/manifests/latest': refused,
      'HEAD http://127.0.0.1:5000/v2/base/manifests/latest': () =>
        new Response(null, { status: 200, headers: { 'docker-content-digest': DIGEST } }),
    });
    const client = new RegistryClient({ fetch: loopback.fetch, credentials: credentials(undefined) });
    strictEqual(await client.manifestDigest('127.0.0.1:5000/base', AbortSignal.timeout(5000)), DIGEST);
    strictEqual(await client.manifestDigest('127.0.0.1:5000/base', AbortSignal.timeout(5000)), DIGEST);
    deepStrictEqual(
      loopback.calls.map((call) => call.url.split('/')[0]),
      ['https:', 'http:', 'http:'],
    );
    const remote = scripted({ 'HEAD https://reg.io/v2/base/manifests/latest': refused });
    await rejects(
      new RegistryClient({ fetch: remote.fetch, credentials: credentials(undefined) }).manifestDigest(
        'reg.io/base',
        AbortSignal.timeout(5000),
      ),
      { name: 'RegistryError', message: 'cannot reach the registry reg.io for reg.io/base: EPROTO' },
    );
    strictEqual(remote.calls.length, 1);
  });

  it('hashes the manifest when the registry leaves Docker-Content-Digest off', async () => {
    const manifest = '{"schemaVersion":2}';
    const { fetch } = scripted({
      'HEAD https://reg.io/v2/app/manifests/1': () => new Response(null, { status: 200 }),
      'GET https://reg.io/v2/app/manifests/1': () => new Response(manifest, { status: 200 }),
    });
    const digest = await new RegistryClient({ fetch, credentials: credentials(undefined) }).manifestDigest(
      'reg.io/app:1',
      AbortSignal.timeout(5000),
    );
    strictEqual(digest, `sha256:${createHash('sha256').update(manifest).digest('hex')}`);
  });

  it('says what went wrong without the password', async () => {
    const cases: [string, Record<string, (call: Call) => Response | Error>, RegistryAuth | undefined, string][] = [
      [
        'refused credentials',
        {
          'HEAD https://reg.io/v2/app/manifests/1': () =>
            new Response(null, { status: 401, headers: { 'www-authenticate': 'Basic realm="r"' } }),
        },
        { serveraddress: 'reg.io', username: 'u', password: 'hunter2' },
        'the registry reg.io refused the credentials for reg.io/app:1 (HTTP 401)',
      ],
      [
        'no credentials for basic auth',
        {
          'HEAD https://reg.io/v2/app/manifests/1': () =>
            new Response(null, { status: 401, headers: { 'www-authenticate': 'Basic realm="r"' } }),
        },
        undefined,
        'the registry reg.io needs credentials for reg.io/app:1; none are configured (docker login)',
      ],
      [
        'an unknown tag',
        { 'HEAD https://reg.io/v2/app/manifests/1': () => new Response(null, { status: 404 }) },
        undefined,
        'reg.io/app:1 is not in the registry (HTTP 404)',
      ],
    ];
    for (const [, answers, auth, message] of cases) {
      const { fetch } = scripted(answers);
      const error = await new RegistryClient({ fetch, credentials: credentials(auth) })
        .manifestDigest('reg.io/app:1', AbortSignal.timeout(5000))
        .then(
          () => undefined,
          (problem: unknown) => problem as Error,
        );
      strictEqual(error?.message, message);
      ok(!(error?.message ?? '').includes('hunter2'));
    }
  });
});
