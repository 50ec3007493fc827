/**
 * The language client for dist/server.js (IPC). Documents are selected as all YAML plus task files by
 * name: the server decides what is a task file (names + `acrTasks.taskFileGlobs`) and must also see
 * unsaved values files, which are plain YAML.
 */
import * as vscode from 'vscode';
import {
  LanguageClient,
  TransportKind,
  type LanguageClientOptions,
  type ServerOptions,
} from 'vscode-languageclient/node';
import { TASK_FILE_GLOB } from './taskFiles';

export function createLanguageClient(context: vscode.ExtensionContext): LanguageClient {
  const module = context.asAbsolutePath('dist/server.js');
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6011'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'yaml' },
      { scheme: 'untitled', language: 'yaml' },
      { scheme: 'file', pattern: TASK_FILE_GLOB },
    ],
    initializationOptions: { settings: vscode.workspace.getConfiguration('acrTasks') },
    outputChannelName: 'ACR Tasks Language Server',
  };
  return new LanguageClient('acrTasks', 'ACR Tasks', serverOptions, clientOptions);
}
