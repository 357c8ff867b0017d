package io.clmix.model;

import io.clmix.data.Dataset;
import io.clmix.data.InputException;
import io.clmix.data.Labels;
import io.clmix.engine.Centroids;
import io.clmix.engine.DataSession;
import io.clmix.engine.Engine;
import io.clmix.engine.PointSink;
import io.clmix.engine.java.JavaEngine;

/**
 * A fitted K-means model: k centres in the data's own coordinates. Immutable, so one model
 * serves any number of threads.
 *
 * <p>Every point belongs to the Voronoi cell of its nearest centre (squared Euclidean
 * distance; ties go to the lower index) — no maybe. {@link GaussianMixtureModel} is the soft,
 * shaped generalisation.
 *
 * <p>Methods that take no {@link Engine} run on a Java engine created for the call; pass an
 * engine to run on a device (it stays open). Every method that takes data refuses null data,
 * and data of another number of columns than {@link #d()}, with an {@link InputException};
 * a row so far from every centre that its squared distance overflows float32 is a
 * {@link RowOutOfRange} (an InputException) naming the row. A closed engine is an
 * {@link IllegalStateException}.
 */
public final class KMeansModel implements Model {
  private final double[][] centres;
  private final double inertia;
  private final int iterations;
  private final boolean converged;

  /**
   * @param centres k rows of d values in the data's own coordinates; copied
   * @param inertia the training inertia (sum of weighted squared distances)
   * @param iterations Lloyd iterations of the kept run
   * @param converged whether the kept run converged before maxIter
   */
  public KMeansModel(double[][] centres, double inertia, int iterations, boolean converged) {
    if (centres == null || centres.length == 0 || centres[0] == null || centres[0].length == 0) {
      throw new InputException("a K-means model needs at least one centre of at least one value");
    }
    int d = centres[0].length;
    this.centres = new double[centres.length][];
    for (int i = 0; i < centres.length; i++) {
      if (centres[i] == null || centres[i].length != d) {
        throw new InputException("centre " + i + " has " + (centres[i] == null ? "no" : centres[i].length)
            + " values; expected " + d);
      }
      for (double v : centres[i]) {
        if (!Double.isFinite(v)) {
          // InputException: the cause is data a fit could not handle, and the user can act on it.
          throw new InputException("centre " + i + " has a non-finite value " + v + "; a K-means model holds"
              + " finite centres only (scale the data or remove extreme outliers)");
        }
        if (Math.abs(v) > Float.MAX_VALUE) {
          throw new InputException("centre " + i + " has the value " + v + ", beyond float32's range (3.4e38) in which"
              + " the engines compute; scale the data");
        }
      }
      this.centres[i] = centres[i].clone();
    }
    if (!(inertia >= 0) || inertia == Double.POSITIVE_INFINITY) {
      throw new InputException("the inertia is " + inertia + "; a fitted K-means model has a finite sum of squares >= 0"
          + " there");
    }
    if (iterations < 0) {
      throw new InputException("iterations: " + iterations + " is not allowed; expected an integer >= 0");
    }
    this.inertia = inertia;
    this.iterations = iterations;
    this.converged = converged;
  }

  @Override
  public String algo() {
    return "kmeans";
  }

  /** Number of clusters. */
  @Override
  public int k() {
    return centres.length;
  }

  /** Number of features. */
  @Override
  public int d() {
    return centres[0].length;
  }

  /** The centres (scikit-learn's {@code cluster_centers_}), k x d; a copy. */
  public double[][] clusterCenters() {
    double[][] out = new double[centres.length][];
    for (int i = 0; i < out.length; i++) {
      out[i] = centres[i].clone();
    }
    return out;
  }

  /**
   * How many of the centres differ from every other (exactly: equal centres are one cluster).
   * Fewer than {@link #k()} when the data held fewer distinct points of positive weight than k:
   * the repeated centres are clusters that are not there (their labels go to the lowest index),
   * which {@code clmix fit} warns of, as scikit-learn's {@code ConvergenceWarning} does.
   */
  public int distinctCenters() {
    java.util.Set<java.util.List<Double>> seen = new java.util.HashSet<>();
    for (double[] c : centres) {
      seen.add(java.util.Arrays.stream(c).boxed().toList());
    }
    return seen.size();
  }

  /** Training inertia. */
  public double inertia() {
    return inertia;
  }

  /** Lloyd iterations of the kept run. */
  public int iterations() {
    return iterations;
  }

  /** Whether the kept run converged. */
  public boolean converged() {
    return converged;
  }

  /** The centres in {@code data}'s local coordinates, as an engine takes them. */
  public Centroids centroidsFor(Dataset data) {
    checkDims(data);
    double[][] local = new double[centres.length][];
    for (int i = 0; i < centres.length; i++) {
      local[i] = data.toLocal(centres[i]);
    }
    return Centroids.of(local);
  }

  /** The nearest centre of every row. */
  public Labels predict(Dataset data) {
    try (JavaEngine engine = JavaEngine.create()) {
      return predict(data, engine);
    }
  }

  /** The nearest centre of every row, computed on {@code engine}. */
  @Override
  public Labels predict(Dataset data, Engine engine) {
    checkDims(data);
    Labels out = Labels.zeros(data);
    transform(data, engine, (chunk, firstRow, rows, labels, values, components) ->
        System.arraycopy(labels, 0, out.chunk(chunk), 0, rows));
    return out;
  }

  /**
   * Streams, per row, the nearest centre, the squared distance to it and, when the sink asks,
   * the squared distances to every centre (scikit-learn's {@code transform} squared).
   */
  public void transform(Dataset data, Engine engine, PointSink sink) {
    Centroids c = centroidsFor(data);
    PointSink.required(sink);
    try (DataSession s = Engine.required(engine).open(data)) {
      pointwise(s, c, sink);
    }
  }

  /**
   * As {@link #transform(Dataset, Engine, PointSink)}, on data already resident in
   * {@code session} (such as the session a fit ran on: no second upload).
   */
  public void transform(DataSession session, PointSink sink) {
    pointwise(session, centroidsFor(DataSession.required(session).data()), PointSink.required(sink));
  }

  /** The pass, refusing rows whose squared distance overflowed float32 ({@link FiniteRows}). */
  private static void pointwise(DataSession session, Centroids c, PointSink sink) {
    FiniteRows watched = new FiniteRows(sink, "its squared distance to the nearest centre");
    session.pointwise(c, watched);
    watched.check();
  }

  /**
   * Euclidean distances from every row to every centre (scikit-learn's {@code transform}),
   * n x k; only for data whose n x k matrix fits in memory.
   */
  public double[][] transform(Dataset data) {
    checkDims(data);
    if (data.rows() * (long) k() > Integer.MAX_VALUE - 8) {
      throw new InputException("transform: " + data.rows() + " x " + k()
          + " distances do not fit in memory; stream them with transform(data, engine, sink)");
    }
    double[][] out = new double[(int) data.rows()][];
    try (JavaEngine engine = JavaEngine.create()) {
      transform(data, engine, new PointSink() {
        @Override
        public boolean wantsComponents() {
          return true;
        }

        @Override
        public void accept(int chunk, long firstRow, int rows, int[] labels, float[] values, float[] components) {
          int k = k();
          for (int i = 0; i < rows; i++) {
            double[] row = new double[k];
            for (int j = 0; j < k; j++) {
              row[j] = Math.sqrt(components[i * k + j]);
            }
            out[(int) (firstRow + i)] = row;
          }
        }
      });
    }
    return out;
  }

  /** Inertia of {@code data} under this model: sum of weighted squared distances to the nearest centre. */
  public double inertia(Dataset data, Engine engine) {
    double[] total = {0};
    transform(data, engine, (chunk, firstRow, rows, labels, values, components) -> {
      float[] w = data.chunkWeights(chunk);
      double sum = 0;
      for (int i = 0; i < rows; i++) {
        sum += (w == null ? 1.0 : w[i]) * values[i];
      }
      total[0] += sum;
    });
    return total[0];
  }

  /** scikit-learn's {@code score}: the negative inertia of {@code data}. */
  public double score(Dataset data) {
    try (JavaEngine engine = JavaEngine.create()) {
      return -inertia(data, engine);
    }
  }

  private void checkDims(Dataset data) {
    if (data == null) {
      throw new InputException("data: null is not allowed; expected a data set of " + d() + " columns");
    }
    if (data.cols() != d()) {
      throw new InputException("the model has " + d() + (d() == 1 ? " feature" : " features") + " but the data have "
          + data.cols() + (data.cols() == 1 ? " column" : " columns"));
    }
  }
}
