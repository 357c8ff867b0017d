package io.clmix.data;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A small mutation fuzzer: damaged versions of valid files must either read or fail with an
 * {@link InputException}; anything else escaping a reader is a bug.
 */
class ReaderFuzzTest {
  private static final int ROUNDS = 600;

  @TempDir Path dir;

  private static byte[] mutate(byte[] seed, Random r) {
    byte[] b = seed.clone();
    int edits = 1 + r.nextInt(4);
    for (int e = 0; e < edits; e++) {
      switch (r.nextInt(6)) {
        case 0 -> { // flip a byte
          if (b.length > 0) {
            b[r.nextInt(b.length)] = (byte) r.nextInt(256);
          }
        }
        case 1 -> b = java.util.Arrays.copyOf(b, r.nextInt(b.length + 1)); // truncate
        case 2 -> { // insert interesting bytes
          byte[] ins = switch (r.nextInt(8)) {
            case 0 -> ",".getBytes();
            case 1 -> "\"".getBytes();
            case 2 -> "\n".getBytes();
            case 3 -> "nan".getBytes();
            case 4 -> "((((".getBytes();
            case 5 -> "99999999999999999999".getBytes();
            case 6 -> new byte[] {(byte) 0xff, (byte) 0xfe, 0};
            default -> "\r\n#".getBytes();
          };
          int at = r.nextInt(b.length + 1);
          byte[] nb = new byte[b.length + ins.length];
          System.arraycopy(b, 0, nb, 0, at);
          System.arraycopy(ins, 0, nb, at, ins.length);
          System.arraycopy(b, at, nb, at + ins.length, b.length - at);
          b = nb;
        }
        case 3 -> { // overwrite a header digit, so shapes and lengths go wrong
          for (int i = 0; i < b.length && i < 128; i++) {
            if (b[i] >= '0' && b[i] <= '9' && r.nextInt(4) == 0) {
              b[i] = (byte) ('0' + r.nextInt(10));
            }
          }
        }
        case 4 -> { // set a length byte to something large
          if (b.length > 11) {
            b[8 + r.nextInt(4)] = (byte) (r.nextBoolean() ? 0xff : r.nextInt(256));
          }
        }
        default -> { // random junk appended
          byte[] junk = new byte[r.nextInt(20)];
          r.nextBytes(junk);
          byte[] nb = java.util.Arrays.copyOf(b, b.length + junk.length);
          System.arraycopy(junk, 0, nb, b.length, junk.length);
          b = nb;
        }
      }
    }
    return b;
  }

  private void fuzz(String name, byte[][] seeds, Consumer<Path> reader, long seedValue) throws IOException {
    Random r = new Random(seedValue);
    Path f = dir.resolve(name);
    for (int round = 0; round < ROUNDS; round++) {
      byte[] input = mutate(seeds[r.nextInt(seeds.length)], r);
      Files.write(f, input);
      try {
        reader.accept(f);
      } catch (InputException expected) {
        if (expected.getMessage().contains("\n")) {
          fail("message spans lines: " + expected.getMessage());
        }
      } catch (RuntimeException | Error e) {
        throw new AssertionError("round " + round + ": " + e + " for input "
            + java.util.Base64.getEncoder().encodeToString(input), e);
      }
    }
  }

  private static byte[][] npySeeds() {
    double[][] x = {{1, 2, 3}, {4, 5, 6}, {7, 8, 9.5}};
    return new byte[][] {
      NpyBytes.of("<f8", false, 3, 3).values(x, 8, ByteOrder.LITTLE_ENDIAN, false).bytes(),
      NpyBytes.of(">f4", true, 3, 3).values(x, 4, ByteOrder.BIG_ENDIAN, true).version(2).bytes(),
      NpyBytes.of("<f4", false, 3, 3).values(x, 4, ByteOrder.LITTLE_ENDIAN, false).version(3).bytes(),
      NpyBytes.of("<f8", false, 9).values(new double[][] {{1}, {2}, {3}, {4}, {5}, {6}, {7}, {8}, {9}}, 8,
          ByteOrder.LITTLE_ENDIAN, false).bytes(),
    };
  }

  private static byte[][] textSeeds() {
    return new byte[][] {
      "a,b,c\n1,2,3\n4,5.5,-6e2\n".getBytes(StandardCharsets.UTF_8),
      "# c\r\n\"x\",\"y\"\r\n1,\"2\"\r\n\r\n3,4\r\n".getBytes(StandardCharsets.UTF_8),
      "1 2\t3\n  4 5 6\n".getBytes(StandardCharsets.UTF_8),
      "w\n1\n2\n3\n".getBytes(StandardCharsets.UTF_8),
    };
  }

  @Test
  void npyReaders() throws IOException {
    byte[][] seeds = npySeeds();
    ReadOptions mapped = ReadOptions.defaults().withChunkRows(2).withMapThreshold(0);
    fuzz("f.npy", seeds, f -> DataFiles.read(f), 1);
    fuzz("f.npy", seeds, f -> {
      Dataset ds = DataFiles.read(f, mapped);
      ds.columnVariance(); // touch every mapped value
    }, 2);
    fuzz("f.npy", seeds, f -> NpyReader.read(f, ReadOptions.defaults(), 16), 3);
    fuzz("f.npy", seeds, f -> DataFiles.readVector(f, -1, "weights"), 4);
    fuzz("f.npy", seeds, f -> DataFiles.readMatrix(f, "centres"), 5);
  }

  @Test
  void textReaders() throws IOException {
    byte[][] seeds = textSeeds();
    for (String name : new String[] {"f.csv", "f.tsv", "f.txt"}) {
      fuzz(name, seeds, f -> DataFiles.read(f, ReadOptions.defaults().withChunkRows(1)), 6);
      fuzz(name, seeds, f -> DataFiles.readVector(f, -1, "weights"), 7);
      fuzz(name, seeds, f -> DataFiles.readMatrix(f, "centres"), 8);
    }
  }

  @Test
  void randomBytes() throws IOException {
    Random r = new Random(9);
    for (String name : new String[] {"r.npy", "r.csv", "r.txt", "r.tsv"}) {
      Path f = dir.resolve(name);
      for (int round = 0; round < 500; round++) {
        byte[] b = new byte[r.nextInt(200)];
        r.nextBytes(b);
        if (name.endsWith(".npy") && b.length > 8 && r.nextBoolean()) {
          System.arraycopy(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}, 0, b, 0, 8);
        }
        Files.write(f, b);
        try {
          DataFiles.read(f);
        } catch (InputException expected) {
          // fine
        }
      }
    }
  }
}
