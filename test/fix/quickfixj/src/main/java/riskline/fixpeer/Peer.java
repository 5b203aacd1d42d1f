// An independent FIX 4.4 counterparty on QuickFIX/J, for interoperability tests of Riskline's own FIX
// engine. tools/fix/quickfixj.ts writes its QuickFIX/J settings file and starts it as
//   java -cp ... riskline.fixpeer.Peer <settings file> <full|partial|none>
// It reports on stdout (one JSON event a line, see Events) and takes JSON commands on stdin (Commands).
// EOF on stdin, {"cmd":"stop"} or SIGTERM log the session out and end the process.
package riskline.fixpeer;

import java.util.concurrent.atomic.AtomicBoolean;
import quickfix.ConfigError;
import quickfix.Connector;
import quickfix.FileLogFactory;
import quickfix.FileStoreFactory;
import quickfix.Log;
import quickfix.LogFactory;
import quickfix.SessionSettings;
import quickfix.SocketAcceptor;
import quickfix.SocketInitiator;

public final class Peer {
  private static final AtomicBoolean STOPPED = new AtomicBoolean();

  private Peer() {}

  public static void main(String[] args) {
    // A library that prints to System.out would corrupt the event stream: its text goes to stderr.
    System.setOut(System.err);
    // Before any logger exists: QuickFIX/J's own slf4j lines only when something is wrong, on stderr.
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    System.setProperty("org.slf4j.simpleLogger.logFile", "System.err");
    String fill = args.length > 1 ? args[1] : "full";
    if (args.length < 1 || !fill.matches("full|partial|none")) {
      Events.text("error", "usage: Peer <settings file> [full|partial|none]");
      System.exit(2);
    }
    Connector connector;
    try {
      connector = connector(new SessionSettings(args[0]), new Venue(fill));
      connector.start();
    } catch (ConfigError | RuntimeException e) {
      // A port in use arrives here as quickfix.RuntimeError: the launcher shows the text.
      Events.text("error", "cannot start: " + e);
      System.exit(1);
      return;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(connector)));
    Events.event("ready");
    new Commands(connector).run(System.in);
    stop(connector);
    Events.event("stopped");
    // MINA's and QuickFIX/J's threads are not all daemons: only an explicit exit ends the JVM.
    System.exit(0);
  }

  private static Connector connector(SessionSettings settings, Venue venue) throws ConfigError {
    var store = new FileStoreFactory(settings);
    // A benchmark peer (-Driskline.quiet=true) keeps its store but no message log, as Riskline's venue.
    LogFactory log = Events.QUIET ? id -> NO_LOG : new FileLogFactory(settings);
    var messages = new quickfix.fix44.MessageFactory();
    String type = settings.getString("ConnectionType");
    return switch (type) {
      case "acceptor" -> new SocketAcceptor(venue, store, settings, log, messages);
      case "initiator" -> new SocketInitiator(venue, store, settings, log, messages);
      default -> throw new ConfigError("ConnectionType must be acceptor or initiator, not " + type);
    };
  }

  private static final Log NO_LOG =
      new Log() {
        @Override
        public void clear() {}

        @Override
        public void onIncoming(String m) {}

        @Override
        public void onOutgoing(String m) {}

        @Override
        public void onEvent(String m) {}

        @Override
        public void onErrorEvent(String m) {}
      };

  /** Logs out (QuickFIX/J waits for the answer up to LogoutTimeout), once whoever asks first. */
  private static void stop(Connector connector) {
    if (STOPPED.compareAndSet(false, true)) connector.stop(false);
  }
}
