// The router role: the order router (gateways/orders/) over FIX sessions to the venues of
// config/venues.json, its pre-trade view from the engine of this process (EngineQueries), its
// output on the bus: each fill an `execution` on orders.executions (the engine books it), each
// change of an order an `order` on orders.events (the gateway's `orders:<portfolio>` channels), each
// rejected order and each venue session down a bare `alert` on alerts (gateways/orders/order-alerts.ts).
// Its HTTP routes are served by the gateway of the same process.

import { join } from 'node:path';
import type { Logger } from 'pino';
import type { RisklineConfig } from '../../config/schema.js';
import { Blotter, type Order } from '../../engine/orders.js';
import type { Alert, Execution } from '../../engine/model.js';
import { FixClients } from '../../gateways/orders/fix-clients.js';
import { OrderJournal } from '../../gateways/orders/journal.js';
import { OrderAlerts, sessionPortfolios } from '../../gateways/orders/order-alerts.js';
import { pretradeLimits } from '../../gateways/orders/limits.js';
import { RoutingPolicy } from '../../gateways/orders/policy.js';
import { OrderRouter, type OrderSink } from '../../gateways/orders/router.js';
import { FixVenueLink } from '../../gateways/orders/venue-links.js';
import { OrderEntry, orderView } from '../../gateways/orders/entry.js';
import { orderRoutes } from '../../gateways/rest/orders.js';
import type { Route } from '../../gateways/route.js';
import type { Bus, BusMessage, Producer } from '../../streams/bus.js';
import { encodeEnvelope, ENVELOPE_VERSION } from '../../streams/envelope.js';
import { TOPIC } from '../../streams/topics.js';
import type { EngineQueries } from './risk-queries.js';

export interface RouterRole {
  router: OrderRouter;
  links: FixVenueLink[];
  /** The FIX acceptor for client orders (orders.clients), if configured. */
  clients: FixClients | null;
  /** Order entry for the gateway of this process: its HTTP routes and WebSocket ops. */
  entry: OrderEntry;
  routes: Route[];
  close(): Promise<void>;
}

export interface RouterRoleOptions {
  bus: Bus;
  config: RisklineConfig;
  logger: Logger;
  src: string;
  queries: EngineQueries;
}

/** Journalled orders final for longer than this are left out of the journal at start. */
const KEEP_FINAL_MS = 24 * 3600_000;

/** Order rejects and venue sessions down, as alerts on the bus (gateways/orders/order-alerts.ts). */
function orderAlerts(config: RisklineConfig, policy: RoutingPolicy, outbox: Outbox, dir: string): OrderAlerts {
  return new OrderAlerts(
    config.venues.map((v) => v.id),
    {
      settings: config.orders.alerts,
      portfoliosOf: (venue) => sessionPortfolios(config.portfolios, policy, venue),
      publish: (a) => outbox.alert(a),
      stateFile: join(dir, 'session-alerts.json'),
    },
  );
}

export async function startRouterRole(o: RouterRoleOptions): Promise<RouterRole> {
  const { config } = o;
  const logger = o.logger.child({ role: 'router' });
  const dir = config.orders.dir;
  const journal = new OrderJournal(join(dir, 'orders.ndjson'), config.orders.fsync, Date.now() - KEEP_FINAL_MS);
  const blotter = new Blotter(`${config.orders.idPrefix}${new Date().toISOString().slice(0, 10).replaceAll('-', '')}`);
  blotter.restore(journal.restored);
  const producer = o.bus.producer();
  await producer.connect();
  const outbox = new Outbox(producer, o.src, config.topics.prefix, logger);
  const policy = new RoutingPolicy(config.instruments, config.venues, config.orders.routing);
  const alerts = orderAlerts(config, policy, outbox, dir);
  let clients: FixClients | null = null;
  const sink: OrderSink = {
    execution: (e) => outbox.execution(e),
    order: (order) => {
      journal.write(order);
      outbox.order(order);
      alerts.onOrder(order);
      clients?.onOrder(order);
    },
  };
  const links = new Map<string, FixVenueLink>();
  const router = new OrderRouter({
    blotter,
    policy,
    links,
    view: (p, i, q) => o.queries.pretradeView(p, i, q),
    limits: pretradeLimits(config.orders.pretrade, config.limits),
    sink,
    onUnknown: (venue, clOrdId) => logger.warn({ venue, clOrdId }, 'report for no order of this router: ignored'),
  });
  for (const def of config.venues) {
    links.set(
      def.id,
      new FixVenueLink(def, {
        dir,
        fsync: config.orders.fsync,
        logger,
        onMessage: (venue, msgType, f) => router.onVenueMessage(venue, msgType, f),
        onEvent: (venue, e) => {
          if (e.type === 'logon') alerts.up(venue);
          else if (e.type === 'logout' || e.type === 'disconnect') alerts.down(venue);
        },
      }),
    );
  }
  if (config.orders.clients !== null) {
    clients = new FixClients(router, config.orders.clients, { dir, fsync: config.orders.fsync, logger });
    const port = await clients.listen();
    logger.info({ port }, 'FIX clients may send orders');
  }
  // A router running for weeks keeps about a day's final orders in memory (the journal keeps as much).
  const evicting = setInterval(() => clients?.forget(blotter.evictFinal(Date.now() - KEEP_FINAL_MS)), 3_600_000);
  evicting.unref();
  const entry = new OrderEntry(router);
  if (journal.restored.length > 0) logger.info({ orders: journal.restored.length }, 'orders restored from the journal');
  return {
    router,
    links: [...links.values()],
    entry,
    routes: orderRoutes(entry),
    clients,
    close: async () => {
      clearInterval(evicting);
      alerts.close();
      await clients?.close();
      await Promise.all([...links.values()].map((l) => l.stop()));
      await outbox.close();
      journal.close();
    },
  };
}

/** Envelopes gathered through one turn and sent in one batch per topic. */
class Outbox {
  private executions: BusMessage[] = [];
  private orders: BusMessage[] = [];
  private alerts: BusMessage[] = [];
  private scheduled = false;
  private seq = 0;
  private sending: Promise<void> = Promise.resolve();

  constructor(
    private readonly producer: Producer,
    private readonly src: string,
    private readonly prefix: string,
    private readonly logger: Logger,
  ) {}

  execution(e: Execution): void {
    this.executions.push({ key: e.portfolio, value: this.envelope('execution', e.ts, e) });
    this.schedule();
  }

  order(o: Order): void {
    const ts = o.events[o.events.length - 1]?.ts ?? Date.now();
    this.orders.push({ key: o.portfolio, value: this.envelope('order', ts, orderView(o)) });
    this.schedule();
  }

  /** A bare alert (order-alerts.ts) on the alerts topic, after the order state it is about. */
  alert(a: Alert): void {
    this.alerts.push({ key: a.portfolio, value: this.envelope('alert', a.ts, a) });
    this.schedule();
  }

  async close(): Promise<void> {
    this.flush();
    await this.sending;
    await this.producer.close();
  }

  private envelope(type: 'execution' | 'order' | 'alert', ts: number, body: unknown): Uint8Array {
    return encodeEnvelope({ v: ENVELOPE_VERSION, type, src: this.src, ts, seq: this.seq++, body });
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => this.flush());
  }

  private flush(): void {
    this.scheduled = false;
    const batches: [string, BusMessage[]][] = [
      [this.prefix + TOPIC.executions, this.executions],
      [this.prefix + TOPIC.orderEvents, this.orders],
      [this.prefix + TOPIC.alerts, this.alerts],
    ];
    this.executions = [];
    this.orders = [];
    this.alerts = [];
    for (const [topic, messages] of batches) {
      if (messages.length === 0) continue;
      // In order: executions before the order states that report them.
      this.sending = this.sending.then(() =>
        this.producer.send(topic, messages).catch((err: unknown) => {
          this.logger.error({ err, topic, messages: messages.length }, 'could not publish order records');
        }),
      );
    }
  }
}
