// Orders from FIX clients: a FIX 4.4 acceptor (orders.clients) whose sessions send
// NewOrderSingle, OrderCancelRequest and OrderCancelReplaceRequest into the order router, and get
// back the order's life as ExecutionReports and OrderCancelRejects, as from a broker. Each session
// may trade the portfolios its config names (Account, tag 1; a session with one portfolio may leave
// it out). The client's ClOrdIDs live on the order itself (`client`), so they survive a restart
// with the router's journal.
//
// Invariants:
// - every order message gets an answer: an ExecutionReport (New, Rejected...) or an
//   OrderCancelReject; a refusal names its reason in Text (58);
// - each fill is reported to the client once (its ExecID is `<order id>-F<n>`), in order;
// - an order is reported only to the session that sent it.

import { join } from 'node:path';
import type { Logger } from 'pino';
import type { OrdersConfig } from '../../config/schema.js';
import { isFinal } from '../../engine/order-status.js';
import type { Order, OrderStatus } from '../../engine/orders.js';
import { RisklineError } from '../../errors/catalogue.js';
import type { FieldList } from '../fix/codec/fields.js';
import type { FixWriter } from '../fix/codec/writer.js';
import { CxlRejReason, ExecType, OrdRejReason, OrdStatus } from '../fix/generated/fix44.js';
import { sessionConfig, sessionId } from '../fix/session/config.js';
import { FixSession } from '../fix/session/session.js';
import { FileSessionStore } from '../fix/session/store.js';
import { acceptorTls } from '../fix/session/tls.js';
import { FixAcceptor } from '../fix/session/transport.js';
import type { OrderRouter } from './router.js';

type ClientDef = NonNullable<OrdersConfig['clients']>['sessions'][number];

const ORD_STATUS: Record<OrderStatus, string> = {
  PendingNew: OrdStatus.PendingNew,
  New: OrdStatus.New,
  PartiallyFilled: OrdStatus.PartiallyFilled,
  Filled: OrdStatus.Filled,
  PendingCancel: OrdStatus.PendingCancel,
  PendingReplace: OrdStatus.PendingReplace,
  Canceled: OrdStatus.Canceled,
  Rejected: OrdStatus.Rejected,
};

/** What a client was last told of one order. */
interface Told {
  status: OrderStatus;
  fills: number;
  /** The client's ClOrdID before its pending cancel or replace (OrigClOrdID, 41). */
  orig: string | null;
}

export class FixClients {
  readonly acceptor: FixAcceptor;
  private readonly sessions = new Map<string, { session: FixSession; def: ClientDef }>();
  private readonly told = new Map<string, Told>();
  /** Orders by (session, every ClOrdID the client has used for them). */
  private readonly byClient = new Map<string, Order>();

  constructor(
    private readonly router: OrderRouter,
    clients: NonNullable<OrdersConfig['clients']>,
    o: { dir: string; fsync: boolean; logger: Logger },
  ) {
    for (const def of clients.sessions) {
      const config = sessionConfig({
        role: 'acceptor',
        senderCompId: def.targetCompId,
        targetCompId: def.senderCompId,
      });
      const id = sessionId(config);
      const store = new FileSessionStore({ dir: join(o.dir, 'clients'), id, fsync: o.fsync });
      const session: FixSession = new FixSession(config, store, {
        onMessage: (msgType, f) => this.onMessage(id, session, def, msgType, f),
        onEvent: (e) =>
          o.logger.info({ client: def.senderCompId, event: e }, `FIX client ${def.senderCompId}: ${e.type}`),
      });
      this.sessions.set(id, { session, def });
    }
    // Orders of an earlier run: the client was told up to their state then.
    for (const order of router.orders())
      if (order.client !== undefined) {
        this.told.set(order.id, { status: order.status, fills: order.fills.length, orig: null });
        this.byClient.set(clientKey(order.client.session, order.client.clOrdId), order);
      }
    this.acceptor = new FixAcceptor({
      host: clients.host,
      port: clients.port,
      tls: clients.tls === null ? undefined : acceptorTls(clients.tls, 'orders.clients.tls'),
      sessionFor: (their, ours) =>
        [...this.sessions.values()].find((s) => s.def.senderCompId === their && s.def.targetCompId === ours)?.session,
      onRefused: (why) => o.logger.warn({ why }, 'FIX client connection refused'),
    });
  }

  /** Orders the router has forgotten (Blotter.evictFinal): their ClOrdIDs and reports go too. */
  forget(orders: readonly Order[]): void {
    if (orders.length === 0) return;
    const gone = new Set(orders);
    for (const o of orders) this.told.delete(o.id);
    for (const [k, v] of this.byClient) if (gone.has(v)) this.byClient.delete(k);
  }

  listen(): Promise<number> {
    return this.acceptor.listen();
  }

  close(): Promise<void> {
    return this.acceptor.close();
  }

  /** Every change of an order (the router's sink): its client hears what is new. */
  onOrder(order: Order): void {
    if (order.client === undefined) return;
    this.byClient.set(clientKey(order.client.session, order.client.clOrdId), order);
    const s = this.sessions.get(order.client.session);
    if (s === undefined || !s.session.loggedOn) return; // a resend brings it when the client logs on again
    const told = this.told.get(order.id) ?? { status: 'PendingNew', fills: 0, orig: null };
    this.told.set(order.id, told);
    for (; told.fills < order.fills.length; told.fills++) {
      const fill = order.fills[told.fills];
      const status = told.fills + 1 === order.fills.length ? order.status : 'PartiallyFilled';
      this.report(s.session, order, ExecType.Trade, status, (w) => w.num(32, fill.qty).num(31, fill.price), told.fills);
    }
    const was = told.status;
    told.status = order.status;
    if (was === order.status || order.status === 'PendingNew') return;
    if (order.status === 'Filled' || (order.status === 'PartiallyFilled' && was === 'New')) return; // reported as trades
    const text = order.events[order.events.length - 1]?.text ?? '';
    if ((was === 'PendingCancel' || was === 'PendingReplace') && text.startsWith('refused')) {
      return this.cancelReject(s.session, order, told, was === 'PendingCancel' ? '1' : '2', text);
    }
    const execType = was === 'PendingReplace' ? ExecType.Replace : EXEC_TYPE[order.status];
    this.report(s.session, order, execType, order.status, (w) => {
      if (told.orig !== null) w.str(41, told.orig);
      if (order.status === 'Rejected') w.str(103, OrdRejReason.Other);
      if (text !== '') w.str(58, text.slice(0, 500));
    });
    if (order.status !== 'PendingCancel' && order.status !== 'PendingReplace') told.orig = null;
  }

  private onMessage(id: string, session: FixSession, def: ClientDef, msgType: string, f: FieldList): void {
    if (msgType === 'D') void this.newOrder(id, session, def, f);
    else if (msgType === 'F' || msgType === 'G') void this.change(id, session, msgType, f);
    else session.send('j', (w) => w.int(45, f.int(34)).str(372, msgType).int(380, 3).str(58, 'not order entry'));
  }

  private async newOrder(id: string, session: FixSession, def: ClientDef, f: FieldList): Promise<void> {
    const clOrdId = f.get(11) ?? '';
    const portfolio = f.get(1) ?? (def.portfolios.length === 1 && def.portfolios[0] !== '*' ? def.portfolios[0] : '');
    const refuse = (reason: string, text: string): void =>
      void session.send('8', (w) => {
        w.str(37, 'NONE').str(11, clOrdId).str(17, `R-${clOrdId}-${Date.now()}`).str(150, ExecType.Rejected);
        w.str(39, OrdStatus.Rejected)
          .str(55, f.get(55) ?? '')
          .str(54, f.get(54) ?? '1');
        w.int(151, 0).int(14, 0).int(6, 0).str(103, reason).str(58, text);
      });
    if (this.byClient.has(clientKey(id, clOrdId)))
      return refuse(OrdRejReason.DuplicateOrder, `ClOrdID ${clOrdId} already used`);
    if (portfolio === '') return refuse(OrdRejReason.UnknownAccount, 'Account (1) names the portfolio; none given');
    if (!def.portfolios.includes('*') && !def.portfolios.includes(portfolio))
      return refuse(OrdRejReason.UnknownAccount, `this session may not trade portfolio ${portfolio}`);
    const side = f.get(54);
    const ordType = f.get(40);
    const qty = Number(f.get(38));
    const price = ordType === '2' ? Number(f.get(44)) : null;
    if (side !== '1' && side !== '2') return refuse(OrdRejReason.Other, `Side ${side}: only buy (1) and sell (2)`);
    if (ordType !== '1' && ordType !== '2')
      return refuse(OrdRejReason.UnsupportedOrderCharacteristic, `OrdType ${ordType}: market (1) or limit (2)`);
    if (!(qty > 0) || !Number.isFinite(qty)) return refuse(OrdRejReason.IncorrectQuantity, `OrderQty ${f.get(38)}`);
    if (price !== null && !(price > 0)) return refuse(OrdRejReason.Other, 'a limit order needs a positive Price (44)');
    try {
      const ticket = {
        portfolio,
        instrument: f.get(55) ?? '',
        side: side === '1' ? 'buy' : 'sell',
        qty,
        price,
      } as const;
      // The Rejected or PendingNew order reaches the client through onOrder, as every later change does.
      await this.router.submit({ ...ticket, client: { session: id, clOrdId } });
    } catch (err) {
      const e = err instanceof RisklineError ? err : new RisklineError('INTERNAL', 'the order could not be taken');
      refuse(e.code === 'UNKNOWN_INSTRUMENT' ? OrdRejReason.UnknownSymbol : OrdRejReason.Other, e.message);
    }
  }

  /** OrderCancelRequest (F) or OrderCancelReplaceRequest (G) on an order of this session. */
  private async change(id: string, session: FixSession, msgType: 'F' | 'G', f: FieldList): Promise<void> {
    const clOrdId = f.get(11) ?? '';
    const orig = f.get(41) ?? '';
    const order = this.byClient.get(clientKey(id, orig));
    const reject = (reason: string, text: string): void =>
      void session.send('9', (w) =>
        w
          .str(37, order?.id ?? 'NONE')
          .str(11, clOrdId)
          .str(41, orig)
          .str(39, order ? ORD_STATUS[order.status] : OrdStatus.Rejected)
          .str(434, msgType === 'F' ? '1' : '2')
          .str(102, reason)
          .str(58, text),
      );
    if (order === undefined || order.client === undefined)
      return reject(CxlRejReason.UnknownOrder, `no open order ${orig} of this session`);
    const told = this.told.get(order.id);
    const before = order.client.clOrdId;
    try {
      order.client.clOrdId = clOrdId;
      if (told !== undefined) told.orig = before;
      if (msgType === 'F') this.router.cancel(order.id);
      else await this.router.replace(order.id, Number(f.get(38)), f.get(40) === '1' ? null : Number(f.get(44)));
    } catch (err) {
      order.client.clOrdId = before;
      if (told !== undefined) told.orig = null;
      const text = err instanceof Error ? err.message : String(err);
      reject(/too late/.test(text) ? CxlRejReason.TooLateToCancel : CxlRejReason.Other, text);
    }
  }

  private report(
    session: FixSession,
    o: Order,
    execType: string,
    status: OrderStatus,
    extra: (w: FixWriter) => void,
    fill = -1,
  ): void {
    session.send('8', (w) => {
      w.str(37, o.id)
        .str(11, o.client!.clOrdId)
        .str(17, fill >= 0 ? `${o.id}-F${fill + 1}` : `${o.id}-${o.events.length}`)
        .str(150, execType)
        .str(39, ORD_STATUS[status])
        .str(1, o.portfolio)
        .str(55, o.instrument)
        .str(54, o.side === 'buy' ? '1' : '2')
        .num(38, o.qty)
        .str(40, o.price === null ? '1' : '2');
      if (o.price !== null) w.num(44, o.price);
      extra(w);
      w.num(151, isFinal(status) ? 0 : o.qty - o.cumQty)
        .num(14, o.cumQty)
        .num(6, o.avgPx)
        .time(60, Date.now());
    });
  }

  private cancelReject(session: FixSession, o: Order, told: Told, responseTo: '1' | '2', text: string): void {
    const orig = told.orig ?? o.client!.clOrdId;
    told.orig = null;
    const tried = o.client!.clOrdId;
    // The order goes on under the ClOrdID the client had before its request.
    o.client!.clOrdId = orig;
    session.send('9', (w) =>
      w
        .str(37, o.id)
        .str(11, tried)
        .str(41, orig)
        .str(39, ORD_STATUS[o.status])
        .str(434, responseTo)
        .str(102, CxlRejReason.Other)
        .str(58, text.slice(0, 500)),
    );
  }
}

const clientKey = (session: string, clOrdId: string): string => `${session}\u0000${clOrdId}`;

const EXEC_TYPE: Record<OrderStatus, string> = {
  PendingNew: ExecType.PendingNew,
  New: ExecType.New,
  PartiallyFilled: ExecType.Trade,
  Filled: ExecType.Trade,
  PendingCancel: ExecType.PendingCancel,
  PendingReplace: ExecType.PendingReplace,
  Canceled: ExecType.Canceled,
  Rejected: ExecType.Rejected,
};
