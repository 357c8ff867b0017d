/**
 * Peer libraries on the workload {@code clmix bench --save-data --save-start} exports, timed
 * the way clmix is timed, for {@code bench/compare.sh}. scikit-learn's runner is
 * {@code bench/peers/sklearn_bench.py}; Smile's is {@link io.clmix.benchmarks.peers.SmileBench}.
 */
package io.clmix.benchmarks.peers;
