/**
 * `--platform os/arch[/variant]` (spec §9.1): validated as `az acr build` does (`get_validate_platform`:
 * OS, architecture and variant from the service's enums, OS and architecture lower-cased), and checked
 * against what the engine actually built — Docker's classic builder quietly builds for the engine's own
 * platform when the base image it already has is for another one.
 */
import type { ContainerRuntime } from '../ContainerRuntime';

const VALID_OS = ['linux', 'windows'];
const VALID_ARCHITECTURES = ['amd64', 'x86', '386', 'arm', 'arm64'];
const VALID_VARIANTS = ['v6', 'v7', 'v8'];

export interface Platform {
  os: string;
  architecture: string;
  variant?: string;
}

export type PlatformResult = { ok: true; platform: Platform; text: string } | { ok: false; error: string };

/** `os[/arch[/variant]]` → the platform az would send (architecture defaults to amd64), or the az error. */
export function parsePlatform(text: string): PlatformResult {
  const [rawOs = '', rawArchitecture, variant] = text.split('/');
  const os = rawOs.toLowerCase();
  const architecture = (rawArchitecture ?? 'amd64').toLowerCase();
  if (!VALID_OS.includes(os)) return { ok: false, error: invalid(os, 'OS', VALID_OS) };
  if (!VALID_ARCHITECTURES.includes(architecture))
    return { ok: false, error: invalid(architecture, 'Architecture', VALID_ARCHITECTURES) };
  if (variant && !VALID_VARIANTS.includes(variant))
    return { ok: false, error: invalid(variant, 'Variant', VALID_VARIANTS) };
  const platform: Platform = { os, architecture, ...(variant ? { variant } : {}) };
  return { ok: true, platform, text: formatPlatform(platform) };
}

function invalid(value: string, what: string, valid: readonly string[]): string {
  return `'${value}' is not a valid value for ${what} specified in --platform. Valid options are ${valid.join(',')}.`;
}

export function formatPlatform(platform: Platform): string {
  return [platform.os, platform.architecture, platform.variant].filter((part) => part).join('/');
}

/** containerd's normalisation: architecture aliases, and the default variants that need not be written. */
export function normalizePlatform(platform: Platform): Platform {
  const os = platform.os.toLowerCase();
  let architecture = platform.architecture.toLowerCase();
  let variant = platform.variant?.toLowerCase();
  if (architecture === 'x86_64' || architecture === 'x86-64') architecture = 'amd64';
  else if (architecture === 'i386' || architecture === 'x86') architecture = '386';
  else if (architecture === 'aarch64') architecture = 'arm64';
  else if (architecture === 'armhf') [architecture, variant] = ['arm', 'v7'];
  else if (architecture === 'armel') [architecture, variant] = ['arm', 'v6'];
  if (architecture === 'arm64' && (variant === 'v8' || variant === '8')) variant = undefined;
  if (architecture === 'arm' && (variant === undefined || variant === '7')) variant = 'v7';
  if (architecture === 'amd64' && variant === 'v1') variant = undefined;
  return { os, architecture, ...(variant ? { variant } : {}) };
}

export function samePlatform(a: Platform, b: Platform): boolean {
  return formatPlatform(normalizePlatform(a)) === formatPlatform(normalizePlatform(b));
}

/** Why the engine may not build for `requested`, before trying: it runs another platform natively. */
export function foreignPlatformWarning(requested: Platform, engine: Platform): string | undefined {
  if (samePlatform(requested, engine)) return undefined;
  return `the engine runs ${formatPlatform(normalizePlatform(engine))}; building for ${formatPlatform(requested)} needs emulation (binfmt/QEMU) on the engine's host and base images for ${formatPlatform(requested)}`;
}

/** Fails when the built image is not for the requested platform (the classic builder does not refuse). */
export async function checkBuiltPlatform(
  runtime: ContainerRuntime,
  imageId: string,
  requested: string,
  signal: AbortSignal,
): Promise<void> {
  const parsed = parsePlatform(requested);
  if (!parsed.ok) return;
  const image = await runtime.inspectImage(imageId, signal);
  if (!image) return;
  const built: Platform = {
    os: image.os,
    architecture: image.architecture,
    ...(image.variant ? { variant: image.variant } : {}),
  };
  if (samePlatform(parsed.platform, built)) return;
  const actual = formatPlatform(normalizePlatform(built));
  throw new Error(
    `the engine cannot build for ${parsed.text}: it built ${actual} instead — the classic builder uses the ` +
      `base image it has (${actual}); building for ${parsed.text} needs base images for it and, for RUN ` +
      `instructions, emulation on the engine's host`,
  );
}

/** Engine messages that mean "not for this platform", whatever the build step was doing. */
const PLATFORM_FAILURE = /does not match the specified platform|no matching manifest for|exec format error/i;

/** A build failure made clear when it comes from asking for a platform the engine cannot build. */
export function explainPlatformFailure(message: string, requested: string | undefined): string {
  if (requested === undefined || !PLATFORM_FAILURE.test(message) || message.startsWith('the engine cannot build'))
    return message;
  return `the engine cannot build for ${requested} (it needs base images for ${requested} and, for RUN instructions, emulation on the engine's host): ${message}`;
}
