// What the terminal benchmark runs against. (1) A real `riskline start` (simulated feed → in-process
// bus → engine → gateway, serving the built page from dist/web) on the demo instruments plus 10,000
// generated equities, all held by one portfolio. (2) A synthetic stream server for the rate steps:
// it serves the same built page and the gateway's wire protocol (docs/wire-format.md: JSON,
// snapshot then updates), sending positions and exposures updates of a chosen number of rows a
// second in the engine's shape (publication units of consecutive positions, each update carrying
// the fields a tick moves), so the page's own code (LiveStream, the Portfolio grid) runs unchanged
// at a rate the simulator on this machine could not produce.
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { Packr } from 'msgpackr';
import { WebSocketServer, type WebSocket } from 'ws';
import { loadConfig } from '../../config/load.js';
import { SECTORS } from '../../config/demo-universe.js';
import type { Instrument, PortfolioDef } from '../../engine/model.js';
import { protocolOffer } from '../../gateways/identity/extract.js';
import { JSON_SUBPROTOCOL, MSGPACK_SUBPROTOCOL } from '../../gateways/protocol.js';
import { WEB_DIR } from '../../gateways/web-assets.js';
import { freePort, Proc, ready } from '../deployment.js';
import { lcg } from './risk-common.js';

/** The portfolio the page opens: every generated equity, one position each. */
export const PORTFOLIO = 'TERM-10K';

const REGIONS = [
  { country: 'US', currency: 'USD', factor: 'EQ_US' },
  { country: 'DE', currency: 'EUR', factor: 'EQ_EU' },
  { country: 'GB', currency: 'GBP', factor: 'EQ_UK' },
  { country: 'JP', currency: 'JPY', factor: 'EQ_JP' },
  { country: 'CH', currency: 'CHF', factor: 'EQ_CH' },
];

/**
 * `positions` equities over the demo's factor model (a region factor by currency, a sector factor),
 * ids zero-padded so the grid's sort by instrument is their order, and one portfolio holding each.
 */
export function terminalUniverse(positions: number, seed = 7): { instruments: Instrument[]; portfolio: PortfolioDef } {
  const rnd = lcg(seed);
  const sectors = Object.values(SECTORS);
  const instruments: Instrument[] = [];
  for (let i = 0; i < positions; i++) {
    const r = REGIONS[i % REGIONS.length];
    const s = sectors[Math.floor(i / REGIONS.length) % sectors.length];
    instruments.push({
      id: `TX${String(i).padStart(5, '0')}`,
      kind: 'equity',
      currency: r.currency,
      sector: s.name,
      country: r.country,
      multiplier: 1,
      price: Math.round((10 + rnd() * 490) * 100) / 100,
      factors: {
        [r.factor]: Math.round((0.7 + rnd() * 0.6) * 1000) / 1000,
        [s.factor]: Math.round(rnd() * 500) / 1000,
      },
      idioVol: Math.round((0.2 + rnd() * 0.2) * 1000) / 1000,
    });
  }
  const portfolio: PortfolioDef = {
    id: PORTFOLIO,
    name: `Terminal benchmark, ${positions} positions`,
    baseCurrency: 'USD',
    cash: { USD: 1e9 },
    holdings: instruments.map((inst) => ({
      instrument: inst.id,
      qty: Math.round((rnd() - 0.3) * 2000) || 1,
      price: inst.price,
    })),
  };
  return { instruments, portfolio };
}

export interface RisklineSettings {
  positions: number;
  ticksPerSecond: number;
  /** Monte Carlo scenarios of the portfolio's risk runs (the setting's default, 10,000, would hold 1.6 GB here). */
  mcScenarios: number;
}

/**
 * A settings directory: the demo's instruments (the stress scenarios name their countries and
 * factors) plus the generated equities, the one portfolio, no limits; the simulator at the given
 * rate with no executions (the rows change by ticks only, so the grid's row count holds).
 */
export function terminalConfig(o: RisklineSettings): string {
  const dir = mkdtempSync(join(tmpdir(), 'riskline-terminal-'));
  const demo = loadConfig({ env: {} });
  const u = terminalUniverse(o.positions);
  writeFileSync(join(dir, 'instruments.json'), JSON.stringify([...demo.instruments, ...u.instruments]));
  writeFileSync(join(dir, 'portfolios.json'), JSON.stringify([u.portfolio]));
  writeFileSync(join(dir, 'limits.json'), '[]');
  const file = join(dir, 'settings.json');
  writeFileSync(
    file,
    JSON.stringify({
      log: { level: 'warn' },
      simulator: { ticksPerSecond: o.ticksPerSecond, executionsPerSecond: 0 },
      risk: { monteCarlo: { scenarios: o.mcScenarios } },
      files: { instruments: 'instruments.json', portfolios: 'portfolios.json', limits: 'limits.json' },
    }),
  );
  // Fails here, with the file and path, rather than as a process that never gets ready.
  loadConfig({ configFile: file, env: {} });
  return file;
}

/** `riskline start` on the settings file, ready; its engine's lag behind the feed read from /metrics. */
export async function startRiskline(file: string) {
  const port = await freePort();
  const proc = new Proc(['--config', file, '--port', String(port), '--log-level', 'warn'], 'terminal');
  proc.start();
  try {
    await ready(port, 'riskline (terminal benchmark)', 120_000);
  } catch (err) {
    await proc.kill();
    throw new Error(`${(err as Error).message}; log: ${proc.log.slice(-2000)}`, { cause: err });
  }
  return {
    base: `http://127.0.0.1:${port}`,
    pid: proc.child!.pid!,
    /** How far the engine's event time is behind the feed's (ms), both read in one scrape of /metrics. */
    async engineLagMs(): Promise<number> {
      const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      const read = (name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1] ?? NaN);
      return Math.max(0, read('riskline_feed_event_time_ms') - read('riskline_engine_event_time_ms'));
    },
    /** The gateway's state frames read from the bus, and those it replaced by snapshots (Ingest: COALESCE_AT). */
    async gatewayFrames(): Promise<{ read: number; coalesced: number }> {
      const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      const read = (series: string) =>
        Number(/ (\S+)$/m.exec(text.split('\n').find((l) => l.startsWith(series)) ?? '')?.[1] ?? NaN);
      return {
        read: read('riskline_gateway_bus_records_total{type="frame"}'),
        coalesced: read('riskline_gateway_coalesced_frames_total'),
      };
    },
    stop: () => proc.kill('SIGTERM'),
  };
}

// ---- the synthetic stream server -------------------------------------------------------------

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
};

/**
 * Update frames per second: about what the engine sends for a 10k-position portfolio (79 publication
 * units of 128 positions, engine/book.ts UNIT_SIZE, each once per 100 ms interval).
 */
export const SYNTHETIC_FRAMES_PER_S = 800;

/** The subprotocols the gateway speaks, in its order of preference (gateways/gateway.ts startGateway). */
const GATEWAY_SUBPROTOCOLS = [MSGPACK_SUBPROTOCOL, JSON_SUBPROTOCOL];

/** Standard MessagePack, plain maps, as the gateway writes it (gateways/protocol.ts). */
const packr = new Packr({ useRecords: false, moreTypes: false, variableMapSize: true });
const mapHeader = (n: number): Buffer =>
  n < 16
    ? Buffer.from([0x80 | n])
    : n < 0x10000
      ? Buffer.from([0xde, n >> 8, n & 0xff])
      : Buffer.from([0xdf, n >>> 24, (n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff]);
const f64 = (x: number): Buffer => {
  const b = Buffer.alloc(9);
  b[0] = 0xcb;
  b.writeDoubleBE(x, 1);
  return b;
};

/** Row values cycle through this many marks, so each pass over the book changes every cell it sends. */
const VARIANTS = 4;
/** The sender skips ahead rather than send more than this much of its schedule at once (it shares the cores). */
const MAX_CATCH_UP_MS = 50;

/**
 * The built page, `/v1/portfolios` naming the one portfolio, `/v1/instruments` (the positions'
 * reference data, as the gateway serves it), `extra` pages, and `/v1/stream`: a
 * subscriber gets a snapshot of each state channel, then (while `rate` > 0) updates of `rate` rows
 * a second in SYNTHETIC_FRAMES_PER_S frames a second, each a run of consecutive positions taking
 * up where the last left off (so every row moves once per pass), its asOf the wall clock at send.
 * The subprotocol is the gateway's choice (JSON text or MessagePack). Rows are precomputed, so
 * sending costs the sender little; when it falls behind its schedule by more than MAX_CATCH_UP_MS
 * it skips ahead (`sentRows` counts what went out).
 */
export async function syntheticServer(positions: number, extra: Record<string, string>) {
  if (!existsSync(join(WEB_DIR, 'index.html'))) throw new Error(`no built page in ${WEB_DIR}: npm run build`);
  // The live part's book: the same ids, prices, quantities and reference data.
  const u = terminalUniverse(positions);
  const ids = u.instruments.map((i) => i.id);
  const price = u.instruments.map((i) => i.price);
  const qty = u.portfolio.holdings.map((h) => h.qty);
  const refs = JSON.stringify(
    u.instruments.map(({ id, kind, currency, sector, country }) => ({ id, kind, currency, sector, country })),
  );
  const channel = `positions:${PORTFOLIO}`;
  const exposures = `exposures:${PORTFOLIO}`;
  const header = { portfolio: PORTFOLIO, baseCurrency: 'USD' };
  const totals = () => ({ nav: 1e9, cash: 1e9, marketValue: 0, unrealizedPnl: 0, realizedPnl: 0, positions });
  const row = (i: number, m: number) => ({
    mark: m,
    marketValue: m * qty[i],
    unrealizedPnl: (m - price[i]) * qty[i],
    exposure: m * qty[i],
  });

  const http: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/v1/portfolios' || path === '/v1/instruments') {
      res.writeHead(200, { 'content-type': 'application/json' });
      return res.end(
        path === '/v1/instruments' ? refs : JSON.stringify([{ id: PORTFOLIO, name: PORTFOLIO, baseCurrency: 'USD' }]),
      );
    }
    if (path in extra) {
      res.writeHead(200, { 'content-type': TYPES['.html'] });
      return res.end(extra[path]);
    }
    const file = normalize(join(WEB_DIR, path === '/' ? 'index.html' : path));
    if (!file.startsWith(WEB_DIR) || !existsSync(file)) {
      res.writeHead(404);
      return res.end();
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
    res.end(readFileSync(file));
  });
  // Each row's update (the fields a tick moves) and by-instrument exposure, per variant, as JSON
  // text and as MessagePack map entries (key then value), so a frame is put together, not encoded.
  const json: { rows: string[]; exp: string[] }[] = [];
  const mp: { rows: Buffer[]; exp: Buffer[] }[] = [];
  for (let v = 0; v < VARIANTS; v++) {
    const mark = (i: number) => price[i] * (1 + 0.001 * (v - 1.5));
    json.push({
      rows: ids.map((id, i) => `${JSON.stringify(id)}:${JSON.stringify(row(i, mark(i)))}`),
      exp: ids.map((id, i) => `${JSON.stringify(id)}:${mark(i) * qty[i]}`),
    });
    mp.push({
      rows: ids.map((id, i) => Buffer.concat([packr.pack(id), packr.pack(row(i, mark(i)))])),
      exp: ids.map((id, i) => Buffer.concat([packr.pack(id), f64(mark(i) * qty[i])])),
    });
  }
  const wss = new WebSocketServer({
    server: http,
    path: '/v1/stream',
    // The gateway's own choice among the subprotocols offered: its rule (gateways/identity/extract.ts)
    // and its preference, MessagePack first (gateways/gateway.ts).
    handleProtocols: (offered) =>
      protocolOffer([...offered].join(', '), { subprotocols: GATEWAY_SUBPROTOCOLS }).protocolEcho ?? false,
  });
  const clients = new Set<WebSocket>();
  const binary = (ws: WebSocket) => ws.protocol === MSGPACK_SUBPROTOCOL;
  let seq = 1;
  let expSeq = 1;
  let cursor = 0;
  let pass = 0;
  const send = (ws: WebSocket, type: string, ch: string, s: number, data: object) => {
    const asOf = performance.timeOrigin + performance.now();
    const msg = { type, channel: ch, seq: s, ts: asOf, asOf, inputSeq: seq, data };
    ws.send(binary(ws) ? packr.pack(msg) : JSON.stringify(msg));
  };
  wss.on('connection', (ws) => {
    ws.on('message', (raw, isBinary) => {
      const m = (isBinary && binary(ws) ? packr.unpack(raw as Buffer) : JSON.parse(String(raw))) as {
        op?: string;
        id?: number;
        channels?: string[];
      };
      if (m.op !== 'subscribe') return;
      const ack = { type: 'subscribed', id: m.id, channels: m.channels };
      ws.send(binary(ws) ? packr.pack(ack) : JSON.stringify(ack));
      if (m.channels?.includes(channel)) {
        const rows: Record<string, object> = {};
        ids.forEach(
          (id, i) =>
            (rows[id] = { instrument: id, qty: qty[i], avgCost: price[i], realizedPnl: 0, ...row(i, price[i]) }),
        );
        send(ws, 'snapshot', channel, seq, { ...header, totals: totals(), rows });
        const byInstrument: Record<string, number> = {};
        ids.forEach((id, i) => (byInstrument[id] = price[i] * qty[i]));
        send(ws, 'snapshot', exposures, expSeq, { ...header, byInstrument });
        clients.add(ws);
      }
    });
    ws.on('close', () => clients.delete(ws));
    ws.on('error', () => clients.delete(ws));
  });
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  const port = (http.address() as { port: number }).port;

  let rate = 0;
  let sentRows = 0;
  let due0 = 0;
  let t0 = performance.now();
  const jsonHead = JSON.stringify(header).slice(0, -1);
  const jsonTotals = JSON.stringify(totals());
  const mpTotals = packr.pack(totals());
  /** The envelope up to `data`'s entries, in MessagePack: {type, channel, seq, ts, asOf, inputSeq, data: {portfolio, baseCurrency, ...}}. */
  const mpHead = (ch: string, s: number, asOf: number, dataEntries: number) =>
    Buffer.concat([
      mapHeader(7),
      packr.pack('type'),
      packr.pack('update'),
      packr.pack('channel'),
      packr.pack(ch),
      packr.pack('seq'),
      packr.pack(s),
      packr.pack('ts'),
      f64(asOf),
      packr.pack('asOf'),
      f64(asOf),
      packr.pack('inputSeq'),
      packr.pack(seq),
      packr.pack('data'),
      mapHeader(dataEntries),
      packr.pack('portfolio'),
      packr.pack(PORTFOLIO),
      packr.pack('baseCurrency'),
      packr.pack('USD'),
    ]);
  /** One update frame of `k` rows to every subscriber (and its exposures frame, as the engine sends). */
  const frame = (k: number) => {
    const at = cursor;
    const v = pass % VARIANTS;
    const take = <T>(list: T[]) => {
      const out: T[] = [];
      for (let j = 0, i = at; j < k; j++, i = i + 1 === positions ? 0 : i + 1) out.push(list[i]);
      return out;
    };
    cursor = (at + k) % positions;
    if (cursor < at || k === positions) pass++;
    seq++;
    expSeq++;
    const asOf = performance.timeOrigin + performance.now();
    let text: [string, string] | null = null;
    let bytes: [Buffer, Buffer] | null = null;
    for (const ws of clients) {
      if (binary(ws)) {
        bytes ??= [
          Buffer.concat([
            mpHead(channel, seq, asOf, 4),
            packr.pack('totals'),
            mpTotals,
            packr.pack('rows'),
            mapHeader(k),
            ...take(mp[v].rows),
          ]),
          Buffer.concat([
            mpHead(exposures, expSeq, asOf, 3),
            packr.pack('byInstrument'),
            mapHeader(k),
            ...take(mp[v].exp),
          ]),
        ];
        ws.send(bytes[0]);
        ws.send(bytes[1]);
      } else {
        const env = (ch: string, s: number) =>
          `{"type":"update","channel":${JSON.stringify(ch)},"seq":${s},"ts":${asOf},"asOf":${asOf},"inputSeq":${seq},"data":${jsonHead},`;
        text ??= [
          `${env(channel, seq)}"totals":${jsonTotals},"rows":{${take(json[v].rows).join(',')}}}}`,
          `${env(exposures, expSeq)}"byInstrument":{${take(json[v].exp).join(',')}}}}`,
        ];
        ws.send(text[0]);
        ws.send(text[1]);
      }
    }
    sentRows += k;
  };
  const timer = setInterval(() => {
    if (rate <= 0 || clients.size === 0) return;
    const due = Math.floor(((performance.now() - t0) * SYNTHETIC_FRAMES_PER_S) / 1000);
    const perFrame = rate / SYNTHETIC_FRAMES_PER_S;
    const behind = due - due0 - Math.ceil((MAX_CATCH_UP_MS * SYNTHETIC_FRAMES_PER_S) / 1000);
    if (behind > 0) due0 += behind;
    // Each due frame carries its share (fractions carried over), never more than a pass of the book.
    for (; due0 < due; due0++) {
      const k = Math.min(positions, Math.floor((due0 + 1) * perFrame) - Math.floor(due0 * perFrame));
      if (k > 0) frame(k);
    }
  }, 4);
  return {
    base: `http://127.0.0.1:${port}`,
    /** Rows per second from now on (0: updates stop). */
    setRate(rowsPerS: number) {
      rate = rowsPerS;
      t0 = performance.now();
      due0 = 0;
    },
    get sentRows() {
      return sentRows;
    },
    get frames() {
      return seq;
    },
    async close() {
      clearInterval(timer);
      for (const ws of clients) ws.terminate();
      wss.close();
      await new Promise((r) => http.close(r));
    },
  };
}
