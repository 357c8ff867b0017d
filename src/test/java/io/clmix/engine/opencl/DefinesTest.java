package io.clmix.engine.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class DefinesTest {

  @Test
  void optionsAreInNameOrderWhateverTheInsertionOrder() {
    Defines a = Defines.empty().with("WG_SIZE", 64).flag("HAVE_FP64", true).with("DIM", 3);
    Defines b = Defines.empty().with("DIM", 3).with("WG_SIZE", 64).flag("HAVE_FP64", true);
    assertEquals("-D DIM=3 -D HAVE_FP64 -D WG_SIZE=64", a.options());
    assertEquals(a.options(), b.options());
    assertEquals(a, b);
    assertEquals(a.hashCode(), b.hashCode());
  }

  @Test
  void valuesReplaceAndFlagsCanBeCleared() {
    Defines a = Defines.empty().with("DIM", 3).with("DIM", 5).flag("HAVE_FP64", true);
    assertEquals(5, a.get("DIM", 0));
    assertEquals(7, a.get("MISSING", 7));
    Defines b = a.flag("HAVE_FP64", false);
    assertTrue(a.has("HAVE_FP64"));
    assertFalse(b.has("HAVE_FP64"));
    assertNotEquals(a, b);
    assertEquals("-D DIM=5", b.options());
    assertEquals("", Defines.empty().options());
  }

  @Test
  void namesMustBePreprocessorIdentifiers() {
    assertThrows(IllegalArgumentException.class, () -> Defines.empty().with("A B", 1));
    assertThrows(IllegalArgumentException.class, () -> Defines.empty().with("1X", 1));
    assertThrows(IllegalArgumentException.class, () -> Defines.empty().flag("-DX", true));
  }
}
