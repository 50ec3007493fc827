import type { Span } from '../model';

/** Half-open offset range [start, end) into the text the function was given (UTF-16 offsets, like the editor). */
export type PreSpan = Span;

/** Stable codes of preprocessing problems (asserted in tests, used by the language service). */
export type PreprocessErrorCode =
  'alias-key-invalid' | 'alias-directive-invalid' | 'alias-block-invalid' | 'alias-src-failed';

/** A problem found while reading the `alias:` block; never thrown, always located. */
export interface PreprocessError {
  code: PreprocessErrorCode;
  message: string;
  span: PreSpan;
}

/** One directive-started reference found by the §7.4 scan. */
export interface AliasReference {
  /** The alphanumeric name after the directive; '' for `$$` (escape) and for a directive followed by a non-name character. */
  name: string;
  /** Covers the directive and the name (for an escape: both directive characters). */
  span: PreSpan;
  /** The name is in the alias map, so the reference was (or would be) replaced. */
  known: boolean;
  /** `$$`: the pair stands for one literal directive character. */
  escaped: boolean;
}
