/**
 * The template facts the language service needs — field chains rooted at the task data (`.Values.a.b`,
 * `$.Secrets.x`), function calls and actions, with source spans — read from the template engine's
 * analysis and flattened, so rules and hover do not walk the engine's structures themselves.
 */
import type { SourceAnalysis } from '../task/analyze';
import type { Span } from '../task/model';
import { memoized } from './memo';

export interface TemplateField {
  /** Names after the root: `['Values', 'a', 'b']` for `.Values.a.b` (and for `$.Values.a.b`). */
  path: string[];
  span: Span;
  /** Span of the action holding the field. */
  action: Span;
}

export interface TemplateCall {
  name: string;
  span: Span;
  known: boolean;
  action: Span;
}

/**
 * Field chains that start at the task data, in source order. Chains on another dot (inside
 * `range`/`with`) or on a variable are left out: what they reach is only known while rendering.
 */
export function templateFields(analysis: SourceAnalysis): TemplateField[] {
  return memoized(analysis, 'templateFields', () => readFields(analysis));
}

function readFields(analysis: SourceAnalysis): TemplateField[] {
  return analysis.template.actions.flatMap((action) =>
    action.fields
      .filter((field) => field.fromRoot)
      .map((field) => ({ path: [...field.path], span: field.span, action: action.span })),
  );
}

/** Calls of template functions, in source order. */
export function templateCalls(analysis: SourceAnalysis): TemplateCall[] {
  return analysis.template.actions.flatMap((action) =>
    action.functions.map((call) => ({ name: call.name, span: call.span, known: call.known, action: action.span })),
  );
}
