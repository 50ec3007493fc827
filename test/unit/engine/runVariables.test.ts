import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { parseSecretEnvFile } from '../../../server/src/cli/runCommand';
import type { ContainerSpec } from '../../../server/src/engine/ContainerRuntime';
import { planRun } from '../../../server/src/engine/run/planRun';
import { generateRunId, isValidRunId, randomRunId } from '../../../server/src/engine/run/runId';
import { buildRunVariables, formatRunDate, gitRevision } from '../../../server/src/engine/run/runVariables';
import { FakeRuntime } from './fakeRuntime';
import { run } from './runHarness';

describe('run variables (spec §6.2)', () => {
  it('formats $Date like ACR: UTC yyyyMMdd-HHmmss and a literal z', () => {
    assert.equal(formatRunDate(new Date(Date.UTC(2024, 0, 2, 3, 4, 5))), '20240102-030405z');
  });

  it('derives RegistryName and keeps extra variables', () => {
    const run = buildRunVariables({
      runId: 'ca1',
      registry: 'myreg.azurecr.io',
      startedAt: new Date(0),
      os: 'linux',
      architecture: 'arm64',
      sharedVolume: 'acb_vol_ca1',
      commit: 'abc',
      branch: 'main',
      extra: { TriggeredBy: 'manual' },
    });
    assert.deepEqual(run, {
      ID: 'ca1',
      SharedVolume: 'acb_vol_ca1',
      Registry: 'myreg.azurecr.io',
      RegistryName: 'myreg',
      Date: '19700101-000000z',
      OS: 'linux',
      OSVersion: '',
      Architecture: 'arm64',
      Commit: 'abc',
      Branch: 'main',
      GitTag: '',
      Repository: '',
      TriggeredBy: 'manual',
      TaskName: '',
    });
  });

  it("reads $Commit and $Branch from the context's git checkout, and empty outside one", async () => {
    const repo = mkdtempSync(join(tmpdir(), 'acr-git-'));
    const outside = mkdtempSync(join(tmpdir(), 'acr-nogit-'));
    try {
      const git = (...args: string[]) =>
        execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@e', ...args], {
          cwd: repo,
          encoding: 'utf8',
        }).trim();
      git('init', '-q', '-b', 'feature/x');
      writeFileSync(join(repo, 'f'), 'x');
      git('add', 'f');
      git('commit', '-q', '-m', 'c');
      const head = git('rev-parse', 'HEAD');
      const signal = new AbortController().signal;
      assert.deepEqual(await gitRevision(repo, signal), { commit: head, branch: 'feature/x' });
      git('checkout', '-q', '--detach');
      assert.deepEqual(await gitRevision(repo, signal), { commit: head, branch: '' });
      assert.deepEqual(await gitRevision(outside, signal), { commit: '', branch: '' });
    } finally {
      rmSync(repo, { recursive: true, force: true });
      rmSync(outside, { recursive: true, force: true });
    }
  });

  it('a dry run resolves $Commit/$Branch as the run does: given ones win over the checkout', async () => {
    const repo = mkdtempSync(join(tmpdir(), 'acr-git-'));
    try {
      const git = (...args: string[]) =>
        execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@e', ...args], { cwd: repo, encoding: 'utf8' });
      git('init', '-q', '-b', 'main');
      writeFileSync(join(repo, 'f'), 'x');
      git('add', 'f');
      git('commit', '-q', '-m', 'c');
      const taskText = 'version: v1.1.0\nsteps:\n  - id: show\n    cmd: busybox echo {{.Run.Commit}} $Branch\n';
      const given = { Commit: 'c0ffee', Branch: 'release' };
      const planned = await planRun({
        taskFile: 'acr-task.yaml',
        taskText,
        contextDir: repo,
        runId: 'p1',
        runVariables: given,
      });
      assert.deepEqual(planned.errors, []);
      assert.deepEqual(
        [planned.runVariables.Commit, planned.runVariables.Branch, planned.steps[0]?.container?.args],
        ['c0ffee', 'release', ['echo', 'c0ffee', 'release']],
      );
      const runtime = new FakeRuntime();
      const { events } = await run(runtime, taskText, { contextDir: repo, runVariables: given });
      const started = events.find((event) => event.type === 'runStarted');
      assert.deepEqual(
        [
          started?.runVariables['Commit'],
          started?.runVariables['Branch'],
          (runtime.calls.find((call) => call.op === 'start')?.detail as ContainerSpec | undefined)?.args,
        ],
        ['c0ffee', 'release', ['echo', 'c0ffee', 'release']],
      );
    } finally {
      rmSync(repo, { recursive: true, force: true });
    }
  });

  it('makes short ACR-like run ids and skips taken ones', async () => {
    assert.match(randomRunId(), /^[a-z][a-z0-9]{3}$/);
    const taken = new Set<string>();
    const first = await generateRunId(() => false);
    taken.add(first);
    let asked = 0;
    const second = await generateRunId((id) => (asked++ < 3 ? true : taken.has(id)));
    assert.ok(isValidRunId(first) && isValidRunId(second) && asked >= 4);
    assert.deepEqual(['ca1', 'Ca1', '1ab', 'a', 'a-b'].map(isValidRunId), [true, false, false, false, false]);
  });
});

describe('run CLI inputs', () => {
  it('reads a secret env file', () => {
    assert.deepEqual(parseSecretEnvFile('# comment\n\nA=1\nexport B="two words"\nC=\'x=y\'\n', 's.env'), {
      A: '1',
      B: 'two words',
      C: 'x=y',
    });
  });

  it('names the line of a bad secret env file entry', () => {
    assert.throws(() => parseSecretEnvFile('A=1\nnot an assignment\n', 's.env'), {
      name: 'UsageError',
      message: 's.env:2: expected ID=VALUE',
    });
  });
});
