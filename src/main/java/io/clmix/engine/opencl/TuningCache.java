package io.clmix.engine.opencl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.clmix.data.InputException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * Kernel tunings measured on a device by {@code clmix tune} (io.clmix.bench.KernelTuner), kept
 * on disk so that every later engine on that device starts from them.
 *
 * <p>A tuning is a {@link KernelConfig#withOverrides} spec (such as {@code tiles=4,kg=8}; empty
 * when the defaults were fastest) stored in one JSON file per device, named after a hash of the
 * device's identity (platform, name, vendor, OpenCL and driver versions). It is used only while
 * it still describes the code that would run: the file records a fingerprint of the kernel
 * sources and clmix's version, and a tuning made for other kernels or another version is
 * {@link Status#STALE} and ignored (a tile shape that paid for old kernels may not pay, or
 * exist, for new ones). A file that cannot be read or parsed is {@link Status#UNREADABLE} and
 * ignored too: a cache must never stop a fit.
 *
 * <p>Where: the directory given by the system property {@value #DIR_PROPERTY}, else the
 * environment variable {@code CLMIX_CACHE_DIR}, else {@code $XDG_CACHE_HOME/clmix}, else
 * {@code ~/.cache/clmix}; tunings go in its {@code tuning/} folder. The system property
 * {@value #USE_PROPERTY}{@code =off} makes engines ignore every tuning (the defaults, as on a
 * machine that never ran {@code clmix tune}).
 *
 * <p>Reproducibility: a tuning changes tile shapes, so float32 sums inside work-groups run in
 * another order and results may differ in their last bits from the defaults'. On one device
 * with one tuning (or none), the same input still gives the same bits.
 */
public final class TuningCache {
  /** The system property naming the cache directory. */
  public static final String DIR_PROPERTY = "clmix.cacheDir";
  /** The system property that turns tunings off: {@code off}. */
  public static final String USE_PROPERTY = "clmix.opencl.tuning";
  /** The format written into every file; other formats are stale. */
  static final int FORMAT = 1;
  private static final ObjectMapper JSON = new ObjectMapper();

  /** What the cache holds for one device. */
  public enum Status {
    /** A tuning for this device, these kernels and this version: engines use it. */
    USED,
    /** No tuning for this device. */
    NONE,
    /** A tuning made for other kernel sources or another clmix version: ignored. */
    STALE,
    /** A file that could not be read, parsed or applied: ignored. */
    UNREADABLE,
    /** Tunings are turned off ({@value #USE_PROPERTY}=off). */
    OFF
  }

  /**
   * What {@link #lookup} found.
   *
   * @param status whether engines use it
   * @param spec the overrides to apply (empty: the defaults were fastest); null unless USED
   * @param file the device's tuning file (whether or not it exists); null when OFF
   * @param detail why a tuning is not used, or when it was made; for people
   */
  public record Lookup(Status status, String spec, Path file, String detail) {
    /** The configuration an engine on {@code device} gets from {@code defaults} and this lookup. */
    public KernelConfig apply(KernelConfig defaults) {
      return status == Status.USED ? defaults.withOverrides(spec) : defaults;
    }

    /** One line for people: what engines on the device use, and from where. */
    public String describe() {
      return switch (status) {
        case USED -> (spec.isEmpty() ? "tuned: the defaults were fastest" : "tuned: " + spec) + " (" + file + ")";
        case NONE -> "not tuned (clmix tune measures a tuning)";
        case STALE -> "not tuned: " + detail + " (" + file + "; clmix tune measures a new one)";
        case UNREADABLE -> "not tuned: " + detail + " (" + file + ")";
        case OFF -> "not tuned: tunings are off (-D" + USE_PROPERTY + "=off)";
      };
    }
  }

  private final Path dir;
  private final boolean enabled;
  private final String version;

  /**
   * A cache in {@code dir} (its {@code tuning/} folder holds the files) for clmix version
   * {@code version}; {@code enabled} false makes every lookup {@link Status#OFF}.
   */
  public TuningCache(Path dir, boolean enabled, String version) {
    this.dir = dir.resolve("tuning");
    this.enabled = enabled;
    this.version = version;
  }

  /** The cache the environment names (see the class comment), for the running clmix version. */
  public static TuningCache fromEnvironment() {
    String off = System.getProperty(USE_PROPERTY, "on").trim().toLowerCase(Locale.ROOT);
    if (!off.equals("on") && !off.equals("off")) {
      throw InputException.parameter("-D" + USE_PROPERTY, "'" + off + "'", "on or off");
    }
    return new TuningCache(defaultDir(), off.equals("on"), runningVersion());
  }

  /** The cache directory the environment names. */
  static Path defaultDir() {
    String p = System.getProperty(DIR_PROPERTY);
    if (p == null || p.isBlank()) {
      p = System.getenv("CLMIX_CACHE_DIR");
    }
    if (p != null && !p.isBlank()) {
      return Path.of(p);
    }
    String xdg = System.getenv("XDG_CACHE_HOME");
    if (xdg != null && !xdg.isBlank()) {
      return Path.of(xdg, "clmix");
    }
    return Path.of(System.getProperty("user.home"), ".cache", "clmix");
  }

  /** The implementation version of the running jar, or "dev" when run from classes. */
  public static String runningVersion() {
    String v = TuningCache.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }

  /** Whether engines use tunings at all. */
  public boolean enabled() {
    return enabled;
  }

  /** The file that holds (or would hold) the tuning of {@code device}. */
  public Path fileFor(ClDeviceInfo device) {
    String name = device.name().replaceAll("[^A-Za-z0-9]+", "-").replaceAll("(^-|-$)", "").toLowerCase(Locale.ROOT);
    if (name.length() > 40) {
      name = name.substring(0, 40);
    }
    return dir.resolve(name + "-" + sha256(identity(device)).substring(0, 16) + ".json");
  }

  /** What engines on {@code device} would use. Never throws: a broken file is reported, not raised. */
  public Lookup lookup(ClDeviceInfo device) {
    if (!enabled) {
      return new Lookup(Status.OFF, null, null, "tunings off");
    }
    Path file = fileFor(device);
    if (!Files.exists(file)) {
      return new Lookup(Status.NONE, null, file, "no tuning");
    }
    if (!Files.isRegularFile(file)) {
      // Reading a named pipe there would wait for a writer forever, and stop every fit.
      return new Lookup(Status.UNREADABLE, null, file, "not a regular file");
    }
    try {
      JsonNode root = JSON.readTree(Files.readString(file, StandardCharsets.UTF_8));
      if (root == null || !root.isObject()) {
        return new Lookup(Status.UNREADABLE, null, file, "not a JSON object");
      }
      if (root.path("format").asInt(-1) != FORMAT || !identity(device).equals(root.path("device").asText(null))) {
        return new Lookup(Status.STALE, null, file, "made by another clmix for another file format or device");
      }
      if (!kernelFingerprint().equals(root.path("kernels").asText(null))) {
        return new Lookup(Status.STALE, null, file, "made for other kernel sources");
      }
      if (!version.equals(root.path("clmix").asText(null))) {
        return new Lookup(Status.STALE, null, file, "made by clmix " + root.path("clmix").asText("?"));
      }
      JsonNode spec = root.get("config");
      if (spec == null || !spec.isTextual()) {
        return new Lookup(Status.UNREADABLE, null, file, "no \"config\" text");
      }
      // A spec that no longer parses (a tunable renamed) must not reach an engine.
      try {
        KernelConfig.defaultsFor(device).withOverrides(spec.asText());
      } catch (InputException e) {
        String why = e.getMessage();
        // The parser names the system property it usually reads; this text came from the file.
        why = why.replace("-D" + KernelConfig.OVERRIDES_PROPERTY + "=" + spec.asText() + ": ", "")
            .replace("-D" + KernelConfig.OVERRIDES_PROPERTY + ": ", "");
        return new Lookup(Status.UNREADABLE, null, file, "its config '" + spec.asText() + "' does not apply: " + why);
      }
      return new Lookup(Status.USED, spec.asText(), file, "made " + root.path("tunedAt").asText("?"));
    } catch (java.nio.charset.CharacterCodingException e) {
      return new Lookup(Status.UNREADABLE, null, file, "not UTF-8 text"); // its message: "Input length = 1"
    } catch (IOException | RuntimeException e) {
      String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().lines().findFirst().orElse("");
      return new Lookup(Status.UNREADABLE, null, file, why);
    }
  }

  /**
   * Writes {@code record} (made by {@link #newRecord} and filled by the tuner) as the tuning of
   * {@code device}: written to a temporary file and moved into place, so an engine never reads
   * half a file.
   *
   * @throws InputException when it cannot be written, naming the file
   */
  public Path store(ClDeviceInfo device, ObjectNode record) {
    Path file = fileFor(device);
    try {
      Files.createDirectories(file.getParent());
      Path tmp = Files.createTempFile(file.getParent(), ".tuning", ".tmp");
      try {
        Files.writeString(tmp, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(record) + "\n",
            StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } finally {
        Files.deleteIfExists(tmp);
      }
      return file;
    } catch (IOException e) {
      throw new InputException(file + ": cannot write the tuning: " + reason(e));
    }
  }

  /**
   * Checks that tunings can be written here, before minutes of measuring are spent: creates the
   * folder and a temporary file in it.
   *
   * @throws InputException naming the folder and how to choose another
   */
  public void checkWritable() {
    try {
      Files.createDirectories(dir);
      Files.delete(Files.createTempFile(dir, ".probe", ".tmp"));
    } catch (IOException | UnsupportedOperationException e) {
      throw new InputException(dir + ": cannot write kernel tunings here (" + e.getMessage()
          + "); choose another folder with CLMIX_CACHE_DIR or -D" + DIR_PROPERTY + ", or pass --dry-run");
    }
  }

  /** The folder that holds the tunings. */
  public Path folder() {
    return dir;
  }

  /**
   * Removes the tuning of {@code device}; returns whether there was one.
   *
   * @throws InputException when it cannot be removed, naming the file
   */
  public boolean remove(ClDeviceInfo device) {
    Path file = fileFor(device);
    if (!Files.exists(file, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return false; // deleteIfExists would fail where the cache folder is a file: then it holds no tuning either
    }
    try {
      return Files.deleteIfExists(file);
    } catch (IOException e) {
      throw new InputException(file + ": cannot remove the tuning: " + reason(e));
    }
  }

  /** Why {@code e} failed, without the file name a file system exception puts first. */
  private static String reason(IOException e) {
    return e instanceof java.nio.file.FileSystemException f && f.getReason() != null ? f.getReason() : e.getMessage();
  }

  /**
   * A record for {@code device} with the fields {@link #lookup} checks (format, device identity,
   * kernel fingerprint, version) and {@code config} = {@code spec}; the tuner adds its
   * measurements.
   */
  public ObjectNode newRecord(ClDeviceInfo device, String spec) {
    ObjectNode o = JSON.createObjectNode();
    o.put("format", FORMAT);
    o.put("device", identity(device));
    o.put("kernels", kernelFingerprint());
    o.put("clmix", version);
    o.put("config", spec);
    return o;
  }

  /** What makes two devices the same for a tuning: platform, name, vendor, OpenCL and driver versions. */
  static String identity(ClDeviceInfo d) {
    return String.join(" | ", d.platformName(), d.name(), d.vendor(), d.version(), d.driverVersion());
  }

  /** A hash of every kernel file an engine builds, in a fixed order. */
  static String kernelFingerprint() {
    KernelSource all = KernelSource.load(OpenClEngine.KMEANS, OpenClEngine.SEED, OpenClEngine.REDUCE,
        OpenClEngine.GMM, OpenClEngine.KMEANS_GEMM, OpenClEngine.KMEANS_PRUNED);
    return sha256(all.text()).substring(0, 32);
  }

  private static String sha256(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this Java runtime", e);
    }
  }
}
