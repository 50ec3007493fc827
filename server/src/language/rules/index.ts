/** Every rule beyond ACR's own validation, in the order their problems are listed. */
import { aliasModeOffRule } from './aliasModeOff';
import { aliasUnknownRule } from './aliasUnknown';
import { dockerfileParityRule } from './dockerfileParity';
import { foreignTemplatesRule } from './foreignTemplates';
import { keysIgnoredForKindRule } from './keysIgnoredForKind';
import type { Rule } from './Rule';
import { shellOperatorsRule } from './shellOperators';
import { shellVariablesRule } from './shellVariables';
import { undeclaredSecretsRule } from './undeclaredSecrets';
import { unknownKeysRule } from './unknownKeys';
import { valuesKeysRule } from './valuesKeys';

export type { Rule, RuleContext, RuleDiagnostic } from './Rule';

export const RULES: readonly Rule[] = [
  unknownKeysRule,
  keysIgnoredForKindRule,
  undeclaredSecretsRule,
  valuesKeysRule,
  foreignTemplatesRule,
  aliasModeOffRule,
  aliasUnknownRule,
  shellOperatorsRule,
  shellVariablesRule,
  dockerfileParityRule,
];
