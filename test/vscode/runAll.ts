/**
 * `npm run test:vscode`: installs code-server if needed, leases the test Docker engine, runs the in-host
 * suite inside code-server's extension host, then the Playwright UI tests on the workbench. Exit code 0
 * only when both pass. `ACR_VSCODE_ONLY=in-host|ui` runs one half.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';
import { releaseAll, shutDown } from '../integration/setup';
import { ensureCodeServer, REPO_ROOT } from './codeServer';
import { runInHost } from './runInHost';
import { copyWorkspace, engineEnvironment } from './testEnvironment';

const OUT = path.join(REPO_ROOT, 'out/test/vscode');

async function inHost(): Promise<number> {
  console.log('\n==> in-host suite (mocha inside the code-server extension host)');
  const workspace = copyWorkspace();
  try {
    const code = await runInHost({
      workspace,
      extensionDevelopmentPath: REPO_ROOT,
      extensionTestsPath: path.join(OUT, 'suite/index.js'),
      env: await engineEnvironment(),
    });
    console.log(`in-host suite: ${code === 0 ? 'passed' : `failed (exit code ${code})`}`);
    return code;
  } finally {
    fs.rmSync(workspace, { recursive: true, force: true });
  }
}

function ui(): Promise<number> {
  console.log('\n==> UI tests (Playwright on the code-server workbench)');
  const mocha = new Mocha({ ui: 'bdd', timeout: 180_000, reporter: 'spec' });
  const grep = process.env['ACR_VSCODE_TEST_GREP'];
  if (grep) mocha.grep(grep);
  const folder = path.join(OUT, 'ui');
  for (const file of fs.readdirSync(folder).sort())
    if (file.endsWith('.test.js')) mocha.addFile(path.join(folder, file));
  return new Promise((resolve) => mocha.run((failures) => resolve(failures > 0 ? 1 : 0)));
}

async function main(): Promise<number> {
  process.once('SIGINT', () => void shutDown().finally(() => process.exit(130)));
  process.once('SIGTERM', () => void shutDown().finally(() => process.exit(143)));
  ensureCodeServer();
  const only = process.env['ACR_VSCODE_ONLY'];
  try {
    const hostCode = only === 'ui' ? 0 : await inHost();
    const uiCode = only === 'in-host' ? 0 : await ui();
    return hostCode !== 0 || uiCode !== 0 ? 1 : 0;
  } finally {
    await releaseAll();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
