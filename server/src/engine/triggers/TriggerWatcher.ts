/**
 * Runs the triggers of one definitions file until stopped — the headless `watch` command and the
 * editor's background watcher are both this class:
 *
 * - base-image updates: every poll reads what each armed task built on from the run history, asks the
 *   registries (or the engine, for engine-only images) what those references are now, and runs every
 *   task whose runtime base changed (all bases with type All). A finished run checks again at once, so
 *   cascades follow without waiting a poll; loops stop after one round (see baseImageTriggers.ts).
 * - commits: a new commit on the tracked branch of the context's repository runs the task on an
 *   export of that commit, with `$Commit`/`$Branch`.
 * - timers: cron timers fire while the watcher runs; missed times are not replayed.
 *
 * A task runs at most once at a time; a trigger that comes while it runs is queued (the latest one).
 * Problems (a registry that stops answering, git errors) are reported once when they start and once
 * when they end, and never stop the watcher.
 */
import type { RunEvent, WatcherEvent } from '../../protocol';
import type { TaskDefinition } from '../../task/definitions/model';
import {
  decideBaseImageTriggers,
  referencesToProbe,
  type TaskBaseImageState,
} from '../../task/triggers/baseImageTriggers';
import { describeTriggerCause, triggerName, type TriggerCause } from '../../task/triggers/triggerCause';
import type { ContainerRuntime, RegistryAuth } from '../ContainerRuntime';
import { registryHostOfImage } from '../registryAuth';
import type { RunResult } from '../run/runTask';
import type { RunStore } from '../runStore/RunStore';
import { observationKey, probeBaseImages } from './baseImageProbe';
import { CommitTracker } from './CommitTracker';
import { readDefinitionsFile, type DefinitionsFile } from './definitionsFile';
import { RegistryClient } from './registryClient';
import { ScheduleTimers, SYSTEM_CLOCK, type Clock } from './ScheduleTimers';
import { runDefinedTask } from './taskLauncher';
import { baseImageStates, producedImages, runsByTask, type Acknowledgement } from './watcherState';
import { lastRunsOf, triggerStates, type LastRun } from './triggerStates';

export const DEFAULT_POLL_SECONDS = 60;
const PULL_TIMEOUT_MS = 10 * 60_000;

export interface TriggerWatcherOptions {
  /** Folder holding the definitions file. */
  folder: string;
  runtime: ContainerRuntime;
  store: RunStore;
  /** Credentials for a registry host: the same lookup runs use for pushes. */
  resolveRegistryAuth: (host: string, signal: AbortSignal) => Promise<RegistryAuth | undefined>;
  /** Seconds between checks of base images and branches; default 60. */
  pollSeconds?: number;
  clock?: Clock;
  registryClient?: RegistryClient;
  onEvent?: (event: WatcherEvent) => void;
  /** Every event of the runs the watcher starts (already masked). */
  onRunEvent?: (event: RunEvent) => void;
  /** Something shown by {@link TriggerWatcher.state} changed. */
  onStateChanged?: () => void;
  /** Only {@link TriggerWatcher.runNow}: no polling, timers or branch tracking (the editor with triggers off). */
  manualOnly?: boolean;
}

interface ActiveRun {
  controller: AbortController;
  runId?: string;
  finished: Promise<RunResult | undefined>;
}

export class TriggerWatcher {
  private definitions: DefinitionsFile | undefined;
  private readonly active = new Map<string, ActiveRun>();
  private readonly queued = new Map<string, { cause: TriggerCause; set?: string[] }>();
  private readonly acknowledgements: Acknowledgement[] = [];
  private readonly problems = new Map<string, string>();
  private readonly commits: CommitTracker;
  private readonly timers: ScheduleTimers;
  private readonly registry: RegistryClient;
  private readonly clock: Clock;
  private readonly lifetime = new AbortController();
  private baseStates = new Map<string, TaskBaseImageState>();
  private observationErrors = new Map<string, string>();
  private lastRuns = new Map<string, LastRun>();
  private checking: Promise<void> | undefined;
  private checkAgain = false;
  private pollHandle: unknown;
  private stopping = false;

  constructor(private readonly options: TriggerWatcherOptions) {
    this.clock = options.clock ?? SYSTEM_CLOCK;
    this.registry =
      options.registryClient ??
      new RegistryClient({ credentials: (host, signal) => options.resolveRegistryAuth(host, signal) });
    this.timers = new ScheduleTimers(this.clock, (entry, scheduledAt) => {
      this.trigger(entry.task, {
        kind: 'schedule',
        timer: entry.timer,
        cron: entry.cron,
        scheduledAt: scheduledAt.toISOString(),
      });
    });
    this.commits = new CommitTracker((task, cause) => this.trigger(task, cause));
  }

  get pollSeconds(): number {
    return this.options.pollSeconds ?? DEFAULT_POLL_SECONDS;
  }

  /** Absolute path of the definitions file. */
  get definitionsFile(): string | undefined {
    return this.definitions?.path;
  }

  /** Reads the definitions, arms timers and branches, checks once, then keeps polling. */
  async start(): Promise<void> {
    await this.reloadDefinitions(true);
    this.emit({
      type: 'started',
      definitionsFile: this.definitions?.path ?? '',
      tasks: this.definitions?.parsed.tasks.length ?? 0,
      pollSeconds: this.pollSeconds,
    });
    await this.check();
    this.schedulePoll();
  }

  /** Checks base images and branches now (a running check is followed by one more). */
  check(): Promise<void> {
    if (this.stopping) return Promise.resolve();
    if (this.checking) {
      this.checkAgain = true;
      return this.checking;
    }
    this.checking = (async () => {
      do {
        this.checkAgain = false;
        await this.checkOnce().catch((error: unknown) => this.problem('watcher', errorText(error)));
      } while (this.checkAgain && !this.stopping);
    })().finally(() => {
      this.checking = undefined;
    });
    return this.checking;
  }

  /** Runs a defined task now (`task run`); resolves with its run id once it started. */
  async runNow(task: string, set: string[] = []): Promise<string> {
    await this.reloadDefinitions();
    const definition = this.definitions?.parsed.tasks.find((candidate) => candidate.name === task);
    if (!definition) throw new Error(`no task named ${task} in ${this.definitions?.path ?? 'the definitions file'}`);
    if (this.active.has(task))
      throw new Error(`task ${task} is already running (run ${this.active.get(task)?.runId ?? ''})`);
    const started = new Promise<string>((resolve, reject) => {
      this.launch(definition, { kind: 'manual' }, set, resolve, reject);
    });
    return started;
  }

  /** Cancels a run this watcher started; false when it is not one of its active runs. */
  cancel(runId: string): boolean {
    const run = [...this.active.values()].find((candidate) => candidate.runId === runId);
    run?.controller.abort();
    return run !== undefined;
  }

  /** The tasks and their triggers, for the Tasks view. */
  state() {
    return triggerStates({
      definitions: this.definitions,
      baseStates: this.baseStates,
      observationErrors: this.observationErrors,
      commits: this.commits,
      timers: this.timers,
      active: new Map([...this.active].map(([task, run]) => [task, run.runId])),
      lastRuns: this.lastRuns,
    });
  }

  /** Stops watching; running tasks finish, or are cancelled (and cleaned up) with `cancel`. */
  async stop(mode: 'finish' | 'cancel' = 'finish'): Promise<void> {
    if (!this.stopping) {
      this.stopping = true;
      this.clock.clearTimeout(this.pollHandle);
      this.timers.stop();
      this.queued.clear();
      this.emit({ type: 'stopping', running: this.active.size, mode });
    }
    if (mode === 'cancel') for (const run of this.active.values()) run.controller.abort();
    await this.checking;
    await Promise.allSettled([...this.active.values()].map((run) => run.finished));
    this.lifetime.abort();
    this.emit({ type: 'stopped' });
  }

  private schedulePoll(): void {
    if (this.stopping) return;
    this.pollHandle = this.clock.setTimeout(() => {
      void this.check().finally(() => this.schedulePoll());
    }, this.pollSeconds * 1000);
  }

  private async reloadDefinitions(first = false): Promise<void> {
    const read = await readDefinitionsFile(this.options.folder);
    if (!first && this.definitions && read.text === this.definitions.text) return;
    this.definitions = read;
    if (this.options.manualOnly) return;
    const problems = read.parsed.diagnostics
      .filter((problem) => problem.severity === 'error')
      .map((problem) => `${problem.message}`);
    if (problems.length > 0) this.emit({ type: 'definitionsProblems', definitionsFile: read.path, problems });
    const enabled = read.parsed.tasks.filter((task) => task.status === 'Enabled');
    this.timers.set(
      enabled.flatMap((task) =>
        task.triggers.schedules.map((schedule) => ({ task: task.name, timer: schedule.name, cron: schedule.cron })),
      ),
    );
    this.commits.setTasks(enabled, read.path);
    this.options.onStateChanged?.();
  }

  private async checkOnce(): Promise<void> {
    await this.reloadDefinitions();
    const definitions = this.definitions;
    if (!definitions) return;
    const signal = this.lifetime.signal;
    const history = runsByTask(await this.options.store.list(), definitions.path);
    this.lastRuns = lastRunsOf(history);
    this.baseStates = baseImageStates(definitions.parsed.tasks, history, this.acknowledgements);
    const states = [...this.baseStates.values()];
    const probe = await probeBaseImages(
      referencesToProbe(states),
      { registry: this.registry, runtime: this.options.runtime },
      signal,
    );
    this.observationErrors = new Map(
      [...probe.observations].flatMap(([key, observation]) =>
        'error' in observation ? [[key, observation.error]] : [],
      ),
    );
    this.updateProblems('registry ', probe.problems);
    this.updateProblems('engine', probe.problems);
    const decisions = decideBaseImageTriggers(
      states,
      (reference, source) => probe.observations.get(observationKey(reference, source)),
      producedImages(history),
    );
    const now = this.clock.now().getTime();
    // Old acknowledgements are superseded by the runs they led to; keep the list short.
    this.acknowledgements.splice(0, Math.max(0, this.acknowledgements.length - 500));
    for (const stopped of decisions.loopsStopped) {
      this.acknowledgements.push({ task: stopped.task, changes: [stopped.change], at: now });
      this.emit({ type: 'loopStopped', task: stopped.task, reference: stopped.change.reference, chain: stopped.chain });
    }
    for (const decision of decisions.triggers) {
      this.acknowledgements.push({ task: decision.task, changes: decision.cause.changes, at: now });
      this.trigger(decision.task, decision.cause);
    }
    const gitProblems = await this.commits.check(signal);
    this.updateProblems('git ', gitProblems);
    this.options.onStateChanged?.();
  }

  /** Reports problems of one kind (key prefix) that began, changed or ended. */
  private updateProblems(prefix: string, current: ReadonlyMap<string, string>): void {
    for (const [key, message] of current) {
      if (!key.startsWith(prefix)) continue;
      if (this.problems.get(key) !== message) this.problem(key, message);
    }
    for (const key of [...this.problems.keys()]) {
      if (key.startsWith(prefix) && !current.has(key)) {
        this.problems.delete(key);
        this.emit({ type: 'recovered', key, message: `${key} answers again` });
      }
    }
  }

  private problem(key: string, message: string): void {
    this.problems.set(key, message);
    this.emit({ type: 'problem', key, message });
  }

  private trigger(task: string, cause: TriggerCause): void {
    if (this.stopping) return;
    const definition = this.definitions?.parsed.tasks.find((candidate) => candidate.name === task);
    if (!definition || definition.status !== 'Enabled') return;
    const queued = this.active.has(task);
    this.emit({ type: 'triggered', task, trigger: triggerName(cause), reason: describeTriggerCause(cause), queued });
    if (queued) this.queued.set(task, { cause });
    else this.launch(definition, cause, []);
  }

  private launch(
    definition: TaskDefinition,
    cause: TriggerCause,
    set: string[],
    onStarted?: (runId: string) => void,
    onNotStarted?: (error: Error) => void,
  ): void {
    const controller = new AbortController();
    const run: ActiveRun = { controller, finished: Promise.resolve(undefined) };
    this.active.set(definition.name, run);
    run.finished = this.execute(definition, cause, set, run, onStarted, onNotStarted).finally(() => {
      this.active.delete(definition.name);
      const next = this.queued.get(definition.name);
      this.queued.delete(definition.name);
      if (next && !this.stopping) this.launch(definition, next.cause, next.set ?? []);
      // A finished run may have pushed a base image of another task: look now, not at the next poll.
      if (!this.options.manualOnly) void this.check();
    });
  }

  private async execute(
    definition: TaskDefinition,
    cause: TriggerCause,
    set: string[],
    run: ActiveRun,
    onStarted?: (runId: string) => void,
    onNotStarted?: (error: Error) => void,
  ): Promise<RunResult | undefined> {
    const trigger = triggerName(cause);
    const reason = describeTriggerCause(cause);
    const definitionsFile = this.definitions?.path ?? '';
    let exported: { path: string; dispose: () => Promise<void> } | undefined;
    try {
      if (cause.kind === 'commit')
        exported = await this.commits.exportFor(definition, definitionsFile, cause.commit, run.controller.signal);
      if (cause.kind === 'baseImage') await this.pullChangedBases(cause, run.controller.signal);
      const input = { definition, definitionsFile, cause, extraSet: set };
      const result = await runDefinedTask(exported ? { ...input, contextOverride: exported.path } : input, {
        runtime: this.options.runtime,
        store: this.options.store,
        signal: run.controller.signal,
        resolveRegistryAuth: (host, signal) => this.options.resolveRegistryAuth(host, signal),
        onEvent: (event) => {
          if (event.type === 'runStarted') {
            run.runId = event.runId;
            this.emit({ type: 'runStarted', task: definition.name, runId: event.runId, trigger, reason });
            onStarted?.(event.runId);
            this.options.onStateChanged?.();
          }
          this.options.onRunEvent?.(event);
        },
      });
      this.emit({
        type: 'runFinished',
        task: definition.name,
        runId: result.runId,
        trigger,
        status: result.status,
        reason,
        ...(result.error === undefined ? {} : { error: result.error }),
      });
      return result;
    } catch (error) {
      this.emit({ type: 'runNotStarted', task: definition.name, trigger, error: errorText(error) });
      onNotStarted?.(error instanceof Error ? error : new Error(errorText(error)));
      return undefined;
    } finally {
      await exported?.dispose().catch(() => undefined);
    }
  }

  /**
   * ACR builds on a fresh agent, so a triggered build always sees the new base; the local engine keeps
   * the old image under the tag until it is pulled, so the changed registry bases are pulled first.
   */
  private async pullChangedBases(
    cause: Extract<TriggerCause, { kind: 'baseImage' }>,
    signal: AbortSignal,
  ): Promise<void> {
    for (const change of cause.changes) {
      if (change.new.source !== 'registry') continue;
      const limit = AbortSignal.any([signal, AbortSignal.timeout(PULL_TIMEOUT_MS)]);
      try {
        const auth = await this.options.resolveRegistryAuth(registryHostOfImage(change.reference), limit);
        await this.options.runtime.pullImage(change.reference, auth, limit, () => undefined);
        if (this.problems.delete(`pull ${change.reference}`))
          this.emit({ type: 'recovered', key: `pull ${change.reference}`, message: `pulled ${change.reference}` });
      } catch (error) {
        if (signal.aborted) throw error;
        this.problem(
          `pull ${change.reference}`,
          `cannot pull the new ${change.reference}; the run may build on the old one: ${errorText(error)}`,
        );
      }
    }
  }

  private emit(event: WatcherEvent): void {
    this.options.onEvent?.(event);
  }
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
