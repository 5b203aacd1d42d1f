// What the terminal benchmark runs inside Chromium: an init script that times the page's own code
// path without changing it, and the floor page (the baseline). Both are plain JavaScript strings:
// they run in the browser, and this project's bench build has no DOM types.
//
// The init script (page.addInitScript: before any of the page's scripts) records, in
// performance.now() milliseconds of the page, into window.__bench:
//   frames  each `positions:` snapshot/update message as the page's WebSocket receives it (its
//           listener runs before the page's own onmessage): receive time, seq, asOf, snapshot?,
//           rows it carries. Read from the head of the message only, not parsed twice: a JSON text
//           frame by a regular expression and a count of its rows' keys, a MessagePack binary frame
//           (`riskline.msgpack`) by decoding the envelope's fields up to the rows map's header;
//   protocol the subprotocol the server chose (the floor page offers the same);
//   lives   each LiveStream flush (gateways/web/src/live.ts: the animation-frame callback
//           `() => this.flush()` that hands the frames received since the last one to the views):
//           start, end;
//   grids   each AG Grid async-transaction batch, should the page queue one
//           (`() => this.executeBatchUpdateRowData()`, the timer asyncTransactionWaitMillis after the
//           first queued transaction; the terminal writes its grid in the flush): start, end. The
//           rows' cells are rewritten inside it, synchronously;
//   long    PerformanceObserver 'longtask' entries (main-thread tasks over 50 ms): start, duration;
//   loaf    'long-animation-frame' entries (frames over 50 ms, rendering included): start,
//           duration, blockingDuration.
// Both callbacks are recognised by their source text, so the page is timed as shipped (no hook in
// gateways/web); the scenario fails loudly if either is never seen (the page's code changed).
// window.__benchMsgpack is a plain MessagePack decoder (maps, arrays, strings, numbers, binary:
// what the gateway writes) for the hook above and the floor page.
import { KEYED_SECTIONS } from '../../engine/frames.js';

export const INIT_SCRIPT = String.raw`(() => {
  if (window.__bench) return;
  const now = () => performance.now();
  const B = (window.__bench = {
    frames: [], lives: [], grids: [], long: [], loaf: [],
    take() {
      const out = { frames: B.frames, lives: B.lives, grids: B.grids, long: B.long, loaf: B.loaf,
        timeOrigin: performance.timeOrigin, protocol: B.protocol ?? '', unreadable: B.unreadable ?? 0 };
      B.frames = []; B.lives = []; B.grids = []; B.long = []; B.loaf = [];
      return out;
    },
  });
  const MP = (window.__benchMsgpack = (() => {
    const td = new TextDecoder();
    let b, dv, p;
    const str = (n) => { const v = td.decode(b.subarray(p, p + n)); p += n; return v; };
    const bin = (n) => { const v = b.slice(p, p + n); p += n; return v; };
    const map = (n) => { const o = {}; for (let i = 0; i < n; i++) { const k = val(); o[k] = val(); } return o; };
    const arr = (n) => { const a = new Array(n); for (let i = 0; i < n; i++) a[i] = val(); return a; };
    const u8 = () => b[p++];
    const u16 = () => { const v = dv.getUint16(p); p += 2; return v; };
    const u32 = () => { const v = dv.getUint32(p); p += 4; return v; };
    const num = (get, n) => { const v = dv[get](p); p += n; return typeof v === 'bigint' ? Number(v) : v; };
    function val() {
      const c = b[p++];
      if (c < 0x80) return c;
      if (c < 0x90) return map(c & 0x0f);
      if (c < 0xa0) return arr(c & 0x0f);
      if (c < 0xc0) return str(c & 0x1f);
      if (c >= 0xe0) return c - 0x100;
      switch (c) {
        case 0xc0: return null;
        case 0xc2: return false;
        case 0xc3: return true;
        case 0xc4: return bin(u8());
        case 0xc5: return bin(u16());
        case 0xc6: return bin(u32());
        case 0xca: return num('getFloat32', 4);
        case 0xcb: return num('getFloat64', 8);
        case 0xcc: return u8();
        case 0xcd: return u16();
        case 0xce: return u32();
        case 0xcf: return num('getBigUint64', 8);
        case 0xd0: return num('getInt8', 1);
        case 0xd1: return num('getInt16', 2);
        case 0xd2: return num('getInt32', 4);
        case 0xd3: return num('getBigInt64', 8);
        case 0xd9: return str(u8());
        case 0xda: return str(u16());
        case 0xdb: return str(u32());
        case 0xdc: return arr(u16());
        case 0xdd: return arr(u32());
        case 0xde: return map(u16());
        case 0xdf: return map(u32());
      }
      throw new Error('msgpack: unsupported type 0x' + c.toString(16));
    }
    const mapLength = () => {
      const c = b[p++];
      return c >= 0x80 && c < 0x90 ? c & 0x0f : c === 0xde ? u16() : c === 0xdf ? u32() : -1;
    };
    const at = (bytes) => { b = bytes; dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength); p = 0; };
    return {
      decode(bytes) { at(bytes); return val(); },
      /** A frame's envelope fields (type, channel, seq, asOf...) and data.rows' length, nothing else decoded. */
      head(bytes) {
        at(bytes);
        const out = { rows: 0 };
        for (let n = mapLength(); n > 0; n--) {
          const k = val();
          if (k !== 'data') { out[k] = val(); continue; }
          for (let m = mapLength(); m > 0; m--) {
            if (val() === 'rows') { out.rows = mapLength(); break; }
            val();
          }
          break;
        }
        return out;
      },
    };
  })());
  const HEAD = /^\{"type":"(snapshot|update)","channel":"positions:[^"]*","seq":(\d+),"ts":[-+.\deE]+,"asOf":([-+.\deE]+)/;
  const rowsIn = (s) => {
    let i = s.indexOf('"rows":{');
    if (i < 0) return 0;
    let n = 0;
    for (i = s.indexOf('":{', i + 8); i >= 0; i = s.indexOf('":{', i + 3)) n++;
    return n;
  };
  const WS = window.WebSocket;
  window.WebSocket = class extends WS {
    constructor(url, protocols) {
      super(url, protocols);
      this.addEventListener('open', () => (B.protocol = this.protocol));
      this.addEventListener('message', (e) => {
        const t = now();
        if (typeof e.data === 'string') {
          const m = HEAD.exec(e.data);
          if (m !== null) B.frames.push(t, +m[2], +m[3], m[1] === 'snapshot' ? 1 : 0, rowsIn(e.data));
        } else if (e.data instanceof ArrayBuffer) {
          let h;
          try { h = MP.head(new Uint8Array(e.data)); } catch { B.unreadable = (B.unreadable ?? 0) + 1; return; }
          if ((h.type === 'snapshot' || h.type === 'update') && String(h.channel).startsWith('positions:'))
            B.frames.push(t, h.seq, h.asOf, h.type === 'snapshot' ? 1 : 0, h.rows);
        } else B.unreadable = (B.unreadable ?? 0) + 1;
      });
    }
  };
  const src = Function.prototype.toString;
  const timed = (fn, into) => function (...a) {
    const s = now();
    try { return fn.apply(this, a); } finally { B[into].push(s, now()); }
  };
  const raf = window.requestAnimationFrame.bind(window);
  window.requestAnimationFrame = (cb) =>
    raf(typeof cb === 'function' && /this\.flush\(\)/.test(src.call(cb)) ? timed(cb, 'lives') : cb);
  const st = window.setTimeout.bind(window);
  window.setTimeout = (fn, ms, ...a) =>
    st(typeof fn === 'function' && src.call(fn).includes('executeBatchUpdateRowData') ? timed(fn, 'grids') : fn, ms, ...a);
  const observe = (type, push) => {
    try {
      new PerformanceObserver((l) => { for (const e of l.getEntries()) push(e); }).observe({ type, buffered: true });
    } catch {}
  };
  observe('longtask', (e) => B.long.push(e.startTime, e.duration));
  observe('long-animation-frame', (e) => B.loaf.push(e.startTime, e.duration, e.blockingDuration ?? 0));
})();`;

/**
 * The floor: the least any page showing this stream must do, with no React and no AG Grid. One
 * WebSocket subscribed to the same channels as the Portfolio view; each message decoded and
 * merged into the channel's state by the engine's rule (applyFrame: keyed sections row by row);
 * once per animation frame, the touched rows among `rows` shown (the number the grid renders) have
 * their cells rewritten with the same number formats (a snapshot rebuilds the table, sorted by
 * instrument). Its paint callback is timed into window.__bench.lives (start, end): for the floor
 * a frame is in the DOM when that callback ends. It offers the subprotocol the terminal's
 * connection got (JSON text, or MessagePack read by window.__benchMsgpack). Query:
 * ?portfolio=ID&rows=N&protocol=riskline.json|riskline.msgpack.
 */
export const FLOOR_HTML = String.raw`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Riskline floor</title>
<style>body{font:13px system-ui,sans-serif;margin:0}td{padding:0 8px;height:41px;text-align:right}</style>
</head><body><table><tbody id="t"></tbody></table><script>
(() => {
  const q = new URLSearchParams(location.search);
  const id = q.get('portfolio');
  const shown = Number(q.get('rows') || 30);
  const channel = 'positions:' + id;
  const KEYED = new Set(${JSON.stringify([...KEYED_SECTIONS])});
  const COLS = [['qty', 0], ['avgCost', 4], ['mark', 4], ['marketValue', 0], ['unrealizedPnl', 0, true],
    ['realizedPnl', 0, true], ['exposure', 0], ['componentVar', 0]];
  const fmts = new Map();
  const money = (v, d) => {
    if (typeof v !== 'number' || !Number.isFinite(v)) return '';
    let f = fmts.get(d);
    if (!f) fmts.set(d, (f = new Intl.NumberFormat('en-US', { minimumFractionDigits: d, maximumFractionDigits: d })));
    return f.format(v);
  };
  const state = new Map();
  const cells = new Map();
  let touched = new Set();
  let all = false;
  let frame = 0;
  const apply = (held, m) => {
    if (m.type === 'snapshot' || held === undefined) {
      const out = { ...m.data };
      for (const k of KEYED) if (out[k] && typeof out[k] === 'object') out[k] = { ...out[k] };
      return out;
    }
    for (const [k, v] of Object.entries(m.data)) {
      if (KEYED.has(k) && v !== null && typeof v === 'object') {
        const sec = (held[k] ??= {});
        for (const [key, row] of Object.entries(v)) {
          const h = sec[key];
          if (row === null) delete sec[key];
          else if (typeof row === 'object' && h && typeof h === 'object') sec[key] = { ...h, ...row };
          else sec[key] = row;
        }
      } else held[k] = v;
    }
    return held;
  };
  const fill = (tds, r) => {
    if (!r) return;
    for (let c = 0; c < COLS.length; c++) {
      const [field, d, sign] = COLS[c];
      const v = r[field];
      tds[c + 1].textContent = (sign && v > 0 ? '+' : '') + money(v, d);
    }
  };
  const paint = () => {
    frame = 0;
    const s = performance.now();
    const rows = state.get(channel)?.rows;
    if (rows && all) {
      const body = document.getElementById('t');
      body.textContent = '';
      cells.clear();
      for (const key of Object.keys(rows).sort().slice(0, shown)) {
        const tr = body.insertRow();
        const tds = [];
        for (let c = 0; c <= COLS.length; c++) tds.push(tr.insertCell());
        tds[0].textContent = key;
        cells.set(key, tds);
        fill(tds, rows[key]);
      }
    } else if (rows) for (const key of touched) { const tds = cells.get(key); if (tds) fill(tds, rows[key]); }
    all = false;
    touched = new Set();
    window.__bench.lives.push(s, performance.now());
  };
  const ws = new WebSocket((location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/v1/stream',
    [q.get('protocol') || 'riskline.json']);
  ws.binaryType = 'arraybuffer';
  ws.onopen = () => ws.send(JSON.stringify({ id: 1, op: 'subscribe', channels: [channel, 'exposures:' + id, 'risk:' + id] }));
  ws.onmessage = (e) => {
    const m = typeof e.data === 'string' ? JSON.parse(e.data) : window.__benchMsgpack.decode(new Uint8Array(e.data));
    if (m.type !== 'snapshot' && m.type !== 'update') return;
    state.set(m.channel, apply(state.get(m.channel), m));
    if (m.channel === channel) {
      if (m.type === 'snapshot') all = true;
      else for (const key of Object.keys(m.data.rows ?? {})) touched.add(key);
    }
    if (frame === 0) frame = requestAnimationFrame(paint);
  };
})();
</script></body></html>`;
