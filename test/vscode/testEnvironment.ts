/**
 * What every real-VS-Code test run needs: code-server installed, a Docker engine with the busybox base
 * image (the integration harness's, shared by every test tier), and a fresh copy of the test workspace.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { getDocker } from '../integration/setup';
import { REPO_ROOT } from './codeServer';

export const WORKSPACE_FIXTURE = path.join(REPO_ROOT, 'test/vscode/workspace');
export const SCREENSHOT_DIR = path.join(REPO_ROOT, 'test-artifacts/screenshots');

/** Environment for code-server (and so the extension host and our server): the harness's engine. */
export async function engineEnvironment(): Promise<Record<string, string>> {
  const docker = await getDocker();
  return { ...docker.processEnv };
}

/** A private copy of the workspace fixture; tests may edit it. */
export function copyWorkspace(): string {
  const target = fs.mkdtempSync(path.join(os.tmpdir(), 'acr-workspace-'));
  fs.cpSync(WORKSPACE_FIXTURE, target, { recursive: true });
  return target;
}
