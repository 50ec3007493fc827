/**
 * The parser of Go's text/template (text/template/parse/parse.go): same grammar, same checks
 * (undefined variables, unknown functions, misplaced end/else/break), same error texts and lines.
 */
import type { ArgNode, BranchNode, CommandNode, ListNode, Node, PipeNode, TemplateNode, VariableNode } from './ast';
import { nodeString } from './ast';
import { type TemplateError, TemplateFailure, visibleSpan } from './errors';
import { type Item, type ItemType, KEYWORDS, Lexer } from './lexer';
import { goUnquote, parseNumberLiteral } from './literals';
import { quoteString } from './numbers';

export interface Tree {
  name: string;
  root: ListNode;
}

export interface ParseOptions {
  /** Whether a function name exists (Go checks this while parsing). */
  hasFunction: (name: string) => boolean;
  /** Editor mode: record unknown functions and keep parsing instead of stopping at the first. */
  collectUnknownFunctions?: boolean;
}

export interface ParseResult {
  /** Templates by name: the main one plus every {{define}} / {{block}}. */
  trees: Map<string, Tree>;
  /** The first structural error, as Go reports it (parsing stops there). */
  error: TemplateError | undefined;
  /** In editor mode, every call of an unknown function. */
  unknownFunctions: TemplateError[];
}

/** Go's item.String(), used in "unexpected X in Y" messages. */
function itemString(i: Item): string {
  if (i.type === 'EOF') return 'EOF';
  if (i.type === 'error') return i.val;
  if (KEYWORDS.has(i.type)) return `<${i.val}>`;
  const runes = Array.from(i.val);
  if (runes.length > 10) return `${quoteString(runes.slice(0, 10).join(''))}...`;
  return quoteString(i.val);
}

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

class TreeParser {
  name = 'definition';
  root: ListNode | undefined;
  private vars: string[] = ['$'];
  private actionLine = 0;
  private rangeDepth = 0;

  constructor(
    private readonly shared: Shared,
    private readonly parseName: string,
  ) {}

  private get text(): string {
    return this.shared.lex.input;
  }

  // --- token buffer, exactly as Go's Tree.next/backup/peek ---
  private next(): Item {
    const s = this.shared;
    if (s.peekCount > 0) s.peekCount--;
    else s.token[0] = s.lex.nextItem();
    return s.token[s.peekCount];
  }
  private backup(): void {
    this.shared.peekCount++;
  }
  private backup2(t1: Item): void {
    this.shared.token[1] = t1;
    this.shared.peekCount = 2;
  }
  private backup3(t2: Item, t1: Item): void {
    this.shared.token[1] = t1;
    this.shared.token[2] = t2;
    this.shared.peekCount = 3;
  }
  private peek(): Item {
    const s = this.shared;
    if (s.peekCount > 0) return s.token[s.peekCount - 1];
    s.peekCount = 1;
    s.token[0] = s.lex.nextItem();
    return s.token[0];
  }
  private nextNonSpace(): Item {
    let t: Item;
    do t = this.next();
    while (t.type === 'space');
    return t;
  }
  private peekNonSpace(): Item {
    const t = this.nextNonSpace();
    this.backup();
    return t;
  }

  // --- errors ---
  private errorf(message: string, at?: { start: number; end: number }): never {
    const tok = this.shared.token[0];
    const span = at ?? { start: tok.pos, end: tok.end };
    throw new TemplateFailure({
      message: `template: ${this.parseName}:${tok.line}: ${message}`,
      span: visibleSpan(span.start, span.end, this.text.length),
    });
  }
  private unexpected(token: Item, context: string): never {
    const at = { start: token.pos, end: token.end };
    if (token.type === 'error') {
      let extra = '';
      if (this.actionLine !== 0 && this.actionLine !== token.line) {
        extra = ` in action started at ${this.parseName}:${this.actionLine}`;
        if (token.val.endsWith(' action')) extra = extra.slice(' in action'.length);
      }
      this.errorf(`${token.val}${extra}`, at);
    }
    this.errorf(`unexpected ${itemString(token)} in ${context}`, at);
  }
  private expect(expected: ItemType, context: string): Item {
    const token = this.nextNonSpace();
    if (token.type !== expected) this.unexpected(token, context);
    return token;
  }
  private expectOneOf(a: ItemType, b: ItemType, context: string): Item {
    const token = this.nextNonSpace();
    if (token.type !== a && token.type !== b) this.unexpected(token, context);
    return token;
  }
  private unquote(token: Item): string {
    try {
      return goUnquote(token.val);
    } catch (e) {
      return this.errorf((e as Error).message, { start: token.pos, end: token.end });
    }
  }

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

  /** End offset of the most recently consumed token. */
  private lastEnd(): number {
    const s = this.shared;
    return s.token[s.peekCount]?.end ?? s.token[0].end;
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

  private pipeline(context: string, end: ItemType): PipeNode {
    const token = this.peekNonSpace();
    const pipe: PipeNode = {
      type: 'pipe',
      pos: token.pos,
      span: { start: token.pos, end: token.end },
      line: token.line,
      isAssign: false,
      decl: [],
      cmds: [],
    };
    for (;;) {
      const v = this.peekNonSpace();
      if (v.type !== 'variable') break;
      this.next();
      const tokenAfterVariable = this.peek();
      const next = this.peekNonSpace();
      if (next.type === 'assign' || next.type === 'declare') {
        pipe.isAssign = next.type === 'assign';
        this.nextNonSpace();
        pipe.decl.push(this.newVariable(v));
        this.vars.push(v.val);
      } else if (next.type === 'char' && next.val === ',') {
        this.nextNonSpace();
        pipe.decl.push(this.newVariable(v));
        this.vars.push(v.val);
        if (context === 'range' && pipe.decl.length < 2) {
          const after = this.peekNonSpace().type;
          if (after === 'variable' || after === 'rightDelim' || after === 'rightParen') continue;
          this.errorf('range can only initialize variables');
        }
        this.errorf(`too many declarations in ${context}`);
      } else if (tokenAfterVariable.type === 'space') {
        this.backup3(v, tokenAfterVariable);
      } else {
        this.backup2(v);
      }
      break;
    }
    for (;;) {
      const token = this.nextNonSpace();
      if (token.type === end) {
        pipe.span.end = token.type === 'rightParen' ? token.end : token.pos;
        this.checkPipeline(pipe, context, token);
        return pipe;
      }
      switch (token.type) {
        case 'bool':
        case 'charConstant':
        case 'complex':
        case 'dot':
        case 'field':
        case 'identifier':
        case 'number':
        case 'nil':
        case 'rawString':
        case 'string':
        case 'variable':
        case 'leftParen':
          this.backup();
          pipe.cmds.push(this.command());
          break;
        default:
          this.unexpected(token, context);
      }
    }
  }

  private checkPipeline(pipe: PipeNode, context: string, endToken: Item): void {
    if (pipe.cmds.length === 0) this.errorf(`missing value for ${context}`, { start: pipe.pos, end: endToken.end });
    pipe.cmds.slice(1).forEach((c, i) => {
      const t = c.args[0].type;
      if (t === 'bool' || t === 'dot' || t === 'nil' || t === 'number' || t === 'string') {
        this.errorf(`non executable command in pipeline stage ${i + 2}`, c.span);
      }
    });
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

  private command(): CommandNode {
    const first = this.peekNonSpace();
    const cmd: CommandNode = { type: 'command', pos: first.pos, span: { start: first.pos, end: first.end }, args: [] };
    for (;;) {
      this.peekNonSpace();
      const operand = this.operand();
      if (operand !== undefined) {
        cmd.args.push(operand);
        cmd.span.end = operand.span.end;
      }
      const token = this.next();
      if (token.type === 'space') continue;
      if (token.type === 'rightDelim' || token.type === 'rightParen') this.backup();
      else if (token.type !== 'pipe') this.unexpected(token, 'operand');
      break;
    }
    if (cmd.args.length === 0) this.errorf('empty command');
    return cmd;
  }

  private operand(): ArgNode | undefined {
    let node = this.term();
    if (node === undefined) return undefined;
    if (this.peek().type === 'field') {
      const chainPos = this.peek().pos;
      const fields: string[] = [];
      let end = node.span.end;
      while (this.peek().type === 'field') {
        const f = this.next();
        fields.push(f.val.slice(1));
        end = f.end;
      }
      const span = { start: node.span.start, end };
      switch (node.type) {
        case 'field':
          node = { type: 'field', pos: chainPos, span, ident: [...node.ident, ...fields] };
          break;
        case 'variable':
          node = { type: 'variable', pos: chainPos, span, ident: [...node.ident, ...fields] };
          break;
        case 'bool':
        case 'string':
        case 'number':
        case 'nil':
        case 'dot':
          this.errorf(`unexpected . after term ${quoteString(nodeString(node))}`, span);
          break;
        default:
          node = { type: 'chain', pos: chainPos, span, node, field: fields };
      }
    }
    return node;
  }

  private term(): ArgNode | undefined {
    const token = this.nextNonSpace();
    const span = { start: token.pos, end: token.end };
    switch (token.type) {
      case 'identifier':
        if (!this.shared.options.hasFunction(token.val)) {
          const error = {
            message: `template: ${this.parseName}:${token.line}: function ${quoteString(token.val)} not defined`,
            span: visibleSpan(token.pos, token.end, this.text.length),
          };
          if (!this.shared.options.collectUnknownFunctions) throw new TemplateFailure(error);
          this.shared.unknownFunctions.push(error);
        }
        return { type: 'identifier', pos: token.pos, span, ident: token.val };
      case 'dot':
        return { type: 'dot', pos: token.pos, span };
      case 'nil':
        return { type: 'nil', pos: token.pos, span };
      case 'variable':
        if (!this.vars.includes(token.val)) this.errorf(`undefined variable ${quoteString(token.val)}`, span);
        return this.newVariable(token);
      case 'field':
        return { type: 'field', pos: token.pos, span, ident: [token.val.slice(1)] };
      case 'bool':
        return { type: 'bool', pos: token.pos, span, value: token.val === 'true' };
      case 'charConstant':
      case 'complex':
      case 'number':
        try {
          return {
            type: 'number',
            pos: token.pos,
            span,
            text: token.val,
            ...parseNumberLiteral(token.val, token.type),
          };
        } catch (e) {
          return this.errorf((e as Error).message, span);
        }
      case 'leftParen': {
        const pipe = this.pipeline('parenthesized pipeline', 'rightParen');
        pipe.span.start = token.pos;
        return pipe;
      }
      case 'string':
      case 'rawString':
        return { type: 'string', pos: token.pos, span, quoted: token.val, text: this.unquote(token) };
    }
    this.backup();
    return undefined;
  }

  private newVariable(token: Item): VariableNode {
    return {
      type: 'variable',
      pos: token.pos,
      span: { start: token.pos, end: token.end },
      ident: token.val.split('.'),
    };
  }

  private newList(pos: number): ListNode {
    return { type: 'list', pos, span: { start: pos, end: pos }, nodes: [] };
  }

  private append(list: ListNode, n: Node): void {
    list.nodes.push(n);
    list.span.end = Math.max(list.span.end, n.span.end);
  }
}

interface Shared {
  lex: Lexer;
  token: Item[];
  peekCount: number;
  trees: Map<string, Tree>;
  options: ParseOptions;
  unknownFunctions: TemplateError[];
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
