/**
 * Reads the manifest digest a tag points to, over the Registry HTTP API v2 (`HEAD
 * /v2/<name>/manifests/<tag>`, `Docker-Content-Digest`), with the same credentials as pushes.
 *
 * Authentication follows the registry's challenge, as the docker CLI does: `Basic` (Distribution with
 * htpasswd) sends the user and password; `Bearer realm=…,service=…` fetches a pull token from the
 * realm — with basic auth, or with an identity token as an OAuth2 refresh token (`az acr login`).
 * Loopback registries are insecure by default for the engine, so for them plain HTTP is tried after
 * HTTPS, and the scheme that worked is remembered.
 *
 * Written on `fetch` rather than a registry client package because the clients on npm do not fall
 * back to HTTP for insecure registries nor take identity tokens, and this is one request and a token.
 * Secrets never appear in errors.
 */
import { createHash } from 'node:crypto';

import { RegistryError, type RegistryAuth } from '../ContainerRuntime';

/** Every manifest kind a tag can point to; the digest is of whichever the registry holds. */
export const MANIFEST_ACCEPT = [
  'application/vnd.docker.distribution.manifest.v2+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.oci.image.index.v1+json',
].join(', ');

const REQUEST_TIMEOUT_MS = 10_000;
const DOCKER_HUB_API = 'registry-1.docker.io';

export interface ManifestLocation {
  /** Host (and port) the API is reached at. */
  host: string;
  repository: string;
  /** Tag or digest. */
  reference: string;
}

/** Where a reference's manifest lives, by Docker's rules (`busybox` → Docker Hub `library/busybox:latest`). */
export function manifestLocation(image: string): ManifestLocation {
  let rest = image;
  let host = 'docker.io';
  const slash = rest.indexOf('/');
  const first = slash < 0 ? '' : rest.slice(0, slash);
  if (first.includes('.') || first.includes(':') || first === 'localhost') {
    host = first;
    rest = rest.slice(slash + 1);
  }
  let reference = 'latest';
  const at = rest.indexOf('@');
  if (at >= 0) {
    reference = rest.slice(at + 1);
    rest = rest.slice(0, at);
  } else {
    const colon = rest.lastIndexOf(':');
    if (colon > rest.lastIndexOf('/')) {
      reference = rest.slice(colon + 1);
      rest = rest.slice(0, colon);
    }
  }
  if (host === 'docker.io' || host === 'index.docker.io' || host === 'registry.hub.docker.com') {
    return { host: DOCKER_HUB_API, repository: rest.includes('/') ? rest : `library/${rest}`, reference };
  }
  return { host, repository: rest, reference };
}

/** The engine's default insecure registries: 127.0.0.0/8 and localhost (and ::1). */
export function isInsecureByDefault(host: string): boolean {
  const name = host.replace(/:\d+$/, '').replace(/^\[|\]$/g, '');
  return /^127\.\d+\.\d+\.\d+$/.test(name) || name === 'localhost' || name === '::1';
}

interface Challenge {
  scheme: string;
  params: Record<string, string>;
}

/** `Bearer realm="https://x/token",service="x",scope="repository:a:pull"` → scheme and parameters. */
export function parseChallenge(header: string): Challenge | undefined {
  const match = /^\s*(\w+)\s*(.*)$/s.exec(header);
  if (!match?.[1]) return undefined;
  const params: Record<string, string> = {};
  for (const param of (match[2] ?? '').matchAll(/(\w+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^,\s]*))/g)) {
    if (param[1]) params[param[1].toLowerCase()] = (param[2] ?? param[3] ?? '').replace(/\\(.)/g, '$1');
  }
  return { scheme: match[1].toLowerCase(), params };
}

export interface RegistryClientOptions {
  /** Credentials for a registry host (the same lookup pushes use); undefined → anonymous. */
  credentials: (host: string, signal: AbortSignal) => Promise<RegistryAuth | undefined>;
  fetch?: typeof fetch;
  timeoutMs?: number;
}

function reasonOf(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
}

export class RegistryClient {
  private readonly schemes = new Map<string, 'https' | 'http'>();
  private readonly tokens = new Map<string, { token: string; expires: number }>();
  private readonly fetch: typeof fetch;

  constructor(private readonly options: RegistryClientOptions) {
    this.fetch = options.fetch ?? fetch;
  }

  /** The digest `image` (a tag reference) points to now. Throws {@link RegistryError}. */
  async manifestDigest(image: string, signal: AbortSignal): Promise<string> {
    const location = manifestLocation(image);
    const path = `/v2/${location.repository}/manifests/${location.reference}`;
    let authorization: string | undefined;
    let response = await this.request(location.host, path, 'HEAD', authorization, signal, image);
    if (response.status === 401) {
      authorization = await this.authorize(location, response.headers.get('www-authenticate'), signal, image);
      response = await this.request(location.host, path, 'HEAD', authorization, signal, image);
    }
    if (response.status === 401 || response.status === 403)
      throw new RegistryError(
        `the registry ${location.host} refused the credentials for ${image} (HTTP ${response.status})`,
        image,
        response.status,
      );
    if (response.status === 404) throw new RegistryError(`${image} is not in the registry (HTTP 404)`, image, 404);
    if (!response.ok)
      throw new RegistryError(
        `the registry ${location.host} answered HTTP ${response.status} for ${image}`,
        image,
        response.status,
      );
    const digest = response.headers.get('docker-content-digest');
    if (digest) return digest;
    // Some registries leave the header off HEAD answers: the digest is the hash of the manifest bytes.
    const body = await this.request(location.host, path, 'GET', authorization, signal, image);
    const bytes = Buffer.from(await body.arrayBuffer());
    return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
  }

  private async request(
    host: string,
    path: string,
    method: 'HEAD' | 'GET',
    authorization: string | undefined,
    signal: AbortSignal,
    image: string,
  ): Promise<Response> {
    const known = this.schemes.get(host);
    const schemes: ('https' | 'http')[] = known ? [known] : isInsecureByDefault(host) ? ['https', 'http'] : ['https'];
    let lastError: unknown;
    for (const scheme of schemes) {
      try {
        const response = await this.fetch(`${scheme}://${host}${path}`, {
          method,
          headers: {
            accept: MANIFEST_ACCEPT,
            ...(authorization ? { authorization } : {}),
          },
          signal: AbortSignal.any([signal, AbortSignal.timeout(this.options.timeoutMs ?? REQUEST_TIMEOUT_MS)]),
          redirect: 'follow',
        });
        this.schemes.set(host, scheme);
        return response;
      } catch (error) {
        if (signal.aborted) throw error;
        lastError = error;
      }
    }
    throw new RegistryError(`cannot reach the registry ${host} for ${image}: ${reasonOf(lastError)}`, image);
  }

  /** The Authorization header the challenge asks for. */
  private async authorize(
    location: ManifestLocation,
    header: string | null,
    signal: AbortSignal,
    image: string,
  ): Promise<string> {
    const challenge = header ? parseChallenge(header) : undefined;
    const auth = await this.options.credentials(location.host === DOCKER_HUB_API ? 'docker.io' : location.host, signal);
    if (challenge?.scheme === 'basic') {
      if (!auth?.username)
        throw new RegistryError(
          `the registry ${location.host} needs credentials for ${image}; none are configured (docker login)`,
          image,
          401,
        );
      return `Basic ${Buffer.from(`${auth.username}:${auth.password ?? ''}`).toString('base64')}`;
    }
    if (challenge?.scheme !== 'bearer' || !challenge.params['realm'])
      throw new RegistryError(
        `the registry ${location.host} asked for authentication this tool does not know: ${header ?? '(no challenge)'}`,
        image,
        401,
      );
    return `Bearer ${await this.token(challenge.params, location, auth, signal, image)}`;
  }

  private async token(
    params: Record<string, string>,
    location: ManifestLocation,
    auth: RegistryAuth | undefined,
    signal: AbortSignal,
    image: string,
  ): Promise<string> {
    const realm = params['realm'] ?? '';
    const service = params['service'] ?? '';
    const scope = params['scope'] ?? `repository:${location.repository}:pull`;
    const key = `${realm} ${service} ${scope}`;
    const cached = this.tokens.get(key);
    if (cached && cached.expires > Date.now()) return cached.token;
    const timeout = AbortSignal.any([signal, AbortSignal.timeout(this.options.timeoutMs ?? REQUEST_TIMEOUT_MS)]);
    let response: Response;
    try {
      if (auth?.identitytoken) {
        // OAuth2 refresh-token grant, as the docker CLI does with identity tokens.
        const form = new URLSearchParams({
          grant_type: 'refresh_token',
          refresh_token: auth.identitytoken,
          service,
          scope,
          client_id: 'acr-tasks-local',
        });
        response = await this.fetch(realm, { method: 'POST', body: form, signal: timeout });
      } else {
        const url = new URL(realm);
        if (service) url.searchParams.set('service', service);
        url.searchParams.set('scope', scope);
        const headers: Record<string, string> = auth?.username
          ? { authorization: `Basic ${Buffer.from(`${auth.username}:${auth.password ?? ''}`).toString('base64')}` }
          : {};
        response = await this.fetch(url, { headers, signal: timeout });
      }
    } catch (error) {
      if (signal.aborted) throw error;
      throw new RegistryError(
        `cannot reach the token service of ${location.host} for ${image}: ${reasonOf(error)}`,
        image,
      );
    }
    if (!response.ok)
      throw new RegistryError(
        `the token service of ${location.host} refused ${image} (HTTP ${response.status})`,
        image,
        response.status,
      );
    const body = (await response.json().catch(() => ({}))) as {
      token?: string;
      access_token?: string;
      expires_in?: number;
    };
    const token = body.token ?? body.access_token;
    if (!token) throw new RegistryError(`the token service of ${location.host} returned no token for ${image}`, image);
    // Tokens live at least 60 s (distribution's token spec); keep a margin.
    this.tokens.set(key, { token, expires: Date.now() + Math.max(30, (body.expires_in ?? 60) - 10) * 1000 });
    return token;
  }
}
