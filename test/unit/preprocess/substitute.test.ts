import { deepStrictEqual, strictEqual } from 'node:assert';
import {
  expandCommandAlias,
  findAliasReferences,
  PREDEFINED_ALIASES,
  substituteAliases,
  type AliasReference,
} from '../../../server/src/task/preprocess';

const withRepo = new Map([...PREDEFINED_ALIASES, ['repo', 'myrepo']]);

describe('substituteAliases (spec §7.4, exact)', () => {
  const cases: { input: string; expected: string; directive?: string; aliases?: ReadonlyMap<string, string> }[] = [
    // Edge case 30, the whole line at once.
    {
      input: 'echo $repo $$repo $$$repo $repo$repo $repo-x ${repo} $$ $unknown$repo',
      expected: 'echo myrepo $repo $myrepo myrepomyrepo myrepo-x ${repo} $ $unknown$repo',
    },
    { input: '$repo', expected: 'myrepo' },
    { input: '$$repo', expected: '$repo' },
    { input: '$$$repo', expected: '$myrepo' },
    { input: '$repo$repo', expected: 'myrepomyrepo' },
    { input: '$repo-x', expected: 'myrepo-x' },
    { input: '${repo}', expected: '${repo}' },
    { input: '$ ', expected: '$ ' },
    { input: '$$', expected: '$' },
    { input: '$', expected: '$' },
    { input: 'a$', expected: 'a$' },
    { input: '$Registryx', expected: '$Registryx' },
    { input: '$Registry.azurecr.io', expected: '{{.Run.Registry}}.azurecr.io' },
    // Greedy names: `$RegistryName` is one name, not `$Registry` + `Name`.
    { input: '$RegistryName', expected: '{{.Run.RegistryName}}' },
    { input: '$unknown$repo', expected: '$unknown$repo' },
    { input: '$repo$unknown$repo', expected: 'myrepo$unknown$repo' },
    { input: '$repo$$repo', expected: 'myrepo$repo' },
    { input: 'x: $ID\n', expected: 'x: {{.Run.ID}}\n' },
    // Trailing whitespace of the input is preserved; only the scan's own space is dropped.
    { input: 'echo $repo  ', expected: 'echo myrepo  ' },
    {
      input: '{{ $bash := 1 }}{{ $.Values.x }}',
      expected: '{{ mcr.microsoft.com/acr/bash:2ff604c := 1 }}{{ $.Values.x }}',
    },
    // Names are ASCII only: `é` ends the name.
    { input: '$repoé', expected: 'myrepoé' },
    // No recursion: a value containing a reference is inserted verbatim (edge case 33).
    {
      input: '$chain $img',
      expected: '$img alpine:cb12',
      aliases: new Map([
        ['img', 'alpine:cb12'],
        ['chain', '$img'],
      ]),
    },
    // Multi-line values are inserted verbatim.
    {
      input: 'steps:\n  - $step\n',
      expected: 'steps:\n  - id: a\n    cmd: x\n',
      aliases: new Map([['step', 'id: a\n    cmd: x']]),
    },
    // Directive `&` (edge case 31): `$` loses its meaning entirely.
    { input: 'echo &repo $repo $ID &&repo &ID', expected: 'echo myrepo $repo $ID &repo {{.Run.ID}}', directive: '&' },
    // Directive `#` (edge case 51): unknown references stay (YAML later reads them as a comment).
    {
      input: '  - cmd: bash echo #repo #ID #unknown tail $ID\n',
      expected: '  - cmd: bash echo myrepo {{.Run.ID}} #unknown tail $ID\n',
      directive: '#',
    },
    // An emoji (two UTF-16 units, one code point) as the directive.
    { input: '😎repo😎😎repo $repo 😎r😎e', expected: 'myrepo😎repo $repo 😎r😎e', directive: '😎' },
    {
      input: '😎s😎t',
      expected: 'st',
      directive: '😎',
      aliases: new Map([
        ['s', 's'],
        ['t', 't'],
      ]),
    },
  ];
  for (const { input, expected, directive = '$', aliases = withRepo } of cases) {
    it(`${JSON.stringify(input)} with ${directive}`, () => {
      strictEqual(substituteAliases(input, aliases, directive).text, expected);
    });
  }

  it('records every reference with its span in the input', () => {
    const text = 'a $repo$x $$ $$$ID ${ $unknown$repo';
    const expected: AliasReference[] = [
      { name: 'repo', span: { start: 2, end: 7 }, known: true, escaped: false },
      { name: 'x', span: { start: 7, end: 9 }, known: false, escaped: false },
      { name: '', span: { start: 10, end: 12 }, known: false, escaped: true },
      { name: '', span: { start: 13, end: 15 }, known: false, escaped: true },
      { name: 'ID', span: { start: 15, end: 18 }, known: true, escaped: false },
      { name: '', span: { start: 19, end: 20 }, known: false, escaped: false },
      { name: 'unknown', span: { start: 22, end: 30 }, known: false, escaped: false },
    ];
    deepStrictEqual(substituteAliases(text, withRepo, '$').references, expected);
    deepStrictEqual(findAliasReferences(text, withRepo, '$'), expected);
  });

  it('a reference at the very end ends at the end of the text', () => {
    deepStrictEqual(findAliasReferences('x $repo', withRepo, '$'), [
      { name: 'repo', span: { start: 2, end: 7 }, known: true, escaped: false },
    ]);
  });

  it('spans of an emoji directive count UTF-16 units', () => {
    deepStrictEqual(findAliasReferences('a😎repo b', withRepo, '😎'), [
      { name: 'repo', span: { start: 1, end: 7 }, known: true, escaped: false },
    ]);
  });
});

describe('expandCommandAlias (spec §7.5)', () => {
  const cases: { cmd: string; expected: string; aliases?: ReadonlyMap<string, string> }[] = [
    // Edge case 34: trimmed, inner runs of spaces kept.
    { cmd: '  az   login', expected: 'mcr.microsoft.com/acr/azure-cli:2ff604c   login' },
    { cmd: 'bash echo hi', expected: 'mcr.microsoft.com/acr/bash:2ff604c echo hi' },
    { cmd: 'acr', expected: 'mcr.microsoft.com/acr/acr-cli:0.19' },
    { cmd: 'curl\t-s x', expected: 'curl\t-s x' },
    { cmd: 'curlx foo', expected: 'curlx foo' },
    { cmd: 'acrmixedin --wait 300', expected: 'acrmixedin --wait 300' },
    { cmd: 'myimage bash', expected: 'myimage bash' },
    // Not an alias: returned untouched, surrounding spaces included.
    { cmd: '  alpine  true ', expected: '  alpine  true ' },
    // Edge case 32: user values override predefined image aliases.
    { cmd: 'bash echo fixed', expected: 'ubuntu echo fixed', aliases: new Map([['bash', 'ubuntu']]) },
    { cmd: 'purge --ago 0d ', expected: 'acr purge --ago 0d', aliases: new Map([['purge', 'acr purge']]) },
  ];
  for (const { cmd, expected, aliases = PREDEFINED_ALIASES } of cases) {
    it(JSON.stringify(cmd), () => strictEqual(expandCommandAlias(cmd, aliases), expected));
  }
});
