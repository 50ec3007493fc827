/** "Run Step" and "Run to Here" above every step of a task file (trusted workspaces only). */
import * as vscode from 'vscode';
import type { TasksTreeProvider } from './tree/TasksTreeProvider';
import { isTaskFileName } from './taskFiles';

export class StepCodeLensProvider implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  private readonly disposables: vscode.Disposable[] = [this.changed];
  readonly onDidChangeCodeLenses = this.changed.event;

  constructor(private readonly tasksTree: TasksTreeProvider) {
    this.disposables.push(
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.changed.fire()),
      tasksTree.onDidChangeTreeData(() => this.changed.fire()),
    );
  }

  dispose(): void {
    for (const disposable of this.disposables) disposable.dispose();
  }

  async provideCodeLenses(document: vscode.TextDocument): Promise<vscode.CodeLens[]> {
    if (!vscode.workspace.isTrusted || document.uri.scheme !== 'file' || !isTaskFileName(document.uri.fsPath))
      return [];
    const outline = await this.tasksTree.outline(document.uri);
    return outline.steps.flatMap((step) => {
      const range = new vscode.Range(step.line, 0, step.line, 0);
      const args = [document.uri, step.id];
      return [
        new vscode.CodeLens(range, { title: '$(play) Run Step', command: 'acrTasks.runStep', arguments: args }),
        new vscode.CodeLens(range, { title: 'Run to Here', command: 'acrTasks.runToHere', arguments: args }),
      ];
    });
  }
}
