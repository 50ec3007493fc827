/** The `acrTasks.*` settings the client reads (the server reads its own through workspace/configuration). */
import * as vscode from 'vscode';

export type RevealTerminal = 'always' | 'never';

export interface ClientSettings {
  engineHost: string;
  engineContext: string;
  registry: string;
  valuesFile: string;
  noPush: boolean;
  revealTerminal: RevealTerminal;
  taskFileGlobs: string[];
}

export function readSettings(scope?: vscode.Uri): ClientSettings {
  const config = vscode.workspace.getConfiguration('acrTasks', scope);
  const text = (key: string) => config.get<string>(key, '').trim();
  const reveal = config.get<string>('runs.revealTerminal', 'always');
  return {
    engineHost: text('engine.host'),
    engineContext: text('engine.context'),
    registry: text('registry'),
    valuesFile: text('valuesFile'),
    noPush: config.get<boolean>('build.noPush', false),
    revealTerminal: reveal === 'never' ? 'never' : 'always',
    taskFileGlobs: config.get<string[]>('taskFileGlobs', []).filter((glob) => typeof glob === 'string'),
  };
}

/** The engine part of a run request (host wins over context; both empty → the docker CLI's choice). */
export function engineParams(settings: ClientSettings): { engine?: string; engineContext?: string } {
  if (settings.engineHost) return { engine: settings.engineHost };
  if (settings.engineContext) return { engineContext: settings.engineContext };
  return {};
}
