package io.clmix.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.clmix.engine.opencl.OpenClTestSupport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --device} with a list of OpenCL devices: the same device named twice gives the labels
 * and iterations of the device alone, and the JSON line names both. (The data here are one
 * chunk, which one device takes whole; {@code OpenClShardedTest} splits chunks across devices.)
 */
class DeviceListFitTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;

  @Test
  void theSameDeviceTwiceFitsAsTheDeviceAlone() throws IOException {
    String id = OpenClTestSupport.requireDevice().id();
    Path data = dir.resolve("blobs.npy");
    CliRun gen = CliRun.of("generate", "--n", "5000", "--d", "5", "-k", "4", "--seed", "3", "--out", data.toString());
    assertEquals(0, gen.status(), gen.err());
    for (String algo : new String[] {"kmeans", "gmm"}) {
      Path one = dir.resolve(algo + "-one.txt");
      Path two = dir.resolve(algo + "-two.txt");
      CliRun a = CliRun.of("fit", data.toString(), "--algo", algo, "-k", "4", "--device", id,
          "--labels-out", one.toString(), "--json");
      CliRun b = CliRun.of("fit", data.toString(), "--algo", algo, "-k", "4", "--device", id + "," + id,
          "--labels-out", two.toString(), "--json");
      assertEquals(0, a.status(), a.err());
      assertEquals(0, b.status(), b.err());
      assertEquals(Files.readString(one), Files.readString(two), algo + ": labels");
      JsonNode ja = JSON.readTree(a.lastLine());
      JsonNode jb = JSON.readTree(b.lastLine());
      assertEquals(ja.get("iterations").asInt(), jb.get("iterations").asInt(), algo + ": iterations");
      assertEquals(id + "," + id, jb.get("device").asText());
      assertTrue(jb.get("deviceName").asText().startsWith("2 devices: "), jb.get("deviceName").asText());
      assertTrue(jb.get("fallback").isNull(), "no fallback: " + jb.get("fallback"));
    }
  }
}
