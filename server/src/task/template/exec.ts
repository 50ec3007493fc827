/**
 * Execution of a parsed template (text/template/exec.go) with option missingkey=zero:
 * Go's evaluation order, variable scoping, truthiness, argument conversion and error texts
 * (`template: task:1:9: executing "task" at <.Values.a.b>: nil pointer evaluating interface {}.b`).
 */
import type {
  ArgNode,
  BranchNode,
  ChainNode,
  CommandNode,
  FieldNode,
  Node,
  NumberNode,
  PipeNode,
  TemplateNode,
  VariableNode,
} from './ast';
import { nodeString } from './ast';
import { goLocation, TemplateFailure, visibleSpan } from './errors';
import { type CallEnv, CallError, type FuncSpec, type FuncTable, INVALID, PARAM_TYPE_NAMES } from './functions/types';
import type { ParamType, Ref } from './functions/types';
import { timeMethod } from './functions/dates';
import { formatV } from './gofmt';
import { quoteString } from './numbers';
import type { Tree } from './parser';
import {
  type GoTime,
  type GoValue,
  Typed,
  float64,
  hasKey,
  isTrue,
  kindOf,
  mapEntries,
  numberOf,
  sliceItems,
  sortedKeys,
  typeName,
} from './values';

/** Marks "no value from a previous pipeline stage" (Go's missingVal). */
const MISSING: Ref = Object.freeze({ v: undefined, iface: false });
/** {{break}} / {{continue}} unwind to the enclosing range, as Go's walkBreak/walkContinue panics do. */
class LoopSignal extends Error {}
const BREAK = new LoopSignal('break');
const CONTINUE = new LoopSignal('continue');
/** JS has far less stack than Go's 100000 nested templates; the outcome (an error) is the same. */
const MAX_DEPTH = 400;

export interface ExecContext {
  /** Parse name used in locations ("task"). */
  parseName: string;
  text: string;
  trees: ReadonlyMap<string, Tree>;
  funcs: FuncTable;
  env: CallEnv;
}

const iface = (v: GoValue): Ref => ({ v: v ?? null, iface: true });
const concrete = (v: GoValue): Ref => ({ v, iface: false });

/** Elements of collections from YAML are interface{} values; typed slices/maps hold concrete ones. */
function elemIsInterface(v: GoValue): boolean {
  return !(v instanceof Typed);
}

function zeroOfElem(v: GoValue): GoValue {
  return v instanceof Typed && v.type === 'map[string]string' ? '' : null;
}

class State {
  private node: Node | undefined;
  private vars: { name: string; value: Ref }[];

  constructor(
    private readonly ctx: ExecContext,
    private readonly name: string,
    dot: Ref,
    private readonly out: string[],
    private readonly depth: number,
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

  private at(n: Node): void {
    this.node = n;
  }
  private mark(): number {
    return this.vars.length;
  }
  private pop(mark: number): void {
    this.vars.length = mark;
  }
  private setVar(name: string, value: Ref): void {
    for (let i = this.vars.length - 1; i >= 0; i--) {
      if (this.vars[i].name === name) {
        this.vars[i].value = value;
        return;
      }
    }
    this.errorf(`undefined variable: ${name}`);
  }
  private setTopVar(n: number, value: Ref): void {
    this.vars[this.vars.length - n].value = value;
  }
  private varValue(name: string): Ref {
    for (let i = this.vars.length - 1; i >= 0; i--) if (this.vars[i].name === name) return this.vars[i].value;
    return this.errorf(`undefined variable: ${name}`);
  }

  walk(dot: Ref, node: Node): void {
    this.at(node);
    switch (node.type) {
      case 'action': {
        const val = this.evalPipeline(dot, node.pipe);
        if (node.pipe.decl.length === 0) {
          this.at(node);
          this.out.push(val.v === undefined ? '<no value>' : formatV(val.v));
        }
        return;
      }
      case 'comment':
        return;
      case 'if':
      case 'with': {
        const mark = this.mark();
        const val = this.evalPipeline(dot, node.pipe);
        if (isTrue(val.v)) this.walk(node.type === 'with' ? val : dot, node.list);
        else if (node.elseList) this.walk(dot, node.elseList);
        this.pop(mark);
        return;
      }
      case 'list':
        for (const n of node.nodes) this.walk(dot, n);
        return;
      case 'range':
        return this.walkRange(dot, node);
      case 'template':
        return this.walkTemplate(dot, node);
      case 'text':
        this.out.push(node.text);
        return;
      case 'break':
        throw BREAK;
      case 'continue':
        throw CONTINUE;
      default:
        this.errorf(`unknown node: ${nodeString(node)}`);
    }
  }

  private walkRange(dot: Ref, r: BranchNode): void {
    this.at(r);
    const outer = this.mark();
    try {
      const val = this.evalPipeline(dot, r.pipe);
      const mark = this.mark();
      const decl = r.pipe.decl;
      const oneIteration = (index: Ref, elem: Ref): void => {
        if (decl.length > 0) {
          if (r.pipe.isAssign) this.setVar(decl[0].ident[0], decl.length > 1 ? index : elem);
          else this.setTopVar(1, elem);
        }
        if (decl.length > 1) {
          if (r.pipe.isAssign) this.setVar(decl[1].ident[0], elem);
          else this.setTopVar(2, index);
        }
        try {
          this.walk(elem, r.list);
        } catch (e) {
          if (e !== CONTINUE) throw e;
        } finally {
          this.pop(mark);
        }
      };
      let ran = false;
      const v = val.v;
      const kind = kindOf(v);
      if (kind === 'slice') {
        const items = sliceItems(v)!;
        const wrap = elemIsInterface(v) ? iface : concrete;
        items.forEach((item, i) => {
          ran = true;
          oneIteration(concrete(i), wrap(item));
        });
      } else if (kind === 'map') {
        const entries = mapEntries(v)!;
        const wrap = elemIsInterface(v) ? iface : concrete;
        for (const key of sortedKeys(entries)) {
          ran = true;
          oneIteration(concrete(key), wrap(entries[key]));
        }
      } else if (kind === 'int' || kind === 'uint') {
        // Go 1.22+: range over an integer n yields 0..n-1.
        if (decl.length > 1) this.errorf(`can't use ${formatV(v)} to iterate over more than one variable`);
        const n = numberOf(v);
        for (let i = 0; i < n; i++) {
          ran = true;
          oneIteration(INVALID, concrete(v instanceof Typed ? new Typed(v.type, v.kind, i) : i));
        }
      } else if (v !== undefined && v !== null) {
        this.errorf(`range can't iterate over ${formatV(v)}`);
      }
      if (!ran && r.elseList) this.walk(dot, r.elseList);
    } catch (e) {
      if (e !== BREAK) throw e;
    } finally {
      this.pop(outer);
    }
  }

  private walkTemplate(dot: Ref, t: TemplateNode): void {
    this.at(t);
    const tmpl = this.ctx.trees.get(t.name);
    if (tmpl === undefined) this.errorf(`template ${quoteString(t.name)} not defined`);
    if (this.depth >= MAX_DEPTH) this.errorf('exceeded maximum template depth (100000)');
    const newDot = this.evalPipeline(dot, t.pipe);
    new State(this.ctx, t.name, newDot, this.out, this.depth + 1).walk(newDot, tmpl.root);
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

  private notAFunction(args: readonly ArgNode[] | undefined, final: Ref): void {
    if ((args !== undefined && args.length > 1) || final !== MISSING) {
      this.errorf(`can't give argument to non-function ${nodeString(args![0])}`);
    }
  }

  private evalCommand(dot: Ref, cmd: CommandNode, final: Ref): Ref {
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

  private idealConstant(n: NumberNode): Ref {
    this.at(n);
    const isHexInt = /^0[xX]/.test(n.text) && !/[pP]/.test(n.text);
    if (n.isFloat && !isHexInt && !n.text.startsWith("'") && /[.eEpP]/.test(n.text)) {
      return concrete(Number.isInteger(n.float) ? float64(n.float) : n.float);
    }
    if (n.isInt) return concrete(n.int);
    if (n.isUint) this.errorf(`${n.text} overflows int`);
    return INVALID;
  }

  private evalFieldNode(dot: Ref, field: FieldNode, args: readonly ArgNode[] | undefined, final: Ref): Ref {
    this.at(field);
    return this.evalFieldChain(dot, dot, field, field.ident, args, final);
  }

  private evalChainNode(dot: Ref, chain: ChainNode, args: readonly ArgNode[] | undefined, final: Ref): Ref {
    this.at(chain);
    if (chain.node.type === 'nil') this.errorf(`indirection through explicit nil in ${nodeString(chain)}`);
    const pipe = this.evalArg(dot, undefined, chain.node);
    return this.evalFieldChain(dot, pipe, chain, chain.field, args, final);
  }

  private evalVariableNode(dot: Ref, v: VariableNode, args: readonly ArgNode[] | undefined, final: Ref): Ref {
    this.at(v);
    const value = this.varValue(v.ident[0]);
    if (v.ident.length === 1) {
      this.notAFunction(args, final);
      return value;
    }
    return this.evalFieldChain(dot, value, v, v.ident.slice(1), args, final);
  }

  private evalFieldChain(
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

  private evalFunction(
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

  private evalField(
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

  private evalCall(
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

  private validateType(value: Ref, typ: ParamType | undefined): Ref {
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

  private evalArg(dot: Ref, typ: ParamType | undefined, n: ArgNode): Ref {
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

  private evalEmptyInterface(n: Extract<ArgNode, { type: 'bool' | 'number' | 'string' }>): Ref {
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

/** Executes template `name` and returns its output, or throws TemplateFailure. */
export function executeTemplate(ctx: ExecContext, name: string, data: GoValue): string {
  const tree = ctx.trees.get(name);
  const out: string[] = [];
  const dot = concrete(data);
  const state = new State(ctx, name, dot, out, 0);
  if (tree === undefined) return state.errorf(`${quoteString(name)} is an incomplete or empty template`);
  try {
    state.walk(dot, tree.root);
  } catch (e) {
    if (e === BREAK || e === CONTINUE) return out.join(''); // unreachable: the parser rejects them outside range
    if (e instanceof RangeError && /call stack/i.test(e.message)) {
      state.errorf('exceeded maximum template depth (100000)');
    }
    throw e;
  }
  return out.join('');
}

export type { GoTime };
