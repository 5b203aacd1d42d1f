// The peer's JSON, both ways: stdin commands are flat objects of strings, numbers, booleans and null,
// and stdout events are flat objects too. QuickFIX/J brings no JSON library, and this needs no more.
package riskline.fixpeer;

import java.util.LinkedHashMap;
import java.util.Map;

final class Json {
  private final String s;
  private int i;

  private Json(String s) {
    this.s = s;
  }

  /** One flat JSON object; a string value stays a String, a number becomes a Double. */
  static Map<String, Object> parseObject(String text) {
    Json p = new Json(text);
    Map<String, Object> out = new LinkedHashMap<>();
    p.expect('{');
    if (!p.peek('}')) {
      do {
        String key = p.string();
        p.expect(':');
        out.put(key, p.value());
      } while (p.peek(','));
    }
    p.expect('}');
    p.space();
    if (p.i != p.s.length()) throw p.fail("trailing characters");
    return out;
  }

  private Object value() {
    space();
    if (i >= s.length()) throw fail("value expected");
    char c = s.charAt(i);
    if (c == '"') return string();
    if (s.startsWith("true", i)) return literal("true", Boolean.TRUE);
    if (s.startsWith("false", i)) return literal("false", Boolean.FALSE);
    if (s.startsWith("null", i)) return literal("null", null);
    if (c == '-' || (c >= '0' && c <= '9')) return number();
    throw fail("only strings, numbers, booleans and null are accepted as values");
  }

  private Object literal(String word, Object v) {
    i += word.length();
    return v;
  }

  private Double number() {
    int start = i;
    while (i < s.length() && "+-.eE0123456789".indexOf(s.charAt(i)) >= 0) i++;
    try {
      return Double.valueOf(s.substring(start, i));
    } catch (NumberFormatException e) {
      throw fail("bad number");
    }
  }

  private String string() {
    expect('"');
    StringBuilder b = new StringBuilder();
    while (true) {
      if (i >= s.length()) throw fail("unterminated string");
      char c = s.charAt(i++);
      if (c == '"') return b.toString();
      if (c != '\\') {
        b.append(c);
        continue;
      }
      if (i >= s.length()) throw fail("unterminated escape");
      char e = s.charAt(i++);
      switch (e) {
        case 'n' -> b.append('\n');
        case 't' -> b.append('\t');
        case 'r' -> b.append('\r');
        case 'b' -> b.append('\b');
        case 'f' -> b.append('\f');
        case 'u' -> {
          if (i + 4 > s.length()) throw fail("bad \\u escape");
          b.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
          i += 4;
        }
        default -> b.append(e); // \" \\ \/
      }
    }
  }

  private void space() {
    while (i < s.length() && Character.isWhitespace(s.charAt(i))) i++;
  }

  private boolean peek(char c) {
    space();
    if (i < s.length() && s.charAt(i) == c) {
      i++;
      return true;
    }
    return false;
  }

  private void expect(char c) {
    if (!peek(c)) throw fail("'" + c + "' expected");
  }

  private IllegalArgumentException fail(String why) {
    return new IllegalArgumentException("malformed JSON at " + i + ": " + why);
  }

  /** A JSON string literal; every control character is escaped, so one event stays one line. */
  static String quote(String v) {
    StringBuilder b = new StringBuilder(v.length() + 2).append('"');
    for (int k = 0; k < v.length(); k++) {
      char c = v.charAt(k);
      if (c == '"' || c == '\\') b.append('\\').append(c);
      else if (c < 0x20 || c == 0x2028 || c == 0x2029) b.append(String.format("\\u%04x", (int) c));
      else b.append(c);
    }
    return b.append('"').toString();
  }
}
