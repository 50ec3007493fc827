/**
 * Build Context (`az acr build` locally): on a Dockerfile (explorer, editor title) the context is its
 * folder; on a folder, the folder with its `Dockerfile`. The image name is asked for, prefilled with the
 * last one used for that Dockerfile (or `<folder>:{{.Run.ID}}`), and the build runs in a terminal.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { BUILD_RUN_TYPE, type BuildRunDefinition } from '../runs/RunLauncher';
import { isDockerfileName } from '../taskFiles';
import { ensureTrusted, reportError, type CommandContext } from './CommandContext';

/** Options for programmatic use (tests, keybindings); given tags skip the prompt. */
export interface BuildContextOptions {
  tags?: string[];
  buildArgs?: string[];
  platform?: string;
  target?: string;
  noPush?: boolean;
}

const LAST_TAGS_KEY = 'acrTasks.buildTags';

async function dockerfileTarget(argument: unknown): Promise<vscode.Uri | undefined> {
  if (argument instanceof vscode.Uri) return argument;
  const active = vscode.window.activeTextEditor?.document.uri;
  if (active?.scheme === 'file' && isDockerfileName(active.fsPath)) return active;
  const found = await vscode.workspace.findFiles(
    '**/{Dockerfile,Dockerfile.*,*.Dockerfile,*.dockerfile}',
    '**/node_modules/**',
    200,
  );
  if (found.length === 1) return found[0];
  const picked = await vscode.window.showQuickPick(
    found.map((uri) => ({ label: vscode.workspace.asRelativePath(uri), uri })),
    { title: 'Dockerfile to build' },
  );
  return picked?.uri;
}

/** Context folder and Dockerfile for the target (a Dockerfile or a folder). */
function contextOf(target: vscode.Uri): { context: string; dockerfile: string } {
  const isFolder = fs.statSync(target.fsPath).isDirectory();
  if (!isFolder) return { context: path.dirname(target.fsPath), dockerfile: target.fsPath };
  const dockerfile = path.join(target.fsPath, 'Dockerfile');
  if (!fs.existsSync(dockerfile)) throw new Error(`${vscode.workspace.asRelativePath(target)} has no Dockerfile`);
  return { context: target.fsPath, dockerfile };
}

export async function buildContext(
  ctx: CommandContext,
  argument?: unknown,
  _selection?: unknown,
  rawOptions?: unknown,
): Promise<string | undefined> {
  const options = typeof rawOptions === 'object' && rawOptions !== null ? (rawOptions as BuildContextOptions) : {};
  if (!ensureTrusted('Build Context')) return undefined;
  try {
    const target = await dockerfileTarget(argument);
    if (!target) return undefined;
    const { context, dockerfile } = contextOf(target);
    let tags = options.tags;
    if (!tags) {
      const remembered = ctx.extension.workspaceState.get<Record<string, string>>(LAST_TAGS_KEY) ?? {};
      const suggestion =
        remembered[dockerfile] ??
        `${path
          .basename(context)
          .toLowerCase()
          .replace(/[^a-z0-9._-]/g, '-')}:{{.Run.ID}}`;
      const answer = await vscode.window.showInputBox({
        title: `Build ${vscode.workspace.asRelativePath(dockerfile)}`,
        prompt:
          'Image names, separated by spaces; prefixed with acrTasks.registry like `az acr build -t`. Empty: build without a name.',
        value: suggestion,
      });
      if (answer === undefined) return undefined;
      tags = answer.split(/\s+/).filter((tag) => tag !== '');
      await ctx.extension.workspaceState.update(LAST_TAGS_KEY, { ...remembered, [dockerfile]: answer });
    }
    const definition: BuildRunDefinition = { type: BUILD_RUN_TYPE, context, dockerfile, tags };
    if (options.buildArgs) definition.buildArgs = options.buildArgs;
    if (options.platform) definition.platform = options.platform;
    if (options.target) definition.target = options.target;
    if (options.noPush !== undefined) definition.noPush = options.noPush;
    return await ctx.launcher.runBuild(definition);
  } catch (error) {
    reportError('Build Context', error);
    return undefined;
  }
}
