/**
 * What a build context argument names (spec §9.1, acb `scan/context.go`, `util/url.go`, moby `urlutil`):
 * an existing local folder wins (az checks the disk first); then a git repository — an http(s) URL ending
 * in `.git` (optionally with `#fragment`), `git://`, `git@`, `github.com/…`, or an Azure DevOps / VSTS
 * `_git` URL — then any other http(s) URL (a tarball), then `oci://` (not supported locally).
 *
 * Git fragments (`scan/git.go` `parseRemoteURL`): `#ref:subdir`, ref default `master`. Credentials in the
 * URL are taken out of it (they never reach process arguments or logs) and kept aside; a user name alone
 * is a token, which acb sends as password with the user name `dummy`.
 */

export interface GitCredentials {
  username: string;
  password: string;
}

export type ContextSource =
  | { kind: 'local'; path: string }
  | {
      kind: 'git';
      /** The remote without credentials or fragment: safe to show and to pass to git. */
      remote: string;
      ref: string;
      /** False when the URL had no ref (acb then fetches `master`). */
      refGiven: boolean;
      subdir: string;
      credentials?: GitCredentials;
      /** The URL as the user may see it (credentials replaced by `***`). */
      display: string;
    }
  | { kind: 'tarball'; url: string; credentials?: GitCredentials; display: string };

export class ContextSourceError extends Error {
  override name = 'ContextSourceError';
}

const URL_PREFIX = /^https?:\/\//i;
/** moby's `urlPathWithFragmentSuffix`: the `.` is a regex wildcard there, kept so for parity. */
const GIT_PATH_SUFFIX = /.git(?:#.+)?$/;
const GIT_PREFIXES = ['git://', 'github.com/', 'git@'];

export function isHttpUrl(text: string): boolean {
  return URL_PREFIX.test(text);
}

function isAzureReposUrl(text: string): boolean {
  let url: URL;
  try {
    url = new URL(text.toLowerCase());
  } catch {
    return false;
  }
  const azure = url.hostname.includes('dev.azure.com') || url.hostname.endsWith('.visualstudio.com');
  return url.protocol === 'https:' && azure && url.pathname.includes('/_git/') && url.search === '';
}

/** acb's `IsSourceControlURL`. */
export function isGitContext(text: string): boolean {
  if (isHttpUrl(text) && GIT_PATH_SUFFIX.test(text)) return true;
  return GIT_PREFIXES.some((prefix) => text.startsWith(prefix)) || isAzureReposUrl(text);
}

/** Classifies a context argument; `exists` tells whether a local path exists (checked first, as az does). */
export function classifyContext(text: string, exists: (path: string) => boolean): ContextSource {
  if (!isHttpUrl(text) && exists(text)) return { kind: 'local', path: text };
  if (isGitContext(text)) return parseGitContext(text);
  if (isHttpUrl(text)) {
    // Go's HTTP client sends the URL's user information as basic auth, as given.
    const { url, credentials } = withoutCredentials(new URL(text), false);
    return { kind: 'tarball', url: url.toString(), ...(credentials ? { credentials } : {}), display: url.toString() };
  }
  if (text.toLowerCase().startsWith('oci://'))
    throw new ContextSourceError(
      `${text}: OCI artifact contexts (oci://) are not supported by local builds; pull the artifact into a folder and build that`,
    );
  throw new ContextSourceError(`the build context ${text} does not exist (not a folder, a git URL or an http(s) URL)`);
}

function refAndSubdir(fragment: string): { ref: string; refGiven: boolean; subdir: string } {
  const colon = fragment.indexOf(':');
  const ref = colon < 0 ? fragment : fragment.slice(0, colon);
  const subdir = colon < 0 ? '' : fragment.slice(colon + 1);
  return { ref: ref === '' ? 'master' : ref, refGiven: ref !== '', subdir };
}

function withoutCredentials(url: URL, tokenAsPassword: boolean): { url: URL; credentials?: GitCredentials } {
  if (url.username === '' && url.password === '') return { url };
  const username = decodeURIComponent(url.username);
  const password = decodeURIComponent(url.password);
  url.username = '';
  url.password = '';
  // A user name alone is a token (GitHub, Azure DevOps): acb sends it as the password of user `dummy`.
  const credentials =
    tokenAsPassword && password === '' ? { username: 'dummy', password: username } : { username, password };
  return { url, credentials };
}

function parseGitContext(text: string): ContextSource {
  const isTransport = isHttpUrl(text) || text.startsWith('git://') || text.startsWith('git@');
  const remoteText = isTransport ? text : `https://${text}`;
  if (remoteText.startsWith('git@')) {
    // scp-like syntax is not a URL: the fragment is whatever follows the first `#`.
    const hash = remoteText.indexOf('#');
    const remote = hash < 0 ? remoteText : remoteText.slice(0, hash);
    return { kind: 'git', remote, ...refAndSubdir(hash < 0 ? '' : remoteText.slice(hash + 1)), display: remote };
  }
  let url: URL;
  try {
    url = new URL(remoteText);
  } catch {
    throw new ContextSourceError(`${text}: not a valid git URL`);
  }
  const fragment = decodeURIComponent(url.hash.replace(/^#/, ''));
  url.hash = '';
  const stripped = withoutCredentials(url, true);
  const remote = stripped.url.toString();
  return {
    kind: 'git',
    remote,
    ...refAndSubdir(fragment),
    ...(stripped.credentials ? { credentials: stripped.credentials } : {}),
    display: remote,
  };
}
