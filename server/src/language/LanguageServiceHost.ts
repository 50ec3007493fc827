/**
 * What the language service needs from its surroundings: file reads (it is pure, so I/O comes in as a
 * function) and the user's settings.
 */

export interface LanguageServiceHost {
  /**
   * Reads a file relative to the task file's folder (values file, Dockerfile, .dockerignore, alias
   * `src`), or an absolute path. undefined when the file is missing or unreadable. Synchronous: the LSP
   * layer caches reads, and these files are small.
   */
  readFile(relativeOrAbsolutePath: string, taskFileUri: string): string | undefined;
}

export interface LanguageSettings {
  /** The values file for `{{ .Values.x }}`: relative to the task file, or absolute. None: no values checks. */
  valuesFile?: string;
  /** `--set KEY=VALUE` items that count as values. */
  set?: string[];
  /** Image-alias overrides (`bash` → an image), e.g. newer tags than acb's snapshot. */
  imageAliases?: Record<string, string>;
}
