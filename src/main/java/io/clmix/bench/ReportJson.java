package io.clmix.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.clmix.data.AtomicOutput;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

/**
 * The report as one JSON object: the workload, the cost model, the machine, how memory was
 * measured, and {@code rows} with the same fields as the CSV records. Unknown numbers are null.
 */
public final class ReportJson {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private ReportJson() {}

  /** The report as a JSON tree. */
  public static ObjectNode toJson(BenchReport report) {
    ObjectNode root = JSON.createObjectNode();
    BenchSpec s = report.spec();
    ObjectNode spec = root.putObject("spec");
    spec.put("algo", s.algo().id());
    spec.put("covariance", s.covariance() == null ? null : s.covariance().id());
    spec.put("n", s.n());
    spec.put("d", s.d());
    spec.put("k", s.k());
    spec.put("iterations", s.iterations());
    spec.put("repeats", s.repeats());
    spec.put("seed", s.seed());
    spec.put("warmupSeconds", s.warmupSeconds());
    ObjectNode cost = root.putObject("costModel");
    cost.put("flopsPerIteration", report.cost().flops());
    cost.put("flopFormula", report.cost().formula());
    cost.put("bytesPerIteration", report.cost().bytes());
    cost.put("byteFormula", "4nd");
    ObjectNode host = root.putObject("host");
    host.put("cpuModel", report.host().cpuModel());
    host.put("logicalCpus", report.host().logicalCpus());
    host.put("memoryBytes", report.host().memoryBytes());
    host.put("os", report.host().os());
    host.put("jvm", report.host().jvm());
    host.put("maxHeapBytes", report.host().maxHeapBytes());
    host.put("description", report.host().describe());
    putNumber(root, "generateSeconds", report.generateSeconds());
    putNumber(root, "loadAverageBefore", report.loadBefore());
    putNumber(root, "loadAverageAfter", report.loadAfter());
    root.put("memoryMethod", BenchReport.MEMORY_METHOD);
    root.put("timing", "secondsPerIteration is the median over repeats x iterations timed iterations, after an "
        + "untimed warm-up (one run, then more until spec.warmupSeconds had passed); an iteration is the pass "
        + "over the data plus the parameter update on the host; uploadSeconds is opening the session, null on the Java engine, which moves no data");
    ArrayNode rows = root.putArray("rows");
    for (BenchRow row : report.rows()) {
      ObjectNode o = rows.addObject();
      for (Map.Entry<String, Object> e : report.rowFields(row).entrySet()) {
        put(o, e.getKey(), e.getValue());
      }
    }
    return root;
  }

  /** The indented JSON text. */
  public static String toText(BenchReport report) {
    try {
      return JSON.writeValueAsString(toJson(report)) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Writes the JSON to {@code file}, all or nothing. */
  public static void write(Path file, BenchReport report) {
    byte[] bytes = toText(report).getBytes(StandardCharsets.UTF_8);
    AtomicOutput.write(file, out -> out.write(bytes));
  }

  private static void put(ObjectNode o, String key, Object v) {
    if (v == null) {
      o.putNull(key);
    } else if (v instanceof Double x) {
      putNumber(o, key, x);
    } else if (v instanceof Integer x) {
      o.put(key, x);
    } else if (v instanceof Long x) {
      o.put(key, x);
    } else if (v instanceof Boolean x) {
      o.put(key, x);
    } else {
      o.put(key, v.toString());
    }
  }

  private static void putNumber(ObjectNode o, String key, double x) {
    if (Double.isFinite(x) && !(key.startsWith("load") && x < 0)) {
      o.put(key, x);
    } else {
      o.putNull(key);
    }
  }
}
