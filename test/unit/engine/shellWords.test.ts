import * as assert from 'node:assert/strict';

import { splitShellWords } from '../../../server/src/engine/shellWords';

describe('cmd word splitting (sh rules, empty runner environment)', () => {
  const ok: { text: string; words: string[]; env?: Record<string, string> }[] = [
    { text: 'alpine echo hello world', words: ['alpine', 'echo', 'hello', 'world'] },
    { text: `alpine sh -c 'echo $HOME; ls'`, words: ['alpine', 'sh', '-c', 'echo $HOME; ls'] },
    { text: 'alpine echo "a  b" c\\ d', words: ['alpine', 'echo', 'a  b', 'c d'] },
    { text: 'alpine echo $HOME x', words: ['alpine', 'echo', 'x'] },
    { text: 'alpine echo "$HOME" x', words: ['alpine', 'echo', '', 'x'] },
    { text: 'alpine echo ${NAME:-dflt} ${NAME-x}', words: ['alpine', 'echo', 'dflt', 'x'] },
    { text: 'alpine echo ${NAME:=set} $NAME', words: ['alpine', 'echo', 'set', 'set'] },
    { text: 'alpine echo ${NAME:+alt}.', words: ['alpine', 'echo', '.'] },
    { text: 'alpine echo ${#NAME}', words: ['alpine', 'echo', '0'] },
    { text: 'alpine echo a#b # a comment', words: ['alpine', 'echo', 'a#b'] },
    { text: 'alpine echo *.txt ~', words: ['alpine', 'echo', '*.txt', '~'] },
    { text: 'alpine echo $ "$"', words: ['alpine', 'echo', '$', '$'] },
    { text: 'alpine echo one \\\n two\n', words: ['alpine', 'echo', 'one', 'two'] },
    { text: 'A=1 alpine', words: ['A=1', 'alpine'] },
    { text: 'alpine echo $GREETING', env: { GREETING: 'hi there' }, words: ['alpine', 'echo', 'hi', 'there'] },
    { text: 'alpine echo "$GREETING"', env: { GREETING: 'hi there' }, words: ['alpine', 'echo', 'hi there'] },
  ];
  for (const { text, words, env } of ok) {
    it(`splits ${JSON.stringify(text)}`, () => {
      const result = splitShellWords(text, env);
      assert.ok(result.ok, result.ok ? '' : result.error);
      assert.deepEqual(result.words, words);
    });
  }

  const refused: { text: string; error: string }[] = [
    { text: 'alpine echo hi | wc -c', error: 'the shell operator "|" is not supported' },
    { text: 'alpine true && alpine false', error: 'the shell operator "&&" is not supported' },
    { text: 'alpine true; ls', error: 'the shell operator ";" is not supported' },
    { text: 'alpine echo hi > out.txt', error: 'the shell operator ">" is not supported' },
    { text: 'alpine sleep 1 &', error: 'the shell operator "&" is not supported' },
    { text: 'alpine echo $(id)', error: 'command substitution ($(…)) is not supported' },
    { text: 'alpine echo `id`', error: 'command substitution (`…`) is not supported' },
    {
      text: 'alpine echo one\nalpine echo two',
      error: 'the shell operator "newline" (a second command) is not supported',
    },
    { text: "alpine echo 'open", error: 'unterminated single quote' },
    { text: 'alpine echo ${X:?missing}', error: 'X: missing' },
    // shell-quote cannot read a space inside an unquoted ${…}; sh could, but quoting it works in both.
    { text: 'alpine echo ${X:-a b}', error: 'Bad substitution: X:-a' },
    { text: 'alpine echo ${X/a/b}', error: 'the parameter expansion ${X/a/b} is not supported' },
  ];
  for (const { text, error } of refused) {
    it(`refuses ${JSON.stringify(text)}`, () => {
      const result = splitShellWords(text);
      assert.deepEqual(result.ok ? result.words : result.error, error);
    });
  }

  it('reports the variables it expanded', () => {
    assert.deepEqual(splitShellWords("alpine echo $HOME ${USER:-x} '$NOT'").variables, ['HOME', 'USER']);
  });
});
