/**
 * `validate FILE [--values F] [--set K=V]... [--json]`: every problem the editor would show, plus the
 * ones that only appear when the file is rendered with these values (ACR's render-time errors),
 * as `file:line:col severity code message`. Exit 1 on any error, else 0.
 */
import { relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { Diagnostic } from 'vscode-languageserver-types';
import { sampleRunVariables } from '../task/load';
import { type CliIo, UsageError } from './cliIo';
import { formatProblem, problemToJson } from './formatProblems';
import { openTaskDocument, readTaskFile, readValuesFile } from './taskInput';

export function collectProblems(
  path: string,
  text: string,
  valuesPath: string | undefined,
  values: Record<string, unknown> | undefined,
  set: string[],
): Diagnostic[] {
  const { service, document } = openTaskDocument(path, text);
  const editorProblems = service.validate(document, { valuesFile: valuesPath, set });
  const rendered = service.renderPreview(document, { values, set, run: sampleRunVariables() });
  const seen = new Set(editorProblems.map((problem) => `${String(problem.code)}:${problem.range.start.line}`));
  const renderOnly = rendered.diagnostics.filter(
    (problem) => !seen.has(`${String(problem.code)}:${problem.range.start.line}`),
  );
  return [...editorProblems, ...renderOnly].sort(
    (a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character,
  );
}

export function validateCommand(argv: string[], io: CliIo): number {
  const { values: flags, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      values: { type: 'string' },
      set: { type: 'string', multiple: true },
      json: { type: 'boolean' },
    },
  });
  if (positionals.length !== 1) throw new UsageError('usage: validate FILE [--values F] [--set K=V]... [--json]');
  const file = readTaskFile(positionals[0], io.cwd);
  const values = readValuesFile(flags.values, io.cwd);
  // A relative --values path is read from the current directory; the service takes it absolute.
  const valuesPath = flags.values === undefined ? undefined : resolve(io.cwd, flags.values);
  const problems = collectProblems(file.path, file.text, valuesPath, values, flags.set ?? []);
  const shown = relative(io.cwd, file.path) || file.path;
  for (const problem of problems) {
    io.stdout.write(
      (flags.json ? JSON.stringify(problemToJson(shown, problem)) : formatProblem(shown, problem)) + '\n',
    );
  }
  return problems.some((problem) => (problem.severity ?? 1) === 1) ? 1 : 0;
}
