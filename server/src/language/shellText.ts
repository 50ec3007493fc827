/**
 * A small quote-aware reading of a `cmd` string the way the POSIX shell on ACR's agent sees it
 * (spec §5.6): operators and `$VAR` expansions outside single quotes. It is not a shell parser; it only
 * finds what the agent shell would act on before Docker ever sees the arguments.
 */
import type { Span } from '../task/model';

export interface ShellOperator {
  operator: string;
  span: Span;
}

export interface ShellVariable {
  /** The variable name (`HOME` for `$HOME` and `${HOME}`). */
  name: string;
  /** Covers `$NAME` or `${NAME}` (offsets into the scanned string). */
  span: Span;
}

export interface ShellReading {
  operators: ShellOperator[];
  variables: ShellVariable[];
}

// Longest first, so `&&` is not read as two `&`.
const OPERATORS = ['&&', '||', '>>', ';;', '|', ';', '>', '<', '&'];
const NAME_START = /[A-Za-z_]/;
const NAME_CHAR = /[A-Za-z0-9_]/;

function readVariable(text: string, dollar: number): ShellVariable | undefined {
  const next = text[dollar + 1];
  if (next === '{') {
    const close = text.indexOf('}', dollar + 2);
    const name = close < 0 ? '' : text.slice(dollar + 2, close);
    if (!/^[A-Za-z_][A-Za-z0-9_]*/.test(name)) return undefined;
    const bare = /^[A-Za-z_][A-Za-z0-9_]*/.exec(name)?.[0] ?? name;
    return { name: bare, span: { start: dollar, end: close + 1 } };
  }
  if (next === undefined || !NAME_START.test(next)) return undefined;
  let end = dollar + 2;
  while (end < text.length && NAME_CHAR.test(text[end])) end++;
  return { name: text.slice(dollar + 1, end), span: { start: dollar, end } };
}

/** Operators and variable expansions the agent shell acts on in `text`. */
export function readShellText(text: string): ShellReading {
  const operators: ShellOperator[] = [];
  const variables: ShellVariable[] = [];
  let quote: '"' | "'" | undefined;
  for (let index = 0; index < text.length; index++) {
    const char = text[index];
    if (quote === "'") {
      if (char === "'") quote = undefined;
      continue;
    }
    if (char === '\\') {
      index++; // the escaped character is literal
      continue;
    }
    if (char === '$') {
      if (text[index + 1] === '$') {
        index++; // `$$` is the shell's own PID, not a `$NAME`
        continue;
      }
      const variable = readVariable(text, index);
      if (variable) {
        variables.push(variable);
        index = variable.span.end - 1;
      }
      continue;
    }
    if (quote === '"') {
      if (char === '"') quote = undefined;
      continue;
    }
    if (char === '"' || char === "'") {
      quote = char;
      continue;
    }
    const operator = OPERATORS.find((candidate) => text.startsWith(candidate, index));
    if (operator !== undefined) {
      // `2>&1` and `>&2` are one redirection, not a background `&`.
      const end = operator === '>' && text[index + 1] === '&' ? index + 2 : index + operator.length;
      operators.push({ operator: text.slice(index, end), span: { start: index, end } });
      index = end - 1;
    }
  }
  return { operators, variables };
}
