import * as assert from 'node:assert/strict';
import fc from 'fast-check';

import { MASK, SecretMasker } from '../../../server/src/engine/secrets/masker';

/** Feeds `text` to a streaming masker in the given pieces and returns everything it let out. */
function streamed(masker: SecretMasker, pieces: readonly (string | Buffer)[]): string {
  const stream = masker.stream();
  return pieces.map((piece) => stream.write(piece)).join('') + stream.end();
}

function splitAt(text: string, cuts: readonly number[]): string[] {
  const points = [...new Set(cuts.map((cut) => cut % (text.length + 1)))].sort((a, b) => a - b);
  const pieces: string[] = [];
  let last = 0;
  for (const point of points) {
    pieces.push(text.slice(last, point));
    last = point;
  }
  pieces.push(text.slice(last));
  return pieces;
}

describe('secret masking', () => {
  const cases: { name: string; secrets: string[]; text: string; expected: string }[] = [
    { name: 'plain value', secrets: ['hunter2'], text: 'password is hunter2.', expected: `password is ${MASK}.` },
    { name: 'Base64 form', secrets: ['hunter2'], text: 'aHVudGVyMg==', expected: MASK },
    { name: 'every occurrence', secrets: ['ab'], text: 'ab-ab', expected: `${MASK}-${MASK}` },
    { name: 'longest secret wins at a position', secrets: ['abc', 'abcdef'], text: 'xabcdefx', expected: `x${MASK}x` },
    { name: 'whitespace-only values are not masked', secrets: [' ', ''], text: 'a b', expected: 'a b' },
    { name: 'no secrets', secrets: [], text: 'anything', expected: 'anything' },
  ];
  for (const { name, secrets, text, expected } of cases) {
    it(name, () => assert.equal(new SecretMasker(secrets).mask(text), expected));
  }

  it('masks a secret split across chunks, holding back only a possible prefix', () => {
    const stream = new SecretMasker(['s3cr3t']).stream();
    assert.equal(stream.write('token: s3'), 'token: ');
    assert.equal(stream.write('cr'), '');
    assert.equal(stream.write('3t and more'), `${MASK} and more`);
    assert.equal(stream.end(), '');
  });

  it('releases a held-back prefix that did not become a secret', () => {
    const stream = new SecretMasker(['s3cr3t']).stream();
    assert.equal(stream.write('s3c'), '');
    assert.equal(stream.write('x'), 's3cx');
    assert.equal(stream.write('s3'), '');
    assert.equal(stream.end(), 's3');
  });

  it('reassembles UTF-8 characters split between byte chunks', () => {
    const bytes = Buffer.from('clé: ünïcödé', 'utf8');
    const pieces = [bytes.subarray(0, 3), bytes.subarray(3, 9), bytes.subarray(9)];
    assert.equal(streamed(new SecretMasker(['ünïcödé']), pieces), `clé: ${MASK}`);
  });

  it('masks every string inside an event object', () => {
    const masker = new SecretMasker(['pw']);
    assert.deepEqual(masker.maskDeep({ a: 'x pw', b: ['pw', 3], c: { d: 'pwpw' } }), {
      a: `x ${MASK}`,
      b: [MASK, 3],
      c: { d: `${MASK}${MASK}` },
    });
  });

  it('streamed output equals masking the whole text, however it is chunked (property)', () => {
    const alphabet = fc.constantFrom('a', 'b', 'c', '=', 'Y', 'W');
    fc.assert(
      fc.property(
        fc.array(fc.string({ unit: alphabet, minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 3 }),
        fc.string({ unit: alphabet, maxLength: 60 }),
        fc.array(fc.nat(), { maxLength: 8 }),
        (secrets, text, cuts) => {
          const masker = new SecretMasker(secrets);
          assert.equal(streamed(masker, splitAt(text, cuts)), masker.mask(text));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('never lets a single secret through, however it is chunked (property)', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom('a', 'b', 'c'), minLength: 2, maxLength: 5 }),
        fc.array(fc.constantFrom('a', 'b', 'c', 'x', '\n'), { maxLength: 40 }),
        fc.array(fc.nat(), { maxLength: 6 }),
        fc.nat(),
        (secret, noise, cuts, insertAt) => {
          const base = noise.join('');
          const position = insertAt % (base.length + 1);
          const text = base.slice(0, position) + secret + base.slice(position);
          const output = streamed(new SecretMasker([secret]), splitAt(text, cuts));
          assert.ok(!output.includes(secret), `${JSON.stringify(secret)} leaked in ${JSON.stringify(output)}`);
        },
      ),
      { numRuns: 500 },
    );
  });
});
