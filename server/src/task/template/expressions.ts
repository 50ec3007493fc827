/**
 * Pipelines, commands and operands (Go's Tree.pipeline/command/operand/term), including the
 * parse-time checks on variables and function names.
 */
import type { ArgNode, CommandNode, PipeNode, VariableNode } from './ast';
import { nodeString } from './ast';
import { TemplateFailure, visibleSpan } from './errors';
import type { Item, ItemType } from './lexer';
import { parseNumberLiteral } from './literals';
import { quoteString } from './numbers';
import { TokenStream } from './tokenStream';

export class ExpressionParser extends TokenStream {
  /** Variables in scope at this point of the parse. */
  protected vars: string[] = ['$'];

  protected pipeline(context: string, end: ItemType): PipeNode {
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

  protected checkPipeline(pipe: PipeNode, context: string, endToken: Item): void {
    if (pipe.cmds.length === 0) this.errorf(`missing value for ${context}`, { start: pipe.pos, end: endToken.end });
    pipe.cmds.slice(1).forEach((c, i) => {
      const t = c.args[0].type;
      if (t === 'bool' || t === 'dot' || t === 'nil' || t === 'number' || t === 'string') {
        this.errorf(`non executable command in pipeline stage ${i + 2}`, c.span);
      }
    });
  }

  protected command(): CommandNode {
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

  protected operand(): ArgNode | undefined {
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

  protected term(): ArgNode | undefined {
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

  protected newVariable(token: Item): VariableNode {
    return {
      type: 'variable',
      pos: token.pos,
      span: { start: token.pos, end: token.end },
      ident: token.val.split('.'),
    };
  }
}
