package io.clmix.cli;

import io.clmix.model.CovarianceType;
import io.clmix.model.GaussianMixtureModel;
import io.clmix.model.KMeansModel;
import io.clmix.model.ModelJson;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The files docs/errors.md's commands name: good inputs to pair with a bad one, every kind of
 * bad data, weights, initial centres and model files, and the pre-existing outputs that a failed
 * command must leave untouched. Written fresh into a directory by {@link #writeAll}.
 */
final class ErrorInputs {
  /** Pre-existing output files and what they hold; a failed command must not change them. */
  static final Map<String, String> EXISTING_OUTPUTS = Map.of(
      "existing-model.json", "{\"kept\": true}\n",
      "existing-labels.txt", "7\n7\n");

  /** The file that permissions make unreadable (except to root). */
  static final String UNREADABLE = "unreadable.csv";

  /** Columns of wide.npy (2 rows). */
  static final int WIDE_COLUMNS = 131072;

  private ErrorInputs() {}

  static void writeAll(Path dir) throws IOException {
    Map<String, byte[]> files = new LinkedHashMap<>();
    // Data: good.csv has 4 rows of 2 columns.
    text(files, "good.csv", "1,2\n3,4\n5,6\n7,8\n");
    text(files, "dup.csv", "1,2\n1,2\n1,2\n1,2\n");
    // Column 3 is column 1 + column 2 but for 1e-5 in two rows: a share of its variance far above
    // double rounding and far below what the engines' float32 arithmetic resolves.
    text(files, "sum.csv", "1,2,3\n3,1,4.000001\n5,6,11\n7,3,9.999999\n2,5,7\n");
    text(files, "col1.csv", "1\n2\n3\n4\n");
    text(files, "empty.csv", "");
    text(files, "header.csv", "a,b\n");
    text(files, "ragged.csv", "1,2\n3,4\n5\n");
    // A first row of one value: the second line's comma decides the separator.
    text(files, "short1.csv", "1\n3,4\n5,6\n");
    // Quoting: a quote never closed swallows the rest of the file; a quoted field across lines.
    text(files, "openquote.csv", "1,2\n\"5,6\n7,8\n");
    text(files, "spanquote.csv", "1,2\n\"5\n6\",7\n3,4\n");
    text(files, "quotejunk.csv", "1,2\n3,4\n5,\"6\"x\n");
    files.put("latin1.csv", "1,2\n3,4\n5,caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1));
    text(files, "text.csv", "1,2\n3,abc\n5,6\n");
    // First lines that --header auto does not take for a header, and one that --header no refuses.
    text(files, "hex.csv", "0x10,0\n1,2\n3,4\n5,6\n");
    text(files, "mixed.csv", "x,2\n1,2\n3,4\n5,6\n");
    text(files, "named.csv", "x,y\n1,2\n3,4\n5,6\n7,8\n");
    text(files, "emptyfield.csv", "1,,2\n3,4,5\n");
    text(files, "nan.csv", "1,2\n3,nan\n5,6\n");
    text(files, "inf.csv", "1,2\n3,-inf\n5,6\n");
    text(files, "big.csv", "1,2\n1e300,3\n");
    text(files, "huge.csv", "1,2\n3,4\n5,1e400\n");
    text(files, "spread.csv", "1e19,0\n-1e19,0\n1e19,0\n-1e19,0\n");
    text(files, "tiny.csv", "1e-20,0\n-1e-20,0\n1e-20,0\n-1e-20,0\n");
    text(files, UNREADABLE, "1,2\n3,4\n");
    text(files, "data.xyz", "1,2\n");
    files.put("empty.npy", new byte[0]);
    text(files, "notnpy.npy", "hello");
    byte[] good = npy("<f4", "(4, 2)", floats(0, 1, 2, 3, 4, 5, 6, 7));
    files.put("good.npy", good);
    files.put("trunc.npy", java.util.Arrays.copyOf(good, good.length - 5));
    // The header's shape covers half the data: NumPy never writes bytes past the array.
    files.put("long.npy", npy("<f4", "(2, 2)", floats(0, 1, 2, 3, 4, 5, 6, 7)));
    files.put("int.npy", npy("<i8", "(4, 2)", new byte[64]));
    files.put("c64.npy", npy("<c8", "(4, 2)", new byte[64]));
    files.put("str.npy", npy("<U1", "(1, 2)", new byte[8]));
    files.put("three.npy", npy("<f4", "(2, 2, 2)", new byte[32]));
    files.put("one.npy", npy("<f4", "(4,)", new byte[16]));
    files.put("zero.npy", npy("<f4", "(0, 2)", new byte[0]));
    files.put("hugeshape.npy", npy("<f4", "(4611686018427387904, 2)", new byte[0]));
    files.put("nan.npy", npy("<f4", "(4, 2)", floats(0, 1, 2, 3, 4, Float.NaN, 6, 7)));
    files.put("big.npy", npy("<f8", "(2, 2)", doubles(1e300, 1, 2, 3)));
    // Rows too wide for any device's local memory: K-means needs over 4 MB of it per work-group
    // for them (GPUs have tens of KiB, PoCL's CPU device hundreds).
    float[] wide = new float[2 * WIDE_COLUMNS];
    for (int j = 0; j < WIDE_COLUMNS; j++) {
      wide[j] = j % 7;
      wide[WIDE_COLUMNS + j] = j % 5 + 1;
    }
    files.put("wide.npy", npy("<f4", "(2, " + WIDE_COLUMNS + ")", floats(wide)));
    // Weights for good.csv (4 rows).
    text(files, "w3.csv", "1\n2\n3\n");
    text(files, "wneg.csv", "1\n-2\n3\n4\n");
    text(files, "wnan.csv", "1\nnan\n3\n4\n");
    text(files, "w0.csv", "0\n0\n0\n0\n");
    text(files, "wbig.csv", "1\n1e300\n3\n4\n");
    text(files, "whuge.csv", "1\n1e400\n3\n4\n");
    text(files, "wtotal.csv", "3e38\n3e38\n1\n1\n");
    // Initial centres.
    text(files, "init3.csv", "1,2,3\n4,5,6\n");
    text(files, "init1.csv", "1,2\n");
    text(files, "init2.csv", "1,2\n5,6\n");
    text(files, "initbig.csv", "1,2\n1e300,4\n");
    text(files, "inithuge.csv", "1,2\n-1e400,4\n");
    // Models.
    text(files, "model.json", ModelJson.toJson(new KMeansModel(new double[][] {{1, 2}, {6, 7}}, 1, 1, true)));
    text(files, "d3.json", ModelJson.toJson(new KMeansModel(new double[][] {{1, 2, 3}}, 1, 1, true)));
    text(files, "corrupt.json", "{\"format\": \"clmix-model\", \"formatVersion\": 1, \"algo\": \"kmeans\", "
        + "\"nFeaturesIn\": 2, \"nClusters\": 2, \"clusterCenters\": [[1,2],[3");
    text(files, "v7.json", "{\"format\": \"clmix-model\", \"formatVersion\": 7, \"algo\": \"kmeans\", \"nFeaturesIn\": 2}");
    text(files, "notmodel.json", "{\"format\": \"x\"}");
    text(files, "emptymodel.json", "");
    text(files, "algo.json", "{\"format\": \"clmix-model\", \"formatVersion\": 1, \"algo\": \"dbscan\", \"nFeaturesIn\": 2}");
    text(files, "nofield.json", "{\"format\": \"clmix-model\", \"formatVersion\": 1, \"algo\": \"kmeans\", "
        + "\"nFeaturesIn\": 2, \"nClusters\": 1}");
    // Rows some 1e20 from any model above: their float32 distances overflow.
    text(files, "far.csv", "1e20,1e20\n-1e20,3\n1,2\n");
    text(files, "nanmodel.json", "{\"format\": \"clmix-model\", \"formatVersion\": 1, \"algo\": \"kmeans\", "
        + "\"nFeaturesIn\": 2, \"nClusters\": 1, \"clusterCenters\": [[1, \"NaN\"]], \"inertia\": 1, \"nIter\": 1,"
        + " \"converged\": true}");
    // A two-component mixture (2 columns) edited: weights that do not sum to 1, a negative one.
    String mixture = ModelJson.toJson(new GaussianMixtureModel(CovarianceType.SPHERICAL, new double[] {0.5, 0.5},
        new double[][] {{1, 2}, {6, 7}}, new double[] {1, 1}, true, 1, -1));
    text(files, "mixture.json", mixture);
    text(files, "wsum.json", weights(mixture, "0.75, 0.75"));
    text(files, "negweight.json", weights(mixture, "1.5, -0.5"));
    // Hand-edited values the model constructors refuse: the message names the file and field.
    text(files, "neginertia.json", model(-5, "[[1, 2], [6, 7]]"));
    text(files, "bigcentre.json", model(1, "[[1, 2], [1e39, 7]]"));
    // A centre cut short to one value, and one centre of two: counts of one are singular.
    text(files, "shortcentre.json", model(1, "[[1, 2], [7]]"));
    text(files, "onecentre.json", model(1, "[[1, 2]]"));
    // Beyond a double: the tree holds Infinity, the message quotes the file's text.
    text(files, "hugemodel.json", model(1, "[[1, 2], [1e400, 7]]"));
    text(files, "bigmean.json", mixture.replaceFirst("\"means\" : \\[ \\[ 1.0", "\"means\" : [ [ 1e39"));
    // A model followed by more text: garbage on the next line, or the same model again.
    String model = ModelJson.toJson(new KMeansModel(new double[][] {{1, 2}, {6, 7}}, 1, 1, true));
    text(files, "trailing.json", model + "garbage\n");
    text(files, "twice.json", model + model);
    // The model in Latin-1: its 'é' is the byte 0xe9, which is not UTF-8 (byte 23 of the file).
    files.put("latin1.json", "{\"format\": \"clmix-model\u00e9\"}".getBytes(StandardCharsets.ISO_8859_1));
    for (Map.Entry<String, String> e : EXISTING_OUTPUTS.entrySet()) {
      text(files, e.getKey(), e.getValue());
    }
    for (Map.Entry<String, byte[]> f : files.entrySet()) {
      Files.write(dir.resolve(f.getKey()), f.getValue());
    }
    // A loop of symbolic links: loop.json -> loopback.json -> loop.json leads to no file.
    Files.createSymbolicLink(dir.resolve("loop.json"), Path.of("loopback.json"));
    Files.createSymbolicLink(dir.resolve("loopback.json"), Path.of("loop.json"));
    Files.createDirectories(dir.resolve("folder.csv"));
    Files.createDirectories(dir.resolve("folder"));
    Files.setPosixFilePermissions(dir.resolve(UNREADABLE), EnumSet.noneOf(PosixFilePermission.class));
  }

  /** A two-centre K-means model (2 columns) with the given inertia and centres, as written by hand. */
  private static String model(double inertia, String centres) {
    return "{\"format\": \"clmix-model\", \"formatVersion\": 1, \"algo\": \"kmeans\", \"nFeaturesIn\": 2, "
        + "\"nClusters\": 2, \"clusterCenters\": " + centres + ", \"inertia\": " + inertia + ", \"nIter\": 1, "
        + "\"converged\": true}";
  }

  /** {@code json} (a mixture model) with its weights array replaced by {@code values}. */
  private static String weights(String json, String values) {
    String edited = json.replaceFirst("\"weights\" : \\[[^\\]]*\\]", "\"weights\" : [ " + values + " ]");
    if (edited.equals(json)) {
      throw new IllegalStateException("no weights array in " + json);
    }
    return edited;
  }

  private static void text(Map<String, byte[]> files, String name, String content) {
    files.put(name, content.getBytes(StandardCharsets.UTF_8));
  }

  /** A version-1 {@code .npy} file with the given dtype, shape and payload. */
  static byte[] npy(String descr, String shape, byte[] payload) {
    String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shape + ", }";
    int total = (10 + dict.length() + 1 + 63) / 64 * 64;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(0x93);
    out.writeBytes("NUMPY".getBytes(StandardCharsets.US_ASCII));
    out.write(1);
    out.write(0);
    int headerLength = total - 10;
    out.write(headerLength & 0xff);
    out.write(headerLength >> 8);
    out.writeBytes(dict.getBytes(StandardCharsets.US_ASCII));
    for (int i = dict.length(); i < headerLength - 1; i++) {
      out.write(' ');
    }
    out.write('\n');
    out.writeBytes(payload);
    return out.toByteArray();
  }

  private static byte[] floats(float... v) {
    ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
    for (float x : v) {
      b.putFloat(x);
    }
    return b.array();
  }

  private static byte[] doubles(double... v) {
    ByteBuffer b = ByteBuffer.allocate(8 * v.length).order(ByteOrder.LITTLE_ENDIAN);
    for (double x : v) {
      b.putDouble(x);
    }
    return b.array();
  }
}
