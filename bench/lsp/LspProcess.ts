/**
 * A language server in a child process over stdio, driven as an editor would drive it, with the
 * timings the benchmark needs: when the diagnostics of a given document version arrive, how long a
 * request takes, and the process's resident memory (from /proc, so Linux only).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import {
  createMessageConnection,
  type MessageConnection,
  StreamMessageReader,
  StreamMessageWriter,
} from 'vscode-jsonrpc/node';
import type {
  Diagnostic,
  PublishDiagnosticsParams,
  TextDocumentContentChangeEvent,
} from 'vscode-languageserver-protocol';

export interface ServerLaunch {
  /** Name in the results table. */
  name: string;
  /** Script run with this Node binary, and its arguments. */
  script: string;
  args: string[];
  /** Node flags before the script (e.g. `--cpu-prof`). */
  nodeArgs?: string[];
  /** Answers `workspace/configuration` for one section (`yaml`, `acrTasks`, …). */
  configuration: (section: string | undefined) => unknown;
}

export interface Memory {
  /** Resident set size now, MB. */
  rssMb: number;
  /** Peak resident set size (VmHWM), MB. */
  peakRssMb: number;
}

interface DiagnosticsWaiter {
  uri: string;
  /** Servers that publish versions (ours) must reach this one; others (yaml-language-server) publish none. */
  minVersion: number;
  resolve: (arrival: { at: number; diagnostics: Diagnostic[] }) => void;
}

export class LspProcess {
  private readonly child: ChildProcess;
  private readonly connection: MessageConnection;
  private readonly waiters: DiagnosticsWaiter[] = [];
  readonly stderr: string[] = [];

  constructor(readonly launch: ServerLaunch) {
    this.child = spawn(process.execPath, [...(launch.nodeArgs ?? []), launch.script, ...launch.args], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    this.child.stderr!.on('data', (chunk: Buffer) => this.stderr.push(chunk.toString()));
    this.connection = createMessageConnection(
      new StreamMessageReader(this.child.stdout!),
      new StreamMessageWriter(this.child.stdin!),
    );
    this.connection.onNotification('textDocument/publishDiagnostics', (params: PublishDiagnosticsParams) => {
      const at = performance.now();
      // A close publishes [] with no version; with versions we only count the awaited one.
      const index = this.waiters.findIndex(
        (waiter) => waiter.uri === params.uri && (params.version === undefined || params.version >= waiter.minVersion),
      );
      if (index >= 0) this.waiters.splice(index, 1)[0].resolve({ at, diagnostics: params.diagnostics });
    });
    this.connection.onRequest('workspace/configuration', (params: { items: { section?: string }[] }) =>
      params.items.map((item) => launch.configuration(item.section)),
    );
    // registerCapability, workDoneProgress/create, …: accept and ignore.
    this.connection.onRequest(() => null);
    this.connection.onNotification(() => undefined);
    this.connection.listen();
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  async initialize(rootPath: string): Promise<void> {
    const rootUri = `file://${rootPath}`;
    await this.connection.sendRequest('initialize', {
      processId: process.pid,
      rootUri,
      workspaceFolders: [{ uri: rootUri, name: 'bench' }],
      capabilities: {
        workspace: { configuration: true, didChangeConfiguration: { dynamicRegistration: true } },
        textDocument: {
          completion: { completionItem: { snippetSupport: true, documentationFormat: ['markdown', 'plaintext'] } },
          hover: { contentFormat: ['markdown', 'plaintext'] },
          publishDiagnostics: { versionSupport: true },
        },
      },
    });
    await this.connection.sendNotification('initialized', {});
  }

  /** Resolves when diagnostics for `uri` (at least `minVersion`, for servers that say) arrive. */
  diagnostics(uri: string, minVersion = 0): Promise<{ at: number; diagnostics: Diagnostic[] }> {
    return new Promise((resolve) => this.waiters.push({ uri, minVersion, resolve }));
  }

  /** Opens a document; resolves with milliseconds until its diagnostics arrived. */
  async openAndTime(uri: string, text: string): Promise<{ ms: number; diagnostics: Diagnostic[] }> {
    const waiting = this.diagnostics(uri, 1);
    const sent = performance.now();
    await this.connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri, languageId: 'yaml', version: 1, text },
    });
    const { at, diagnostics } = await waiting;
    return { ms: at - sent, diagnostics };
  }

  /** Applies changes as `version`; resolves with milliseconds until that version's diagnostics arrived. */
  async changeAndTime(
    uri: string,
    version: number,
    changes: TextDocumentContentChangeEvent[],
  ): Promise<{ ms: number; diagnostics: Diagnostic[] }> {
    const waiting = this.diagnostics(uri, version);
    const sent = performance.now();
    await this.change(uri, version, changes);
    const { at, diagnostics } = await waiting;
    return { ms: at - sent, diagnostics };
  }

  change(uri: string, version: number, changes: TextDocumentContentChangeEvent[]): Promise<void> {
    return this.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri, version },
      contentChanges: changes,
    });
  }

  close(uri: string): Promise<void> {
    return this.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
  }

  /** Sends a request; resolves with its result and round-trip milliseconds. */
  async timeRequest<R>(method: string, params: unknown): Promise<{ ms: number; result: R }> {
    const sent = performance.now();
    const result = await this.connection.sendRequest<R>(method, params);
    return { ms: performance.now() - sent, result };
  }

  memory(): Memory {
    const status = readFileSync(`/proc/${this.pid}/status`, 'utf8');
    const kilobytes = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
    return { rssMb: kilobytes('VmRSS') / 1024, peakRssMb: kilobytes('VmHWM') / 1024 };
  }

  /** Shuts the server down politely (so `--cpu-prof` gets to write its profile), then makes sure it is gone. */
  async stop(): Promise<void> {
    const exited = new Promise<void>((resolve) => {
      if (this.child.exitCode !== null) resolve();
      else this.child.once('exit', () => resolve());
    });
    try {
      await this.connection.sendRequest('shutdown');
      await this.connection.sendNotification('exit');
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([exited, new Promise<void>((resolve) => (timer = setTimeout(resolve, 10_000)))]);
      clearTimeout(timer);
    } finally {
      this.connection.dispose();
      if (this.child.exitCode === null) this.child.kill();
    }
  }
}
