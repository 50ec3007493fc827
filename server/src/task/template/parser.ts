/**
 * The parser of Go's text/template (text/template/parse/parse.go): same grammar, same checks
 * (undefined variables, unknown functions, misplaced end/else/break), same error texts and lines.
 */
import type { BranchNode, ListNode, Node, PipeNode, TemplateNode } from './ast';
import { nodeString } from './ast';
import { TemplateFailure } from './errors';
import { type Item, Lexer } from './lexer';
import { quoteString } from './numbers';

import { ExpressionParser } from './expressions';
import type { ParseOptions, ParseResult, Shared } from './tokenStream';

export type { ParseOptions, ParseResult, Tree } from './tokenStream';

function isEmptyTree(n: Node | undefined): boolean {
  if (n === undefined) return true;
  switch (n.type) {
    case 'comment':
      return true;
    case 'list':
      return n.nodes.every(isEmptyTree);
    case 'text':
      return n.text.trim().length === 0;
    default:
      return false;
  }
}

class TreeParser extends ExpressionParser {
  name = 'definition';
  root: ListNode | undefined;
  private rangeDepth = 0;

  // --- top level ---
  add(): void {
    const existing = this.shared.trees.get(this.name);
    if (existing === undefined || isEmptyTree(existing.root)) {
      this.shared.trees.set(this.name, { name: this.name, root: this.root! });
      return;
    }
    if (!isEmptyTree(this.root)) this.errorf(`template: multiple definition of template ${quoteString(this.name)}`);
  }

  parse(): void {
    const first = this.peek();
    this.root = this.newList(first.pos);
    while (this.peek().type !== 'EOF') {
      if (this.peek().type === 'leftDelim') {
        const delim = this.next();
        if (this.nextNonSpace().type === 'define') {
          const def = new TreeParser(this.shared, this.parseName);
          def.parseDefinition();
          continue;
        }
        this.backup2(delim);
      }
      const n = this.textOrAction();
      if (n.type === 'end' || n.type === 'else') this.errorf(`unexpected ${nodeString(n)}`, n.span);
      this.append(this.root, n);
    }
    this.root.span.end = this.text.length;
  }

  private parseDefinition(): void {
    const context = 'define clause';
    const name = this.expectOneOf('string', 'rawString', context);
    this.name = this.unquote(name);
    this.expect('rightDelim', context);
    const [list, end] = this.itemList();
    this.root = list;
    if (end.type !== 'end') this.errorf(`unexpected ${nodeString(end)} in ${context}`, end.span);
    this.add();
  }

  private itemList(): [ListNode, Node] {
    const list = this.newList(this.peekNonSpace().pos);
    while (this.peekNonSpace().type !== 'EOF') {
      const n = this.textOrAction();
      if (n.type === 'end' || n.type === 'else') {
        list.span.end = n.span.start;
        return [list, n];
      }
      this.append(list, n);
    }
    return this.errorf('unexpected EOF');
  }

  private textOrAction(): Node {
    const token = this.nextNonSpace();
    switch (token.type) {
      case 'text':
        return { type: 'text', pos: token.pos, span: { start: token.pos, end: token.end }, text: token.val };
      case 'leftDelim': {
        this.actionLine = token.line;
        try {
          const n = this.action();
          n.span = { start: token.pos, end: this.lastEnd() };
          return n;
        } finally {
          this.actionLine = 0;
        }
      }
      case 'comment':
        return { type: 'comment', pos: token.pos, span: { start: token.pos, end: token.end }, text: token.val };
      default:
        return this.unexpected(token, 'input');
    }
  }

  private action(): Node {
    const token = this.nextNonSpace();
    switch (token.type) {
      case 'block':
        return this.blockControl();
      case 'break':
      case 'continue':
        return this.loopControl(token);
      case 'else':
        return this.elseControl();
      case 'end':
        return { type: 'end', pos: this.expect('rightDelim', 'end').pos, span: { start: token.pos, end: token.end } };
      case 'if':
      case 'range':
      case 'with':
        return this.branch(token.type);
      case 'template':
        return this.templateControl();
    }
    this.backup();
    const t = this.peek();
    const pipe = this.pipeline('command', 'rightDelim');
    return { type: 'action', pos: t.pos, span: pipe.span, line: t.line, pipe };
  }

  private loopControl(token: Item): Node {
    const name = token.type as 'break' | 'continue';
    const next = this.nextNonSpace();
    if (next.type !== 'rightDelim') this.unexpected(next, `{{${name}}}`);
    if (this.rangeDepth === 0) this.errorf(`{{${name}}} outside {{range}}`, { start: token.pos, end: token.end });
    return { type: name, pos: token.pos, span: { start: token.pos, end: token.end }, line: token.line };
  }

  private branch(type: 'if' | 'range' | 'with'): BranchNode {
    const mark = this.vars.length;
    try {
      const pipe = this.pipeline(type, 'rightDelim');
      if (type === 'range') this.rangeDepth++;
      const [list, firstNext] = this.itemList();
      let next = firstNext;
      if (type === 'range') this.rangeDepth--;
      let elseList: ListNode | undefined;
      if (next.type === 'else') {
        // {{else if}} / {{else with}} (Go 1.23) parse as {{else}}{{if …}}…{{end}}{{end}}.
        const nested = this.peek().type;
        if ((type === 'if' && nested === 'if') || (type === 'with' && nested === 'with')) {
          this.next();
          elseList = this.newList(next.pos);
          const inner = this.branch(type);
          inner.span.start = next.span.start;
          this.append(elseList, inner);
        } else {
          [elseList, next] = this.itemList();
          if (next.type !== 'end') this.errorf(`expected end; found ${nodeString(next)}`, next.span);
        }
      }
      return {
        type,
        pos: pipe.pos,
        span: { start: pipe.pos, end: this.lastEnd() },
        line: pipe.line,
        pipe,
        list,
        elseList,
      };
    } finally {
      this.vars.length = mark;
    }
  }

  private elseControl(): Node {
    const peek = this.peekNonSpace();
    if (peek.type === 'if' || peek.type === 'with') {
      return { type: 'else', pos: peek.pos, span: { start: peek.pos, end: peek.end }, line: peek.line };
    }
    const token = this.expect('rightDelim', 'else');
    return { type: 'else', pos: token.pos, span: { start: token.pos, end: token.end }, line: token.line };
  }

  private blockControl(): TemplateNode {
    const context = 'block clause';
    const token = this.nextNonSpace();
    const name = this.parseTemplateName(token, context);
    const pipe = this.pipeline(context, 'rightDelim');
    const block = new TreeParser(this.shared, this.parseName);
    block.name = name;
    const [list, end] = block.itemList();
    block.root = list;
    if (end.type !== 'end') this.errorf(`unexpected ${nodeString(end)} in ${context}`, end.span);
    block.add();
    return {
      type: 'template',
      pos: token.pos,
      span: { start: token.pos, end: this.lastEnd() },
      line: token.line,
      name,
      pipe,
    };
  }

  private templateControl(): TemplateNode {
    const context = 'template clause';
    const token = this.nextNonSpace();
    const name = this.parseTemplateName(token, context);
    let pipe: PipeNode | undefined;
    if (this.nextNonSpace().type !== 'rightDelim') {
      this.backup();
      pipe = this.pipeline(context, 'rightDelim');
    }
    return {
      type: 'template',
      pos: token.pos,
      span: { start: token.pos, end: this.lastEnd() },
      line: token.line,
      name,
      pipe,
    };
  }

  private parseTemplateName(token: Item, context: string): string {
    if (token.type === 'string' || token.type === 'rawString') return this.unquote(token);
    return this.unexpected(token, context);
  }

  private newList(pos: number): ListNode {
    return { type: 'list', pos, span: { start: pos, end: pos }, nodes: [] };
  }

  private append(list: ListNode, n: Node): void {
    list.nodes.push(n);
    list.span.end = Math.max(list.span.end, n.span.end);
  }
}

/** Parses a template the way Go's template.New(name).Funcs(…).Parse(text) does. Never throws. */
export function parseTemplate(name: string, text: string, options: ParseOptions): ParseResult {
  const shared: Shared = {
    lex: new Lexer(text, 0, {
      breakOK: !options.hasFunction('break'),
      continueOK: !options.hasFunction('continue'),
    }),
    token: [],
    peekCount: 0,
    trees: new Map(),
    options,
    unknownFunctions: [],
  };
  const main = new TreeParser(shared, name);
  main.name = name;
  try {
    main.parse();
    main.add();
    return { trees: shared.trees, error: undefined, unknownFunctions: shared.unknownFunctions };
  } catch (e) {
    if (e instanceof TemplateFailure) {
      return { trees: new Map(), error: e.error, unknownFunctions: shared.unknownFunctions };
    }
    throw e;
  }
}
