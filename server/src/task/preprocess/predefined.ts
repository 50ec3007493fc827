/**
 * acb's predefined aliases (spec §7.1, `graph/global-defaults-*.go`). They have the lowest precedence:
 * `values` and `src` entries may redefine any of them.
 */

/** Run-variable aliases, on every OS: `$ID` → `{{.Run.ID}}`, rendered by the template stage afterwards. */
export const RUN_VARIABLE_ALIASES: ReadonlyMap<string, string> = new Map([
  ['ID', '{{.Run.ID}}'],
  ['SharedVolume', '{{.Run.SharedVolume}}'],
  ['Registry', '{{.Run.Registry}}'],
  ['RegistryName', '{{.Run.RegistryName}}'],
  ['Date', '{{.Run.Date}}'],
  ['OS', '{{.Run.OS}}'],
  ['Architecture', '{{.Run.Architecture}}'],
  ['Commit', '{{.Run.Commit}}'],
  ['Branch', '{{.Run.Branch}}'],
]);

/**
 * Image aliases (Linux only), usable as the first word of a `cmd` without a directive. Tags are acb's at
 * the spec's snapshot; Microsoft's docs list older ones, which is why {@link predefinedAliases} lets a
 * caller substitute its own.
 */
export const LINUX_IMAGE_ALIASES: ReadonlyMap<string, string> = new Map([
  ['acr', 'mcr.microsoft.com/acr/acr-cli:0.19'],
  ['az', 'mcr.microsoft.com/acr/azure-cli:2ff604c'],
  ['bash', 'mcr.microsoft.com/acr/bash:2ff604c'],
  ['curl', 'mcr.microsoft.com/acr/curl:2ff604c'],
  ['cssc', 'mcr.microsoft.com/acr/cssc:2ff604c'],
]);

/** Names of the image aliases, in acb's order. */
export const IMAGE_ALIAS_NAMES: readonly string[] = [...LINUX_IMAGE_ALIASES.keys()];

/** The OS whose defaults acb loads (`runtime.GOOS` of the engine; the Windows set has no image aliases). */
export type AliasDefaultsOs = 'linux' | 'windows';

/**
 * The predefined alias map for an engine OS.
 *
 * @param imageOverrides replaces image-alias values (e.g. newer tags); ignored on Windows, where acb has none.
 */
export function predefinedAliases(
  os: AliasDefaultsOs = 'linux',
  imageOverrides?: ReadonlyMap<string, string>,
): ReadonlyMap<string, string> {
  const aliases = new Map(RUN_VARIABLE_ALIASES);
  if (os === 'windows') return aliases;
  for (const [name, image] of LINUX_IMAGE_ALIASES) aliases.set(name, imageOverrides?.get(name) ?? image);
  return aliases;
}

/** The Linux defaults with the snapshot tags — what a Linux acb loads. */
export const PREDEFINED_ALIASES: ReadonlyMap<string, string> = predefinedAliases('linux');
