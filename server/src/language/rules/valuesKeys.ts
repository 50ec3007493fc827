/**
 * `value-missing` and `value-nested`, checked against the selected values file and `--set` keys (only
 * when a values file is selected): `.Values.x` that neither defines renders as an empty string
 * (warning); `.Values.a.b` fails ACR's rendering outright (error) — a missing `a` is a nil pointer, a
 * scalar `a` has no field `b`, and a mapping `a` cannot be serialized (spec §6.1, §6.3, edge case 37).
 */
import { diagnostic } from '../../task/diagnostic';
import { templateFields } from '../templateFacts';
import type { Rule, RuleDiagnostic } from './Rule';

function isMapping(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

export const valuesKeysRule: Rule = {
  codes: ['value-missing', 'value-nested'],
  check(context): RuleDiagnostic[] {
    const selected = context.values;
    if (!selected || selected.unreadable) return [];
    const found: RuleDiagnostic[] = [];
    for (const field of templateFields(context.analysis)) {
      const [root, key, nested] = field.path;
      if (root !== 'Values' || key === undefined) continue;
      const present = Object.prototype.hasOwnProperty.call(selected.values, key);
      const value = selected.values[key];
      if (nested !== undefined) {
        const why = !present
          ? `'${key}' is not in ${selected.path}, so ACR fails with "nil pointer evaluating interface {}.${nested}"`
          : isMapping(value)
            ? `'${key}' is a mapping, and ACR cannot render values that hold mappings ("failed to serialize Values")`
            : `'${key}' is ${typeof value === 'string' ? 'a string' : 'not a mapping'}, so ACR fails with "can't evaluate field ${nested}"`;
        found.push(
          diagnostic(
            'value-nested',
            'error',
            `.Values.${field.path.slice(1).join('.')} cannot render: ${why}`,
            field.span,
            { key },
          ),
        );
        continue;
      }
      if (!present) {
        found.push(
          diagnostic(
            'value-missing',
            'warning',
            `'${key}' is not in ${selected.path} (nor given with --set): ACR renders .Values.${key} as an empty string`,
            field.span,
            { key },
          ),
        );
      }
    }
    return found;
  },
};
