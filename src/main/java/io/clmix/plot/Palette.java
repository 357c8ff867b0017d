package io.clmix.plot;

import java.awt.Color;

/**
 * Colours for clusters: matplotlib's "tab10" for the first ten (the colours scikit-learn's
 * examples use, so pictures look familiar), darker then lighter shades of them for the next
 * twenty, then hues spaced by the golden angle, which stay distinct for any number.
 */
public final class Palette {
  private static final Color[] TAB10 = {
      new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c), new Color(0xd62728), new Color(0x9467bd),
      new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f), new Color(0xbcbd22), new Color(0x17becf)};
  private static final float GOLDEN_ANGLE = 0.381966f;

  private Palette() {}

  /** The opaque colour of cluster {@code c} (0-based). */
  public static Color cluster(int c) {
    if (c < TAB10.length) {
      return TAB10[c];
    }
    // Clusters 10-19 and 20-29 take darker and lighter shades of the first ten: a shade of a
    // known hue stays easier to tell apart than a new hue squeezed between two of them.
    if (c < 2 * TAB10.length) {
      Color base = TAB10[c - TAB10.length];
      return new Color((int) (base.getRed() * 0.55), (int) (base.getGreen() * 0.55), (int) (base.getBlue() * 0.55));
    }
    if (c < 3 * TAB10.length) {
      Color base = TAB10[c - 2 * TAB10.length];
      return new Color(lighter(base.getRed()), lighter(base.getGreen()), lighter(base.getBlue()));
    }
    float hue = ((c - 3 * TAB10.length) * GOLDEN_ANGLE) % 1f;
    // Alternate the brightness so neighbouring hues differ in two ways.
    return Color.getHSBColor(hue, 0.75f, c % 2 == 0 ? 0.85f : 0.6f);
  }

  /** The same colour with alpha {@code alpha} (0 transparent .. 255 opaque). */
  public static Color withAlpha(Color c, int alpha) {
    return new Color(c.getRed(), c.getGreen(), c.getBlue(), alpha);
  }

  /** A darker shade (outlines, ellipses), still recognisably the cluster's colour. */
  public static Color dark(Color c) {
    return new Color((int) (c.getRed() * 0.6), (int) (c.getGreen() * 0.6), (int) (c.getBlue() * 0.6));
  }

  /**
   * The probability-weighted mixture of the cluster colours: a point that is 50/50 between a
   * blue and an orange cluster is drawn half way between them, a certain one in its cluster's
   * own colour.
   */
  public static Color mix(double[] probabilities, int alpha) {
    double r = 0;
    double g = 0;
    double b = 0;
    double total = 0;
    for (int c = 0; c < probabilities.length; c++) {
      double p = probabilities[c];
      if (p > 0) {
        Color col = cluster(c);
        r += p * col.getRed();
        g += p * col.getGreen();
        b += p * col.getBlue();
        total += p;
      }
    }
    if (!(total > 0)) {
      return new Color(128, 128, 128, alpha);
    }
    return new Color(clamp(r / total), clamp(g / total), clamp(b / total), alpha);
  }

  private static int lighter(int v) {
    return v + (int) ((255 - v) * 0.5);
  }

  private static int clamp(double v) {
    return (int) Math.max(0, Math.min(255, Math.round(v)));
  }
}
