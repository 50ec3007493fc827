/**
 * Go text/template + Sprig v2.22, as ACR's engine (acb) renders task files: option
 * missingkey=zero, every literal `<no value>` deleted afterwards, ACR's own b64enc.
 * Pure: no I/O; the environment, clock and randomness are injected through options.
 */
import { templateTooDeep } from './nesting';
import { type TemplateError, TemplateFailure, visibleSpan } from './errors';
import { executeTemplate } from './exec';
import { FUNCTIONS } from './functions';
import type { CallEnv } from './functions/types';
import { parseTemplate } from './parser';
import { type GoMap, type GoTime, type GoValue, Typed, goTime, isPlainMap, newMap } from './values';

export type { TemplateError, TemplateSpan } from './errors';
export type {
  FieldReference,
  TemplateAction,
  TemplateActionKind,
  TemplateAnalysis,
  TemplateFunctionUse,
} from './analysis';
export { analyzeTemplate } from './analysis';
export { Typed, float64 as goFloat64, int64 as goInt64 } from './values';

/** Data a task template sees, e.g. { Run: {...}, Values: {...}, Secrets: {...}, Build: {ID}, ValuesJSON, RunJSON }. */
export interface TemplateData {
  [key: string]: unknown;
}

export interface RenderOptions {
  /** Environment of the engine process, for Sprig's env / expandenv. Default: empty. */
  env?: Readonly<Record<string, string>>;
  /** Clock for now / date / ago. Default: the current time. */
  now?: () => Date;
  /** Randomness for uuidv4 / rand* / shuffle. Default: Math.random. */
  randomBytes?: (n: number) => Uint8Array;
  /** Template name used in messages (acb uses the task file's name). Default: "task". */
  name?: string;
}

export interface RenderResult {
  /** The rendered text; "" when there is an error (acb stops the run). */
  output: string;
  errors: TemplateError[];
}

/** Every function a task template can call (Go builtins + Sprig v2.22), for completion. */
export const TEMPLATE_FUNCTION_NAMES: readonly string[] = Object.freeze([...FUNCTIONS.keys()].sort());

/** One-line documentation of a template function, e.g. for hover; undefined for unknown names. */
export function describeFunction(name: string): string | undefined {
  const fn = FUNCTIONS.get(name);
  if (fn === undefined) return undefined;
  const note = fn.unsupported !== undefined ? ` (not available in local renders: ${fn.unsupported})` : '';
  return `${fn.usage} — ${fn.doc}${note}`;
}

/** Converts caller data (plain JS from YAML) into Go values; copies, so templates cannot mutate it. */
function toGoValue(v: unknown): GoValue {
  if (v === null || v === undefined) return null;
  switch (typeof v) {
    case 'string':
    case 'boolean':
    case 'number':
      return v;
    case 'bigint':
      return Number(v);
    case 'object':
      break;
    default:
      return null; // functions and symbols have no Go counterpart
  }
  if (v instanceof Typed) return v;
  if (v instanceof Date) return goTime({ ms: v.getTime(), extraNanos: 0, zone: 'UTC' });
  if (Array.isArray(v)) return v.map(toGoValue);
  const out: GoMap = newMap();
  if (isPlainMap(v) || typeof v === 'object') {
    for (const [k, val] of Object.entries(v as Record<string, unknown>)) out[k] = toGoValue(val);
  }
  return out;
}

function defaultRandomBytes(n: number): Uint8Array {
  const out = new Uint8Array(Math.max(0, n));
  for (let i = 0; i < out.length; i++) out[i] = Math.floor(Math.random() * 256);
  return out;
}

function callEnv(options: RenderOptions): CallEnv {
  const now = options.now ?? (() => new Date());
  return {
    env: options.env ?? {},
    now: (): GoTime => ({ ms: now().getTime(), extraNanos: 0, zone: 'Local' }),
    randomBytes: options.randomBytes ?? defaultRandomBytes,
  };
}

/**
 * Renders like acb: Go text/template + Sprig, missingkey=zero, then deletes every "<no value>".
 * Errors carry Go's message (`template: task:1:9: executing "task" at <.Values.a.b>: nil pointer
 * evaluating interface {}.b`) and the span of the offending text. Never throws.
 */
export function renderTemplate(text: string, data: TemplateData, options: RenderOptions = {}): RenderResult {
  const name = options.name ?? 'task';
  const tooDeep = templateTooDeep(text);
  if (tooDeep !== undefined)
    return {
      output: '',
      errors: [
        { message: `template: ${name}: template nested too deeply`, span: visibleSpan(tooDeep, tooDeep, text.length) },
      ],
    };
  try {
    const parsed = parseTemplate(name, text, { hasFunction: (n) => FUNCTIONS.has(n) });
    if (parsed.error !== undefined) return { output: '', errors: [parsed.error] };
    const output = executeTemplate(
      { parseName: name, text, trees: parsed.trees, funcs: FUNCTIONS, env: callEnv(options) },
      name,
      toGoValue(data),
    );
    return { output: output.split('<no value>').join(''), errors: [] };
  } catch (e) {
    if (e instanceof TemplateFailure) return { output: '', errors: [e.error] };
    // A JS stack overflow on absurd nesting (Go would manage deeper) still must not escape.
    const message =
      e instanceof RangeError && /call stack/i.test(e.message)
        ? 'template nested too deeply'
        : e instanceof Error
          ? e.message
          : String(e);
    return {
      output: '',
      errors: [
        {
          message: `template: ${name}: ${message === 'template nested too deeply' ? '' : 'internal error: '}${message}`,
          span: visibleSpan(0, 0, text.length),
        },
      ],
    };
  }
}

/**
 * renderTemplate plus acb's check on the result of rendering a whole task file: a result of
 * exactly "" is the error "rendered template was empty" (spec §1 step 5, edge case 24).
 */
export function renderTaskTemplate(text: string, data: TemplateData, options: RenderOptions = {}): RenderResult {
  const result = renderTemplate(text, data, options);
  if (result.errors.length === 0 && result.output === '') {
    return {
      output: '',
      errors: [{ message: 'rendered template was empty', span: visibleSpan(0, text.length, text.length) }],
    };
  }
  return result;
}
