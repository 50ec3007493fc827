/**
 * The parser's token buffer and error reporting, exactly as Go's Tree.next/backup/peek and
 * Tree.errorf/unexpected: errors carry the line of the most recently lexed token.
 */
import type { ListNode } from './ast';
import { type TemplateError, TemplateFailure, visibleSpan } from './errors';
import { type Item, type ItemType, KEYWORDS, type Lexer } from './lexer';
import { goUnquote } from './literals';
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

export interface Shared {
  lex: Lexer;
  token: Item[];
  peekCount: number;
  trees: Map<string, Tree>;
  options: ParseOptions;
  unknownFunctions: TemplateError[];
}

/** Go's item.String(), used in "unexpected X in Y" messages. */
export function itemString(i: Item): string {
  if (i.type === 'EOF') return 'EOF';
  if (i.type === 'error') return i.val;
  if (KEYWORDS.has(i.type)) return `<${i.val}>`;
  const runes = Array.from(i.val);
  if (runes.length > 10) return `${quoteString(runes.slice(0, 10).join(''))}...`;
  return quoteString(i.val);
}

export class TokenStream {
  constructor(
    protected readonly shared: Shared,
    protected readonly parseName: string,
  ) {}

  /** Line of the {{ that started the action being parsed (0 outside actions), for lexer errors. */
  protected actionLine = 0;

  protected get text(): string {
    return this.shared.lex.input;
  }

  // --- token buffer, exactly as Go's Tree.next/backup/peek ---
  protected next(): Item {
    const s = this.shared;
    if (s.peekCount > 0) s.peekCount--;
    else s.token[0] = s.lex.nextItem();
    return s.token[s.peekCount];
  }
  protected backup(): void {
    this.shared.peekCount++;
  }
  protected backup2(t1: Item): void {
    this.shared.token[1] = t1;
    this.shared.peekCount = 2;
  }
  protected backup3(t2: Item, t1: Item): void {
    this.shared.token[1] = t1;
    this.shared.token[2] = t2;
    this.shared.peekCount = 3;
  }
  protected peek(): Item {
    const s = this.shared;
    if (s.peekCount > 0) return s.token[s.peekCount - 1];
    s.peekCount = 1;
    s.token[0] = s.lex.nextItem();
    return s.token[0];
  }
  protected nextNonSpace(): Item {
    let t: Item;
    do t = this.next();
    while (t.type === 'space');
    return t;
  }
  protected peekNonSpace(): Item {
    const t = this.nextNonSpace();
    this.backup();
    return t;
  }

  // --- errors ---
  protected errorf(message: string, at?: { start: number; end: number }): never {
    const tok = this.shared.token[0];
    const span = at ?? { start: tok.pos, end: tok.end };
    throw new TemplateFailure({
      message: `template: ${this.parseName}:${tok.line}: ${message}`,
      span: visibleSpan(span.start, span.end, this.text.length),
    });
  }
  protected unexpected(token: Item, context: string): never {
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
  protected expect(expected: ItemType, context: string): Item {
    const token = this.nextNonSpace();
    if (token.type !== expected) this.unexpected(token, context);
    return token;
  }
  protected expectOneOf(a: ItemType, b: ItemType, context: string): Item {
    const token = this.nextNonSpace();
    if (token.type !== a && token.type !== b) this.unexpected(token, context);
    return token;
  }
  protected unquote(token: Item): string {
    try {
      return goUnquote(token.val);
    } catch (e) {
      return this.errorf((e as Error).message, { start: token.pos, end: token.end });
    }
  }
  /** End offset of the most recently consumed token. */
  protected lastEnd(): number {
    const s = this.shared;
    return s.token[s.peekCount]?.end ?? s.token[0].end;
  }
}
