/**
 * `secret-undeclared`: `{{ .Secrets.x }}` where no secret with id `x` is declared under `secrets:`.
 * ACR renders it as an empty string (spec §6.1), so the step silently gets no password/token.
 */
import { diagnostic } from '../../task/diagnostic';
import { templateFields } from '../templateFacts';
import type { Rule, RuleDiagnostic } from './Rule';

export const undeclaredSecretsRule: Rule = {
  codes: ['secret-undeclared'],
  check(context): RuleDiagnostic[] {
    const task = context.analysis.parsed.task;
    // A templated secret id could be anything: then nothing can be called undeclared.
    if (task.secrets.some((secret) => secret.entries.get('id')?.templated)) return [];
    const declared = new Set(task.secrets.map((secret) => secret.id));
    const found: RuleDiagnostic[] = [];
    for (const field of templateFields(context.analysis)) {
      const [root, name] = field.path;
      if (root !== 'Secrets' || name === undefined || declared.has(name)) continue;
      found.push(
        diagnostic(
          'secret-undeclared',
          'error',
          `secret '${name}' is not declared under secrets: ACR renders .Secrets.${name} as an empty string`,
          field.span,
          { name },
        ),
      );
    }
    return found;
  },
};
