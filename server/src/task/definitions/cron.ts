/**
 * ACR task timers (spec §10.1): 5-field cron expressions (minute hour day-of-month month day-of-week),
 * UTC, in NCronTab syntax — `*`, ranges `a-b`, lists `a,b`, steps `*\/n` and `a-b/n`, month and weekday
 * names — with no seconds or year field, so a timer fires at most once a minute.
 *
 * cron-parser reads the fields (names, ranges, steps, bounds). The next fire time is computed here,
 * because NCronTab, which ACR uses, requires day-of-month AND day-of-week to match when both are
 * restricted, where Vixie cron (and cron-parser) accept either.
 */
import { CronExpressionParser } from 'cron-parser';

/** The fields of a valid expression as sorted value sets (day-of-week 0 = Sunday). */
export interface CronSchedule {
  expression: string;
  minutes: readonly number[];
  hours: readonly number[];
  daysOfMonth: readonly number[];
  months: readonly number[];
  daysOfWeek: readonly number[];
}

export type CronParse = { ok: true; schedule: CronSchedule } | { ok: false; error: string };

const FIELD_NAMES = ['minute', 'hour', 'day-of-month', 'month', 'day-of-week'] as const;
const MONTH_NAMES = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const DAY_NAMES = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

/** NCronTab's characters only: no `?`, `L`, `W`, `#`, `H` or `@` shortcuts. */
function fieldProblem(field: string, index: number): string | undefined {
  const name = FIELD_NAMES[index];
  if (!/^[0-9A-Za-z*,/-]+$/.test(field))
    return `the ${name} field \`${field}\` may only hold digits, names, * , - and /`;
  const words = field.match(/[A-Za-z]+/g) ?? [];
  const names = index === 3 ? MONTH_NAMES : index === 4 ? DAY_NAMES : [];
  const unknown = words.find((word) => !names.includes(word.toLowerCase()));
  if (unknown !== undefined) {
    return names.length === 0
      ? `the ${name} field \`${field}\` cannot hold names`
      : `\`${unknown}\` is not a ${index === 3 ? 'month' : 'weekday'} name (use ${names.slice(0, 3).join(', ')}, …)`;
  }
  // NCronTab's day-of-week range is 0-6 (Sunday = 0); 7 is a Vixie-cron extension.
  if (index === 4 && (field.replace(/\/\d+/g, '').match(/\d+/g) ?? []).some((digits) => Number(digits) > 6))
    return `the day-of-week field \`${field}\` allows 0-6 (Sunday = 0) or SUN-SAT`;
  return undefined;
}

function numbers(values: readonly (number | string)[]): number[] {
  return [...new Set(values.map(Number))].filter((value) => Number.isInteger(value)).sort((a, b) => a - b);
}

/** Checks and compiles a 5-field expression; bad input becomes an error message, never an exception. */
export function parseCron(expression: string): CronParse {
  const text = expression.trim();
  const fields = text.split(/\s+/).filter((field) => field !== '');
  if (fields.length !== 5) {
    return {
      ok: false,
      error: `a schedule has 5 fields (minute hour day-of-month month day-of-week, UTC), got ${fields.length}: \`${text}\``,
    };
  }
  for (const [index, field] of fields.entries()) {
    const problem = fieldProblem(field, index);
    if (problem !== undefined) return { ok: false, error: problem };
  }
  let parsed;
  try {
    parsed = CronExpressionParser.parse(`0 ${fields.join(' ')}`, { tz: 'UTC' });
  } catch (error) {
    return {
      ok: false,
      error: `invalid schedule \`${text}\`: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
  const { fields: parsedFields } = parsed;
  return {
    ok: true,
    schedule: {
      expression: fields.join(' '),
      minutes: numbers(parsedFields.minute.values),
      hours: numbers(parsedFields.hour.values),
      daysOfMonth: numbers(parsedFields.dayOfMonth.values),
      months: numbers(parsedFields.month.values),
      daysOfWeek: numbers(parsedFields.dayOfWeek.values.map((day) => (Number(day) === 7 ? 0 : day))),
    },
  };
}

const MINUTE_MS = 60_000;
const DAY_MS = 24 * 60 * MINUTE_MS;
/** How far ahead to look; `0 0 29 2 MON` can be 28 years away, `0 0 30 2 *` never comes. */
const SEARCH_DAYS = 366 * 29;

/**
 * The first fire time strictly after `after` (NCronTab's GetNextOccurrence), or undefined when the
 * expression never fires (e.g. 30 February).
 */
export function nextFireTime(schedule: CronSchedule, after: Date): Date | undefined {
  const afterMs = after.getTime();
  const startOfDay = Math.floor(afterMs / DAY_MS) * DAY_MS;
  const months = new Set(schedule.months);
  const daysOfMonth = new Set(schedule.daysOfMonth);
  const daysOfWeek = new Set(schedule.daysOfWeek);
  for (let day = 0; day < SEARCH_DAYS; day++) {
    const dayStart = startOfDay + day * DAY_MS;
    const date = new Date(dayStart);
    if (!months.has(date.getUTCMonth() + 1)) continue;
    if (!daysOfMonth.has(date.getUTCDate()) || !daysOfWeek.has(date.getUTCDay())) continue;
    for (const hour of schedule.hours) {
      for (const minute of schedule.minutes) {
        const candidate = dayStart + hour * 60 * MINUTE_MS + minute * MINUTE_MS;
        if (candidate > afterMs) return new Date(candidate);
      }
    }
  }
  return undefined;
}

/** `--schedule "[name:]cron"`: the name is the text before the first `:` (cron text has none). */
export function splitScheduleFlag(text: string): { name?: string; cron: string } {
  const colon = text.indexOf(':');
  if (colon < 0) return { cron: text.trim() };
  return { name: text.slice(0, colon).trim(), cron: text.slice(colon + 1).trim() };
}

/** ACR's names for unnamed timers: `t1`, `t2`, … — the first ones not taken. */
export function unnamedTimerName(taken: ReadonlySet<string>): string {
  for (let index = 1; ; index++) {
    const name = `t${index}`;
    if (!taken.has(name)) return name;
  }
}
