/**
 * The preprocessing steps composed in acb's order (spec §1 steps 1–4 and 8) on whole task files. Template
 * rendering is another stage; these fixtures either have no templates in the alias block or pass the
 * block through a stand-in that is the identity on them.
 */
import { deepStrictEqual } from 'node:assert';
import {
  aliasModeEnabled,
  expandCommandAlias,
  resolveAliases,
  separateAliasBlock,
  sniffVersion,
  stripCommentLines,
  substituteAliases,
  type AliasSourceReader,
} from '../../../server/src/task/preprocess';

interface Preprocessed {
  aliasMode: boolean;
  body: string;
  errors: string[];
}

const noSources: AliasSourceReader = () => ({ error: 'no sources in this test' });

function preprocess(text: string, renderBlock: (block: string) => string = (block) => block): Preprocessed {
  const stripped = stripCommentLines(text).text;
  const aliasMode = aliasModeEnabled(sniffVersion(stripped)?.value);
  if (!aliasMode) return { aliasMode, body: stripped, errors: [] };
  const separated = separateAliasBlock(stripped);
  const block = separated.block === undefined ? undefined : renderBlock(separated.block);
  const resolved = resolveAliases(block, noSources);
  const body = substituteAliases(separated.rest, resolved.aliases, resolved.directive).text;
  return { aliasMode, body, errors: resolved.errors.map((error) => error.message) };
}

describe('preprocessing pipeline (spec §1, §7)', () => {
  it('edge case 11: V1.1.0 leaves aliases alone', () => {
    const text = 'version: V1.1.0\nsteps:\n  - cmd: bash echo $ID\n';
    deepStrictEqual(preprocess(text), { aliasMode: false, body: text, errors: [] });
  });

  it('edge case 12: v2.0.0 turns alias mode on', () => {
    deepStrictEqual(preprocess('version: v2.0.0\nsteps:\n  - cmd: bash echo $ID\n'), {
      aliasMode: true,
      body: 'version: v2.0.0\nsteps:\n  - cmd: bash echo {{.Run.ID}}\n',
      errors: [],
    });
  });

  it('edge case 13: a templated version turns alias mode on', () => {
    deepStrictEqual(
      preprocess('version: {{.Values.v}}\nsteps:\n  - cmd: x $OS\n').body,
      'version: {{.Values.v}}\nsteps:\n  - cmd: x {{.Run.OS}}\n',
    );
  });

  it('edge case 14: version as the last top-level line', () => {
    deepStrictEqual(
      preprocess('steps:\n  - cmd: x $Date\nversion: v1.1.0').body,
      'steps:\n  - cmd: x {{.Run.Date}}\nversion: v1.1.0\n',
    );
  });

  it('edge case 32: overriding predefined aliases, then the first-word image alias', () => {
    const result = preprocess(
      'version: v1.1.0\nalias:\n  values: {ID: fixed, bash: ubuntu}\nsteps:\n  - cmd: bash echo $ID\n',
    );
    deepStrictEqual(result, {
      aliasMode: true,
      body: 'version: v1.1.0\nsteps:\n  - cmd: bash echo fixed\n',
      errors: [],
    });
    deepStrictEqual(
      expandCommandAlias('bash echo fixed', resolveAliases('alias:\n  values: {bash: ubuntu}\n', noSources).aliases),
      'ubuntu echo fixed',
    );
  });

  it('edge case 33: templates in alias values, no recursion', () => {
    const text =
      'version: v1.1.0\nalias:\n  values:\n    img: "{{.Values.base}}:{{.Run.ID}}"\n    chain: "$img"\nsteps: [{cmd: bash echo $img $chain}]\n';
    // Stand-in for the template stage with --set base=alpine and run id cb12.
    const render = (block: string): string =>
      block.replace('{{.Values.base}}', 'alpine').replace('{{.Run.ID}}', 'cb12');
    deepStrictEqual(preprocess(text, render), {
      aliasMode: true,
      body: 'version: v1.1.0\nsteps: [{cmd: bash echo alpine:cb12 $img}]\n',
      errors: [],
    });
  });

  it('edge case 31: directive & leaves $ literal', () => {
    const text =
      'version: v1.1.0\nalias:\n  directive: "&"\n  values: {repo: myrepo}\nsteps:\n  - cmd: echo &repo $repo $ID\n';
    deepStrictEqual(preprocess(text).body, 'version: v1.1.0\nsteps:\n  - cmd: echo myrepo $repo $ID\n');
  });

  it('edge case 51: # as the directive; whole # lines are still comments', () => {
    const text = [
      'version: v1.1.0',
      'alias:',
      '  directive: "#"',
      '  values: {repo: myrepo}',
      '#repo: this whole line is a comment',
      'steps:',
      '  - cmd: bash echo #repo #ID #unknown tail $ID',
      '',
    ].join('\n');
    deepStrictEqual(
      preprocess(text).body,
      'version: v1.1.0\nsteps:\n  - cmd: bash echo myrepo {{.Run.ID}} #unknown tail $ID\n',
    );
  });

  it('edge case 35: a comment line inside a block scalar is gone before substitution', () => {
    const text =
      "version: v1.1.0\nsteps:\n  - cmd: |\n      bash -c 'echo $OS\n      # kept for bash?\n      echo two'\n";
    deepStrictEqual(
      preprocess(text).body,
      "version: v1.1.0\nsteps:\n  - cmd: |\n      bash -c 'echo {{.Run.OS}}\n      echo two'\n",
    );
  });

  it('edge case 48: $$OS leaves $OS for the shell in v1.1.0', () => {
    deepStrictEqual(
      preprocess('version: v1.1.0\nsteps:\n  - cmd: alpine sh -c "echo $OS $$OS $HOME"\n').body,
      'version: v1.1.0\nsteps:\n  - cmd: alpine sh -c "echo {{.Run.OS}} $OS $HOME"\n',
    );
  });

  it('alias validation errors surface (edge case 31)', () => {
    deepStrictEqual(preprocess('version: v1.1.0\nalias:\n  values: {my-repo: x}\n  directive: a\n').errors, [
      'overwritten directives may not be alphanumeric characters',
      'alias key names only support alphanumeric characters: "my-repo"',
    ]);
  });
});
