/**
 * Timers on an injected clock: they fire at their cron times (UTC), only while armed (times before the
 * start are not replayed), once after a stall, keep their next time when re-set unchanged, and stop.
 */
import { deepStrictEqual, strictEqual } from 'node:assert';

import { ScheduleTimers, type TimerEntry } from '../../../server/src/engine/triggers/ScheduleTimers';
import { FakeClock } from './fakeClock';

function timers(clock: FakeClock) {
  const fired: string[] = [];
  const schedule = new ScheduleTimers(clock, (entry: TimerEntry, at: Date) =>
    fired.push(`${entry.task}/${entry.timer}@${at.toISOString()}`),
  );
  return { fired, schedule };
}

describe('task timers on an injected clock', () => {
  it('fires at each cron time while armed, and not for times before it was armed', () => {
    const clock = new FakeClock('2024-01-01T00:03:30.000Z');
    const { fired, schedule } = timers(clock);
    schedule.set([{ task: 'app', timer: 'five', cron: '*/5 * * * *' }]);
    strictEqual(schedule.next('app', 'five')?.toISOString(), '2024-01-01T00:05:00.000Z');
    clock.advanceTo('2024-01-01T00:12:00.000Z');
    deepStrictEqual(fired, ['app/five@2024-01-01T00:05:00.000Z', 'app/five@2024-01-01T00:10:00.000Z']);
    strictEqual(schedule.next('app', 'five')?.toISOString(), '2024-01-01T00:15:00.000Z');
  });

  it('fires once after a stall and skips the missed times', () => {
    const clock = new FakeClock('2024-01-01T00:00:00.000Z');
    const { fired, schedule } = timers(clock);
    schedule.set([{ task: 'app', timer: 'minutely', cron: '* * * * *' }]);
    clock.sleepUntil('2024-01-01T00:30:20.000Z');
    deepStrictEqual(fired, ['app/minutely@2024-01-01T00:01:00.000Z']);
    strictEqual(schedule.next('app', 'minutely')?.toISOString(), '2024-01-01T00:31:00.000Z');
  });

  it('keeps an unchanged timer, re-arms a changed one, drops a removed one, and stops', () => {
    const clock = new FakeClock('2024-01-01T00:00:00.000Z');
    const { fired, schedule } = timers(clock);
    schedule.set([
      { task: 'a', timer: 't1', cron: '0 * * * *' },
      { task: 'b', timer: 't1', cron: '30 * * * *' },
    ]);
    clock.advanceTo('2024-01-01T00:10:00.000Z');
    schedule.set([
      { task: 'a', timer: 't1', cron: '0 * * * *' },
      { task: 'a', timer: 't2', cron: '15 0 * * *' },
    ]);
    strictEqual(schedule.next('b', 't1'), undefined);
    clock.advanceTo('2024-01-01T01:00:00.000Z');
    deepStrictEqual(fired, ['a/t2@2024-01-01T00:15:00.000Z', 'a/t1@2024-01-01T01:00:00.000Z']);
    schedule.stop();
    clock.advanceTo('2024-01-01T03:00:00.000Z');
    strictEqual(fired.length, 2);
  });

  it('waits longer than setTimeout allows by re-arming', () => {
    const clock = new FakeClock('2024-01-01T00:00:00.000Z');
    const { fired, schedule } = timers(clock);
    schedule.set([{ task: 'app', timer: 'yearly', cron: '0 0 1 1 *' }]);
    clock.advanceTo('2024-12-31T23:59:00.000Z');
    deepStrictEqual(fired, []);
    clock.advanceTo('2025-01-01T00:00:00.000Z');
    deepStrictEqual(fired, ['app/yearly@2025-01-01T00:00:00.000Z']);
  });
});
