/**
 * `cmd-shell-operator`: `|`, `&&`, `;`, `>` … in a `cmd`. ACR hands the whole string to a shell on its
 * agent (spec §5.6), so `alpine ls | grep x` pipes the *container's* output into a `grep` running on
 * the agent. That works in ACR by accident of implementation; the local engine runs the container
 * directly and refuses such a cmd, so say so where it is written.
 */
import { diagnostic } from '../../task/diagnostic';
import { cmdTexts } from './cmdText';
import type { Rule, RuleDiagnostic } from './Rule';

export const shellOperatorsRule: Rule = {
  codes: ['cmd-shell-operator'],
  check(context): RuleDiagnostic[] {
    const found: RuleDiagnostic[] = [];
    for (const cmd of cmdTexts(context.analysis)) {
      for (const { operator, span } of context.shellText(cmd.text).operators) {
        found.push(
          diagnostic(
            'cmd-shell-operator',
            'warning',
            `\`${operator}\` is handled by the shell on ACR's agent, not inside the container: the container runs only the part before it, and the rest runs on the agent. The local engine refuses shell operators in cmd; to run them in the container write \`<image> sh -c '…'\`.`,
            cmd.toSource(span),
            { stepId: cmd.step.id, operator },
          ),
        );
      }
    }
    return found;
  },
};
