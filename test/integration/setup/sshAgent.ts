import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { findExecutable, isRunning, runTool, startBackground, stopProcess, waitFor } from './processes';

/** An ssh-agent holding some keys, reachable at `socketPath` (the value for `SSH_AUTH_SOCK`). */
export interface RunningSshAgent {
  readonly socketPath: string;
  readonly pid: number;
  stop(): Promise<void>;
}

/**
 * Starts `ssh-agent -D -a <dir>/agent.sock` and adds `keyFiles` to it. In the foreground (-D) the agent is
 * this run's child, in its process group: a Ctrl-C in the terminal ends it too, where a daemonized agent
 * would outlive an interrupted run. The caller stops it (an `after` hook).
 */
export async function startSshAgent(dir: string, keyFiles: readonly string[]): Promise<RunningSshAgent> {
  const socketPath = path.join(dir, 'agent.sock');
  const agent = await startBackground(findExecutable('ssh-agent', 'openssh-client'), ['-D', '-a', socketPath], {
    logFile: path.join(dir, 'ssh-agent.log'),
    detached: false,
  });
  const stop = async (): Promise<void> => {
    if (isRunning(agent.pid, 'ssh-agent')) await stopProcess(agent.pid, 10_000);
  };
  try {
    // The agent binds its socket before it serves; the file appearing is the event.
    await waitFor(
      `ssh-agent to listen on ${socketPath}`,
      () => Promise.resolve(existsSync(socketPath) ? true : undefined),
      { timeoutMs: 10_000, process: agent },
    );
    await runTool(findExecutable('ssh-add', 'openssh-client'), ['-q', ...keyFiles], {
      env: { SSH_AUTH_SOCK: socketPath },
    });
  } catch (error) {
    await stop();
    throw error;
  }
  return { socketPath, pid: agent.pid, stop };
}
