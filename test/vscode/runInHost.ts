/**
 * Runs the in-host mocha suite inside the real VS Code extension host of code-server. code-server ignores
 * `--extensionDevelopmentPath/--extensionTestsPath`, but its web workbench takes them from the URL
 * payload; the host then loads the extension from source, calls the tests module's `run()`, and the page
 * reports the result through `window.codeAutomationExit(code)` (the host's console arrives through
 * `window.codeAutomationLog`). Resolves with the exit code: 0 when every test passed.
 */
import { format } from 'node:util';
import { launchBrowser } from './browser';
import { startCodeServer, type CodeServerOptions } from './codeServer';

export interface InHostOptions extends CodeServerOptions {
  /** Folder to open. */
  workspace: string;
  /** The extension's folder (package.json). */
  extensionDevelopmentPath: string;
  /** The compiled tests module exporting `run()`. */
  extensionTestsPath: string;
  timeoutMs?: number;
  /** Where the host's console lines go; default: this process's stdout. */
  onLog?: (line: string) => void;
}

/** The workbench URL that makes the extension host run a test module. */
export function inHostUrl(base: string, port: number, options: InHostOptions): string {
  const remote = (absolute: string) => `vscode-remote://127.0.0.1:${port}${absolute}`;
  const payload = [
    ['extensionDevelopmentPath', remote(options.extensionDevelopmentPath)],
    ['extensionTestsPath', remote(options.extensionTestsPath)],
  ];
  return `${base}/?folder=${encodeURIComponent(options.workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
}

/** The host's console call as text (`args` are console.log's arguments, format string first). */
function text(args: unknown): string {
  return Array.isArray(args) ? format(...(args as unknown[])) : String(args);
}

export async function runInHost(options: InHostOptions): Promise<number> {
  const log = options.onLog ?? ((line: string) => process.stdout.write(`${line}\n`));
  const server = await startCodeServer(options);
  const browser = await launchBrowser();
  try {
    const page = await browser.context.newPage();
    let reportExit: (code: number) => void = () => undefined;
    const exit = new Promise<number>((resolve) => (reportExit = resolve));
    await page.exposeFunction('codeAutomationExit', (code: unknown) => reportExit(Number(code)));
    await page.exposeFunction('codeAutomationLog', (type: unknown, args: unknown) => {
      log(type === 'error' ? `[host error] ${text(args)}` : text(args));
    });
    await page.goto(inHostUrl(server.url, server.port, options));
    const timeoutMs = options.timeoutMs ?? 10 * 60_000;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<number>((resolve) => {
      timer = setTimeout(() => {
        log(`in-host tests did not finish within ${timeoutMs} ms`);
        resolve(1);
      }, timeoutMs);
    });
    const code = await Promise.race([exit, timeout]);
    clearTimeout(timer);
    if (code !== 0) log(`code-server log:\n${server.log()}`);
    return code;
  } finally {
    await browser.close();
    await server.stop();
  }
}
