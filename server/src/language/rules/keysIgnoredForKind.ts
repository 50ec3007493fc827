/**
 * `key-ignored-for-kind`: a step key the engine does not use for this kind of step (spec §3.2 "Applies
 * to") — `entryPoint`, `pull` on a build step; `env`, `retries`, `repeat`, `detach` … on a push step.
 * The docs' tables list several of them, so people write them and expect an effect.
 */
import { diagnostic } from '../../task/diagnostic';
import { keyAppliesTo, keyInfo } from '../schemaKeys';
import type { Rule, RuleDiagnostic } from './Rule';

export const keysIgnoredForKindRule: Rule = {
  codes: ['key-ignored-for-kind'],
  check(context): RuleDiagnostic[] {
    const found: RuleDiagnostic[] = [];
    for (const step of context.analysis.parsed.task.steps) {
      const kind = step.kind;
      if (kind === undefined) continue;
      for (const [name, entry] of step.entries) {
        const info = keyInfo('step', name);
        if (!info || info.ignoredByEngine !== undefined || keyAppliesTo(info, kind)) continue;
        const note = info.ignoredNote ?? `ACR uses \`${name}\` only for ${(info.appliesTo ?? []).join(' and ')} steps.`;
        found.push(
          diagnostic(
            'key-ignored-for-kind',
            'warning',
            `\`${name}\` has no effect on a ${kind} step: ${note}`,
            entry.key,
            {
              stepId: step.id,
              name,
              stepKind: kind,
            },
          ),
        );
      }
    }
    return found;
  },
};
