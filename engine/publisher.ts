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

  /** Full state of every portfolio. */
  snapshots(out: Frame[]): void {
    const book = this.book;
    book.expandFxMoves();
    for (let port = 0; port < book.portfolioIds.length; port++) {
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
    }
    book.clearDirty();
  }

  /** What changed since the last publication, one frame per changed channel. */
  updates(out: Frame[]): void {
    const book = this.book;
    book.expandFxMoves();
    book.collectDirtyBuckets();
    const np = book.portfolioIds.length;
    const rows: (Record<string, PositionRow> | null)[] = new Array(np).fill(null);
    const exposures: (Record<string, unknown> | null)[] = new Array(np).fill(null);
    for (const p of book.dirtyPositions) {
      const port = book.pPort[p];
      const row = this.row(p);
      (rows[port] ??= {})[row.instrument] = row;
      this.putInstrument((exposures[port] ??= this.exposureHeader(port)), row);
    }
    for (const b of book.dirtyBuckets) {
      const port = book.bPort[b];
      this.putBucket((exposures[port] ??= this.exposureHeader(port)), b);
    }
    for (let port = 0; port < np; port++) {
      if (rows[port] || book.portDirty[port]) {
        out.push(this.frame(this.positionsChannel[port], 'update', { ...this.totals(port), rows: rows[port] ?? {} }));
      }
      if (exposures[port]) out.push(this.frame(this.exposuresChannel[port], 'update', exposures[port]!));
    }
    book.clearDirty();
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

  private putInstrument(data: Record<string, unknown>, row: PositionRow): void {
    const e = row.exposure;
    const long = e > 0 ? e : 0;
    const short = e < 0 ? e : 0;
    ((data.byInstrument ??= {}) as Record<string, ExposureCell>)[row.instrument] = { long, short, net: e, gross: long - short };
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

