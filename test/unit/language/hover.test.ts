/** Hover at caret-marked positions: keys (docs, default, applies-to, quirks) and what variables render to. */
import { strict as assert } from 'node:assert';
import type { MarkupContent } from 'vscode-languageserver-types';
import type { LanguageSettings } from '../../../server/src/language';
import { at, rangeText, serviceWith } from './harness';

function hover(
  marked: string,
  options: { marker?: string; settings?: LanguageSettings; files?: Record<string, string> } = {},
): { text: string; range: string } | null {
  const { document, position } = at(marked, options.marker);
  const result = serviceWith(options.files).hover(document, position, options.settings ?? {});
  if (!result) return null;
  return { text: (result.contents as MarkupContent).value, range: result.range ? rangeText(result.range) : '' };
}

describe('language service: hover', () => {
  it('documents a key with its engine default and the step kinds it applies to', () => {
    const result = hover('steps:\n  - cmd: x\n    retry|Delay: 2\n');
    assert.equal(result?.range, '2:4-2:14');
    assert.match(result?.text ?? '', /^\*\*`retryDelay`\*\* · integer · default `5`/);
    assert.match(result?.text ?? '', /Applies to: cmd, build steps\./);
    assert.doesNotMatch(result?.text ?? '', /No effect/);
  });

  it('warns on a key that has no effect for the step kind', () => {
    const result = hover('steps:\n  - build: .\n    entry|Point: sh\n');
    assert.match(result?.text ?? '', /⚠ No effect on this build step\. Only `cmd` steps use `entryPoint`/);
  });

  it('explains keys ACR ignores', () => {
    assert.match(hover('total|Timeout: 10\n')?.text ?? '', /ACR has no totalTimeout/);
  });

  it('says what a run variable renders to', () => {
    const result = hover('steps:\n  - cmd: alpine echo {{ .Run.I|D }}\n');
    assert.deepEqual(result, { text: '`.Run.ID`: run id, e.g. `ca1`', range: '1:24-1:31' });
  });

  it('shows a value from the values file, or that it is missing', () => {
    const options = {
      settings: { valuesFile: 'values.yaml', set: ['tag=v2'] },
      files: { 'values.yaml': 'image: alpine\n' },
    };
    assert.equal(
      hover('steps:\n  - cmd: echo {{.Values.ima|ge}}\n', options)?.text,
      '`.Values.image` = `alpine` (from `values.yaml`)',
    );
    assert.equal(
      hover('steps:\n  - cmd: echo {{.Values.t|ag}}\n', options)?.text,
      '`.Values.tag` = `v2` (from `--set`)',
    );
    assert.equal(
      hover('steps:\n  - cmd: echo {{.Values.no|pe}}\n', options)?.text,
      '`.Values.nope`: not in `values.yaml` — renders as an empty string',
    );
  });

  it('describes a secret without its value', () => {
    const result = hover(
      'secrets:\n  - {id: pw, keyvault: "https://v.vault.azure.net/secrets/pw"}\nsteps:\n  - cmd: echo {{.Secrets.p|w}}\n',
    );
    assert.equal(result?.text, '`.Secrets.pw`: resolved at run start from `https://v.vault.azure.net/secrets/pw`');
  });

  it('documents template functions', () => {
    assert.match(hover('steps:\n  - cmd: echo {{ .Run.I‸D | upper }}\n', { marker: '‸' })?.text ?? '', /^`\.Run\.ID`/);
    assert.match(hover('steps:\n  - cmd: echo {{ .Run.ID | up‸per }}\n', { marker: '‸' })?.text ?? '', /^`upper`: /);
  });

  it('shows what an alias expands to', () => {
    const result = hover('version: v1.1.0\nsteps:\n  - push: [$Regi|stry/app]\n');
    assert.equal(result?.range, '2:11-2:20');
    assert.equal(
      result?.text,
      'predefined alias: expands to `{{.Run.Registry}}`\n\n`.Run.Registry`: fully-qualified login server of the registry, e.g. `myregistry.azurecr.io`',
    );
    const user = hover('version: v1.1.0\nalias:\n  values:\n    repo: myrepo\nsteps:\n  - push: [$re|po/app]\n');
    assert.equal(user?.text, 'alias from `alias.values`: expands to `myrepo`');
  });

  it('shows the image of an image alias as the first word of cmd (setting overrides the tag)', () => {
    const text = 'version: v1.1.0\nsteps:\n  - cmd: ba|sh echo hi\n';
    assert.equal(hover(text)?.text, 'predefined image alias: expands to `mcr.microsoft.com/acr/bash:2ff604c`');
    assert.equal(
      hover(text, { settings: { imageAliases: { bash: 'mcr.microsoft.com/acr/bash:new' } } })?.text,
      'predefined image alias: expands to `mcr.microsoft.com/acr/bash:new`',
    );
    assert.equal(hover('steps:\n  - cmd: ba|sh echo hi\n'), null, 'v1.0.0: bash is Docker Hub bash, no alias');
  });

  it('says $Registry is no alias without version v1.1.0', () => {
    assert.match(
      hover('steps:\n  - push: [$Regi|stry/app]\n')?.text ?? '',
      /^Not an alias in this file: aliases need `version: v1.1.0`/,
    );
  });

  it('shows which step a when entry waits for', () => {
    const result = hover('steps:\n  - {id: a, build: -t x .}\n  - {id: b, cmd: x, when: [|a]}\n');
    assert.deepEqual(result, { text: 'Waits for step **a** (step 1) — `build: -t x .`', range: '2:27-2:28' });
  });

  it('returns null where there is nothing to say', () => {
    assert.equal(hover('steps:\n  - cmd: alpine ec|ho\n'), null);
  });
});
