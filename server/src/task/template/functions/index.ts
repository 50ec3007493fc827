/**
 * The function map acb gives templates: text/template's builtins plus Sprig v2.22's
 * TxtFuncMap (Sprig entries win on a name clash, as Funcs() does: its `slice` replaces Go's).
 * Helm-only functions (required, tpl, include, toYaml) and Sprig v3 additions (get, fromJson,
 * must*, dig, …) are deliberately absent: acb reports `function "x" not defined` for them.
 */
import { BUILTINS } from './builtins';
import { COLLECTION_FUNCTIONS } from './collections';
import { CONVERSION_FUNCTIONS } from './conversion';
import { DATE_FUNCTIONS } from './dates';
import { MISC_FUNCTIONS } from './misc';
import { REGEX_FUNCTIONS } from './regex';
import { STRING_FUNCTIONS } from './strings';
import type { FuncSpec, FuncTable } from './types';

export const FUNCTIONS: FuncTable = new Map<string, FuncSpec>([
  ...BUILTINS,
  ...STRING_FUNCTIONS,
  ...COLLECTION_FUNCTIONS,
  ...CONVERSION_FUNCTIONS,
  ...DATE_FUNCTIONS,
  ...REGEX_FUNCTIONS,
  ...MISC_FUNCTIONS,
]);
