/**
 * How template functions are described: Go parameter types (text/template converts and checks
 * arguments against them before the call), result type, implementation and a one-line doc.
 */
import type { GoTime, GoValue } from '../values';

/** Go parameter types that occur in the builtin and Sprig v2.22 signatures. */
export type ParamType = 'any' | 'string' | 'int' | 'float64' | 'bool' | 'map' | 'time' | 'reflect';

/** Go type names of the parameter types, as error messages print them. */
export const PARAM_TYPE_NAMES: Record<ParamType, string> = {
  any: 'interface {}',
  string: 'string',
  int: 'int',
  float64: 'float64',
  bool: 'bool',
  map: 'map[string]interface {}',
  time: 'time.Time',
  reflect: 'reflect.Value',
};

/** A reflect.Value: `v` undefined = invalid (no value); `iface` = static type interface{}. */
export interface Ref {
  v: GoValue;
  iface: boolean;
}

export const INVALID: Ref = Object.freeze({ v: undefined, iface: false });

/** What functions may read from the outside world (injected: the pure layer has no process). */
export interface CallEnv {
  env: Readonly<Record<string, string>>;
  /** Current time (for now, date with no time, ago). */
  now: () => GoTime;
  /** Random bytes for uuidv4 / rand* functions. */
  randomBytes: (n: number) => Uint8Array;
}

export interface FuncSpec {
  /** Fixed parameters. */
  params: readonly ParamType[];
  /** Element type of a trailing `...T` parameter. */
  variadic?: ParamType;
  /** The result's static type is interface{} (nil results then print as <no value>). */
  resultIsInterface?: boolean;
  /** One-line documentation for hover and completion. */
  doc: string;
  /** Signature as shown to users, e.g. `trimPrefix PREFIX STRING`. */
  usage: string;
  /** Implementation on plain values (reflect params arrive as Ref via refFn instead). */
  fn?: (args: GoValue[], env: CallEnv) => GoValue;
  /** Implementation for Go builtins declared with reflect.Value parameters. */
  refFn?: (args: Ref[], env: CallEnv) => Ref;
  /** Exists in ACR's engine but cannot run here (network, keys, certificates). */
  unsupported?: string;
  /** A text/template builtin rather than a Sprig function. */
  builtin?: boolean;
}

/** A Go error returned (or panic raised) by a function; execution reports "error calling NAME: …". */
export class CallError extends Error {}

export type FuncTable = ReadonlyMap<string, FuncSpec>;

/** Shorthand for table entries. */
export function spec(
  usage: string,
  doc: string,
  params: readonly ParamType[],
  fn: (args: GoValue[], env: CallEnv) => GoValue,
  extra: Partial<FuncSpec> = {},
): FuncSpec {
  return { usage, doc, params, fn, ...extra };
}
