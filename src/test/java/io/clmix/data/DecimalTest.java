package io.clmix.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Options read numbers as the data files do: decimal only, non-finite spellings named. */
class DecimalTest {
  @Test
  void decimalNumbersParseToTheNearestDouble() {
    assertEquals(1e-3, Decimal.parse("1e-3"));
    assertEquals(0.5, Decimal.parse(".5"));
    assertEquals(5.0, Decimal.parse("5."));
    assertEquals(-20.0, Decimal.parse("-2E+1"));
    assertEquals(0.1, Decimal.parse(" 0.1 "), "blanks around the number are ignored, as in a data file");
    assertEquals(Double.parseDouble("3.141592653589793238"), Decimal.parse("3.141592653589793238"));
  }

  @Test
  void javaOnlySyntaxIsRefused() {
    for (String s : new String[] {"0x1p3", "1d", "2f", "1,5", "", "--1", "1e", "e5", "1 2"}) {
      NumberFormatException e = assertThrows(NumberFormatException.class, () -> Decimal.parse(s), s);
      assertEquals("'" + s + "' is not a decimal number", e.getMessage());
    }
  }

  @Test
  void nonFiniteSpellingsComeBackAsTheirValues() {
    assertTrue(Double.isNaN(Decimal.parse("nan")));
    assertTrue(Double.isNaN(Decimal.parse("NaN")));
    assertEquals(Double.POSITIVE_INFINITY, Decimal.parse("inf"));
    assertEquals(Double.NEGATIVE_INFINITY, Decimal.parse("-Infinity"));
    assertEquals(Double.POSITIVE_INFINITY, Decimal.parse("1e400"), "beyond a double");
    assertEquals(Double.NEGATIVE_INFINITY, Decimal.parse("-1e400"));
  }
}
