package io.clmix.engine.java;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * The fixture of the tests of the Java engine's vector passes: skipped where the Vector API
 * module is not present, and an engine of three threads (more than a two-CPU machine has, so
 * tasks interleave) opened before each test and closed after it.
 */
abstract class VectorEngineTest {
  protected JavaEngine engine;

  @BeforeEach
  void openVectorEngine() {
    assumeTrue(GaussianPass.VECTOR, "the Vector API module is not present");
    engine = new JavaEngine(3);
  }

  @AfterEach
  void closeVectorEngine() {
    if (engine != null) {
      engine.close();
    }
  }
}
