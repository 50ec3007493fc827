/**
 * Registry credentials the way the docker CLI finds them: explicit credentials first, then
 * `credHelpers[host]`, `credsStore`, and `auths` from `$DOCKER_CONFIG/config.json` (default
 * `~/.docker/config.json`). Credential helpers run as `docker-credential-<name> get` with the server
 * address on stdin (never on argv, so it cannot leak through `ps`). Secrets are never logged and never
 * put into error messages.
 */
import { spawn } from 'node:child_process';
import * as path from 'node:path';

import { RegistryError, type RegistryAuth } from './ContainerRuntime';
import { dockerConfigDir } from './dockerEndpoint';

/** Docker Hub's canonical credential key (what `docker login` writes for Hub). */
export const DOCKER_HUB_SERVER = 'https://index.docker.io/v1/';
const DOCKER_HUB_ALIASES = new Set(['docker.io', 'index.docker.io', 'registry-1.docker.io', 'registry.hub.docker.com']);

export interface RegistryAuthOptions {
  env: Readonly<Record<string, string | undefined>>;
  homeDir: string;
  /** Overrides `$DOCKER_CONFIG/config.json`. */
  configPath?: string;
  /** Whole file contents, or undefined when the file does not exist. */
  readFile: (filePath: string) => Promise<Buffer | undefined>;
  /** Credentials given explicitly (settings, CLI flags, task `credentials`); they win over config.json. */
  explicit?: readonly RegistryAuth[];
  /** Limit for one credential-helper call. Default 30 s. */
  helperTimeoutMs?: number;
}

/**
 * The registry host as used for credential lookup: scheme and path stripped, lower-cased, and every
 * Docker Hub spelling (docker.io, index.docker.io, https://index.docker.io/v1/, …) folded to `docker.io`.
 */
export function normalizeRegistryHost(registry: string): string {
  let host = registry.trim();
  host = host.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '');
  const slash = host.indexOf('/');
  if (slash >= 0) host = host.slice(0, slash);
  host = host.toLowerCase();
  return DOCKER_HUB_ALIASES.has(host) ? 'docker.io' : host;
}

/**
 * The registry host of an image reference (`localhost:5000/app:1` → `localhost:5000`, `busybox` →
 * `docker.io`), using Docker's rule: the first path component is a registry only if it contains `.` or
 * `:` or is `localhost`.
 */
export function registryHostOfImage(reference: string): string {
  const slash = reference.indexOf('/');
  if (slash < 0) return 'docker.io';
  const first = reference.slice(0, slash);
  if (first.includes('.') || first.includes(':') || first === 'localhost') return normalizeRegistryHost(first);
  return 'docker.io';
}

/** The address to hand to a credential helper and the engine for `host` (Hub uses its legacy URL). */
export function serverAddressFor(host: string): string {
  const normalized = normalizeRegistryHost(host);
  return normalized === 'docker.io' ? DOCKER_HUB_SERVER : normalized;
}

/** Credentials for `registry` (a host or an image's registry), or undefined when none are configured. */
export async function resolveRegistryAuth(
  registry: string,
  options: RegistryAuthOptions,
): Promise<RegistryAuth | undefined> {
  const host = normalizeRegistryHost(registry);
  const explicit = options.explicit?.find((auth) => normalizeRegistryHost(auth.serveraddress) === host);
  if (explicit) return { ...explicit, serveraddress: serverAddressFor(host) };

  const configPath = options.configPath ?? path.join(dockerConfigDir(options.env, options.homeDir), 'config.json');
  const config = await readDockerConfig(configPath, options.readFile);
  if (!config) return undefined;

  const helperKey = Object.keys(config.credHelpers).find((key) => normalizeRegistryHost(key) === host);
  const helper = helperKey !== undefined ? config.credHelpers[helperKey] : config.credsStore;
  if (helper) {
    const serverAddress = helperKey ?? findAuthsKey(config, host) ?? serverAddressFor(host);
    return runCredentialHelper(helper, serverAddress, options);
  }
  const authsKey = findAuthsKey(config, host);
  if (authsKey === undefined) return undefined;
  return decodeAuthsEntry(config.auths[authsKey], serverAddressFor(host), configPath);
}

interface DockerConfig {
  auths: Record<string, unknown>;
  credHelpers: Record<string, string>;
  credsStore?: string;
}

async function readDockerConfig(
  configPath: string,
  readFile: RegistryAuthOptions['readFile'],
): Promise<DockerConfig | undefined> {
  const raw = await readFile(configPath);
  if (!raw) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw.toString('utf8'));
  } catch {
    // The parser's message can quote file content (i.e. secrets), so it is not passed on.
    throw new RegistryError(`${configPath} is not valid JSON`, configPath);
  }
  if (!isRecord(parsed)) throw new RegistryError(`${configPath} is not a JSON object`, configPath);
  const credHelpers: Record<string, string> = {};
  if (isRecord(parsed['credHelpers'])) {
    for (const [key, value] of Object.entries(parsed['credHelpers'])) {
      if (typeof value === 'string' && value !== '') credHelpers[key] = value;
    }
  }
  const credsStore =
    typeof parsed['credsStore'] === 'string' && parsed['credsStore'] ? parsed['credsStore'] : undefined;
  const auths = isRecord(parsed['auths']) ? parsed['auths'] : {};
  return credsStore ? { auths, credHelpers, credsStore } : { auths, credHelpers };
}

function findAuthsKey(config: DockerConfig, host: string): string | undefined {
  return Object.keys(config.auths).find((key) => normalizeRegistryHost(key) === host);
}

function decodeAuthsEntry(entry: unknown, serveraddress: string, configPath: string): RegistryAuth | undefined {
  if (!isRecord(entry)) return undefined;
  const auth: RegistryAuth = { serveraddress };
  if (typeof entry['auth'] === 'string' && entry['auth'] !== '') {
    const decoded = Buffer.from(entry['auth'], 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) {
      throw new RegistryError(
        `the "auth" entry for ${serveraddress} in ${configPath} is not base64 of user:password`,
        serveraddress,
      );
    }
    auth.username = decoded.slice(0, colon);
    auth.password = decoded.slice(colon + 1);
  } else {
    if (typeof entry['username'] === 'string') auth.username = entry['username'];
    if (typeof entry['password'] === 'string') auth.password = entry['password'];
  }
  if (typeof entry['identitytoken'] === 'string' && entry['identitytoken'] !== '') {
    auth.identitytoken = entry['identitytoken'];
  }
  const hasSecret = auth.password !== undefined || auth.identitytoken !== undefined;
  return hasSecret ? auth : undefined;
}

/**
 * `docker-credential-<helper> get`, server address on stdin. Returns undefined when the helper has no
 * credentials for that server (its "credentials not found" answer), like the docker CLI.
 */
export async function runCredentialHelper(
  helper: string,
  serverAddress: string,
  options: Pick<RegistryAuthOptions, 'env' | 'helperTimeoutMs'>,
): Promise<RegistryAuth | undefined> {
  const program = `docker-credential-${helper}`;
  const { exitCode, stdout, stderr } = await runWithStdin(program, ['get'], serverAddress, options);
  if (exitCode !== 0) {
    const answer = (stdout.trim() || stderr.trim()).split('\n')[0] ?? '';
    if (/credentials not found/i.test(answer)) return undefined;
    throw new RegistryError(`${program} failed for ${serverAddress} (exit ${exitCode}): ${answer}`, serverAddress);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(stdout);
  } catch {
    throw new RegistryError(`${program} returned something that is not JSON for ${serverAddress}`, serverAddress);
  }
  if (!isRecord(parsed) || typeof parsed['Secret'] !== 'string') {
    throw new RegistryError(`${program} returned no "Secret" for ${serverAddress}`, serverAddress);
  }
  const username = typeof parsed['Username'] === 'string' ? parsed['Username'] : '';
  // Helpers store identity tokens (e.g. `az acr login`'s refresh token) under the user name "<token>".
  if (username === '<token>') return { serveraddress: serverAddress, identitytoken: parsed['Secret'] };
  return { serveraddress: serverAddress, username, password: parsed['Secret'] };
}

interface ProcessOutcome {
  exitCode: number;
  stdout: string;
  stderr: string;
}

function runWithStdin(
  program: string,
  args: string[],
  input: string,
  options: Pick<RegistryAuthOptions, 'env' | 'helperTimeoutMs'>,
): Promise<ProcessOutcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, {
      env: { ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
      timeout: options.helperTimeoutMs ?? 30_000,
      killSignal: 'SIGKILL',
    });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.on('error', (error: NodeJS.ErrnoException) => {
      const why = error.code === 'ENOENT' ? 'is not on PATH' : `could not be started (${error.code ?? error.message})`;
      reject(new RegistryError(`credential helper ${program} ${why}`, input));
    });
    child.on('close', (code, signal) => {
      if (signal) {
        reject(new RegistryError(`credential helper ${program} was stopped (${signal}) before answering`, input));
        return;
      }
      resolve({
        exitCode: code ?? 1,
        stdout: Buffer.concat(stdout).toString('utf8'),
        stderr: Buffer.concat(stderr).toString('utf8'),
      });
    });
    // A helper that exits without reading stdin makes this write fail with EPIPE; the exit code tells.
    child.stdin.on('error', () => undefined);
    child.stdin.end(input);
  });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
