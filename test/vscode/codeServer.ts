/**
 * A private code-server (VS Code 1.100.3 server + web workbench, installed by setup.sh) on a free
 * loopback port, with its own HOME, user data and extensions folders so nothing of the machine's own
 * VS Code state leaks in or out. Stopped (process group killed, folders removed) by `stop()`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

export const REPO_ROOT = path.resolve(__dirname, '../../..');
const CODE_SERVER_DIR = path.join(REPO_ROOT, 'test/vscode/code-server');
const CODE_SERVER_BIN = path.join(CODE_SERVER_DIR, 'node_modules/.bin/code-server');
const START_TIMEOUT_MS = 60_000;

export interface CodeServer {
  /** `http://127.0.0.1:<port>` */
  url: string;
  port: number;
  /** The HOME of the server (and so of the extension host and our language server). */
  home: string;
  /** Everything code-server wrote to stdout/stderr. */
  log(): string;
  stop(): Promise<void>;
}

export interface CodeServerOptions {
  /** Extra environment for the server and the extension host (e.g. DOCKER_HOST). */
  env?: Record<string, string>;
  /** User settings (merged over the test defaults). */
  settings?: Record<string, unknown>;
  /** A .vsix to install before starting (release-like run). */
  vsix?: string;
  /** Keep Workspace Trust on (folders then open in Restricted Mode until trusted). Default: off. */
  workspaceTrust?: boolean;
}

/** Installs code-server on first use (setup.sh is idempotent and fast when done). */
export function ensureCodeServer(): void {
  execFileSync('bash', [path.join(REPO_ROOT, 'test/vscode/setup.sh')], { stdio: 'inherit' });
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Resolves when code-server says it listens (its own log line), rejects if it exits first or is slow. */
function waitForListening(child: ChildProcess, output: () => string): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`code-server did not start within ${START_TIMEOUT_MS} ms:\n${output()}`));
    }, START_TIMEOUT_MS);
    const onData = () => {
      if (/HTTP server listening on/.test(output())) {
        cleanup();
        resolve();
      }
    };
    const onExit = (code: number | null) => {
      cleanup();
      reject(new Error(`code-server exited with ${code}:\n${output()}`));
    };
    const cleanup = () => {
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.stderr?.off('data', onData);
      child.off('exit', onExit);
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', onExit);
  });
}

export async function startCodeServer(options: CodeServerOptions = {}): Promise<CodeServer> {
  if (!fs.existsSync(CODE_SERVER_BIN)) ensureCodeServer();
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'acr-vscode-'));
  const home = path.join(root, 'home');
  const userData = path.join(root, 'user-data');
  const extensions = path.join(root, 'extensions');
  fs.mkdirSync(path.join(userData, 'User'), { recursive: true });
  fs.mkdirSync(home);
  fs.writeFileSync(
    path.join(userData, 'User/settings.json'),
    JSON.stringify(
      {
        'workbench.startupEditor': 'none',
        'workbench.tips.enabled': false,
        'workbench.enableExperiments': false,
        'telemetry.telemetryLevel': 'off',
        'extensions.autoCheckUpdates': false,
        'extensions.autoUpdate': false,
        'update.mode': 'none',
        'security.workspace.trust.enabled': options.workspaceTrust === true,
        'git.enabled': false,
        ...options.settings,
      },
      null,
      2,
    ),
  );
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...options.env,
    HOME: home,
    XDG_DATA_HOME: path.join(home, '.local/share'),
    XDG_CONFIG_HOME: path.join(home, '.config'),
    EXTENSIONS_GALLERY: '{}',
  };
  const common = ['--user-data-dir', userData, '--extensions-dir', extensions];
  if (options.vsix)
    execFileSync(CODE_SERVER_BIN, [...common, '--install-extension', options.vsix], { env, stdio: 'pipe' });
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  let output = '';
  const child = spawn(
    CODE_SERVER_BIN,
    [
      '--auth',
      'none',
      '--bind-addr',
      `127.0.0.1:${port}`,
      '--disable-telemetry',
      '--disable-update-check',
      ...(options.workspaceTrust ? [] : ['--disable-workspace-trust']),
      ...common,
    ],
    { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.pid !== undefined) {
      try {
        process.kill(-child.pid, 'SIGTERM'); // its own process group: the server and its extension hosts
      } catch {
        // already gone
      }
      await exited;
    }
    fs.rmSync(root, { recursive: true, force: true });
  };
  try {
    await waitForListening(child, () => output);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, port, home, log: () => output, stop };
}
