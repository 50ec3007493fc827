/**
 * Secret masking for everything a run shows or stores: terminal output, the stored log, run records,
 * echoed step commands and error messages.
 *
 * Each secret is masked as written and in its Base64 form (task files pass secrets into volumes as
 * `{{.Secrets.x | b64enc}}`, and programs print what they read). Output arrives in arbitrary chunks, so
 * the streaming variant holds back the tail of a chunk while it could still be the start of a secret.
 */
import { StringDecoder } from 'node:string_decoder';

export const MASK = '***';

/** The forms of one secret value that are masked. Whitespace-only values are not masked (they would blank all output). */
export function secretVariants(value: string): string[] {
  if (value.trim() === '') return [];
  return [value, Buffer.from(value, 'utf8').toString('base64')];
}

/** Masks a fixed set of secret values; stateless for whole strings, see {@link SecretMasker.stream} for chunks. */
export class SecretMasker {
  /** Longest first, so that at one position the longest secret wins. */
  private readonly patterns: readonly string[];
  private readonly firstChars: ReadonlySet<string>;
  private readonly values: readonly string[];

  constructor(secretValues: Iterable<string>) {
    this.values = [...secretValues];
    const variants = new Set<string>();
    for (const value of this.values) for (const variant of secretVariants(value)) variants.add(variant);
    this.patterns = [...variants].sort((a, b) => b.length - a.length);
    this.firstChars = new Set(this.patterns.map((pattern) => pattern[0]));
  }

  /** True when there is nothing to mask (lets callers skip work). */
  get empty(): boolean {
    return this.patterns.length === 0;
  }

  /** A copy of this masker extended with more secret values. */
  with(more: Iterable<string>): SecretMasker {
    return new SecretMasker([...this.values, ...more]);
  }

  /** Masks a complete string. */
  mask(text: string): string {
    return this.empty ? text : this.scan(text, true).output;
  }

  /** Masks every string inside a JSON-like value (used for events and records before they leave the engine). */
  maskDeep<T>(value: T): T {
    if (this.empty) return value;
    return this.maskValue(value) as T;
  }

  private maskValue(value: unknown): unknown {
    if (typeof value === 'string') return this.mask(value);
    if (Array.isArray(value)) return value.map((item) => this.maskValue(item));
    if (value !== null && typeof value === 'object') {
      const out: Record<string, unknown> = {};
      for (const [key, item] of Object.entries(value)) out[key] = this.maskValue(item);
      return out;
    }
    return value;
  }

  /** A masker for one output stream: text written in pieces comes out masked as if written at once. */
  stream(): StreamingMasker {
    return new StreamingMasker(this);
  }

  /**
   * Scans `text` left to right. At each position the longest secret that matches is replaced; when not
   * `final`, scanning stops at the first position where a secret could begin but the text ends first,
   * and that tail is returned as `pending`.
   */
  scan(text: string, final: boolean): { output: string; pending: string } {
    let output = '';
    let emittedUpTo = 0;
    let index = 0;
    while (index < text.length) {
      if (!this.firstChars.has(text[index])) {
        index++;
        continue;
      }
      const remaining = text.length - index;
      let full: string | undefined;
      let couldGrow = false;
      for (const pattern of this.patterns) {
        if (pattern.length <= remaining) {
          if (full === undefined && text.startsWith(pattern, index)) full = pattern;
        } else if (!final && !couldGrow && pattern.startsWith(text.slice(index))) {
          couldGrow = true;
        }
      }
      // A longer secret may still complete in the next chunk: decide nothing from here on.
      if (couldGrow) {
        output += text.slice(emittedUpTo, index);
        return { output, pending: text.slice(index) };
      }
      if (full !== undefined) {
        output += text.slice(emittedUpTo, index) + MASK;
        index += full.length;
        emittedUpTo = index;
      } else {
        index++;
      }
    }
    output += text.slice(emittedUpTo);
    return { output, pending: '' };
  }
}

/** Streaming masking of one byte stream (UTF-8 characters split across chunks are reassembled first). */
export class StreamingMasker {
  private pending = '';
  private readonly decoder = new StringDecoder('utf8');

  constructor(private readonly masker: SecretMasker) {}

  /** Masked text that is safe to show now (possibly empty while a secret could be forming). */
  write(chunk: Buffer | string): string {
    const text = this.pending + (typeof chunk === 'string' ? chunk : this.decoder.write(chunk));
    const { output, pending } = this.masker.scan(text, false);
    this.pending = pending;
    return output;
  }

  /** Everything still held back, masked; call once when the stream ends. */
  end(): string {
    const text = this.pending + this.decoder.end();
    this.pending = '';
    return this.masker.scan(text, true).output;
  }
}
