/**
 * `cmd-shell-variable`: `$VAR` in a `cmd` outside single quotes. The agent shell expands it before
 * Docker runs (spec §5.6, edge case 48), so `alpine echo $HOME` prints the agent's HOME, not the
 * container's. Information, not a warning: passing an agent variable on purpose is legitimate.
 */
import { diagnostic } from '../../task/diagnostic';
import { aliasSuggestion } from '../aliases';
import { cmdTexts, shellView } from './cmdText';
import type { Rule, RuleDiagnostic } from './Rule';

export const shellVariablesRule: Rule = {
  codes: ['cmd-shell-variable'],
  check(context): RuleDiagnostic[] {
    const found: RuleDiagnostic[] = [];
    const aliases = context.aliases();
    for (const cmd of cmdTexts(context.analysis)) {
      for (const variable of context.shellText(shellView(cmd.text, aliases)).variables) {
        // A misspelt alias is reported by the alias rule, with a did-you-mean.
        if (aliases.enabled && aliasSuggestion(variable.name, aliases) !== undefined) continue;
        const written = cmd.text.slice(variable.span.start, variable.span.end);
        found.push(
          diagnostic(
            'cmd-shell-variable',
            'information',
            `\`${written}\` is expanded by the shell on ACR's agent before the container starts, so it gets the agent's value (usually empty), not the container's. To expand it inside the container write \`<image> sh -c '… ${written} …'\`.`,
            cmd.toSource(variable.span),
            { stepId: cmd.step.id, name: variable.name },
          ),
        );
      }
    }
    return found;
  },
};
