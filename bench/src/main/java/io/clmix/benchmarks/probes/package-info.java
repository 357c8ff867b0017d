/**
 * Measurements that {@code clmix bench} does not report, for the analyses in docs/benchmarks.md:
 * {@link io.clmix.benchmarks.probes.PassTimes}, the time of each EM iteration of the benchmark's
 * mixture fit, pass by pass.
 */
package io.clmix.benchmarks.probes;
