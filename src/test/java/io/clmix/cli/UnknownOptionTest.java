package io.clmix.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * A word that looks like an option and is none is named as an unknown option: with the
 * command's options it is close to (ErrorHandler's suggestions, no longer picocli's), and, where it is rather a file whose name starts with '-',
 * with how to name such a file, instead of a complaint that the file is missing.
 */
class UnknownOptionTest {
  private static final String FILE_ADVICE = "a file whose name starts with '-' is written ./-x.csv, or after '--'";

  @Test
  void aDataFileStartingWithADashIsAnUnknownOptionWithAdvice() {
    // Picocli said "Missing required parameter: 'DATA'", though the command line names the file.
    CliRun r = CliRun.of("fit", "-x.csv", "-k", "2");
    assertEquals(2, r.status(), r.err());
    assertEquals("", r.out());
    assertEquals("clmix: error: unknown option '-x.csv' (see 'clmix fit --help'); " + FILE_ADVICE + "\n", r.err());
    // After the data file, too (there picocli named it, without the advice).
    CliRun after = CliRun.of("fit", "good.csv", "-k", "2", "-x.csv");
    assertEquals("clmix: error: unknown option '-x.csv' (see 'clmix fit --help'); " + FILE_ADVICE + "\n", after.err());
    // A name without an extension, in the place of predict's missing DATA.
    CliRun predict = CliRun.of("predict", "model.json", "-data");
    assertEquals("clmix: error: unknown option '-data' (see 'clmix predict --help'); a file whose name starts"
        + " with '-' is written ./-data, or after '--'\n", predict.err());
  }

  @Test
  void afterTheEndOfOptionsMarkerADashNameIsAFile() throws Exception {
    CommandLine cl = Main.commandLine();
    CommandLine.ParseResult parsed = cl.parseArgs("fit", "-k", "2", "--", "-x.csv");
    FitCommand fit = (FitCommand) parsed.subcommand().commandSpec().userObject();
    assertEquals(Path.of("-x.csv"), fit.data);
    // Run: the file is looked for, and is not there.
    CliRun r = CliRun.of("fit", "-k", "2", "--", "-nowhere.csv");
    assertEquals("clmix: error: -nowhere.csv: cannot read: no such file or directory\n", r.err());
  }

  @Test
  void aMisspeltOptionGetsPicocliSuggestionAndNotItsValueAsAnOption() {
    // Picocli said "Unknown options: '--seeed', '3'": the 3 is the value meant for it.
    CliRun r = CliRun.of("fit", "good.csv", "-k", "2", "--seeed", "3");
    assertEquals(2, r.status(), r.err());
    assertEquals("clmix: error: unknown option '--seeed' (see 'clmix fit --help'); did you mean --seed?\n", r.err());
    CliRun eq = CliRun.of("fit", "good.csv", "-k", "2", "--covarience=diag");
    assertEquals("clmix: error: unknown option '--covarience=diag' (see 'clmix fit --help');"
        + " did you mean --covariance?\n", eq.err());
  }

  @Test
  void scikitLearnSpellingsAndNearMissesGetTheOption() {
    // An underscore used to count as a file name's character: these got the advice for files.
    assertEquals("clmix: error: unknown option '--n_init' (see 'clmix fit --help'); did you mean --n-init?\n",
        CliRun.of("fit", "good.csv", "-k", "2", "--n_init", "3").err());
    assertEquals("clmix: error: unknown option '--max_iter=5' (see 'clmix fit --help'); did you mean --max-iter?\n",
        CliRun.of("fit", "good.csv", "-k", "2", "--max_iter=5").err());
    // Picocli offered only options sharing the first two letters after the dashes: none here.
    assertTrue(CliRun.of("fit", "good.csv", "-k", "2", "--ninit", "3").err().contains("--n-init?"));
    // A word past an option's name: scikit-learn's covariance_type.
    assertEquals("clmix: error: unknown option '--covariance_type' (see 'clmix fit --help'); did you mean"
        + " --covariance?\n", CliRun.of("fit", "good.csv", "-k", "2", "--covariance_type", "diag").err());
  }

  @Test
  void farSuggestionsAndFileAdviceAreLeftOutWhereTheyWouldMislead() {
    // Picocli offers what shares two letters: --version for clmix --verbose.
    assertEquals("clmix: error: unknown option '--verbose' (see 'clmix --help')\n", CliRun.of("--verbose").err());
    assertEquals("clmix: error: unknown option '--clusters' (see 'clmix fit --help')\n",
        CliRun.of("fit", "good.csv", "-k", "2", "--clusters", "3").err());
    // '--bogus' where DATA is missing is a typo, not a file.
    assertEquals("clmix: error: unknown option '--bogus' (see 'clmix fit --help')\n",
        CliRun.of("fit", "-k", "2", "--bogus").err());
    // A missing file alone is still said so.
    assertEquals("clmix: error: Missing required parameter: 'DATA' (see 'clmix fit --help')\n",
        CliRun.of("fit", "-k", "2").err());
  }
}
