/** A clock for timer tests (unit and integration): time moves only when the test says. */
import type { Clock } from '../../../server/src/engine/triggers/ScheduleTimers';

/** A clock whose time moves only when told; due callbacks run in time order. */
export class FakeClock implements Clock {
  private time: number;
  private nextHandle = 1;
  private readonly pending = new Map<number, { at: number; callback: () => void }>();

  constructor(start: string) {
    this.time = Date.parse(start);
  }

  now(): Date {
    return new Date(this.time);
  }

  setTimeout(callback: () => void, ms: number): unknown {
    const handle = this.nextHandle++;
    this.pending.set(handle, { at: this.time + ms, callback });
    return handle;
  }

  clearTimeout(handle: unknown): void {
    this.pending.delete(handle as number);
  }

  /** Moves to `iso`, running every callback that falls due on the way (at its own time). */
  advanceTo(iso: string): void {
    const target = Date.parse(iso);
    for (;;) {
      const due = [...this.pending].filter(([, timer]) => timer.at <= target).sort(([, a], [, b]) => a.at - b.at)[0];
      if (!due) break;
      this.pending.delete(due[0]);
      this.time = Math.max(this.time, due[1].at);
      due[1].callback();
    }
    this.time = target;
  }

  /** Jumps to `iso` without running anything on the way (a machine asleep), then runs what is due. */
  sleepUntil(iso: string): void {
    this.time = Date.parse(iso);
    this.advanceTo(iso);
  }
}
