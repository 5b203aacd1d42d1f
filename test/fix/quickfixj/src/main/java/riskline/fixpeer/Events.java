// The peer's report to its launcher (tools/fix/quickfixj.ts): one JSON object a line on stdout, in
// the order things happened. It writes to the stdout file descriptor itself: Peer points System.out
// at stderr, so nothing else can reach stdout.
package riskline.fixpeer;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import quickfix.Message;

final class Events {
  private static final PrintStream OUT =
      new PrintStream(new FileOutputStream(FileDescriptor.out), false, StandardCharsets.UTF_8);

  /** A benchmark peer reports no message, only the session's events (-Driskline.quiet=true). */
  static final boolean QUIET = Boolean.getBoolean("riskline.quiet");

  private Events() {}

  static void event(String event) {
    write("{\"event\":" + Json.quote(event) + "}");
  }

  static void text(String event, String text) {
    write("{\"event\":" + Json.quote(event) + ",\"text\":" + Json.quote(String.valueOf(text)) + "}");
  }

  static void fields(String event, Map<String, String> fields) {
    write("{\"event\":" + Json.quote(event) + ",\"fields\":" + object(fields) + "}");
  }

  /** A message as QuickFIX/J has it: SOH shown as '|', and its fields by tag (last value wins). */
  static void message(String event, Message m) {
    if (QUIET) return;
    String raw = m.toString().replace('\u0001', '|');
    Map<String, String> fields = new java.util.LinkedHashMap<>();
    for (String part : raw.split("\\|")) {
      int eq = part.indexOf('=');
      if (eq > 0) fields.put(part.substring(0, eq), part.substring(eq + 1));
    }
    String type = fields.getOrDefault("35", "");
    write(
        "{\"event\":"
            + Json.quote(event)
            + ",\"msgType\":"
            + Json.quote(type)
            + ",\"raw\":"
            + Json.quote(raw)
            + ",\"fields\":"
            + object(fields)
            + "}");
  }

  private static String object(Map<String, String> fields) {
    StringBuilder b = new StringBuilder("{");
    for (Map.Entry<String, String> e : fields.entrySet()) {
      if (b.length() > 1) b.append(',');
      b.append(Json.quote(e.getKey())).append(':').append(Json.quote(e.getValue()));
    }
    return b.append('}').toString();
  }

  // Synchronized: QuickFIX/J's threads and the command reader report at the same time.
  private static synchronized void write(String line) {
    OUT.print(line);
    OUT.print('\n');
    OUT.flush();
  }
}
