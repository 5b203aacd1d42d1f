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

t.test("the desk's state: an acknowledgement moves its row; an assignment every row of the episode", async (t) => {
  const log = new AlertLog(10);
  log.add(alert(1, 100));
  log.add(alert(1, 200, { id: 'L:P:1:clear', state: 'cleared' }));
  log.add(alert(2, 300));
  const v = log.version;
  t.ok(log.act({ id: 'a1', alert: 'L:P:1:raise', action: 'acknowledge', by: 'alice', ts: 5, note: 'mine' }));
  t.ok(log.version > v, 'a change the view sees');
  const byId = () => new Map(log.newestFirst().map((r) => [r.id, r]));
  t.same(byId().get('L:P:1:raise')!.acknowledged, { by: 'alice', at: 5, note: 'mine' });
  t.notOk(log.act({ id: 'a2', alert: 'L:P:1:raise', action: 'acknowledge', by: 'bob', ts: 6 }), 'the first stands');
  t.ok(log.act({ id: 'a3', alert: 'L:P:1:raise', action: 'assign', by: 'alice', assignee: 'bob', ts: 7 }));
  t.same(
    log.newestFirst().map((r) => [r.id, r.assignee?.to ?? null]),
    [
      ['L:P:2:raise', null],
      ['L:P:1:clear', 'bob'],
      ['L:P:1:raise', 'bob'],
    ],
    'the episode, not another',
  );
  t.notOk(log.act({ id: 'a4', alert: 'X:P:9:raise', action: 'acknowledge', by: 'bob', ts: 8 }), 'an alert not held');
  log.add(alert(1, 400, { id: 'L:P:1:raise2' }));
  t.equal(byId().get('L:P:1:raise2')!.assignee?.to, 'bob', 'a later alert of the episode stays with its owner');
});

t.test("a desk listing's row takes its state over a live row held already", async (t) => {
  const log = new AlertLog(10);
  log.add(alert(1, 100));
  const listed = alertRow(
    {
      id: 'L:P:1:raise',
      portfolio: 'P',
      limit: 'L',
      state: 'breached',
      severity: 'warning',
      message: 'gross 1 above max 1 (L)',
      value: 1,
      threshold: 1,
      ts: 100,
      acknowledged: { by: 'carol', at: 9 },
      assignee: null,
    },
    { asOf: 100, inputSeq: 1 },
    99,
    0,
  )!;
  log.merge(listed);
  t.equal(log.size, 1, 'held once');
  t.same(log.newestFirst()[0].acknowledged, { by: 'carol', at: 9 });
});
