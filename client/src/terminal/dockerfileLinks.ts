/**
 * Dockerfile errors in run terminals link to the line: `Dockerfile parse error line 3` (classic builder),
 * `dockerfile parse error on line 3` (BuildKit) and `path/Dockerfile:3` references. Relative names are
 * looked up in the contexts of this session's runs, newest first, since that is where the build read them.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { RunManager } from '../runs/RunManager';

interface DockerfileLink extends vscode.TerminalLink {
  file: string;
  line: number;
}

const PARSE_ERROR = /dockerfile parse error (?:on )?line (\d+)/gi;
const FILE_LINE = /((?:[\w.@~-]*[/\\])*[\w.-]*[Dd]ockerfile[\w.-]*):(\d+)\b/g;

export class DockerfileLinkProvider implements vscode.TerminalLinkProvider<DockerfileLink> {
  constructor(
    private readonly runs: RunManager,
    /** The Dockerfile of a Build Context run, when the run was one. */
    private readonly buildDockerfileOf: (runId: string) => string | undefined,
  ) {}

  provideTerminalLinks(context: vscode.TerminalLinkContext): DockerfileLink[] {
    const links: DockerfileLink[] = [];
    for (const match of context.line.matchAll(PARSE_ERROR)) {
      const file = this.resolve('Dockerfile', true);
      if (file) links.push(this.link(match, file, Number(match[1])));
    }
    for (const match of context.line.matchAll(FILE_LINE)) {
      const [, name = '', line] = match;
      const file = this.resolve(name, false);
      if (file) links.push(this.link(match, file, Number(line)));
    }
    return links;
  }

  async handleTerminalLink(link: DockerfileLink): Promise<void> {
    const position = new vscode.Position(Math.max(0, link.line - 1), 0);
    await vscode.window.showTextDocument(vscode.Uri.file(link.file), {
      selection: new vscode.Range(position, position),
    });
  }

  private link(match: RegExpMatchArray, file: string, line: number): DockerfileLink {
    return {
      startIndex: match.index ?? 0,
      length: match[0].length,
      tooltip: `Open ${path.basename(file)} at line ${line}`,
      file,
      line,
    };
  }

  /** An existing Dockerfile for the name: absolute, or in a recent run's context (a build's own first). */
  private resolve(name: string, preferBuildDockerfile: boolean): string | undefined {
    if (path.isAbsolute(name)) return fs.existsSync(name) ? name : undefined;
    const recent = this.runs.all().sort((a, b) => b.startedAt - a.startedAt);
    for (const run of recent) {
      const dockerfile = preferBuildDockerfile ? this.buildDockerfileOf(run.runId) : undefined;
      if (dockerfile) return dockerfile;
      if (run.context === '') continue;
      const candidate = path.resolve(run.context, name);
      if (fs.existsSync(candidate)) return candidate;
    }
    return undefined;
  }
}
