/**
 * Commit triggers (spec §10.1): the tracked branch of each task's context repository, checked on every
 * poll. The first look only records where the branch is (commits made while nothing watched are not
 * replayed); a branch that moves afterwards starts a run of its new commit with `$Commit`/`$Branch`.
 * The branch is the task's `branch`, else the one checked out in the context, else `master` (ACR's
 * default when the context URL names none).
 */
import type { CommitTriggerStateKind } from '../../protocol';
import { DEFAULT_COMMIT_BRANCH, type TaskDefinition } from '../../task/definitions/model';
import type { TriggerCause } from '../../task/triggers/triggerCause';
import { branchHead, currentBranch, exportCommit, isGitWorkTree } from './gitCheckout';
import { contextOf } from './taskLauncher';

export interface CommitTrackState {
  enabled: boolean;
  branch?: string;
  state: CommitTriggerStateKind;
  head?: string;
  message: string;
}

interface Tracked {
  context: string;
  configuredBranch?: string;
  state: CommitTrackState;
}

export class CommitTracker {
  private tracked = new Map<string, Tracked>();

  constructor(private readonly onCommit: (task: string, cause: Extract<TriggerCause, { kind: 'commit' }>) => void) {}

  /** Sets the tasks to track; a task whose context and branch did not change keeps its known head. */
  setTasks(tasks: readonly TaskDefinition[], definitionsFile: string): void {
    const next = new Map<string, Tracked>();
    for (const task of tasks) {
      const context = contextOf(task, definitionsFile);
      const enabled = task.triggers.commit.enabled;
      const previous = this.tracked.get(task.name);
      const configuredBranch = task.triggers.commit.branch;
      if (
        previous &&
        previous.context === context &&
        previous.configuredBranch === configuredBranch &&
        previous.state.enabled === enabled
      ) {
        next.set(task.name, previous);
        continue;
      }
      const state: CommitTrackState = enabled
        ? { enabled, state: 'inactive', message: 'not checked yet' }
        : { enabled, state: 'disabled', message: 'commit trigger disabled' };
      if (configuredBranch !== undefined) state.branch = configuredBranch;
      next.set(task.name, { context, ...(configuredBranch !== undefined ? { configuredBranch } : {}), state });
    }
    this.tracked = next;
  }

  state(task: string): CommitTrackState | undefined {
    return this.tracked.get(task)?.state;
  }

  /** Looks at every tracked branch; returns git problems by `git <context>`. */
  async check(signal: AbortSignal): Promise<Map<string, string>> {
    const problems = new Map<string, string>();
    for (const [task, tracked] of this.tracked) {
      const { state } = tracked;
      if (!state.enabled) continue;
      try {
        if (!(await isGitWorkTree(tracked.context, signal))) {
          Object.assign(state, { state: 'inactive', message: `${tracked.context} is not in a git repository` });
          continue;
        }
        state.branch ??= (await currentBranch(tracked.context, signal)) ?? DEFAULT_COMMIT_BRANCH;
        const head = await branchHead(tracked.context, state.branch, signal);
        if (head === undefined) {
          Object.assign(state, { state: 'inactive', message: `there is no branch ${state.branch}` });
          continue;
        }
        const previous = state.head;
        state.head = head;
        Object.assign(state, { state: 'watching', message: `watching ${state.branch} at ${head.slice(0, 12)}` });
        if (previous !== undefined && previous !== head) {
          this.onCommit(task, { kind: 'commit', commit: head, branch: state.branch, previous });
        }
      } catch (error) {
        if (signal.aborted) throw error;
        problems.set(`git ${tracked.context}`, error instanceof Error ? error.message : String(error));
      }
    }
    return problems;
  }

  /** The context of `definition` as of `commit`, in a temporary folder. */
  exportFor(definition: TaskDefinition, definitionsFile: string, commit: string, signal: AbortSignal) {
    return exportCommit(contextOf(definition, definitionsFile), commit, signal);
  }
}
