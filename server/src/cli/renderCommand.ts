/**
 * `render FILE [--values F] [--set K=V]... [--id ID] [--registry R]`: the task as ACR would decode it.
 * Unlike `acb render` (which skips alias processing), this runs the whole pipeline, aliases included,
 * so what it prints is what a run executes (a deliberate deviation, listed in the README).
 */
import { relative } from 'node:path';
import { parseArgs } from 'node:util';
import { completeRunVariables } from '../task/load';
import { type CliIo, UsageError } from './cliIo';
import { formatProblem } from './formatProblems';
import { openTaskDocument, readTaskFile, readValuesFile } from './taskInput';

const RENDER_FAILURES = new Set(['template-error', 'render-empty', 'values-mapping', 'set-invalid']);

export function renderCommand(argv: string[], io: CliIo): number {
  const { values: flags, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      values: { type: 'string' },
      set: { type: 'string', multiple: true },
      id: { type: 'string' },
      registry: { type: 'string' },
    },
  });
  if (positionals.length !== 1)
    throw new UsageError('usage: render FILE [--values F] [--set K=V]... [--id ID] [--registry R]');
  const file = readTaskFile(positionals[0], io.cwd);
  const values = readValuesFile(flags.values, io.cwd);
  const { service, document } = openTaskDocument(file.path, file.text);
  const result = service.renderPreview(document, {
    values,
    set: flags.set ?? [],
    run: completeRunVariables({ ID: flags.id ?? '', Registry: flags.registry ?? '' }),
  });
  const shown = relative(io.cwd, file.path) || file.path;
  for (const problem of result.diagnostics) io.stderr.write(formatProblem(shown, problem) + '\n');
  // Print what rendered even when the task then fails validation (as `acb render` does, which does not
  // validate at all); only a failed render has nothing trustworthy to print.
  const renderFailed = result.diagnostics.some((problem) => RENDER_FAILURES.has(String(problem.code)));
  if (!renderFailed) {
    io.stdout.write(
      result.rendered.endsWith('\n') || result.rendered === '' ? result.rendered : `${result.rendered}\n`,
    );
  }
  if (result.diagnostics.some((problem) => (problem.severity ?? 1) === 1)) return 1;
  return 0;
}
