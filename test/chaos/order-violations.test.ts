// The chaos tests' order check on its own (no broker): what it calls a second publisher, and the
// one thing the contract lets through: a former owner's frame on the wire at the handover that
// lands just after the new owner's snapshot, below it (docs/wire-format.md, "One publisher per portfolio").
import t from 'tap';
import { LATE_FRAME_MS, orderViolations, type Seen } from '../../bench/deployment.js';

const f = (src: string, seq: number, at: number, type: Seen['type'] = 'update'): Seen => ({
  channel: 'risk:V00',
  type,
  seq,
  asOf: 1000 + seq,
  at,
  src,
  data: {},
});
const check = (list: Seen[]) => {
  const late: string[] = [];
  return { violations: orderViolations(new Map([['risk:V00', list]]), late), late };
};

t.test('one publisher, then a takeover with a snapshot 1,000 past: clean', async (t) => {
  const { violations, late } = check([f('a', 1, 0), f('a', 2, 10), f('b', 1003, 20, 'snapshot'), f('b', 1004, 30)]);
  t.same(violations, []);
  t.same(late, []);
});

t.test(
  "the former owner's in-flight frame landing just after the snapshot is late, not a second publisher",
  async (t) => {
    const { violations, late } = check([
      f('a', 1, 0),
      f('a', 2, 10),
      f('b', 1003, 20, 'snapshot'),
      f('a', 3, 25),
      f('b', 1004, 30),
    ]);
    t.same(violations, []);
    t.equal(late.length, 1);
    t.match(late[0], /seq 3 from a 5 ms after b took over at seq 1003/);
  },
);

t.test('a former owner still publishing past the window is a second publisher', async (t) => {
  const { violations } = check([f('a', 1, 0), f('b', 1002, 20, 'snapshot'), f('a', 2, 20 + LATE_FRAME_MS + 1)]);
  t.match(violations.join(';'), /seq 1002 snapshot then 2 update \(b then a/);
});

t.test('steps back from one publisher, a repeat, and a gap without a snapshot are violations', async (t) => {
  t.match(check([f('a', 2, 0), f('a', 1, 10)]).violations.join(';'), /seq 2 update then 1/);
  t.match(check([f('a', 2, 0), { ...f('a', 2, 10), record: 9 }]).violations.join(';'), /seq 2 update then 2/);
  t.match(check([f('a', 1, 0), f('a', 5, 10)]).violations.join(';'), /gap 1→5 without snapshot/);
  t.match(check([f('a', 1, 0), f('b', 1, 10)]).violations.join(';'), /seq 1 update then 1 update \(a then b/);
});
