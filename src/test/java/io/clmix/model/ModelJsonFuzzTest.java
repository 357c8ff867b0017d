package io.clmix.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.clmix.data.InputException;
import java.nio.charset.StandardCharsets;

/**
 * Coverage-guided fuzzing of the model-file reader with Jazzer: any text either reads as a
 * model, which then writes back to a document that reads as the same model, or fails with the
 * documented one-line {@link InputException}. Seeds (valid K-means and mixture models of every
 * covariance type) are in {@code src/test/resources/io/clmix/model/ModelJsonFuzzTestInputs/}.
 * See {@code io.clmix.data.DataFileFuzzTest} for how the modes run.
 */
class ModelJsonFuzzTest {

  @FuzzTest(maxDuration = "15s")
  void modelJson(byte[] input) {
    String text = new String(input, StandardCharsets.UTF_8);
    Model m;
    try {
      m = ModelJson.fromJson(text, "model.json");
    } catch (InputException expected) {
      String msg = expected.getMessage();
      assertFalse(msg == null || msg.isBlank() || msg.contains("\n") || msg.contains("\r"), "message: " + msg);
      return;
    }
    // What was accepted must survive a round trip unchanged.
    String again = ModelJson.toJson(m);
    assertEquals(again, ModelJson.toJson(ModelJson.fromJson(again, "again.json")));
  }
}
