/**
 * `alias-mode-off`: `$Registry`, `$ID`, … (or an `alias:` block) in a file whose version leaves alias
 * processing off (spec §1.3: only a sniffed version >= "v1.1.0" as a string turns it on, so no version,
 * `v1.0.0` and `V1.1.0` are all off). The text then stays literal and a `$name` in a cmd is expanded
 * by the agent shell, usually to nothing.
 */
import { diagnostic } from '../../task/diagnostic';
import { readAliasBlockForEditor, RUN_VARIABLE_ALIASES } from '../../task/preprocess';
import { findReferencesByLine } from '../aliases';
import type { Rule, RuleDiagnostic } from './Rule';

function versionNote(sniffed: string | undefined): string {
  if (sniffed === undefined) return 'this file has no `version:`, so it is v1.0.0';
  if (sniffed.toLowerCase() === 'v1.1.0') return `\`${sniffed}\` compares below "v1.1.0" (aliases need a lowercase v)`;
  return `this file says \`${sniffed}\``;
}

export const aliasModeOffRule: Rule = {
  codes: ['alias-mode-off'],
  check(context): RuleDiagnostic[] {
    const { analysis } = context;
    if (analysis.aliasMode) return [];
    const found: RuleDiagnostic[] = [];
    const note = versionNote(analysis.sniffedVersion);
    const aliasKey = analysis.parsed.task.entries.get('alias');
    if (aliasKey) {
      found.push(
        diagnostic(
          'alias-mode-off',
          'warning',
          `the alias block is ignored: aliases need version v1.1.0; ${note}`,
          aliasKey.key,
          {
            fix: 'set-version',
          },
        ),
      );
    }
    if (!analysis.masked.includes('$')) return found;
    // Run-variable aliases and the block's own names; image aliases (`$bash`) are rare as `$` words.
    const names = new Map(RUN_VARIABLE_ALIASES);
    if (aliasKey) for (const entry of readAliasBlockForEditor(analysis.text).values) names.set(entry.name, entry.value);
    const blockSpan = aliasKey ? { start: aliasKey.key.start, end: aliasKey.value.end } : undefined;
    for (const reference of findReferencesByLine(analysis.masked, names, '$')) {
      if (blockSpan && reference.span.start >= blockSpan.start && reference.span.end <= blockSpan.end) continue;
      if (!reference.known) continue;
      const written = analysis.text.slice(reference.span.start, reference.span.end);
      found.push(
        diagnostic(
          'alias-mode-off',
          'warning',
          `aliases need version v1.1.0; here \`${written}\` is left to the agent shell (${note})`,
          reference.span,
          { fix: 'set-version', name: reference.name },
        ),
      );
    }
    return found;
  },
};
