/**
 * The Tasks view with defined tasks: the tasks of `.acr-tasks.yaml` first — each with its triggers and
 * their state (base-image update, commit, timers) — then the task files as the Tasks view lists them.
 * Wraps TasksTreeProvider instead of changing it. `contextValue`s: `runningDefinedTask` /
 * `idleDefinedTask`, `<state>Trigger` (`watchingTrigger`, `needsFirstRunTrigger`, `disabledTrigger`, …).
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { TaskTriggerState } from '../../../server/src/protocol';
import { statusIcon } from '../tree/statusIcons';
import type { TaskNode, TasksTreeProvider } from '../tree/TasksTreeProvider';
import type { DefinedTasks } from './DefinedTasks';

export interface DefinedTaskNode {
  kind: 'definedTask';
  state: TaskTriggerState;
  watching: boolean;
}

export interface TriggerNode {
  kind: 'trigger';
  task: TaskTriggerState;
  watching: boolean;
  trigger: 'baseImage' | 'commit' | 'schedule';
  schedule?: TaskTriggerState['schedules'][number];
}

export interface DefinitionsProblemNode {
  kind: 'definitionsProblems';
  definitionsFile: string;
  problems: string[];
}

export type TasksViewNode = TaskNode | DefinedTaskNode | TriggerNode | DefinitionsProblemNode;

function shortDigest(value: string): string {
  const colon = value.indexOf(':');
  return `${value.slice(0, colon + 1)}${value.slice(colon + 1, colon + 13)}`;
}

export class TasksWithTriggersTreeProvider implements vscode.TreeDataProvider<TasksViewNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<TasksViewNode | undefined>();
  private readonly disposables: vscode.Disposable[] = [this.changed];

  readonly onDidChangeTreeData = this.changed.event;

  constructor(
    private readonly tasks: TasksTreeProvider,
    private readonly defined: DefinedTasks,
  ) {
    this.disposables.push(
      tasks.onDidChangeTreeData(() => this.changed.fire(undefined)),
      defined.onDidChange(() => this.changed.fire(undefined)),
    );
  }

  dispose(): void {
    for (const disposable of this.disposables) disposable.dispose();
  }

  refresh(): void {
    this.defined.invalidate();
    this.tasks.refresh();
  }

  async getChildren(node?: TasksViewNode): Promise<TasksViewNode[]> {
    if (!node) {
      const state = await this.defined.state().catch(() => ({ files: [] }));
      const definedNodes: TasksViewNode[] = state.files.flatMap((file) => [
        ...(file.problems.length > 0
          ? [{ kind: 'definitionsProblems' as const, definitionsFile: file.definitionsFile, problems: file.problems }]
          : []),
        ...file.tasks.map((task) => ({ kind: 'definedTask' as const, state: task, watching: file.watching })),
      ]);
      return [...definedNodes, ...(await this.tasks.getChildren())];
    }
    if (node.kind === 'definedTask') {
      const triggers: TriggerNode[] = [
        { kind: 'trigger', task: node.state, watching: node.watching, trigger: 'baseImage' },
        { kind: 'trigger', task: node.state, watching: node.watching, trigger: 'commit' },
      ];
      for (const schedule of node.state.schedules)
        triggers.push({ kind: 'trigger', task: node.state, watching: node.watching, trigger: 'schedule', schedule });
      return triggers;
    }
    if (node.kind === 'trigger' || node.kind === 'definitionsProblems') return [];
    return this.tasks.getChildren(node);
  }

  getTreeItem(node: TasksViewNode): vscode.TreeItem {
    switch (node.kind) {
      case 'definedTask':
        return definedTaskItem(node);
      case 'trigger':
        return triggerItem(node);
      case 'definitionsProblems': {
        const item = new vscode.TreeItem(`${path.basename(node.definitionsFile)} has errors`);
        item.iconPath = new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground'));
        item.description = node.problems[0];
        item.tooltip = node.problems.join('\n');
        item.contextValue = 'definitionsProblems';
        item.command = { command: 'vscode.open', title: 'Open', arguments: [vscode.Uri.file(node.definitionsFile)] };
        return item;
      }
      default:
        return this.tasks.getTreeItem(node);
    }
  }
}

function definedTaskItem(node: DefinedTaskNode): vscode.TreeItem {
  const { state } = node;
  const item = new vscode.TreeItem(state.task, vscode.TreeItemCollapsibleState.Expanded);
  item.id = `defined:${state.definitionsFile}#${state.task}`;
  item.contextValue = `${state.running ? 'running' : 'idle'}DefinedTask`;
  item.iconPath = state.running
    ? statusIcon('running')
    : state.lastRun
      ? statusIcon(state.lastRun.status)
      : new vscode.ThemeIcon('symbol-event');
  const last = state.running
    ? `running ${state.running}`
    : state.lastRun
      ? `${state.lastRun.runId} ${state.lastRun.status} (${state.lastRun.trigger})`
      : 'never ran';
  item.description = [
    vscode.workspace.asRelativePath(state.file),
    last,
    state.status === 'Disabled' ? 'disabled' : node.watching ? undefined : 'triggers off',
  ]
    .filter(Boolean)
    .join(' · ');
  item.tooltip = new vscode.MarkdownString(
    `**${state.task}** — ${state.kind === 'dockerfile' ? 'Dockerfile' : 'task file'} \`${state.file}\`\n\n` +
      `context \`${state.context}\`\n\n${node.watching ? 'Triggers are watched while the workspace is open.' : 'Triggers are off (`acrTasks.triggers.watch`).'}`,
  );
  item.command = {
    command: 'vscode.open',
    title: 'Open Task Definitions',
    arguments: [vscode.Uri.file(state.definitionsFile)],
  };
  return item;
}

function triggerItem(node: TriggerNode): vscode.TreeItem {
  const { task } = node;
  let item: vscode.TreeItem;
  let state: string;
  if (node.trigger === 'baseImage') {
    const trigger = task.baseImage;
    state = trigger.state;
    item = new vscode.TreeItem(`Base image update (${trigger.type})`);
    const failing = trigger.bases.filter((base) => base.error !== undefined);
    item.description =
      trigger.state === 'needsFirstRun'
        ? 'runs once before it can be triggered'
        : trigger.state === 'watching'
          ? trigger.bases
              .filter((base) => trigger.type === 'All' || base.dependency === 'runtime')
              .map((base) => base.reference)
              .join(', ')
          : trigger.message;
    item.iconPath = new vscode.ThemeIcon(
      failing.length > 0 ? 'warning' : trigger.state === 'disabled' ? 'circle-slash' : 'layers',
    );
    const bases = trigger.bases
      .map(
        (base) =>
          `- \`${base.reference}\` (${base.dependency}) ${base.identity.source === 'engine' ? 'engine image' : 'digest'} \`${shortDigest(base.identity.value)}\`${base.error ? ` — **${base.error}**` : ''}`,
      )
      .join('\n');
    item.tooltip = new vscode.MarkdownString(`${trigger.message}${bases ? `\n\n${bases}` : ''}`);
  } else if (node.trigger === 'commit') {
    const trigger = task.commit;
    state = trigger.state;
    item = new vscode.TreeItem(`Commit${trigger.branch ? ` on ${trigger.branch}` : ''}`);
    item.description = trigger.message;
    item.iconPath = new vscode.ThemeIcon(trigger.state === 'disabled' ? 'circle-slash' : 'git-commit');
    item.tooltip = trigger.message;
  } else {
    const schedule = node.schedule;
    state = node.watching && task.status === 'Enabled' ? 'watching' : 'disabled';
    item = new vscode.TreeItem(`Timer ${schedule?.name ?? ''}`);
    const next = schedule?.next ? `next ${new Date(schedule.next).toLocaleString()}` : 'not armed';
    item.description = `${schedule?.cron ?? ''} (UTC) · ${next}`;
    item.iconPath = new vscode.ThemeIcon('watch');
    item.tooltip = `Cron ${schedule?.cron ?? ''} in UTC; fires while a watcher runs, missed times are not replayed.`;
  }
  item.id = `trigger:${task.definitionsFile}#${task.task}#${node.trigger}#${node.schedule?.name ?? ''}`;
  item.contextValue = `${state}Trigger`;
  return item;
}
