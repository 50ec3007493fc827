/**
 * `key-unknown` and `key-ignored`: ACR's decoder silently drops keys it does not know (spec §2, edge
 * case 23), so a typo (`volumeMount`, `retry`, `entrypoint`) or a key from the docs' tables that the
 * engine never reads (`totalTimeout`, step `secret`) just has no effect. Warn, with a did-you-mean.
 */
import { diagnostic } from '../../task/diagnostic';
import { collectKeySites } from '../keySites';
import { keyInfo, keysOf } from '../schemaKeys';
import { closestName } from '../suggest';
import type { Rule, RuleDiagnostic } from './Rule';

const WHERE: Record<string, string> = {
  task: 'a task',
  step: 'a step',
  secret: 'a secret',
  network: 'a network',
  volume: 'a volume',
  volumeMount: 'a volume mount',
  alias: 'the alias block',
};

export const unknownKeysRule: Rule = {
  codes: ['key-unknown', 'key-ignored'],
  check(context): RuleDiagnostic[] {
    const found: RuleDiagnostic[] = [];
    for (const site of collectKeySites(context.analysis)) {
      const info = keyInfo(site.kind, site.name);
      if (info && info.ignoredByEngine === undefined) continue;
      const suggestion = closestName(
        site.name,
        keysOf(site.kind).map((key) => key.name),
      );
      const data =
        suggestion === undefined
          ? { kind: site.kind, name: site.name }
          : { kind: site.kind, name: site.name, replacement: suggestion };
      if (info?.ignoredByEngine !== undefined) {
        const hint =
          suggestion !== undefined && !info.ignoredByEngine.includes(suggestion)
            ? ` Did you mean \`${suggestion}\`?`
            : '';
        found.push(diagnostic('key-ignored', 'warning', `${info.ignoredByEngine}${hint}`, site.span, data));
        continue;
      }
      const hint = suggestion === undefined ? '' : ` Did you mean \`${suggestion}\`?`;
      found.push(
        diagnostic(
          'key-unknown',
          'warning',
          `\`${site.name}\` is not a key of ${WHERE[site.kind] ?? site.kind}: ACR ignores it silently.${hint}`,
          site.span,
          data,
        ),
      );
    }
    return found;
  },
};
