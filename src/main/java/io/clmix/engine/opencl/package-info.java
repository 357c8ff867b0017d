/**
 * The OpenCL engine: K-means and Gaussian-mixture passes on any OpenCL 1.2 device (GPUs, and
 * CPUs through PoCL) through JOCL.
 *
 * <p>Layers, from the device up:
 * <ul>
 *   <li>{@link io.clmix.engine.opencl.OpenCl} discovers devices ({@link io.clmix.engine.opencl.ClDeviceInfo})
 *       and turns every status code into an {@link io.clmix.engine.EngineException} of the right kind.
 *   <li>{@link io.clmix.engine.opencl.ClContext} owns a context, a queue and everything created on them
 *       ({@link io.clmix.engine.opencl.ClBuffer}, {@link io.clmix.engine.opencl.ClProgram},
 *       {@link io.clmix.engine.opencl.ClKernel}) and releases them in reverse order.
 *   <li>{@link io.clmix.engine.opencl.KernelSource}, {@link io.clmix.engine.opencl.Defines} and
 *       {@link io.clmix.engine.opencl.ProgramCache} turn {@code kernels/*.cl} from the classpath into
 *       programs specialised by {@code -D} definitions ({@link io.clmix.engine.opencl.KernelConfig}):
 *       per number of columns, and for the mixture kernels per number of components and
 *       covariance family.
 *   <li>{@link io.clmix.engine.opencl.OpenClEngine} holds the programs for one device and opens
 *       sessions; a session uploads the data once into row blocks, or streams them through two
 *       buffer sets when they exceed the device or the configured memory budget (the engine is
 *       a {@link io.clmix.engine.StreamingEngine}), and runs the Lloyd (scan or register-tiled
 *       kernel), seeding, mixture E-step and predict passes on them.
 * </ul>
 *
 * <p>Numerics: K-means scores {@code |c|^2 - 2 x.c} and squared distances in float32 with the
 * same fused operations in the same order as the Java engine, so both choose the same labels.
 * Mixture log-densities go through the precision Cholesky factors in the centred form, about
 * means split into two floats; the statistics are accumulated about the float means and
 * shifted to the given double means on the host. Statistics accumulate in float32 inside a
 * work-group (mixture statistics in double where the device has fp64) and in double
 * (compensated float32 without fp64) across work-groups, in a fixed order and without
 * floating-point atomics, so a pass is reproducible to the bit on a given device and
 * configuration, streamed or resident.
 */
package io.clmix.engine.opencl;
