/**
 * Loading a task file for a run or a rendered preview, in acb's exact order (spec §1): strip comment
 * lines → sniff the version → (alias mode) cut out, render and resolve the alias block, substitute
 * `$aliases` → render templates → decode YAML → validate → expand image aliases in `cmd`.
 *
 * Problems are reported in the user's offsets: each one found in the rendered text is mapped to the
 * same YAML path in the text as written (the masked editor reading of it), which survives templates
 * and aliases that change lengths.
 */
import { analyzeSource, type SourceAnalysis } from './analyze';
import { diagnostic, type TaskDiagnostic } from './diagnostic';
import { emptyRunVariables, type RunVariables, type Span, type Task } from './model';
import { parseTask } from './parse';
import {
  aliasModeEnabled,
  predefinedAliases,
  expandCommandAlias,
  resolveAliases,
  separateAliasBlock,
  sniffVersion,
  stripCommentLines,
  substituteAliases,
} from './preprocess';
import { renderTemplate } from './template';
import { problemsOfParsedTask } from './validate';
import { mergeValues, templateData } from './values';
import { pathAt, spanAtPath } from './yamlPath';

export interface LoadTaskOptions {
  /** Parsed values file (a YAML map). */
  values?: Record<string, unknown>;
  /** `--set KEY=VALUE` items (values are always strings). */
  set?: string[];
  run: RunVariables;
  /** Resolved secret values by secret id. */
  secrets?: Record<string, string>;
  /** Loads an alias `src` entry (path or URL) → its text, or an error message. */
  readAliasSource?: (src: string) => { text: string } | { error: string };
  /** Environment seen by Sprig's `env`/`expandenv`. */
  env?: Record<string, string>;
  /** Replacements for the predefined image aliases (`bash`, `az`, …), e.g. from the user's settings. */
  imageAliases?: ReadonlyMap<string, string>;
  /** The editor's analysis of the same text, if the caller has it cached (saves re-parsing it). */
  sourceAnalysis?: SourceAnalysis;
}

export interface LoadedTask {
  /** undefined when rendering failed before YAML could be decoded. */
  task: Task | undefined;
  /** The text that was YAML-decoded (after aliases and templates). */
  rendered: string;
  /** Every problem, in the user's offsets; any error means the task must not run. */
  diagnostics: TaskDiagnostic[];
  aliasMode: boolean;
  aliases: Map<string, string>;
}

/** Fills the derived run variables (`RegistryName` is the text before the first dot). */
export function completeRunVariables(partial: Partial<RunVariables>): RunVariables {
  const run = { ...emptyRunVariables(), ...partial };
  if (!partial.RegistryName) run.RegistryName = run.Registry.split('.')[0] ?? '';
  return run;
}

function lineSpan(text: string, line: number): Span {
  let start = 0;
  for (let current = 0; current < line; current++) {
    const newline = text.indexOf('\n', start);
    if (newline < 0) return { start: text.length, end: text.length };
    start = newline + 1;
  }
  const end = text.indexOf('\n', start);
  return { start, end: end < 0 ? text.length : end };
}

function lineOf(text: string, offset: number): number {
  let line = 0;
  for (let index = text.indexOf('\n'); index >= 0 && index < offset; index = text.indexOf('\n', index + 1)) line++;
  return line;
}

/**
 * Run variables as a real run would have them, for validating the rendered text: ACR always has a run
 * id, registry, OS, … at run time, and an empty one can turn `app:$ID -f x` into a YAML mapping.
 */
export function sampleRunVariables(overrides: Partial<RunVariables> = {}): RunVariables {
  return completeRunVariables({
    ID: 'ca1',
    SharedVolume: 'acb_vol_ca1',
    Registry: 'myregistry.azurecr.io',
    Date: '20240102-030405z',
    OS: 'linux',
    Architecture: 'amd64',
    TaskName: 'quickrun',
    ...overrides,
  });
}

const noSource = () => ({ error: 'alias src files cannot be read here' });

/** Renders, decodes and validates a task file the way ACR does before running it. */
export function loadTask(text: string, options: LoadTaskOptions): LoadedTask {
  const diagnostics: TaskDiagnostic[] = [];
  const merged = mergeValues(options.values, options.set);
  diagnostics.push(...merged.problems);
  const data = templateData(options.run, merged.values, options.secrets ?? {});
  const renderOptions = { env: options.env ?? {} };

  const stripped = stripCommentLines(text);
  const sniffed = sniffVersion(stripped.text);
  const aliasMode = aliasModeEnabled(sniffed?.value);
  let body = stripped.text;
  let aliases = new Map<string, string>();
  // Source line of each line of `body`, so template errors can point at what the user wrote.
  let sourceLineOf = stripped.sourceLineOf;
  if (aliasMode) {
    const separated = separateAliasBlock(stripped.text);
    sourceLineOf = separated.restLineOf.map((line) => stripped.sourceLineOf[line] ?? line);
    let renderedBlock: string | undefined;
    if (separated.block !== undefined) {
      const blockRender = renderTemplate(separated.block, data, renderOptions);
      renderedBlock = blockRender.output;
      for (const error of blockRender.errors) {
        const blockLine = separated.blockLineOf[lineOf(separated.block, error.span.start)] ?? 0;
        const line = stripped.sourceLineOf[blockLine] ?? 0;
        diagnostics.push(diagnostic('template-error', 'error', error.message, lineSpan(text, line)));
      }
    }
    const resolved = resolveAliases(renderedBlock, options.readAliasSource ?? noSource, {
      predefined: predefinedAliases(options.run.OS === 'windows' ? 'windows' : 'linux', options.imageAliases),
    });
    aliases = resolved.aliases;
    for (const error of resolved.errors)
      diagnostics.push(
        diagnostic(
          error.code,
          'error',
          error.message,
          // Spans are in the rendered block; rendering rarely moves lines within an alias block.
          lineSpan(
            text,
            stripped.sourceLineOf[separated.blockLineOf[lineOf(renderedBlock ?? '', error.span.start)] ?? 0] ?? 0,
          ),
        ),
      );
    body = substituteAliases(separated.rest, aliases, resolved.directive).text;
  }

  if (body.trim() === '') {
    // An empty or comment-only file is a valid no-op task (edge case 24).
    const parsed = parseTask('');
    return { task: parsed.task, rendered: '', diagnostics, aliasMode, aliases };
  }
  const rendering = renderTemplate(body, data, renderOptions);
  for (const error of rendering.errors) {
    const line = sourceLineOf[lineOf(body, error.span.start)] ?? 0;
    diagnostics.push(diagnostic('template-error', 'error', error.message, lineSpan(text, line)));
  }
  if (rendering.errors.length > 0)
    return { task: undefined, rendered: rendering.output, diagnostics, aliasMode, aliases };
  const rendered = rendering.output;
  if (rendered === '') {
    diagnostics.push(
      diagnostic('render-empty', 'error', 'rendered template was empty', { start: 0, end: text.length }),
    );
    return { task: undefined, rendered, diagnostics, aliasMode, aliases };
  }

  const parsed = parseTask(rendered);
  const renderedProblems = problemsOfParsedTask(parsed, rendered);
  if (renderedProblems.length > 0) {
    const source = (options.sourceAnalysis ?? analyzeSource(text)).parsed.document;
    for (const problem of renderedProblems) {
      const span = spanAtPath(source, pathAt(parsed.document, problem.span.start));
      diagnostics.push({ ...problem, span, data: { ...problem.data, renderedSpan: problem.span } });
    }
  }
  if (aliasMode) {
    for (const step of parsed.task.steps) {
      if (step.cmd !== undefined) step.cmd = expandCommandAlias(step.cmd, aliases);
    }
  }
  return { task: parsed.task, rendered, diagnostics, aliasMode, aliases };
}
