// The distributed mode as a client sees it (see ./client-view.ts), with no fault: two engine
// processes, a gateway and a WebSocket client on every portfolio.
import t from 'tap';
import { checkedRun, pauseAround } from './client-view.js';

t.test('no fault: one publisher per channel, seq and asOf only forward, the final view right', async (t) => {
  const r = await checkedRun(t, null);
  t.comment(`no fault: longest silence of any channel ${pauseAround(r, r.feed[0].at + 1000, 20_000)} ms`);
});
