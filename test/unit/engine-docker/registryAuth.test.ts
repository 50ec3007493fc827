import { deepStrictEqual, rejects, strictEqual } from 'node:assert';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

import { RegistryError, type RegistryAuth } from '../../../server/src/engine/ContainerRuntime';
import {
  normalizeRegistryHost,
  registryHostOfImage,
  resolveRegistryAuth,
  type RegistryAuthOptions,
} from '../../../server/src/engine/registryAuth';

const HOME = '/home/dev';
const b64 = (text: string): string => Buffer.from(text).toString('base64');

describe('registry host normalisation', () => {
  const hosts: Array<[string, string]> = [
    ['docker.io', 'docker.io'],
    ['index.docker.io', 'docker.io'],
    ['https://index.docker.io/v1/', 'docker.io'],
    ['registry-1.docker.io', 'docker.io'],
    ['https://MyReg.azurecr.io/', 'myreg.azurecr.io'],
    ['http://localhost:5000/v2/', 'localhost:5000'],
    ['127.0.0.1:5000', '127.0.0.1:5000'],
  ];
  for (const [input, expected] of hosts)
    it(`${input} → ${expected}`, () => strictEqual(normalizeRegistryHost(input), expected));

  const images: Array<[string, string]> = [
    ['busybox', 'docker.io'],
    ['library/busybox:1', 'docker.io'],
    ['myorg/app', 'docker.io'],
    ['myreg.azurecr.io/app:v1', 'myreg.azurecr.io'],
    ['localhost/app', 'localhost'],
    ['127.0.0.1:5000/team/app@sha256:abc', '127.0.0.1:5000'],
  ];
  for (const [image, expected] of images)
    it(`image ${image} → ${expected}`, () => strictEqual(registryHostOfImage(image), expected));
});

describe('resolveRegistryAuth', () => {
  let helperDir: string;
  let recordDir: string;

  before(() => {
    helperDir = mkdtempSync(path.join(tmpdir(), 'cred-helper-'));
    recordDir = mkdtempSync(path.join(tmpdir(), 'cred-record-'));
    // A credential helper speaking the docker-credential-helpers protocol; it records argv and stdin.
    const script = `#!/bin/sh
printf '%s' "$*" > "$RECORD_DIR/argv"
read -r server
printf '%s' "$server" > "$RECORD_DIR/stdin"
case "$server" in
  myreg.azurecr.io) printf '{"ServerURL":"%s","Username":"<token>","Secret":"refresh-token"}' "$server" ;;
  https://index.docker.io/v1/) printf '{"ServerURL":"%s","Username":"hubuser","Secret":"hubpass"}' "$server" ;;
  broken.example) echo "keychain locked" >&2; exit 3 ;;
  *) echo "credentials not found in native keychain"; exit 1 ;;
esac
`;
    writeFileSync(path.join(helperDir, 'docker-credential-fake'), script);
    chmodSync(path.join(helperDir, 'docker-credential-fake'), 0o755);
  });
  after(() => {
    rmSync(helperDir, { recursive: true, force: true });
    rmSync(recordDir, { recursive: true, force: true });
  });

  function options(config: object | undefined, extra: Partial<RegistryAuthOptions> = {}): RegistryAuthOptions {
    const configPath = `${HOME}/.docker/config.json`;
    return {
      env: { PATH: `${helperDir}:/usr/bin:/bin`, RECORD_DIR: recordDir },
      homeDir: HOME,
      readFile: (file) =>
        Promise.resolve(file === configPath && config ? Buffer.from(JSON.stringify(config)) : undefined),
      ...extra,
    };
  }

  const cases: Array<{
    name: string;
    registry: string;
    config?: object;
    extra?: Partial<RegistryAuthOptions>;
    expected: RegistryAuth | undefined;
  }> = [
    { name: 'no config file', registry: 'myreg.azurecr.io', expected: undefined },
    {
      name: 'auths: base64 user:password (password may contain colons)',
      registry: '127.0.0.1:5000',
      config: { auths: { '127.0.0.1:5000': { auth: b64('acrtest:pa:ss') } } },
      expected: { serveraddress: '127.0.0.1:5000', username: 'acrtest', password: 'pa:ss' },
    },
    {
      name: 'auths: explicit username/password fields, key with scheme and path',
      registry: 'myreg.azurecr.io',
      config: { auths: { 'https://myreg.azurecr.io/v2/': { username: 'u', password: 'p' } } },
      expected: { serveraddress: 'myreg.azurecr.io', username: 'u', password: 'p' },
    },
    {
      name: 'auths: identity token',
      registry: 'myreg.azurecr.io',
      config: {
        auths: { 'myreg.azurecr.io': { auth: b64('00000000-0000-0000-0000-000000000000:'), identitytoken: 'idt' } },
      },
      expected: {
        serveraddress: 'myreg.azurecr.io',
        username: '00000000-0000-0000-0000-000000000000',
        password: '',
        identitytoken: 'idt',
      },
    },
    {
      name: 'Docker Hub: every spelling finds the https://index.docker.io/v1/ entry',
      registry: 'docker.io',
      config: { auths: { 'https://index.docker.io/v1/': { auth: b64('hub:secret') } } },
      expected: { serveraddress: 'https://index.docker.io/v1/', username: 'hub', password: 'secret' },
    },
    {
      name: 'an empty auths entry (left by docker login with a store) is no credential',
      registry: 'myreg.azurecr.io',
      config: { auths: { 'myreg.azurecr.io': {} } },
      expected: undefined,
    },
    {
      name: 'credHelpers[host] wins over auths; "<token>" user means identity token',
      registry: 'myreg.azurecr.io',
      config: { auths: { 'myreg.azurecr.io': { auth: b64('u:p') } }, credHelpers: { 'myreg.azurecr.io': 'fake' } },
      expected: { serveraddress: 'myreg.azurecr.io', identitytoken: 'refresh-token' },
    },
    {
      name: 'credsStore for Hub is asked with the legacy Hub URL',
      registry: 'index.docker.io',
      config: { credsStore: 'fake' },
      expected: { serveraddress: 'https://index.docker.io/v1/', username: 'hubuser', password: 'hubpass' },
    },
    {
      name: 'credsStore without credentials for the host',
      registry: 'other.example',
      config: { credsStore: 'fake' },
      expected: undefined,
    },
    {
      name: 'explicit credentials override config.json',
      registry: 'https://myreg.azurecr.io',
      config: { credHelpers: { 'myreg.azurecr.io': 'fake' } },
      extra: { explicit: [{ serveraddress: 'myreg.azurecr.io', username: 'sp', password: 'sp-secret' }] },
      expected: { serveraddress: 'myreg.azurecr.io', username: 'sp', password: 'sp-secret' },
    },
    {
      name: 'DOCKER_CONFIG is honoured',
      registry: 'myreg.azurecr.io',
      extra: {
        env: { DOCKER_CONFIG: '/cfg' },
        readFile: (file) =>
          Promise.resolve(
            file === '/cfg/config.json'
              ? Buffer.from(JSON.stringify({ auths: { 'myreg.azurecr.io': { auth: b64('a:b') } } }))
              : undefined,
          ),
      },
      expected: { serveraddress: 'myreg.azurecr.io', username: 'a', password: 'b' },
    },
  ];
  for (const { name, registry, config, extra, expected } of cases) {
    it(name, async () => deepStrictEqual(await resolveRegistryAuth(registry, options(config, extra)), expected));
  }

  it('passes the server address on stdin, never on the command line', async () => {
    await resolveRegistryAuth('myreg.azurecr.io', options({ credsStore: 'fake' }));
    deepStrictEqual(
      {
        argv: readFileSync(path.join(recordDir, 'argv'), 'utf8'),
        stdin: readFileSync(path.join(recordDir, 'stdin'), 'utf8'),
      },
      { argv: 'get', stdin: 'myreg.azurecr.io' },
    );
  });

  const failures: Array<{ name: string; registry: string; config: object; message: RegExp }> = [
    {
      name: 'a failing helper',
      registry: 'broken.example',
      config: { credsStore: 'fake' },
      message: /docker-credential-fake failed for broken\.example \(exit 3\): keychain locked/,
    },
    {
      name: 'a missing helper',
      registry: 'myreg.azurecr.io',
      config: { credsStore: 'absent' },
      message: /credential helper docker-credential-absent is not on PATH/,
    },
    {
      name: 'a malformed auth entry',
      registry: 'r.example',
      config: { auths: { 'r.example': { auth: b64('no-colon') } } },
      message: /not base64 of user:password/,
    },
  ];
  for (const { name, registry, config, message } of failures) {
    it(`fails with a RegistryError: ${name}`, async () => {
      await rejects(resolveRegistryAuth(registry, options(config)), (error: unknown) => {
        strictEqual(error instanceof RegistryError, true);
        strictEqual(message.test((error as Error).message), true, (error as Error).message);
        return true;
      });
    });
  }

  it('never quotes config.json content when it is not JSON', async () => {
    const secretish = '{"auths": {"r": {"auth": "c2VjcmV0OnBhc3M="}}';
    await rejects(
      resolveRegistryAuth('r', { ...options(undefined), readFile: () => Promise.resolve(Buffer.from(secretish)) }),
      (error: unknown) => {
        strictEqual((error as Error).message, `${HOME}/.docker/config.json is not valid JSON`);
        return true;
      },
    );
  });
});
