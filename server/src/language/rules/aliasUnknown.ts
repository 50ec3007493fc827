/**
 * `alias-unknown`: in alias mode, a `$name` that is no alias but looks like one (`$Regsitry`,
 * `$id`). acb leaves unknown names verbatim (spec §7.4); in a cmd the agent shell then expands them,
 * usually to nothing, elsewhere they stay literal text.
 */
import { diagnostic } from '../../task/diagnostic';
import { aliasSuggestion, findReferencesByLine } from '../aliases';
import { overlaps } from '../positions';
import type { Rule, RuleDiagnostic } from './Rule';

export const aliasUnknownRule: Rule = {
  codes: ['alias-unknown'],
  check(context): RuleDiagnostic[] {
    const { analysis } = context;
    if (!analysis.aliasMode) return [];
    const aliases = context.aliases();
    const text = analysis.masked;
    if (!text.includes(aliases.directive)) return [];
    const cmdSpans = analysis.parsed.task.steps.flatMap((step) => {
      const entry = step.entries.get('cmd');
      return entry ? [entry.value] : [];
    });
    const blockSpan = aliases.block.blockSpan;
    const found: RuleDiagnostic[] = [];
    for (const reference of findReferencesByLine(text, aliases.values, aliases.directive)) {
      if (reference.known || reference.escaped || reference.name === '') continue;
      if (blockSpan && overlaps(blockSpan, reference.span)) continue; // alias values are not substituted
      const suggestion = aliasSuggestion(reference.name, aliases);
      if (suggestion === undefined) continue;
      const written = text.slice(reference.span.start, reference.span.end);
      const fate = cmdSpans.some((span) => overlaps(span, reference.span))
        ? 'ACR leaves it as is and the agent shell expands it (usually to nothing)'
        : 'ACR leaves it as literal text';
      found.push(
        diagnostic(
          'alias-unknown',
          'information',
          `\`${written}\` is not an alias (did you mean \`${aliases.directive}${suggestion}\`?); ${fate}`,
          reference.span,
          { name: reference.name, replacement: `${aliases.directive}${suggestion}` },
        ),
      );
    }
    return found;
  },
};
