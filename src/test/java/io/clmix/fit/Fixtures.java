package io.clmix.fit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.clmix.data.DataFiles;
import io.clmix.data.Dataset;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Path;

/**
 * The scikit-learn reference fixtures in {@code src/test/resources/fixtures}, made by
 * {@code src/test/python/make_fixtures.py}.
 */
public final class Fixtures {
  /** The real data sets and the k each fixture uses. */
  public static final String[] REAL = {"iris", "wine", "digits", "breast_cancer"};

  private static final ObjectMapper JSON = new ObjectMapper();

  private Fixtures() {}

  public static Path path(String file) {
    try {
      return Path.of(Fixtures.class.getResource("/fixtures/" + file).toURI());
    } catch (URISyntaxException | NullPointerException e) {
      throw new IllegalStateException("missing fixture " + file, e);
    }
  }

  public static Dataset data(String name) {
    return DataFiles.read(path(name + ".npy"));
  }

  public static JsonNode json(String file) {
    try {
      return JSON.readTree(path(file).toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static double[] vector(JsonNode n) {
    double[] out = new double[n.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = n.get(i).asDouble();
    }
    return out;
  }

  public static int[] ints(JsonNode n) {
    int[] out = new int[n.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = n.get(i).asInt();
    }
    return out;
  }

  public static double[][] matrix(JsonNode n) {
    double[][] out = new double[n.size()][];
    for (int i = 0; i < out.length; i++) {
      out[i] = vector(n.get(i));
    }
    return out;
  }

  public static double[][][] tensor(JsonNode n) {
    double[][][] out = new double[n.size()][][];
    for (int i = 0; i < out.length; i++) {
      out[i] = matrix(n.get(i));
    }
    return out;
  }
}
