/** Sprig v2.22 date functions (date.go) and the time.Time methods templates can call. */
import {
  DAYS,
  formatGoTime,
  goDurationString,
  MONTHS,
  goTimeString,
  isKnownZone,
  parseGoDuration,
  zeroGoTime,
} from '../gotime';
import { type GoTime, type GoValue, Typed, goTime, int64, kindOf, numberOf } from '../values';
import { type CallEnv, type FuncSpec, spec } from './types';

const asTime = (v: GoValue): GoTime => (v as Typed).value as GoTime;
const isTime = (v: GoValue): boolean => v instanceof Typed && v.type === 'time.Time';

/** The time a date function works on: a time.Time, Unix seconds (int/int64/int32), else now. */
function timeOf(date: GoValue, env: CallEnv): GoTime {
  if (isTime(date)) return asTime(date);
  if (
    kindOf(date) === 'int' &&
    (typeof date === 'number' || (date instanceof Typed && /^int(32|64)?$/.test(date.type)))
  ) {
    return { ms: numberOf(date) * 1000, extraNanos: 0, zone: 'Local' };
  }
  return env.now();
}

function inZone(t: GoTime, zone: string): GoTime {
  return { ...t, zone: isKnownZone(zone) ? zone : 'UTC', monotonic: false, fixedOffsetSeconds: undefined };
}

function addNanos(t: GoTime, nanos: number): GoTime {
  const total = t.extraNanos + (nanos % 1e6);
  const ms = t.ms + Math.trunc(nanos / 1e6) + Math.floor(total / 1e6);
  return { ...t, ms, extraNanos: ((total % 1e6) + 1e6) % 1e6 };
}

/** time.ParseInLocation for the common layout elements; undefined when the value does not fit. */
export function parseGoTime(layout: string, value: string): GoTime | undefined {
  const f = {
    year: 1,
    month: 1,
    day: 1,
    hour: 0,
    minute: 0,
    second: 0,
    nanos: 0,
    pm: undefined as boolean | undefined,
    offset: 0,
  };
  let v = value;
  let i = 0;
  const num = (min: number, max: number): number | undefined => {
    const m = new RegExp(`^[0-9]{${min},${max}}`).exec(v);
    if (!m) return undefined;
    v = v.slice(m[0].length);
    return Number(m[0]);
  };
  const word = (list: string[], short: boolean): number | undefined => {
    const idx = list.findIndex((w) => v.toLowerCase().startsWith((short ? w.slice(0, 3) : w).toLowerCase()));
    if (idx < 0) return undefined;
    v = v.slice(short ? 3 : list[idx].length);
    return idx;
  };
  const elements: [string, () => boolean][] = [
    ['January', () => (f.month = (word(MONTHS, false) ?? -2) + 1) > 0],
    ['Monday', () => word(DAYS, false) !== undefined],
    ['Jan', () => (f.month = (word(MONTHS, true) ?? -2) + 1) > 0],
    ['Mon', () => word(DAYS, true) !== undefined],
    ['MST', () => /^[A-Z]{3,5}/.test(v) && ((v = v.replace(/^[A-Z]{3,5}/, '')), true)],
    ['2006', () => (f.year = num(4, 4) ?? -1) >= 0],
    ['Z07:00', () => offset(true, ':')],
    ['-07:00', () => offset(false, ':')],
    ['Z0700', () => offset(true, '')],
    ['-0700', () => offset(false, '')],
    ['__2', () => ((v = v.replace(/^ +/, '')), (num(1, 3) ?? -1) >= 0)],
    ['002', () => (num(3, 3) ?? -1) >= 0],
    ['_2', () => ((v = v.replace(/^ /, '')), (f.day = num(1, 2) ?? -1) >= 0)],
    ['01', () => (f.month = num(2, 2) ?? -1) >= 0],
    ['02', () => (f.day = num(2, 2) ?? -1) >= 0],
    ['03', () => (f.hour = num(2, 2) ?? -1) >= 0],
    ['04', () => (f.minute = num(2, 2) ?? -1) >= 0],
    ['05', () => (f.second = num(2, 2) ?? -1) >= 0],
    ['06', () => ((f.year = num(2, 2) ?? -1), f.year >= 0 && ((f.year += f.year >= 69 ? 1900 : 2000), true))],
    ['15', () => (f.hour = num(1, 2) ?? -1) >= 0],
    ['PM', () => ampm()],
    ['pm', () => ampm()],
    ['1', () => (f.month = num(1, 2) ?? -1) >= 0],
    ['2', () => (f.day = num(1, 2) ?? -1) >= 0],
    ['3', () => (f.hour = num(1, 2) ?? -1) >= 0],
    ['4', () => (f.minute = num(1, 2) ?? -1) >= 0],
    ['5', () => (f.second = num(1, 2) ?? -1) >= 0],
  ];
  function offset(zulu: boolean, sep: string): boolean {
    if (zulu && v.startsWith('Z')) {
      v = v.slice(1);
      return true;
    }
    const m = new RegExp(`^([+-])([0-9]{2})${sep}([0-9]{2})`).exec(v);
    if (!m) return false;
    f.offset = (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 3600 + Number(m[3]) * 60);
    v = v.slice(m[0].length);
    return true;
  }
  function ampm(): boolean {
    const m = /^(AM|PM)/i.exec(v);
    if (!m) return false;
    f.pm = m[1].toUpperCase() === 'PM';
    v = v.slice(2);
    return true;
  }
  while (i < layout.length) {
    const rest = layout.slice(i);
    const frac = /^[.,](0+|9+)(?![0-9])/.exec(rest);
    if (frac) {
      const m = /^[.,]([0-9]+)/.exec(v);
      if (frac[1][0] === '0' && (!m || m[1].length !== frac[1].length)) return undefined;
      if (m) {
        f.nanos = Number(m[1].padEnd(9, '0').slice(0, 9));
        v = v.slice(m[0].length);
      }
      i += frac[0].length;
      continue;
    }
    const el = elements.find(([k]) => rest.startsWith(k));
    if (el) {
      if (!el[1]()) return undefined;
      i += el[0].length;
      // Go accepts a fractional second after the seconds even when the layout has none.
      const m = /^[.,]([0-9]+)/.exec(v);
      if ((el[0] === '05' || el[0] === '5') && m && !/^[.,][0-9]/.test(layout.slice(i))) {
        f.nanos = Number(m[1].padEnd(9, '0').slice(0, 9));
        v = v.slice(m[0].length);
      }
      continue;
    }
    if (v[0] !== rest[0]) return undefined;
    v = v.slice(1);
    i++;
  }
  if (v.length > 0 || f.month < 1 || f.month > 12 || f.day < 1 || f.day > 31 || f.minute > 59 || f.second > 59)
    return undefined;
  if (f.pm !== undefined) f.hour = (f.hour % 12) + (f.pm ? 12 : 0);
  if (f.hour > 23) return undefined;
  const d = new Date(0);
  d.setUTCFullYear(f.year, f.month - 1, f.day);
  d.setUTCHours(f.hour, f.minute, f.second, Math.floor(f.nanos / 1e6));
  const t: GoTime = { ms: d.getTime() - f.offset * 1000, extraNanos: f.nanos % 1e6, zone: 'Local' };
  // A non-zero offset that is not the (UTC) local zone's becomes a fixed zone, as in Go.
  if (f.offset !== 0) t.fixedOffsetSeconds = f.offset;
  return t;
}

const METHODS: Record<string, (t: GoTime, args: GoValue[]) => GoValue> = {
  Format: (t, [layout]) => formatGoTime(t, layout as string),
  String: (t) => goTimeString(t),
  Unix: (t) => int64(Math.floor(t.ms / 1000)),
  UnixNano: (t) => int64(t.ms * 1e6 + t.extraNanos),
  UTC: (t) => goTime({ ...t, zone: 'UTC', monotonic: false, fixedOffsetSeconds: undefined }),
  Local: (t) => goTime({ ...t, zone: 'Local', monotonic: false, fixedOffsetSeconds: undefined }),
  Year: (t) => Number(formatGoTime(t, '2006')),
  Day: (t) => Number(formatGoTime(t, '2')),
  Hour: (t) => Number(formatGoTime(t, '15')),
  Minute: (t) => Number(formatGoTime(t, '4')),
  Second: (t) => Number(formatGoTime(t, '5')),
  YearDay: (t) => Number(formatGoTime(t, '002')),
  Nanosecond: (t) => (((t.ms % 1000) + 1000) % 1000) * 1e6 + t.extraNanos,
  IsZero: (t) => t.ms === zeroGoTime().ms && t.extraNanos === 0,
};

/** A method of a time.Time value (`now.Year`, `(now).Format "2006"`), bound to its receiver. */
export function timeMethod(receiver: GoValue, name: string): FuncSpec | undefined {
  if (!isTime(receiver) || !Object.prototype.hasOwnProperty.call(METHODS, name)) return undefined;
  const t = asTime(receiver);
  const method = METHODS[name];
  return {
    usage: name,
    doc: `time.Time.${name}`,
    params: name === 'Format' ? ['string'] : [],
    fn: (args) => method(t, args),
  };
}

const s = (v: GoValue): string => v as string;

export const DATE_FUNCTIONS: [string, FuncSpec][] = [
  ['now', spec('now', 'The current time (time.Time).', [], (_a, env) => goTime({ ...env.now(), monotonic: true }))],
  [
    'date',
    spec(
      'date LAYOUT TIME',
      'TIME formatted with a Go layout such as "2006-01-02" (in the engine zone, UTC).',
      ['string', 'any'],
      ([f, d], env) => formatGoTime(inZone(timeOf(d, env), 'Local'), s(f)),
    ),
  ],
  [
    'dateInZone',
    spec(
      'dateInZone LAYOUT TIME ZONE',
      'TIME formatted in ZONE (an IANA name; unknown zones mean UTC).',
      ['string', 'any', 'string'],
      ([f, d, z], env) => formatGoTime(inZone(timeOf(d, env), s(z)), s(f)),
    ),
  ],
  [
    'date_in_zone',
    spec('date_in_zone LAYOUT TIME ZONE', 'Alias of dateInZone.', ['string', 'any', 'string'], ([f, d, z], env) =>
      formatGoTime(inZone(timeOf(d, env), s(z)), s(f)),
    ),
  ],
  [
    'htmlDate',
    spec('htmlDate TIME', 'TIME as yyyy-mm-dd.', ['any'], ([d], env) =>
      formatGoTime(inZone(timeOf(d, env), 'Local'), '2006-01-02'),
    ),
  ],
  [
    'htmlDateInZone',
    spec('htmlDateInZone TIME ZONE', 'TIME as yyyy-mm-dd in ZONE.', ['any', 'string'], ([d, z], env) =>
      formatGoTime(inZone(timeOf(d, env), s(z)), '2006-01-02'),
    ),
  ],
  [
    'dateModify',
    spec(
      'dateModify DURATION TIME',
      'TIME shifted by a Go duration such as "-1.5h" (unchanged if invalid).',
      ['string', 'time'],
      ([f, d]) => {
        const n = parseGoDuration(s(f));
        return n === undefined ? d! : goTime(addNanos(asTime(d), n));
      },
    ),
  ],
  [
    'date_modify',
    spec('date_modify DURATION TIME', 'Alias of dateModify.', ['string', 'time'], ([f, d]) => {
      const n = parseGoDuration(s(f));
      return n === undefined ? d! : goTime(addNanos(asTime(d), n));
    }),
  ],
  [
    'ago',
    spec('ago TIME', 'Time elapsed since TIME, e.g. 2h3m4s.', ['any'], ([d], env) => {
      const t = timeOf(d, env);
      const now = env.now();
      return goDurationString(Math.round((now.ms - t.ms) / 1000) * 1e9);
    }),
  ],
  [
    'toDate',
    spec(
      'toDate LAYOUT STRING',
      'Parses STRING with a Go layout (zero time if it does not match).',
      ['string', 'string'],
      ([f, v]) => goTime(parseGoTime(s(f), s(v)) ?? zeroGoTime()),
    ),
  ],
  [
    'unixEpoch',
    spec('unixEpoch TIME', 'Seconds since 1970-01-01 UTC, as a string.', ['time'], ([d]) =>
      String(Math.floor(asTime(d).ms / 1000)),
    ),
  ],
];
