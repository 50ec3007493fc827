/**
 * Execution of a parsed template (text/template/exec.go) with option missingkey=zero: walking
 * text, actions, if/with/range (break/continue, range over integers), template/block calls.
 * Expression evaluation lives in evaluator.ts.
 */
import type { BranchNode, Node, TemplateNode } from './ast';
import { nodeString } from './ast';
import { type ExecContext, Evaluator, concrete, elemIsInterface, iface } from './evaluator';
import { INVALID, type Ref } from './functions/types';
import { formatV } from './gofmt';
import { quoteString } from './numbers';
import {
  type GoTime,
  type GoValue,
  Typed,
  isTrue,
  kindOf,
  mapEntries,
  numberOf,
  sliceItems,
  sortedKeys,
} from './values';

export type { ExecContext } from './evaluator';

/** {{break}} / {{continue}} unwind to the enclosing range, as Go's walkBreak/walkContinue panics do. */
class LoopSignal extends Error {}
const BREAK = new LoopSignal('break');
const CONTINUE = new LoopSignal('continue');
/** JS has far less stack than Go's 100000 nested templates; the outcome (an error) is the same. */
const MAX_DEPTH = 400;

class State extends Evaluator {
  constructor(
    ctx: ExecContext,
    name: string,
    dot: Ref,
    private readonly out: string[],
    private readonly depth: number,
  ) {
    super(ctx, name, dot);
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
