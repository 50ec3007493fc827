/**
 * Go's time formatting (reference-layout strings such as "2006-01-02"), Time.String, durations —
 * what Sprig's `now`, `date`, `dateInZone`, `dateModify`, `ago`, `toDate`, `unixEpoch` need.
 *
 * acb runs in a container whose Local zone is UTC, so 'Local' is UTC here.
 */
import type { GoTime } from './values';

/** Go's English month and weekday names (formatting here, parsing in functions/dates.ts). */
export const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
export const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

interface Civil {
  year: number;
  month: number; // 1..12
  day: number;
  hour: number;
  minute: number;
  second: number;
  weekday: number;
  yday: number;
  nanos: number;
  offsetSeconds: number;
  abbrev: string;
}

/** Whether `zone` names a location Go's LoadLocation would accept (UTC, Local or an IANA name). */
export function isKnownZone(zone: string): boolean {
  if (zone === '' || zone === 'UTC' || zone === 'Local') return true;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

function zoneOffset(ms: number, zone: string): { offsetSeconds: number; abbrev: string } {
  if (zone === '' || zone === 'UTC' || zone === 'Local') return { offsetSeconds: 0, abbrev: 'UTC' };
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
    timeZoneName: 'short',
  }).formatToParts(new Date(Math.floor(ms / 1000) * 1000));
  const get = (t: string): number => Number(parts.find((p) => p.type === t)?.value ?? 0);
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  const offsetSeconds = Math.round((asUtc - Math.floor(ms / 1000) * 1000) / 1000);
  let abbrev = parts.find((p) => p.type === 'timeZoneName')?.value ?? '';
  if (!/^[A-Z]{3,5}$/.test(abbrev)) abbrev = formatOffset(offsetSeconds, '-07', false);
  return { offsetSeconds, abbrev };
}

function civil(t: GoTime): Civil {
  const { offsetSeconds, abbrev } =
    t.fixedOffsetSeconds !== undefined
      ? { offsetSeconds: t.fixedOffsetSeconds, abbrev: formatOffset(t.fixedOffsetSeconds, '-0700', false) }
      : zoneOffset(t.ms, t.zone);
  const d = new Date(t.ms + offsetSeconds * 1000);
  const start = Date.UTC(d.getUTCFullYear(), 0, 1);
  const startOfDay = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
  // Date.UTC maps years 0..99 to 1900+; rebuild with setUTCFullYear for early years.
  const fix = (ms: number, y: number): number => {
    const x = new Date(ms);
    x.setUTCFullYear(y);
    return x.getTime();
  };
  const year = d.getUTCFullYear();
  const yday = Math.round((fix(startOfDay, year) - fix(start, year)) / 86400000) + 1;
  return {
    year,
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
    weekday: d.getUTCDay(),
    yday,
    nanos: (((t.ms % 1000) + 1000) % 1000) * 1e6 + t.extraNanos,
    offsetSeconds,
    abbrev,
  };
}

function pad(n: number, width: number, ch = '0'): string {
  const s = String(Math.abs(n));
  return (n < 0 ? '-' : '') + s.padStart(width, ch);
}

function formatOffset(offsetSeconds: number, style: string, zulu: boolean): string {
  if (zulu && offsetSeconds === 0) return 'Z';
  const sign = offsetSeconds < 0 ? '-' : '+';
  const abs = Math.abs(offsetSeconds);
  const hh = pad(Math.floor(abs / 3600), 2);
  const mm = pad(Math.floor((abs % 3600) / 60), 2);
  const ss = pad(abs % 60, 2);
  const body = style.replace(/^Z/, '-');
  switch (body) {
    case '-07':
      return sign + hh;
    case '-0700':
      return sign + hh + mm;
    case '-07:00':
      return `${sign}${hh}:${mm}`;
    case '-070000':
      return sign + hh + mm + ss;
    default:
      return `${sign}${hh}:${mm}:${ss}`;
  }
}

/** The layout elements Go recognises, longest first where prefixes overlap. */
const CHUNKS = [
  'January',
  'Jan',
  'Monday',
  'Mon',
  'MST',
  '2006',
  '2',
  '_2',
  '__2',
  '002',
  '01',
  '02',
  '06',
  '1',
  '15',
  '03',
  '3',
  '04',
  '4',
  '05',
  '5',
  'PM',
  'pm',
  'Z07:00:00',
  'Z070000',
  'Z07:00',
  'Z0700',
  'Z07',
  '-07:00:00',
  '-070000',
  '-07:00',
  '-0700',
  '-07',
].sort((a, b) => b.length - a.length);

function fraction(nanos: number, digits: number, trim: boolean): string {
  let s = pad(nanos, 9).slice(0, digits);
  if (trim) s = s.replace(/0+$/, '');
  return s;
}

/** time.Time.Format with a Go reference layout. */
export function formatGoTime(t: GoTime, layout: string): string {
  const c = civil(t);
  let out = '';
  let i = 0;
  while (i < layout.length) {
    const rest = layout.slice(i);
    // Fractional seconds: "." or "," followed by a run of 0s or 9s, not followed by a digit.
    const frac = /^[.,](0+|9+)(?![0-9])/.exec(rest);
    if (frac) {
      const run = frac[1];
      const digits = fraction(c.nanos, run.length, run[0] === '9');
      out += digits.length > 0 ? rest[0] + digits : '';
      i += frac[0].length;
      continue;
    }
    const chunk = CHUNKS.find((k) => rest.startsWith(k) && !(k === 'Jan' && rest.startsWith('January')));
    if (!chunk || (chunk === 'Mon' && /^Month/.test(rest))) {
      out += rest[0];
      i++;
      continue;
    }
    out += formatChunk(chunk, c);
    i += chunk.length;
  }
  return out;
}

function formatChunk(chunk: string, c: Civil): string {
  const hour12 = c.hour % 12 === 0 ? 12 : c.hour % 12;
  switch (chunk) {
    case 'January':
      return MONTHS[c.month - 1];
    case 'Jan':
      return MONTHS[c.month - 1].slice(0, 3);
    case 'Monday':
      return DAYS[c.weekday];
    case 'Mon':
      return DAYS[c.weekday].slice(0, 3);
    case 'MST':
      return c.abbrev;
    case '2006':
      return pad(c.year, 4);
    case '06':
      return pad(c.year % 100, 2);
    case '1':
      return String(c.month);
    case '01':
      return pad(c.month, 2);
    case '2':
      return String(c.day);
    case '_2':
      return pad(c.day, 2, ' ');
    case '02':
      return pad(c.day, 2);
    case '__2':
      return pad(c.yday, 3, ' ');
    case '002':
      return pad(c.yday, 3);
    case '15':
      return pad(c.hour, 2);
    case '3':
      return String(hour12);
    case '03':
      return pad(hour12, 2);
    case '4':
      return String(c.minute);
    case '04':
      return pad(c.minute, 2);
    case '5':
      return String(c.second);
    case '05':
      return pad(c.second, 2);
    case 'PM':
      return c.hour >= 12 ? 'PM' : 'AM';
    case 'pm':
      return c.hour >= 12 ? 'pm' : 'am';
    default:
      return formatOffset(c.offsetSeconds, chunk, chunk.startsWith('Z'));
  }
}

/** time.Time.String(): "2006-01-02 15:04:05.999999999 -0700 MST" (+ monotonic reading for now()). */
export function goTimeString(t: GoTime): string {
  const s = formatGoTime(t, '2006-01-02 15:04:05.999999999 -0700 MST');
  return t.monotonic ? `${s} m=+0.000000001` : s;
}

const UNIT_NANOS: Record<string, number> = {
  ns: 1,
  us: 1e3,
  µs: 1e3,
  μs: 1e3,
  ms: 1e6,
  s: 1e9,
  m: 60e9,
  h: 3600e9,
};

/** time.ParseDuration; undefined when the text is not a Go duration. Result in nanoseconds. */
export function parseGoDuration(text: string): number | undefined {
  let s = text;
  let neg = false;
  if (s.startsWith('-') || s.startsWith('+')) {
    neg = s[0] === '-';
    s = s.slice(1);
  }
  if (s === '0') return 0;
  if (s === '') return undefined;
  let total = 0;
  while (s.length > 0) {
    const m = /^([0-9]*)(\.[0-9]*)?(ns|us|µs|μs|ms|s|m|h)/.exec(s);
    if (!m || (m[1] === '' && (m[2] === undefined || m[2] === '.'))) return undefined;
    total += Number((m[1] || '0') + (m[2] ?? '')) * UNIT_NANOS[m[3]];
    s = s.slice(m[0].length);
  }
  return neg ? -total : total;
}

/** time.Duration.String, e.g. 1h2m3s, 1.5s, 0s. */
export function goDurationString(nanos: number): string {
  if (nanos === 0) return '0s';
  const neg = nanos < 0;
  let u = Math.abs(Math.round(nanos));
  let out: string;
  if (u < 1e9) {
    if (u < 1e3) out = `${u}ns`;
    else if (u < 1e6) out = `${trimFrac(u / 1e3)}µs`;
    else out = `${trimFrac(u / 1e6)}ms`;
  } else {
    const h = Math.floor(u / 3600e9);
    u -= h * 3600e9;
    const m = Math.floor(u / 60e9);
    u -= m * 60e9;
    const secs = `${trimFrac(u / 1e9)}s`;
    out = h > 0 ? `${h}h${m}m${secs}` : m > 0 ? `${m}m${secs}` : secs;
  }
  return (neg ? '-' : '') + out;
}

function trimFrac(x: number): string {
  return String(Number(x.toFixed(9)));
}

/** The zero time.Time (January 1, year 1, 00:00:00 UTC). */
export function zeroGoTime(): GoTime {
  const d = new Date(0);
  d.setUTCFullYear(1, 0, 1);
  d.setUTCHours(0, 0, 0, 0);
  return { ms: d.getTime(), extraNanos: 0, zone: 'UTC' };
}
