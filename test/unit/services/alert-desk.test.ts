// The desk's book of alerts: acknowledgement per alert, assignment per episode, the episode's audit,
// repeats recognised (a new owner's repeated alert, an action read twice, two desks acknowledging at
// once), refusals worded for people, and the book bounded with ended episodes leaving first.
import t from 'tap';
import type { Alert } from '../../../engine/model.js';
import type { AlertAction } from '../../../services/alerts/actions.js';
import { AlertDesk, episodeOf } from '../../../services/alerts/desk.js';

const alert = (id: string, state: Alert['state'], ts: number, portfolio = 'P1'): Alert => ({
  id,
  portfolio,
  limit: id.split(':')[0],
  state,
  severity: state === 'breached' ? 'critical' : 'warning',
  message: `${id} ${state}`,
  value: 1,
  threshold: 1,
  ts,
});
let n = 0;
const action = (a: Partial<AlertAction> & Pick<AlertAction, 'alert' | 'action'>): AlertAction => ({
  id: `act-${++n}`,
  portfolio: 'P1',
  by: 'alice',
  ts: 1000 + n,
  ...a,
});

t.test('episodes are alert ids without their last part', async (t) => {
  t.equal(episodeOf('VAR99:P1:3:raise2'), 'VAR99:P1:3');
  t.equal(episodeOf('VAR99:P1:3:clear'), 'VAR99:P1:3');
  t.equal(episodeOf('lonely'), 'lonely');
});

t.test('an acknowledgement is of one alert; an assignment of the episode, until it ends', async (t) => {
  const desk = new AlertDesk();
  t.ok(desk.alert(alert('G:P1:1:warn', 'warning', 10), 10, 1));
  t.notOk(desk.alert(alert('G:P1:1:warn', 'warning', 10), 10, 1), 'a repeat (a new owner) is held once');
  t.equal(desk.apply(action({ alert: 'G:P1:1:warn', action: 'acknowledge', note: 'looking' })), 'applied');
  t.match(desk.get('G:P1:1:warn'), { acknowledged: { by: 'alice', note: 'looking' }, open: true, assignee: null });
  t.equal(desk.apply(action({ alert: 'G:P1:1:warn', action: 'assign', assignee: 'bob' })), 'applied');
  desk.alert(alert('G:P1:1:raise2', 'breached', 20), 20, 2);
  const breach = desk.get('G:P1:1:raise2')!;
  t.equal(breach.acknowledged, null, 'the breach after an acknowledged warning needs its own');
  t.match(breach.assignee, { to: 'bob', by: 'alice' }, 'the episode stays with its owner');
  t.match(desk.refusal('G:P1:1:warn', 'acknowledge'), /acknowledged by alice at 1970-01-01T00:00:01/);
  t.equal(desk.refusal('G:P1:1:raise2', 'acknowledge'), null);
  t.match(desk.refusal('G:P1:1:raise2', 'assign', 'bob'), /assigned to bob already/);
  t.equal(desk.refusal('G:P1:1:raise2', 'assign', 'carol'), null, 'reassigning to someone else is allowed');
  desk.alert(alert('G:P1:1:clear', 'cleared', 30), 30, 3);
  t.match(desk.refusal('G:P1:1:clear', 'acknowledge'), /is a clear/);
  t.equal(desk.get('G:P1:1:raise2')!.open, false, 'the clear ends the episode for all its alerts');
  const audit = desk.detail('G:P1:1:clear')!.actions;
  t.same(
    audit.map((a) => [a.action, a.by, a.assignee ?? null]),
    [
      ['acknowledge', 'alice', null],
      ['assign', 'alice', 'bob'],
    ],
    "the episode's audit, oldest first",
  );
});

t.test('repeats: an action read twice, two desks acknowledging at once, an unknown alert', async (t) => {
  const desk = new AlertDesk();
  desk.alert(alert('V:P1:1:raise', 'breached', 10), 10, 1);
  const first = action({ alert: 'V:P1:1:raise', action: 'acknowledge' });
  t.equal(desk.apply(first), 'applied');
  t.equal(desk.apply(first), 'repeat', 'the same action read again changes nothing');
  const second = action({ alert: 'V:P1:1:raise', action: 'acknowledge', by: 'bob' });
  t.equal(desk.apply(second), 'repeat', 'the first acknowledgement in topic order stands');
  t.match(desk.get('V:P1:1:raise')!.acknowledged, { by: 'alice' });
  t.equal(desk.detail('V:P1:1:raise')!.actions.length, 2, 'both are in the audit');
  t.equal(desk.apply(action({ alert: 'nope', action: 'acknowledge' })), 'unknown');
  t.equal(
    desk.apply(action({ alert: 'V:P1:1:raise', action: 'acknowledge', portfolio: 'P2' })),
    'unknown',
    "an action naming another portfolio than its alert's is not applied",
  );
});

t.test('listing: newest first, by portfolio, open or ended, unacknowledged', async (t) => {
  const desk = new AlertDesk();
  desk.alert(alert('A:P1:1:raise', 'breached', 10), 10, 1);
  desk.alert(alert('B:P2:1:warn', 'warning', 20, 'P2'), 20, 1);
  desk.alert(alert('A:P1:1:clear', 'cleared', 30), 30, 2);
  desk.alert(alert('C:P1:1:raise', 'breached', 30), 30, 3);
  desk.apply(action({ alert: 'C:P1:1:raise', action: 'acknowledge' }));
  const ids = (q: Partial<Parameters<AlertDesk['list']>[0]>) =>
    desk.list({ visible: () => true, limit: 100, ...q }).map((a) => a.id);
  t.same(
    ids({}),
    ['C:P1:1:raise', 'A:P1:1:clear', 'B:P2:1:warn', 'A:P1:1:raise'],
    'newest first; a tie of event time, the later arrival first',
  );
  t.same(ids({ portfolio: 'P2' }), ['B:P2:1:warn']);
  t.same(ids({ visible: (p) => p === 'P1' }), ['C:P1:1:raise', 'A:P1:1:clear', 'A:P1:1:raise']);
  t.same(ids({ open: true }), ['C:P1:1:raise', 'B:P2:1:warn']);
  t.same(ids({ open: false }), ['A:P1:1:clear', 'A:P1:1:raise']);
  t.same(
    ids({ unacknowledged: true }),
    ['B:P2:1:warn', 'A:P1:1:raise'],
    'clears need none; acknowledged ones are done',
  );
  t.same(ids({ limit: 1 }), ['C:P1:1:raise']);
});

t.test('bounded: past capacity the oldest alerts of ended episodes leave first, then the oldest', async (t) => {
  const desk = new AlertDesk(10);
  desk.alert(alert('OPEN:P1:1:raise', 'breached', 1), 1, 1);
  for (let k = 1; k <= 5; k++) {
    desk.alert(alert(`E:P1:${k}:raise`, 'breached', 10 * k), 10 * k, k);
    desk.alert(alert(`E:P1:${k}:clear`, 'cleared', 10 * k + 1), 10 * k + 1, k);
  }
  t.equal(desk.size, 9, '11 alerts down to 90 % of 10');
  t.ok(desk.has('OPEN:P1:1:raise'), 'the oldest alert stays: its episode is open');
  t.notOk(desk.has('E:P1:1:raise'));
  t.notOk(desk.has('E:P1:1:clear'));
  for (let k = 0; k < 30; k++) desk.alert(alert(`O:P1:${k}:raise`, 'breached', 100 + k), 100 + k, k);
  t.ok(desk.size <= 10);
  t.notOk(desk.has('OPEN:P1:1:raise'), 'with only open episodes left, the oldest goes');
  t.ok(desk.has('O:P1:29:raise'));
});
