/**
 * Cron timers of task definitions, on an injected clock (tests drive time by hand). Timers run only
 * while a watcher runs: the first fire time is the next one after the watcher starts, so times missed
 * while nothing was watching are not replayed — and after a long stall (a laptop asleep) a timer fires
 * once, not once per missed time.
 */
import { nextFireTime, parseCron, type CronSchedule } from '../../task/definitions/cron';

/** Time and timers, injectable. */
export interface Clock {
  now(): Date;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const SYSTEM_CLOCK: Clock = {
  now: () => new Date(),
  // Pending timers keep the process alive: a watcher is a long-running service; `stop()` clears them.
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/** Node's setTimeout limit; longer waits are re-armed. */
const MAX_DELAY_MS = 2 ** 31 - 1;

export interface TimerEntry {
  task: string;
  timer: string;
  cron: string;
}

interface ArmedTimer {
  entry: TimerEntry;
  schedule: CronSchedule;
  next: Date | undefined;
  handle: unknown;
}

export class ScheduleTimers {
  private readonly timers = new Map<string, ArmedTimer>();
  private stopped = false;

  constructor(
    private readonly clock: Clock,
    private readonly onFire: (entry: TimerEntry, scheduledAt: Date) => void,
  ) {}

  /** Replaces the timers; an unchanged timer keeps its next fire time. Invalid expressions are skipped. */
  set(entries: readonly TimerEntry[]): void {
    const wanted = new Map(entries.map((entry) => [keyOf(entry), entry]));
    for (const [key, armed] of this.timers) {
      if (wanted.get(key)?.cron !== armed.entry.cron) {
        this.clock.clearTimeout(armed.handle);
        this.timers.delete(key);
      }
    }
    for (const [key, entry] of wanted) {
      if (this.timers.has(key)) continue;
      const parsed = parseCron(entry.cron);
      if (!parsed.ok) continue;
      const armed: ArmedTimer = { entry, schedule: parsed.schedule, next: undefined, handle: undefined };
      this.timers.set(key, armed);
      this.arm(armed, nextFireTime(parsed.schedule, this.clock.now()));
    }
  }

  /** The next fire time of a timer (undefined: unknown timer, or it never fires). */
  next(task: string, timer: string): Date | undefined {
    return this.timers.get(keyOf({ task, timer }))?.next;
  }

  stop(): void {
    this.stopped = true;
    for (const armed of this.timers.values()) this.clock.clearTimeout(armed.handle);
    this.timers.clear();
  }

  private arm(armed: ArmedTimer, next: Date | undefined): void {
    armed.next = next;
    if (next === undefined || this.stopped) return;
    const delay = Math.max(0, next.getTime() - this.clock.now().getTime());
    armed.handle = this.clock.setTimeout(() => this.due(armed), Math.min(delay, MAX_DELAY_MS));
  }

  private due(armed: ArmedTimer): void {
    if (this.stopped || this.timers.get(keyOf(armed.entry)) !== armed || armed.next === undefined) return;
    const now = this.clock.now();
    const scheduled = armed.next;
    if (now.getTime() < scheduled.getTime()) {
      // Woken early (a capped long wait): wait for the rest.
      this.arm(armed, scheduled);
      return;
    }
    // The next time after now, not after the scheduled one: missed times are skipped, not replayed.
    this.arm(armed, nextFireTime(armed.schedule, now));
    this.onFire(armed.entry, scheduled);
  }
}

function keyOf(entry: { task: string; timer: string }): string {
  return `${entry.task}\u0000${entry.timer}`;
}
