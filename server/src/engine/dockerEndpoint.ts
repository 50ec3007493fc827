/**
 * Where is the Docker engine? Resolves the endpoint the way the docker CLI does, so that our runs hit the
 * same engine as the user's `docker` commands:
 *
 *   explicit setting (`host` or `context`) → DOCKER_HOST → DOCKER_CONTEXT → config.json `currentContext`
 *   → unix:///var/run/docker.sock
 *
 * All I/O comes in through {@link EndpointEnvironment} (environment, home directory, a file reader), so
 * every branch is unit-testable with fixture files. The result is in our own types; DockerodeRuntime turns
 * it into docker-modem options.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';

import { EngineUnreachableError } from './ContainerRuntime';

export const DEFAULT_SOCKET_PATH = '/var/run/docker.sock';

/** The user's explicit choice (extension setting or CLI flag); `host` wins over `context`. */
export interface EndpointSetting {
  /** A Docker host string: `unix:///path`, `tcp://host:port`, `ssh://user@host[:port]`, or `host:port`. */
  host?: string;
  /** A Docker context name (as in `docker --context NAME`). */
  context?: string;
}

/** The I/O the resolver needs; production code passes the real process environment and fs. */
export interface EndpointEnvironment {
  env: Readonly<Record<string, string | undefined>>;
  homeDir: string;
  /** Whole file contents, or undefined when the file does not exist. */
  readFile: (filePath: string) => Promise<Buffer | undefined>;
}

/** TLS material, as PEM buffers; `verify: false` means the server certificate is not checked. */
export interface EndpointTls {
  ca?: Buffer;
  cert?: Buffer;
  key?: Buffer;
  verify: boolean;
}

/** How to open a connection; a plain description, free of dockerode/docker-modem types. */
export type EndpointTransport =
  | { kind: 'unix'; socketPath: string }
  | { kind: 'tcp'; host: string; port: number; tls?: EndpointTls }
  | { kind: 'ssh'; host: string; port: number; username: string; agent?: string; privateKey?: Buffer };

export type EndpointSource = 'setting' | 'DOCKER_HOST' | 'DOCKER_CONTEXT' | 'currentContext' | 'default';

export interface ResolvedEndpoint {
  /** For messages: `unix:///var/run/docker.sock`, `tcp://h:2376 (TLS)`, `ssh://u@h (context "remote")`. */
  endpoint: string;
  /** Which rule of the precedence chain chose it. */
  source: EndpointSource;
  contextName?: string;
  transport: EndpointTransport;
}

/** Resolve the engine endpoint; throws {@link EngineUnreachableError} when the configuration is unusable. */
export async function resolveDockerEndpoint(
  setting: EndpointSetting,
  io: EndpointEnvironment,
): Promise<ResolvedEndpoint> {
  if (setting.host) return fromHostString(setting.host, 'setting', io);
  if (setting.context) return fromContext(setting.context, 'setting', io);
  const dockerHost = io.env['DOCKER_HOST'];
  if (dockerHost) return fromHostString(dockerHost, 'DOCKER_HOST', io);
  const envContext = io.env['DOCKER_CONTEXT'];
  if (envContext) return fromContext(envContext, 'DOCKER_CONTEXT', io);
  const current = await readCurrentContext(io);
  if (current) return fromContext(current, 'currentContext', io);
  return defaultEndpoint();
}

/** The docker CLI's configuration directory: `$DOCKER_CONFIG`, else `~/.docker`. */
export function dockerConfigDir(env: Readonly<Record<string, string | undefined>>, homeDir: string): string {
  return env['DOCKER_CONFIG'] || path.join(homeDir, '.docker');
}

/** Directory holding a context's metadata; Docker names it after the SHA-256 of the context name. */
export function contextDirectoryName(contextName: string): string {
  return createHash('sha256').update(contextName).digest('hex');
}

function defaultEndpoint(): ResolvedEndpoint {
  return {
    endpoint: `unix://${DEFAULT_SOCKET_PATH}`,
    source: 'default',
    transport: { kind: 'unix', socketPath: DEFAULT_SOCKET_PATH },
  };
}

async function readCurrentContext(io: EndpointEnvironment): Promise<string | undefined> {
  const configPath = path.join(dockerConfigDir(io.env, io.homeDir), 'config.json');
  const raw = await io.readFile(configPath);
  if (!raw) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw.toString('utf8'));
  } catch (error) {
    throw new EngineUnreachableError(`config ${configPath}`, `cannot parse it as JSON: ${String(error)}`);
  }
  const current = isRecord(parsed) ? parsed['currentContext'] : undefined;
  return typeof current === 'string' && current !== '' ? current : undefined;
}

async function fromContext(name: string, source: EndpointSource, io: EndpointEnvironment): Promise<ResolvedEndpoint> {
  // "default" is not stored on disk: it means "DOCKER_HOST or the default socket", and DOCKER_HOST was
  // already considered when we get here through the environment.
  if (name === 'default') {
    const dockerHost = source === 'setting' ? io.env['DOCKER_HOST'] : undefined;
    const resolved = dockerHost ? await fromHostString(dockerHost, 'DOCKER_HOST', io) : defaultEndpoint();
    return { ...resolved, source, contextName: name };
  }
  const configDir = dockerConfigDir(io.env, io.homeDir);
  const sha = contextDirectoryName(name);
  const metaPath = path.join(configDir, 'contexts', 'meta', sha, 'meta.json');
  const label = `context "${name}"`;
  const raw = await io.readFile(metaPath);
  if (!raw) throw new EngineUnreachableError(label, `the context does not exist (no ${metaPath})`);
  let meta: unknown;
  try {
    meta = JSON.parse(raw.toString('utf8'));
  } catch (error) {
    throw new EngineUnreachableError(label, `cannot parse ${metaPath}: ${String(error)}`);
  }
  const endpoints = isRecord(meta) ? meta['Endpoints'] : undefined;
  const docker = isRecord(endpoints) ? endpoints['docker'] : undefined;
  const host = isRecord(docker) ? docker['Host'] : undefined;
  if (typeof host !== 'string' || host === '') {
    throw new EngineUnreachableError(label, `${metaPath} has no Endpoints.docker.Host`);
  }
  const skipVerify = isRecord(docker) && docker['SkipTLSVerify'] === true;
  const tlsDir = path.join(configDir, 'contexts', 'tls', sha, 'docker');
  const [ca, cert, key] = await Promise.all(
    ['ca.pem', 'cert.pem', 'key.pem'].map((file) => io.readFile(path.join(tlsDir, file))),
  );
  const hasTls = ca !== undefined || cert !== undefined || key !== undefined;
  const tls: EndpointTls | undefined =
    hasTls || skipVerify ? compact({ ca, cert, key, verify: !skipVerify }) : undefined;
  const resolved = await fromHostString(host, source, io, { tls });
  return { ...resolved, endpoint: `${resolved.endpoint} (context "${name}")`, contextName: name };
}

interface HostOverrides {
  /** TLS settings from a context; when given, the DOCKER_TLS* environment is not consulted. */
  tls: EndpointTls | undefined;
}

async function fromHostString(
  hostString: string,
  source: EndpointSource,
  io: EndpointEnvironment,
  overrides?: HostOverrides,
): Promise<ResolvedEndpoint> {
  const withScheme = hostString.includes('://') ? hostString : `tcp://${hostString}`;
  const scheme = withScheme.slice(0, withScheme.indexOf('://'));
  if (scheme === 'unix') {
    const socketPath = withScheme.slice('unix://'.length) || DEFAULT_SOCKET_PATH;
    return { endpoint: `unix://${socketPath}`, source, transport: { kind: 'unix', socketPath } };
  }
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new EngineUnreachableError(hostString, 'not a valid Docker host (expected unix://, tcp:// or ssh://)');
  }
  if (scheme === 'ssh') {
    const port = url.port ? Number(url.port) : 22;
    const username = decodeURIComponent(url.username) || io.env['USER'] || 'root';
    const agent = io.env['SSH_AUTH_SOCK'] || undefined;
    const privateKey = agent ? undefined : await findSshIdentity(io);
    const shown = `ssh://${username}@${url.hostname}${url.port ? `:${url.port}` : ''}`;
    return {
      endpoint: shown,
      source,
      transport: compact({ kind: 'ssh' as const, host: url.hostname, port, username, agent, privateKey }),
    };
  }
  if (scheme !== 'tcp' && scheme !== 'http' && scheme !== 'https') {
    throw new EngineUnreachableError(
      hostString,
      `unsupported scheme "${scheme}://" (expected unix://, tcp:// or ssh://)`,
    );
  }
  const tls = overrides ? overrides.tls : await tlsFromEnvironment(io, scheme === 'https');
  const port = url.port ? Number(url.port) : tls ? 2376 : 2375;
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const description = `tcp://${url.hostname}:${port}${tls ? (tls.verify ? ' (TLS)' : ' (TLS, server not verified)') : ''}`;
  return { endpoint: description, source, transport: compact({ kind: 'tcp' as const, host, port, tls }) };
}

/**
 * The docker CLI's rules: DOCKER_TLS_VERIFY (any non-empty value, even "0") means TLS with server
 * verification against ca.pem; DOCKER_TLS means TLS without verification; certificates come from
 * DOCKER_CERT_PATH, else the config directory (~/.docker).
 */
async function tlsFromEnvironment(io: EndpointEnvironment, httpsScheme: boolean): Promise<EndpointTls | undefined> {
  const verify = Boolean(io.env['DOCKER_TLS_VERIFY']);
  const tlsOnly = Boolean(io.env['DOCKER_TLS']) || httpsScheme;
  if (!verify && !tlsOnly) return undefined;
  const certDir = io.env['DOCKER_CERT_PATH'] || dockerConfigDir(io.env, io.homeDir);
  const [ca, cert, key] = await Promise.all(
    ['ca.pem', 'cert.pem', 'key.pem'].map((file) => io.readFile(path.join(certDir, file))),
  );
  if (verify && !ca) {
    throw new EngineUnreachableError(
      io.env['DOCKER_HOST'] ?? 'DOCKER_HOST',
      `DOCKER_TLS_VERIFY is set but the CA certificate ${path.join(certDir, 'ca.pem')} does not exist`,
    );
  }
  if ((cert === undefined) !== (key === undefined)) {
    throw new EngineUnreachableError(
      io.env['DOCKER_HOST'] ?? 'DOCKER_HOST',
      `only one of cert.pem / key.pem exists in ${certDir}; both are needed for a client certificate`,
    );
  }
  return compact({ ca, cert, key, verify });
}

/** ssh2 cannot read ~/.ssh/config like the ssh binary does; without an agent we try the usual identities. */
async function findSshIdentity(io: EndpointEnvironment): Promise<Buffer | undefined> {
  for (const name of ['id_ed25519', 'id_ecdsa', 'id_rsa']) {
    const key = await io.readFile(path.join(io.homeDir, '.ssh', name));
    if (key) return key;
  }
  return undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Drop undefined members so results compare cleanly with deepStrictEqual and never carry empty keys. */
function compact<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

const TLS_ERROR_CODE = /^(ERR_TLS_|ERR_SSL_|CERT_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_|ERR_OSSL_)/;

/**
 * Explains a failure to connect, or returns undefined when `error` is not a connection-level failure
 * (an HTTP error from a reachable engine is not "unreachable").
 */
export function connectionFailureReason(error: unknown, transport: EndpointTransport): string | undefined {
  if (!isRecord(error) && !(error instanceof Error)) return undefined;
  const record = error as unknown as Record<string, unknown>;
  const code = typeof record['code'] === 'string' ? record['code'] : undefined;
  const message =
    error instanceof Error ? error.message : typeof record['message'] === 'string' ? record['message'] : '';
  const where = transport.kind === 'unix' ? `socket ${transport.socketPath}` : `${transport.host}:${transport.port}`;
  switch (code) {
    case 'ENOENT':
      return `the ${where} does not exist (is dockerd running?)`;
    case 'EACCES':
    case 'EPERM':
      return `permission denied on the ${where} (is your user in the docker group?)`;
    case 'ECONNREFUSED':
      return `connection refused by ${where} (nothing is listening there)`;
    case 'ETIMEDOUT':
      return `connecting to ${where} timed out`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `the host name ${transport.kind === 'unix' ? where : transport.host} cannot be resolved`;
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return `no route to ${where}`;
    case 'ECONNRESET':
    case 'EPIPE':
      return transport.kind === 'tcp' && !transport.tls
        ? `the connection to ${where} was reset (does the engine require TLS? set DOCKER_TLS_VERIFY=1)`
        : `the connection to ${where} was reset: ${message}`;
  }
  if (code && TLS_ERROR_CODE.test(code)) return `TLS failure talking to ${where}: ${message} (${code})`;
  if (/Client sent an HTTP request to an HTTPS server/i.test(message)) {
    return `${where} speaks TLS but we connected without it (set DOCKER_TLS_VERIFY=1 and DOCKER_CERT_PATH)`;
  }
  // ssh2 marks its failures with a `level` ('client-socket', 'client-authentication', 'protocol', …).
  if (transport.kind === 'ssh' && typeof record['level'] === 'string') {
    return record['level'] === 'client-authentication'
      ? `SSH authentication as ${transport.username}@${transport.host} failed (is ssh-agent running with your key?)`
      : `SSH failure talking to ${where}: ${message}`;
  }
  return undefined;
}

/** The real process environment, home directory and file system. */
export function nodeEndpointEnvironment(): EndpointEnvironment {
  return { env: process.env, homeDir: os.homedir(), readFile: readFileIfExists };
}

/** Whole file, or undefined when it does not exist; other errors (EACCES, EISDIR) are thrown. */
export async function readFileIfExists(filePath: string): Promise<Buffer | undefined> {
  try {
    return await fs.readFile(filePath);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}
