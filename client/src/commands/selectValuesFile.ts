/**
 * Select Values File: sets `acrTasks.valuesFile` for the workspace folder (the file `{{ .Values.x }}`
 * reads when validating, completing, rendering and running). "None" goes back to a `values.yaml` beside
 * each task file.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { isTaskFileName } from '../taskFiles';
import { reportError, type CommandContext } from './CommandContext';

const NONE = '$(circle-slash) None: use values.yaml beside the task file';

export async function selectValuesFile(_ctx: CommandContext, argument?: unknown): Promise<string | undefined> {
  try {
    let chosen: vscode.Uri | undefined;
    if (argument instanceof vscode.Uri) chosen = argument;
    else if (typeof argument === 'string') chosen = vscode.Uri.file(argument);
    else {
      const files = (await vscode.workspace.findFiles('**/*.{yaml,yml}', '**/node_modules/**', 500)).filter(
        (uri) => !isTaskFileName(uri.fsPath),
      );
      const picked = await vscode.window.showQuickPick(
        [
          { label: NONE },
          ...files.map((uri) => ({
            label: path.basename(uri.fsPath),
            description: vscode.workspace.asRelativePath(uri),
            uri,
          })),
        ],
        { title: 'Values file for task files' },
      );
      if (!picked) return undefined;
      chosen = 'uri' in picked ? picked.uri : undefined;
    }
    const folder = chosen ? vscode.workspace.getWorkspaceFolder(chosen) : vscode.workspace.workspaceFolders?.[0];
    const setting = chosen ? (folder ? path.relative(folder.uri.fsPath, chosen.fsPath) : chosen.fsPath) : '';
    const target = folder ? vscode.ConfigurationTarget.WorkspaceFolder : vscode.ConfigurationTarget.Global;
    await vscode.workspace.getConfiguration('acrTasks', folder?.uri).update('valuesFile', setting, target);
    return setting;
  } catch (error) {
    reportError('Select Values File', error);
    return undefined;
  }
}
