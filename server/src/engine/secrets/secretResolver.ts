/**
 * Where `{{.Secrets.<id>}}` values come from in a local run: values given by the user (`--secret
 * ID=VALUE`, an env file, the editor's secret storage) win; a task secret with no given value is fetched
 * from Key Vault through a pluggable resolver, and fails clearly when none is configured.
 */
import type { SecretDef } from '../../task/model';

/** Resolves a task secret from Azure Key Vault (spec §4.1). Implementations must honour `signal`. */
export interface KeyVaultSecretResolver {
  resolve(secret: { id: string; keyvault: string; clientID?: string }, signal: AbortSignal): Promise<string>;
}

export class SecretResolutionError extends Error {
  override name = 'SecretResolutionError';
  constructor(
    message: string,
    readonly secretId: string,
  ) {
    super(message);
  }
}

/** The values for the task's `secrets:` plus every given value (given ones win). */
export async function resolveTaskSecrets(
  definitions: readonly SecretDef[],
  given: Readonly<Record<string, string>>,
  resolver: KeyVaultSecretResolver | undefined,
  signal: AbortSignal,
): Promise<Record<string, string>> {
  const values: Record<string, string> = { ...given };
  for (const secret of definitions) {
    if (Object.prototype.hasOwnProperty.call(given, secret.id)) continue;
    if (!secret.keyvault) {
      throw new SecretResolutionError(`secret ${secret.id} has no value: pass --secret ${secret.id}=VALUE`, secret.id);
    }
    if (!resolver) {
      throw new SecretResolutionError(
        `secret ${secret.id} comes from Key Vault (${secret.keyvault}) and no Key Vault resolver is configured: pass its value with --secret ${secret.id}=VALUE (or store it in the editor's secret storage)`,
        secret.id,
      );
    }
    try {
      values[secret.id] = await resolver.resolve(
        { id: secret.id, keyvault: secret.keyvault, ...(secret.clientID ? { clientID: secret.clientID } : {}) },
        signal,
      );
    } catch (error) {
      throw new SecretResolutionError(
        `secret ${secret.id}: cannot resolve it from Key Vault: ${error instanceof Error ? error.message : String(error)}`,
        secret.id,
      );
    }
  }
  return values;
}
