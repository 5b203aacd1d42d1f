// The live risk terminal in headless Chromium (Debian's chromium, driven by playwright-core): the
// built page from dist/web, its Portfolio view (#/portfolio/<id>) on a 10,000-position portfolio.
//
// 1. Live: a real `riskline start` (simulated feed → in-process bus → engine → gateway) with the
//    simulator fast enough that the positions change every engine interval (conflationMs, 100 ms).
//    Per positions frame: engine publish → DOM. The publish time is the frame's asOf: the event
//    time of the newest tick it reflects, which with the simulator's clock aligned to the wall
//    clock (simulator.startTime null) is when that tick was due, no later than the engine's
//    publication, so the figure is an upper bound (feed → bus → engine included; the engine's lag
//    behind the feed is reported beside it). "In the DOM" is the end of the main-thread task that
//    rewrote the grid's rows for it: the LiveStream flush that took the frame (the terminal writes
//    the grid inside it), or an AG Grid async-transaction batch that follows that flush, should
//    the page queue one. Long tasks (> 50 ms) over the window.
// 2. Rate steps: a synthetic stream server (terminal-setup.ts) serving the same page sends
//    positions (and exposures) updates at rising rows a second; the highest step with no long task,
//    every row delivered and the page keeping up, is the sustained grid row-update rate.
// Baseline, same run, same stream: the floor page (terminal-page.ts FLOOR_HTML), the least a page
// must do to show it (WebSocket, decoding JSON or MessagePack, the engine's merge, textContent of
// the same rendered rows once per animation frame).
import type * as hdr from 'hdr-histogram-js';
import { chromium, type Browser, type Page } from 'playwright-core';
import { CHROMIUM_ARGS, chromiumPath } from '../../tools/browser/chromium.js';
import { checkTargets, latencyHistogram, percentiles, type Scenario } from '../harness.js';
import { processCpuSeconds } from '../proc.js';
import { cpuInfo } from './risk-common.js';
import { FLOOR_HTML, INIT_SCRIPT } from './terminal-page.js';
import {
  PORTFOLIO,
  startRiskline,
  syntheticServer,
  SYNTHETIC_FRAMES_PER_S,
  terminalConfig,
  type RisklineSettings,
} from './terminal-setup.js';

const POSITIONS = 10_000;
/**
 * 10.6k instruments at 100k ticks/s: an equity ticks about 9 times a second, an FX pair 38 (each
 * FX tick moves every position in its currency), so nearly every row changes in every 100 ms
 * interval: the engine publishes each at its default interval.
 */
const LIVE: RisklineSettings = { positions: POSITIONS, ticksPerSecond: 100_000, mcScenarios: 1000 };
const VIEWPORT = { width: 1600, height: 900 };
/**
 * A step keeps up when the page received this share of the rows the server sent in the window (the
 * sender, on this machine's cores too, may fall short of the step's rate: the rate reported is the
 * one received) and its receive → DOM p99 is under a second.
 */
const KEPT_UP = 0.9;
/**
 * The project's Chromium flags, and Local Network Access checks off: the floor page on the live
 * gateway's origin is served by page.route (the gateway has no such page), and a document that came
 * from no network address may not open a WebSocket to 127.0.0.1 otherwise. The terminal's own page
 * comes from the gateway and its same-origin socket is not subject to the check.
 */
const BROWSER_ARGS = [...CHROMIUM_ARGS, '--disable-features=LocalNetworkAccessChecks'];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const round = (v: number, d = 1) => Math.round(v * 10 ** d) / 10 ** d;

interface Taken {
  frames: number[];
  lives: number[];
  grids: number[];
  long: number[];
  loaf: number[];
  timeOrigin: number;
  /** The subprotocol the page's connection got, and binary messages the hook could not read (a Blob). */
  protocol: string;
  unreadable: number;
}
type Window = Taken & { t0: number; t1: number };
type Mode = 'grid' | 'floor';

/**
 * Records for `ms` from now: what the init script gathered, the window's bounds in page time
 * (`edge` is called as each is read).
 */
async function measure(page: Page, ms: number, edge = () => {}): Promise<Window> {
  await page.evaluate('window.__bench.take()');
  const t0 = (await page.evaluate('performance.now()')) as number;
  edge();
  await sleep(ms);
  const t1 = (await page.evaluate('performance.now()')) as number;
  edge();
  // The last frames' grid batches land and the performance observers deliver.
  await sleep(400);
  return { ...((await page.evaluate('window.__bench.take()')) as Taken), t0, t1 };
}

interface Analysis {
  total: hdr.Histogram;
  receive: hdr.Histogram;
  page: hdr.Histogram;
  frames: number;
  rows: number;
  seconds: number;
  unmatched: number;
  snapshots: number;
  gaps: number;
  flushes: number;
  gridBatches: number;
  longtasks: number;
  longMax: number;
  /** Long tasks overlapping a LiveStream flush that replaced the grid's rows (a snapshot, a gap). */
  longAtReplace: number;
  /** Long tasks overlapping an AG Grid transaction batch. */
  longAtBatch: number;
  loafMax: number;
  loafBlockingMax: number;
}

/**
 * Each positions frame received in the window with rows in it: when it was in the DOM (see the
 * header), and so publish → receive → DOM; the window's long tasks, and what they overlapped.
 */
function analyse(w: Window, mode: Mode): Analysis {
  const { frames: F, lives: L, grids: G } = w;
  const nF = F.length / 5;
  const nL = L.length / 2;
  const nG = G.length / 2;
  // Each frame's LiveStream flush: the first to start after it was received.
  const liveOf = new Int32Array(nF);
  const replaced = new Set<number>();
  let gaps = 0;
  let snapshots = 0;
  for (let f = 0, li = 0, prev = -1; f < nF; f++) {
    const r = F[5 * f];
    while (li < nL && L[2 * li] < r) li++;
    liveOf[f] = li < nL ? li : -1;
    const seq = F[5 * f + 1];
    const snap = F[5 * f + 3] === 1;
    const gap = !snap && prev >= 0 && seq !== prev + 1;
    if (r >= w.t0 && r <= w.t1) {
      if (snap) snapshots++;
      if (gap) gaps++;
    }
    if ((snap || gap) && li < nL) replaced.add(li);
    if (seq > prev) prev = seq;
  }
  const total = latencyHistogram();
  const receive = latencyHistogram();
  const page = latencyHistogram();
  const us = (ms: number) => Math.max(1, Math.round(ms * 1000));
  let frames = 0;
  let rows = 0;
  let unmatched = 0;
  for (let f = 0, gi = 0; f < nF; f++) {
    const r = F[5 * f];
    const li = liveOf[f];
    // In the DOM when its flush ends (the terminal writes the grid inside it), or when the AG Grid
    // async-transaction batch that follows it ends, if one starts before the next flush does.
    let dom = NaN;
    if (li >= 0) {
      dom = L[2 * li + 1];
      while (mode === 'grid' && gi < nG && G[2 * gi] < L[2 * li + 1]) gi++;
      const next = li + 1 < nL ? L[2 * (li + 1)] : Infinity;
      if (mode === 'grid' && !replaced.has(li) && gi < nG && G[2 * gi] < next) dom = G[2 * gi + 1];
    }
    if (r < w.t0 || r > w.t1 || F[5 * f + 4] === 0) continue;
    frames++;
    rows += F[5 * f + 4];
    if (Number.isNaN(dom)) {
      unmatched++;
      continue;
    }
    const asOf = F[5 * f + 2];
    total.recordValue(us(w.timeOrigin + dom - asOf));
    receive.recordValue(us(w.timeOrigin + r - asOf));
    page.recordValue(us(dom - r));
  }
  const overlaps = (s: number, e: number, spans: number[], only?: Set<number>) => {
    for (let k = 0; k < spans.length / 2; k++)
      if ((!only || only.has(k)) && spans[2 * k] < e && spans[2 * k + 1] > s) return true;
    return false;
  };
  let longtasks = 0;
  let longMax = 0;
  let longAtReplace = 0;
  let longAtBatch = 0;
  for (let k = 0; k < w.long.length; k += 2) {
    const [s, d] = [w.long[k], w.long[k + 1]];
    if (s < w.t0 || s > w.t1) continue;
    longtasks++;
    longMax = Math.max(longMax, d);
    if (overlaps(s, s + d, L, replaced)) longAtReplace++;
    else if (overlaps(s, s + d, G)) longAtBatch++;
  }
  let loafMax = 0;
  let loafBlockingMax = 0;
  for (let k = 0; k < w.loaf.length; k += 3) {
    if (w.loaf[k] < w.t0 || w.loaf[k] > w.t1) continue;
    loafMax = Math.max(loafMax, w.loaf[k + 1]);
    loafBlockingMax = Math.max(loafBlockingMax, w.loaf[k + 2]);
  }
  return {
    total,
    receive,
    page,
    frames,
    rows,
    seconds: (w.t1 - w.t0) / 1000,
    unmatched,
    snapshots,
    gaps,
    flushes: nL,
    gridBatches: nG,
    longtasks,
    longMax,
    longAtReplace,
    longAtBatch,
    loafMax,
    loafBlockingMax,
  };
}

/** percentiles(), NaN for a histogram with nothing in it (no frame reached the DOM: no figure, no target met). */
function latencies(h: hdr.Histogram, prefix: string): Record<string, number> {
  const out = percentiles(h, prefix);
  if (h.totalCount === 0) for (const k of Object.keys(out)) out[k] = NaN;
  return out;
}

const ms = (h: hdr.Histogram, p: number) => round(h.getValueAtPercentile(p) / 1000);
/** An analysis in a line of JSON (the result's params): ms at p50/p99/max, counts, rates. */
function summary(a: Analysis) {
  return {
    frames: a.frames,
    rowsPerS: Math.round(a.rows / a.seconds),
    publishToDomMs: { p50: ms(a.total, 50), p99: ms(a.total, 99), max: round(a.total.maxValue / 1000) },
    publishToReceiveMs: { p50: ms(a.receive, 50), p99: ms(a.receive, 99), max: round(a.receive.maxValue / 1000) },
    receiveToDomMs: { p50: ms(a.page, 50), p99: ms(a.page, 99), max: round(a.page.maxValue / 1000) },
    unmatched: a.unmatched,
    snapshots: a.snapshots,
    gaps: a.gaps,
    longtasks: a.longtasks,
    longtaskMaxMs: round(a.longMax),
    longtasksAtReplace: a.longAtReplace,
    longtasksAtBatch: a.longAtBatch,
    loafMaxMs: round(a.loafMax),
    loafBlockingMaxMs: round(a.loafBlockingMax),
  };
}

type BenchPage = Page & { errors: string[] };

/** A page with the init script, keeping the errors it throws. */
async function openPage(browser: Browser): Promise<BenchPage> {
  const page = await browser.newPage({ viewport: VIEWPORT });
  await page.addInitScript({ content: INIT_SCRIPT });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  return Object.assign(page, { errors });
}

/** The Portfolio view open and its grid filled; how many rows the grid renders. */
async function openPortfolio(page: Page, base: string): Promise<number> {
  await page.goto(`${base}/#/portfolio/${PORTFOLIO}`);
  const rows = page.locator('.positions .ag-center-cols-container [row-id]');
  await rows.first().waitFor({ timeout: 120_000 });
  await page.locator('[data-input-seq]:not([data-input-seq=""])').waitFor({ timeout: 60_000 });
  return rows.count();
}

async function openFloor(page: Page, base: string, rendered: number, protocol: string): Promise<void> {
  await page.goto(`${base}/bench-floor.html?portfolio=${PORTFOLIO}&rows=${rendered}&protocol=${protocol}`);
  await page.locator('#t tr').first().waitFor({ timeout: 120_000 });
}

/**
 * The init script's hooks found the page's flushes and grid batches when there were frames for
 * them (else the page's code changed under them: terminal-page.ts says what they look for).
 */
function hooked(w: Window, a: Analysis, what: string): void {
  if (w.unreadable > 0) throw new Error(`${what}: ${w.unreadable} binary messages the hook could not read`);
  if (w.frames.length > 0 && w.lives.length === 0)
    throw new Error(`${what}: no LiveStream flush recognised (gateways/web/src/live.ts changed? see terminal-page.ts)`);
}

/** Part 1: the real Riskline, the Portfolio view, then the floor page on the same stream. */
async function live(browser: Browser, quick: boolean, log: (l: string) => void) {
  const file = terminalConfig(LIVE);
  const started = Date.now();
  const rl = await startRiskline(file);
  const startS = (Date.now() - started) / 1000;
  log(`riskline ready in ${startS.toFixed(1)} s (${LIVE.positions} positions, ${LIVE.ticksPerSecond} ticks/s)`);
  let lagMax = 0;
  const lagTimer = setInterval(() => {
    rl.engineLagMs().then(
      (l) => (lagMax = Math.max(lagMax, l)),
      () => undefined,
    );
  }, 500);
  try {
    const page = await openPage(browser);
    const rendered = await openPortfolio(page, rl.base);
    log(`portfolio open, ${rendered} rows rendered`);
    await sleep(quick ? 2000 : 10_000);
    lagMax = 0;
    const cpu0 = processCpuSeconds(rl.pid);
    const g0 = await rl.gatewayFrames();
    const w = await measure(page, quick ? 8000 : 60_000);
    const g1 = await rl.gatewayFrames();
    const serverCores = (processCpuSeconds(rl.pid) - cpu0) / ((w.t1 - w.t0 + 400) / 1000);
    const engineLagMaxMs = lagMax;
    const gateway = { framesRead: g1.read - g0.read, coalesced: g1.coalesced - g0.coalesced };
    const terminal = analyse(w, 'grid');
    hooked(w, terminal, 'terminal (live)');
    const errors = page.errors;
    await page.close();
    log(`terminal: ${JSON.stringify(summary(terminal))}`);

    const floorPage = await openPage(browser);
    await floorPage.route(`${rl.base}/bench-floor.html*`, (route) =>
      route.fulfill({ contentType: 'text/html; charset=utf-8', body: FLOOR_HTML }),
    );
    await openFloor(floorPage, rl.base, rendered, w.protocol);
    log('floor open');
    await sleep(quick ? 1000 : 5000);
    const fw = await measure(floorPage, quick ? 4000 : 30_000);
    const floor = analyse(fw, 'floor');
    hooked(fw, floor, 'floor (live)');
    await floorPage.close();
    log(`floor: ${JSON.stringify(summary(floor))}`);
    return { terminal, floor, rendered, startS, serverCores, engineLagMaxMs, gateway, errors, protocol: w.protocol };
  } finally {
    clearInterval(lagTimer);
    await rl.stop();
  }
}

interface Step {
  rate: number;
  ok: boolean;
  why: string;
  sentRowsPerS: number;
  measured: ReturnType<typeof summary>;
}

/**
 * Part 2: rising rows a second from the synthetic server, until two steps in a row fail. A step
 * passed after one failed still counts: on a shared machine a long task may be another process's
 * doing, so both the highest step passed and the first failed are reported.
 */
async function steps(browser: Browser, quick: boolean, rendered: number, protocol: string, log: (l: string) => void) {
  const rates = quick
    ? [25_000, 50_000, 100_000, 200_000]
    : [10_000, 25_000, 50_000, 75_000, 100_000, 150_000, 200_000, 300_000];
  const server = await syntheticServer(POSITIONS, { '/bench-floor.html': FLOOR_HTML });
  const out: Record<Mode, Step[]> = { grid: [], floor: [] };
  /** The floor offers what the terminal's connection to this server got (the live one's until then). */
  let pageProtocol = protocol;
  try {
    for (const mode of ['grid', 'floor'] as Mode[]) {
      const page = await openPage(browser);
      if (mode === 'grid') await openPortfolio(page, server.base);
      else await openFloor(page, server.base, rendered, pageProtocol);
      await sleep(1000);
      let failed = 0;
      for (const rate of rates) {
        server.setRate(rate);
        await sleep(quick ? 500 : 2000);
        const sent: number[] = [];
        const w = await measure(page, quick ? 2500 : 6000, () => sent.push(server.sentRows));
        const a = analyse(w, mode);
        hooked(w, a, `${mode} at ${rate} rows/s`);
        if (mode === 'grid') pageProtocol = w.protocol;
        const expected = sent[1] - sent[0];
        const why =
          expected === 0
            ? 'nothing sent (the sender had no CPU)'
            : a.longtasks > 0
              ? `${a.longtasks} long task(s), longest ${round(a.longMax)} ms`
              : a.rows < KEPT_UP * expected
                ? `received ${a.rows} of the ${expected} rows sent`
                : a.unmatched > 0.01 * a.frames
                  ? `${a.unmatched} of ${a.frames} frames never reached the DOM`
                  : a.page.getValueAtPercentile(99) > 1_000_000
                    ? `receive → DOM p99 ${ms(a.page, 99)} ms: falling behind`
                    : '';
        const step = {
          rate,
          ok: why === '',
          why,
          sentRowsPerS: Math.round(expected / a.seconds),
          measured: summary(a),
        };
        out[mode].push(step);
        log(`${mode} @ ${rate} rows/s: ${step.ok ? 'ok' : why}; ${JSON.stringify(step.measured)}`);
        failed = step.ok ? 0 : failed + 1;
        if (failed === 2) break;
      }
      server.setRate(0);
      await page.close();
    }
  } finally {
    await server.close();
  }
  /** The rows a second received at the highest step passed (0: none), and the first step that failed (0: none). */
  const sustained = (list: Step[]) => list.filter((s) => s.ok).at(-1)?.measured.rowsPerS ?? 0;
  const firstFail = (list: Step[]) => list.find((s) => !s.ok)?.rate ?? 0;
  return {
    rates,
    protocol: pageProtocol,
    steps: out,
    grid: sustained(out.grid),
    floor: sustained(out.floor),
    gridFirstFail: firstFail(out.grid),
    floorFirstFail: firstFail(out.floor),
  };
}

export const terminal: Scenario = {
  name: 'terminal',
  description:
    'the web terminal in headless Chromium: publish → DOM on 10k live positions, grid rows/s without long tasks',
  async run({ quick, log: print }) {
    const began = Date.now();
    const log = (line: string) => print(`[${((Date.now() - began) / 1000).toFixed(1)} s] ${line}`);
    const cpuAtStart = cpuInfo();
    const browser = await chromium.launch({ executablePath: chromiumPath(), args: BROWSER_ARGS });
    try {
      const version = browser.version();
      const l = await live(browser, quick, log);
      const s = await steps(browser, quick, l.rendered, l.protocol, log);
      const t = l.terminal;
      const f = l.floor;
      const metrics: Record<string, number> = {
        ...latencies(t.total, 'publish_to_dom'),
        ...latencies(t.receive, 'publish_to_receive'),
        ...latencies(t.page, 'receive_to_dom'),
        longtasks: t.longtasks,
        longtask_max_ms: round(t.longMax),
        longtasks_at_replace: t.longAtReplace,
        loaf_max_ms: round(t.loafMax),
        rows_per_s: Math.round(t.rows / t.seconds),
        frames_per_s: round(t.frames / t.seconds),
        snapshots: t.snapshots,
        engine_lag_max_ms: l.engineLagMaxMs,
        server_cores: round(l.serverCores, 2),
        gateway_coalesced_share: l.gateway.framesRead > 0 ? round(l.gateway.coalesced / l.gateway.framesRead, 3) : 0,
        grid_rows_per_s_sustained: s.grid,
        grid_first_failed_step_rows_per_s: s.gridFirstFail,
        floor_publish_to_dom_p50_us: latencies(f.total, 'p').p_p50_us,
        floor_publish_to_dom_p99_us: latencies(f.total, 'p').p_p99_us,
        floor_longtasks: f.longtasks,
        floor_rows_per_s_sustained: s.floor,
        floor_first_failed_step_rows_per_s: s.floorFirstFail,
      };
      const ratio = metrics.publish_to_dom_p99_us / metrics.floor_publish_to_dom_p99_us;
      return {
        params: {
          cpu: cpuInfo(),
          loadAverageAtStart: cpuAtStart.loadAverage,
          browser: `chromium ${version} (headless), viewport ${VIEWPORT.width}×${VIEWPORT.height}`,
          positions: POSITIONS,
          live: {
            ...LIVE,
            conflationMs: 100,
            startSeconds: round(l.startS),
            renderedRows: l.rendered,
            protocol: l.protocol,
            gateway: l.gateway,
            terminal: summary(t),
            floor: summary(f),
            pageErrors: l.errors,
          },
          steps: { framesPerS: SYNTHETIC_FRAMES_PER_S, protocol: s.protocol, quick, ...s.steps },
        },
        metrics,
        baseline: {
          name: 'the floor page (WebSocket, decoding (JSON or MessagePack, as the terminal), the engine merge, textContent of the same rendered rows once per animation frame; no React, no AG Grid) on the same stream, same browser, same run',
          metrics: {
            publish_to_dom_p99_us: metrics.floor_publish_to_dom_p99_us,
            rows_per_s_sustained: s.floor,
          },
        },
        ratio: Number.isFinite(ratio) ? round(ratio, 3) : null,
        targets: checkTargets(metrics, [
          { metric: 'publish_to_dom_p99_us', op: '<=', value: 150_000 },
          { metric: 'longtasks', op: '<=', value: 0 },
          { metric: 'grid_rows_per_s_sustained', op: '>=', value: 50_000 },
        ]),
      };
    } finally {
      await browser.close();
    }
  },
};
