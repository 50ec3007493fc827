/**
 * Drives every language-service feature over one document, the way an editor does while the user
 * types: validate, then completion/hover/navigation at the case's probe positions, symbols, quick
 * fixes for what validation reported, and the rendered preview. A failure is an exception out of a
 * call, an internal error the service caught and reported (it degrades to an empty result, which the
 * user sees as a feature silently not working), or a result the LSP transport could not send. All
 * are collected, so one document yields all its failures.
 */
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Diagnostic, Position, Range } from 'vscode-languageserver-types';
import { createLanguageService, type LanguageSettings, type TaskLanguageService } from '../../server/src/language';
import { completeRunVariables } from '../../server/src/task/load';
import type { FuzzCase, Probe } from './mutate';

export interface ServiceFailure {
  operation: string;
  error: unknown;
}

/** Files the language service may read beside the task file (values, Dockerfile, alias src). */
export const NEIGHBOUR_FILES: Record<string, string> = {
  'values.yaml':
    'x: 1\nv: v1.1.0\nenabled: false\nn: 42\nmode: dev\nbase: alpine\nlist: [a, b]\nservices: [api, web]\n',
  Dockerfile: 'ARG GO=1.21\nFROM golang:${GO} AS build\nFROM alpine\nCOPY --from=build /app /app\n',
  '.dockerignore': 'node_modules\n',
  'aliases.yaml': 'tool: mcr.microsoft.com/tool:1\n',
};

const RUN = completeRunVariables({ ID: 'ca1', Registry: 'reg.azurecr.io' });
const PREVIEW_VALUES = { x: 1, v: 'v1.1.0', enabled: false, n: 42, base: 'alpine', services: ['api', 'web'] };

function positionOf(document: TextDocument, probe: Probe): Position {
  const position = document.positionAt(probe.offset % (document.getText().length + 1));
  return probe.outOfRange ? { line: position.line + 3, character: position.character + 1000 } : position;
}

function validPosition(position: Position): boolean {
  return (
    Number.isInteger(position.line) &&
    position.line >= 0 &&
    Number.isInteger(position.character) &&
    position.character >= 0
  );
}

function validRange(range: Range | undefined): boolean {
  if (!range || !validPosition(range.start) || !validPosition(range.end)) return false;
  const { start, end } = range;
  return start.line < end.line || (start.line === end.line && start.character <= end.character);
}

/** Throws when a result could not go over JSON-RPC (cycles, BigInt). */
function checkTransportable(result: unknown): void {
  JSON.stringify(result);
}

/**
 * A message that reports the JavaScript stack limit means the input drove a recursive pass to the
 * limit: an internal error shown to the user, and a hazard, because V8 can abort the whole process
 * (not throw) when it compiles a regular expression that close to the limit. Deep input needs a
 * bound before the recursion, so reaching the limit at all counts as a failure.
 */
function checkNoStackLimit(messages: string[]): void {
  const hit = messages.find((message) => message.includes('Maximum call stack size exceeded'));
  if (hit !== undefined) throw new Error(`reached the JavaScript stack limit: ${hit}`);
}

function messageText(message: Diagnostic['message']): string {
  return typeof message === 'string' ? message : ((message as { value?: string } | undefined)?.value ?? '');
}

function checkDiagnostics(diagnostics: Diagnostic[]): void {
  if (!Array.isArray(diagnostics)) throw new Error(`validate returned ${typeof diagnostics}, not an array`);
  for (const diagnostic of diagnostics) {
    if (!validRange(diagnostic.range))
      throw new Error(
        `diagnostic ${String(diagnostic.code)} has a malformed range ${JSON.stringify(diagnostic.range)}`,
      );
    if (messageText(diagnostic.message) === '') throw new Error(`diagnostic ${String(diagnostic.code)} has no message`);
  }
  checkNoStackLimit(diagnostics.map((diagnostic) => messageText(diagnostic.message)));
  checkTransportable(diagnostics);
}

/** A language service reading NEIGHBOUR_FILES, whose internal errors are collected instead of swallowed. */
export class ServiceUnderTest {
  private readonly internalErrors: ServiceFailure[] = [];
  readonly service: TaskLanguageService = createLanguageService(
    { readFile: (path) => NEIGHBOUR_FILES[path.replace(/^.*\//, '')] },
    { onInternalError: (feature, error) => this.internalErrors.push({ operation: feature, error }) },
  );

  /**
   * Runs every feature on `text` (as version `version` of `uri`) and returns the failures. An empty
   * array means nothing threw, nothing failed inside, and every result could be sent to a client.
   */
  exercise(uri: string, version: number, text: string, fuzzCase: FuzzCase): ServiceFailure[] {
    this.internalErrors.length = 0;
    const failures = exerciseFeatures(this.service, uri, version, text, fuzzCase);
    return [...failures, ...this.internalErrors];
  }
}

function exerciseFeatures(
  service: TaskLanguageService,
  uri: string,
  version: number,
  text: string,
  fuzzCase: FuzzCase,
): ServiceFailure[] {
  const failures: ServiceFailure[] = [];
  const attempt = <R>(
    operation: string,
    call: () => R,
    check: (result: R) => void = checkTransportable,
  ): R | undefined => {
    try {
      const result = call();
      check(result);
      return result;
    } catch (error) {
      failures.push({ operation, error });
      return undefined;
    }
  };
  const document = TextDocument.create(uri, 'yaml', version, text);
  // Half the cases have a values file, so both the "values known" and "values unknown" paths run.
  const settings: LanguageSettings = fuzzCase.seed % 2 === 0 ? { valuesFile: 'values.yaml', set: fuzzCase.set } : {};
  const [first, second] = fuzzCase.probes.map((probe) => positionOf(document, probe)) as [Position, Position];

  const diagnostics = attempt('validate', () => service.validate(document, settings), checkDiagnostics) ?? [];
  attempt('complete', () => service.complete(document, first, settings));
  attempt('complete', () => service.complete(document, second, settings));
  attempt('hover', () => service.hover(document, first, settings));
  attempt('hover', () => service.hover(document, second, settings));
  attempt('documentSymbols', () => service.documentSymbols(document));
  attempt('definition', () => service.definition(document, first));
  attempt('references', () => service.references(document, second, true));
  attempt('prepareRename', () => service.prepareRename(document, first));
  attempt('rename', () => service.rename(document, first, 'renamed-step'));
  const whole = { start: { line: 0, character: 0 }, end: document.positionAt(text.length) };
  attempt('codeActions', () => service.codeActions(document, whole, diagnostics));
  for (const diagnostic of diagnostics.slice(0, 3))
    attempt('codeActions', () => service.codeActions(document, diagnostic.range, [diagnostic]));
  attempt(
    'renderPreview',
    () =>
      service.renderPreview(document, {
        values: fuzzCase.seed % 3 === 0 ? undefined : PREVIEW_VALUES,
        set: fuzzCase.set,
        run: RUN,
      }),
    (preview) => {
      checkNoStackLimit(preview.diagnostics.map((diagnostic) => messageText(diagnostic.message)));
      checkTransportable(preview);
    },
  );
  return failures;
}
