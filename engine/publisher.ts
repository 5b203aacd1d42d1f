// Turns the book's dirty state into channel frames: a snapshot the first time (and every
// `snapshotEveryMs` of event time, for compacted state topics and late joiners), then updates that
// carry only the rows and buckets that changed. Sequence numbers are kept per channel.

import { DIMENSIONS, type Book } from './book.js';
import { channelOf, type Frame } from './frames.js';
import type { ExposureCell, PositionRow } from './model.js';

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

  constructor(private readonly book: Book) {
    const ids = book.portfolioIds;
    this.positionsChannel = ids.map((id) => channelOf('positions', id));
    this.exposuresChannel = ids.map((id) => channelOf('exposures', id));
    this.riskChannel = ids.map((id) => channelOf('risk', id));
    this.alertsChannel = ids.map((id) => channelOf('alerts', id));
  }

  private frame(channel: string, type: Frame['type'], data: Record<string, unknown>): Frame {
    const seq = (this.seq.get(channel) ?? 0) + 1;
    this.seq.set(channel, seq);
    return { channel, type: seq === 1 ? 'snapshot' : type, seq, asOf: this.book.now, data };
  }

  /** Full state of a portfolio. */
  snapshot(port: number, out: Frame[]): void {
    const book = this.book;
    book.expandFxMoves(port);
    const rows: Record<string, PositionRow> = {};
    const data: Record<string, unknown> = this.exposureHeader(port);
    data.byInstrument = {};
    for (const s of SECTIONS) if (s) data[s] = {};
    for (const p of book.portfolioPositions[port]) {
      const row = this.row(p);
      rows[row.instrument] = row;
      this.putInstrument(data, row);
    }
    for (const b of book.portfolioBuckets[port]) this.putBucket(data, b);
    out.push(this.frame(this.positionsChannel[port], 'snapshot', { ...this.totals(port), rows }));
    out.push(this.frame(this.exposuresChannel[port], 'snapshot', data));
    book.clearDirty(port);
  }

  /**
   * What changed in one publication unit since its last publication: nothing, or a positions
   * frame (totals and the unit's changed rows) and an exposures frame (their by-instrument cells,
   * and with a portfolio's first unit the changed buckets). FX moves are expanded by the first unit.
   */
  update(unit: number, out: Frame[]): void {
    const book = this.book;
    const port = book.unitPort[unit];
    const first = book.portfolioUnits[port][0] === unit;
    if (first) {
      book.expandFxMoves(port);
      book.collectDirtyBuckets(port);
    }
    const dirty = book.dirtyPositions[unit];
    const buckets = first ? book.dirtyBuckets[port] : [];
    if (dirty.length > 0 || (first && book.portDirty[port])) {
      const rows: Record<string, PositionRow> = {};
      const exposures = this.exposureHeader(port);
      for (const p of dirty) {
        const row = this.row(p);
        rows[row.instrument] = row;
        this.putInstrument(exposures, row);
      }
      for (const b of buckets) this.putBucket(exposures, b);
      out.push(this.frame(this.positionsChannel[port], 'update', { ...this.totals(port), rows }));
      if (dirty.length > 0 || buckets.length > 0)
        out.push(this.frame(this.exposuresChannel[port], 'update', exposures));
    }
    book.clearUnit(unit);
    if (first) book.clearPortfolio(port);
  }

  risk(port: number, data: Record<string, unknown>): Frame {
    return this.frame(this.riskChannel[port], 'update', data);
  }

  alert(port: number, data: Record<string, unknown>): Frame {
    return this.frame(this.alertsChannel[port], 'update', data);
  }

  private totals(port: number): Record<string, unknown> {
    const b = this.book;
    const cash = b.cashBase(port);
    const marketValue = b.marketValue(port);
    return {
      portfolio: b.portfolioIds[port],
      baseCurrency: b.t.currencies[b.base[port]],
      totals: {
        nav: cash + marketValue,
        cash,
        marketValue,
        unrealizedPnl: b.unrealizedPnl(port),
        realizedPnl: b.realized[port],
        positions: b.portfolioPositions[port].length,
      },
    };
  }

  private exposureHeader(port: number): Record<string, unknown> {
    const b = this.book;
    return { portfolio: b.portfolioIds[port], baseCurrency: b.t.currencies[b.base[port]] };
  }

  /** By instrument, a portfolio holds one position: its net exposure says long, short and gross. */
  private putInstrument(data: Record<string, unknown>, row: PositionRow): void {
    ((data.byInstrument ??= {}) as Record<string, number>)[row.instrument] = row.exposure;
  }

  private putBucket(data: Record<string, unknown>, b: number): void {
    const book = this.book;
    book.bucketValue(b, this.cell);
    const long = this.cell[0];
    const short = this.cell[1];
    const cell: ExposureCell = { long, short, net: long + short, gross: long - short };
    const section = SECTIONS[book.bDim[b]];
    if (section === null) data.totals = cell;
    else ((data[section] ??= {}) as Record<string, ExposureCell>)[book.bKey[b]] = cell;
  }

  private row(p: number): PositionRow {
    const b = this.book;
    const i = b.pInst[p];
    const fx = b.fxOf(p);
    return {
      instrument: b.t.ids[i],
      qty: b.pQty[p],
      avgCost: b.pAvg[p],
      mark: b.mark[i],
      marketValue: b.pMv[p] * fx,
      unrealizedPnl: b.pUpnl[p] * fx,
      realizedPnl: b.pRpnl[p],
      exposure: b.pExp[p] * fx,
    };
  }
}
