import { deepStrictEqual } from 'node:assert';

import {
  createAzFilter,
  createDockerFilter,
  parseDockerignore,
  type ContextFilter,
  type DockerWalker,
  type FilterState,
} from '../../../server/src/engine/context/ignoreRules';

/** Decide `paths` the way a walker would: each path's parent decision first. */
function decideAll(filter: ContextFilter, paths: readonly string[]): Record<string, boolean> {
  const states = new Map<string, FilterState>([['', filter.root]]);
  const result: Record<string, boolean> = {};
  for (const p of paths) {
    const parent = p.includes('/') ? p.slice(0, p.lastIndexOf('/')) : '';
    const state = filter.decide(p, states.get(parent) ?? filter.root);
    states.set(p, state);
    result[p] = state.excluded;
  }
  return result;
}

describe('parseDockerignore (moby ignorefile.ReadAll)', () => {
  it('strips the BOM, skips # lines before trimming, cleans paths, keeps ! separate', () => {
    deepStrictEqual(
      parseDockerignore('\uFEFF# comment\n  spaced  \n #not-a-comment\n/abs/\n!./a/../b\n\n!\r\nx/./y//z\r\n'),
      [
        { pattern: 'spaced', exclusion: false },
        { pattern: '#not-a-comment', exclusion: false },
        { pattern: 'abs', exclusion: false },
        { pattern: 'b', exclusion: true },
        { pattern: 'x/y/z', exclusion: false },
      ],
    );
  });
});

describe('docker filter', () => {
  const cases: Array<{
    name: string;
    rules: string;
    forceInclude?: string[];
    paths: string[];
    expected: Record<string, boolean>;
  }> = [
    {
      name: '* then !**/*.go re-includes Go files at any depth',
      rules: '*\n!**/*.go',
      paths: ['a.txt', 'src', 'src/a.go', 'src/c.js', 'src/sub', 'src/sub/b.go'],
      expected: {
        'a.txt': true,
        src: true,
        'src/a.go': false,
        'src/c.js': true,
        'src/sub': true,
        'src/sub/b.go': false,
      },
    },
    {
      name: 'leading and trailing slashes are stripped',
      rules: '/abs\ntrail/',
      paths: ['abs', 'abs/x', 'trail', 'trail/y', 'sub', 'sub/abs'],
      expected: { abs: true, 'abs/x': true, trail: true, 'trail/y': true, sub: false, 'sub/abs': false },
    },
    {
      name: '**/name matches at any depth, and everything below a match',
      rules: '**/deep',
      paths: ['deep', 'x', 'x/y', 'x/y/deep', 'x/deep', 'x/deep/z', 'x/deeper'],
      expected: {
        deep: true,
        x: false,
        'x/y': false,
        'x/y/deep': true,
        'x/deep': true,
        'x/deep/z': true,
        'x/deeper': false,
      },
    },
    {
      name: 'a plain name matches only at the root; matching is case-sensitive',
      rules: 'node_modules\n*.GO',
      paths: ['node_modules', 'node_modules/x', 'app', 'app/node_modules', 'a.go'],
      expected: { node_modules: true, 'node_modules/x': true, app: false, 'app/node_modules': false, 'a.go': false },
    },
    {
      name: 'nested re-include and re-exclude: the last matching rule wins',
      rules: 'docs\n!docs/keep\ndocs/keep/tmp',
      paths: ['docs', 'docs/a', 'docs/keep', 'docs/keep/b', 'docs/keep/tmp', 'docs/keep/tmp/c'],
      expected: {
        docs: true,
        'docs/a': true,
        'docs/keep': false,
        'docs/keep/b': false,
        'docs/keep/tmp': true,
        'docs/keep/tmp/c': true,
      },
    },
    {
      name: 'the Dockerfile and .dockerignore are always sent (docker CLI)',
      rules: 'Dockerfile\n.dockerignore\nsub',
      forceInclude: ['.dockerignore', 'sub/Dockerfile'],
      paths: ['.dockerignore', 'Dockerfile', 'sub', 'sub/Dockerfile', 'sub/other'],
      expected: { '.dockerignore': false, Dockerfile: true, sub: true, 'sub/Dockerfile': false, 'sub/other': true },
    },
  ];
  for (const { name, rules, forceInclude, paths, expected } of cases) {
    it(name, () => {
      const filter = createDockerFilter(parseDockerignore(rules), {
        walker: 'classic',
        forceInclude: forceInclude ?? [],
      });
      deepStrictEqual(decideAll(filter, paths), expected);
    });
  }

  const skips: Array<{ name: string; rules: string; walker: DockerWalker; dir: string; expected: boolean }> = [
    { name: 'no ! rules: skip', rules: 'src', walker: 'classic', dir: 'src', expected: true },
    {
      name: 'classic: a ! rule starting with the directory keeps it',
      rules: 'src\n!src/keep',
      walker: 'classic',
      dir: 'src',
      expected: false,
    },
    {
      name: 'classic: a wildcard ! rule does not (moby archive walker)',
      rules: '*\n!**/*.go',
      walker: 'classic',
      dir: 'src',
      expected: true,
    },
    {
      name: 'buildkit: a wildcard ! rule may match below',
      rules: '*\n!**/*.go',
      walker: 'buildkit',
      dir: 'src',
      expected: false,
    },
    {
      name: 'buildkit: a ! rule for another directory does not',
      rules: 'src\nlib\n!lib/keep',
      walker: 'buildkit',
      dir: 'src',
      expected: true,
    },
    {
      name: 'buildkit: per-segment wildcards',
      rules: 'src\n!s*/keep',
      walker: 'buildkit',
      dir: 'src',
      expected: false,
    },
  ];
  for (const { name, rules, walker, dir, expected } of skips) {
    it(`skipping excluded directories — ${name}`, () => {
      const filter = createDockerFilter(parseDockerignore(rules), { walker, forceInclude: [] });
      deepStrictEqual(filter.canSkipExcludedDirectory(dir, filter.decide(dir, filter.root)), expected);
    });
  }

  it('reports an invalid pattern and ignores it instead of throwing mid-walk', () => {
    const filter = createDockerFilter(parseDockerignore('a(b\nkeep-me'), { walker: 'classic', forceInclude: [] });
    deepStrictEqual(
      { warnings: filter.warnings.map((w) => w.replace(/:.*/, '')), decisions: decideAll(filter, ['keep-me', 'a(b']) },
      { warnings: ['ignored invalid pattern "a(b"'], decisions: { 'keep-me': true, 'a(b': false } },
    );
  });
});

describe('az acr upload filter (azure-cli _archive_utils.py)', () => {
  const cases: Array<{
    name: string;
    rules: string | undefined;
    override?: boolean;
    paths: string[];
    expected: Record<string, boolean>;
  }> = [
    {
      name: 'without an ignore file only VCS metadata at the root is dropped',
      rules: undefined,
      paths: ['.git', '.git/HEAD', '.gitignore', '.hg', 'bzrignore', 'src', 'src/.git', 'src/.git/HEAD'],
      expected: {
        '.git': true,
        '.git/HEAD': true,
        '.gitignore': true,
        '.hg': true,
        bzrignore: true,
        src: false,
        'src/.git': false,
        'src/.git/HEAD': false,
      },
    },
    {
      name: '/foo and foo/ never match (slashes are only stripped from ! rules)',
      rules: '/foo\nbar/',
      paths: ['foo', 'foo/x', 'bar', 'bar/y'],
      expected: { foo: false, 'foo/x': false, bar: false, 'bar/y': false },
    },
    {
      name: '**/x also matches names ending in x (the ** swallows the slash)',
      rules: '**/cache',
      paths: ['cache', 'mycache', 'a', 'a/cache', 'a/b', 'a/b/cache'],
      expected: { cache: true, mycache: true, a: false, 'a/cache': true, 'a/b': false, 'a/b/cache': true },
    },
    {
      name: 'children inherit; a stronger ! rule re-includes below an excluded directory',
      rules: 'docs\n!/docs/keep/',
      paths: ['docs', 'docs/a', 'docs/keep', 'docs/keep/b'],
      expected: { docs: true, 'docs/a': true, 'docs/keep': false, 'docs/keep/b': false },
    },
    {
      name: 'a weaker ! rule cannot re-include below a stronger exclusion',
      rules: '!docs/keep\ndocs',
      paths: ['docs', 'docs/keep', 'docs/keep/b'],
      expected: { docs: true, 'docs/keep': true, 'docs/keep/b': true },
    },
    {
      name: 'leading spaces are kept (only the right side is stripped)',
      rules: ' spaced\nexact  ',
      paths: ['spaced', 'exact'],
      expected: { spaced: false, exact: true },
    },
    {
      name: 'a <Dockerfile>.dockerignore override also drops the root .dockerignore',
      rules: 'tmp',
      override: true,
      paths: ['.dockerignore', 'app.Dockerfile.dockerignore', 'tmp'],
      expected: { '.dockerignore': true, 'app.Dockerfile.dockerignore': false, tmp: true },
    },
  ];
  for (const { name, rules, override, paths, expected } of cases) {
    it(name, () => deepStrictEqual(decideAll(createAzFilter(rules, override ?? false), paths), expected));
  }

  it('walks into an excluded directory only when a stronger ! rule could match below it', () => {
    const filter = createAzFilter('docs\nlib\n!docs/keep', false);
    const docs = filter.decide('docs', filter.root);
    const lib = filter.decide('lib', filter.root);
    deepStrictEqual(
      { docs: filter.canSkipExcludedDirectory('docs', docs), lib: filter.canSkipExcludedDirectory('lib', lib) },
      { docs: false, lib: true },
    );
  });
});
