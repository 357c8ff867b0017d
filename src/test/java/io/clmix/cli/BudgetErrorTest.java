package io.clmix.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clmix.engine.opencl.KernelConfig;
import io.clmix.engine.opencl.OpenClTestSupport;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * A device memory budget too small for the data ({@code -Dclmix.opencl.config=budget=...}) is
 * the user's setting at fault: one error line, status 2, naming the setting and the least budget
 * it accepts for these data (not only "the budget is 1", which names no setting to change).
 */
class BudgetErrorTest {
  @TempDir
  Path dir;

  @ParameterizedTest
  @CsvSource({"500, 4", "50, 100"})
  void theLeastBudgetTheErrorNamesIsTheLeastThatWorks(int n, int d) {
    // 50 x 100 rows: the named budget puts the per-row state on the device, where it must hold it too.
    String id = OpenClTestSupport.requireDevice().id();
    Path data = dir.resolve("w.npy");
    assertEquals(0, CliRun.of("generate", "--n", "" + n, "--d", "" + d, "-k", "2", "--out", data.toString()).status());
    Matcher m = Pattern.compile("expected budget=(\\d+) or more").matcher(fitWithBudget(data, id, "1").err());
    assertTrue(m.find(), "names a budget");
    long least = Long.parseLong(m.group(1));
    CliRun ok = fitWithBudget(data, id, "" + least);
    assertEquals(0, ok.status(), "budget=" + least + ": " + ok.err());
    CliRun under = fitWithBudget(data, id, "" + (least - 1));
    assertEquals(2, under.status(), "budget=" + (least - 1) + ": " + under.err());
  }

  private static CliRun fitWithBudget(Path data, String device, String budget) {
    String previous = System.getProperty(KernelConfig.OVERRIDES_PROPERTY);
    System.setProperty(KernelConfig.OVERRIDES_PROPERTY, "budget=" + budget);
    try {
      return CliRun.of("fit", data.toString(), "-k", "2", "--max-iter", "2", "--device", device);
    } finally {
      if (previous == null) {
        System.clearProperty(KernelConfig.OVERRIDES_PROPERTY);
      } else {
        System.setProperty(KernelConfig.OVERRIDES_PROPERTY, previous);
      }
    }
  }

  @Test
  void aBudgetTooSmallForOneRowNamesTheSettingAndWhatItAccepts() {
    String id = OpenClTestSupport.requireDevice().id();
    Path data = dir.resolve("blobs.npy");
    CliRun gen = CliRun.of("generate", "--n", "500", "--d", "4", "-k", "2", "--out", data.toString());
    assertEquals(0, gen.status(), gen.err());
    String previous = System.getProperty(KernelConfig.OVERRIDES_PROPERTY);
    System.setProperty(KernelConfig.OVERRIDES_PROPERTY, "budget=1");
    try {
      CliRun r = CliRun.of("fit", data.toString(), "-k", "2", "--device", id);
      assertEquals(2, r.status(), r.err());
      String err = r.err().strip();
      assertEquals(1, err.lines().count(), err);
      assertTrue(err.startsWith("clmix: error: "), err);
      assertTrue(err.contains("-D" + KernelConfig.OVERRIDES_PROPERTY), "names the setting: " + err);
      // 500 x 4 rows with their state on the host: a buffer set of one row is 28 bytes, four of them.
      assertTrue(err.contains("budget=112"), "says the least budget it accepts: " + err);
    } finally {
      if (previous == null) {
        System.clearProperty(KernelConfig.OVERRIDES_PROPERTY);
      } else {
        System.setProperty(KernelConfig.OVERRIDES_PROPERTY, previous);
      }
    }
  }
}
