/**
 * Go's `path.Clean` for `/`-separated paths. ACR's engine, the az CLI's ignore rules and Sprig's
 * `clean` all use it, so the one implementation serves the working directory, .dockerignore patterns
 * and templates alike.
 */
export function cleanPath(path: string): string {
  if (path === '') return '.';
  const rooted = path.startsWith('/');
  const out: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (out.length > 0 && out[out.length - 1] !== '..') out.pop();
      else if (!rooted) out.push('..');
      continue;
    }
    out.push(part);
  }
  const joined = out.join('/');
  return rooted ? `/${joined}` : joined || '.';
}
