// The venue role: the venue simulator (gateways/fix/venue/) behind a FIX acceptor for each venue
// of config/venues.json, on its configured port, taking the router's session (the CompIDs of the
// file, the other way round). House liquidity is quoted around the market of md.ticks: an
// instrument is quoted from its latest tick once an order first asks for it, and re-quoted at most
// every `orders.venue.requoteMs` after that, so a tick costs work only for instruments traded here.

import { join } from 'node:path';
import type { Logger } from 'pino';
import type { RisklineConfig, VenueDef } from '../../config/schema.js';
import { sessionConfig, sessionId } from '../../gateways/fix/session/config.js';
import { FixSession } from '../../gateways/fix/session/session.js';
import { FileSessionStore } from '../../gateways/fix/session/store.js';
import { acceptorTls } from '../../gateways/fix/session/tls.js';
import { FixAcceptor } from '../../gateways/fix/session/transport.js';
import { Venue, type QuoteShape } from '../../gateways/fix/venue/venue.js';
import type { Bus, Subscription } from '../../streams/bus.js';
import { InstrumentBytes } from '../../codecs/msgpack-cursor.js';
import { readTickBatch } from '../../streams/tick-batch.js';
import { TOPIC } from '../../streams/topics.js';

export interface VenueRole {
  /** The port each venue listens on (as configured, or the one bound for port 0). */
  ports: Map<string, number>;
  /** Each venue's FIX session with the router. */
  sessions: Map<string, FixSession>;
  close(): Promise<void>;
}

export interface VenueRoleOptions {
  bus: Bus;
  config: RisklineConfig;
  logger: Logger;
  instanceId: string;
}

export async function startVenueRole(o: VenueRoleOptions): Promise<VenueRole> {
  const { config } = o;
  const logger = o.logger.child({ role: 'venue' });
  const ids = config.instruments.map((i) => i.id);
  const index = new Map(ids.map((id, k) => [id, k]));
  const n = ids.length;
  // The market as the last tick left it, seeded from the instruments' reference prices.
  const bid = Float64Array.from(config.instruments, (i) => i.price);
  const ask = Float64Array.from(config.instruments, (i) => i.price);
  const quotedAt = new Float64Array(n).fill(NaN);
  const { levels, qty, step, requoteMs } = config.orders.venue;
  const shape: QuoteShape = { levels, qty, step };
  const venues = new Map<string, Venue>();
  /** Per instrument, the venues trading it. */
  const tradedAt: Venue[][] = Array.from({ length: n }, () => []);
  const quote = (i: number, ts: number) => {
    quotedAt[i] = ts;
    const [b, a] = bid[i] > 0 && ask[i] >= bid[i] ? [bid[i], ask[i]] : [bid[i] || ask[i], ask[i] || bid[i]];
    for (const v of tradedAt[i]) v.quote(ids[i], b, a, shape);
  };
  const acceptors: FixAcceptor[] = [];
  const ports = new Map<string, number>();
  const sessions = new Map<string, FixSession>();
  const stop = async () => {
    await sub?.close();
    await Promise.all(acceptors.map((a) => a.close()));
  };
  let sub: Subscription | null = null;
  try {
    for (const def of config.venues) {
      const traded = config.instruments.filter((i) => def.assetClasses.includes(i.kind));
      const venue = new Venue(def.id, new Set(traded.map((i) => i.id)));
      venues.set(def.id, venue);
      for (const i of traded) tradedAt[index.get(i.id)!].push(venue);
      const { acceptor, session } = venueAcceptor(
        def,
        venue,
        join(config.orders.dir, 'venues'),
        config.orders.fsync,
        logger,
        (symbol) => {
          const i = index.get(symbol);
          if (i !== undefined && Number.isNaN(quotedAt[i])) quote(i, Date.now());
        },
      );
      acceptors.push(acceptor);
      sessions.set(def.id, session);
      ports.set(def.id, await acceptor.listen());
    }
    const reader = new InstrumentBytes((id) => index.get(id) ?? -1);
    const visitor = {
      tick: (i: number, ts: number, b: number, a: number) => {
        bid[i] = b;
        ask[i] = a;
        // Quoted instruments follow the market, at most once per requoteMs of event time.
        if (!Number.isNaN(quotedAt[i]) && ts - quotedAt[i] >= requoteMs) quote(i, ts);
      },
      bad: () => undefined, // the engine dead-letters bad ticks; a venue only follows good ones
    };
    sub = await o.bus.subscribe({
      group: `riskline-venue-${o.instanceId}`,
      topics: [config.topics.prefix + TOPIC.ticks],
      from: 'latest',
      commit: false,
      onBatch: (batch) => {
        for (const m of batch.messages) readTickBatch(m.value, reader, visitor);
      },
    });
  } catch (err) {
    await stop().catch(() => undefined);
    throw err;
  }
  logger.info({ venues: [...ports].map(([id, port]) => `${id}:${port}`) }, 'venue simulator listening');
  return { ports, sessions, close: stop };
}

/** The venue's FIX acceptor: the router's session, as venues.json names it from the router's side. */
function venueAcceptor(
  def: VenueDef,
  venue: Venue,
  dir: string,
  fsync: boolean,
  logger: Logger,
  beforeOrder: (symbol: string) => void,
): { acceptor: FixAcceptor; session: FixSession } {
  const config = sessionConfig({
    role: 'acceptor',
    senderCompId: def.fix.targetCompId,
    targetCompId: def.fix.senderCompId,
    heartBtIntS: def.fix.heartbeatSec,
  });
  const session: FixSession = new FixSession(config, new FileSessionStore({ dir, id: sessionId(config), fsync }), {
    onMessage: (msgType, f) => {
      if (msgType === 'D' || msgType === 'G') beforeOrder(f.get(55) ?? '');
      venue.onMessage(session, msgType, f);
    },
    onEvent: (e) => logger.info({ venue: def.id, event: e }, `venue ${def.id}: FIX ${e.type}`),
  });
  const acceptor = new FixAcceptor({
    host: def.fix.host,
    port: def.fix.port,
    tls: def.fix.tls === null ? undefined : acceptorTls(def.fix.tls, `venues.${def.id}.fix.tls`),
    sessionFor: (their, ours) => (their === config.targetCompId && ours === config.senderCompId ? session : undefined),
    onRefused: (why) => logger.warn({ venue: def.id, why }, 'FIX connection refused'),
  });
  return { acceptor, session };
}
