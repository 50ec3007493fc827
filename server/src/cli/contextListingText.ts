/** Plain-text rendering of a context listing (`build --list-context`). */
import { formatBytes } from '../engine/quickBuild/buildSource';
import type { ContextListing } from '../engine/quickBuild/contextListing';

const SOURCE_TEXT: Record<ContextListing['source'], string> = {
  local: 'local folder, sent as `az acr build` uploads it and its build receives it',
  git: 'git repository, fetched as ACR does',
  tarball: 'archive URL, downloaded and unpacked as ACR does',
};

function count(value: number, one: string, many = `${one}s`): string {
  return `${value} ${value === 1 ? one : many}`;
}

/** Summary first (what, how much, the largest files, what was skipped and why), then every path if listed. */
export function formatContextListing(listing: ContextListing): string {
  const lines = [
    `Context: ${listing.context} (${SOURCE_TEXT[listing.source]})`,
    `Dockerfile: ${listing.dockerfile}${listing.dockerfileInTar && listing.dockerfileInTar !== listing.dockerfile ? ` (sent as ${listing.dockerfileInTar})` : ''}`,
    `Ignore rules: ${listing.ignoreFile ?? 'none'}`,
    `Would send: ${count(listing.files, 'file')}, ${count(listing.directories, 'directory', 'directories')}, ${count(listing.symlinks, 'symlink')} — ${formatBytes(listing.totalBytes)} of file data (${formatBytes(listing.tarBytes)} as tar)`,
  ];
  if (listing.largest.length > 0) {
    lines.push('Largest files:');
    const width = Math.max(...listing.largest.map((entry) => formatBytes(entry.size).length));
    for (const entry of listing.largest) lines.push(`  ${formatBytes(entry.size).padStart(width)}  ${entry.path}`);
  }
  if (listing.skippedDirectories.length > 0)
    lines.push(`Excluded folders (never read): ${listing.skippedDirectories.join(', ')}`);
  for (const warning of listing.warnings) lines.push(`warning: ${warning}`);
  if (listing.paths) {
    lines.push('', 'Paths:');
    for (const entry of listing.paths) lines.push(`  ${entry}`);
  }
  return `${lines.join('\n')}\n`;
}
