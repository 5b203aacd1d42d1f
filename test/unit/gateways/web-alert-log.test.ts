// The terminal's alert list (gateways/web/src/alert-log.ts): newest first by event time, each alert
// once however often it is sent, and bounded, so a page left open all day holds the last N only.
import t from 'tap';
import { AlertLog, alertRow, type AlertRow } from '../../../gateways/web/src/alert-log.js';

let arrival = 0;
const alert = (n: number, asOf: number, over: Partial<Record<string, unknown>> = {}): AlertRow =>
  alertRow(
    {
      id: `L:P:${n}:raise`,
      portfolio: 'P',
      limit: 'L',
      state: 'breached',
      severity: 'warning',
      message: `gross ${n} above max 1 (L)`,
      value: n,
      threshold: 1,
      ts: asOf,
      ...over,
    },
    { asOf, inputSeq: n },
    ++arrival,
    0,
  )!;

t.test('rows are kept newest first by event time, ties in order of arrival', async (t) => {
  const log = new AlertLog(10);
  for (const [n, asOf] of [
    [1, 100],
    [2, 300],
    [3, 200],
    [4, 300],
  ])
    t.ok(log.add(alert(n, asOf)));
  t.same(
    log.newestFirst().map((r) => r.value),
    [4, 2, 3, 1],
  );
  t.equal(log.newestAsOf, 300);
});

t.test('an alert sent again (same id) is kept once', async (t) => {
  const log = new AlertLog(10);
  t.ok(log.add(alert(1, 100)));
  const v = log.version;
  t.notOk(log.add(alert(1, 100)), 'a repeat is refused');
  t.equal(log.size, 1);
  t.equal(log.version, v, 'and changes nothing');
});

t.test('bounded: past capacity the oldest go, and an alert older than all kept is not taken', async (t) => {
  const log = new AlertLog(1000);
  for (let n = 1; n <= 5000; n++) log.add(alert(n, n));
  t.equal(log.size, 1000);
  t.same(log.newestFirst().at(-1)!.value, 4001, 'the last 1,000 are kept');
  t.notOk(log.add(alert(1, 1)), 'an evicted alert sent again, older than everything kept, is not taken back');
  t.ok(log.add(alert(5001, 5001)), 'a new one is');
  t.same(log.newestFirst().at(-1)!.value, 4002, 'and the oldest goes');
});

t.test('what is not an alert is not a row', async (t) => {
  t.equal(alertRow({ id: 'x' }, { asOf: 1, inputSeq: 1 }, 1, 0), undefined);
  t.equal(alert(1, 1, { state: 'weird' }), undefined);
  t.equal(alert(1, 1, { severity: 'fatal' }), undefined);
  t.match(alert(7, 5), { id: 'L:P:7:raise', portfolio: 'P', state: 'breached', asOf: 5, inputSeq: 7 });
});
