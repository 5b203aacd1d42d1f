// Numbers, times and layout pieces of `riskline watch`: formatters, column alignment, cutting to
// width, colour, and how table room is shared.

import t from 'tap';
import {
  age,
  amount,
  clockTime,
  confidenceLabel,
  duration,
  horizonLabel,
  MISSING,
  price,
  quantity,
} from '../../../gateways/watch/format.js';
import { allocate } from '../../../gateways/watch/render.js';
import { alignTable, fit, paint, seg, width } from '../../../gateways/watch/table.js';
import { T0 } from './watch-helpers.js';

t.test('amounts: whole units with separators, a minus on losses, never -0, compact past a trillion', async (t) => {
  t.equal(amount(1234567.891), '1,234,568');
  t.equal(amount(-1234567.5), '-1,234,568');
  t.equal(amount(-0.4), '0');
  t.equal(amount(0), '0');
  t.equal(amount(999_999_999_999), '999,999,999,999');
  t.equal(amount(1.5e12), '1.50T');
  t.equal(amount(-2.25e15), '-2,250.00T');
  for (const v of [undefined, null, NaN, Infinity, '12', {}]) t.equal(amount(v), MISSING, `${String(v)} is missing`);
});

t.test('quantities, prices, labels', async (t) => {
  t.equal(quantity(-2_000_000), '-2,000,000');
  t.equal(quantity(12.345), '12.35');
  t.equal(quantity(-0.001), '0');
  t.equal(price(1.084213), '1.0842', 'below 10: four decimals (FX)');
  t.equal(price(228.2), '228.20', 'from 10: two');
  t.equal(price(-0.00001), '0.0000', 'a price that rounds to zero has no sign');
  t.equal(price(undefined), MISSING);
  t.equal(confidenceLabel(0.99), '99%');
  t.equal(confidenceLabel(0.975), '97.5%');
  t.equal(horizonLabel(10), '10d');
  t.equal(confidenceLabel('x'), MISSING);
});

t.test('durations, ages and clock times', async (t) => {
  t.same([400, 12_345, 303_000, 7_500_000, 3 * 86_400_000 + 4 * 3_600_000].map(duration), [
    '0.4s',
    '12.3s',
    '5m03s',
    '2h05m',
    '3d04h',
  ]);
  t.equal(age(T0, T0 + 1200), '1.2s ago');
  t.equal(age(T0 + 3000, T0), '3.0s ahead', 'event time ahead of the wall clock (a simulation)');
  t.equal(age(undefined, T0), MISSING);
  t.equal(clockTime(T0 + 860, T0), '09:00:00.860Z');
  t.equal(clockTime(T0 - 86_400_000, T0), '2026-11-24 09:00:00Z', 'another day: with its date');
  t.equal(clockTime(8.64e15 + 1, T0), MISSING, 'not a date');
});

t.test('alignTable: left ids, right figures, header widths, drop by priority, ids cut', async (t) => {
  const columns = [
    { title: 'Id', align: 'left' as const, drop: 0, max: 6 },
    { title: 'Value', align: 'right' as const, drop: 1 },
    { title: 'Extra', align: 'right' as const, drop: 2 },
  ];
  const rows = [
    [{ text: 'A' }, { text: '1,000' }, { text: 'x' }],
    [{ text: 'LONGNAME' }, { text: '-5' }, { text: 'yy' }],
  ];
  const text = (w: number) => alignTable(columns, rows, w, '  ').map((l) => paint(l, false));
  t.same(text(100), ['  Id      Value  Extra', '  A       1,000      x', '  LONGN…     -5     yy']);
  t.same(text(18), ['  Id      Value', '  A       1,000', '  LONGN…     -5'], 'Extra goes first');
  t.same(text(5), ['  Id', '  A', '  LONGN…'], 'a drop-0 column stays; fit() cuts what is left');
});

t.test('fit cuts to the width with …; paint colours only non-blank toned text', async (t) => {
  const line = [seg('abc', 'neg'), seg('   '), seg('defgh', 'pos')];
  t.equal(width(line), 11);
  t.same(fit(line, 11), line);
  t.equal(paint(fit(line, 6), false), 'abc  …');
  t.equal(paint(fit(line, 1), false), '…');
  t.same(fit(line, 0), []);
  t.equal(paint(line, true), '\x1b[31mabc\x1b[0m   \x1b[32mdefgh\x1b[0m');
  t.equal(paint([seg('x  ', 'dim'), seg('   ')], false), 'x', 'no trailing spaces');
});

t.test('allocate: every table whole when they fit, else one line each in turn', async (t) => {
  t.same(allocate([3, 10], 20), [3, 10]);
  t.same(allocate([3, 10], 8), [3, 5]);
  t.same(allocate([0, 10, 2], 5), [0, 3, 2]);
  t.same(allocate([4, 4], 0), [0, 0]);
  t.same(allocate([5], Infinity), [5]);
});
