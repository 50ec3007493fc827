/**
 * The language client for dist/server.js (IPC). Documents are selected as all YAML plus task files by
 * name: the server decides what is a task file (names + `acrTasks.taskFileGlobs`) and must also see
 * unsaved values files, which are plain YAML. `acrTasks.trace.server` traces the LSP messages.
 */
import * as vscode from 'vscode';
import {
  LanguageClient,
  TransportKind,
  type LanguageClientOptions,
  type ServerOptions,
} from 'vscode-languageclient/node';
import { MaskingLogChannel, type SecretMask } from './MaskingLogChannel';
import { TASK_FILE_GLOB } from './taskFiles';

export function createLanguageClient(context: vscode.ExtensionContext, secrets: SecretMask): LanguageClient {
  const module = context.asAbsolutePath('dist/server.js');
  // CONTRIBUTING.md: ACR_TASKS_DEBUG_SERVER=1 in the host's environment starts the server under the
  // inspector on port 6009, for attaching a debugger to client and server together.
  const inspect = process.env['ACR_TASKS_DEBUG_SERVER'] === '1' ? { execArgv: ['--nolazy', '--inspect=6009'] } : {};
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc, options: inspect },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6009'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'yaml' },
      { scheme: 'untitled', language: 'yaml' },
      { scheme: 'file', pattern: TASK_FILE_GLOB },
    ],
    initializationOptions: { settings: vscode.workspace.getConfiguration('acrTasks') },
    outputChannelName: 'ACR Tasks',
    // Run requests carry secret values: the trace must never show them.
    traceOutputChannel: new MaskingLogChannel(
      vscode.window.createOutputChannel('ACR Tasks (LSP trace)', { log: true }),
      secrets,
    ),
  };
  return new LanguageClient('acrTasks', 'ACR Tasks', serverOptions, clientOptions);
}
