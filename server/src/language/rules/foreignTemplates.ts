/**
 * `template-foreign`: a `{{ }}` written for another tool (`docker ps --format '{{.ID}}'`). ACR renders
 * the whole file as a Go template first, so it consumes the action — `.ID` is no task data and becomes
 * an empty string (spec §6.1, edge case 36). Escape it as ``{{`{{.ID}}`}}`` to pass it through.
 */
import { diagnostic } from '../../task/diagnostic';
import type { Span } from '../../task/model';
import { TEMPLATE_DATA_DOCS } from '../runVariableDocs';
import { templateFields } from '../templateFacts';
import type { Rule, RuleDiagnostic } from './Rule';

const DATA_NAMES = new Set(Object.keys(TEMPLATE_DATA_DOCS));

export const foreignTemplatesRule: Rule = {
  codes: ['template-foreign'],
  check(context): RuleDiagnostic[] {
    const { text } = context.analysis;
    const reported = new Set<number>();
    const found: RuleDiagnostic[] = [];
    for (const field of templateFields(context.analysis)) {
      const [root] = field.path;
      if (root === undefined || DATA_NAMES.has(root) || reported.has(field.action.start)) continue;
      reported.add(field.action.start);
      const action: Span = field.action;
      const written = text.slice(action.start, action.end);
      found.push(
        diagnostic(
          'template-foreign',
          'warning',
          `ACR renders ${written} itself before running anything: .${root} is no task data, so it becomes an empty string. To pass it to the command, write {{\`${written}\`}}.`,
          action,
          { original: written },
        ),
      );
    }
    return found;
  },
};
