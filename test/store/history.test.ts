// History fed back from the store: each instrument's last 1-minute bar of each UTC day read as its
// close (days and instruments without one left out or NaN), and an engine started with
// risk.history.fromStore taking the days after its history file from there, as its risk frame's
// provenance says.
import pg from 'pg';
import { pino } from 'pino';
import t from 'tap';
import { startRiskline } from '../../app/compose.js';
import { epochDayOf, isoOfEpochDay } from '../../engine/risk/history.js';
import { readStoredCloses } from '../../services/store/history.js';
import { migrate } from '../../services/store/migrate.js';
import { testConfig } from '../e2e/helpers.js';
import { eventually } from '../eventually.js';
import { testDatabase } from './db.js';

const db = await testDatabase(t);
const c = await db.client();
await migrate(c);

async function bar(client: pg.ClientBase, instrument: string, at: string, close: number) {
  await client.query(
    'insert into bars_1m (instrument, bucket, open, high, low, close, ticks) values ($1, $2, $3, $3, $3, $3, 1)',
    [instrument, at, close],
  );
}

t.test("a day's close is its last 1-minute bar; the span's end day is left out", async (t) => {
  await bar(c, 'AAPL', '2026-11-02T10:00:00Z', 100);
  await bar(c, 'AAPL', '2026-11-02T20:59:00Z', 101);
  await bar(c, 'AAPL', '2026-11-03T13:00:00Z', 103);
  await bar(c, 'MSFT', '2026-11-02T12:00:00Z', 50);
  await bar(c, 'MSFT', '2026-11-04T09:00:00Z', 52);
  await bar(c, 'OTHER', '2026-11-02T12:00:00Z', 7);
  const got = await readStoredCloses(c, ['AAPL', 'MSFT'], epochDayOf('2026-11-02'), epochDayOf('2026-11-04'));
  t.same(got.days.map(isoOfEpochDay), ['2026-11-02', '2026-11-03']);
  t.same(got.instruments, ['AAPL', 'MSFT']);
  t.same(got.closes, [
    [101, 50],
    [103, NaN],
  ]);
  await c.query('truncate bars_1m');
});

t.test('an engine with risk.history.fromStore takes the days after its file from the stored bars', async (t) => {
  const config = testConfig({
    roles: ['engine', 'gateway'],
    database: { url: db.url },
    risk: { history: { fromStore: true } },
  });
  // The demo history ends 2026-11-30: bars from that day (the base) to yesterday give the days after it.
  const first = epochDayOf('2026-11-30');
  const today = Math.floor(Date.now() / 86_400_000);
  const linear = config.instruments.filter((i) => i.kind !== 'option');
  for (let d = first; d < today; d++)
    for (const [j, i] of linear.entries())
      await bar(c, i.id, `${isoOfEpochDay(d)}T20:00:00Z`, i.price * (1 + 0.001 * (((d + j) % 5) - 2)));
  const running = await startRiskline({ config, logger: pino({ level: 'silent' }) });
  t.teardown(() => running.close());
  const portfolio = config.portfolios[0].id;
  type Risk = {
    data: { provenance?: { history?: { to: string; stored?: { days: number; from: string; to: string } } } };
  };
  const risk = await eventually(
    async () => {
      const r = await fetch(`http://127.0.0.1:${running.gateway!.port}/v1/portfolios/${portfolio}/risk`);
      if (r.status !== 200) return undefined;
      const body = (await r.json()) as Risk;
      return body.data.provenance?.history ? body : undefined;
    },
    60_000,
    'a risk frame with its provenance',
  );
  const days = today - first - 1;
  t.same(risk.data.provenance!.history!.stored, {
    days,
    from: isoOfEpochDay(first + 1),
    to: isoOfEpochDay(today - 1),
  });
  t.equal(risk.data.provenance!.history!.to, isoOfEpochDay(today - 1), "the window's newest day is yesterday's");
});
