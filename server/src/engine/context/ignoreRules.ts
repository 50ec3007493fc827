/**
 * Ignore-file semantics for build contexts, in the two dialects that matter to an ACR run:
 *
 * - **docker**: what the docker CLI applies before sending a context (moby's `.dockerignore` reader and
 *   pattern matcher). Matching is delegated to `@balena/dockerignore`, a maintained port of moby's
 *   fileutils/patternmatcher; we only add what it lacks: the reader's BOM handling, the forced
 *   re-inclusion of the Dockerfile and `.dockerignore`, and the walker's "may we skip this directory" rule.
 * - **az**: what `az acr build` / `az acr run` apply when uploading the source (§9.1, azure-cli
 *   `_archive_utils.py`). It has its own regex translation with quirks that change the uploaded
 *   workspace, so it is reproduced exactly: `/foo` and `foo/` never match (slashes are only stripped from
 *   `!` rules), `**` swallows the following `/` (`**\/x` also matches `ax`), leading spaces are kept, and
 *   `.git`, `.gitignore`, `.bzr`, `bzrignore`, `.hg`, `.hgignore`, `.svn` at the root are always excluded.
 */
import { cleanPath } from '../../task/goPath';
import ignore from '@balena/dockerignore';

/** One decision about one path, plus what its children need to decide. */
export interface FilterState {
  excluded: boolean;
  /** az only: priority of the rule that decided (children consult only stronger rules). */
  ruleIndex?: number;
  /** Combined filters only: the state of each filter they combine. */
  parts?: readonly FilterState[];
}

/** Decides entries while walking a context depth-first. Paths are relative, `/`-separated. */
export interface ContextFilter {
  /** The state of the context root (never excluded). */
  readonly root: FilterState;
  decide(relPath: string, parent: FilterState): FilterState;
  /**
   * For an excluded directory: true when no rule can bring back anything below it, so the walker need
   * not read it (azure-cli#31250 is the cost of always walking).
   */
  canSkipExcludedDirectory(relPath: string, state: FilterState): boolean;
  /** Problems with the rules (bad patterns), for the user. */
  readonly warnings: readonly string[];
}

/** A `.dockerignore` line after moby's reader: cleaned, `!` split off. */
export interface DockerPattern {
  pattern: string;
  exclusion: boolean;
}

const UTF8_BOM = '\uFEFF';

/** moby's `ignorefile.ReadAll`: BOM stripped, `#` lines skipped before trimming, paths cleaned. */
export function parseDockerignore(text: string): DockerPattern[] {
  const patterns: DockerPattern[] = [];
  for (const line of stripBom(text).split(/\r?\n/)) {
    if (line.startsWith('#')) continue;
    let pattern = line.trim();
    if (pattern === '') continue;
    const exclusion = pattern.startsWith('!');
    if (exclusion) pattern = pattern.slice(1).trim();
    if (pattern.length > 0) {
      pattern = cleanPath(pattern);
      if (pattern.length > 1 && pattern.startsWith('/')) pattern = pattern.slice(1);
    }
    if (pattern === '') continue;
    patterns.push({ pattern, exclusion });
  }
  return patterns;
}

export type DockerWalker = 'classic' | 'buildkit';

/**
 * Docker's filter. `forceInclude` lists paths the docker CLI re-includes when the rules exclude them
 * (`.dockerignore` and the Dockerfile, cli `TrimBuildFilesFromExcludes`).
 *
 * `walker` picks how excluded directories are skipped. The classic builder's archiver (what ACR's
 * default `DOCKER_BUILDKIT=0` build uses) only enters an excluded directory when some `!` pattern
 * literally starts with that directory, so `!**\/*.go` cannot bring back `src/a.go` once `src` is
 * excluded — reproduced here for parity. BuildKit evaluates every path, so it enters whenever a `!`
 * pattern could match below.
 */
export function createDockerFilter(
  patterns: readonly DockerPattern[],
  options: { walker: DockerWalker; forceInclude: readonly string[] },
): ContextFilter {
  const warnings: string[] = [];
  const effective = patterns.filter((pattern) => isValidDockerPattern(pattern, warnings));
  const withoutForced = buildMatcher(effective);
  for (const forced of options.forceInclude) {
    if (withoutForced.ignores(forced)) effective.push({ pattern: forced, exclusion: true });
  }
  const final = buildMatcher(effective);
  const exclusions = effective.filter((p) => p.exclusion).map((p) => p.pattern);
  return {
    root: { excluded: false },
    warnings,
    decide: (relPath) => ({ excluded: final.ignores(relPath) }),
    canSkipExcludedDirectory(relPath) {
      if (exclusions.length === 0) return true;
      if (options.walker === 'classic') {
        const dirSlash = `${relPath}/`;
        return !exclusions.some((pattern) => `${pattern}/`.startsWith(dirSlash));
      }
      return !exclusions.some((pattern) => couldMatchBelow(pattern.split('/'), relPath.split('/')));
    },
  };
}

type Matcher = ReturnType<typeof ignore>;

function buildMatcher(patterns: readonly DockerPattern[]): Matcher {
  return ignore({ ignorecase: false }).add(
    patterns.map(({ pattern, exclusion }) => (exclusion ? `!${pattern}` : pattern)),
  );
}

/** Compile each pattern once up front so a bad one is reported here instead of throwing mid-walk. */
function isValidDockerPattern(pattern: DockerPattern, warnings: string[]): boolean {
  try {
    buildMatcher([pattern]).ignores('probe');
    return true;
  } catch (error) {
    const line = pattern.exclusion ? `!${pattern.pattern}` : pattern.pattern;
    warnings.push(`ignored invalid pattern "${line}": ${error instanceof Error ? error.message : String(error)}`);
    return false;
  }
}

/** Conservative: may a path strictly below `dirSegments` match a pattern with these segments? */
function couldMatchBelow(patternSegments: readonly string[], dirSegments: readonly string[]): boolean {
  for (let i = 0; i < dirSegments.length; i++) {
    const segment = patternSegments[i];
    // The pattern ends at or above the directory: it matches the directory or an ancestor, and Docker
    // lets a parent's match decide for everything below.
    if (segment === undefined) return true;
    if (segment.includes('**')) return true;
    // Glob and regex syntax (both matchers hand most of it to a regex engine): assume it may match.
    if (/[*?[\]\\^$|+(){}]/.test(segment)) continue;
    if (segment !== dirSegments[i]) return false;
  }
  return true;
}

/** Version-control entries `az acr` never uploads (at the archive root only). */
export const AZ_VCS_EXCLUDES: readonly string[] = [
  '.git',
  '.gitignore',
  '.bzr',
  'bzrignore',
  '.hg',
  '.hgignore',
  '.svn',
];

interface AzRule {
  source: string;
  ignore: boolean;
  regex: RegExp | undefined;
  tokens: string[];
}

/**
 * The az CLI's filter. `lines` is the ignore file's text (undefined: no file → only VCS excludes);
 * `addRootDockerignoreRule` is set when a `<Dockerfile>.dockerignore` override is used, in which case
 * az adds a lowest-priority rule excluding the root `.dockerignore`.
 */
export function createAzFilter(text: string | undefined, addRootDockerignoreRule: boolean): ContextFilter {
  const warnings: string[] = [];
  if (text === undefined) {
    return {
      root: { excluded: false },
      warnings,
      decide: (relPath, parent) => ({ excluded: AZ_VCS_EXCLUDES.includes(relPath) || parent.excluded }),
      canSkipExcludedDirectory: () => true,
    };
  }
  // Highest priority first: later lines win, the override's `.dockerignore` rule comes last.
  const rules: AzRule[] = [];
  if (addRootDockerignoreRule) rules.push(azRule('.dockerignore', warnings));
  for (const line of stripBom(text).split('\n')) {
    const rule = line.replace(/\s+$/, '');
    if (rule === '' || rule.startsWith('#')) continue;
    rules.unshift(azRule(rule, warnings));
  }
  return {
    root: { excluded: false, ruleIndex: rules.length },
    warnings,
    decide(relPath, parent) {
      const parentIndex = parent.ruleIndex ?? rules.length;
      if (AZ_VCS_EXCLUDES.includes(relPath)) return { excluded: true, ruleIndex: parentIndex };
      for (let index = 0; index < parentIndex; index++) {
        const rule = rules[index];
        if (rule?.regex?.test(relPath)) return { excluded: rule.ignore, ruleIndex: index };
      }
      return { excluded: parent.excluded, ruleIndex: parentIndex };
    },
    canSkipExcludedDirectory(relPath, state) {
      const stronger = rules.slice(0, state.ruleIndex ?? rules.length);
      const dirSegments = relPath.split('/');
      return !stronger.some((rule) => !rule.ignore && rule.regex && couldMatchBelow(rule.tokens, dirSegments));
    },
  };
}

function azRule(source: string, warnings: string[]): AzRule {
  let rule = source;
  let ignoreMatch = true;
  if (rule.startsWith('!')) {
    ignoreMatch = false;
    rule = rule.slice(1);
    if (rule.startsWith('/')) rule = rule.slice(1);
    rule = rule.replace(/\/+$/, '');
  }
  const tokens = rule.split('/');
  let pattern = '^';
  tokens.forEach((token, index) => {
    if (token === '**') {
      pattern += '.*';
    } else {
      pattern += token.replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]').replace(/\./g, '\\.');
      if (index < tokens.length - 1) pattern += '/';
    }
  });
  pattern += '$';
  let regex: RegExp | undefined;
  if (rule === '') {
    // `!/` crashes the az CLI (it indexes an empty string); here it simply matches nothing.
    warnings.push(`ignored pattern "${source}": nothing is left after removing the slashes`);
  } else {
    try {
      regex = new RegExp(pattern);
    } catch (error) {
      warnings.push(`ignored invalid pattern "${source}": ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return { source, ignore: ignoreMatch, regex, tokens };
}

function stripBom(text: string): string {
  return text.startsWith(UTF8_BOM) ? text.slice(1) : text;
}
