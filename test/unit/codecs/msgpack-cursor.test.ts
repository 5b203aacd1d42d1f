// The bytes table against a Map of the decoded strings: every lookup gives the value of its string,
// across rehashes and the reset at capacity; bytes that are not UTF-8 give the invalid value.
import t from 'tap';
import { BytesTable } from '../../../codecs/msgpack-cursor.js';
import { CounterRng } from '../../../maths/random.js';

const rng = new CounterRng(99);
const utf8 = new TextEncoder();

t.test('lookups agree with the strings they name, across rehashes', async (t) => {
  let resolved = 0;
  const table = new BytesTable<string>((s) => (resolved++, `v:${s}`), 'bad');
  const words = Array.from({ length: 5000 }, (_, i) => (i % 11 === 0 ? `Ω-${i}` : `K${i.toString(36)}`));
  // Each word inside a buffer of other bytes, at a random offset, so no lookup can lean on the edges.
  let wrong = 0;
  for (let round = 0; round < 3; round++) {
    for (const w of words) {
      const bytes = utf8.encode(w);
      const at = Math.floor(rng.uniform() * 8);
      const buf = new Uint8Array(at + bytes.length + 8).fill(0x41);
      buf.set(bytes, at);
      if (table.lookup(buf, at, at + bytes.length) !== `v:${w}`) wrong++;
    }
  }
  t.equal(wrong, 0);
  t.equal(resolved, words.length, 'each string resolved once');
  t.equal(table.lookup(Uint8Array.from([0xff, 0xfe]), 0, 2), 'bad', 'not UTF-8');
  t.equal(table.lookup(new Uint8Array(0), 0, 0), 'v:', 'the empty string');
});

t.test('past its capacity the table starts again, and still answers right', async (t) => {
  let resolved = 0;
  const table = new BytesTable<number>((s) => (resolved++, s.length), -1, 100);
  for (let i = 0; i < 1000; i++) {
    const b = utf8.encode(`id-${i}`);
    t.equal(table.lookup(b, 0, b.length), b.length);
  }
  t.equal(resolved, 1000, 'every id new to the table it met');
});
