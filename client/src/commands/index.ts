/** Registers every command (one per file in this folder) with its context. */
import * as vscode from 'vscode';
import { buildContext } from './buildContext';
import { cancelRun } from './cancelRun';
import type { CommandContext } from './CommandContext';
import { deleteRun } from './deleteRun';
import { deleteSecret } from './deleteSecret';
import { openRunLog } from './openRunLog';
import { rerun } from './rerun';
import { runStep } from './runStep';
import { runTask } from './runTask';
import { runToHere } from './runToHere';
import { selectValuesFile } from './selectValuesFile';
import { setSecret } from './setSecret';
import { showRenderedTask } from './showRenderedTask';

type Handler = (ctx: CommandContext, ...args: unknown[]) => unknown;

const COMMANDS: Record<string, Handler> = {
  'acrTasks.buildContext': buildContext,
  'acrTasks.runTask': runTask,
  'acrTasks.runStep': runStep,
  'acrTasks.runToHere': runToHere,
  'acrTasks.cancelRun': cancelRun,
  'acrTasks.rerun': rerun,
  'acrTasks.openRunLog': openRunLog,
  'acrTasks.deleteRun': deleteRun,
  'acrTasks.showRenderedTask': showRenderedTask,
  'acrTasks.setSecret': setSecret,
  'acrTasks.deleteSecret': deleteSecret,
  'acrTasks.selectValuesFile': selectValuesFile,
  'acrTasks.refreshTasks': (ctx) => ctx.tasksTree.refresh(),
  'acrTasks.refreshRuns': (ctx) => ctx.runsTree.refresh(),
};

export function registerCommands(ctx: CommandContext): vscode.Disposable[] {
  return Object.entries(COMMANDS).map(([id, handler]) =>
    vscode.commands.registerCommand(id, (...args: unknown[]) => handler(ctx, ...args)),
  );
}
