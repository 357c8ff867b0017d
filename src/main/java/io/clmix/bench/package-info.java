/**
 * The device-comparison benchmark behind {@code clmix bench}: one deterministic workload (data
 * from {@link io.clmix.data.Blobs} and one fixed start), the same fixed number of iterations on
 * every device, and a report of seconds per iteration, achieved GFLOP/s and GB/s against the
 * device's known peak, upload time, peak host memory and the final objective.
 *
 * <p>One class per job: {@link io.clmix.bench.BenchSpec} says what to run,
 * {@link io.clmix.bench.Workload} holds the data and the start, {@link io.clmix.bench.CostModel}
 * counts the work, {@link io.clmix.bench.Bench} measures every device, and the {@code Report*}
 * classes write the table, JSON, CSV and chart. {@code docs/benchmarks.md} explains the models.
 */
package io.clmix.bench;
