/**
 * JMH benchmarks of the engines' hot paths, each parameterised by engine ({@code -p
 * engine=java,opencl:0:0}) and size: the K-means assignment pass ({@link
 * io.clmix.benchmarks.jmh.AssignBench}), the mixture E-step for full and diagonal covariances
 * ({@link io.clmix.benchmarks.jmh.ExpectBench}), the reduction passes ({@link
 * io.clmix.benchmarks.jmh.ReductionBench}) and the host-side merge of partial statistics
 * ({@link io.clmix.benchmarks.jmh.MergeBench}). Data and starts come from {@link
 * io.clmix.bench.Workload}, as in {@code clmix bench}.
 */
package io.clmix.benchmarks.jmh;
