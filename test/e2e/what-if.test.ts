// What-if end to end: the embedded process (simulator → bus → engine → gateway), a client that
// reads the risk frame's Monte Carlo components, then asks over HTTP and the WebSocket what a trade
// would do. Checked against what the frame already says, computed independently of the what-if
// path: the Euler marginal VaR (kernel-smoothed components of the live P&L vectors).
import t from 'tap';
import { Packr } from 'msgpackr';
import WebSocket from 'ws';
import type { WhatIf } from '../../engine/engine.js';
import type { RiskComponent, RiskMeasure } from '../../engine/model.js';
import { MSGPACK_SUBPROTOCOL } from '../../gateways/protocol.js';
import { WHAT_IF_PATH } from '../../gateways/what-if.js';
import { Client, startEmbedded, testConfig, type Msg } from './helpers.js';

// A slow market and no trade flow: the book holds still between the frame and the questions.
const config = testConfig({ simulator: { ticksPerSecond: 100, executionsPerSecond: 0 } });
const portfolio = config.portfolios[0].id;
const running = await startEmbedded(config);
t.teardown(() => running.close());
const base = `http://127.0.0.1:${running.port}`;

interface RiskData {
  measures?: RiskMeasure[];
  components?: RiskComponent[];
}

const ask = async (body: unknown): Promise<{ status: number; json: Record<string, unknown> }> => {
  const res = await fetch(`${base}${WHAT_IF_PATH}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
};
const mc99 = (w: WhatIf) =>
  w.measures.find((m) => m.method === 'monteCarlo' && m.horizonDays === 1 && m.confidence === 0.99)!;

/** (what-if(+q) − what-if(−q)) / 2q of the Monte Carlo 1-day 99 % VaR and ES. */
async function centralDifference(instrument: string, q: number): Promise<{ var: number; es: number }> {
  const up = mc99((await ask({ portfolio, instrument, qty: q })).json as unknown as WhatIf);
  const down = mc99((await ask({ portfolio, instrument, qty: -q })).json as unknown as WhatIf);
  return {
    var: (up.incremental.var - down.incremental.var) / (2 * q),
    es: (up.incremental.es - down.incremental.es) / (2 * q),
  };
}

/** The newest risk frame of the portfolio once it carries simulation measures and components. */
async function riskWithComponents(): Promise<RiskData> {
  const c = await Client.connect(running.port);
  try {
    c.send({ op: 'subscribe', id: 1, channels: [`risk:${portfolio}`] });
    const has = (m: Msg) => m.channel === `risk:${portfolio}` && ((m.data as RiskData).components?.length ?? 0) > 0;
    await c.next(has, 120_000);
    // A second one, so the questions follow a frame by well under its interval.
    const n = c.messages.filter(has).length;
    const fresh = await c.next((m) => has(m) && c.messages.filter(has).length > n, 10_000);
    return fresh.data as RiskData;
  } finally {
    c.close();
  }
}

t.test('HTTP: a trade’s incremental VaR agrees with the frame’s Euler marginals', async (t) => {
  const risk = await riskWithComponents();
  const top = risk.components![0];
  const w = await ask({ portfolio, instrument: top.instrument, qty: 1 });
  t.equal(w.status, 200, 'a what-if is answered');
  const answer = w.json as unknown as WhatIf;
  t.match(answer, { portfolio, instrument: top.instrument, qty: 1 });
  t.ok(answer.measures.length >= 4, 'historical and Monte Carlo, every horizon and confidence');
  for (const m of answer.measures) {
    // Subtraction of the two figures, to rounding: 1e-9 relative.
    t.ok(Math.abs(m.after.var - m.before.var - m.incremental.var) <= 1e-9 * Math.abs(m.before.var));
    t.ok(Math.abs(m.after.es - m.before.es - m.incremental.es) <= 1e-9 * Math.abs(m.before.es));
  }
  // The frame's own Monte Carlo 1-day 99 % VaR is what-if's "before" (same sets, book held still).
  const frameVar = risk.measures!.find(
    (m) => m.method === 'monteCarlo' && m.horizonDays === 1 && m.confidence === 0.99,
  )!;
  t.ok(
    Math.abs(mc99(answer).before.var - frameVar.var) <= 0.02 * frameVar.var,
    `before ${mc99(answer).before.var} vs frame ${frameVar.var}`,
  );

  // Euler: d ES / dq = component ES / qty (the tail mean of the position's P&L per unit). A central
  // difference over ±5 % of the position cancels the curvature; the 100-scenario tail barely
  // changes and the book drifts a little between frame and question: within 6 %.
  for (const c of risk.components!.slice(0, 5)) {
    const q = Math.max(1, Math.round(Math.abs(c.qty) * 0.05));
    const slope = await centralDifference(c.instrument, q);
    const marginalEs = c.componentEs / c.qty;
    t.ok(
      Math.abs(slope.es - marginalEs) <= 0.06 * Math.abs(marginalEs),
      `${c.instrument}: ΔES/Δq ${slope.es.toPrecision(6)} within 6 % of marginal ES ${marginalEs.toPrecision(6)}`,
    );
  }
  // VaR is one scenario's loss (the 100th worst of 10,000), so its difference quotient is noisy
  // against the kernel-smoothed marginal; for the largest contributor over ±20 % it stays within 50 %.
  const q = Math.round(Math.abs(top.qty) * 0.2);
  const slope = await centralDifference(top.instrument, q);
  t.ok(
    Math.abs(slope.var - top.marginalVar) <= 0.5 * Math.abs(top.marginalVar),
    `${top.instrument}: ΔVaR/Δq ${slope.var.toPrecision(6)} within 50 % of marginal VaR ${top.marginalVar.toPrecision(6)}`,
  );

  // Selling the whole of the largest VaR contributor takes its component out: Monte Carlo VaR falls.
  const largest = risk.components!.reduce((a, b) => (b.componentVar > a.componentVar ? b : a));
  t.ok(largest.componentVar > 0, 'the largest component adds to VaR');
  const out = mc99(
    (await ask({ portfolio, instrument: largest.instrument, qty: -largest.qty })).json as unknown as WhatIf,
  );
  t.ok(
    out.incremental.var < 0,
    `selling all ${largest.qty} ${largest.instrument}: VaR ${out.before.var.toFixed(0)} → ${out.after.var.toFixed(0)}`,
  );
});

t.test('HTTP: refusals carry the catalogue code and status', async (t) => {
  const unknownBook = await ask({ portfolio: 'NO-SUCH-BOOK', instrument: 'AAPL', qty: 1 });
  t.equal(unknownBook.status, 422);
  t.match(unknownBook.json, { code: 'UNKNOWN_PORTFOLIO', message: /NO-SUCH-BOOK/ });
  const unknownInstrument = await ask({ portfolio, instrument: 'NOPE', qty: 1 });
  t.equal(unknownInstrument.status, 422);
  t.match(unknownInstrument.json, { code: 'UNKNOWN_INSTRUMENT', message: /NOPE/ });
  const zero = await ask({ portfolio, instrument: 'AAPL', qty: 0 });
  t.equal(zero.status, 400);
  t.match(zero.json, { code: 'BAD_REQUEST', message: /^qty: / });
});

t.test('WebSocket: the whatIf op round trip, JSON and msgpack, and its error frames', async (t) => {
  // The embedded process's own gateway, wired by compose to its engine.
  const port = running.port;
  const instrument = (await riskWithComponents()).components![0].instrument;
  const c = await Client.connect(port);
  t.teardown(() => c.close());
  c.send({ op: 'whatIf', id: 'w1', portfolio, instrument, qty: 10 });
  const reply = await c.next((m) => m.id === 'w1');
  t.match(reply, { type: 'whatIf', id: 'w1', data: { portfolio, instrument, qty: 10 } });
  const viaHttp = (await ask({ portfolio, instrument, qty: 10 })).json as unknown as WhatIf;
  t.equal((reply.data as WhatIf).measures.length, viaHttp.measures.length, 'the same measures as over HTTP');
  c.send({ op: 'whatIf', id: 'w2', portfolio: 'NO-SUCH-BOOK', instrument, qty: 1 });
  t.match(await c.next((m) => m.id === 'w2'), { type: 'error', code: 'UNKNOWN_PORTFOLIO' });
  c.send({ op: 'whatIf', id: 'w3', portfolio, instrument: 'NOPE', qty: 1 });
  t.match(await c.next((m) => m.id === 'w3'), { type: 'error', code: 'UNKNOWN_INSTRUMENT' });
  c.send({ op: 'whatIf', id: 'w4', portfolio, instrument, qty: 0 });
  t.match(await c.next((m) => m.id === 'w4'), { type: 'error', code: 'BAD_REQUEST', message: /^qty: / });

  // msgpack: a plain ws client (the helper's reads JSON).
  const mp = new WebSocket(`ws://127.0.0.1:${port}/v1/stream`, [MSGPACK_SUBPROTOCOL]);
  t.teardown(() => mp.close());
  await new Promise((resolve, reject) => mp.once('open', resolve).once('error', reject));
  const packr = new Packr({ useRecords: false });
  const got = new Promise<Record<string, unknown>>((resolve) =>
    mp.once('message', (data: Buffer) => resolve(packr.unpack(data) as Record<string, unknown>)),
  );
  mp.send(packr.pack({ op: 'whatIf', id: 7, portfolio, instrument, qty: -10 }));
  const m = await got;
  t.match(m, { type: 'whatIf', id: 7, data: { portfolio, instrument, qty: -10 } });
  for (const x of (m.data as WhatIf).measures) t.ok(Number.isFinite(x.incremental.var), 'msgpack carries the numbers');
});

t.test('a gateway without the engine role answers 503 and says why', async (t) => {
  const gatewayOnly = await startEmbedded(testConfig({ roles: ['gateway'] }));
  t.teardown(() => gatewayOnly.close());
  const res = await fetch(`http://127.0.0.1:${gatewayOnly.port}${WHAT_IF_PATH}`, {
    method: 'POST',
    body: JSON.stringify({ portfolio, instrument: 'AAPL', qty: 10000 }),
  });
  t.equal(res.status, 503);
  t.match(await res.json(), {
    code: 'UNAVAILABLE',
    message: /needs the engine role in the same process \(this process runs gateway\)/,
  });
});
