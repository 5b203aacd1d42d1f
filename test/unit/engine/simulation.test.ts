// Historical and Monte Carlo risk as the engine keeps it live: the streamed P&L vectors equal a
// recomputation from scratch, the day's sets are reproducible, a slow build changes nothing that
// is published, a day roll takes in the realised day, and what-if equals doing the trade.
import t from 'tap';
import { Engine, type EngineOptions } from '../../../engine/engine.js';
import { decodeFrame, type EncodedFrame } from '../../../engine/frames.js';
import type { RiskBackend } from '../../../engine/risk/backend.js';
import { deltaGammaRevalue, revalue } from '../../../engine/risk/revalue.js';
import { ScenarioSet } from '../../../engine/risk/scenario-set.js';
import { valueAtRisk } from '../../../engine/risk/tail.js';
import { tsBackend } from '../../../engine/risk/ts-backend.js';
import { loadRiskBackend } from '../../../native/loader.js';
import { drive, engineOptions, seededInputs, simulationOptions, T0 } from './fixtures.js';

const DAY = 86_400_000;

function options(backend: RiskBackend = tsBackend, over: Partial<EngineOptions> = {}): EngineOptions {
  return engineOptions({
    backend,
    simulation: simulationOptions(2000),
    ...over,
  });
}

const close = (a: number, b: number, rel = 1e-9) => Math.abs(a - b) <= rel * Math.max(1, Math.abs(a), Math.abs(b));
const inputs = seededInputs({ n: 3000, seed: 11, execShare: 0.05, maxStepMs: 200, vol: 0.002 });

t.test('streamed P&L vectors equal the positions revalued from scratch in every set', async (t) => {
  const engine = new Engine(options(), () => undefined);
  await drive(engine, inputs);
  const live = engine.live!;
  const sim = live.simulation;
  const book = engine.book;
  const before = book.portfolioIds.map((_, port) => sim.measures(port));
  // Full recomputation: the same sets, every vector rebuilt from the positions as they stand.
  const sets = sim.provenance().map((_, k) => k);
  t.ok(sets.length >= 3, 'historical 1-day and Monte Carlo 1- and 10-day sets');
  await sim.recompute();
  book.portfolioIds.forEach((id, port) => {
    const after = sim.measures(port);
    t.equal(after.length, before[port].length);
    const bad = after.filter((m, j) => !close(m.var, before[port][j].var) || !close(m.es, before[port][j].es));
    t.same(bad, [], `${id}: incremental and full recomputation agree (1e-9)`);
  });
});

t.test('the portfolio P&L vector equals each position weighted into the set rows, FX legs included', async (t) => {
  const engine = new Engine(options(), () => undefined);
  await drive(engine, inputs);
  const sim = engine.live!.simulation;
  const book = engine.book;
  const tbl = book.t;
  const set = (sim as unknown as { sets: { rows: Float64Array; reval: Float64Array; scenarios: number }[] }).sets[1];
  const s = set.scenarios;
  for (let port = 0; port < book.portfolioIds.length; port++) {
    const want = new Float64Array(s);
    const base = book.base[port];
    for (const p of book.portfolioPositions[port]) {
      const i = book.pInst[p];
      const c = tbl.currency[i];
      const toBase = tbl.usdPer[c] / tbl.usdPer[base];
      const option = tbl.kind[i] === 4;
      const o = sim.options.rowOf[i];
      for (let j = 0; j < s; j++) {
        let v = option ? book.pQty[p] * set.reval[o * s + j] : book.pExp[p] * set.rows[i * s + j];
        if (c !== base) {
          const rc = c === tbl.usd ? 0 : set.rows[(tbl.count + c) * s + j];
          const rb = base === tbl.usd ? 0 : set.rows[(tbl.count + base) * s + j];
          v += book.pMv[p] * (rc - rb);
        }
        want[j] += v * toBase;
      }
    }
    const got = sim.portfolioPnl(1, port);
    let worst = 0;
    for (let j = 0; j < s; j++) worst = Math.max(worst, Math.abs(got[j] - want[j]) / Math.max(1, Math.abs(want[j])));
    t.ok(worst < 1e-9, `${book.portfolioIds[port]}: worst relative difference ${worst}`);
  }
});

t.test('a slow build changes nothing that is published: inputs wait in order', async (t) => {
  const slow: RiskBackend = {
    ...tsBackend,
    factorScenarios: (j, o) => delay(tsBackend.factorScenarios(j, o)),
    instrumentReturns: (j, o) => delay(tsBackend.instrumentReturns(j, o)),
    revalue: (j, o) => delay(tsBackend.revalue(j, o)),
  };
  const bytes = async (backend: RiskBackend, wait: boolean): Promise<string[]> => {
    const out: string[] = [];
    const engine = new Engine(options(backend), (fs: EncodedFrame[]) =>
      out.push(...fs.map((f) => Buffer.from(f.bytes).toString('base64'))),
    );
    // Without waiting, inputs arrive while the valuation day's sets are still being built.
    if (wait) await drive(engine, inputs);
    else {
      for (const x of inputs) {
        if ('tick' in x) engine.tick(engine.instrumentIndex(x.tick[0]), x.tick[1], x.tick[2], x.tick[3], x.tick[4]);
        else engine.execute(x.exec);
      }
      await engine.settled();
    }
    engine.flush();
    return out;
  };
  const a = await bytes(tsBackend, true);
  const b = await bytes(slow, false);
  t.ok(a.length > 100, `${a.length} frames`);
  t.same(b, a, 'the same frames, byte for byte');
});

function delay(p: Promise<void>): Promise<void> {
  return p.then(() => new Promise((r) => setTimeout(r, 5)));
}

t.test('a day roll takes the realised day into the window and the backtests, and builds the next set', async (t) => {
  const frames: ReturnType<typeof decodeFrame>[] = [];
  const engine = new Engine(options(), (fs) => frames.push(...fs.map((f) => decodeFrame(f))));
  await drive(engine, inputs);
  const live = engine.live!;
  const lastDay = live.model.lastDay;
  const set = live.simulation.provenance().find((p) => p.method === 'monteCarlo')!.set!;
  const midnight = (Math.floor(T0 / DAY) + 1) * DAY;
  engine.advanceTo(midnight + 1000);
  t.ok(engine.holding, 'inputs wait while the new day is built');
  await engine.settled();
  engine.advanceTo(midnight + 5000);
  await engine.settled();
  t.equal(live.model.lastDay, Math.floor(T0 / DAY), 'the closed day is in the window');
  t.equal(live.model.lastDay, lastDay + 1);
  const next = live.simulation.provenance().find((p) => p.method === 'monteCarlo')!.set!;
  t.equal(next, set + 1, 'Monte Carlo draws the new day’s set');
  const risk = frames.filter((f) => f.channel === 'risk:P-USD').at(-1)!;
  const backtest = (risk.data as { backtest: { method: string; observations: number; fromHistory: number }[] })
    .backtest;
  // The first 50 from the history backtest of the book (300 days, window 250), then the live day.
  t.same(
    backtest.map((b) => [b.method, b.observations, b.fromHistory]).sort(),
    [
      ['historical', 51, 50],
      ['monteCarlo', 1, 0],
      ['parametric', 51, 50],
    ],
    'the history backtest of the book, then one live observation per method',
  );
});

t.test('what-if equals doing the trade', async (t) => {
  const engine = new Engine(options(), () => undefined);
  await drive(engine, inputs);
  const port = engine.portfolioIndex('P-USD');
  const i = engine.instrumentIndex('MSFT');
  const mark = engine.book.mark[i];
  const w = engine.whatIf('P-USD', 'MSFT', 250);
  t.ok(w.measures.length > 0);
  for (const m of w.measures) t.ok(close(m.incremental.var, m.after.var - m.before.var, 1e-12));
  const ts = engine.book.now + 1;
  engine.execute({ id: 'WHATIF', portfolio: 'P-USD', instrument: 'MSFT', side: 'buy', qty: 250, price: mark, ts });
  await engine.settled();
  const after = engine.live!.simulation.measures(port);
  for (const m of w.measures) {
    const done = after.find(
      (a) => a.method === m.method && a.horizonDays === m.horizonDays && a.confidence === m.confidence,
    )!;
    t.ok(close(done.var, m.after.var), `${m.method} ${m.horizonDays}d ${m.confidence}: ${done.var} = ${m.after.var}`);
  }
  t.throws(() => engine.whatIf('NOPE', 'MSFT', 1), { code: 'UNKNOWN_PORTFOLIO' });
  t.throws(() => engine.whatIf('P-USD', 'NOPE', 1), { code: 'UNKNOWN_INSTRUMENT' });
  t.throws(() => engine.whatIf('P-USD', 'MSFT', 0), { code: 'BAD_REQUEST' });
});

t.test("the pre-trade measure (bounded tail reads) equals the full what-if's, trade after trade", async (t) => {
  const engine = new Engine(options(), () => undefined);
  await drive(engine, inputs);
  const ids = ['MSFT', 'AAPL', 'SAP.DE', 'ES-2027H', 'EURUSD', 'USDJPY', 'AAPL-C-200', 'UST-10Y'].filter(
    (id) => engine.instrumentIndex(id) >= 0,
  );
  t.ok(ids.length >= 3, `instruments ${ids.join(', ')}`);
  let checked = 0;
  for (let k = 0; k < 60; k++) {
    const id = ids[k % ids.length];
    // Small, large and selling trades: the large ones move the tail far from its last level.
    const qty = [250, -40, 5_000, -120_000, 3][k % 5];
    for (const portfolio of engine.book.portfolioIds) {
      const full = engine
        .whatIf(portfolio, id, qty)
        .measures.find((m) => m.horizonDays === 1 && m.confidence === 0.99)!;
      const view = engine.pretradeView(portfolio, id, qty);
      if (!close(view.varBefore!, full.before.var, 1e-12) || !close(view.varAfter!, full.after.var, 1e-12))
        t.fail(
          `${portfolio} ${qty} ${id}: ${view.varBefore} → ${view.varAfter} vs ${full.before.var} → ${full.after.var}`,
        );
      checked++;
    }
  }
  t.pass(`${checked} pre-trade measures equal the full what-if's`);
});

/** The cpu backend at one and two threads, or why it cannot run here. */
function cpuBackends(): RiskBackend[] | string {
  try {
    return [1, 2].map((threads) => loadRiskBackend('cpu', { threads }).backend);
  } catch (err) {
    return `cpu backend not built: ${(err as Error).message}`;
  }
}
const cpu = cpuBackends();

t.test(
  'the same seed gives the same VaR on ts and cpu, at one and two threads',
  { skip: typeof cpu === 'string' ? cpu : false },
  async (t) => {
    const measures = async (backend: RiskBackend) => {
      const engine = new Engine(options(backend), () => undefined);
      await drive(engine, inputs);
      return engine.book.portfolioIds.map((_, port) => engine.live!.simulation.measures(port));
    };
    const want = await measures(tsBackend);
    for (const b of cpu as RiskBackend[]) {
      const got = await measures(b);
      const bad = got.flatMap((ms, port) =>
        ms.filter((m, j) => !close(m.var, want[port][j].var) || !close(m.es, want[port][j].es)),
      );
      t.same(bad, [], `cpu at ${b.threads} thread(s) equals ts within 1e-9`);
    }
  },
);

t.test('full minus delta-gamma VaR equals the options swapped for their delta-gamma rows one by one', async (t) => {
  const engine = new Engine(options(), () => undefined);
  await drive(engine, inputs);
  const sim = engine.live!.simulation;
  const book = engine.book;
  const k = sim.setIndex('monteCarlo', 1);
  const set = (sim as unknown as { sets: ScenarioSet[] }).sets[k];
  const s = set.scenarios;
  let checked = 0;
  for (let port = 0; port < book.portfolioIds.length; port++) {
    const pnl = Float64Array.from(sim.portfolioPnl(k, port));
    const full = [0.95, 0.99].map((a) => valueAtRisk(pnl, a));
    let options = 0;
    for (const p of book.portfolioPositions[port]) {
      const i = book.pInst[p];
      if (book.t.kind[i] !== 4 || book.pQty[p] === 0) continue;
      options++;
      const o = sim.options.rowOf[i];
      const dg = new Float64Array(s);
      const job = set.revalJob(sim.options);
      const one = { ...job, count: 1 } as typeof job;
      for (const key of [
        'row',
        'model',
        'isCall',
        'spot',
        'strike',
        'tau',
        'vol',
        'rate',
        'dividend',
        'duration',
        'convexity',
        'multiplier',
      ] as const)
        (one as unknown as Record<string, unknown>)[key] = (job[key] as Float64Array).subarray(o, o + 1);
      deltaGammaRevalue(one, dg);
      const f = (book.pQty[p] * book.t.usdPer[book.t.currency[i]]) / book.t.usdPer[book.base[port]];
      for (let j = 0; j < s; j++) pnl[j] += f * (dg[j] - set.reval[o * s + j]);
    }
    const want = [0.95, 0.99].map((a, c) => full[c] - valueAtRisk(pnl, a));
    const got = sim.nonLinearity(k, port);
    if (options === 0) t.same(got, [0, 0], `${book.portfolioIds[port]}: no options, no difference`);
    else {
      checked++;
      t.ok(
        close(got[0], want[0], 1e-7) && close(got[1], want[1], 1e-7),
        `${book.portfolioIds[port]}: ${got} = ${want}`,
      );
    }
  }
  t.ok(checked > 0, 'a portfolio with options was checked');
});

t.test(
  'a day roll builds into the buffers of the sets replaced the day before, and they hold what fresh buffers would',
  async (t) => {
    for (const backend of [tsBackend, ...(typeof cpu === 'string' ? [] : cpu.slice(1))]) {
      const engine = new Engine(options(backend), () => undefined);
      await drive(engine, inputs);
      const sim = engine.live!.simulation as unknown as {
        sets: ScenarioSet[];
        pool: { free: Map<number, Float64Array[]> };
      };
      // Each build's inputs and its revaluations as built (a re-pricing may replace them right after).
      const builds: Parameters<typeof ScenarioSet.build>[] = [];
      const built: Float64Array[] = [];
      const build = ScenarioSet.build.bind(ScenarioSet);
      ScenarioSet.build = (...a) => (
        builds.push(a),
        build(...a).then((set) => (built.push(Float64Array.from(set.reval)), set))
      );
      t.teardown(() => void (ScenarioSet.build = build));
      const buffers = [sim.sets.map((s) => s.rows)];
      let at = (Math.floor(engine.book.now / DAY) + 1) * DAY + 1000;
      for (let day = 1; day <= 2; day++, at += DAY) {
        // What a set leaves behind must never show: poison every pooled buffer before the roll.
        for (const list of sim.pool.free.values()) for (const b of list) b.fill(NaN);
        builds.length = 0;
        built.length = 0;
        engine.advanceTo(at);
        await engine.settled();
        buffers.push(sim.sets.map((s) => s.rows));
        t.equal(builds.length, sim.sets.length, `day ${day}: every set rebuilt`);
        for (const [k, set] of sim.sets.entries()) {
          const [tbl, opts, be, inputs] = builds[k];
          const fresh = await build(tbl, opts, be, inputs, null);
          t.same(Buffer.from(set.rows.buffer), Buffer.from(fresh.rows.buffer), `day ${day} set ${k}: rows`);
          t.same(Buffer.from(built[k].buffer), Buffer.from(fresh.reval.buffer), `day ${day} set ${k}: revaluations`);
          t.ok(set.reval.every(Number.isFinite), `day ${day} set ${k}: re-priced revaluations hold no leftovers`);
        }
      }
      t.ok(
        buffers[2].every((b) => buffers[0].includes(b)),
        `${backend.name}: the second roll reuses the first day's buffers`,
      );
      t.ok(
        buffers[1].every((b) => !buffers[0].includes(b)),
        'the first roll cannot: those sets were live while it built',
      );
      ScenarioSet.build = build;
    }
  },
);

t.test(
  'an option row crossed by its underlying is re-priced at the next read, at the grid step and period it is on',
  async (t) => {
    for (const backend of [tsBackend, ...(typeof cpu === 'string' ? [] : cpu.slice(1))]) {
      const engine = new Engine(options(backend), () => undefined);
      const sim = engine.live!.simulation as unknown as {
        sets: ScenarioSet[];
        reprice(o: number): void;
      };
      let repriced = 0;
      const reprice = sim.reprice.bind(sim);
      sim.reprice = (o) => (repriced++, reprice(o));
      await drive(engine, inputs);
      const book = engine.book;
      const read = (): void => book.portfolioIds.forEach((_, port) => void engine.live!.simulation.measures(port));
      read();
      t.ok(repriced > 0, `${backend.name}: ${repriced} rows re-priced as their underlyings crossed a step`);
      // One more tick in the same period takes an option's underlying 3 % up, across three steps.
      const opts = engine.live!.simulation.options;
      const u = book.t.underlying[opts.instrument[0]];
      const m = book.mark[u] * 1.03;
      const before = repriced;
      engine.tick(u, book.now + 1, m * 0.9999, m * 1.0001, m);
      read();
      t.ok(repriced > before, `${backend.name}: the row is re-priced at the read after the crossing`);
      // Independently: every option row priced from scratch at the marks and time as they stand (TS reference).
      opts.price(book.mark, book.now, { move: 0.01, everyMs: 60_000 });
      for (const [k, set] of sim.sets.entries()) {
        const want = new Float64Array(set.reval.length);
        revalue(set.revalJob(opts), want);
        let worst = 0;
        for (let j = 0; j < want.length; j++)
          worst = Math.max(worst, Math.abs(set.reval[j] - want[j]) / Math.max(1, Math.abs(want[j])));
        t.ok(worst < 1e-9, `${backend.name} set ${k}: every option row as priced afresh (worst ${worst})`);
      }
    }
  },
);
