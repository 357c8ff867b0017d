package io.clmix.data;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A parser for the small Python literals found in {@code .npy} headers, such as
 * {@code {'descr': '<f8', 'fortran_order': False, 'shape': (150, 4), }}.
 *
 * <p>Accepts dicts, tuples, lists, quoted strings (with an optional {@code b}/{@code u}/{@code r}
 * prefix and backslash escapes), integers (with Python 2's {@code L} suffix), {@code True},
 * {@code False} and {@code None}: everything NumPy has ever written there. Results are Java
 * objects: {@link Map} (insertion order), {@link Tuple}, {@link List}, {@link String},
 * {@link BigInteger}, {@link Boolean}, and {@link #NONE}. Nesting is limited so that hostile
 * input cannot exhaust the stack.
 */
final class PyLiteral {
  /** Python's None. */
  static final Object NONE = new Object() {
    @Override
    public String toString() {
      return "None";
    }
  };

  /** A Python tuple. */
  record Tuple(List<Object> items) {}

  /** A syntax error, with a position and what was expected. */
  static final class SyntaxError extends Exception {
    private static final long serialVersionUID = 1L;

    SyntaxError(String message) {
      super(message, null, false, false);
    }
  }

  private static final int MAX_DEPTH = 32;

  private final String s;
  private int pos;

  private PyLiteral(String s) {
    this.s = s;
  }

  /** Parses {@code text}, which must hold exactly one literal (blanks around it allowed). */
  static Object parse(String text) throws SyntaxError {
    PyLiteral p = new PyLiteral(text);
    Object v = p.value(0);
    p.skipBlanks();
    if (p.pos != text.length()) {
      throw p.error("unexpected text after the end of the literal");
    }
    return v;
  }

  /** Python's repr of a parsed value, for messages. */
  static String repr(Object v) {
    if (v instanceof String str) {
      return "'" + str.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }
    if (v instanceof Boolean b) {
      return b ? "True" : "False";
    }
    if (v instanceof Tuple t) {
      StringBuilder b = new StringBuilder("(");
      for (int i = 0; i < t.items().size(); i++) {
        b.append(i > 0 ? ", " : "").append(repr(t.items().get(i)));
      }
      return b.append(t.items().size() == 1 ? ",)" : ")").toString();
    }
    if (v instanceof List<?> l) {
      StringBuilder b = new StringBuilder("[");
      for (int i = 0; i < l.size(); i++) {
        b.append(i > 0 ? ", " : "").append(repr(l.get(i)));
      }
      return b.append(']').toString();
    }
    if (v instanceof Map<?, ?> m) {
      StringBuilder b = new StringBuilder("{");
      int i = 0;
      for (Map.Entry<?, ?> e : m.entrySet()) {
        b.append(i++ > 0 ? ", " : "").append(repr(e.getKey())).append(": ").append(repr(e.getValue()));
      }
      return b.append('}').toString();
    }
    return String.valueOf(v);
  }

  private Object value(int depth) throws SyntaxError {
    if (depth > MAX_DEPTH) {
      throw error("nested more than " + MAX_DEPTH + " levels deep");
    }
    skipBlanks();
    if (pos >= s.length()) {
      throw error("unexpected end; expected a value");
    }
    char c = s.charAt(pos);
    switch (c) {
      case '{':
        return dict(depth);
      case '(':
        return tuple(depth);
      case '[':
        pos++;
        return new ArrayList<>(items(']', depth));
      case '\'':
      case '"':
        return string();
      default:
        break;
    }
    if ((c == 'b' || c == 'u' || c == 'r' || c == 'B' || c == 'U' || c == 'R')
        && pos + 1 < s.length() && (s.charAt(pos + 1) == '\'' || s.charAt(pos + 1) == '"')) {
      pos++;
      return string();
    }
    if (c == '-' || c == '+' || (c >= '0' && c <= '9')) {
      return integer();
    }
    if (Character.isLetter(c) || c == '_') {
      int start = pos;
      while (pos < s.length() && (Character.isLetterOrDigit(s.charAt(pos)) || s.charAt(pos) == '_')) {
        pos++;
      }
      String word = s.substring(start, pos);
      switch (word) {
        case "True":
          return Boolean.TRUE;
        case "False":
          return Boolean.FALSE;
        case "None":
          return NONE;
        default:
          pos = start;
          throw error("unknown name '" + Problems.show(word) + "'");
      }
    }
    throw error("unexpected character '" + Problems.show(String.valueOf(c)) + "'");
  }

  private Map<Object, Object> dict(int depth) throws SyntaxError {
    pos++; // '{'
    Map<Object, Object> out = new LinkedHashMap<>();
    while (true) {
      skipBlanks();
      if (peek() == '}') {
        pos++;
        return out;
      }
      Object key = value(depth + 1);
      skipBlanks();
      expect(':');
      Object val = value(depth + 1);
      if (key instanceof List || key instanceof Map) {
        throw error("a dictionary key must not be a list or a dictionary");
      }
      out.put(key, val);
      skipBlanks();
      if (peek() == ',') {
        pos++;
      } else if (peek() != '}') {
        throw error("expected ',' or '}'");
      }
    }
  }

  private Object tuple(int depth) throws SyntaxError {
    pos++; // '('
    int save = pos;
    skipBlanks();
    if (peek() == ')') {
      pos++;
      return new Tuple(List.of());
    }
    pos = save;
    Object first = value(depth + 1);
    skipBlanks();
    if (peek() == ')') {
      // (x) is a parenthesised value, not a tuple: Python needs (x,) for that.
      pos++;
      return first;
    }
    expect(',');
    List<Object> rest = items(')', depth);
    List<Object> all = new ArrayList<>(rest.size() + 1);
    all.add(first);
    all.addAll(rest);
    return new Tuple(List.copyOf(all));
  }

  /** Comma-separated values up to and including {@code close}; a trailing comma is allowed. */
  private List<Object> items(char close, int depth) throws SyntaxError {
    List<Object> out = new ArrayList<>();
    while (true) {
      skipBlanks();
      if (peek() == close) {
        pos++;
        return out;
      }
      out.add(value(depth + 1));
      skipBlanks();
      if (peek() == ',') {
        pos++;
      } else if (peek() != close) {
        throw error("expected ',' or '" + close + "'");
      }
    }
  }

  private String string() throws SyntaxError {
    char quote = s.charAt(pos++);
    StringBuilder b = new StringBuilder();
    while (true) {
      if (pos >= s.length()) {
        throw error("unterminated string");
      }
      char c = s.charAt(pos++);
      if (c == quote) {
        return b.toString();
      }
      if (c == '\n') {
        pos--;
        throw error("line break inside a string");
      }
      if (c == '\\') {
        if (pos >= s.length()) {
          throw error("unterminated string");
        }
        char e = s.charAt(pos++);
        switch (e) {
          case 'n' -> b.append('\n');
          case 't' -> b.append('\t');
          case 'r' -> b.append('\r');
          case '0' -> b.append('\0');
          default -> b.append(e); // \\, \', \" and anything else: the character itself
        }
      } else {
        b.append(c);
      }
    }
  }

  private BigInteger integer() throws SyntaxError {
    int start = pos;
    if (s.charAt(pos) == '-' || s.charAt(pos) == '+') {
      pos++;
    }
    int digitsFrom = pos;
    while (pos < s.length() && s.charAt(pos) >= '0' && s.charAt(pos) <= '9') {
      pos++;
    }
    if (pos == digitsFrom) {
      throw error("expected digits");
    }
    if (pos - digitsFrom > 40) {
      pos = start;
      throw error("integer too long");
    }
    BigInteger v = new BigInteger(s.substring(start, pos));
    if (pos < s.length() && (s.charAt(pos) == 'L' || s.charAt(pos) == 'l')) {
      pos++; // Python 2 long
    }
    if (pos < s.length() && (s.charAt(pos) == '.' || s.charAt(pos) == 'e' || s.charAt(pos) == 'E'
        || Character.isLetterOrDigit(s.charAt(pos)))) {
      throw error("only integers are expected here");
    }
    return v;
  }

  private void expect(char c) throws SyntaxError {
    if (peek() != c) {
      throw error("expected '" + c + "'");
    }
    pos++;
  }

  private char peek() {
    return pos < s.length() ? s.charAt(pos) : '\0';
  }

  private void skipBlanks() {
    while (pos < s.length() && (s.charAt(pos) == ' ' || s.charAt(pos) == '\t' || s.charAt(pos) == '\n'
        || s.charAt(pos) == '\r' || s.charAt(pos) == '\f')) {
      pos++;
    }
  }

  private SyntaxError error(String what) {
    return new SyntaxError(what + " at character " + (pos + 1));
  }
}
