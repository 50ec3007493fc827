/**
 * The lexer of Go's text/template (text/template/parse/lex.go), with the same token boundaries,
 * trim-marker rules and error texts, so that what lexes here lexes the same in acb.
 * Offsets are JS string indices into the template text.
 */

import { quoteString as goQuote } from './numbers';
import {
  type Item,
  type ItemType,
  KEY,
  hasLeftTrimMarker,
  hasRightTrimMarker,
  isAlphaNumeric,
  isSpace,
  runeDescription,
} from './tokens';

export { type Item, type ItemType, KEYWORDS, isAlphaNumeric, runeDescription } from './tokens';

const LEFT_DELIM = '{{';
const RIGHT_DELIM = '}}';
const LEFT_COMMENT = '/*';
const RIGHT_COMMENT = '*/';
const EOF = -1;

type StateFn = ((l: Lexer) => StateFn) | null;

/** Produces items on demand, like Go's lexer.nextItem. */
export class Lexer {
  private start: number;
  private pos: number;
  private parenDepth = 0;
  private state: StateFn = lexText;
  private pending: Item[] = [];
  private readonly lineStarts: number[] = [0];

  constructor(
    readonly input: string,
    startAt = 0,
    readonly options: { emitComment?: boolean; breakOK?: boolean; continueOK?: boolean } = {},
  ) {
    this.start = startAt;
    this.pos = startAt;
    for (let i = 0; i < input.length; i++) if (input.charCodeAt(i) === 10) this.lineStarts.push(i + 1);
  }

  /** 1-based line number of an offset. */
  lineOf(offset: number): number {
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  }

  nextItem(): Item {
    while (this.pending.length === 0) {
      if (this.state === null)
        return { type: 'EOF', pos: this.pos, end: this.pos, val: '', line: this.lineOf(this.pos) };
      this.state = this.state(this);
    }
    return this.pending.shift()!;
  }

  // --- primitives (exposed to the state functions below) ---
  next(): number {
    if (this.pos >= this.input.length) {
      this.pos = this.input.length + 1; // so that backup() returns to the end
      return EOF;
    }
    const r = this.input.codePointAt(this.pos)!;
    this.pos += r > 0xffff ? 2 : 1;
    return r;
  }
  backup(r: number): void {
    this.pos -= r === EOF ? 1 : r > 0xffff ? 2 : 1;
  }
  peek(): number {
    return this.pos >= this.input.length ? EOF : this.input.codePointAt(this.pos)!;
  }
  emit(type: ItemType): StateFn {
    this.pending.push({
      type,
      pos: this.start,
      end: this.pos,
      val: this.input.slice(this.start, this.pos),
      line: this.lineOf(this.start),
    });
    this.start = this.pos;
    return null;
  }
  ignore(): void {
    this.start = this.pos;
  }
  accept(valid: string): boolean {
    const r = this.peek();
    if (r !== EOF && r < 0x80 && valid.includes(String.fromCharCode(r))) {
      this.next();
      return true;
    }
    return false;
  }
  acceptRun(valid: string): void {
    while (this.accept(valid));
  }
  /** Emits an error item and stops lexing. */
  errorf(message: string): StateFn {
    this.pending.push({
      type: 'error',
      pos: this.start,
      end: Math.max(Math.min(this.pos, this.input.length), this.start),
      val: message,
      line: this.lineOf(this.start),
    });
    this.state = null;
    return null;
  }
  atRightDelim(): { delim: boolean; trimSpaces: boolean } {
    if (hasRightTrimMarker(this.input, this.pos) && this.input.startsWith(RIGHT_DELIM, this.pos + 2)) {
      return { delim: true, trimSpaces: true };
    }
    if (this.input.startsWith(RIGHT_DELIM, this.pos)) return { delim: true, trimSpaces: false };
    return { delim: false, trimSpaces: false };
  }
  atTerminator(): boolean {
    const r = this.peek();
    if (isSpace(r)) return true;
    switch (r) {
      case EOF:
      case 0x2e: // .
      case 0x2c: // ,
      case 0x7c: // |
      case 0x3a: // :
      case 0x29: // )
      case 0x28: // (
      case 0x7d: // } (first rune of the right delimiter)
        return true;
    }
    return false;
  }

  // State functions return the next state; they are methods so they can see private fields.
  static text(this: void, l: Lexer): StateFn {
    const x = l.input.indexOf(LEFT_DELIM, l.pos);
    if (x >= 0) {
      if (x > l.pos) {
        l.pos = x;
        let trimLength = 0;
        if (hasLeftTrimMarker(l.input, x + LEFT_DELIM.length)) {
          trimLength = rightTrimLength(l.input.slice(l.start, l.pos));
        }
        l.pos -= trimLength;
        if (l.pos > l.start) l.emit('text');
        l.pos += trimLength;
        l.ignore();
      }
      return lexLeftDelim;
    }
    l.pos = l.input.length;
    if (l.pos > l.start) {
      l.emit('text');
      return lexText;
    }
    l.emit('EOF');
    l.state = null;
    return null;
  }
  static leftDelim(this: void, l: Lexer): StateFn {
    l.pos += LEFT_DELIM.length;
    const trimSpace = hasLeftTrimMarker(l.input, l.pos);
    const afterMarker = trimSpace ? 2 : 0;
    if (l.input.startsWith(LEFT_COMMENT, l.pos + afterMarker)) {
      l.pos += afterMarker;
      l.ignore();
      return lexComment;
    }
    l.emit('leftDelim');
    l.pos += afterMarker;
    l.ignore();
    l.parenDepth = 0;
    return lexInsideAction;
  }
  static comment(this: void, l: Lexer): StateFn {
    l.pos += LEFT_COMMENT.length;
    const x = l.input.indexOf(RIGHT_COMMENT, l.pos);
    if (x < 0) return l.errorf('unclosed comment');
    l.pos = x + RIGHT_COMMENT.length;
    const { delim, trimSpaces } = l.atRightDelim();
    if (!delim) return l.errorf('comment ends before closing delimiter');
    if (l.options.emitComment) l.emit('comment');
    if (trimSpaces) l.pos += 2;
    l.pos += RIGHT_DELIM.length;
    if (trimSpaces) l.pos += leftTrimLength(l.input, l.pos);
    l.ignore();
    return lexText;
  }
  static rightDelim(this: void, l: Lexer): StateFn {
    const trimSpace = hasRightTrimMarker(l.input, l.pos);
    if (trimSpace) {
      l.pos += 2;
      l.ignore();
    }
    l.pos += RIGHT_DELIM.length;
    l.emit('rightDelim');
    if (trimSpace) {
      l.pos += leftTrimLength(l.input, l.pos);
      l.ignore();
    }
    return lexText;
  }
  static insideAction(this: void, l: Lexer): StateFn {
    const { delim } = l.atRightDelim();
    if (delim) {
      if (l.parenDepth === 0) return lexRightDelim;
      return l.errorf('unclosed left paren');
    }
    const r = l.next();
    if (r === EOF) return l.errorf('unclosed action');
    if (isSpace(r)) {
      l.backup(r);
      return lexSpace;
    }
    const c = String.fromCodePoint(r);
    switch (c) {
      case '=':
        l.emit('assign');
        return lexInsideAction;
      case ':':
        if (l.next() !== 0x3d) return l.errorf('expected :=');
        l.emit('declare');
        return lexInsideAction;
      case '|':
        l.emit('pipe');
        return lexInsideAction;
      case '"':
        return lexQuote;
      case '`':
        return lexRawQuote;
      case '$':
        return lexVariable;
      case "'":
        return lexChar;
      case '(':
        l.emit('leftParen');
        l.parenDepth++;
        return lexInsideAction;
      case ')':
        // Go emits the paren first, so the parser reports `unexpected ")" in command`.
        l.emit('rightParen');
        l.parenDepth--;
        if (l.parenDepth < 0) return l.errorf(`unexpected right paren ${runeDescription(r)}`);
        return lexInsideAction;
    }
    if (c === '.') {
      const next = l.input.charCodeAt(l.pos);
      if (l.pos < l.input.length && (next < 0x30 || next > 0x39)) return lexField;
    }
    if (c === '.' || c === '+' || c === '-' || (r >= 0x30 && r <= 0x39)) {
      l.backup(r);
      return lexNumber;
    }
    if (isAlphaNumeric(r)) {
      l.backup(r);
      return lexIdentifier;
    }
    if (r <= 0x7f && r >= 0x20 && r !== 0x7f) {
      l.emit('char');
      return lexInsideAction;
    }
    return l.errorf(`unrecognized character in action: ${runeDescription(r)}`);
  }
  static space(this: void, l: Lexer): StateFn {
    let numSpaces = 0;
    while (isSpace(l.peek())) {
      l.next();
      numSpaces++;
    }
    if (hasRightTrimMarker(l.input, l.pos - 1) && l.input.startsWith(RIGHT_DELIM, l.pos + 1)) {
      l.backup(0x20);
      if (numSpaces === 1) return lexRightDelim;
    }
    l.emit('space');
    return lexInsideAction;
  }
  static identifier(this: void, l: Lexer): StateFn {
    for (;;) {
      const r = l.next();
      if (isAlphaNumeric(r)) continue;
      l.backup(r);
      const word = l.input.slice(l.start, l.pos);
      if (!l.atTerminator()) return l.errorf(`bad character ${runeDescription(r)}`);
      const key = Object.prototype.hasOwnProperty.call(KEY, word) ? KEY[word] : undefined;
      if (key !== undefined && word !== '.') {
        if (
          (key === 'break' && l.options.breakOK === false) ||
          (key === 'continue' && l.options.continueOK === false)
        ) {
          l.emit('identifier');
        } else l.emit(key);
      } else if (word === 'true' || word === 'false') l.emit('bool');
      else l.emit('identifier');
      return lexInsideAction;
    }
  }
  static fieldOrVariable(this: void, l: Lexer, type: 'field' | 'variable'): StateFn {
    if (l.atTerminator()) {
      l.emit(type === 'variable' ? 'variable' : 'dot');
      return lexInsideAction;
    }
    let r: number;
    for (;;) {
      r = l.next();
      if (!isAlphaNumeric(r)) {
        l.backup(r);
        break;
      }
    }
    if (!l.atTerminator()) return l.errorf(`bad character ${runeDescription(r === EOF ? 0xfffd : r)}`);
    l.emit(type);
    return lexInsideAction;
  }
  static char(this: void, l: Lexer): StateFn {
    for (;;) {
      let r = l.next();
      if (r === 0x5c) {
        r = l.next();
        if (r !== EOF && r !== 0x0a) continue;
      }
      if (r === EOF || r === 0x0a) return l.errorf('unterminated character constant');
      if (r === 0x27) break;
    }
    l.emit('charConstant');
    return lexInsideAction;
  }
  static number(this: void, l: Lexer): StateFn {
    if (!scanNumber(l)) return l.errorf(`bad number syntax: ${goQuote(l.input.slice(l.start, l.pos))}`);
    const sign = l.peek();
    if (sign === 0x2b || sign === 0x2d) {
      if (!scanNumber(l) || l.input[l.pos - 1] !== 'i') {
        return l.errorf(`bad number syntax: ${goQuote(l.input.slice(l.start, l.pos))}`);
      }
      l.emit('complex');
    } else l.emit('number');
    return lexInsideAction;
  }
  static quote(this: void, l: Lexer): StateFn {
    for (;;) {
      let r = l.next();
      if (r === 0x5c) {
        r = l.next();
        if (r !== EOF && r !== 0x0a) continue;
      }
      if (r === EOF || r === 0x0a) return l.errorf('unterminated quoted string');
      if (r === 0x22) break;
    }
    l.emit('string');
    return lexInsideAction;
  }
  static rawQuote(this: void, l: Lexer): StateFn {
    for (;;) {
      const r = l.next();
      if (r === EOF) return l.errorf('unterminated raw quoted string');
      if (r === 0x60) break;
    }
    l.emit('rawString');
    return lexInsideAction;
  }
}

function scanNumber(l: Lexer): boolean {
  l.accept('+-');
  let digits = '0123456789_';
  if (l.accept('0')) {
    if (l.accept('xX')) digits = '0123456789abcdefABCDEF_';
    else if (l.accept('oO')) digits = '01234567_';
    else if (l.accept('bB')) digits = '01_';
  }
  l.acceptRun(digits);
  if (l.accept('.')) l.acceptRun(digits);
  if (digits.length === 11 && l.accept('eE')) {
    l.accept('+-');
    l.acceptRun('0123456789_');
  }
  if (digits.length === 23 && l.accept('pP')) {
    l.accept('+-');
    l.acceptRun('0123456789_');
  }
  l.accept('i');
  if (isAlphaNumeric(l.peek())) {
    l.next();
    return false;
  }
  return true;
}

function rightTrimLength(s: string): number {
  let n = 0;
  while (n < s.length && isSpace(s.charCodeAt(s.length - 1 - n))) n++;
  return n;
}

function leftTrimLength(s: string, from: number): number {
  let n = 0;
  while (from + n < s.length && isSpace(s.charCodeAt(from + n))) n++;
  return n;
}

const lexText = Lexer.text;
const lexLeftDelim = Lexer.leftDelim;
const lexComment = Lexer.comment;
const lexRightDelim = Lexer.rightDelim;
const lexInsideAction = Lexer.insideAction;
const lexSpace = Lexer.space;
const lexIdentifier = Lexer.identifier;
const lexField = (l: Lexer): StateFn => Lexer.fieldOrVariable(l, 'field');
const lexVariable = (l: Lexer): StateFn => {
  if (l.atTerminator()) {
    l.emit('variable');
    return lexInsideAction;
  }
  return Lexer.fieldOrVariable(l, 'variable');
};
const lexChar = Lexer.char;
const lexNumber = Lexer.number;
const lexQuote = Lexer.quote;
const lexRawQuote = Lexer.rawQuote;
