// Turns the book's dirty state into channel frames: a snapshot the first time (and every
// `snapshotEveryMs` of event time, for compacted state topics and late joiners), then updates that
// carry only the rows and buckets that changed. Sequence numbers are kept per channel.
//
// Frames are written as MessagePack straight from the book's arrays (no row objects), in this
// shape: {channel, type, seq, asOf, inputSeq, data}, where data is
//   positions: {portfolio, baseCurrency, totals{nav,cash,marketValue,unrealizedPnl,realizedPnl,positions}, rows{id: PositionRow}}
//              (in an update, a row holds only its changed fields; the reader merges them into the row it has)
//   exposures: {portfolio, baseCurrency, [totals: cell], [byInstrument{id: net}], [byAssetClass|bySector|byCurrency|byCountry{key: cell}]}
// with cell = {long, short, net, gross}; a snapshot carries every section, an update only changed ones.
// Fixed-shape maps are written with openMap/key/closeMap, so a header's count is the keys written.

import { DIMENSIONS, DIMS, type Book } from './book.js';
import { channelOf, type EncodedFrame, type Frame, type FramePrefix } from './frames.js';
import { encodeStr, MsgpackWriter } from '../codecs/msgpack.js';

const SECTION: Record<(typeof DIMENSIONS)[number], string | null> = {
  total: null,
  assetClass: 'byAssetClass',
  sector: 'bySector',
  currency: 'byCurrency',
  country: 'byCountry',
};
const SECTIONS = DIMENSIONS.map((d) => SECTION[d]);

export class FramePublisher {
  private readonly positionsChannel: string[];
  private readonly exposuresChannel: string[];
  private readonly riskChannel: string[];
  private readonly alertsChannel: string[];
  private readonly seq = new Map<string, number>();
  private readonly cell = new Float64Array(2);
  private readonly w = new MsgpackWriter();
  /** Dirty buckets of the frame being written, by dimension (reused). */
  private readonly byDim: number[][] = Array.from({ length: DIMS }, () => []);

  /** Each position's row as last published (ROW_FIELDS per position), and whether it ever was. */
  private lastRows = new Float64Array(0);
  private rowPublished = new Uint8Array(0);
  private readonly rowScratch = new Float64Array(ROW_FIELDS.length);
  private readonly encodedIds: (Uint8Array | null)[] = [];

  /** Where the current frame's own bytes start in the writer (after any prefix). */
  private bodyAt = 0;
  /** The input sequence the frames being written reflect (set by the engine before publishing). */
  inputSeq = 0;

  constructor(
    private readonly book: Book,
    private readonly prefix?: FramePrefix,
  ) {
    const ids = book.portfolioIds;
    this.positionsChannel = ids.map((id) => channelOf('positions', id));
    this.exposuresChannel = ids.map((id) => channelOf('exposures', id));
    this.riskChannel = ids.map((id) => channelOf('risk', id));
    this.alertsChannel = ids.map((id) => channelOf('alerts', id));
  }

  /** Last seq written on a channel (0: none yet). */
  lastSeq(channel: string): number {
    return this.seq.get(channel) ?? 0;
  }

  /** The positions and exposures seqs that complete a portfolio's state as published so far. */
  basisOf(port: number): { positions: number; exposures: number } {
    return {
      positions: this.lastSeq(this.positionsChannel[port]),
      exposures: this.lastSeq(this.exposuresChannel[port]),
    };
  }

  /** Last seq of each of a portfolio's channels (for a checkpoint). */
  seqsOf(port: number): [string, number][] {
    return [this.positionsChannel, this.exposuresChannel, this.riskChannel, this.alertsChannel].map((c) => [
      c[port],
      this.lastSeq(c[port]),
    ]);
  }

  /** Continues channels from the given seqs (a portfolio taken over from another engine). */
  setSeqs(seqs: readonly [string, number][]): void {
    for (const [channel, seq] of seqs) if (seq > this.lastSeq(channel)) this.seq.set(channel, seq);
  }

  /** Starts a frame in the writer: the envelope fields, then `data` whose value the caller writes. */
  private begin(channel: string, type: Frame['type']): EncodedFrame {
    const seq = this.lastSeq(channel) + 1;
    this.seq.set(channel, seq);
    const frame: EncodedFrame = {
      channel,
      type: seq === 1 ? 'snapshot' : type,
      seq,
      asOf: this.book.now,
      inputSeq: this.inputSeq,
      bytes: EMPTY,
    };
    this.w.reset();
    this.bodyAt = this.prefix?.(this.w, channel, frame.asOf) ? this.w.pos : 0;
    this.w.openMap().key('channel').str(channel).key('type').str(frame.type).key('seq').num(seq);
    this.w.key('asOf').num(frame.asOf).key('inputSeq').num(frame.inputSeq).key('data');
    return frame;
  }

  private end(frame: EncodedFrame, out: EncodedFrame[]): void {
    this.finish(frame);
    out.push(frame);
  }

  /** One copy out of the writer: the frame, or the prefixed buffer with the frame as its tail. */
  private finish(frame: EncodedFrame): void {
    const all = this.w.closeMap().take();
    if (this.bodyAt === 0) frame.bytes = all;
    else {
      frame.wrapped = all;
      frame.bytes = all.subarray(this.bodyAt);
    }
  }

  /** Full state of a portfolio. */
  snapshot(port: number, out: EncodedFrame[]): void {
    const book = this.book;
    const positions = book.portfolioPositions[port];
    let f = this.begin(this.positionsChannel[port], 'snapshot');
    this.positionsData(port, positions, false);
    this.end(f, out);

    f = this.begin(this.exposuresChannel[port], 'snapshot');
    const w = this.w;
    for (const list of this.byDim) list.length = 0;
    for (const b of book.portfolioBuckets[port]) this.byDim[book.bDim[b]].push(b);
    w.openMap();
    this.header(port);
    w.key('totals');
    this.writeCell(book.portfolioBuckets[port][0]);
    this.byInstrument(positions);
    for (let d = 1; d < DIMS; d++) this.section(d);
    w.closeMap();
    this.end(f, out);
    book.clearDirty(port);
  }

  /**
   * What changed in one publication unit since its last publication: nothing, or a positions
   * frame (totals and the unit's changed rows) and an exposures frame (their by-instrument cells,
   * and with a portfolio's first unit the changed buckets).
   */
  update(unit: number, out: EncodedFrame[]): void {
    const book = this.book;
    const port = book.unitPort[unit];
    const first = book.portfolioUnits[port][0] === unit;
    // FX moves are expanded in one place, the engine's publishPortfolio, before a first unit publishes.
    if (first) book.collectDirtyBuckets(port);
    const dirty = book.dirtyPositions[unit];
    const buckets = first ? book.dirtyBuckets[port] : NONE;
    if (dirty.length > 0 || (first && book.portDirty[port])) {
      let f = this.begin(this.positionsChannel[port], 'update');
      // The first frame of a channel goes out as a snapshot (begin): its rows must then be whole.
      this.positionsData(port, dirty, f.type === 'update');
      this.end(f, out);
      if (dirty.length > 0 || buckets.length > 0) {
        f = this.begin(this.exposuresChannel[port], 'update');
        this.exposureUpdate(port, dirty, buckets);
        this.end(f, out);
      }
    }
    book.clearUnit(unit);
    if (first) book.clearPortfolio(port);
  }

  /** A risk frame is always complete (a whole run's result), so it is a snapshot: a reader needs no base. */
  risk(port: number, data: object): EncodedFrame {
    return this.event(this.riskChannel[port], data, 'snapshot');
  }

  alert(port: number, data: object): EncodedFrame {
    return this.event(this.alertsChannel[port], data);
  }

  private event(channel: string, data: object, type: Frame['type'] = 'update'): EncodedFrame {
    const f = this.begin(channel, type);
    this.w.value(data);
    this.finish(f);
    return f;
  }

  private header(port: number): void {
    const b = this.book;
    this.w.key('portfolio').str(b.portfolioIds[port]).key('baseCurrency').str(b.t.currencies[b.base[port]]);
  }

  /**
   * The positions data: totals, then rows. In a snapshot every row is whole; in an update a row
   * carries only the fields that changed since its last publication (a new row is whole, a row with
   * no change is left out): a tick moves a row's mark, market value, P&L and exposure, never its
   * quantity or cost, and the reader merges the fields into the row it holds (frames.ts applyFrame).
   */
  private positionsData(port: number, positions: readonly number[], changedOnly: boolean): void {
    const b = this.book;
    const w = this.w;
    const cash = b.cashBase(port);
    const marketValue = b.marketValue(port);
    w.openMap();
    this.header(port);
    w.key('totals').openMap();
    w.key('nav')
      .num(cash + marketValue)
      .key('cash')
      .num(cash)
      .key('marketValue')
      .num(marketValue);
    w.key('unrealizedPnl').num(b.unrealizedPnl(port)).key('realizedPnl').num(b.realized[port]);
    w.key('positions').num(b.portfolioPositions[port].length).closeMap();
    if (this.lastRows.length < b.pQty.length * ROW_FIELDS.length) this.growLastRows(b.pQty.length);
    const last = this.lastRows;
    const v = this.rowScratch;
    // One pass: the rows map's header counts the rows written (key() per row), as openMap does.
    w.key('rows').openMap();
    for (const p of positions) {
      const changed = this.rowValues(p, v, changedOnly);
      if (changed === 0) continue;
      const whole = changed === ROW_FIELDS.length + 1;
      const id = this.idBytes(b.pInst[p]);
      w.keyBytes(id).openMap();
      if (whole) w.keyBytes(INSTRUMENT_KEY).raw(id);
      const at = p * ROW_FIELDS.length;
      for (let f = 0; f < ROW_FIELDS.length; f++) {
        if (!whole && same(v[f], last[at + f])) continue;
        w.keyBytes(ROW_KEYS[f]).num(v[f]);
      }
      w.closeMap();
      for (let f = 0; f < ROW_FIELDS.length; f++) last[at + f] = v[f];
      this.rowPublished[p] = 1;
    }
    w.closeMap();
    w.closeMap();
  }

  /**
   * Position p's row values into `v`; returns ROW_FIELDS.length + 1 when the row goes whole (with
   * its instrument), else how many fields differ from its last publication (0: the row is left out).
   */
  private rowValues(p: number, v: Float64Array, changedOnly: boolean): number {
    const b = this.book;
    const i = b.pInst[p];
    const fx = b.fxOf(p);
    v[0] = b.pQty[p];
    v[1] = b.pAvg[p];
    v[2] = b.mark[i];
    v[3] = b.pMv[p] * fx;
    v[4] = b.pUpnl[p] * fx;
    v[5] = b.pRpnl[p];
    v[6] = b.pExp[p] * fx;
    if (!changedOnly || this.rowPublished[p] !== 1) return ROW_FIELDS.length + 1;
    const last = this.lastRows;
    const at = p * ROW_FIELDS.length;
    let n = 0;
    for (let f = 0; f < ROW_FIELDS.length; f++) if (!same(v[f], last[at + f])) n++;
    return n;
  }

  /** Instrument i's id as MessagePack, encoded once (a row's key and its `instrument`). */
  private idBytes(i: number): Uint8Array {
    const ids = this.encodedIds;
    while (ids.length <= i) ids.push(null);
    return (ids[i] ??= encodeStr(this.book.t.ids[i]));
  }

  private growLastRows(positions: number): void {
    const size = Math.max(positions, 2 * this.rowPublished.length);
    const rows = new Float64Array(size * ROW_FIELDS.length);
    rows.set(this.lastRows);
    const published = new Uint8Array(size);
    published.set(this.rowPublished);
    this.lastRows = rows;
    this.rowPublished = published;
  }

  /** By instrument, a portfolio holds one position: its net exposure says long, short and gross. */
  private byInstrument(positions: readonly number[]): void {
    const b = this.book;
    this.w.key('byInstrument').map(positions.length);
    for (const p of positions) this.w.raw(this.idBytes(b.pInst[p])).num(b.pExp[p] * b.fxOf(p));
  }

  private exposureUpdate(port: number, dirty: readonly number[], buckets: readonly number[]): void {
    const book = this.book;
    for (const list of this.byDim) list.length = 0;
    for (const b of buckets) this.byDim[book.bDim[b]].push(b);
    this.w.openMap();
    this.header(port);
    if (this.byDim[0].length > 0) {
      this.w.key('totals');
      this.writeCell(this.byDim[0][0]);
    }
    if (dirty.length > 0) this.byInstrument(dirty);
    for (let d = 1; d < DIMS; d++) if (this.byDim[d].length > 0) this.section(d);
    this.w.closeMap();
  }

  /** A keyed section of the buckets collected for dimension d. */
  private section(d: number): void {
    const list = this.byDim[d];
    this.w.key(SECTIONS[d]!).map(list.length);
    for (const b of list) {
      this.w.str(this.book.bKey[b]);
      this.writeCell(b);
    }
  }

  private writeCell(b: number): void {
    this.book.bucketValue(b, this.cell);
    const long = this.cell[0];
    const short = this.cell[1];
    this.w
      .openMap()
      .key('long')
      .num(long)
      .key('short')
      .num(short)
      .key('net')
      .num(long + short)
      .key('gross')
      .num(long - short)
      .closeMap();
  }
}

const EMPTY = new Uint8Array(0);
/** A position row's numeric fields, in the order rowValues fills them. */
const ROW_FIELDS = ['qty', 'avgCost', 'mark', 'marketValue', 'unrealizedPnl', 'realizedPnl', 'exposure'] as const;
const ROW_KEYS = ROW_FIELDS.map(encodeStr);
const INSTRUMENT_KEY = encodeStr('instrument');
/** Equal, NaN included (a mark not yet known stays unknown without being sent again). */
const same = (a: number, b: number): boolean => a === b || (a !== a && b !== b);
const NONE: readonly number[] = [];
