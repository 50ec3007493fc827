/**
 * Shared by the schema tests: the repository paths of the schema and grammar, and the YAML → JSON
 * reading a generic YAML tool does (templates stay unrendered, so `{{ x }}` becomes a one-key mapping).
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import { parse } from 'yaml';

/** Tests run from out/test/unit/schema; the repository root is four levels up. */
export const repoRoot = path.resolve(__dirname, '../../../..');
export const schemaPath = path.join(repoRoot, 'schemas/acr-task.schema.json');
export const injectionGrammarPath = path.join(repoRoot, 'syntaxes/acr-task.injection.tmLanguage.json');

export function readJson(file: string): unknown {
  return JSON.parse(readFileSync(file, 'utf8'));
}

/**
 * Keywords the schema uses for editors (yaml-language-server / VS Code) and for our own language
 * service. Declared so Ajv stays strict about everything else: a misspelt JSON Schema keyword fails.
 */
export const editorKeywords = [
  'markdownDescription',
  'patternErrorMessage',
  'deprecationMessage',
  'doNotSuggest',
  'errorMessage',
  'x-acr',
];

export function compileSchema(): { ajv: Ajv; validate: ValidateFunction } {
  // strictTypes is off because the oneOf branches of a step add `minLength`/`minItems` to keys
  // whose type is declared once, in `properties`; every other strict check (unknown keywords,
  // `required` naming undeclared keys, …) stays on.
  const ajv = new Ajv({ allErrors: true, strict: true, strictTypes: false });
  ajv.addVocabulary(editorKeywords);
  return { ajv, validate: ajv.compile(readJson(schemaPath) as object) };
}

/** The task file as a generic YAML tool sees it (YAML 1.2, templates unrendered). */
export function yamlToJson(text: string): unknown {
  return parse(text, { logLevel: 'error' });
}

export interface SchemaResult {
  valid: boolean;
  errors: ErrorObject[];
}

export function validateText(validate: ValidateFunction, text: string): SchemaResult {
  const valid = validate(yamlToJson(text));
  return { valid, errors: [...(validate.errors ?? [])] };
}
