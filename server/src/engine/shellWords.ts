/**
 * Turning a `cmd` string into the image and arguments, the way ACR's runner shell would (spec §5.6).
 *
 * ACR appends the cmd text to a `docker run …` line and runs it with `/bin/sh -c` on its agent, so sh's
 * quoting, word splitting and `$VAR` expansion apply before Docker sees the words. Locally we keep the
 * first two and refuse what would execute something on the developer's machine:
 * - quotes, backslashes, word splitting and comments as sh does them (tokenised by `shell-quote`, after a
 *   pre-pass that fixes the places where it differs from sh: `#` inside a word, line continuations);
 * - `$VAR`, `${VAR}`, `${VAR:-default}` … expanded against the runner environment, which is EMPTY by
 *   default (ACR's agent environment is unknowable; the language server warns about such references);
 * - shell operators (`|`, `&&`, `;`, `&`, redirections, a second line), command substitution and
 *   unterminated quotes are errors naming the operator (a documented deviation: running them on the
 *   developer's host would be unsafe).
 * Globs (`*`, `?`) and `~` are kept literally, which is what sh does when nothing matches.
 */
import { parse as parseShell } from 'shell-quote';

export type ShellWordsResult =
  { ok: true; words: string[]; variables: string[] } | { ok: false; error: string; variables: string[] };

const PARAMETER =
  /^(?:([A-Za-z_][A-Za-z0-9_]*|[0-9]+|[*@#?$!-])(?:(:?[-=?+])([\s\S]*))?|#([A-Za-z_][A-Za-z0-9_]*|[0-9]+))$/;

class ShellSyntaxError extends Error {}

/**
 * Expands one parameter reference (`NAME` or the text between `${` and `}`) against `env`, following
 * POSIX for unset/empty parameters. Assignments (`${X:=v}`) update `env` for the rest of the line.
 */
function expandParameter(text: string, env: Map<string, string>, variables: Set<string>): string {
  const match = PARAMETER.exec(text);
  if (!match) throw new ShellSyntaxError(`the parameter expansion \${${text}} is not supported`);
  const [, name, operator, word, lengthOf] = match;
  if (lengthOf !== undefined) {
    variables.add(lengthOf);
    return String([...(env.get(lengthOf) ?? '')].length);
  }
  variables.add(name);
  if (name === '#' || name === '?') return env.get(name) ?? '0';
  const value = env.get(name);
  if (operator === undefined) return value ?? '';
  if (/[$`"'\\]/.test(word)) {
    throw new ShellSyntaxError(`quotes or expansions inside \${${text}} are not supported`);
  }
  const unsetOrEmpty = operator.startsWith(':') ? !value : value === undefined;
  switch (operator.replace(':', '')) {
    case '-':
      return unsetOrEmpty ? word : value!;
    case '=':
      if (unsetOrEmpty) env.set(name, word);
      return env.get(name)!;
    case '?':
      if (unsetOrEmpty) throw new ShellSyntaxError(`${name}: ${word || 'parameter not set'}`);
      return value!;
    default: // '+'
      return unsetOrEmpty ? '' : word;
  }
}

/**
 * A pre-pass over the raw text, tracking sh's quoting: rejects what shell-quote would silently accept
 * (unterminated quotes, command substitution, a second command on another line) and rewrites the two
 * things it reads differently from sh (`#` inside a word is literal; backslash-newline disappears).
 */
function preprocess(text: string): string {
  let out = '';
  let quote: "'" | '"' | undefined;
  for (let index = 0; index < text.length; index++) {
    const char = text[index];
    const next = text[index + 1];
    if (quote === "'") {
      if (char === "'") quote = undefined;
      out += char;
      continue;
    }
    if (char === '\\') {
      if (next === '\n') {
        index++; // line continuation
        continue;
      }
      out += char + (next ?? '');
      index++;
      continue;
    }
    if (char === '`' || (char === '$' && next === '(')) {
      throw new ShellSyntaxError(`command substitution (${char === '`' ? '`…`' : '$(…)'}) is not supported`);
    }
    if (quote === '"') {
      if (char === '"') quote = undefined;
      out += char;
      continue;
    }
    if (char === "'" || char === '"') {
      quote = char;
    } else if (char === '#' && index > 0 && !/[\s|&;<>()$]/.test(text[index - 1]) && !text.endsWith('${', index)) {
      out += '\\#';
      continue;
    } else if (char === '\n' && text.slice(index).trim() !== '' && !text.slice(index).trimStart().startsWith('#')) {
      throw new ShellSyntaxError('the shell operator "newline" (a second command) is not supported');
    }
    out += char;
  }
  if (quote !== undefined) throw new ShellSyntaxError(`unterminated ${quote === "'" ? 'single' : 'double'} quote`);
  return out;
}

/**
 * Splits `text` into words as sh would, expanding parameters against `runnerEnv` (empty by default).
 * `variables` lists every parameter name that was referenced, so callers can warn about them.
 */
export function splitShellWords(text: string, runnerEnv: Readonly<Record<string, string>> = {}): ShellWordsResult {
  const env = new Map(Object.entries(runnerEnv));
  const variables = new Set<string>();
  try {
    const entries = parseShell(
      preprocess(text),
      // shell-quote passes `$` followed by no name as an empty key; sh keeps such a `$` literally.
      (key) => (key === '' ? undefined : expandParameter(key, env, variables)),
      { splitUnquoted: true },
    );
    const words: string[] = [];
    for (const entry of entries) {
      if (typeof entry === 'string') {
        words.push(entry);
      } else if ('comment' in entry) {
        break;
      } else if (entry.op === 'glob') {
        words.push(entry.pattern);
      } else {
        throw new ShellSyntaxError(`the shell operator "${entry.op}" is not supported`);
      }
    }
    return { ok: true, words, variables: [...variables] };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false, error: message, variables: [...variables] };
  }
}
