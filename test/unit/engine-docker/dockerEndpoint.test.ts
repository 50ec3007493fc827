import { deepStrictEqual, rejects, strictEqual } from 'node:assert';
import { createHash } from 'node:crypto';

import { EngineUnreachableError } from '../../../server/src/engine/ContainerRuntime';
import {
  connectionFailureReason,
  contextDirectoryName,
  resolveDockerEndpoint,
  type EndpointEnvironment,
  type EndpointSetting,
  type EndpointTransport,
  type ResolvedEndpoint,
} from '../../../server/src/engine/dockerEndpoint';

const HOME = '/home/dev';
const sha = (name: string): string => createHash('sha256').update(name).digest('hex');

/** An environment whose files are the given map (path → content). */
function fixture(env: Record<string, string>, files: Record<string, string> = {}): EndpointEnvironment {
  return {
    env,
    homeDir: HOME,
    readFile: (filePath) => Promise.resolve(filePath in files ? Buffer.from(files[filePath]) : undefined),
  };
}

function contextMeta(name: string, host: string, skipTlsVerify = false): string {
  return JSON.stringify({
    Name: name,
    Metadata: {},
    Endpoints: { docker: { Host: host, SkipTLSVerify: skipTlsVerify } },
  });
}

const remoteMetaPath = `${HOME}/.docker/contexts/meta/${sha('remote')}/meta.json`;
const remoteTlsDir = `${HOME}/.docker/contexts/tls/${sha('remote')}/docker`;

describe('resolveDockerEndpoint', () => {
  const cases: Array<{
    name: string;
    setting?: EndpointSetting;
    env?: Record<string, string>;
    files?: Record<string, string>;
    expected: ResolvedEndpoint;
  }> = [
    {
      name: 'nothing configured: the default socket',
      expected: {
        endpoint: 'unix:///var/run/docker.sock',
        source: 'default',
        transport: { kind: 'unix', socketPath: '/var/run/docker.sock' },
      },
    },
    {
      name: 'DOCKER_HOST unix:// path',
      env: { DOCKER_HOST: 'unix:///run/user/1000/docker.sock' },
      expected: {
        endpoint: 'unix:///run/user/1000/docker.sock',
        source: 'DOCKER_HOST',
        transport: { kind: 'unix', socketPath: '/run/user/1000/docker.sock' },
      },
    },
    {
      name: 'DOCKER_HOST tcp:// without TLS, port defaults to 2375',
      env: { DOCKER_HOST: 'tcp://build-box' },
      expected: {
        endpoint: 'tcp://build-box:2375',
        source: 'DOCKER_HOST',
        transport: { kind: 'tcp', host: 'build-box', port: 2375 },
      },
    },
    {
      name: 'scheme-less host:port means tcp',
      env: { DOCKER_HOST: '10.0.0.5:2375' },
      expected: {
        endpoint: 'tcp://10.0.0.5:2375',
        source: 'DOCKER_HOST',
        transport: { kind: 'tcp', host: '10.0.0.5', port: 2375 },
      },
    },
    {
      name: 'DOCKER_TLS_VERIFY with DOCKER_CERT_PATH: verified TLS with the three PEM files, port 2376',
      env: { DOCKER_HOST: 'tcp://build-box', DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: '/certs' },
      files: { '/certs/ca.pem': 'CA', '/certs/cert.pem': 'CERT', '/certs/key.pem': 'KEY' },
      expected: {
        endpoint: 'tcp://build-box:2376 (TLS)',
        source: 'DOCKER_HOST',
        transport: {
          kind: 'tcp',
          host: 'build-box',
          port: 2376,
          tls: { ca: Buffer.from('CA'), cert: Buffer.from('CERT'), key: Buffer.from('KEY'), verify: true },
        },
      },
    },
    {
      name: 'DOCKER_TLS_VERIFY without DOCKER_CERT_PATH reads ~/.docker; "0" still means verify (docker CLI)',
      env: { DOCKER_HOST: 'tcp://build-box:2376', DOCKER_TLS_VERIFY: '0' },
      files: { [`${HOME}/.docker/ca.pem`]: 'CA' },
      expected: {
        endpoint: 'tcp://build-box:2376 (TLS)',
        source: 'DOCKER_HOST',
        transport: { kind: 'tcp', host: 'build-box', port: 2376, tls: { ca: Buffer.from('CA'), verify: true } },
      },
    },
    {
      name: 'DOCKER_TLS without verify',
      env: { DOCKER_HOST: 'tcp://build-box:2376', DOCKER_TLS: '1', DOCKER_CERT_PATH: '/certs' },
      expected: {
        endpoint: 'tcp://build-box:2376 (TLS, server not verified)',
        source: 'DOCKER_HOST',
        transport: { kind: 'tcp', host: 'build-box', port: 2376, tls: { verify: false } },
      },
    },
    {
      name: 'ssh:// with user and port, agent from SSH_AUTH_SOCK',
      env: { DOCKER_HOST: 'ssh://deploy@build-box:2222', SSH_AUTH_SOCK: '/tmp/agent.sock' },
      expected: {
        endpoint: 'ssh://deploy@build-box:2222',
        source: 'DOCKER_HOST',
        transport: { kind: 'ssh', host: 'build-box', port: 2222, username: 'deploy', agent: '/tmp/agent.sock' },
      },
    },
    {
      name: 'ssh:// without agent falls back to ~/.ssh/id_ed25519, user from USER',
      env: { DOCKER_HOST: 'ssh://build-box', USER: 'dev' },
      files: { [`${HOME}/.ssh/id_ed25519`]: 'PRIVATE' },
      expected: {
        endpoint: 'ssh://dev@build-box',
        source: 'DOCKER_HOST',
        transport: { kind: 'ssh', host: 'build-box', port: 22, username: 'dev', privateKey: Buffer.from('PRIVATE') },
      },
    },
    {
      name: 'explicit host beats DOCKER_HOST',
      setting: { host: 'unix:///custom.sock' },
      env: { DOCKER_HOST: 'tcp://elsewhere:2375' },
      expected: {
        endpoint: 'unix:///custom.sock',
        source: 'setting',
        transport: { kind: 'unix', socketPath: '/custom.sock' },
      },
    },
    {
      name: 'explicit context beats DOCKER_HOST; context TLS material and SkipTLSVerify',
      setting: { context: 'remote' },
      env: { DOCKER_HOST: 'tcp://elsewhere:2375' },
      files: {
        [remoteMetaPath]: contextMeta('remote', 'tcp://remote-box:2376', true),
        [`${remoteTlsDir}/ca.pem`]: 'CA',
      },
      expected: {
        endpoint: 'tcp://remote-box:2376 (TLS, server not verified) (context "remote")',
        source: 'setting',
        contextName: 'remote',
        transport: { kind: 'tcp', host: 'remote-box', port: 2376, tls: { ca: Buffer.from('CA'), verify: false } },
      },
    },
    {
      name: 'DOCKER_HOST beats DOCKER_CONTEXT',
      env: { DOCKER_HOST: 'unix:///a.sock', DOCKER_CONTEXT: 'remote' },
      expected: {
        endpoint: 'unix:///a.sock',
        source: 'DOCKER_HOST',
        transport: { kind: 'unix', socketPath: '/a.sock' },
      },
    },
    {
      name: 'DOCKER_CONTEXT beats currentContext; a context without TLS files is plain tcp',
      env: { DOCKER_CONTEXT: 'remote' },
      files: {
        [`${HOME}/.docker/config.json`]: JSON.stringify({ currentContext: 'other' }),
        [remoteMetaPath]: contextMeta('remote', 'tcp://remote-box:2375'),
      },
      expected: {
        endpoint: 'tcp://remote-box:2375 (context "remote")',
        source: 'DOCKER_CONTEXT',
        contextName: 'remote',
        transport: { kind: 'tcp', host: 'remote-box', port: 2375 },
      },
    },
    {
      name: 'currentContext from DOCKER_CONFIG/config.json',
      env: { DOCKER_CONFIG: '/cfg' },
      files: {
        '/cfg/config.json': JSON.stringify({ currentContext: 'rootless' }),
        [`/cfg/contexts/meta/${sha('rootless')}/meta.json`]: contextMeta(
          'rootless',
          'unix:///run/user/1000/docker.sock',
        ),
      },
      expected: {
        endpoint: 'unix:///run/user/1000/docker.sock (context "rootless")',
        source: 'currentContext',
        contextName: 'rootless',
        transport: { kind: 'unix', socketPath: '/run/user/1000/docker.sock' },
      },
    },
    {
      name: 'currentContext "default" is the default socket',
      files: { [`${HOME}/.docker/config.json`]: JSON.stringify({ currentContext: 'default' }) },
      expected: {
        endpoint: 'unix:///var/run/docker.sock',
        source: 'currentContext',
        contextName: 'default',
        transport: { kind: 'unix', socketPath: '/var/run/docker.sock' },
      },
    },
  ];
  for (const { name, setting, env, files, expected } of cases) {
    it(name, async () => {
      deepStrictEqual(await resolveDockerEndpoint(setting ?? {}, fixture(env ?? {}, files)), expected);
    });
  }

  const failures: Array<{
    name: string;
    setting?: EndpointSetting;
    env?: Record<string, string>;
    files?: Record<string, string>;
    expected: { endpoint: string; reason: RegExp };
  }> = [
    {
      name: 'unknown context names the meta file it looked for',
      setting: { context: 'nope' },
      expected: {
        endpoint: 'context "nope"',
        reason: new RegExp(`does not exist \\(no .*${sha('nope')}/meta\\.json\\)`),
      },
    },
    {
      name: 'DOCKER_TLS_VERIFY without ca.pem',
      env: { DOCKER_HOST: 'tcp://h:2376', DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: '/certs' },
      expected: { endpoint: 'tcp://h:2376', reason: /CA certificate \/certs\/ca\.pem does not exist/ },
    },
    {
      name: 'cert.pem without key.pem',
      env: { DOCKER_HOST: 'tcp://h:2376', DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: '/certs' },
      files: { '/certs/ca.pem': 'CA', '/certs/cert.pem': 'CERT' },
      expected: { endpoint: 'tcp://h:2376', reason: /only one of cert\.pem \/ key\.pem/ },
    },
    {
      name: 'unsupported scheme',
      env: { DOCKER_HOST: 'npipe:////./pipe/docker_engine' },
      expected: { endpoint: 'npipe:////./pipe/docker_engine', reason: /unsupported scheme "npipe:\/\/"/ },
    },
    {
      name: 'context meta without a docker endpoint',
      setting: { context: 'remote' },
      files: { [remoteMetaPath]: JSON.stringify({ Name: 'remote', Endpoints: {} }) },
      expected: { endpoint: 'context "remote"', reason: /has no Endpoints\.docker\.Host/ },
    },
  ];
  for (const { name, setting, env, files, expected } of failures) {
    it(`fails clearly: ${name}`, async () => {
      await rejects(resolveDockerEndpoint(setting ?? {}, fixture(env ?? {}, files)), (error: unknown) => {
        strictEqual(error instanceof EngineUnreachableError, true);
        const typed = error as EngineUnreachableError;
        strictEqual(typed.endpoint, expected.endpoint);
        strictEqual(expected.reason.test(typed.reason), true, typed.reason);
        return true;
      });
    });
  }

  it('names context directories by the SHA-256 of the context name', () => {
    strictEqual(contextDirectoryName('desktop-linux'), sha('desktop-linux'));
  });
});

describe('connectionFailureReason', () => {
  const socket: EndpointTransport = { kind: 'unix', socketPath: '/var/run/docker.sock' };
  const tcp: EndpointTransport = { kind: 'tcp', host: 'h', port: 2375 };
  const withCode = (code: string, message = code): Error => Object.assign(new Error(message), { code });
  const cases: Array<{ name: string; error: unknown; transport: EndpointTransport; expected: string | undefined }> = [
    {
      name: 'missing socket',
      error: withCode('ENOENT'),
      transport: socket,
      expected: 'the socket /var/run/docker.sock does not exist (is dockerd running?)',
    },
    {
      name: 'socket permission',
      error: withCode('EACCES'),
      transport: socket,
      expected: 'permission denied on the socket /var/run/docker.sock (is your user in the docker group?)',
    },
    {
      name: 'refused',
      error: withCode('ECONNREFUSED'),
      transport: tcp,
      expected: 'connection refused by h:2375 (nothing is listening there)',
    },
    {
      name: 'reset on plain tcp hints at TLS',
      error: withCode('ECONNRESET'),
      transport: tcp,
      expected: 'the connection to h:2375 was reset (does the engine require TLS? set DOCKER_TLS_VERIFY=1)',
    },
    {
      name: 'TLS verification failure',
      error: withCode('DEPTH_ZERO_SELF_SIGNED_CERT', 'self-signed certificate'),
      transport: { kind: 'tcp', host: 'h', port: 2376, tls: { verify: true } },
      expected: 'TLS failure talking to h:2376: self-signed certificate (DEPTH_ZERO_SELF_SIGNED_CERT)',
    },
    {
      name: 'an HTTP error is not a connection failure',
      error: Object.assign(new Error('(HTTP code 404)'), { statusCode: 404 }),
      transport: tcp,
      expected: undefined,
    },
  ];
  for (const { name, error, transport, expected } of cases) {
    it(name, () => strictEqual(connectionFailureReason(error, transport), expected));
  }
});
