package io.clmix.model;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.clmix.data.InputException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Reads and writes model files: JSON with scikit-learn's attribute names in camelCase
 * ({@code cluster_centers_} becomes {@code clusterCenters}) and a format version, documented in
 * {@code docs/model-format.md}.
 *
 * <p>Reading validates everything a user could get wrong or a disk could corrupt: JSON syntax,
 * the format name and version, required fields, shapes and finite numbers. Each problem is an
 * {@link InputException} naming the file and the field.
 */
public final class ModelJson {
  /** The value of the {@code format} field. */
  public static final String FORMAT = "clmix-model";
  /** The format version this code writes and reads. */
  public static final int VERSION = 1;

  private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /**
   * Why a number written beyond a double's range (1e400) is refused: the words of the data
   * readers that keep doubles (weights), without their advice to divide the values by a power
   * of ten, which in a model would make another model.
   */
  static final String TOO_LARGE = "is too large: a double holds magnitudes up to 1.8e308";

  private ModelJson() {}

  // ------------------------------------------------------------------ writing

  /**
   * The model as a JSON document, which {@link #fromJson} reads back to an equal model.
   *
   * @throws InputException when {@code model} is null
   */
  public static String toJson(Model model) {
    InputException.required(model, "model", "a K-means or Gaussian mixture model");
    ObjectNode root = MAPPER.createObjectNode();
    root.put("format", FORMAT);
    root.put("formatVersion", VERSION);
    root.put("algo", model.algo());
    root.put("nFeaturesIn", model.d());
    if (model instanceof KMeansModel km) {
      root.put("nClusters", km.k());
      root.set("clusterCenters", matrix(km.clusterCenters()));
      root.put("inertia", km.inertia());
      root.put("nIter", km.iterations());
      root.put("converged", km.converged());
    } else if (model instanceof GaussianMixtureModel gm) {
      GaussianMixtureJson.write(gm, root);
    } else {
      throw new IllegalArgumentException("unknown model type " + model.getClass().getName());
    }
    try {
      return MAPPER.writeValueAsString(root) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  static ArrayNode vector(double[] v) {
    ArrayNode a = MAPPER.createArrayNode();
    for (double x : v) {
      a.add(x);
    }
    return a;
  }

  static ArrayNode matrix(double[][] m) {
    ArrayNode a = MAPPER.createArrayNode();
    for (double[] row : m) {
      a.add(vector(row));
    }
    return a;
  }

  static ArrayNode tensor(double[][][] t) {
    ArrayNode a = MAPPER.createArrayNode();
    for (double[][] m : t) {
      a.add(matrix(m));
    }
    return a;
  }

  // ------------------------------------------------------------------ reading

  /**
   * Reads a model file.
   *
   * @return a {@link KMeansModel} or a {@link GaussianMixtureModel}, as the file's {@code algo} says
   * @throws InputException naming the file, and the field where one is at fault, for a file that
   *     cannot be read or is not a valid model
   */
  public static Model read(Path file) {
    InputException.required(file, "file", "a path to a model file");
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw InputException.cannotRead(file, e);
    }
    return fromJson(utf8(file, bytes), file.toString());
  }

  /**
   * A model file's bytes as text. JSON files are UTF-8; anything else (Latin-1, UTF-16, a
   * compressed file) is refused at its first byte that is not UTF-8, rather than with the
   * decoder's "input length = 1".
   */
  private static String utf8(Path file, byte[] bytes) {
    CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    CharBuffer out = CharBuffer.allocate(bytes.length + 1); // UTF-8 never decodes to more chars than bytes
    CoderResult result = decoder.decode(in, out, true);
    if (result.isError()) {
      int at = in.position();
      throw InputException.inFile(file, String.format(Locale.ROOT,
          "not a valid model file: byte %d (0x%02x) is not UTF-8 text; a model file is JSON in UTF-8", at,
          bytes[at] & 0xff));
    }
    decoder.flush(out);
    return out.flip().toString();
  }

  /**
   * Parses a model document; {@code source} names it in messages ({@code "model"} when null). A
   * leading byte-order mark is skipped, as the data readers skip it (editors on Windows write one).
   *
   * @return a {@link KMeansModel} or a {@link GaussianMixtureModel}, as the document's {@code algo} says
   * @throws InputException naming {@code source}, and the field where one is at fault, for a
   *     document that is not a valid model
   */
  public static Model fromJson(String text, String source) {
    InputException.required(text, "text", "a model document");
    if (source == null) {
      source = "model"; // rather than "null: missing field ...", which reads as a file named null
    }
    if (text.startsWith("\ufeff")) {
      text = text.substring(1);
    }
    JsonNode root;
    int end;
    try (JsonParser parser = MAPPER.createParser(text)) {
      root = MAPPER.readTree(parser);
      // Where the first value ended: readTree reads one value and would silently ignore a
      // second one or any garbage after it.
      end = root == null ? text.length() : (int) parser.currentLocation().getCharOffset();
    } catch (JsonProcessingException e) {
      var loc = e.getLocation();
      String where = loc == null ? "" : " at line " + loc.getLineNr() + ", column " + loc.getColumnNr();
      throw new InputException(source + ": not a valid model file: broken JSON" + where + " ("
          + jsonProblem(e.getOriginalMessage()) + ")");
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a string source does no I/O
    }
    if (root == null || !root.isObject()) {
      throw new InputException(source + ": not a valid model file: expected a JSON object");
    }
    checkNothingAfter(text, end, source);
    Fields f = new Fields(root, source, text);
    String format = f.text("format");
    if (!FORMAT.equals(format)) {
      throw new InputException(source + ": not a clmix model file (format '" + shown(format) + "', expected '" + FORMAT
          + "')");
    }
    int version = f.integer("formatVersion", 1, Integer.MAX_VALUE);
    if (version != VERSION) {
      throw new InputException(source + ": model format version " + version
          + " is not supported; this clmix reads version " + VERSION);
    }
    String algo = f.text("algo");
    int d = f.integer("nFeaturesIn", 1, Integer.MAX_VALUE);
    switch (algo) {
      case "kmeans": {
        int k = f.integer("nClusters", 1, Integer.MAX_VALUE);
        double[][] centres = f.matrix("clusterCenters", k, d);
        double inertia = f.number("inertia");
        int iters = f.integer("nIter", 0, Integer.MAX_VALUE);
        boolean converged = f.bool("converged");
        try {
          return new KMeansModel(centres, inertia, iters, converged);
        } catch (InputException e) {
          // The constructor's message, with the file and the field it is about.
          throw f.bad(e.getMessage().startsWith("the inertia") ? "inertia" : "clusterCenters", e.getMessage());
        }
      }
      case "gmm":
        return GaussianMixtureJson.read(f, d);
      default:
        throw new InputException(source + ": field 'algo': '" + shown(algo) + "' is not supported; expected kmeans or gmm");
    }
  }

  /**
   * Refuses anything but JSON whitespace after the model's object: two concatenated models or
   * a half-overwritten file would otherwise load as whatever came first.
   */
  private static void checkNothingAfter(String text, int end, String source) {
    int at = end;
    while (at < text.length() && " \t\r\n".indexOf(text.charAt(at)) >= 0) {
      at++;
    }
    if (at < text.length()) {
      int line = 1;
      int lineStart = 0;
      for (int i = 0; i < at; i++) {
        if (text.charAt(i) == '\n') {
          line++;
          lineStart = i + 1;
        }
      }
      throw new InputException(source + ": not a valid model file: unexpected text after the model's JSON object"
          + " at line " + line + ", column " + (at - lineStart + 1));
    }
  }

  /**
   * A string from the file made safe to quote in a one-line message: line breaks and other
   * control characters written as escapes, anything past 60 characters elided. (Found by
   * fuzzing: a carriage return inside a field value split the error message in two.)
   */
  static String shown(String s) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      if (i == 60) {
        return b.append("...").toString();
      }
      char c = s.charAt(i);
      switch (c) {
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          boolean breaksLines = c < 0x20 || (c >= 0x7f && c < 0xa0) || c == '\u2028' || c == '\u2029';
          b.append(breaksLines ? String.format("\\u%04x", (int) c) : String.valueOf(c));
        }
      }
    }
    return b.toString();
  }


  /**
   * Jackson's description of a syntax error, kept to one line and without its internal
   * locations ("(start marker at [Source: REDACTED ...])"): the message gives line and column.
   */
  static String jsonProblem(String s) {
    if (s == null || s.isBlank()) {
      return "unreadable JSON";
    }
    String t = s.strip();
    int nl = t.indexOf('\n');
    if (nl >= 0) {
      t = t.substring(0, nl).strip();
    }
    int src = t.indexOf(" (start marker at [Source:");
    if (src < 0) {
      src = t.indexOf(" at [Source:");
    }
    if (src >= 0) {
      t = t.substring(0, src);
    }
    t = withoutParserAdvice(t);
    return t.isEmpty() ? "unreadable JSON" : Character.toLowerCase(t.charAt(0)) + t.substring(1);
  }

  /**
   * The parser's message without its advice to the programmer (enable a
   * {@code JsonReadFeature}, raise a {@code StreamReadConstraints} limit), which a user of the
   * command line cannot follow: the file is simply not JSON, or not JSON clmix reads.
   */
  private static String withoutParserAdvice(String t) {
    return t.replaceAll(": enable `[^`]*` to allow$", "")
        .replaceAll(", from `[^`]*`\\)", ")")
        .replaceAll(": maybe a \\(non-standard\\) comment\\? \\(not recognized as one since Feature '[A-Z_]+' not enabled"
            + " for parser\\)", ": a comment, which JSON does not have")
        .replaceAll(" \\([^()]*Feature '[A-Z_]+'[^()]*\\)", "");
  }

  /** Typed, validated access to the fields of one model document. */
  static final class Fields {
    private final JsonNode root;
    private final String source;
    /** The document, to quote a number as it is written there (the tree holds only its value). */
    private final String text;

    Fields(JsonNode root, String source, String text) {
      this.root = root;
      this.source = source;
      this.text = text;
    }

    InputException bad(String field, String problem) {
      return new InputException(source + ": field '" + field + "': " + problem);
    }

    JsonNode get(String field) {
      JsonNode n = root.get(field);
      if (n == null || n.isNull()) {
        throw new InputException(source + ": missing field '" + field + "'");
      }
      return n;
    }

    String text(String field) {
      JsonNode n = get(field);
      if (!n.isTextual()) {
        throw bad(field, "expected a string, found " + n.getNodeType().toString().toLowerCase(Locale.ROOT));
      }
      return n.asText();
    }

    boolean bool(String field) {
      JsonNode n = get(field);
      if (!n.isBoolean()) {
        throw bad(field, "expected true or false");
      }
      return n.asBoolean();
    }

    int integer(String field, int min, int max) {
      JsonNode n = get(field);
      if (!n.isIntegralNumber() || !n.canConvertToInt() || n.asInt() < min || n.asInt() > max) {
        throw bad(field, "'" + written(n, field) + "' is not an integer in [" + min + ", " + max + "]");
      }
      return n.asInt();
    }

    double number(String field) {
      return finite(get(field), field);
    }

    /**
     * A number, or the string {@code "-Infinity"}, which is how the writer spells a lower bound
     * of minus infinity (a row no component can hold): JSON has no such number, and a file the
     * library writes must read back.
     */
    double numberOrMinusInfinity(String field) {
      JsonNode n = get(field);
      return n.isTextual() && n.asText().equals("-Infinity") ? Double.NEGATIVE_INFINITY : finite(n, field);
    }

    private double finite(JsonNode n, String where) {
      if (n.isNumber() && Double.isInfinite(n.asDouble())) {
        // JSON numbers have no infinity (the parser refuses 'Infinity'), so an infinite one was
        // written beyond a double's range (1e400): too large, as the data readers call it, not
        // "not a finite number", which says the file holds an infinity or NaN.
        throw bad(where, "'" + written(n, where) + "' " + TOO_LARGE);
      }
      if (!n.isNumber() || !Double.isFinite(n.asDouble())) {
        throw bad(where, "'" + n + "' is not a finite number");
      }
      return n.asDouble();
    }

    /**
     * The value at {@code where} for a message: as the file spells it where it is a number too
     * large for a double (1e400), which is infinite in the tree, which prints it as
     * '"Infinity"', a string the file does not hold; as the tree prints it otherwise.
     */
    private String written(JsonNode n, String where) {
      String literal = n.isNumber() && Double.isInfinite(n.asDouble()) ? literal(where) : null;
      return literal != null ? shown(literal) : n.toString();
    }

    /**
     * The number at {@code where} ({@code clusterCenters[0][1]}) as the document spells it, found
     * by reading the document again as a stream of tokens (the tree keeps values, not text);
     * null when it cannot be found or is not the overflowing number (a field given twice, say).
     * Only called on the way to an error, so the second read costs nothing in a good file.
     */
    private String literal(String where) {
      JsonPointer target = JsonPointer.compile("/" + where.replace("][", "/").replace("[", "/").replace("]", ""));
      try (JsonParser p = MAPPER.createParser(text)) {
        for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
          if (t.isNumeric() && p.getParsingContext().pathAsPointer().equals(target)) {
            String literal = p.getText();
            return Double.isInfinite(Double.parseDouble(literal)) ? literal : null;
          }
        }
      } catch (IOException | IllegalArgumentException e) {
        return null; // the message falls back to the value, still right
      }
      return null;
    }

    double[] vector(String field, int length) {
      return vector(get(field), field, length);
    }

    private double[] vector(JsonNode n, String where, int length) {
      if (!n.isArray() || n.size() != length) {
        throw bad(where, "expected an array of " + count(length, "number", "numbers") + found(n));
      }
      double[] out = new double[length];
      for (int i = 0; i < length; i++) {
        out[i] = finite(n.get(i), where + "[" + i + "]");
      }
      return out;
    }

    double[][] matrix(String field, int rows, int cols) {
      return matrix(get(field), field, rows, cols);
    }

    private double[][] matrix(JsonNode n, String where, int rows, int cols) {
      if (!n.isArray() || n.size() != rows) {
        throw bad(where, "expected " + count(rows, "row", "rows") + " of " + count(cols, "number", "numbers")
            + found(n));
      }
      double[][] out = new double[rows][];
      for (int i = 0; i < rows; i++) {
        out[i] = vector(n.get(i), where + "[" + i + "]", cols);
      }
      return out;
    }

    double[][][] tensor(String field, int count, int rows, int cols) {
      JsonNode n = get(field);
      if (!n.isArray() || n.size() != count) {
        throw bad(field, "expected " + count(count, "matrix", "matrices") + " of " + rows + " x " + cols + found(n));
      }
      double[][][] out = new double[count][][];
      for (int i = 0; i < count; i++) {
        out[i] = matrix(n.get(i), field + "[" + i + "]", rows, cols);
      }
      return out;
    }

    private static String found(JsonNode n) {
      return n.isArray() ? ", found " + count(n.size(), "entry", "entries")
          : ", found " + n.getNodeType().toString().toLowerCase(Locale.ROOT);
    }

    /** {@code "1 entry"}, {@code "2 entries"}: a model of one column or component has arrays of one. */
    private static String count(long n, String one, String many) {
      return n + " " + (n == 1 ? one : many);
    }
  }
}
