package io.clmix.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.clmix.engine.EngineInfo;
import io.clmix.model.CovarianceType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The table, CSV, JSON and chart of a report built from fixed measurements (no timing involved). */
class ReportFormatsTest {
  private static final HostInfo HOST = new HostInfo("AMD EPYC", 2, 24L << 30, "Linux", "JVM", 6L << 30);

  static BenchReport report() {
    BenchSpec spec = new BenchSpec(BenchSpec.Algo.GMM, CovarianceType.DIAG, 1000, 4, 3, 5, 2, 7);
    CostModel.Cost cost = CostModel.perIteration(spec);
    HostMemory.Sample mem = new HostMemory.Sample(300L << 20, true, 100L << 20);
    Measurement java = new Measurement("java", new EngineInfo("java", "Java engine, 2 threads", "java"), null, 0.01,
        Double.NaN, new double[] {0.004, 0.002, 0.003, 0.001}, -13.5, 1.9, mem);
    Measurement gpu = new Measurement("opencl:0:0", new EngineInfo("opencl:0:0", "NVIDIA H200", "gpu", "tuned: tiles=4"), null, 0.5,
        0.1, new double[] {0.001, 0.001, 0.001, 0.001}, -13.5 * (1 + 1e-6), Double.NaN, mem);
    Measurement broken = new Measurement("opencl:1:0", null, "no such OpenCL device, sorry", Double.NaN, Double.NaN,
        new double[0], Double.NaN, Double.NaN, new HostMemory.Sample(-1, false, 0));
    PeakTable peaks = PeakTable.known();
    List<BenchRow> rows = List.of(BenchRow.of(java, cost, peaks.peakOf(java.engine(), HOST), -13.5),
        BenchRow.of(gpu, cost, peaks.peakOf(gpu.engine(), HOST), -13.5),
        BenchRow.of(broken, cost, PeakTable.Peak.UNKNOWN, -13.5));
    return new BenchReport(spec, cost, HOST, 0.1, 0.5, 0.6, rows);
  }

  @Test
  void rowsCarryTheMedianAndTheRatesDerivedFromIt() {
    BenchRow java = report().rows().get(0);
    assertEquals(0.0025, java.secondsPerIteration(), 1e-15);
    assertEquals(0.001, java.minSecondsPerIteration());
    assertEquals(4, java.timedIterations());
    double flops = 1000.0 * 3 * 8 * 4;
    assertEquals(flops / 0.0025 / 1e9, java.gflops(), 1e-12);
    assertEquals(4.0 * 1000 * 4 / 0.0025 / 1e9, java.gbs(), 1e-12);
    assertEquals(java.gflops() / 191, java.flopFraction(), 1e-12);
    assertTrue(Double.isNaN(java.bandwidthFraction()));
    assertEquals(300, java.rssPeakMiB());
    assertEquals(1.9, java.cpuPerWall());
    assertEquals(0, java.objectiveRelDiff());
    assertEquals(1e-6, report().rows().get(1).objectiveRelDiff(), 1e-12);
  }

  @Test
  void csvHasAHeaderAndOneRecordPerDeviceWithTheWorkloadColumnsFirst() {
    String csv = ReportCsv.toCsv(report());
    String[] lines = csv.split("\n");
    assertEquals(4, lines.length);
    assertTrue(lines[0].startsWith("algo,covariance,n,d,k,iterations,repeats,seed,device,name,kind,status,error,"), lines[0]);
    int columns = lines[0].split(",").length;
    assertTrue(lines[1].startsWith("gmm,diag,1000,4,3,5,2,7,java,\"Java engine, 2 threads\",java,ok,,"), lines[1]);
    assertTrue(lines[0].endsWith(",objectiveRelDiff,kernels"), lines[0]);
    assertTrue(lines[2].endsWith(",tuned: tiles=4"), lines[2]);
    assertTrue(lines[3].contains(",failed,\"no such OpenCL device, sorry\","), lines[3]);
    // Unknown numbers are empty fields: the failed row has no time, rate or objective.
    assertTrue(lines[3].contains(",,,"), lines[3]);
    assertEquals(columns, report().rowFields(report().rows().get(0)).size());
  }

  @Test
  void aTsvFileGetsTabsATxtFileSpacesAndACsvFileCommas(@TempDir Path dir) throws Exception {
    int columns = report().rowFields(report().rows().get(0)).size();
    ReportCsv.write(dir.resolve("b.tsv"), report());
    List<String> tsv = Files.readAllLines(dir.resolve("b.tsv"));
    assertEquals(4, tsv.size());
    for (String line : tsv) {
      assertEquals(columns, line.split("\t", -1).length, line);
    }
    assertTrue(tsv.get(1).startsWith("gmm\tdiag\t1000\t4\t3\t5\t2\t7\tjava\tJava engine, 2 threads\tjava\tok\t\t"),
        "a comma needs no quotes between tabs: " + tsv.get(1));
    // The same rule as generate and predict --proba, the other text tables clmix writes.
    ReportCsv.write(dir.resolve("B.TXT"), report());
    List<String> txt = Files.readAllLines(dir.resolve("B.TXT"));
    assertTrue(txt.get(1).startsWith("gmm diag 1000 4 3 5 2 7 java \"Java engine, 2 threads\" java ok \"\" "), txt.get(1));
    assertFalse(txt.get(3).contains("  "), "an empty field is \"\", not a second space: " + txt.get(3));
    ReportCsv.write(dir.resolve("b.csv"), report());
    assertEquals(ReportCsv.toCsv(report()), Files.readString(dir.resolve("b.csv")));
  }

  @Test
  void jsonRowsHaveTheCsvColumnsAndNullsForUnknowns() throws Exception {
    JsonNode root = new ObjectMapper().readTree(ReportJson.toText(report()));
    assertEquals("gmm", root.get("spec").get("algo").asText());
    assertEquals("diag", root.get("spec").get("covariance").asText());
    assertEquals("nk(8d)", root.get("costModel").get("flopFormula").asText());
    assertEquals(3, root.get("rows").size());
    String header = ReportCsv.toCsv(report()).split("\n")[0];
    List<String> names = new ArrayList<>();
    for (Iterator<String> it = root.get("rows").get(0).fieldNames(); it.hasNext(); ) {
      names.add(it.next());
    }
    assertEquals(header, String.join(",", names));
    JsonNode failed = root.get("rows").get(2);
    assertEquals("failed", failed.get("status").asText());
    assertTrue(failed.get("secondsPerIteration").isNull());
    assertTrue(failed.get("objective").isNull());
    assertTrue(root.get("rows").get(0).get("peakGbs").isNull());
    assertEquals(67_000, root.get("rows").get(1).get("peakGflops").asDouble());
  }

  @Test
  void tableShowsFiguresNaAndTheReasonOfAFailure() {
    String table = ReportTable.toText(report());
    assertTrue(table.contains("gmm (diag) n=1000 d=4 k=3, 5 iterations"), table);
    assertTrue(table.contains("opencl:1:0  failed: no such OpenCL device, sorry"), table);
    String java = table.lines().filter(l -> l.startsWith("java ")).findFirst().orElseThrow();
    assertTrue(java.contains("0.0025"), java);
    assertTrue(java.contains("n/a"), java);
    assertTrue(table.contains("peak of opencl:0:0: NVIDIA H200 datasheet"), table);
    assertTrue(table.contains("kernels of opencl:0:0: tuned: tiles=4\n"), table);
    assertFalse(table.contains("kernels of java"), table);
    assertFalse(table.contains("NaN"), table);
  }

  @Test
  void aFailedDeviceKeepsItsPlaceOnTheChartWithoutABar() {
    System.setProperty("java.awt.headless", "true");
    var data = ReportChart.chart(report()).getCategoryPlot().getDataset();
    assertEquals(List.of("java", "opencl:0:0", "opencl:1:0 (failed)"), data.getColumnKeys());
    assertEquals(0.0025, data.getValue(0, 0).doubleValue(), 1e-15);
    assertEquals(null, data.getValue(0, 2), "no bar for the failed device");
  }

  @Test
  void chartsAreWrittenAsSvgOrPng(@TempDir Path dir) throws Exception {
    System.setProperty("java.awt.headless", "true");
    Path svg = dir.resolve("bench.svg");
    Path png = dir.resolve("bench.png");
    ReportChart.write(svg, report());
    ReportChart.write(png, report());
    assertTrue(Files.readString(svg).contains("<svg"));
    byte[] head = Files.readAllBytes(png);
    assertEquals((byte) 0x89, head[0]);
    assertEquals('P', head[1]);
  }
}
