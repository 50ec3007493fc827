/**
 * Completion at caret-marked positions: keys by mapping kind and step kind, snippets with explicit
 * indentation, enum values, earlier step ids in `when`, aliases, template data and functions — also
 * while the file is half typed.
 */
import { strict as assert } from 'node:assert';
import type { CompletionItem, TextEdit } from 'vscode-languageserver-types';
import type { LanguageSettings } from '../../../server/src/language';
import { at, serviceWith } from './harness';

function complete(
  marked: string,
  options: { marker?: string; settings?: LanguageSettings; files?: Record<string, string> } = {},
): CompletionItem[] {
  const { document, position } = at(marked, options.marker);
  return serviceWith(options.files).complete(document, position, options.settings ?? {}).items;
}

function labels(items: CompletionItem[]): string[] {
  return items.map((item) => item.label);
}

function newText(items: CompletionItem[], label: string): string | undefined {
  const edit = items.find((item) => item.label === label)?.textEdit as TextEdit | undefined;
  return edit?.newText;
}

const STEPS = 'steps:\n  - id: a\n    build: -t app:1 .\n  - id: b\n    cmd: app:1 test\n';

describe('language service: completion', () => {
  it('offers starter tasks in an empty file', () => {
    assert.deepEqual(labels(complete('|')), ['ACR task: build and push', 'ACR task: build, test and push']);
    assert.deepEqual(labels(complete('# notes\n|')), ['ACR task: build and push', 'ACR task: build, test and push']);
  });

  it('offers the missing top-level keys, not internals or ignored keys', () => {
    const items = labels(complete('version: v1.1.0\n|\nsteps: []\n'));
    assert.deepEqual(items.sort(), [
      'alias',
      'env',
      'networks',
      'secrets',
      'stepTimeout',
      'volumes',
      'workingDirectory',
    ]);
  });

  const stepKeyCases: { name: string; marked: string; includes: string[]; excludes: string[] }[] = [
    {
      name: 'a build step gets build keys only',
      marked: 'steps:\n  - build: .\n    |\n',
      includes: ['id', 'when', 'timeout', 'env', 'cache', 'retries'],
      excludes: ['entryPoint', 'pull', 'cmd', 'push', 'build', 'volumeMount', 'secret'],
    },
    {
      name: 'a push step gets push keys only',
      marked: 'steps:\n  - push: [app]\n    |\n',
      includes: ['id', 'when', 'timeout', 'startDelay', 'ignoreErrors'],
      excludes: ['env', 'retries', 'repeat', 'detach', 'cache', 'volumeMounts'],
    },
    {
      name: 'a cmd step gets cmd keys, minus those written below the cursor',
      marked: 'steps:\n  - cmd: alpine true\n    |\n    timeout: 10\n',
      includes: ['entryPoint', 'pull', 'env', 'detach'],
      excludes: ['timeout', 'cache', 'cmd'],
    },
    {
      name: 'a step without a kind yet gets every key',
      marked: 'steps:\n  - id: x\n    |\n',
      includes: ['cmd', 'build', 'push', 'entryPoint', 'cache'],
      excludes: ['id'],
    },
  ];
  for (const { name, marked, includes, excludes } of stepKeyCases) {
    it(name, () => {
      const items = labels(complete(marked));
      for (const label of includes) assert.ok(items.includes(label), `missing ${label} in ${items.join(',')}`);
      for (const label of excludes) assert.ok(!items.includes(label), `unexpected ${label}`);
    });
  }

  it('inserts keys as snippets indented for their column', () => {
    const items = complete('steps:\n  - cmd: alpine true\n    |\n');
    assert.equal(newText(items, 'when'), 'when:\n      - $1');
    assert.equal(newText(items, 'keep'), 'keep: ${1|true,false|}');
    assert.equal(newText(items, 'timeout'), 'timeout: ${1:600}');
    assert.equal(
      newText(items, 'volumeMounts'),
      'volumeMounts:\n      - name: ${1:myvolume}\n        mountPath: ${2:/run/secrets}',
    );
    const when = items.find((item) => item.label === 'when');
    assert.deepEqual([when?.insertTextFormat, when?.insertTextMode], [2, 1]);
  });

  it('offers step snippets on a new steps item', () => {
    const items = complete('steps:\n  - |\n');
    assert.ok(labels(items).includes('id'));
    assert.equal(newText(items, 'cmd step'), 'id: ${1:test}\n    cmd: ${2:alpine} ${3:echo hello}');
    assert.equal(
      newText(items, 'push step'),
      'id: ${1:push}\n    push:\n      - {{.Run.Registry}}/${2:app}:{{.Run.ID}}',
    );
  });

  it('uses $aliases in step snippets in alias mode', () => {
    const items = complete('version: v1.1.0\nsteps:\n  - |\n');
    assert.equal(newText(items, 'build step'), 'id: ${1:build}\n    build: -t \\$Registry/${2:app}:\\$ID ${3:.}');
  });

  it('replaces only the name of a key that already has its colon', () => {
    const items = complete('steps:\n  - cmd: x\n    tim|eout: 10\n');
    assert.equal(newText(items, 'timeout'), 'timeout');
  });

  const valueCases: { name: string; marked: string; expected: string[] }[] = [
    { name: 'version values, newest first', marked: 'version: |\n', expected: ['v1.1.0', 'v1.0.0', '1.0-preview-1'] },
    { name: 'cache values', marked: 'steps:\n  - build: .\n    cache: |\n', expected: ['disabled', 'enabled'] },
    { name: 'booleans', marked: 'steps:\n  - cmd: x\n    keep: |\n', expected: ['true', 'false'] },
    {
      name: 'declared networks',
      marked: 'networks: [{name: mynet}]\nsteps:\n  - cmd: x\n    network: |\n',
      expected: ['mynet', 'host', 'none'],
    },
    {
      name: 'image aliases as the first word of cmd (alias mode)',
      marked: 'version: v1.1.0\nsteps:\n  - cmd: |\n',
      expected: ['acr', 'az', 'bash', 'curl', 'cssc'],
    },
    { name: 'no image aliases without alias mode', marked: 'steps:\n  - cmd: |\n', expected: [] },
    { name: 'no image alias after the first word', marked: 'version: v1.1.0\nsteps:\n  - cmd: bash |\n', expected: [] },
  ];
  for (const { name, marked, expected } of valueCases) {
    it(name, () => assert.deepEqual(labels(complete(marked)).sort(), [...expected].sort()));
  }

  it('adds the space after a bare colon', () => {
    assert.equal(newText(complete('steps:\n  - build: .\n    cache:|\n'), 'enabled'), ' enabled');
  });

  it('offers only EARLIER step ids (and "-") in when', () => {
    const block = complete(`${STEPS}  - id: c\n    cmd: x\n    when:\n      - |\n  - id: d\n    cmd: y\n`);
    assert.deepEqual(labels(block), ['b', 'a', '-']);
    assert.equal(newText(block, '-'), '"-"');
    const flow = complete(`${STEPS}  - {id: c, cmd: x, when: [a, |]}\n`);
    assert.deepEqual(labels(flow), ['b']);
  });

  it('offers tags built by earlier steps in push', () => {
    assert.deepEqual(labels(complete(`${STEPS}  - push:\n      - |\n`)), ['app:1']);
  });

  it('completes keys while the file is half typed (YAML errors)', () => {
    const items = labels(complete('steps:\n  - id: a\n    cmd: x\n    when: [b\n  - id: b\n    build: .\n    ent|\n'));
    assert.ok(items.includes('timeout'));
    assert.ok(!items.includes('entryPoint'), 'build step: entryPoint has no effect');
  });

  it('completes aliases after $ in alias mode, with what they expand to', () => {
    const items = complete('version: v1.1.0\nalias:\n  values:\n    repo: myrepo\nsteps:\n  - push: [$Reg|]\n');
    assert.ok(labels(items).includes('$Registry'));
    assert.ok(labels(items).includes('$repo'));
    assert.equal(items.find((item) => item.label === '$Registry')?.detail, '{{.Run.Registry}}');
    assert.equal(newText(items, '$Registry'), '$Registry');
  });

  it('does not complete aliases without alias mode', () => {
    assert.deepEqual(labels(complete('steps:\n  - push: [$Reg|]\n')), []);
  });

  it('completes run variables, values, secrets and data names in templates', () => {
    const run = complete('steps:\n  - cmd: alpine echo {{ .Run.| }}\n');
    assert.ok(labels(run).includes('ID'));
    assert.equal(run.find((item) => item.label === 'ID')?.detail, 'run id, e.g. ca1');
    const values = complete('steps:\n  - cmd: alpine echo {{.Values.|}}\n', {
      settings: { valuesFile: 'values.yaml', set: ['tag=v2'] },
      files: { 'values.yaml': 'image: alpine\nport: 80\n' },
    });
    assert.deepEqual(labels(values), ['image', 'port', 'tag']);
    const used = complete('steps:\n  - cmd: alpine echo {{.Values.image}} {{ .Values.| }}\n');
    assert.deepEqual(labels(used), ['image']);
    assert.equal(used[0]?.detail, 'used in this file');
    const secrets = complete('secrets:\n  - {id: pw, keyvault: u}\nsteps:\n  - cmd: alpine echo {{ $.Secrets.p| }}\n');
    assert.deepEqual(labels(secrets), ['pw']);
    const data = labels(complete('steps:\n  - cmd: alpine echo {{ .| }}\n'));
    assert.deepEqual(data, ['Run', 'Values', 'Secrets', 'Build', 'ValuesJSON', 'RunJSON']);
  });

  it('completes template functions after a pipe', () => {
    const items = complete('steps:\n  - cmd: alpine echo {{ .Run.ID | low‸ }}\n', { marker: '‸' });
    assert.ok(labels(items).includes('lower'));
    assert.ok(labels(items).includes('b64enc'));
    assert.match(items.find((item) => item.label === 'lower')?.detail ?? '', /lower/);
  });

  it('offers nothing in a comment line', () => {
    assert.deepEqual(labels(complete('steps:\n  # a comm|ent\n  - cmd: x\n')), []);
  });
});
