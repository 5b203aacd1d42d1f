// The order ticket: instrument, side, quantity and limit price (empty: market); Check asks the
// router's pre-trade checks (`POST /v1/orders/check`) and shows each with its value and limit, and
// the VaR the order would add, before anything is sent; Send places the checked ticket. The
// portfolio's orders below, live (order-blotter.tsx). Off, with a note, where no router runs.
import { memo, useMemo, useState } from 'react';
import type { InstrumentRef } from '../api.js';
import { money, signed } from '../format.js';
import type { LiveStream } from '../live.js';
import { Panel } from '../panel.js';
import { Blotter, useOrders } from './order-blotter.js';
import {
  checkFigures,
  checkTicket,
  describeError,
  readTicket,
  refusal,
  sameTicket,
  sendTicket,
  type CheckAnswer,
  type OrderView,
  type Ticket,
  type TicketForm,
} from './orders.js';

/** A ticket and the pre-trade answer it got. */
export type Checked = { ticket: Ticket; answer: CheckAnswer };

const EMPTY: TicketForm = { instrument: '', side: 'buy', qty: '', price: '' };

/** Every check against its limit, and the reason of each that failed. */
function ChecksTable(props: { checks: CheckAnswer['checks'] }) {
  const failed = props.checks.filter((c) => !c.ok);
  return (
    <>
      <table className="checks">
        <thead>
          <tr>
            <th>Check</th>
            <th className="num">Value</th>
            <th className="num">Limit</th>
            <th>Result</th>
          </tr>
        </thead>
        <tbody>
          {props.checks.map((c) => {
            const f = checkFigures(c);
            return (
              <tr key={c.name} data-check={c.name} data-ok={String(c.ok)} className={c.ok ? '' : 'check-fail'}>
                <td>{c.name}</td>
                <td className="num">{f.value}</td>
                <td className="num">{f.limit}</td>
                <td>{c.ok ? 'pass' : 'fail'}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {failed.length > 0 && (
        <ul className="reasons">
          {failed.map((c) => (
            <li key={c.name} className="error" data-testid="pretrade-reason">
              {c.name}: {c.reason}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

/** The pre-trade answer: verdict, VaR impact, the inputs judged, then every check against its limit. */
function PretradeResult(props: { checked: Checked }) {
  const { ticket, answer } = props.checked;
  const v = answer.view;
  const failed = answer.checks.filter((c) => !c.ok);
  const after = v.position === null ? null : v.position + (ticket.side === 'buy' ? ticket.qty : -ticket.qty);
  return (
    <div className="pretrade" data-testid="pretrade" data-ok={String(answer.ok)}>
      <p className={answer.ok ? 'verdict pass' : 'verdict fail'} data-testid="pretrade-verdict">
        {answer.ok ? 'Passes every pre-trade check' : `Fails ${failed.map((c) => c.name).join(', ')}`}
      </p>
      <table className="var-impact">
        <tbody>
          <tr>
            <th>VaR impact</th>
            <td className="num" data-testid="pretrade-incremental-var" data-value={answer.incrementalVar ?? ''}>
              {answer.incrementalVar === null ? 'not available' : signed(answer.incrementalVar)}
            </td>
          </tr>
          <tr>
            <th>VaR before → after</th>
            <td className="num">
              <span data-testid="pretrade-var-before" data-value={v.varBefore ?? ''}>
                {money(v.varBefore) || '—'}
              </span>
              {' → '}
              <span data-testid="pretrade-var-after" data-value={v.varAfter ?? ''}>
                {money(v.varAfter) || '—'}
              </span>
            </td>
          </tr>
          <tr>
            <th>Measure</th>
            <td className="num" data-testid="pretrade-var-method">
              {v.varMethod ?? 'scenario sets building'}
            </td>
          </tr>
          <tr>
            <th>Mark</th>
            <td className="num" data-testid="pretrade-mark" data-value={v.mark ?? ''}>
              {money(v.mark, 4) || 'none yet'}
            </td>
          </tr>
          <tr>
            <th>Position</th>
            <td className="num" data-testid="pretrade-position" data-value={v.position ?? ''}>
              {money(v.position)} → {money(after)}
            </td>
          </tr>
        </tbody>
      </table>
      <ChecksTable checks={answer.checks} />
    </div>
  );
}

/** The ticket's fields: instrument (searched in the page's instrument list), side, quantity, limit price. */
function TicketFields(props: {
  form: TicketForm;
  edit: (patch: Partial<TicketForm>) => void;
  instruments: InstrumentRef[];
  disabled: boolean;
}) {
  const { form, edit, disabled } = props;
  const ref = props.instruments.find((i) => i.id === form.instrument.trim());
  return (
    <>
      <label htmlFor="ticket-instrument">Instrument</label>
      <span>
        <input
          id="ticket-instrument"
          data-testid="ticket-instrument"
          list="order-instrument-ids"
          placeholder="Search instruments"
          autoComplete="off"
          disabled={disabled}
          value={form.instrument}
          onChange={(e) => edit({ instrument: e.target.value })}
        />
        <datalist id="order-instrument-ids">
          {props.instruments.map((i) => (
            <option key={i.id} value={i.id}>
              {[i.name, i.kind, i.currency].filter(Boolean).join(' · ')}
            </option>
          ))}
        </datalist>{' '}
        <span className="muted" data-testid="ticket-instrument-ref">
          {ref && [ref.name, ref.kind, ref.currency].filter(Boolean).join(' · ')}
        </span>
      </span>
      <span>Side</span>
      <fieldset className="side-pick" disabled={disabled}>
        {(['buy', 'sell'] as const).map((s) => (
          <label key={s} className={`side-${s}${form.side === s ? ' on' : ''}`}>
            <input
              type="radio"
              name="order-side"
              value={s}
              data-testid={`ticket-side-${s}`}
              checked={form.side === s}
              onChange={() => edit({ side: s })}
            />{' '}
            {s === 'buy' ? 'Buy' : 'Sell'}
          </label>
        ))}
      </fieldset>
      <NumberField name="qty" label="Quantity" disabled={disabled} value={form.qty} set={(qty) => edit({ qty })} />
      <NumberField
        name="price"
        label="Limit price"
        placeholder="market"
        disabled={disabled}
        value={form.price}
        set={(price) => edit({ price })}
      />
    </>
  );
}

/** A labelled numeric text field of the ticket (thousands separators are read by the form's parser). */
function NumberField(p: {
  name: string;
  label: string;
  placeholder?: string;
  disabled: boolean;
  value: string;
  set: (v: string) => void;
}) {
  return (
    <>
      <label htmlFor={`ticket-${p.name}`}>{p.label}</label>
      <input
        id={`ticket-${p.name}`}
        data-testid={`ticket-${p.name}`}
        className="num"
        inputMode="decimal"
        placeholder={p.placeholder}
        disabled={p.disabled}
        value={p.value}
        onChange={(e) => p.set(e.target.value)}
      />
    </>
  );
}

type Outcome = { kind: 'error' | 'sent'; text: string } | null;

interface TicketProps {
  portfolio: string;
  token: string | null;
  instruments: InstrumentRef[];
  enabled: boolean;
  checked: Checked | null;
  onChecked: (c: Checked | null) => void;
  onOrder: (o: OrderView) => void;
}

/** The ticket's state: the form, what it reads as, whether its check is current, and Check and Send. */
function useTicket(props: TicketProps) {
  const { checked, onChecked } = props;
  const [form, setForm] = useState<TicketForm>(EMPTY);
  const [busy, setBusy] = useState<'check' | 'send' | null>(null);
  const [outcome, setOutcome] = useState<Outcome>(null);
  const known = useMemo(() => new Set(props.instruments.map((i) => i.id)), [props.instruments]);
  // No instrument list (it failed to load): any id goes, and the server says if it knows it.
  const read = readTicket(props.portfolio, form, known.size > 0 ? (id) => known.has(id) : undefined);
  const ticket = 'ticket' in read ? read.ticket : null;
  // The result shown, and Send, belong to the ticket as it is now: any edit asks for a new check.
  const fresh = checked !== null && ticket !== null && sameTicket(checked.ticket, ticket);
  const edit = (patch: Partial<TicketForm>) => {
    setForm((f) => ({ ...f, ...patch }));
    setOutcome(null);
  };
  const check = async (t: Ticket) => {
    setBusy('check');
    setOutcome(null);
    try {
      onChecked({ ticket: t, answer: await checkTicket(t, props.token) });
    } catch (err) {
      onChecked(null);
      setOutcome({ kind: 'error', text: describeError(err) });
    } finally {
      setBusy(null);
    }
  };
  const send = async (t: Ticket) => {
    setBusy('send');
    try {
      const { order } = await sendTicket(t, props.token);
      props.onOrder(order);
      setOutcome({ kind: 'sent', text: `Sent ${order.id}: ${order.side} ${money(order.qty)} ${order.instrument}` });
      onChecked(null); // sent: the same ticket is checked again before it goes again
    } catch (err) {
      // A refusal still records the order (Rejected, with why) and the pre-trade result it failed.
      const { order, pretrade } = refusal(err);
      if (order !== undefined) props.onOrder(order);
      if (pretrade !== undefined) onChecked({ ticket: t, answer: pretrade });
      setOutcome({ kind: 'error', text: describeError(err) });
    } finally {
      setBusy(null);
    }
  };
  const hint =
    'problem' in read
      ? form.instrument + form.qty + form.price === ''
        ? ''
        : read.problem
      : fresh
        ? ''
        : 'check it, see its VaR impact, then send';
  return { form, edit, busy, outcome, ticket, fresh, hint, check, send };
}

/** The ticket: fields, Check, Send, what came back, and the pre-trade result of the ticket as it stands. */
function TicketEntry(props: TicketProps) {
  const { form, edit, busy, outcome, ticket, fresh, hint, check, send } = useTicket(props);
  const { checked, enabled } = props;
  return (
    <div className="ticket">
      <form
        className="ticket-form"
        data-testid="order-ticket"
        onSubmit={(e) => {
          e.preventDefault();
          if (ticket !== null && busy === null) void check(ticket);
        }}
      >
        <TicketFields form={form} edit={edit} instruments={props.instruments} disabled={!enabled} />
        <span className="actions">
          <button type="submit" data-testid="ticket-check" disabled={!enabled || ticket === null || busy !== null}>
            {busy === 'check' ? 'Checking…' : 'Check'}
          </button>
          <button
            type="button"
            data-testid="ticket-send"
            className={`send side-${form.side}`}
            disabled={!enabled || !fresh || busy !== null}
            title={fresh ? 'Send the checked ticket' : 'Check the ticket first'}
            onClick={() => checked !== null && void send(checked.ticket)}
          >
            {busy === 'send' ? 'Sending…' : 'Send'}
          </button>
          <span className="muted" data-testid="ticket-hint">
            {enabled && hint}
          </span>
        </span>
      </form>
      {outcome && (
        <p
          className={outcome.kind === 'error' ? 'error' : 'sent'}
          role={outcome.kind === 'error' ? 'alert' : 'status'}
          data-testid={outcome.kind === 'error' ? 'ticket-error' : 'ticket-sent'}
        >
          {outcome.text}
        </p>
      )}
      {fresh && checked !== null && <PretradeResult checked={checked} />}
    </div>
  );
}

export const OrderTicket = memo(function OrderTicket(props: {
  portfolio: string;
  token: string | null;
  live: LiveStream;
  instruments: InstrumentRef[];
}) {
  const { access, orders, merge } = useOrders(props.portfolio, props.token, props.live);
  const [checked, setChecked] = useState<Checked | null>(null);
  const view = checked?.answer.view;
  return (
    <Panel
      title="Order ticket"
      name="orders"
      asOf={view?.asOf ?? undefined}
      inputSeq={view?.inputSeq ?? undefined}
      idle="no ticket checked"
    >
      {access.state === 'absent' && (
        <p className="muted" data-testid="orders-unavailable">
          Order entry is off: this gateway runs no order router.
        </p>
      )}
      {access.state === 'error' && (
        <p className="error" role="alert" data-testid="orders-unavailable">
          Orders cannot be read: {access.message}
        </p>
      )}
      <div className="orders-body" data-access={access.state}>
        <TicketEntry
          portfolio={props.portfolio}
          token={props.token}
          instruments={props.instruments}
          enabled={access.state === 'ready'}
          checked={checked}
          onChecked={setChecked}
          onOrder={(o) => merge([o])}
        />
        {access.state === 'ready' && <Blotter orders={orders} token={props.token} merge={merge} />}
      </div>
    </Panel>
  );
});
