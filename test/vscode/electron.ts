/**
 * `npm run test:vscode:electron`: the same in-host suite in desktop VS Code through @vscode/test-electron,
 * for machines where VS Code can be downloaded (or `VSCODE_EXECUTABLE` points at an installed one). Not
 * part of CI here: these machines reach only the npm registry and Debian, so the download fails — with a
 * message that says so, and exit code 1.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runTests } from '@vscode/test-electron';
import { releaseAll } from '../integration/setup';
import { REPO_ROOT } from './codeServer';
import { copyWorkspace, engineEnvironment } from './testEnvironment';

/** `engines.vscode` is ^1.100.0; test on that release unless told otherwise. */
const VERSION = process.env['VSCODE_VERSION'] ?? '1.100.3';

async function main(): Promise<number> {
  const workspace = copyWorkspace();
  const executable = process.env['VSCODE_EXECUTABLE'];
  try {
    const engineEnv = await engineEnvironment();
    return await runTests({
      ...(executable ? { vscodeExecutablePath: executable } : { version: VERSION }),
      extensionDevelopmentPath: REPO_ROOT,
      extensionTestsPath: path.join(REPO_ROOT, 'out/test/vscode/suite/index.js'),
      extensionTestsEnv: engineEnv,
      launchArgs: [
        workspace,
        '--disable-extensions',
        '--disable-workspace-trust',
        '--skip-welcome',
        '--skip-release-notes',
      ],
    });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    if (
      !executable &&
      /download|fetch|ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ETIMEDOUT|getaddrinfo|network|socket/i.test(reason)
    ) {
      console.error(
        `\nNo desktop VS Code ${VERSION} could be had: the download failed (${reason.split('\n')[0]}).\n` +
          'Run this where update.code.visualstudio.com is reachable, or set VSCODE_EXECUTABLE to an installed VS Code.\n' +
          'Offline, `npm run test:vscode` runs the same suite in code-server instead.',
      );
    } else {
      console.error(`The in-host suite failed in desktop VS Code: ${reason}`);
    }
    return 1;
  } finally {
    fs.rmSync(workspace, { recursive: true, force: true });
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
