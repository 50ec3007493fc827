/**
 * The steps and secrets of a task file for the client's tree and CodeLens, read the way the editor
 * reads it (comments blanked, templates masked, so offsets are the user's). Never throws: a file that
 * does not parse has no steps.
 */
import { analyzeSource } from '../task/analyze';
import { dependenciesOf } from '../task/graph';
import { ROOT_STEP_ID, type Step } from '../task/model';
import type { OutlineStep, TaskOutline } from '../protocol';

const DETAIL_LENGTH = 60;

function position(text: string, offset: number): { line: number; character: number } {
  const before = text.slice(0, offset);
  const lastNewline = before.lastIndexOf('\n');
  return { line: before.split('\n').length - 1, character: offset - lastNewline - 1 };
}

function shorten(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length <= DETAIL_LENGTH ? oneLine : `${oneLine.slice(0, DETAIL_LENGTH - 1)}…`;
}

/** `kind: <value as written>`: the source text, so templates show as the user wrote them, not masked. */
function detailOf(text: string, step: Step): string {
  if (step.kind === undefined) return 'no step kind';
  const entry = step.entries.get(step.kind);
  const written = entry ? text.slice(entry.value.start, entry.value.end) : '';
  return `${step.kind}: ${shorten(written)}`;
}

/** The outline of a task file's text. */
export function taskOutline(text: string): TaskOutline {
  const analysis = analyzeSource(text);
  const { task } = analysis.parsed;
  const steps: OutlineStep[] = task.steps.map((step, index) => {
    const firstKey = [...step.entries.values()][0]?.key.start ?? step.span.start;
    const outline: OutlineStep = {
      id: step.id,
      ...position(text, firstKey),
      dependsOn: dependenciesOf(step, task.steps[index - 1]).filter((id) => id !== ROOT_STEP_ID),
      detail: detailOf(text, step),
    };
    if (step.kind !== undefined) outline.kind = step.kind;
    return outline;
  });
  return { steps, secrets: task.secrets.map((secret) => secret.id) };
}
