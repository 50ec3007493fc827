/**
 * The release artifact: `vsce package` makes a .vsix that installs into VS Code (code-server's
 * `--install-extension`) and works from there — the extension activates from its bundle and the bundled
 * language server answers (the Tasks view lists the steps of a task file, which come from the server).
 */
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { REPO_ROOT } from '../codeServer';
import { copyWorkspace } from '../testEnvironment';
import { Workbench } from './Workbench';

/** What `vsce package` puts into the .vsix (`vsce ls` applies the same .vscodeignore rules). */
function packagedFiles(): string[] {
  const output = execFileSync(path.join(REPO_ROOT, 'node_modules/.bin/vsce'), ['ls', '--no-dependencies'], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
  });
  return output.split('\n').filter((line) => line.trim() !== '');
}

describe('the packaged extension (.vsix)', function () {
  let workbench: Workbench | undefined;
  let workspace: string;
  let folder: string;
  let vsix: string;

  before(function () {
    workspace = copyWorkspace();
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'acr-vsix-'));
    vsix = path.join(folder, 'acr-tasks-local.vsix');
    execFileSync(
      path.join(REPO_ROOT, 'node_modules/.bin/vsce'),
      ['package', '--no-dependencies', '--allow-missing-repository', '--no-rewrite-relative-links', '--out', vsix],
      { cwd: REPO_ROOT, stdio: 'pipe' },
    );
  });

  after(async function () {
    await workbench?.close();
    if (folder) fs.rmSync(folder, { recursive: true, force: true });
    if (workspace) fs.rmSync(workspace, { recursive: true, force: true });
  });

  it('holds the bundles, the schema, the grammar and the media, and nothing else of the repository', function () {
    const entries = packagedFiles();
    for (const required of [
      'package.json',
      'dist/extension.js',
      'dist/server.js',
      'dist/cli.js',
      'schemas/acr-task.schema.json',
      'syntaxes/acr-task.injection.tmLanguage.json',
      'media/acr-tasks.svg',
    ])
      assert.ok(entries.includes(required), `${required} is packaged`);
    const unexpected = entries.filter(
      (entry) => /^(client|server|test|node_modules|out|bench|examples)\//.test(entry) || entry.endsWith('.map'),
    );
    assert.deepEqual(unexpected, []);
    const size = fs.statSync(vsix).size;
    assert.ok(size < 5 * 1024 * 1024, `the .vsix is small (${size} bytes)`);
  });

  it('installs into code-server and works from its bundle', async function () {
    workbench = await Workbench.open(workspace, { vsix, installed: true });
    const tasks = await workbench.ourView('Tasks');
    await tasks
      .locator('.monaco-list-row', { hasText: /^greet/ })
      .first()
      .waitFor();
    assert.doesNotMatch(await workbench.page.title(), /Extension Development Host/);
    await workbench.screenshot('12-installed-from-vsix');
  });
});
