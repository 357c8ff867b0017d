package io.clmix.engine.opencl;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Preprocessor definitions for a kernel build, such as {@code WG_SIZE=64} or the flag
 * {@code HAVE_FP64}: an immutable, typed map that renders as {@code -D NAME=value} options in
 * name order, so equal definitions always give the same option string (and the same
 * {@link ProgramCache} key). Tunables are values here rather than edits to the source, as in
 * CLBlast.
 */
public final class Defines {
  private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
  private static final Defines EMPTY = new Defines(new TreeMap<>());

  /** Name to value; {@code null} value for a flag. Sorted by name. */
  private final TreeMap<String, String> values;

  private Defines(TreeMap<String, String> values) {
    this.values = values;
  }

  /** No definitions. */
  public static Defines empty() {
    return EMPTY;
  }

  /** These definitions plus {@code name=value} (replacing an earlier value of {@code name}). */
  public Defines with(String name, long value) {
    return put(name, Long.toString(value));
  }

  /** These definitions plus the flag {@code name} (defined, no value), or without it when {@code on} is false. */
  public Defines flag(String name, boolean on) {
    if (!on) {
      checkName(name);
      if (!values.containsKey(name)) {
        return this;
      }
      TreeMap<String, String> copy = new TreeMap<>(values);
      copy.remove(name);
      return new Defines(copy);
    }
    return put(name, null);
  }

  private Defines put(String name, String value) {
    checkName(name);
    TreeMap<String, String> copy = new TreeMap<>(values);
    copy.put(name, value);
    return new Defines(copy);
  }

  private static void checkName(String name) {
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("not a preprocessor name: '" + name + "'");
    }
  }

  /** The value of {@code name} as a number, or {@code fallback} when it is not defined with a value. */
  public long get(String name, long fallback) {
    String v = values.get(name);
    return v == null ? fallback : Long.parseLong(v);
  }

  /** Whether {@code name} is defined (as a flag or with a value). */
  public boolean has(String name) {
    return values.containsKey(name);
  }

  /** The build options: {@code -D A=1 -D B -D C=3}, in name order; empty when there are none. */
  public String options() {
    StringBuilder sb = new StringBuilder();
    for (Map.Entry<String, String> e : values.entrySet()) {
      if (sb.length() > 0) {
        sb.append(' ');
      }
      sb.append("-D ").append(e.getKey());
      if (e.getValue() != null) {
        sb.append('=').append(e.getValue());
      }
    }
    return sb.toString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Defines other && values.equals(other.values);
  }

  @Override
  public int hashCode() {
    return Objects.hash(values);
  }

  @Override
  public String toString() {
    return options();
  }
}
