// The peer's stdin: one JSON command a line, each answered by an event ({"event":"done","text":cmd},
// or seqnums' own event), so a test knows a command took effect before it acts on the other side.
// A bad command is reported as {"event":"error"} and the peer goes on.
package riskline.fixpeer;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import quickfix.Connector;
import quickfix.Message;
import quickfix.Session;
import quickfix.SessionID;
import quickfix.field.Account;
import quickfix.field.BeginSeqNo;
import quickfix.field.ClOrdID;
import quickfix.field.EndSeqNo;
import quickfix.field.OrdType;
import quickfix.field.OrderQty;
import quickfix.field.OrigClOrdID;
import quickfix.field.Price;
import quickfix.field.Side;
import quickfix.field.Symbol;
import quickfix.field.TestReqID;
import quickfix.field.TransactTime;
import quickfix.fix44.NewOrderSingle;
import quickfix.fix44.OrderCancelReplaceRequest;
import quickfix.fix44.OrderCancelRequest;
import quickfix.fix44.ResendRequest;
import quickfix.fix44.TestRequest;

final class Commands {
  private final Connector connector;

  Commands(Connector connector) {
    this.connector = connector;
  }

  /** Reads commands until EOF or {"cmd":"stop"}. */
  void run(InputStream in) {
    var reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    try {
      for (String line; (line = reader.readLine()) != null; ) {
        if (line.isBlank()) continue;
        try {
          Map<String, Object> cmd = Json.parseObject(line);
          if ("stop".equals(cmd.get("cmd"))) return;
          execute(cmd);
        } catch (Exception e) {
          Events.text("error", "command " + line + ": " + e.getMessage());
        }
      }
    } catch (IOException e) {
      Events.text("error", "stdin: " + e);
    }
  }

  private void execute(Map<String, Object> cmd) throws IOException {
    String name = String.valueOf(cmd.get("cmd"));
    Session session = session();
    switch (name) {
      case "order" -> send(name, session, order(cmd));
      case "cancel" -> send(name, session, cancel(cmd));
      case "replace" -> send(name, session, replace(cmd));
      case "resendRequest" ->
          send(name, session, new ResendRequest(new BeginSeqNo(integer(cmd, "begin")), new EndSeqNo(integer(cmd, "end"))));
      case "testRequest" -> send(name, session, new TestRequest(new TestReqID(string(cmd, "id"))));
      case "gap" -> {
        int by = integer(cmd, "by");
        if (by < 1) throw new IllegalArgumentException("by must be at least 1");
        // The skipped numbers were never stored, so QuickFIX/J answers a resend of them with a gap fill.
        session.setNextSenderMsgSeqNum(session.getExpectedSenderNum() + by);
        Events.text("done", name);
      }
      case "logout" -> {
        // QuickFIX/J sends the Logout on its next timer tick (within a second), not here.
        session.logout(cmd.containsKey("text") ? string(cmd, "text") : null);
        Events.text("done", name);
      }
      case "seqnums" -> {
        Map<String, String> nums = new LinkedHashMap<>();
        nums.put("sender", String.valueOf(session.getExpectedSenderNum()));
        nums.put("target", String.valueOf(session.getExpectedTargetNum()));
        Events.fields("seqnums", nums);
      }
      default -> throw new IllegalArgumentException("unknown cmd " + name);
    }
  }

  private Session session() {
    // One session per peer: the settings file has a single [SESSION].
    SessionID id = connector.getSessions().get(0);
    return Session.lookupSession(id);
  }

  /** Sends through the session; a peer that is not logged on keeps the message for a later resend. */
  private static void send(String name, Session session, Message m) {
    if (session.send(m)) Events.text("done", name);
    else Events.text("error", name + ": not logged on; the message is stored and goes out only on a resend");
  }

  private static NewOrderSingle order(Map<String, Object> cmd) {
    char ordType = string(cmd, "ordType", "2").charAt(0);
    var m =
        new NewOrderSingle(
            new ClOrdID(string(cmd, "clOrdId")),
            new Side(string(cmd, "side").charAt(0)),
            new TransactTime(),
            new OrdType(ordType));
    orderFields(m, cmd);
    if (cmd.get("account") != null) m.set(new Account(string(cmd, "account")));
    return m;
  }

  /** Symbol, OrderQty and (for a limit) Price, as a new order and a replace carry them. */
  private static void orderFields(Message m, Map<String, Object> cmd) {
    m.setField(new Symbol(string(cmd, "symbol")));
    m.setField(new OrderQty(number(cmd, "qty")));
    if (cmd.get("price") != null) m.setField(new Price(number(cmd, "price")));
  }

  private static OrderCancelReplaceRequest replace(Map<String, Object> cmd) {
    char ordType = string(cmd, "ordType", "2").charAt(0);
    var m =
        new OrderCancelReplaceRequest(
            new OrigClOrdID(string(cmd, "origClOrdId")),
            new ClOrdID(string(cmd, "clOrdId")),
            new Side(string(cmd, "side").charAt(0)),
            new TransactTime(),
            new OrdType(ordType));
    orderFields(m, cmd);
    return m;
  }

  private static OrderCancelRequest cancel(Map<String, Object> cmd) {
    var m =
        new OrderCancelRequest(
            new OrigClOrdID(string(cmd, "origClOrdId")),
            new ClOrdID(string(cmd, "clOrdId")),
            new Side(string(cmd, "side").charAt(0)),
            new TransactTime());
    m.set(new Symbol(string(cmd, "symbol")));
    if (cmd.get("qty") != null) m.set(new OrderQty(number(cmd, "qty")));
    return m;
  }

  private static String string(Map<String, Object> cmd, String key) {
    Object v = cmd.get(key);
    if (!(v instanceof String s) || s.isEmpty()) throw new IllegalArgumentException(key + " must be a non-empty string");
    return s;
  }

  private static String string(Map<String, Object> cmd, String key, String fallback) {
    return cmd.get(key) == null ? fallback : string(cmd, key);
  }

  private static double number(Map<String, Object> cmd, String key) {
    Object v = cmd.get(key);
    if (!(v instanceof Double d) || !Double.isFinite(d)) throw new IllegalArgumentException(key + " must be a number");
    return d;
  }

  private static int integer(Map<String, Object> cmd, String key) {
    double d = number(cmd, key);
    if (d != Math.rint(d) || d < 0 || d > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(key + " must be a whole number");
    }
    return (int) d;
  }
}
