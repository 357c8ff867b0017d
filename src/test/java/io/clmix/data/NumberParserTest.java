package io.clmix.data;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

class NumberParserTest {
  private final NumberParser p = new NumberParser();

  private void same(String s) {
    assertEquals(NumberParser.FINITE, p.parse(s), s);
    assertEquals(Double.doubleToLongBits(Double.parseDouble(s.strip())), Double.doubleToLongBits(p.value()), s);
  }

  @Test
  void agreesWithParseDoubleBitForBit() {
    for (String s : new String[] {"0", "-0", "+0.0", "1", "1.", ".5", "-.5e-3", "1e22", "1e23", "123456789012345",
        "1234567890123456789", "0.1", "0.30000000000000004", "4.9e-324", "1e-400", "1.7976931348623157e308",
        "9007199254740993", "  42  ", "\t-7.25\r", "00012.5000", "1E+5", "2.2250738585072014E-308", "3.4028235E38"}) {
      same(s);
    }
    Random r = new Random(1);
    for (int i = 0; i < 40_000; i++) {
      double v = switch (i % 4) {
        case 0 -> r.nextGaussian();
        case 1 -> Double.longBitsToDouble(r.nextLong());
        case 2 -> (float) (r.nextDouble() * 1e6);
        default -> Math.round(r.nextGaussian() * 1e4) / 1e4;
      };
      if (Double.isFinite(v)) {
        same(Double.toString(v));
        same(Float.toString((float) v).replace("Infinity", "1"));
        same(String.format("%.6e", v));
      }
    }
  }

  @Test
  void classifiesTheRest() {
    for (String s : new String[] {"", " ", "1f", "1d", "0x1p3", "1e", "e1", "--1", "+-1", "1..2", "1e1.5", "NaNa", "in f", "1_000"}) {
      assertEquals(NumberParser.NOT_A_NUMBER, p.parse(s), s);
    }
    for (String s : new String[] {"nan", "NAN", "-NaN", "inf", "+Inf", "-infinity", "Infinity"}) {
      assertEquals(NumberParser.NOT_FINITE, p.parse(s), s);
    }
    // Numbers as written, only beyond a double: too large, not an infinity the user wrote.
    for (String s : new String[] {"1e309", "-2e308", "1e400", "-1e99999999999", "17976931348623159e292"}) {
      assertEquals(NumberParser.OVERFLOW, p.parse(s), s);
    }
  }
}
