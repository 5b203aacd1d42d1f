// The orders blotter: a portfolio's orders, newest first, live from the `orders:<portfolio>` channel
// (each frame one order's whole state, merged by id into what `GET /v1/orders` listed); each row
// its status, filled of quantity, average price, venue and last event, its life and fills on a
// click; Cancel and Replace (new quantity and limit price) while the order is open.
import { Fragment, memo, useCallback, useEffect, useMemo, useState } from 'react';
import { money } from '../format.js';
import type { LiveStream } from '../live.js';
import {
  cancelOrder,
  describeError,
  frameOrders,
  isOpen,
  mergeOrders,
  newestFirst,
  orderAccess,
  parseNumber,
  replaceOrder,
  type Access,
  type OrderView,
} from './orders.js';

const NO_ORDERS: ReadonlyMap<string, OrderView> = new Map();

/**
 * Whether order entry is on, and the portfolio's orders kept live: listed once over REST, then
 * every frame of its orders channel (the channel resends only its newest order on subscribing).
 */
export function useOrders(portfolio: string, token: string | null, live: LiveStream) {
  const [access, setAccess] = useState<Access>({ state: 'loading' });
  const [orders, setOrders] = useState(NO_ORDERS);
  const merge = useCallback((list: Iterable<OrderView>) => setOrders((held) => mergeOrders(held, list)), []);
  useEffect(() => {
    let on = true;
    setAccess({ state: 'loading' });
    setOrders(NO_ORDERS);
    const channel = `orders:${portfolio}`;
    // Heard from before the list is asked for: a change between the two is kept either way.
    const off = live.onEvent((c, event) => void (c === channel && merge(frameOrders(event.data))));
    void orderAccess(portfolio, token).then((a) => {
      if (!on) return;
      setAccess(a);
      if (a.state !== 'ready') return;
      merge(a.orders);
      live.subscribe([channel]);
    });
    return () => {
      on = false;
      off();
    };
  }, [portfolio, token, live, merge]);
  return { access, orders, merge };
}

const time = (ts: number | undefined) =>
  ts === undefined ? '' : new Date(ts).toLocaleTimeString('en-GB', { hour12: false });
const limitText = (price: number | null) => (price === null ? 'market' : money(price, 4));

/** An open order's new quantity and limit price (empty: market), sent as `PUT /v1/orders/:id`. */
function ReplaceForm(props: { order: OrderView; token: string | null; done: (o?: OrderView) => void }) {
  const { order } = props;
  const [qty, setQty] = useState(String(order.qty));
  const [price, setPrice] = useState(order.price === null ? '' : String(order.price));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const q = parseNumber(qty);
  const p = price.trim() === '' ? null : parseNumber(price);
  const valid = q > order.cumQty && (p === null || p > 0);
  const submit = async () => {
    setBusy(true);
    try {
      props.done((await replaceOrder(order.id, q, p, props.token)).order);
    } catch (err) {
      setError(describeError(err));
      setBusy(false);
    }
  };
  return (
    <form
      className="replace-form"
      data-testid="replace-form"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <label>
        Qty <input data-testid="replace-qty" inputMode="decimal" value={qty} onChange={(e) => setQty(e.target.value)} />
      </label>
      <label>
        Limit{' '}
        <input
          data-testid="replace-price"
          inputMode="decimal"
          placeholder="market"
          value={price}
          onChange={(e) => setPrice(e.target.value)}
        />
      </label>
      <button type="submit" data-testid="replace-submit" disabled={busy || !valid}>
        Replace
      </button>
      <button type="button" onClick={() => props.done()}>
        Keep
      </button>
      {!valid && <span className="muted">quantity above the {money(order.cumQty)} filled, price positive</span>}
      {error && (
        <span className="error" role="alert" data-testid="replace-error">
          {error}
        </span>
      )}
    </form>
  );
}

/** An order's life (every event) and its fills. */
function OrderDetail(props: { order: OrderView }) {
  const { order } = props;
  return (
    <div className="order-detail" data-testid="order-detail">
      <table>
        <caption>Life</caption>
        <tbody>
          {order.events.map((e, i) => (
            <tr key={i} data-testid="order-event" data-status={e.status}>
              <td>{time(e.ts)}</td>
              <td>{e.status}</td>
              <td>{e.text}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <table>
        <caption>Fills</caption>
        <thead>
          <tr>
            <th>Time</th>
            <th className="num">Qty</th>
            <th className="num">Price</th>
            <th>Exec id</th>
          </tr>
        </thead>
        <tbody>
          {order.fills.length === 0 && (
            <tr>
              <td colSpan={4} className="muted">
                none yet
              </td>
            </tr>
          )}
          {order.fills.map((f) => (
            <tr key={f.execId} data-testid="order-fill">
              <td>{time(f.ts)}</td>
              <td className="num">{money(f.qty)}</td>
              <td className="num">{money(f.price, 4)}</td>
              <td>{f.execId}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** An order's figures: when sent, what, its status, how much filled at what price, where, what happened last. */
function OrderCells(props: { order: OrderView; expanded: boolean; toggle: (id: string) => void }) {
  const { order: o } = props;
  const last = o.events[o.events.length - 1];
  return (
    <>
      <td>
        <button
          className="disclose"
          data-testid="order-expand"
          aria-expanded={props.expanded}
          aria-label={`Life and fills of ${o.id}`}
          onClick={() => props.toggle(o.id)}
        >
          {props.expanded ? '▾' : '▸'}
        </button>{' '}
        {time(o.events[0]?.ts)}
      </td>
      <td>{o.id}</td>
      <td className={`side-${o.side}`}>{o.side}</td>
      <td>{o.instrument}</td>
      <td className="num" data-col="qty">
        {money(o.qty)}
      </td>
      <td className="num" data-col="price">
        {limitText(o.price)}
      </td>
      <td className={`order-status status-${o.status}`} data-col="status">
        {o.status}
      </td>
      <td className="num" data-col="filled" title={`${o.fills.length} fill(s)`}>
        {money(o.cumQty)} / {money(o.qty)}
      </td>
      <td className="num" data-col="avgPx">
        {o.cumQty > 0 ? money(o.avgPx, 4) : '—'}
      </td>
      <td data-col="venue">{o.venue || '—'}</td>
      <td className="event-text" data-col="event" title={last?.text}>
        {last?.text}
      </td>
    </>
  );
}

const COLUMNS = 12;

interface RowProps {
  order: OrderView;
  token: string | null;
  expanded: boolean;
  editing: boolean;
  toggle: (id: string) => void;
  edit: (id: string | null) => void;
  merge: (list: Iterable<OrderView>) => void;
  fail: (message: string) => void;
}

/** One order: its row, then its detail and replace form when open. */
const OrderRow = memo(function OrderRow(props: RowProps) {
  const { order: o } = props;
  const [cancelling, setCancelling] = useState(false);
  const open = isOpen(o.status);
  const cancel = async () => {
    setCancelling(true);
    try {
      props.merge([await cancelOrder(o.id, props.token)]);
    } catch (err) {
      props.fail(`${o.id}: ${describeError(err)}`);
    } finally {
      setCancelling(false);
    }
  };
  return (
    <Fragment>
      <tr data-testid="order-row" data-order-id={o.id} data-status={o.status} title={`ClOrdID ${o.clOrdId}`}>
        <OrderCells order={o} expanded={props.expanded} toggle={props.toggle} />
        <td className="order-actions">
          {open && (
            <>
              <button data-testid="order-cancel" disabled={cancelling} onClick={() => void cancel()}>
                Cancel
              </button>
              <button data-testid="order-replace" onClick={() => props.edit(props.editing ? null : o.id)}>
                Replace
              </button>
            </>
          )}
        </td>
      </tr>
      {props.editing && open && (
        <tr className="order-extra">
          <td colSpan={COLUMNS}>
            <ReplaceForm
              order={o}
              token={props.token}
              done={(replaced) => {
                if (replaced !== undefined) props.merge([replaced]);
                props.edit(null);
              }}
            />
          </td>
        </tr>
      )}
      {props.expanded && (
        <tr className="order-extra">
          <td colSpan={COLUMNS}>
            <OrderDetail order={o} />
          </td>
        </tr>
      )}
    </Fragment>
  );
});

export const Blotter = memo(function Blotter(props: {
  orders: ReadonlyMap<string, OrderView>;
  token: string | null;
  merge: (list: Iterable<OrderView>) => void;
}) {
  const list = useMemo(() => newestFirst(props.orders), [props.orders]);
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(new Set());
  const [editing, setEditing] = useState<string | null>(null);
  const [error, setError] = useState('');
  const toggle = useCallback(
    (id: string) =>
      setExpanded((was) => {
        const next = new Set(was);
        if (!next.delete(id)) next.add(id);
        return next;
      }),
    [],
  );
  const live = list.filter((o) => isOpen(o.status)).length;
  return (
    <div className="blotter">
      <h4>
        Blotter{' '}
        <span className="muted">
          {list.length} {list.length === 1 ? 'order' : 'orders'} · {live} open
        </span>
      </h4>
      {error && (
        <p className="error" role="alert" data-testid="blotter-error">
          {error}
        </p>
      )}
      {list.length === 0 ? (
        <p className="muted">No orders for this portfolio yet.</p>
      ) : (
        <table data-testid="orders-blotter">
          <thead>
            <tr>
              <th>Sent</th>
              <th>Order</th>
              <th>Side</th>
              <th>Instrument</th>
              <th className="num">Qty</th>
              <th className="num">Limit</th>
              <th>Status</th>
              <th className="num">Filled</th>
              <th className="num">Avg price</th>
              <th>Venue</th>
              <th>Last event</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {list.map((o) => (
              <OrderRow
                key={o.id}
                order={o}
                token={props.token}
                expanded={expanded.has(o.id)}
                editing={editing === o.id}
                toggle={toggle}
                edit={setEditing}
                merge={props.merge}
                fail={setError}
              />
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
});
