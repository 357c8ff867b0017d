package io.clmix.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.clmix.data.AtomicOutput;
import io.clmix.model.CovarianceType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The workload's start as a JSON file, so peer libraries (scikit-learn, Smile) begin where clmix
 * does: {@code centres} (K-means) or {@code weights}, {@code means} and {@code precisions}
 * (mixture), in the data file's own coordinates, with {@code precisions} nested in
 * scikit-learn's {@code precisions_init} shape (full k x d x d, tied d x d, diag k x d,
 * spherical k). The file also names the workload ({@code algo}, {@code covariance}, {@code n},
 * {@code d}, {@code k}, {@code iterations}, {@code seed}) and the start's {@code rows}.
 */
public final class StartFile {
  private static final ObjectMapper JSON = new ObjectMapper();

  private StartFile() {}

  /** The start as a JSON tree. */
  public static ObjectNode toJson(Workload w) {
    BenchSpec s = w.spec();
    ObjectNode o = JSON.createObjectNode();
    o.put("algo", s.algo().id());
    o.put("covariance", s.covariance() == null ? null : s.covariance().id());
    o.put("n", s.n());
    o.put("d", s.d());
    o.put("k", s.k());
    o.put("iterations", s.iterations());
    o.put("seed", s.seed());
    ArrayNode rows = o.putArray("rows");
    for (long r : w.startRows()) {
      rows.add(r);
    }
    double[][] start = w.startGlobal();
    if (s.algo() == BenchSpec.Algo.KMEANS) {
      matrix(o.putArray("centres"), start);
      return o;
    }
    ArrayNode weights = o.putArray("weights");
    for (double x : w.startWeights()) {
      weights.add(x);
    }
    matrix(o.putArray("means"), start);
    double[] p = w.startPrecisions();
    int k = s.k();
    int d = s.d();
    ArrayNode out = o.putArray("precisions");
    switch (s.covariance()) {
      case FULL:
        for (int c = 0; c < k; c++) {
          ArrayNode m = out.addArray();
          for (int i = 0; i < d; i++) {
            ArrayNode row = m.addArray();
            for (int j = 0; j < d; j++) {
              row.add(p[(c * d + i) * d + j]);
            }
          }
        }
        break;
      case TIED:
      case DIAG: {
        int rowsOf = s.covariance() == CovarianceType.TIED ? d : k;
        for (int i = 0; i < rowsOf; i++) {
          ArrayNode row = out.addArray();
          for (int j = 0; j < d; j++) {
            row.add(p[i * d + j]);
          }
        }
        break;
      }
      default:
        for (double x : p) {
          out.add(x);
        }
    }
    return o;
  }

  /** Writes the start to {@code file}, all or nothing. */
  public static void write(Path file, Workload w) {
    byte[] bytes;
    try {
      bytes = JSON.writeValueAsString(toJson(w)).getBytes(StandardCharsets.UTF_8);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    AtomicOutput.write(file, out -> out.write(bytes));
  }

  private static void matrix(ArrayNode into, double[][] m) {
    for (double[] r : m) {
      ArrayNode row = into.addArray();
      for (double x : r) {
        row.add(x);
      }
    }
  }
}
