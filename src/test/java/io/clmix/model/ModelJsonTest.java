package io.clmix.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clmix.data.InputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the model reader accepts beyond the files clmix writes itself; what it refuses is in
 * docs/errors.md, tested by {@code ErrorCatalogTest}.
 */
class ModelJsonTest {
  private static final Model KMEANS = new KMeansModel(new double[][] {{1, 2}, {6, 7}}, 1, 1, true);

  @Test
  void aByteOrderMarkIsSkippedAsTheDataReadersSkipIt(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("bom.json");
    byte[] bom = {(byte) 0xef, (byte) 0xbb, (byte) 0xbf};
    byte[] json = ModelJson.toJson(KMEANS).getBytes(StandardCharsets.UTF_8);
    byte[] both = Arrays.copyOf(bom, bom.length + json.length);
    System.arraycopy(json, 0, both, bom.length, json.length);
    Files.write(file, both);
    assertEquals(ModelJson.toJson(KMEANS), ModelJson.toJson(ModelJson.read(file)));
  }

  /**
   * The one refusal tested here rather than in docs/errors.md: a number beyond a double is quoted
   * as the file writes it wherever it is (a scalar field, a nested array, negative, an integer
   * field), not as the '"Infinity"' of the parsed tree, and is too large, as the data readers
   * say, not "not a finite number": the file holds no infinity.
   */
  @Test
  void aNumberBeyondADoubleIsQuotedAsTheFileWritesIt() {
    String km = ModelJson.toJson(KMEANS);
    InputException scalar = assertThrows(InputException.class,
        () -> ModelJson.fromJson(km.replace("\"inertia\" : 1.0", "\"inertia\" : -2.5E+400"), "m.json"));
    assertEquals("m.json: field 'inertia': '-2.5E+400' is too large: a double holds magnitudes up to 1.8e308",
        scalar.getMessage());
    Model gm = new GaussianMixtureModel(CovarianceType.FULL, new double[] {0.5, 0.5}, new double[][] {{1, 2}, {6, 7}},
        new double[] {1, 0, 0, 1, 2, 0, 0, 2}, true, 1, -1);
    String json = ModelJson.toJson(gm);
    int at = json.indexOf("\"covariances\"");
    String deep = json.substring(0, at) + json.substring(at).replaceFirst("2\\.0", "1e999");
    InputException nested = assertThrows(InputException.class, () -> ModelJson.fromJson(deep, "g.json"));
    assertEquals("g.json: field 'covariances[1][0][0]': '1e999' is too large: a double holds magnitudes up to 1.8e308",
        nested.getMessage());
    // An integer field says what it accepts, with the number as the file writes it too.
    InputException iterations = assertThrows(InputException.class,
        () -> ModelJson.fromJson(km.replace("\"nIter\" : 1", "\"nIter\" : 1e400"), "m.json"));
    assertEquals("m.json: field 'nIter': '1e400' is not an integer in [0, 2147483647]", iterations.getMessage());
  }

  @Test
  void whitespaceAfterTheModelIsFine() {
    Model m = ModelJson.fromJson(ModelJson.toJson(KMEANS) + " \t\r\n\n", "model.json");
    assertEquals(ModelJson.toJson(KMEANS), ModelJson.toJson(m));
  }

  @Test
  void weightsRoundedToFloat32OrSixDigitsStillLoad() {
    // 100 unequal weights: a float32 export and a "%.6g" export of them, each summing to 1
    // only within the rounding of every weight.
    int k = 100;
    double[] exact = new double[k];
    double total = 0;
    for (int c = 0; c < k; c++) {
      exact[c] = 1 + c % 7 + 1.0 / (c + 3);
      total += exact[c];
    }
    double[] f32 = new double[k];
    double[] sixDigits = new double[k];
    for (int c = 0; c < k; c++) {
      exact[c] /= total;
      f32[c] = (float) exact[c];
      sixDigits[c] = Double.parseDouble(String.format(Locale.ROOT, "%.6g", exact[c]));
    }
    for (double[] w : new double[][] {exact, f32, sixDigits}) {
      GaussianMixtureModel m = (GaussianMixtureModel) ModelJson.fromJson(mixture(w), "mixture.json");
      assertArrayEquals(w, m.weights());
    }
  }

  @Test
  void weightsOffByMoreThanRoundingAreRefused() {
    InputException e = assertThrows(InputException.class,
        () -> ModelJson.fromJson(mixture(new double[] {0.5, 0.500002}), "mixture.json"));
    assertTrue(e.getMessage().startsWith("mixture.json: field 'weights': the weights sum to 1.00000"), e.getMessage());
  }

  @Test
  void aLowerBoundOfMinusInfinityReadsBack() {
    GaussianMixtureModel m = new GaussianMixtureModel(CovarianceType.SPHERICAL, new double[] {0.5, 0.5},
        new double[][] {{0}, {3}}, new double[] {1, 2}, false, 4, Double.NEGATIVE_INFINITY);
    String json = ModelJson.toJson(m);
    assertTrue(json.contains("\"-Infinity\""), json);
    GaussianMixtureModel back = (GaussianMixtureModel) ModelJson.fromJson(json, "m.json");
    assertEquals(Double.NEGATIVE_INFINITY, back.lowerBound());
    assertArrayEquals(m.covariances(), back.covariances(), 0);
    // Only that spelling, and only minus infinity: anything else is still not a number.
    for (String other : new String[] {"\"Infinity\"", "\"-inf\"", "\"NaN\""}) {
      String text = json.replace("\"-Infinity\"", other);
      InputException e = assertThrows(InputException.class, () -> ModelJson.fromJson(text, "m.json"), other);
      assertTrue(e.getMessage().startsWith("m.json: field 'lowerBound': "), e.getMessage());
    }
  }

  /**
   * Another tool's export with 6 significant digits in every field: the precision factors
   * recomputed from the rounded covariances differ from the file's by the rounding times the
   * covariances' conditioning, which the check allows; a factor changed by 1% is refused,
   * naming its entry as JSON nests it.
   */
  @Test
  void precisionFactorsRoundedToSixDigitsLoadAndChangedOnesAreNamed() {
    GaussianMixtureModel full = new GaussianMixtureModel(CovarianceType.FULL, new double[] {0.3, 0.7},
        new double[][] {{0.123456789, 2}, {5, -1.987654321}},
        new double[] {2.345678901, 0.987654321, 0.987654321, 1.123456789, 0.5, -0.123456789, -0.123456789, 0.3333333333},
        true, 5, -2.5);
    String json = ModelJson.toJson(full);
    java.util.regex.Matcher numbers = java.util.regex.Pattern.compile("-?\\d+\\.\\d+(E-?\\d+)?").matcher(json);
    String rounded = numbers.replaceAll(r -> String.format(Locale.ROOT, "%.6g", Double.parseDouble(r.group())));
    assertTrue(!rounded.equals(json) && rounded.contains("0.987654"), rounded);
    GaussianMixtureModel back = (GaussianMixtureModel) ModelJson.fromJson(rounded, "r6.json");
    assertArrayEquals(full.covariances(), back.covariances(), 1e-5);

    double factor = full.precisionsCholesky()[1]; // component 0, row 0, column 1 (U is upper triangular)
    String edited = json.replaceFirst(java.util.regex.Pattern.quote(Double.toString(factor)),
        Double.toString(factor * 1.01 + 0.01));
    InputException e = assertThrows(InputException.class, () -> ModelJson.fromJson(edited, "e.json"));
    assertTrue(e.getMessage().startsWith("e.json: field 'precisionsCholesky[0][0][1]': "), e.getMessage());
    assertTrue(e.getMessage().endsWith("the two fields disagree by more than 1e-3 of the component's largest factor"),
        e.getMessage());
  }

  /**
   * The JSON parser's advice to programmers (enable a read feature, raise a constraint) is
   * left out of what a user reads; what is wrong with the file stays.
   */
  @Test
  void brokenJsonIsDescribedWithoutTheParsersAdviceToProgrammers() {
    String nan = "{\"format\": \"clmix-model\", \"inertia\": NaN}";
    String comment = "// a model\n{\"format\": \"clmix-model\"}";
    String deep = "[".repeat(2000) + "]".repeat(2000);
    String[][] cases = {
        {nan, "n.json: not a valid model file: broken JSON at line 1, column 41 (non-standard token 'NaN')"},
        {comment, "c.json: not a valid model file: broken JSON at line 1, column 1 (unexpected character ('/' (code 47)):"
            + " a comment, which JSON does not have)"},
        {deep, "d.json: not a valid model file: broken JSON (document nesting depth (1001)"
            + " exceeds the maximum allowed (1000))"}};
    for (String[] c : cases) {
      String name = c[1].substring(0, c[1].indexOf(':'));
      InputException e = assertThrows(InputException.class, () -> ModelJson.fromJson(c[0], name));
      assertEquals(c[1], e.getMessage());
    }
  }

  /** A spherical mixture of {@code weights.length} components in one dimension, as JSON. */
  private static String mixture(double[] weights) {
    int k = weights.length;
    String ones = Arrays.stream(new double[k]).mapToObj(x -> "1.0").collect(Collectors.joining(", "));
    String means = Arrays.stream(new double[k]).mapToObj(x -> "[0.0]").collect(Collectors.joining(", "));
    String w = Arrays.stream(weights).mapToObj(Double::toString).collect(Collectors.joining(", "));
    return "{\"format\": \"clmix-model\", \"formatVersion\": 1, \"algo\": \"gmm\", \"nFeaturesIn\": 1,"
        + " \"nComponents\": " + k + ", \"covarianceType\": \"spherical\", \"weights\": [" + w + "],"
        + " \"means\": [" + means + "], \"covariances\": [" + ones + "], \"precisionsCholesky\": [" + ones + "],"
        + " \"converged\": true, \"nIter\": 1, \"lowerBound\": -1.0}";
  }
}
