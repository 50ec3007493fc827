import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { extensionApi, runFinished, taskExitCode, treeSteps, workspaceFile } from './helpers';

describe('runs from commands', () => {
  it('Run Task runs the task file, and the Tasks view shows every step succeeded', async () => {
    const api = await extensionApi();
    const uri = workspaceFile('acr-task.yaml');
    const exitCode = taskExitCode(uri.fsPath);
    const runId = await vscode.commands.executeCommand<string>('acrTasks.runTask', uri);
    assert.match(runId, /^[a-z][a-z0-9]+$/);
    const run = await runFinished(api, runId);
    assert.equal(run.status, 'succeeded', run.finished?.error);
    assert.equal(await exitCode, 0, 'the task system reports exit code 0');
    assert.deepEqual(await treeSteps(api, uri), [
      { id: 'hello', status: 'succeeded', contextValue: 'succeededStep' },
      { id: 'image', status: 'succeeded', contextValue: 'succeededStep' },
      { id: 'greet', status: 'succeeded', contextValue: 'succeededStep' },
    ]);
    const history = await api.runsTree.entries();
    const entry = history.find((candidate) => candidate.runId === runId);
    assert.deepEqual(
      entry && {
        status: entry.status,
        trigger: entry.trigger,
        taskFile: entry.taskFile,
        steps: entry.steps.map((step) => step.status),
      },
      { status: 'succeeded', trigger: 'manual', taskFile: uri.fsPath, steps: ['succeeded', 'succeeded', 'succeeded'] },
    );
  });

  it('Open Run Log shows the recorded output of the run', async () => {
    const api = await extensionApi();
    const [latest] = await api.runsTree.entries();
    assert.ok(latest, 'a run is recorded');
    const editor = await vscode.commands.executeCommand<vscode.TextEditor>('acrTasks.openRunLog', latest.runId);
    const text = editor.document.getText();
    assert.equal(editor.document.uri.scheme, 'acr-run-log');
    assert.match(text, new RegExp(`hello from run ${latest.runId}`));
    assert.match(text, /greetings from the image/);
  });

  it('Build Context builds the Dockerfile into an image in the engine', async () => {
    const api = await extensionApi();
    const runId = await vscode.commands.executeCommand<string>(
      'acrTasks.buildContext',
      workspaceFile('Dockerfile'),
      undefined,
      { tags: ['acrtest/built-in-host:{{.Run.ID}}'] },
    );
    const run = await runFinished(api, runId);
    assert.equal(run.status, 'succeeded', run.finished?.error);
    assert.deepEqual(
      run.finished?.steps.map((step) => ({ id: step.id, kind: step.kind, status: step.status })),
      [{ id: 'build', kind: 'build', status: 'succeeded' }],
    );
    assert.match(run.finished?.steps[0]?.digest ?? '', /^sha256:/);
  });

  it('gives a stored secret to a run that declares it, and masks it in the log', async () => {
    const api = await extensionApi();
    const value = 'pa55-in-host-secret';
    assert.equal(await vscode.commands.executeCommand('acrTasks.setSecret', 'token', value), true);
    const runId = await vscode.commands.executeCommand<string>(
      'acrTasks.runTask',
      workspaceFile('secret.acr-task.yaml'),
    );
    const run = await runFinished(api, runId);
    assert.equal(run.status, 'succeeded', run.finished?.error);
    const editor = await vscode.commands.executeCommand<vscode.TextEditor>('acrTasks.openRunLog', runId);
    const log = editor.document.getText();
    assert.ok(!log.includes(value), 'the secret value never appears in the log');
    assert.match(log, /the token is \*+/);
  });

  it('Cancel Run stops a running task and the run ends cancelled', async () => {
    const api = await extensionApi();
    const uri = workspaceFile('slow.acr-task.yaml');
    const exitCode = taskExitCode(uri.fsPath);
    const runId = await vscode.commands.executeCommand<string>('acrTasks.runTask', uri);
    await new Promise<void>((resolve) => {
      const check = () => api.runs.get(runId)?.steps.get('wait')?.status === 'running';
      if (check()) return resolve();
      const listener = api.runs.onDidChangeRun(() => {
        if (!check()) return;
        listener.dispose();
        resolve();
      });
    });
    assert.equal(await vscode.commands.executeCommand('acrTasks.cancelRun', runId), true);
    const run = await runFinished(api, runId);
    assert.equal(run.status, 'cancelled');
    assert.equal(await exitCode, 130, 'a cancelled run exits like Ctrl+C in a shell');
    assert.deepEqual(await treeSteps(api, uri), [{ id: 'wait', status: 'cancelled', contextValue: 'cancelledStep' }]);
  });
});

describe('a failing run', () => {
  it('ends failed with exit code 1 and the failing step marked in the tree', async () => {
    const api = await extensionApi();
    const uri = workspaceFile('fails.acr-task.yaml');
    const exitCode = taskExitCode(uri.fsPath);
    const runId = await vscode.commands.executeCommand<string>('acrTasks.runTask', uri);
    const run = await runFinished(api, runId);
    assert.equal(run.status, 'failed');
    assert.equal(await exitCode, 1);
    assert.deepEqual(await treeSteps(api, uri), [
      { id: 'ok', status: 'succeeded', contextValue: 'succeededStep' },
      { id: 'boom', status: 'failed', contextValue: 'failedStep' },
      { id: 'never', status: 'skipped', contextValue: 'skippedStep' },
    ]);
  });
});

describe('runs declared in tasks.json', () => {
  /** Runs a task and resolves with its exit code and the run it started. */
  async function execute(api: Awaited<ReturnType<typeof extensionApi>>, task: vscode.Task) {
    const ended = new Promise<number | undefined>((resolve) => {
      const listener = vscode.tasks.onDidEndTaskProcess((event) => {
        if (event.execution.task.name !== task.name) return;
        listener.dispose();
        resolve(event.exitCode);
      });
    });
    const before = new Set(api.runs.all().map((run) => run.runId));
    await vscode.tasks.executeTask(task);
    const exitCode = await ended;
    const run = api.runs.all().find((candidate) => !before.has(candidate.runId));
    return { exitCode, run: run && { status: run.status, taskFile: run.taskFile, steps: [...run.steps.keys()] } };
  }

  it('resolves `acr-task` and `acr-build` tasks and runs them with their exit codes', async () => {
    const api = await extensionApi();
    const tasks = await vscode.tasks.fetchTasks();
    const byLabel = new Map(tasks.filter((task) => task.source === 'Workspace').map((task) => [task.name, task]));
    const build = byLabel.get('ACR: build the Dockerfile');
    const failing = byLabel.get('ACR: a failing task');
    assert.ok(build && failing, `tasks.json tasks: ${[...byLabel.keys()].join(', ')}`);
    assert.deepEqual(await execute(api, build), {
      exitCode: 0,
      run: { status: 'succeeded', taskFile: workspaceFile('Dockerfile').fsPath, steps: ['build'] },
    });
    assert.deepEqual(await execute(api, failing), {
      exitCode: 1,
      run: { status: 'failed', taskFile: workspaceFile('fails.acr-task.yaml').fsPath, steps: ['ok', 'boom', 'never'] },
    });
  });
});
