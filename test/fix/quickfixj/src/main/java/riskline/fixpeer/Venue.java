// The peer's QuickFIX/J Application: reports every session callback as an event, and plays a venue
// that answers NewOrderSingle, OrderCancelRequest and OrderCancelReplaceRequest with the reports a
// real one would send, so the FIX engine under test meets a counterparty it did not write.
package riskline.fixpeer;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import quickfix.Application;
import quickfix.FieldNotFound;
import quickfix.IncorrectDataFormat;
import quickfix.IncorrectTagValue;
import quickfix.Message;
import quickfix.RejectLogon;
import quickfix.Session;
import quickfix.SessionID;
import quickfix.UnsupportedMessageType;
import quickfix.field.AvgPx;
import quickfix.field.ClOrdID;
import quickfix.field.CumQty;
import quickfix.field.CxlRejReason;
import quickfix.field.CxlRejResponseTo;
import quickfix.field.ExecID;
import quickfix.field.ExecType;
import quickfix.field.LastPx;
import quickfix.field.LastQty;
import quickfix.field.LeavesQty;
import quickfix.field.MsgType;
import quickfix.field.OrdRejReason;
import quickfix.field.OrdStatus;
import quickfix.field.OrdType;
import quickfix.field.OrderID;
import quickfix.field.OrderQty;
import quickfix.field.OrigClOrdID;
import quickfix.field.PossDupFlag;
import quickfix.field.Price;
import quickfix.field.Side;
import quickfix.field.Symbol;
import quickfix.field.Text;
import quickfix.field.TransactTime;
import quickfix.fix44.ExecutionReport;
import quickfix.fix44.OrderCancelReject;

final class Venue implements Application {
  /** The fill price of a market order: there is no book, so any fixed price will do. */
  private static final double MARKET_PX = 100;

  private static final class Order {
    final String orderId;
    final String symbol;
    final char side;
    final char ordType;
    double qty;
    double price; // NaN for a market order
    double cum;
    double notional;
    char status = OrdStatus.NEW;

    Order(String orderId, String symbol, char side, char ordType, double qty, double price) {
      this.orderId = orderId;
      this.symbol = symbol;
      this.side = side;
      this.ordType = ordType;
      this.qty = qty;
      this.price = price;
    }

    boolean open() {
      return status == OrdStatus.NEW || status == OrdStatus.PARTIALLY_FILLED;
    }
  }

  private final String fill;
  // Orders by every ClOrdID they have had, so a cancel may name the original or a replacement.
  private final Map<String, Order> orders = new HashMap<>();
  // Ids carry the start time, so a restarted peer never repeats an OrderID or ExecID it sent before.
  private final String idPrefix = Long.toString(System.currentTimeMillis(), 36);
  private final AtomicLong ids = new AtomicLong();

  Venue(String fill) {
    this.fill = fill;
  }

  @Override
  public void onCreate(SessionID id) {}

  @Override
  public void onLogon(SessionID id) {
    Events.text("logon", id.toString());
  }

  @Override
  public void onLogout(SessionID id) {
    Events.text("logout", id.toString());
  }

  @Override
  public void toAdmin(Message m, SessionID id) {
    Events.message("toAdmin", m);
  }

  @Override
  public void fromAdmin(Message m, SessionID id)
      throws FieldNotFound, IncorrectDataFormat, IncorrectTagValue, RejectLogon {
    Events.message("fromAdmin", m);
  }

  @Override
  public void toApp(Message m, SessionID id) {
    Events.message("toApp", m);
  }

  @Override
  public void fromApp(Message m, SessionID id)
      throws FieldNotFound, IncorrectDataFormat, IncorrectTagValue, UnsupportedMessageType {
    Events.message("fromApp", m);
    try {
      dispatch(m, Session.lookupSession(id));
    } catch (FieldNotFound e) {
      Events.text("reject", "FieldNotFound: tag " + e.field);
      throw e;
    } catch (IncorrectTagValue e) {
      Events.text("reject", "IncorrectTagValue: tag " + e.getField() + ": " + e.getMessage());
      throw e;
    } catch (UnsupportedMessageType e) {
      Events.text("reject", "UnsupportedMessageType: " + m.getHeader().getString(MsgType.FIELD));
      throw e;
    }
  }

  private synchronized void dispatch(Message m, Session session)
      throws FieldNotFound, IncorrectTagValue, UnsupportedMessageType {
    switch (m.getHeader().getString(MsgType.FIELD)) {
      case MsgType.ORDER_SINGLE -> newOrder(m, session);
      case MsgType.ORDER_CANCEL_REQUEST -> cancel(m, session);
      case MsgType.ORDER_CANCEL_REPLACE_REQUEST -> replace(m, session);
      // What a venue sends back: the peer as the client side only reports them.
      case MsgType.EXECUTION_REPORT, MsgType.ORDER_CANCEL_REJECT, MsgType.BUSINESS_MESSAGE_REJECT -> {}
      default -> throw new UnsupportedMessageType();
    }
  }

  private void newOrder(Message m, Session session) throws FieldNotFound, IncorrectTagValue {
    String clOrdId = m.getString(ClOrdID.FIELD);
    if (orders.containsKey(clOrdId)) {
      // A resend (PossDupFlag=Y) of an order already taken is not a new order: its reports went out.
      boolean possDup = m.getHeader().isSetField(PossDupFlag.FIELD) && m.getHeader().getBoolean(PossDupFlag.FIELD);
      if (!possDup) session.send(duplicate(m, clOrdId));
      return;
    }
    char ordType = m.getChar(OrdType.FIELD);
    if (ordType != OrdType.MARKET && ordType != OrdType.LIMIT) {
      throw new IncorrectTagValue(OrdType.FIELD, String.valueOf(ordType), "only market (1) and limit (2)");
    }
    double qty = m.getDouble(OrderQty.FIELD);
    if (!(qty > 0)) throw new IncorrectTagValue(OrderQty.FIELD, String.valueOf(qty), "must be positive");
    double price = ordType == OrdType.LIMIT ? m.getDouble(Price.FIELD) : Double.NaN;
    Order o = new Order("O-" + nextId(), m.getString(Symbol.FIELD), m.getChar(Side.FIELD), ordType, qty, price);
    orders.put(clOrdId, o);
    session.send(report(o, ExecType.NEW, clOrdId));
    double px = Double.isNaN(price) ? MARKET_PX : price;
    switch (fill) {
      case "full" -> session.send(fillOf(o, clOrdId, qty, px));
      case "partial" -> {
        double first = qty >= 2 ? Math.floor(qty / 2) : qty / 2;
        session.send(fillOf(o, clOrdId, first, px));
        session.send(fillOf(o, clOrdId, qty - first, px));
      }
      default -> {} // "none": the order rests until cancelled or replaced
    }
  }

  /** ExecutionReport Rejected (150=8, 39=8, OrdRejReason 6): a ClOrdID may name one order only. */
  private ExecutionReport duplicate(Message m, String clOrdId) throws FieldNotFound {
    char ordType = m.isSetField(OrdType.FIELD) ? m.getChar(OrdType.FIELD) : OrdType.LIMIT;
    double qty = m.isSetField(OrderQty.FIELD) ? m.getDouble(OrderQty.FIELD) : 0;
    Order o = new Order("NONE", m.getString(Symbol.FIELD), m.getChar(Side.FIELD), ordType, qty, Double.NaN);
    o.status = OrdStatus.REJECTED;
    ExecutionReport r = report(o, ExecType.REJECTED, clOrdId);
    r.set(new OrdRejReason(OrdRejReason.DUPLICATE_ORDER));
    r.set(new Text("duplicate ClOrdID"));
    return r;
  }

  private ExecutionReport fillOf(Order o, String clOrdId, double qty, double px) {
    o.cum += qty;
    o.notional += qty * px;
    o.status = o.cum >= o.qty ? OrdStatus.FILLED : OrdStatus.PARTIALLY_FILLED;
    ExecutionReport r = report(o, ExecType.TRADE, clOrdId);
    r.set(new LastQty(qty));
    r.set(new LastPx(px));
    return r;
  }

  private void cancel(Message m, Session session) throws FieldNotFound {
    String clOrdId = m.getString(ClOrdID.FIELD);
    String orig = m.getString(OrigClOrdID.FIELD);
    Order o = orders.get(orig);
    if (o == null || !o.open()) {
      session.send(cancelReject(o, clOrdId, orig, CxlRejResponseTo.ORDER_CANCEL_REQUEST));
      return;
    }
    o.status = OrdStatus.CANCELED;
    orders.put(clOrdId, o);
    ExecutionReport r = report(o, ExecType.CANCELED, clOrdId);
    r.set(new OrigClOrdID(orig));
    session.send(r);
  }

  private void replace(Message m, Session session) throws FieldNotFound, IncorrectTagValue {
    String clOrdId = m.getString(ClOrdID.FIELD);
    String orig = m.getString(OrigClOrdID.FIELD);
    Order o = orders.get(orig);
    if (o == null || !o.open()) {
      session.send(cancelReject(o, clOrdId, orig, CxlRejResponseTo.ORDER_CANCEL_REPLACE_REQUEST));
      return;
    }
    double qty = m.isSetField(OrderQty.FIELD) ? m.getDouble(OrderQty.FIELD) : o.qty;
    if (!(qty > o.cum)) throw new IncorrectTagValue(OrderQty.FIELD, String.valueOf(qty), "not above CumQty");
    o.qty = qty;
    if (m.isSetField(Price.FIELD)) o.price = m.getDouble(Price.FIELD);
    orders.put(clOrdId, o);
    ExecutionReport r = report(o, ExecType.REPLACED, clOrdId);
    r.set(new OrigClOrdID(orig));
    session.send(r);
  }

  private OrderCancelReject cancelReject(Order o, String clOrdId, String orig, char responseTo) {
    OrderCancelReject r =
        new OrderCancelReject(
            new OrderID(o == null ? "NONE" : o.orderId),
            new ClOrdID(clOrdId),
            new OrigClOrdID(orig),
            new OrdStatus(o == null ? OrdStatus.REJECTED : o.status),
            new CxlRejResponseTo(responseTo));
    r.set(new CxlRejReason(o == null ? CxlRejReason.UNKNOWN_ORDER : CxlRejReason.TOO_LATE_TO_CANCEL));
    r.set(new Text(o == null ? "unknown order" : "order is " + (o.status == OrdStatus.FILLED ? "filled" : "closed")));
    r.set(new TransactTime());
    return r;
  }

  /** An ExecutionReport with the order's state as it is now, echoing ClOrdID, Symbol and Side. */
  private ExecutionReport report(Order o, char execType, String clOrdId) {
    boolean closed = !o.open();
    ExecutionReport r =
        new ExecutionReport(
            new OrderID(o.orderId),
            new ExecID("E-" + nextId()),
            new ExecType(execType),
            new OrdStatus(o.status),
            new Side(o.side),
            new LeavesQty(closed ? 0 : o.qty - o.cum),
            new CumQty(o.cum),
            new AvgPx(o.cum > 0 ? o.notional / o.cum : 0));
    r.set(new ClOrdID(clOrdId));
    r.set(new Symbol(o.symbol));
    r.set(new OrderQty(o.qty));
    r.set(new OrdType(o.ordType));
    if (!Double.isNaN(o.price)) r.set(new Price(o.price));
    r.set(new TransactTime());
    return r;
  }

  private String nextId() {
    return idPrefix + "-" + ids.incrementAndGet();
  }
}
