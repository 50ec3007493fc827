/**
 * The preprocessing stage of ACR's pipeline (spec §1 steps 1–4 and 8, §7): comment-line removal, version
 * sniffing, the alias-mode switch, alias-block extraction and resolution, `$alias` substitution and
 * first-word command aliases — each exactly as acb does it, plus span-keeping variants for the editor.
 * Template rendering of the alias block is the caller's job (between separate and resolve).
 */
export type { AliasReference, PreprocessError, PreprocessErrorCode, PreSpan } from './types';
export { blankCommentLines, isCommentLine, stripCommentLines } from './comments';
export { aliasModeEnabled, ALIAS_MODE_MIN_VERSION, sniffVersion } from './version';
export { classifyAliasBlockLines, separateAliasBlock } from './aliasBlock';
export type { AliasBlockLines, LineRange, SeparatedAliasBlock } from './aliasBlock';
export { ALIAS_MESSAGES, DEFAULT_DIRECTIVE } from './aliasDefinition';
export { resolveAliases } from './resolveAliases';
export type { AliasOrigin, AliasSourceReader, ResolveAliasesOptions, ResolvedAliases } from './resolveAliases';
export {
  IMAGE_ALIAS_NAMES,
  LINUX_IMAGE_ALIASES,
  PREDEFINED_ALIASES,
  predefinedAliases,
  RUN_VARIABLE_ALIASES,
} from './predefined';
export type { AliasDefaultsOs } from './predefined';
export { expandCommandAlias, findAliasReferences, substituteAliases } from './substitute';
export { readAliasBlockForEditor } from './editorAliasBlock';
export type { EditorAliasBlock, EditorAliasValue, ReadAliasBlockOptions } from './editorAliasBlock';
export { findTemplateSpans } from './templateSpans';
export { parseFlatStringMap } from './yamlDecode';
