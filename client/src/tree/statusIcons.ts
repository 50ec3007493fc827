/** One look for a status everywhere (Tasks view, Runs view): codicon and theme colour. */
import * as vscode from 'vscode';
import type { RunStatus } from '../../../server/src/protocol';
import type { LiveStepStatus } from '../runs/runModel';

const ICONS: Record<LiveStepStatus | RunStatus, [icon: string, colour?: string]> = {
  queued: ['circle-outline', 'disabledForeground'],
  running: ['sync~spin', 'charts.blue'],
  succeeded: ['pass', 'testing.iconPassed'],
  failed: ['error', 'testing.iconFailed'],
  cancelled: ['stop-circle', 'testing.iconSkipped'],
  timedOut: ['watch', 'testing.iconFailed'],
  skipped: ['circle-slash', 'disabledForeground'],
};

export function statusIcon(status: LiveStepStatus | RunStatus): vscode.ThemeIcon {
  const [icon, colour] = ICONS[status];
  return new vscode.ThemeIcon(icon, colour ? new vscode.ThemeColor(colour) : undefined);
}
