/**
 * Which kind of context an argument names (spec §9.1; acb `util/url.go`, moby `urlutil`, `scan/git.go`).
 */
import { deepStrictEqual, throws } from 'node:assert';

import { classifyContext, ContextSourceError } from '../../../server/src/engine/remoteContext/contextSource';

const existing = new Set(['.', 'app', 'github.com/org/local-folder']);
const exists = (path: string) => existing.has(path);

describe('build context sources', () => {
  const cases: [text: string, expected: unknown][] = [
    ['.', { kind: 'local', path: '.' }],
    ['app', { kind: 'local', path: 'app' }],
    // az checks the disk first: an existing folder wins over the github.com/ prefix.
    ['github.com/org/local-folder', { kind: 'local', path: 'github.com/org/local-folder' }],
    [
      'https://example.com/org/repo.git',
      {
        kind: 'git',
        remote: 'https://example.com/org/repo.git',
        ref: 'master',
        refGiven: false,
        subdir: '',
        display: 'https://example.com/org/repo.git',
      },
    ],
    [
      'https://example.com/org/repo.git#feature/x:docker/app',
      {
        kind: 'git',
        remote: 'https://example.com/org/repo.git',
        ref: 'feature/x',
        refGiven: true,
        subdir: 'docker/app',
        display: 'https://example.com/org/repo.git',
      },
    ],
    [
      'https://example.com/org/repo.git#:sub',
      {
        kind: 'git',
        remote: 'https://example.com/org/repo.git',
        ref: 'master',
        refGiven: false,
        subdir: 'sub',
        display: 'https://example.com/org/repo.git',
      },
    ],
    // A user name alone is a token: acb sends it as the password of `dummy`. Never kept in the remote.
    [
      'https://s3cr3t-token@example.com/org/repo.git#v1',
      {
        kind: 'git',
        remote: 'https://example.com/org/repo.git',
        ref: 'v1',
        refGiven: true,
        subdir: '',
        credentials: { username: 'dummy', password: 's3cr3t-token' },
        display: 'https://example.com/org/repo.git',
      },
    ],
    [
      'https://me:p%40ss@example.com/org/repo.git',
      {
        kind: 'git',
        remote: 'https://example.com/org/repo.git',
        ref: 'master',
        refGiven: false,
        subdir: '',
        credentials: { username: 'me', password: 'p@ss' },
        display: 'https://example.com/org/repo.git',
      },
    ],
    [
      'git@github.com:org/repo.git#main:src',
      {
        kind: 'git',
        remote: 'git@github.com:org/repo.git',
        ref: 'main',
        refGiven: true,
        subdir: 'src',
        display: 'git@github.com:org/repo.git',
      },
    ],
    [
      'git://127.0.0.1:9418/repo#0123abc',
      {
        kind: 'git',
        remote: 'git://127.0.0.1:9418/repo',
        ref: '0123abc',
        refGiven: true,
        subdir: '',
        display: 'git://127.0.0.1:9418/repo',
      },
    ],
    [
      'github.com/org/repo#dev',
      {
        kind: 'git',
        remote: 'https://github.com/org/repo',
        ref: 'dev',
        refGiven: true,
        subdir: '',
        display: 'https://github.com/org/repo',
      },
    ],
    // Azure DevOps repositories need no .git suffix.
    [
      'https://dev.azure.com/org/project/_git/repo#main',
      {
        kind: 'git',
        remote: 'https://dev.azure.com/org/project/_git/repo',
        ref: 'main',
        refGiven: true,
        subdir: '',
        display: 'https://dev.azure.com/org/project/_git/repo',
      },
    ],
    // moby's pattern `.git(?:#.+)?$` has an unescaped dot: any character before `git` counts.
    [
      'https://example.com/downloads/foogit',
      {
        kind: 'git',
        remote: 'https://example.com/downloads/foogit',
        ref: 'master',
        refGiven: false,
        subdir: '',
        display: 'https://example.com/downloads/foogit',
      },
    ],
    [
      'https://example.com/ctx.tar.gz',
      { kind: 'tarball', url: 'https://example.com/ctx.tar.gz', display: 'https://example.com/ctx.tar.gz' },
    ],
    [
      'http://user:pw@127.0.0.1:8080/ctx.tar',
      {
        kind: 'tarball',
        url: 'http://127.0.0.1:8080/ctx.tar',
        credentials: { username: 'user', password: 'pw' },
        display: 'http://127.0.0.1:8080/ctx.tar',
      },
    ],
  ];
  for (const [text, expected] of cases) {
    it(text, () => deepStrictEqual(classifyContext(text, exists), expected));
  }

  const failures: [text: string, message: RegExp][] = [
    ['oci://myreg.azurecr.io/ctx:1', /OCI artifact contexts \(oci:\/\/\) are not supported/],
    ['missing-folder', /the build context missing-folder does not exist/],
  ];
  for (const [text, message] of failures) {
    it(`refuses ${text}`, () =>
      throws(
        () => classifyContext(text, exists),
        (error: Error) => error instanceof ContextSourceError && message.test(error.message),
      ));
  }
});
