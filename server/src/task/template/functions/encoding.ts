/** Go's encoding/json Marshal (sorted keys, HTML-safe escaping, Go float format) and base64/base32 StdEncoding. */
import { formatGoTime } from '../gotime';
import { formatFloat } from '../numbers';
import { type GoTime, type GoValue, Typed, kindOf, mapEntries, numberOf, sliceItems, sortedKeys } from '../values';
import { CallError } from './types';

// ---- encoding/json (Marshal): sorted keys, HTML-safe escaping, Go's float format ----
function jsonString(s: string): string {
  let out = '"';
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\b') out += '\\b';
    else if (ch === '\f') out += '\\f';
    else if (cp < 0x20 || ch === '<' || ch === '>' || ch === '&' || cp === 0x2028 || cp === 0x2029) {
      out += '\\u' + cp.toString(16).padStart(4, '0');
    } else if (cp >= 0xd800 && cp <= 0xdfff) out += '\\ufffd';
    else out += ch;
  }
  return out + '"';
}

function jsonFloat(f: number): string {
  if (!Number.isFinite(f)) throw new CallError(`json: unsupported value: ${formatFloat(f, 'g', -1)}`);
  const abs = Math.abs(f);
  if (abs !== 0 && (abs < 1e-6 || abs >= 1e21)) return formatFloat(f, 'e', -1).replace(/e([+-])0(\d)$/, 'e$1$2');
  return formatFloat(f, 'f', -1);
}

/** json.Marshal (indent = '' for compact) / json.MarshalIndent(v, "", indent). */
export function goJson(v: GoValue, indent = '', depth = 0): string {
  const nl = indent ? '\n' + indent.repeat(depth + 1) : '';
  const close = indent ? '\n' + indent.repeat(depth) : '';
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'string') return jsonString(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (v instanceof Typed && v.type === 'time.Time') {
    return jsonString(formatGoTime(v.value as GoTime, '2006-01-02T15:04:05.999999999Z07:00'));
  }
  const k = kindOf(v);
  if (k === 'int' || k === 'uint') return String(numberOf(v));
  if (k === 'float') return jsonFloat(numberOf(v));
  const items = sliceItems(v);
  if (items) {
    if (items.length === 0) return '[]';
    return '[' + items.map((i) => nl + goJson(i, indent, depth + 1)).join(',') + close + ']';
  }
  const entries = mapEntries(v);
  if (entries) {
    const keys = sortedKeys(entries);
    if (keys.length === 0) return '{}';
    const sep = indent ? ': ' : ':';
    return (
      '{' +
      keys.map((key) => nl + jsonString(key) + sep + goJson(entries[key], indent, depth + 1)).join(',') +
      close +
      '}'
    );
  }
  return 'null';
}

export function jsonOrEmpty(v: GoValue, indent: string): string {
  try {
    return goJson(v, indent);
  } catch (e) {
    if (e instanceof CallError) return ''; // Sprig v2 ignores Marshal errors
    throw e;
  }
}

// ---- base64 / base32 (encoding/base64 StdEncoding, encoding/base32 StdEncoding) ----
const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const B32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

export function base64Encode(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i] << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    out += B64[(n >> 18) & 63] + B64[(n >> 12) & 63];
    out += i + 1 < bytes.length ? B64[(n >> 6) & 63] : '=';
    out += i + 2 < bytes.length ? B64[n & 63] : '=';
  }
  return out;
}

/** base64.StdEncoding.DecodeString; throws CallError with Go's "illegal base64 data at input byte N". */
export function base64Decode(s: string): Uint8Array {
  const chars: { c: string; at: number }[] = [];
  for (let i = 0; i < s.length; i++) if (s[i] !== '\n' && s[i] !== '\r') chars.push({ c: s[i], at: i });
  const out: number[] = [];
  for (let q = 0; q < chars.length; q += 4) {
    const quad = chars.slice(q, q + 4);
    const vals: number[] = [];
    for (let j = 0; j < quad.length; j++) {
      const { c, at } = quad[j];
      if (c === '=') {
        const pads = quad.slice(j);
        if (j < 2 || pads.some((p) => p.c !== '=') || quad.length !== 4 || q + 4 !== chars.length) {
          throw new CallError(`illegal base64 data at input byte ${at}`);
        }
        break;
      }
      const v = B64.indexOf(c);
      if (v < 0) throw new CallError(`illegal base64 data at input byte ${at}`);
      vals.push(v);
    }
    if (quad.length < 4) throw new CallError(`illegal base64 data at input byte ${quad[0].at}`);
    const n = (vals[0] << 18) | (vals[1] << 12) | ((vals[2] ?? 0) << 6) | (vals[3] ?? 0);
    out.push((n >> 16) & 255);
    if (vals.length > 2) out.push((n >> 8) & 255);
    if (vals.length > 3) out.push(n & 255);
  }
  return Uint8Array.from(out);
}

export function base32Encode(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 5) {
    const chunk = Array.from(bytes.slice(i, i + 5));
    let bits = 0n;
    for (let j = 0; j < 5; j++) bits = (bits << 8n) | BigInt(chunk[j] ?? 0);
    const outChars = [2, 4, 5, 7, 8][chunk.length - 1];
    for (let j = 0; j < 8; j++) out += j < outChars ? B32[Number((bits >> BigInt(35 - 5 * j)) & 31n)] : '=';
  }
  return out;
}

export function base32Decode(s: string): Uint8Array {
  const clean = s.replace(/[\r\n]/g, '');
  if (clean.length % 8 !== 0)
    throw new CallError(`illegal base32 data at input byte ${clean.length - (clean.length % 8)}`);
  const out: number[] = [];
  for (let i = 0; i < clean.length; i += 8) {
    const block = clean.slice(i, i + 8);
    const data = block.replace(/=+$/, '');
    let bits = 0n;
    for (let j = 0; j < 8; j++) {
      const v = j < data.length ? B32.indexOf(data[j]) : 0;
      if (v < 0) throw new CallError(`illegal base32 data at input byte ${i + j}`);
      bits = (bits << 5n) | BigInt(v);
    }
    const nBytes = { 8: 5, 7: 4, 5: 3, 4: 2, 2: 1 }[data.length] ?? -1;
    if (nBytes < 0) throw new CallError(`illegal base32 data at input byte ${i + data.length}`);
    for (let j = 0; j < nBytes; j++) out.push(Number((bits >> BigInt(32 - 8 * j)) & 255n));
  }
  return Uint8Array.from(out);
}
