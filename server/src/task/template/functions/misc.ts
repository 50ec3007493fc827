/**
 * Sprig v2.22 paths (path.Base/Dir/Clean/Ext/IsAbs), OS (env/expandenv on an injected
 * environment), UUIDs, URLs, flow control — and the functions ACR has that cannot run here.
 */
import { cleanPath } from '../../goPath';
import { type GoValue, newMap } from '../values';
import { CallError, type FuncSpec, spec } from './types';

function pathBase(p: string): string {
  if (p === '') return '.';
  p = p.replace(/\/+$/, '');
  if (p === '') return '/';
  return p.slice(p.lastIndexOf('/') + 1);
}

function pathDir(p: string): string {
  return cleanPath(p.slice(0, p.lastIndexOf('/') + 1));
}

function pathExt(p: string): string {
  for (let i = p.length - 1; i >= 0 && p[i] !== '/'; i--) if (p[i] === '.') return p.slice(i);
  return '';
}

const isShellSpecial = (c: string): boolean => /^[*#$@!?\-0-9]$/.test(c);

/** os.Expand with Go's shell-name rules ($X, ${X}, $1, $$ …). */
export function goExpand(s: string, mapping: (name: string) => string): string {
  let out = '';
  let i = 0;
  for (let j = 0; j < s.length; j++) {
    if (s[j] !== '$' || j + 1 >= s.length) continue;
    out += s.slice(i, j);
    const rest = s.slice(j + 1);
    let name = '';
    let w: number;
    if (rest[0] === '{') {
      if (rest.length > 2 && isShellSpecial(rest[1]) && rest[2] === '}') [name, w] = [rest[1], 3];
      else {
        const close = rest.indexOf('}');
        if (close < 0) w = 1;
        else if (close === 1) w = 2;
        else [name, w] = [rest.slice(1, close), close + 1];
      }
    } else if (isShellSpecial(rest[0])) [name, w] = [rest[0], 1];
    else {
      const m = /^[A-Za-z0-9_]*/.exec(rest)![0];
      [name, w] = [m, m.length];
    }
    if (name === '' && w === 0) out += '$';
    else if (name !== '') out += mapping(name);
    j += w;
    i = j + 1;
  }
  return out + s.slice(i);
}

function uuidv4(bytes: Uint8Array): string {
  const b = Array.from(bytes.slice(0, 16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = b.map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

function urlParse(v: string): GoValue {
  const m = /^(?:([A-Za-z][A-Za-z0-9+.-]*):)?(?:\/\/([^/?#]*))?([^?#]*)(?:\?([^#]*))?(?:#(.*))?$/.exec(v);
  if (!m) throw new CallError(`unable to parse url: parse ${JSON.stringify(v)}: invalid URL`);
  const authority = m[2] ?? '';
  const at = authority.lastIndexOf('@');
  const host = at >= 0 ? authority.slice(at + 1) : authority;
  const scheme = (m[1] ?? '').toLowerCase();
  const opaque = scheme !== '' && m[2] === undefined && !(m[3] ?? '').startsWith('/') ? (m[3] ?? '') : '';
  const d = newMap();
  d.scheme = scheme;
  d.host = host;
  d.hostname = host.startsWith('[') ? host.slice(1, host.indexOf(']')) : host.replace(/:[0-9]*$/, '');
  d.path = opaque ? '' : decodeURIComponentSafe(m[3] ?? '');
  d.query = m[4] ?? '';
  d.opaque = opaque;
  d.fragment = decodeURIComponentSafe(m[5] ?? '');
  d.userinfo = at >= 0 ? authority.slice(0, at) : '';
  return d;
}

function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

function urlJoin(d: GoValue): string {
  const m = (d ?? {}) as Record<string, GoValue>;
  const get = (k: string): string => (typeof m[k] === 'string' ? m[k] : '');
  let out = get('scheme') ? get('scheme') + ':' : '';
  if (get('opaque')) out += get('opaque');
  else {
    if (get('host') || get('userinfo')) out += '//' + (get('userinfo') ? get('userinfo') + '@' : '') + get('host');
    out += get('path');
  }
  if (get('query')) out += '?' + get('query');
  if (get('fragment')) out += '#' + get('fragment');
  return out;
}

const str = (v: GoValue): string => v as string;
const unsupported = (
  usage: string,
  doc: string,
  params: FuncSpec['params'],
  why: string,
  extra: Partial<FuncSpec> = {},
): FuncSpec => ({
  usage,
  doc,
  params,
  unsupported: why,
  fn: () => {
    throw new CallError(why);
  },
  ...extra,
});

export const MISC_FUNCTIONS: [string, FuncSpec][] = [
  ['hello', spec('hello', 'Returns "Hello!".', [], () => 'Hello!')],
  ['base', spec('base PATH', 'Last element of PATH.', ['string'], ([p]) => pathBase(str(p)))],
  ['dir', spec('dir PATH', 'PATH without its last element.', ['string'], ([p]) => pathDir(str(p)))],
  ['clean', spec('clean PATH', 'Shortest equivalent PATH.', ['string'], ([p]) => cleanPath(str(p)))],
  ['ext', spec('ext PATH', 'File extension of PATH, with the dot.', ['string'], ([p]) => pathExt(str(p)))],
  ['isAbs', spec('isAbs PATH', 'Whether PATH starts with /.', ['string'], ([p]) => str(p).startsWith('/'))],
  [
    'env',
    spec(
      'env NAME',
      "The engine process's environment variable NAME.",
      ['string'],
      ([n], env) => env.env[str(n)] ?? '',
    ),
  ],
  [
    'expandenv',
    spec('expandenv STRING', '$VAR / ${VAR} in STRING replaced from the engine environment.', ['string'], ([x], env) =>
      goExpand(str(x), (k) => env.env[k] ?? ''),
    ),
  ],
  ['uuidv4', spec('uuidv4', 'A random UUID (version 4).', [], (_a, env) => uuidv4(env.randomBytes(16)))],
  [
    'fail',
    spec('fail MESSAGE', 'Stops rendering with MESSAGE as the error.', ['string'], ([m]) => {
      throw new CallError(str(m));
    }),
  ],
  [
    'urlParse',
    spec(
      'urlParse URL',
      'A map of scheme, host, hostname, path, query, opaque, fragment, userinfo.',
      ['string'],
      ([u]) => urlParse(str(u)),
    ),
  ],
  ['urlJoin', spec('urlJoin MAP', 'A URL built from a urlParse-style map.', ['map'], ([d]) => urlJoin(d))],
  [
    'getHostByName',
    unsupported(
      'getHostByName NAME',
      'An IP address of host NAME (DNS lookup).',
      ['string'],
      'it needs a DNS lookup at render time',
    ),
  ],
  [
    'genPrivateKey',
    unsupported(
      'genPrivateKey TYPE',
      'A new PEM private key (rsa, dsa, ecdsa).',
      ['string'],
      'key generation is not available offline',
    ),
  ],
  [
    'derivePassword',
    unsupported(
      'derivePassword COUNTER TYPE PASSWORD USER SITE',
      'A password derived with the Master Password algorithm.',
      ['int', 'string', 'string', 'string', 'string'],
      'scrypt derivation is not implemented',
    ),
  ],
  [
    'buildCustomCert',
    unsupported(
      'buildCustomCert CERT KEY',
      'A certificate object from base64 PEM data.',
      ['string', 'string'],
      'certificates are not implemented',
    ),
  ],
  [
    'genCA',
    unsupported(
      'genCA CN DAYS',
      'A new self-signed CA certificate.',
      ['string', 'int'],
      'certificates are not implemented',
    ),
  ],
  [
    'genSelfSignedCert',
    unsupported(
      'genSelfSignedCert CN IPS DNS DAYS',
      'A new self-signed certificate.',
      ['string', 'any', 'any', 'int'],
      'certificates are not implemented',
    ),
  ],
  [
    'genSignedCert',
    unsupported(
      'genSignedCert CN IPS DNS DAYS CA',
      'A new certificate signed by CA.',
      ['string', 'any', 'any', 'int', 'any'],
      'certificates are not implemented',
    ),
  ],
  [
    'encryptAES',
    unsupported(
      'encryptAES PASSWORD TEXT',
      'TEXT encrypted with AES-256-CBC, base64.',
      ['string', 'string'],
      'AES is not implemented',
    ),
  ],
  [
    'decryptAES',
    unsupported(
      'decryptAES PASSWORD TEXT',
      'Decrypts encryptAES output.',
      ['string', 'string'],
      'AES is not implemented',
    ),
  ],
  [
    'semver',
    unsupported(
      'semver VERSION',
      'A semantic version object (Masterminds/semver v1).',
      ['string'],
      'semantic version objects are not implemented',
    ),
  ],
  [
    'semverCompare',
    unsupported(
      'semverCompare CONSTRAINT VERSION',
      'Whether VERSION satisfies CONSTRAINT (Masterminds/semver v1 syntax).',
      ['string', 'string'],
      'Masterminds/semver constraints are not implemented',
    ),
  ],
];
