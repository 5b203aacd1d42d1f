// Turns the book's dirty state into channel frames: a snapshot the first time (and every
// `snapshotEveryMs` of event time, for compacted state topics and late joiners), then updates that
// carry only the rows and buckets that changed. Sequence numbers are kept per channel.

import { DIMENSIONS, type Book } from './book.js';
import { channelOf, type Frame } from './frames.js';
import type { ExposureCell, PositionRow } from './model.js';

const SECTION: Record<(typeof DIMENSIONS)[number], string | null> = {
  total: null,
  instrument: 'byInstrument',
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
    for (let port = 0; port < book.portfolioIds.length; port++) {
      const rows: Record<string, PositionRow> = {};
      for (const p of book.portfolioPositions[port]) rows[book.t.ids[book.pInst[p]]] = this.row(p);
      out.push(this.frame(this.positionsChannel[port], 'snapshot', { ...this.totals(port), rows }));
      const data: Record<string, unknown> = this.exposureHeader(port);
      for (const s of SECTIONS) if (s) data[s] = {};
      for (const b of book.portfolioBuckets[port]) this.putBucket(data, b);
      out.push(this.frame(this.exposuresChannel[port], 'snapshot', data));
    }
    book.clearDirty();
  }

  /** What changed since the last publication, one frame per changed channel. */
  updates(out: Frame[]): void {
    const book = this.book;
    const np = book.portfolioIds.length;
    const rows: (Record<string, PositionRow> | null)[] = new Array(np).fill(null);
    for (const p of book.dirtyPositions) {
      const port = book.pPort[p];
      (rows[port] ??= {})[book.t.ids[book.pInst[p]]] = this.row(p);
    }
    const exposures: (Record<string, unknown> | null)[] = new Array(np).fill(null);
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
    return {
      portfolio: b.portfolioIds[port],
      baseCurrency: b.t.currencies[b.base[port]],
      totals: {
        nav: b.nav(port),
        cash: b.cashBase[port],
        marketValue: b.mvSum[port],
        unrealizedPnl: b.upnlSum[port],
        realizedPnl: b.rpnlSum[port],
        positions: b.portfolioPositions[port].length,
      },
    };
  }

  private exposureHeader(port: number): Record<string, unknown> {
    const b = this.book;
    return { portfolio: b.portfolioIds[port], baseCurrency: b.t.currencies[b.base[port]] };
  }

  private putBucket(data: Record<string, unknown>, b: number): void {
    const book = this.book;
    const long = book.bLong[b];
    const short = book.bShort[b];
    const cell: ExposureCell = { long, short, net: long + short, gross: long - short };
    const section = SECTIONS[book.bDim[b]];
    if (section === null) data.totals = cell;
    else ((data[section] ??= {}) as Record<string, ExposureCell>)[book.bKey[b]] = cell;
  }

  private row(p: number): PositionRow {
    const b = this.book;
    const i = b.pInst[p];
    return {
      instrument: b.t.ids[i],
      qty: b.pQty[p],
      avgCost: b.pAvg[p],
      mark: b.mark[i],
      marketValue: b.pMv[p],
      unrealizedPnl: b.pUpnl[p],
      realizedPnl: b.pRpnl[p],
      exposure: b.pExp[p],
    };
  }
}

