package io.clmix.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Integer options ({@link ErrorHandler#wholeNumber}): written as digits or as a whole decimal
 * number ({@code --n 1e3}); anything else is refused naming the option and the value in
 * clmix's words, not picocli's "Invalid value for option '--k': 'two' is not an int".
 */
class IntegerOptionTest {
  @TempDir
  Path dir;

  @Test
  void digitsAndWholeDecimalNumbersAreIntegers() {
    assertEquals(42, ErrorHandler.integer("42"));
    assertEquals(-7, ErrorHandler.integer("-7"));
    assertEquals(3, ErrorHandler.integer("+3"));
    assertEquals(1000, ErrorHandler.integer("1e3"));
    assertEquals(25, ErrorHandler.integer("2.50e1"));
    assertEquals(2, ErrorHandler.integer("2.0"));
    assertEquals(0, ErrorHandler.integer("0.0e5"));
    assertEquals(Integer.MAX_VALUE, ErrorHandler.integer("2147483647"));
    assertEquals(Long.MAX_VALUE, ErrorHandler.longInteger("9223372036854775807"));
    assertEquals(Long.MIN_VALUE, ErrorHandler.longInteger("-9223372036854775808"));
  }

  @Test
  void anythingElseIsRefusedSayingWhy() {
    assertEquals("'two' is not an integer", refusal("two"));
    assertEquals("'1.5' is not an integer", refusal("1.5"));
    assertEquals("'1e-3' is not an integer", refusal("1e-3"));
    assertEquals("'0x10' is not an integer", refusal("0x10"));
    assertEquals("' 3' is not an integer", refusal(" 3"));
    assertEquals("'' is not an integer", refusal(""));
    assertEquals("'2147483648' is too large: at most 2147483647", refusal("2147483648"));
    assertEquals("'-2147483649' is too small: at least -2147483648", refusal("-2147483649"));
    // Huge exponents are compared, never expanded.
    assertEquals("'1e999999999' is too large: at most 2147483647", refusal("1e999999999"));
    assertEquals("'1e9999999999' is out of range: from -2147483648 to 2147483647", refusal("1e9999999999"));
    assertEquals("'1e-9999999999' is not an integer", refusal("1e-9999999999"));
    CommandLine.TypeConversionException tooLong =
        assertThrows(CommandLine.TypeConversionException.class, () -> ErrorHandler.longInteger("9223372036854775808"));
    assertEquals("'9223372036854775808' is too large: at most 9223372036854775807", tooLong.getMessage());
  }

  private static String refusal(String text) {
    return assertThrows(CommandLine.TypeConversionException.class, () -> ErrorHandler.integer(text)).getMessage();
  }

  @Test
  void theLineNamesTheOptionNotJavasType() {
    CliRun r = CliRun.of("fit", "good.csv", "--max-iter", "1.5", "-k", "2");
    assertEquals(2, r.status(), r.err());
    assertEquals("", r.out());
    assertEquals("clmix: error: --max-iter: '1.5' is not an integer (see 'clmix fit --help')\n", r.err());
    CliRun seed = CliRun.of("generate", "--n", "10", "--d", "2", "-k", "2", "--seed", "x", "--out", "x.npy");
    assertEquals("clmix: error: --seed: 'x' is not an integer (see 'clmix generate --help')\n", seed.err());
    CliRun tol = CliRun.of("fit", "good.csv", "-k", "2", "--tol", "abc");
    assertEquals("clmix: error: --tol: 'abc' is not a decimal number (see 'clmix fit --help')\n", tol.err());
  }

  @Test
  void aShortOptionRunIntoAFileNameSaysHowToNameTheFile() {
    // -k.csv is -k with the value '.csv'; meant as a data file named -k.csv.
    CliRun r = CliRun.of("fit", "-k.csv", "-k", "2");
    assertEquals(2, r.status(), r.err());
    assertEquals("clmix: error: --k: '.csv' is not an integer (see 'clmix fit --help'); a file whose name starts"
        + " with '-' is written ./-k.csv, or after '--'\n", r.err());
    // -k3 is an ordinary way to write -k 3: a wrong value there is not taken for a file.
    CliRun attached = CliRun.of("fit", "-ktwo", "good.csv");
    assertEquals("clmix: error: --k: 'two' is not an integer (see 'clmix fit --help')\n", attached.err());
  }

  @Test
  void aRowCountMayBeWrittenInScientificNotation() throws Exception {
    Path out = dir.resolve("blobs.csv");
    CliRun r = CliRun.of("generate", "--n", "1e3", "--d", "2", "-k", "2", "--out", out.toString());
    assertEquals(0, r.status(), r.err());
    assertEquals(1000, Files.readAllLines(out).size());
  }

  @Test
  void helpChecksItsArgumentsAsEveryCommandDoes() {
    // Picocli's help command ran as a help request, unchecked: 'clmix help -x' printed the overview, status 0.
    CliRun r = CliRun.of("help", "-x");
    assertEquals(2, r.status());
    assertEquals("", r.out());
    assertEquals("clmix: error: unknown option '-x' (see 'clmix help --help')\n", r.err());
    CliRun overview = CliRun.of("help");
    assertEquals(0, overview.status(), overview.err());
    assertEquals(CliRun.of("--help").out(), overview.out());
    CliRun fit = CliRun.of("help", "fit");
    assertEquals(0, fit.status(), fit.err());
    assertEquals(CliRun.of("fit", "--help").out(), fit.out());
    assertTrue(CliRun.of("help", "--help").out().startsWith("Usage: clmix help [-h] [COMMAND]"));
  }
}
