/**
 * Static analysis of a task template for the editor: every {{ … }} action with its kind, the
 * field chains and functions it uses, and the errors acb would report when parsing.
 *
 * Actions come from a token scan that restarts after a broken action, so one typo does not hide
 * the rest of the file; the errors come from the Go-faithful parser (first structural error) plus
 * one error per call of a function that does not exist.
 */
import { templateTooDeep } from './nesting';
import { type TemplateError, type TemplateSpan, visibleSpan } from './errors';
import { FUNCTIONS } from './functions';
import { type Item, Lexer } from './lexer';
import { quoteString } from './numbers';
import { parseTemplate } from './parser';

export type TemplateActionKind =
  | 'output'
  | 'if'
  | 'else'
  | 'else-if'
  | 'else-with'
  | 'end'
  | 'range'
  | 'with'
  | 'define'
  | 'template'
  | 'block'
  | 'comment'
  | 'break'
  | 'continue';

/** A field chain such as `.Values.image` (path ['Values','image']). */
export interface FieldReference {
  path: string[];
  /** Covers the whole chain, e.g. `.Values.image` or `$.Values.image`. */
  span: TemplateSpan;
  /** The chain starts at the task data: `$.X`, or `.X` where dot is still the data (not inside range/with/define/block). */
  fromRoot: boolean;
  /** What the chain starts from: dot, the root variable `$`, another variable, or a parenthesised/function value. */
  base: 'dot' | 'root' | 'variable' | 'expression';
  /** The variable name for base 'variable' (e.g. `$img`). */
  variable?: string;
}

export interface TemplateFunctionUse {
  name: string;
  span: TemplateSpan;
  /** Whether acb's engine has this function. */
  known: boolean;
}

export interface TemplateAction {
  /** The whole {{ … }} including delimiters and trim markers. */
  span: TemplateSpan;
  kind: TemplateActionKind;
  /** The action writes nothing (control actions, comments, variable declarations like {{ $x := 1 }}). */
  control: boolean;
  fields: FieldReference[];
  functions: TemplateFunctionUse[];
}

export interface TemplateAnalysis {
  /** Every {{ … }} including comments, in order. */
  actions: TemplateAction[];
  /** Lex/parse errors and calls of functions that do not exist. */
  errors: TemplateError[];
}

const KEYWORD_KINDS: Partial<Record<Item['type'], TemplateActionKind>> = {
  if: 'if',
  end: 'end',
  range: 'range',
  with: 'with',
  define: 'define',
  template: 'template',
  block: 'block',
  break: 'break',
  continue: 'continue',
};

/** Open blocks while scanning: whether dot inside is something other than the task data. */
interface Scope {
  kind: TemplateActionKind;
  changesDot: boolean;
}

function classify(tokens: Item[]): { kind: TemplateActionKind; control: boolean } {
  const [first, second] = tokens;
  if (first === undefined) return { kind: 'output', control: false };
  if (first.type === 'else') {
    if (second?.type === 'if') return { kind: 'else-if', control: true };
    if (second?.type === 'with') return { kind: 'else-with', control: true };
    return { kind: 'else', control: true };
  }
  const keyword = KEYWORD_KINDS[first.type];
  if (keyword !== undefined) return { kind: keyword, control: keyword !== 'template' && keyword !== 'block' };
  const declares = first.type === 'variable' && (second?.type === 'declare' || second?.type === 'assign');
  return { kind: 'output', control: declares };
}

function updateScopes(scopes: Scope[], kind: TemplateActionKind): void {
  switch (kind) {
    case 'if':
      scopes.push({ kind, changesDot: false });
      break;
    case 'range':
    case 'with':
    case 'define':
    case 'block':
      scopes.push({ kind, changesDot: true });
      break;
    case 'else': {
      // The else branch of range/with runs with the outer dot.
      const top = scopes[scopes.length - 1];
      if (top !== undefined && (top.kind === 'range' || top.kind === 'with')) top.changesDot = false;
      break;
    }
    case 'else-with': {
      const top = scopes[scopes.length - 1];
      if (top !== undefined) top.changesDot = true;
      break;
    }
    case 'end':
      scopes.pop();
      break;
  }
}

function fieldsOf(all: Item[], dotIsRoot: boolean): FieldReference[] {
  const refs: FieldReference[] = [];
  for (let i = 0; i < all.length; i++) {
    const t = all[i];
    if (t.type !== 'field') continue;
    const prev = all[i - 1];
    const adjacent = prev !== undefined && prev.end === t.pos;
    if (adjacent && prev.type === 'field') continue; // already part of a chain
    let start = t.pos;
    let ref: Omit<FieldReference, 'path' | 'span'>;
    if (adjacent && prev.type === 'variable') {
      start = prev.pos;
      ref =
        prev.val === '$' ? { fromRoot: true, base: 'root' } : { fromRoot: false, base: 'variable', variable: prev.val };
    } else if (adjacent && (prev.type === 'rightParen' || prev.type === 'identifier')) {
      ref = { fromRoot: false, base: 'expression' };
    } else {
      ref = { fromRoot: dotIsRoot, base: 'dot' };
    }
    const path: string[] = [];
    let end = t.end;
    for (let j = i; j < all.length && all[j].type === 'field' && (j === i || all[j - 1].end === all[j].pos); j++) {
      path.push(all[j].val.slice(1));
      end = all[j].end;
    }
    refs.push({ path, span: { start, end }, ...ref });
  }
  return refs;
}

interface ScanResult {
  actions: TemplateAction[];
  unknownFunctions: TemplateError[];
}

function scanActions(text: string): ScanResult {
  const actions: TemplateAction[] = [];
  const unknownFunctions: TemplateError[] = [];
  const scopes: Scope[] = [];
  let lexer = new Lexer(text, 0, { emitComment: true });
  let open: { start: number; tokens: Item[] } | undefined;
  const finish = (end: number): void => {
    if (open === undefined) return;
    const tokens = open.tokens.filter((t) => t.type !== 'space');
    const { kind, control } = classify(tokens);
    const dotIsRoot = !scopes.some((s) => s.changesDot);
    const functions = tokens
      .filter((t) => t.type === 'identifier')
      .map((t) => ({ name: t.val, span: { start: t.pos, end: t.end }, known: FUNCTIONS.has(t.val) }));
    for (const f of functions) {
      if (f.known) continue;
      unknownFunctions.push({
        message: `template: task:${lexer.lineOf(f.span.start)}: function ${quoteString(f.name)} not defined`,
        span: f.span,
      });
    }
    actions.push({
      span: { start: open.start, end },
      kind,
      control,
      fields: fieldsOf(open.tokens, dotIsRoot),
      functions,
    });
    updateScopes(scopes, kind);
    open = undefined;
  };
  for (let guard = 0; guard <= text.length + 1; guard++) {
    const item = lexer.nextItem();
    if (item.type === 'EOF') break;
    if (item.type === 'comment') {
      const start = text.lastIndexOf('{{', item.pos);
      const end = item.end + (text.startsWith(' -}}', item.end) ? 4 : 2);
      actions.push({ span: { start, end }, kind: 'comment', control: true, fields: [], functions: [] });
      continue;
    }
    if (item.type === 'leftDelim') {
      open = { start: item.pos, tokens: [] };
      continue;
    }
    if (item.type === 'rightDelim') {
      finish(item.end);
      continue;
    }
    if (item.type === 'error') {
      // Resume after the next "}}" so later actions are still analysed.
      const close = text.indexOf('}}', Math.max(item.pos, open?.start ?? item.pos));
      const resume = close < 0 ? text.length : close + 2;
      if (open === undefined) open = { start: text.lastIndexOf('{{', item.pos), tokens: [] };
      finish(Math.max(resume, open.start + 2));
      if (resume >= text.length) break;
      lexer = new Lexer(text, resume, { emitComment: true });
      continue;
    }
    if (open !== undefined) open.tokens.push(item);
  }
  return { actions, unknownFunctions };
}

/** Analyses a template without executing it. Never throws. */
export function analyzeTemplate(text: string): TemplateAnalysis {
  const tooDeep = templateTooDeep(text);
  if (tooDeep !== undefined)
    return {
      actions: [],
      errors: [
        { message: 'template: task: template nested too deeply', span: visibleSpan(tooDeep, tooDeep, text.length) },
      ],
    };
  try {
    const parsed = parseTemplate('task', text, { hasFunction: (n) => FUNCTIONS.has(n), collectUnknownFunctions: true });
    const scan = scanActions(text);
    const errors = [...scan.unknownFunctions];
    if (parsed.error !== undefined) errors.push(parsed.error);
    errors.sort((a, b) => a.span.start - b.span.start);
    return { actions: scan.actions, errors };
  } catch (e) {
    return {
      actions: [],
      errors: [
        {
          message:
            e instanceof RangeError
              ? 'template: task: template nested too deeply'
              : `template: task: internal error: ${(e as Error).message}`,
          span: visibleSpan(0, 0, text.length),
        },
      ],
    };
  }
}
