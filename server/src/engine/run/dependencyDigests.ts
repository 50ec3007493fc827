/**
 * After all steps succeeded, acb fills the digests of its dependency records (spec §5.3) from the
 * engine's images; an image that cannot be inspected (e.g. a later step deleted it) fails the run.
 */
import type { DependencyImageRef, DependencyRecord } from '../../task/dependencyScan';
import type { ContainerRuntime } from '../ContainerRuntime';

/** `name@sha256:…` from RepoDigests whose name matches the reference (without tag); else the first one. */
function digestFor(reference: string, repoDigests: readonly string[]): string {
  const name = reference.replace(/@.*$/, '').replace(/:[^/:]*$/, '');
  const match = repoDigests.find((entry) => entry.startsWith(`${name}@`)) ?? repoDigests[0];
  return match === undefined ? '' : match.slice(match.indexOf('@') + 1);
}

/**
 * Fills `digest` in place; throws an Error naming the image when one cannot be inspected. Resolves with
 * the engine image id of every reference, which base-image triggers use for images that live only in
 * the engine (their digest stays empty).
 */
export async function fillDependencyDigests(
  runtime: ContainerRuntime,
  records: readonly DependencyRecord[],
  signal: AbortSignal,
): Promise<Record<string, string>> {
  const imageIds: Record<string, string> = {};
  const cache = new Map<string, Promise<string>>();
  const lookup = (ref: DependencyImageRef): Promise<string> => {
    let pending = cache.get(ref.reference);
    if (!pending) {
      pending = runtime.inspectImage(ref.reference, signal).then((info) => {
        if (!info)
          throw new Error(`failed to populate the digest of ${ref.reference}: the image does not exist on the engine`);
        imageIds[ref.reference] = info.id;
        return ref.digest || digestFor(ref.reference, info.repoDigests);
      });
      cache.set(ref.reference, pending);
    }
    return pending;
  };
  const refs = records.flatMap((record) => [
    ...(record.image ? [record.image] : []),
    record['runtime-dependency'],
    ...(record['buildtime-dependency'] ?? []),
  ]);
  for (const ref of refs) ref.digest = await lookup(ref);
  return imageIds;
}
