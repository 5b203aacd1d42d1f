import t from 'tap';
import { applyFill } from '../../../engine/positions.js';

t.test('adding to a position moves the average cost to the weighted mean', async (t) => {
  let f = applyFill(0, 0, 100, 10);
  t.same(f, { qty: 100, avgCost: 10, realized: 0, closed: 0 });
  f = applyFill(f.qty, f.avgCost, 300, 14);
  t.equal(f.qty, 400);
  t.equal(f.avgCost, 13);
  t.equal(f.realized, 0);
});

t.test('selling part realises against the average cost, which stays', async (t) => {
  const f = applyFill(400, 13, -100, 15);
  t.equal(f.qty, 300);
  t.equal(f.avgCost, 13);
  t.equal(f.realized, 200);
  t.equal(f.closed, 100);
});

t.test('closing in full leaves a flat position with cost 0', async (t) => {
  const f = applyFill(300, 13, -300, 12);
  t.equal(f.qty, 0);
  t.equal(f.avgCost, 0);
  t.equal(f.realized, -300);
});

t.test('shorts: selling from flat opens a short; covering realises the other way', async (t) => {
  let f = applyFill(0, 0, -50, 20);
  t.same([f.qty, f.avgCost, f.realized], [-50, 20, 0]);
  f = applyFill(-50, 20, -50, 22);
  t.same([f.qty, f.avgCost], [-100, 21]);
  f = applyFill(-100, 21, 40, 19);
  t.same([f.qty, f.avgCost, f.realized, f.closed], [-60, 21, 80, -40]);
});

t.test('a fill through zero closes all and opens the rest at the fill price', async (t) => {
  const f = applyFill(100, 10, -250, 12);
  t.equal(f.qty, -150);
  t.equal(f.avgCost, 12);
  t.equal(f.realized, 200, 'only the 100 held are realised');
  t.equal(f.closed, 100);
  const g = applyFill(-150, 12, 200, 11);
  t.same([g.qty, g.avgCost, g.realized], [50, 11, 150]);
});

t.test('partial fills add up to the same position as one fill', async (t) => {
  let a = { qty: 0, avgCost: 0, realized: 0, closed: 0 };
  let realized = 0;
  for (const [q, p] of [
    [30, 100],
    [30, 101],
    [40, 102],
    [-25, 105],
    [-25, 104],
  ]) {
    a = applyFill(a.qty, a.avgCost, q, p);
    realized += a.realized;
  }
  t.equal(a.qty, 50);
  t.equal(a.avgCost, 101.1);
  t.ok(Math.abs(realized - (25 * (105 - 101.1) + 25 * (104 - 101.1))) < 1e-9);
});

t.test('fractional dust after a full close snaps to flat', async (t) => {
  const f = applyFill(0.1 + 0.2, 1.1, -0.3, 1.2);
  t.equal(f.qty, 0);
  t.equal(f.avgCost, 0);
});

t.test('writes into the caller-owned result without allocating', async (t) => {
  const out = { qty: 0, avgCost: 0, realized: 0, closed: 0 };
  t.equal(applyFill(10, 1, 5, 2, out), out);
  t.equal(out.qty, 15);
});
