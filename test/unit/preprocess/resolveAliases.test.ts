import { deepStrictEqual, strictEqual } from 'node:assert';
import {
  PREDEFINED_ALIASES,
  predefinedAliases,
  resolveAliases,
  type AliasSourceReader,
  type PreprocessError,
} from '../../../server/src/task/preprocess';

const noSources: AliasSourceReader = (src) => ({ error: `unexpected read of ${src}` });

function sources(files: Record<string, string>, reads: string[] = []): AliasSourceReader {
  return (src) => {
    reads.push(src);
    const text = files[src];
    return text === undefined ? { error: `open ${src}: no such file or directory` } : { text };
  };
}

/** Span of the `occurrence`-th `needle` in `text` (0-based). */
function at(text: string, needle: string, occurrence = 0): { start: number; end: number } {
  let start = -1;
  for (let count = 0; count <= occurrence; count++) start = text.indexOf(needle, start + 1);
  if (start < 0) throw new Error(`${needle} not in fixture`);
  return { start, end: start + needle.length };
}

/** Only the non-predefined part of the map, for readable expectations. */
function userAliases(aliases: Map<string, string>): Record<string, string> {
  return Object.fromEntries([...aliases].filter(([name, value]) => PREDEFINED_ALIASES.get(name) !== value));
}

describe('resolveAliases (spec §7.2)', () => {
  it('no block: the predefined aliases and `$`', () => {
    const resolved = resolveAliases(undefined, noSources);
    deepStrictEqual([...resolved.aliases], [...PREDEFINED_ALIASES]);
    deepStrictEqual({ directive: resolved.directive, errors: resolved.errors }, { directive: '$', errors: [] });
    deepStrictEqual(resolved.origins.get('ID'), { kind: 'predefined' });
  });

  it('predefined aliases have the spec values', () => {
    deepStrictEqual(Object.fromEntries(PREDEFINED_ALIASES), {
      ID: '{{.Run.ID}}',
      SharedVolume: '{{.Run.SharedVolume}}',
      Registry: '{{.Run.Registry}}',
      RegistryName: '{{.Run.RegistryName}}',
      Date: '{{.Run.Date}}',
      OS: '{{.Run.OS}}',
      Architecture: '{{.Run.Architecture}}',
      Commit: '{{.Run.Commit}}',
      Branch: '{{.Run.Branch}}',
      acr: 'mcr.microsoft.com/acr/acr-cli:0.19',
      az: 'mcr.microsoft.com/acr/azure-cli:2ff604c',
      bash: 'mcr.microsoft.com/acr/bash:2ff604c',
      curl: 'mcr.microsoft.com/acr/curl:2ff604c',
      cssc: 'mcr.microsoft.com/acr/cssc:2ff604c',
    });
  });

  it('values override predefined aliases (edge case 32)', () => {
    const block = 'alias:\n  values: {ID: fixed, bash: ubuntu}\n';
    const resolved = resolveAliases(block, noSources);
    deepStrictEqual(userAliases(resolved.aliases), { ID: 'fixed', bash: 'ubuntu' });
    deepStrictEqual(resolved.origins.get('ID'), { kind: 'values', span: at(block, 'ID') });
    deepStrictEqual(resolved.errors, []);
  });

  it('values > later src > earlier src > predefined; src read from last to first', () => {
    const reads: string[] = [];
    const block = 'alias:\n  src:\n    - first.yaml\n    - second.yaml\n  values:\n    a: fromValues\n';
    const resolved = resolveAliases(
      block,
      sources(
        {
          'first.yaml': 'a: first\nb: first\nc: first\nOS: first\n',
          'second.yaml': 'a: second\nb: second\n',
        },
        reads,
      ),
    );
    deepStrictEqual(reads, ['second.yaml', 'first.yaml']);
    deepStrictEqual(userAliases(resolved.aliases), { a: 'fromValues', b: 'second', c: 'first', OS: 'first' });
    deepStrictEqual(resolved.origins.get('b'), { kind: 'src', src: 'second.yaml', span: at(block, 'second.yaml') });
    deepStrictEqual(resolved.errors, []);
  });

  it('alias values are not expanded (edge case 33, block already rendered)', () => {
    const block = 'alias:\n  values:\n    img: "alpine:cb12"\n    chain: "$img"\n';
    deepStrictEqual(userAliases(resolveAliases(block, noSources).aliases), { img: 'alpine:cb12', chain: '$img' });
  });

  it('scalars keep their text as yaml.v2 stores them in Go strings; null is ""', () => {
    const block =
      'alias:\n  values:\n    port: 80\n    flag: yes\n    f: 1.50\n    n: ~\n    e:\n    q: "null"\n    1: one\n    m: |\n      line\n';
    deepStrictEqual(userAliases(resolveAliases(block, noSources).aliases), {
      port: '80',
      flag: 'yes',
      f: '1.50',
      n: '',
      e: '',
      q: 'null',
      1: 'one',
      m: 'line\n',
    });
  });

  it('repeated keys: the later one wins; repeated blocks merge', () => {
    const block = 'alias:\n  values:\n    a: 1\n    a: 2\n  values:\n    b: 3\nalias:\n  directive: "&"\n';
    const resolved = resolveAliases(block, noSources);
    deepStrictEqual(userAliases(resolved.aliases), { a: '2', b: '3' });
    strictEqual(resolved.directive, '&');
  });

  describe('directive', () => {
    const cases: { directive: string; expected: string; error?: string }[] = [
      { directive: '"&"', expected: '&' },
      { directive: '"#"', expected: '#' },
      { directive: '😎', expected: '😎' },
      { directive: '"^"', expected: '^' },
      // acb's check is ASCII-only, so a non-ASCII letter is accepted.
      { directive: 'é', expected: 'é' },
      { directive: '""', expected: '$' },
      { directive: '', expected: '$' },
      { directive: 'ab', expected: '$', error: '$ directive can only be overwritten by a single character' },
      { directive: '"&&"', expected: '$', error: '$ directive can only be overwritten by a single character' },
      { directive: '"❤️"', expected: '$', error: '$ directive can only be overwritten by a single character' },
      { directive: 'a', expected: '$', error: 'overwritten directives may not be alphanumeric characters' },
      { directive: '7', expected: '$', error: 'overwritten directives may not be alphanumeric characters' },
    ];
    for (const { directive, expected, error } of cases) {
      it(`directive: ${directive}`, () => {
        const block = `alias:\n  directive: ${directive}\n`;
        const resolved = resolveAliases(block, noSources);
        strictEqual(resolved.directive, expected);
        const start = block.indexOf(directive, 18);
        const errors: PreprocessError[] =
          error === undefined
            ? []
            : [{ code: 'alias-directive-invalid', message: error, span: { start, end: start + directive.length } }];
        deepStrictEqual(resolved.errors, errors);
      });
    }
  });

  describe('errors (edge case 31)', () => {
    it('a key that is not alphanumeric', () => {
      const block = 'alias:\n  values:\n    my-repo: x\n    ok: y\n';
      const resolved = resolveAliases(block, noSources);
      deepStrictEqual(resolved.errors, [
        {
          code: 'alias-key-invalid',
          message: 'alias key names only support alphanumeric characters: "my-repo"',
          span: at(block, 'my-repo'),
        },
      ]);
      strictEqual(resolved.aliases.get('ok'), 'y');
    });

    it('keys from src files are validated too, located at their src entry', () => {
      const block = 'alias:\n  src: [ext.yaml]\n';
      const resolved = resolveAliases(block, sources({ 'ext.yaml': 'good: 1\nbad_key: 2\n' }));
      deepStrictEqual(resolved.errors, [
        {
          code: 'alias-key-invalid',
          message: 'alias key names only support alphanumeric characters: "bad_key"',
          span: at(block, 'ext.yaml'),
        },
      ]);
    });

    it('src failures: unreadable, not YAML, not a flat string map, a throwing reader', () => {
      const block =
        'alias:\n  src:\n    - missing.yaml\n    - bad.yaml\n    - nested.yaml\n    - list.yaml\n    - throws\n';
      const reader: AliasSourceReader = (src) => {
        if (src === 'throws') throw new Error('boom');
        return sources({ 'bad.yaml': 'a: [1,\n', 'nested.yaml': 'a:\n  b: c\n', 'list.yaml': '- a\n' })(src);
      };
      const resolved = resolveAliases(block, reader);
      deepStrictEqual(
        resolved.errors.map((error) => ({ code: error.code, span: error.span, start: error.message.split(':')[0] })),
        [
          { code: 'alias-src-failed', span: at(block, 'throws'), start: 'failed to load alias src "throws"' },
          { code: 'alias-src-failed', span: at(block, 'list.yaml'), start: 'failed to load alias src "list.yaml"' },
          { code: 'alias-src-failed', span: at(block, 'nested.yaml'), start: 'failed to load alias src "nested.yaml"' },
          { code: 'alias-src-failed', span: at(block, 'bad.yaml'), start: 'failed to load alias src "bad.yaml"' },
          {
            code: 'alias-src-failed',
            span: at(block, 'missing.yaml'),
            start: 'failed to load alias src "missing.yaml"',
          },
        ],
      );
      strictEqual(resolved.errors[0]?.message, 'failed to load alias src "throws": boom');
      strictEqual(
        resolved.errors[2]?.message,
        'failed to load alias src "nested.yaml": cannot unmarshal !!map into string',
      );
      strictEqual(
        resolved.errors[4]?.message,
        'failed to load alias src "missing.yaml": open missing.yaml: no such file or directory',
      );
    });

    it('an empty src file is an empty map', () => {
      deepStrictEqual(resolveAliases('alias:\n  src: [e.yaml]\n', sources({ 'e.yaml': '' })).errors, []);
    });

    it('a value that is not a string', () => {
      const block = 'alias:\n  values:\n    a: [1, 2]\n    b: x\n';
      const resolved = resolveAliases(block, noSources);
      deepStrictEqual(resolved.errors, [
        {
          code: 'alias-block-invalid',
          message: 'error during alias unmarshaling: cannot unmarshal !!seq into string',
          span: at(block, '[1, 2]'),
        },
      ]);
    });

    it('src that is not a list, values that is not a map', () => {
      const resolved = resolveAliases('alias:\n  src: one.yaml\n  values: x\n', noSources);
      deepStrictEqual(
        resolved.errors.map((error) => error.message),
        [
          'error during alias unmarshaling: cannot unmarshal !!str into []string',
          'error during alias unmarshaling: cannot unmarshal !!str into map[string]string',
        ],
      );
    });

    it('YAML syntax errors', () => {
      const resolved = resolveAliases('alias:\n  values:\n    a: "unterminated\n', noSources);
      strictEqual(resolved.errors.length > 0, true);
      deepStrictEqual(new Set(resolved.errors.map((error) => error.code)), new Set(['alias-block-invalid']));
      deepStrictEqual([...resolved.aliases], [...PREDEFINED_ALIASES]);
    });

    it('errors come in acb evaluation order: src, then directive, then keys', () => {
      const block = 'alias:\n  src: [missing]\n  directive: ab\n  values: {"a-b": x}\n';
      deepStrictEqual(
        resolveAliases(block, sources({})).errors.map((error) => error.code),
        ['alias-src-failed', 'alias-directive-invalid', 'alias-key-invalid'],
      );
    });
  });

  it('a Windows engine has no image aliases', () => {
    const resolved = resolveAliases(undefined, noSources, { predefined: predefinedAliases('windows') });
    deepStrictEqual([...resolved.aliases.keys()].includes('bash'), false);
    strictEqual(resolved.aliases.get('ID'), '{{.Run.ID}}');
  });
});
