/**
 * Expression evaluation of a parsed template (text/template/exec.go) with option missingkey=zero:
 * Go's evaluation order, variable scoping, truthiness, argument conversion and error texts
 * (`template: task:1:9: executing "task" at <.Values.a.b>: nil pointer evaluating interface {}.b`).
 */
import type { ArgNode, ChainNode, CommandNode, FieldNode, Node, NumberNode, PipeNode, VariableNode } from './ast';
import { nodeString } from './ast';
import { goLocation, TemplateFailure, visibleSpan } from './errors';
import { type CallEnv, CallError, type FuncSpec, type FuncTable, INVALID, PARAM_TYPE_NAMES } from './functions/types';
import type { ParamType, Ref } from './functions/types';
import { timeMethod } from './functions/dates';
import { quoteString } from './numbers';
import type { Tree } from './parser';
import { type GoValue, Typed, float64, hasKey, isTrue, mapEntries, typeName } from './values';

/** Marks "no value from a previous pipeline stage" (Go's missingVal). */
export const MISSING: Ref = Object.freeze({ v: undefined, iface: false });

export interface ExecContext {
  /** Parse name used in locations ("task"). */
  parseName: string;
  text: string;
  trees: ReadonlyMap<string, Tree>;
  funcs: FuncTable;
  env: CallEnv;
}

export const iface = (v: GoValue): Ref => ({ v: v ?? null, iface: true });
export const concrete = (v: GoValue): Ref => ({ v, iface: false });

/** Elements of collections from YAML are interface{} values; typed slices/maps hold concrete ones. */
export function elemIsInterface(v: GoValue): boolean {
  return !(v instanceof Typed);
}

function zeroOfElem(v: GoValue): GoValue {
  return v instanceof Typed && v.type === 'map[string]string' ? '' : null;
}

/** Variables, pipelines, fields, function calls and argument conversion (Go's state.eval*). */
export class Evaluator {
  protected node: Node | undefined;
  protected vars: { name: string; value: Ref }[];

  constructor(
    protected readonly ctx: ExecContext,
    protected readonly name: string,
    dot: Ref,
  ) {
    this.vars = [{ name: '$', value: dot }];
  }

  errorf(message: string): never {
    const n = this.node;
    const name = quoteString(this.name);
    const full =
      n === undefined
        ? `template: ${this.name}: ${message}`
        : `template: ${this.ctx.parseName}:${goLocation(this.ctx.text, n.pos)}: executing ${name} at <${nodeString(n)}>: ${message}`;
    const span = n === undefined ? { start: 0, end: 0 } : n.span;
    throw new TemplateFailure({ message: full, span: visibleSpan(span.start, span.end, this.ctx.text.length) });
  }

  protected at(n: Node): void {
    this.node = n;
  }
  protected mark(): number {
    return this.vars.length;
  }
  protected pop(mark: number): void {
    this.vars.length = mark;
  }
  protected setVar(name: string, value: Ref): void {
    for (let i = this.vars.length - 1; i >= 0; i--) {
      if (this.vars[i].name === name) {
        this.vars[i].value = value;
        return;
      }
    }
    this.errorf(`undefined variable: ${name}`);
  }
  protected setTopVar(n: number, value: Ref): void {
    this.vars[this.vars.length - n].value = value;
  }
  protected varValue(name: string): Ref {
    for (let i = this.vars.length - 1; i >= 0; i--) if (this.vars[i].name === name) return this.vars[i].value;
    return this.errorf(`undefined variable: ${name}`);
  }

  evalPipeline(dot: Ref, pipe: PipeNode | undefined): Ref {
    if (pipe === undefined) return INVALID;
    this.at(pipe);
    let value: Ref = MISSING;
    for (const cmd of pipe.cmds) {
      value = this.evalCommand(dot, cmd, value);
      // Go digs one level into interface{} values: a nil interface becomes "no value".
      if (value.iface) value = value.v === null ? INVALID : concrete(value.v);
    }
    for (const variable of pipe.decl) {
      if (pipe.isAssign) this.setVar(variable.ident[0], value);
      else this.vars.push({ name: variable.ident[0], value });
    }
    return value;
  }

  protected notAFunction(args: readonly ArgNode[] | undefined, final: Ref): void {
    if ((args !== undefined && args.length > 1) || final !== MISSING) {
      this.errorf(`can't give argument to non-function ${nodeString(args![0])}`);
    }
  }

  protected evalCommand(dot: Ref, cmd: CommandNode, final: Ref): Ref {
    const first = cmd.args[0];
    switch (first.type) {
      case 'field':
        return this.evalFieldNode(dot, first, cmd.args, final);
      case 'chain':
        return this.evalChainNode(dot, first, cmd.args, final);
      case 'identifier':
        return this.evalFunction(dot, first.ident, first, cmd, cmd.args, final);
      case 'pipe':
        this.notAFunction(cmd.args, final);
        return this.evalPipeline(dot, first);
      case 'variable':
        return this.evalVariableNode(dot, first, cmd.args, final);
    }
    this.at(first);
    this.notAFunction(cmd.args, final);
    switch (first.type) {
      case 'bool':
        return concrete(first.value);
      case 'dot':
        return dot;
      case 'nil':
        return this.errorf('nil is not a command');
      case 'number':
        return this.idealConstant(first);
      case 'string':
        return concrete(first.text);
    }
  }

  protected idealConstant(n: NumberNode): Ref {
    this.at(n);
    const isHexInt = /^0[xX]/.test(n.text) && !/[pP]/.test(n.text);
    if (n.isFloat && !isHexInt && !n.text.startsWith("'") && /[.eEpP]/.test(n.text)) {
      return concrete(Number.isInteger(n.float) ? float64(n.float) : n.float);
    }
    if (n.isInt) return concrete(n.int);
    if (n.isUint) this.errorf(`${n.text} overflows int`);
    return INVALID;
  }

  protected evalFieldNode(dot: Ref, field: FieldNode, args: readonly ArgNode[] | undefined, final: Ref): Ref {
    this.at(field);
    return this.evalFieldChain(dot, dot, field, field.ident, args, final);
  }

  protected evalChainNode(dot: Ref, chain: ChainNode, args: readonly ArgNode[] | undefined, final: Ref): Ref {
    this.at(chain);
    if (chain.node.type === 'nil') this.errorf(`indirection through explicit nil in ${nodeString(chain)}`);
    const pipe = this.evalArg(dot, undefined, chain.node);
    return this.evalFieldChain(dot, pipe, chain, chain.field, args, final);
  }

  protected evalVariableNode(dot: Ref, v: VariableNode, args: readonly ArgNode[] | undefined, final: Ref): Ref {
    this.at(v);
    const value = this.varValue(v.ident[0]);
    if (v.ident.length === 1) {
      this.notAFunction(args, final);
      return value;
    }
    return this.evalFieldChain(dot, value, v, v.ident.slice(1), args, final);
  }

  protected evalFieldChain(
    dot: Ref,
    receiver: Ref,
    node: Node,
    ident: readonly string[],
    args: readonly ArgNode[] | undefined,
    final: Ref,
  ): Ref {
    for (let i = 0; i < ident.length - 1; i++)
      receiver = this.evalField(dot, ident[i], node, undefined, MISSING, receiver);
    return this.evalField(dot, ident[ident.length - 1], node, args, final, receiver);
  }

  protected evalFunction(
    dot: Ref,
    name: string,
    node: Node,
    cmd: Node,
    args: readonly ArgNode[] | undefined,
    final: Ref,
  ): Ref {
    this.at(node);
    const fn = this.ctx.funcs.get(name);
    if (fn === undefined) return this.errorf(`${quoteString(name)} is not a defined function`);
    return this.evalCall(dot, fn, cmd, name, args, final);
  }

  protected evalField(
    dot: Ref,
    fieldName: string,
    node: Node,
    args: readonly ArgNode[] | undefined,
    final: Ref,
    receiver: Ref,
  ): Ref {
    if (receiver.v === undefined) return INVALID; // missingkey=zero: a field of nothing is nothing
    const typ = receiver.iface ? 'interface {}' : typeName(receiver.v);
    if (receiver.v === null) this.errorf(`nil pointer evaluating ${typ}.${fieldName}`);
    const method = timeMethod(receiver.v, fieldName);
    if (method !== undefined) return this.evalCall(dot, method, node, fieldName, args, final);
    const hasArgs = (args !== undefined && args.length > 1) || final !== MISSING;
    const entries = mapEntries(receiver.v);
    if (entries !== undefined) {
      if (hasArgs) this.errorf(`${fieldName} is not a method but has arguments`);
      const wrap = elemIsInterface(receiver.v) ? iface : concrete;
      return hasKey(entries, fieldName) ? wrap(entries[fieldName]) : wrap(zeroOfElem(receiver.v));
    }
    return this.errorf(`can't evaluate field ${fieldName} in type ${typ}`);
  }

  protected evalCall(
    dot: Ref,
    fn: FuncSpec,
    node: Node,
    name: string,
    args: readonly ArgNode[] | undefined,
    final: Ref,
  ): Ref {
    const argNodes = args === undefined ? [] : args.slice(1);
    const numIn = argNodes.length + (final !== MISSING ? 1 : 0);
    const numFixed = fn.params.length;
    if (fn.variadic !== undefined) {
      if (numIn < numFixed) {
        this.errorf(`wrong number of args for ${name}: want at least ${numFixed} got ${argNodes.length}`);
      }
    } else if (numIn !== numFixed) {
      this.errorf(`wrong number of args for ${name}: want ${numFixed} got ${numIn}`);
    }
    if (fn.builtin && (name === 'and' || name === 'or')) {
      // Short-circuit: stop at the first false (and) / true (or) argument.
      let v: Ref = INVALID;
      for (const arg of argNodes) {
        v = this.evalArg(dot, 'reflect', arg);
        if (isTrue(v.v) === (name === 'or')) return v;
      }
      if (final !== MISSING) v = final;
      return v;
    }
    const argv: Ref[] = [];
    let i = 0;
    for (; i < numFixed && i < argNodes.length; i++) argv.push(this.evalArg(dot, fn.params[i], argNodes[i]));
    for (; i < argNodes.length; i++) argv.push(this.evalArg(dot, fn.variadic, argNodes[i]));
    if (final !== MISSING) {
      const t = numIn - 1 < numFixed ? fn.params[numIn - 1] : fn.variadic;
      argv.push(this.validateType(final, t));
    }
    if (fn.unsupported !== undefined) {
      this.at(node);
      this.errorf(`${name} is not supported by the local renderer: ${fn.unsupported}`);
    }
    try {
      if (fn.refFn) return fn.refFn(argv, this.ctx.env);
      const result = fn.fn!(
        argv.map((a) => a.v ?? null),
        this.ctx.env,
      );
      return fn.resultIsInterface ? iface(result) : concrete(result);
    } catch (e) {
      if (e instanceof CallError || e instanceof RangeError) {
        this.at(node);
        this.errorf(`error calling ${name}: ${e.message}`);
      }
      throw e;
    }
  }

  protected validateType(value: Ref, typ: ParamType | undefined): Ref {
    if (typ === undefined || typ === 'reflect' || typ === 'any') {
      if (value.v === undefined && typ === 'any') return iface(null);
      return value;
    }
    const want = PARAM_TYPE_NAMES[typ];
    if (value.v === undefined) {
      if (typ === 'map') return concrete(null);
      this.errorf(`invalid value; expected ${want}`);
    }
    const actual = value.iface ? 'interface {}' : typeName(value.v);
    if (actual === want) return value;
    if (value.iface && value.v !== null) {
      const elem = typeName(value.v);
      if (elem === want) return concrete(value.v);
      this.errorf(`wrong type for value; expected ${want}; got ${elem}`);
    }
    return this.errorf(`wrong type for value; expected ${want}; got ${actual}`);
  }

  protected evalArg(dot: Ref, typ: ParamType | undefined, n: ArgNode): Ref {
    this.at(n);
    switch (n.type) {
      case 'dot':
        return this.validateType(dot, typ);
      case 'nil':
        if (typ === 'any') return iface(null);
        if (typ === 'map') return concrete(null);
        if (typ === 'reflect') return INVALID;
        return this.errorf(`cannot assign nil to ${typ === undefined ? '<nil>' : PARAM_TYPE_NAMES[typ]}`);
      case 'field':
        return this.validateType(this.evalFieldNode(dot, n, [n], MISSING), typ);
      case 'variable':
        return this.validateType(this.evalVariableNode(dot, n, undefined, MISSING), typ);
      case 'pipe':
        return this.validateType(this.evalPipeline(dot, n), typ);
      case 'identifier':
        return this.validateType(this.evalFunction(dot, n.ident, n, n, undefined, MISSING), typ);
      case 'chain':
        return this.validateType(this.evalChainNode(dot, n, undefined, MISSING), typ);
    }
    switch (typ) {
      case 'bool':
        if (n.type === 'bool') return concrete(n.value);
        return this.errorf(`expected bool; found ${nodeString(n)}`);
      case 'float64':
        if (n.type === 'number' && n.isFloat) return concrete(float64(n.float));
        return this.errorf(`expected float; found ${nodeString(n)}`);
      case 'int':
        if (n.type === 'number' && n.isInt) return concrete(n.int);
        return this.errorf(`expected integer; found ${nodeString(n)}`);
      case 'string':
        if (n.type === 'string') return concrete(n.text);
        return this.errorf(`expected string; found ${nodeString(n)}`);
      case 'any':
      case 'reflect':
        return this.evalEmptyInterface(n);
      default:
        return this.errorf(`can't handle ${nodeString(n)} for arg of type ${typ ? PARAM_TYPE_NAMES[typ] : '<nil>'}`);
    }
  }

  protected evalEmptyInterface(n: Extract<ArgNode, { type: 'bool' | 'number' | 'string' }>): Ref {
    this.at(n);
    switch (n.type) {
      case 'bool':
        return concrete(n.value);
      case 'number':
        return this.idealConstant(n);
      case 'string':
        return concrete(n.text);
    }
  }
}
