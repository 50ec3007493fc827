import { strict as assert } from 'node:assert';
import {
  aliasKeys,
  ignoredKeys,
  keyAppliesTo,
  keyInfo,
  keysOf,
  networkKeys,
  secretKeys,
  stepKeys,
  topLevelKeys,
  volumeKeys,
  volumeMountKeys,
  type KeyInfo,
  type KeyKind,
} from '../../../server/src/language/schemaKeys';
import type { StepKind } from '../../../server/src/task/model';

const names = (keys: readonly KeyInfo[]): string[] => keys.map((key) => key.name);
const ALL: StepKind[] = ['cmd', 'build', 'push'];
const CMD_BUILD: StepKind[] = ['cmd', 'build'];

/** The machine-readable part of a KeyInfo (the prose is checked separately). */
function shape(info: KeyInfo | undefined): Partial<KeyInfo> | undefined {
  if (info === undefined) return undefined;
  const { summary: _summary, description: _description, docsUrl: _docsUrl, ignoredNote: _note, ...rest } = info;
  return rest;
}

describe('schemaKeys: the typed view of acr-task.schema.json', () => {
  it('lists the task keys of spec §2 (plus the undocumented isbuildtask), in schema order', () => {
    assert.deepEqual(names(topLevelKeys), [
      'version',
      'stepTimeout',
      'workingDirectory',
      'env',
      'secrets',
      'networks',
      'volumes',
      'alias',
      'steps',
      'isbuildtask',
    ]);
  });

  it('lists every step key of spec §3.2 that the engine uses, plus tags', () => {
    assert.deepEqual(
      names(stepKeys).sort(),
      [
        'id',
        'cmd',
        'build',
        'push',
        'when',
        'timeout',
        'startDelay',
        'retries',
        'retryDelay',
        'repeat',
        'retryOnErrors',
        'ignoreErrors',
        'detach',
        'keep',
        'privileged',
        'user',
        'network',
        'isolation',
        'entryPoint',
        'env',
        'ports',
        'expose',
        'workingDirectory',
        'disableWorkingDirectoryOverride',
        'pull',
        'cmdDownloadRetries',
        'cmdDownloadRetryDelay',
        'cache',
        'volumeMounts',
        'cpus',
        'tags',
      ].sort(),
    );
  });

  const subObjects: [string, readonly KeyInfo[], string[]][] = [
    ['network (§4.2)', networkKeys, ['name', 'driver', 'ipv6', 'skipCreation', 'isDefault']],
    ['volume (§4.3)', volumeKeys, ['name', 'secret']],
    ['volumeMount (§4.3)', volumeMountKeys, ['name', 'mountPath']],
    ['secret (§4.1)', secretKeys, ['id', 'keyvault', 'clientID']],
    ['alias (§7.2)', aliasKeys, ['values', 'src', 'directive']],
  ];
  for (const [title, keys, expected] of subObjects) {
    it(`lists the keys of a ${title}`, () => assert.deepEqual(names(keys), expected));
  }

  it('keeps keys ACR ignores out of the lists, in ignoredKeys with their warning', () => {
    assert.deepEqual(Object.fromEntries(Object.entries(ignoredKeys).map(([kind, keys]) => [kind, names(keys)])), {
      task: ['totalTimeout'],
      step: ['volumeMount', 'secret', 'downloadRetries', 'exitedWith', 'exitedWithout'],
      network: [],
      volume: [],
      volumeMount: [],
      secret: [],
      alias: [],
    });
    assert.equal(
      keyInfo('step', 'volumeMount')?.ignoredByEngine,
      "ACR silently ignores volumeMount (singular), although the docs' table lists it: use volumeMounts.",
    );
    assert.ok(stepKeys.every((key) => key.ignoredByEngine === undefined));
  });

  const infos: [KeyKind, string, Partial<KeyInfo> | undefined][] = [
    [
      'task',
      'version',
      {
        name: 'version',
        kind: 'task',
        type: 'string',
        required: false,
        undocumented: false,
        internal: false,
        default: 'v1.0.0',
        enum: ['v1.0.0', 'v1.1.0', '1.0-preview-1'],
        pattern: '^(?:[vV]1\\.[01]\\.0|1\\.0-[pP][rR][eE][vV][iI][eE][wW]-1)$',
      },
    ],
    [
      'task',
      'stepTimeout',
      {
        name: 'stepTimeout',
        kind: 'task',
        type: 'integer',
        required: false,
        undocumented: false,
        internal: false,
        default: 600,
      },
    ],
    [
      'task',
      'env',
      { name: 'env', kind: 'task', type: 'stringArray', required: false, undocumented: false, internal: false },
    ],
    [
      'task',
      'steps',
      {
        name: 'steps',
        kind: 'task',
        type: 'objectArray',
        children: 'step',
        required: false,
        undocumented: false,
        internal: false,
      },
    ],
    [
      'task',
      'alias',
      {
        name: 'alias',
        kind: 'task',
        type: 'object',
        children: 'alias',
        required: false,
        undocumented: false,
        internal: false,
      },
    ],
    [
      'step',
      'retryDelay',
      {
        name: 'retryDelay',
        kind: 'step',
        type: 'integer',
        required: false,
        undocumented: false,
        internal: false,
        default: 5,
        appliesTo: CMD_BUILD,
      },
    ],
    [
      'step',
      'retries',
      {
        name: 'retries',
        kind: 'step',
        type: 'integer',
        required: false,
        undocumented: false,
        internal: false,
        default: 0,
        minimum: 0,
        appliesTo: CMD_BUILD,
      },
    ],
    [
      'step',
      'cache',
      {
        name: 'cache',
        kind: 'step',
        type: 'string',
        required: false,
        undocumented: true,
        internal: false,
        enum: ['enabled', 'disabled'],
        pattern: '^(?:[eE][nN][aA][bB][lL][eE][dD]|[dD][iI][sS][aA][bB][lL][eE][dD])?$',
        appliesTo: ['build'],
      },
    ],
    [
      'step',
      'volumeMounts',
      {
        name: 'volumeMounts',
        kind: 'step',
        type: 'objectArray',
        children: 'volumeMount',
        required: false,
        undocumented: false,
        internal: false,
        appliesTo: CMD_BUILD,
      },
    ],
    [
      'step',
      'push',
      {
        name: 'push',
        kind: 'step',
        type: 'stringArray',
        required: false,
        undocumented: false,
        internal: false,
        appliesTo: ['push'],
      },
    ],
    [
      'step',
      'keep',
      {
        name: 'keep',
        kind: 'step',
        type: 'boolean',
        required: false,
        undocumented: false,
        internal: false,
        default: false,
        appliesTo: CMD_BUILD,
      },
    ],
    [
      'step',
      'exitedWith',
      {
        name: 'exitedWith',
        kind: 'step',
        type: 'integerArray',
        required: false,
        undocumented: false,
        internal: false,
        ignoredByEngine: 'ACR parses exitedWith but never uses it: it has no effect.',
      },
    ],
    [
      'volume',
      'secret',
      {
        name: 'secret',
        kind: 'volume',
        type: 'stringMap',
        required: true,
        undocumented: false,
        internal: false,
        keyPattern: '^[A-Za-z0-9._-]+$',
      },
    ],
    [
      'volume',
      'name',
      {
        name: 'name',
        kind: 'volume',
        type: 'string',
        required: true,
        undocumented: false,
        internal: false,
        pattern: '^[A-Za-z0-9_-]+$',
      },
    ],
    [
      'alias',
      'values',
      {
        name: 'values',
        kind: 'alias',
        type: 'stringMap',
        required: false,
        undocumented: false,
        internal: false,
        keyPattern: '^[A-Za-z0-9]+$',
      },
    ],
    [
      'alias',
      'directive',
      {
        name: 'directive',
        kind: 'alias',
        type: 'string',
        required: false,
        undocumented: false,
        internal: false,
        default: '$',
        pattern: '^[^A-Za-z0-9]$',
      },
    ],
    [
      'secret',
      'id',
      {
        name: 'id',
        kind: 'secret',
        type: 'string',
        required: true,
        undocumented: false,
        internal: false,
        pattern: '^[^\\s\\u0085]+$',
      },
    ],
    ['step', 'entrypoint', undefined],
    ['step', 'EntryPoint', undefined],
    ['network', 'cmd', undefined],
  ];
  for (const [kind, name, expected] of infos) {
    it(`describes ${kind}.${name}`, () => assert.deepEqual(shape(keyInfo(kind, name)), expected));
  }

  it('says which step kinds the engine uses each step key for (spec §3.2 "Applies to")', () => {
    assert.deepEqual(Object.fromEntries(stepKeys.map((key) => [key.name, key.appliesTo])), {
      id: ALL,
      cmd: ['cmd'],
      build: ['build'],
      push: ['push'],
      when: ALL,
      timeout: ALL,
      startDelay: ALL,
      retries: CMD_BUILD,
      retryDelay: CMD_BUILD,
      repeat: CMD_BUILD,
      retryOnErrors: CMD_BUILD,
      ignoreErrors: ALL,
      detach: CMD_BUILD,
      keep: CMD_BUILD,
      privileged: CMD_BUILD,
      user: CMD_BUILD,
      network: CMD_BUILD,
      isolation: CMD_BUILD,
      entryPoint: ['cmd'],
      env: CMD_BUILD,
      ports: CMD_BUILD,
      expose: CMD_BUILD,
      workingDirectory: CMD_BUILD,
      disableWorkingDirectoryOverride: CMD_BUILD,
      pull: ['cmd'],
      cmdDownloadRetries: ['cmd'],
      cmdDownloadRetryDelay: ['cmd'],
      cache: ['build'],
      volumeMounts: CMD_BUILD,
      cpus: CMD_BUILD,
      tags: ['build'],
    });
  });

  it('explains why a step key is ignored wherever it does not apply to every kind', () => {
    const kindSpecific = stepKeys.filter(
      (key) => key.appliesTo?.length !== 3 && !['cmd', 'build', 'push'].includes(key.name),
    );
    assert.deepEqual(
      kindSpecific.filter((key) => key.ignoredNote === undefined).map((key) => key.name),
      [],
    );
    assert.deepEqual(
      ['entryPoint', 'pull', 'env', 'retries', 'retryDelay', 'repeat'].map(
        (name) => keyInfo('step', name)?.ignoredNote,
      ),
      [
        'Only `cmd` steps use `entryPoint`: ACR never passes it for `build` (although the docs list it there) or `push`.',
        'Only `cmd` steps use `pull`: `build` steps ignore it (put `--pull` in the build string instead), and `push` steps ignore it too.',
        'Push steps ignore `env` (the docs list it for push).',
        'Push steps ignore `retries`: each image is pushed with up to 3 attempts and a fixed back-off.',
        'Push steps ignore `retryDelay`: each image is pushed with up to 3 attempts and a fixed back-off.',
        'Push steps ignore `repeat`.',
      ],
    );
  });

  it("documents ACR's quirks in the markdown descriptions", () => {
    const quirks: [KeyKind, string, string][] = [
      ['step', 'retryDelay', "**ACR's default is 5**"],
      ['step', 'disableWorkingDirectoryOverride', '**no `--workdir` at all**'],
      ['step', 'volumeMounts', 'spells it `volumeMount` (singular), which ACR silently ignores'],
      ['task', 'env', '**ACR splits every task-level entry on commas**'],
      ['task', 'version', '`V1.1.0` (capital V) is valid and does **not**'],
      ['step', 'cmd', '**`/bin/sh -c` on the runner**'],
      ['step', 'when', 'Listing the same id twice makes ACR wait forever.'],
    ];
    assert.deepEqual(
      quirks.filter(([kind, name, text]) => !(keyInfo(kind, name)?.description.includes(text) ?? false)),
      [],
    );
  });

  it('gives every key a one-line summary, a description, and a Learn docs link unless undocumented', () => {
    const docsPage = 'https://learn.microsoft.com/azure/container-registry/container-registry-tasks-reference-yaml#';
    const kinds: KeyKind[] = ['task', 'step', 'network', 'volume', 'volumeMount', 'secret', 'alias'];
    const problems = kinds.flatMap((kind) =>
      keysOf(kind).flatMap((key) => {
        const found: string[] = [];
        if (key.summary.length === 0 || key.summary.includes('\n')) found.push(`${kind}.${key.name}: summary`);
        if (key.description.length < key.summary.length) found.push(`${kind}.${key.name}: description`);
        if (!key.undocumented && !(key.docsUrl?.startsWith(docsPage) ?? false))
          found.push(`${kind}.${key.name}: docsUrl`);
        if (key.undocumented && key.docsUrl !== undefined)
          found.push(`${kind}.${key.name}: docsUrl on undocumented key`);
        return found;
      }),
    );
    assert.deepEqual(problems, []);
  });

  it('marks the engine internals completion should not offer', () => {
    const kinds: KeyKind[] = ['task', 'step', 'network', 'volume', 'volumeMount', 'secret', 'alias'];
    assert.deepEqual(
      kinds.flatMap((kind) =>
        keysOf(kind)
          .filter((key) => key.internal)
          .map((key) => `${kind}.${key.name}`),
      ),
      ['task.isbuildtask', 'step.tags'],
    );
  });

  it('answers whether a key applies to a step kind', () => {
    const entryPoint = keyInfo('step', 'entryPoint')!;
    const timeout = keyInfo('step', 'timeout')!;
    const networkName = keyInfo('network', 'name')!;
    assert.deepEqual(
      [
        keyAppliesTo(entryPoint, 'cmd'),
        keyAppliesTo(entryPoint, 'build'),
        keyAppliesTo(timeout, 'push'),
        keyAppliesTo(networkName, 'push'),
      ],
      [true, false, true, true],
    );
  });

  it('returns the same lists from keysOf', () => {
    assert.deepEqual([keysOf('task'), keysOf('step'), keysOf('alias')], [topLevelKeys, stepKeys, aliasKeys]);
  });
});
