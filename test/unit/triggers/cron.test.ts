/**
 * Task timers (spec §10.1): 5-field NCronTab expressions in UTC, next fire times with NCronTab's
 * day-of-month AND day-of-week rule, and `--schedule "[name:]cron"` flags.
 */
import { deepStrictEqual, strictEqual } from 'node:assert';

import {
  nextFireTime,
  parseCron,
  splitScheduleFlag,
  unnamedTimerName,
} from '../../../server/src/task/definitions/cron';

function next(expression: string, after: string): string | undefined {
  const parsed = parseCron(expression);
  if (!parsed.ok) throw new Error(parsed.error);
  return nextFireTime(parsed.schedule, new Date(after))?.toISOString();
}

describe('task timers: cron expressions (§10.1)', () => {
  const fireTimes: [string, string, string | undefined][] = [
    // expression, after (UTC), next fire time (UTC)
    ['* * * * *', '2024-01-01T00:00:00.000Z', '2024-01-01T00:01:00.000Z'],
    ['* * * * *', '2024-01-01T00:00:30.000Z', '2024-01-01T00:01:00.000Z'],
    ['0 2 * * *', '2024-01-01T02:00:00.000Z', '2024-01-02T02:00:00.000Z'],
    ['0 2 * * *', '2024-01-01T01:59:59.999Z', '2024-01-01T02:00:00.000Z'],
    ['*/15 * * * *', '2024-01-01T00:16:00.000Z', '2024-01-01T00:30:00.000Z'],
    ['30 9 * * MON-FRI', '2024-01-06T00:00:00.000Z', '2024-01-08T09:30:00.000Z'], // Sat → Mon
    ['0 0 1 jan *', '2024-03-01T00:00:00.000Z', '2025-01-01T00:00:00.000Z'],
    ['0 12 * */2 Mon', '2000-01-01T00:00:00.000Z', '2000-01-03T12:00:00.000Z'], // NCrontab README example
    ['0 0 29 2 *', '2023-03-01T00:00:00.000Z', '2024-02-29T00:00:00.000Z'],
    // Both day fields restricted: NCronTab needs both (Friday the 13th), Vixie cron either.
    ['0 0 13 * 5', '2024-01-01T00:00:00.000Z', '2024-09-13T00:00:00.000Z'],
    ['0 0 29 2 1', '2024-03-01T00:00:00.000Z', '2044-02-29T00:00:00.000Z'], // 20 years away
    ['5,10 1-2 * * sun', '2024-01-07T01:10:00.000Z', '2024-01-07T02:05:00.000Z'],
  ];
  for (const [expression, after, expected] of fireTimes) {
    it(`${expression} after ${after} → ${expected ?? 'never'}`, () => {
      strictEqual(next(expression, after), expected);
    });
  }

  const invalid: [string, RegExp][] = [
    ['* * * *', /has 5 fields .* got 4/],
    ['0 * * * * *', /has 5 fields .* got 6/],
    ['@daily', /has 5 fields .* got 1/],
    ['60 * * * *', /invalid schedule `60 \* \* \* \*`: Constraint error/],
    ['0 0 31 4,6 *', /Invalid explicit day of month/], // there is no 31 April or June
    ['0 0 L * *', /day-of-month field `L` cannot hold names/],
    ['0 0 ? * *', /day-of-month field `\?` may only hold/],
    ['0 0 * * 7', /day-of-week field `7` allows 0-6/],
    ['0 0 * * MON#2', /day-of-week field `MON#2` may only hold/],
    ['0 0 * foo *', /`foo` is not a month name/],
    ['0 0 * * funday', /`funday` is not a weekday name/],
  ];
  for (const [expression, message] of invalid) {
    it(`rejects ${expression}`, () => {
      const parsed = parseCron(expression);
      strictEqual(parsed.ok, false);
      if (!parsed.ok) {
        strictEqual(message.test(parsed.error), true, parsed.error);
      }
    });
  }

  it('normalises the spacing of an expression', () => {
    const parsed = parseCron('  0   2 * *\t* ');
    deepStrictEqual(parsed.ok && parsed.schedule.expression, '0 2 * * *');
  });

  it('splits --schedule flags into name and cron, and names unnamed timers t1, t2, …', () => {
    deepStrictEqual(splitScheduleFlag('nightly:0 2 * * *'), { name: 'nightly', cron: '0 2 * * *' });
    deepStrictEqual(splitScheduleFlag('0 2 * * *'), { cron: '0 2 * * *' });
    strictEqual(unnamedTimerName(new Set()), 't1');
    strictEqual(unnamedTimerName(new Set(['t1', 't3'])), 't2');
  });
});
