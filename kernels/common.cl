/*
 * common.cl - definitions shared by every clmix kernel family. The host prepends this file to
 * each family file (kmeans.cl, kmeans_gemm.cl, seed.cl, reduce.cl, gmm.cl) and builds the pair
 * as one program.
 *
 * Assumptions
 *  - Tunables arrive as -D options (io.clmix.engine.opencl.Defines); every one has a default
 *    below so a file also builds on its own (the engine's eager probe build relies on it).
 *  - HAVE_FP64 is defined by the host only when the device reports cl_khr_fp64.
 *  - WG_SIZE is a power of two, and kernels that declare reqd_work_group_size are launched
 *    with exactly WG_SIZE work-items per group.
 *  - Built WITHOUT -cl-fast-relaxed-math / -cl-unsafe-math-optimizations: the compensated sums
 *    below rely on IEEE addition being neither reassociated nor simplified away.
 *  - Dot products and squared distances use fma() explicitly, accumulating j = 0..DIM-1 in
 *    order, exactly as the Java engine (Math.fma) does, so both engines compute the same
 *    float32 scores and choose the same labels even near ties. Weighted float accumulations
 *    (acc = fma(w, v, acc)) are explicit too, so that every program that computes them (the
 *    pruned Lloyd kernel and the unpruned ones) rounds alike whatever the compiler contracts.
 *  - Device and host are little-endian (every OpenCL device clmix targets): statistics are
 *    returned as 64-bit words and decoded on the host.
 */

#ifndef DIM
#define DIM 1                   /* columns of the data (compile-time so loops unroll) */
#endif
#ifndef WG_SIZE
#define WG_SIZE 64              /* work-items per work-group */
#endif
#ifndef POINTS_PER_ITEM
#define POINTS_PER_ITEM 1       /* points one work-item scores at a time (register tile) */
#endif
#ifndef ACC_THREADS
#define ACC_THREADS 1           /* work-items that share a group's statistics, one column each */
#endif
#ifndef CENTRE_VECS
#define CENTRE_VECS 2           /* float8 vectors of centres per step (register tile width / 8) */
#endif
#ifndef MAX_TRIALS
#define MAX_TRIALS 8            /* k-means++ candidates scored per launch */
#endif

/* Helpers are forced inline: barriers and register tiles must end up in the kernel body
   (PoCL otherwise keeps some as calls, and a call per point is costly on CPU devices). */
#define KM_INLINE inline __attribute__((always_inline))

/* Clang (PoCL, and the LLVM-based GPU compilers) warns at every call that passes a vector wider
   than the target's registers, such as a float16 on an AVX2 CPU (GMM_PV=16) or a float8 without
   AVX: "AVX vector argument ... changes the ABI". The ABI would only matter between objects
   compiled for different targets; here every call is to a helper inlined above or to the
   driver's builtins, compiled for the same device, and the wide vectors are deliberate (see
   KernelConfig.gmmLanes). Silenced so that a build log shows only warnings about our code. */
#if defined(__clang__) && defined(__has_warning)
#if __has_warning("-Wpsabi")
#pragma clang diagnostic ignored "-Wpsabi"
#endif
#endif

/* Centres are scored eight per float8, CENTRE_VECS vectors per step; the host pads k to a
   multiple of CENTRE_STEP. */
#define CENTRE_LANES 8
#define CENTRE_STEP (CENTRE_LANES * CENTRE_VECS)
/* Rows one group scores per tile: each work-item holds POINTS_PER_ITEM consecutive rows. */
#define TILE_ROWS (WG_SIZE * POINTS_PER_ITEM)
/* Columns of a cluster's statistics row: DIM sums of differences, the weight, the weighted distance. */
#define STAT_COLS (DIM + 2)

/*
 * acc_t: the accumulator of sums across work-items and work-groups.
 *
 * With cl_khr_fp64 it is a double. Without it, a float pair (sum, compensation) updated with
 * Neumaier's variant of Kahan summation: the error of n additions stays near one float32
 * rounding instead of growing with n, which is what matters for sums over millions of points.
 * Both forms occupy 8 bytes, so buffers of acc_t have the same size either way and the host
 * decodes them as a double or as (float sum + float compensation).
 */
#ifdef HAVE_FP64
#pragma OPENCL EXTENSION cl_khr_fp64 : enable
typedef double acc_t;
#define ACC_ZERO 0.0

KM_INLINE acc_t acc_add(acc_t a, float x) {
  return a + (double) x;
}

KM_INLINE acc_t acc_merge(acc_t a, acc_t b) {
  return a + b;
}

/* a + w * v, the product exact in double as in the Java engine's double accumulators. */
KM_INLINE acc_t acc_fma(acc_t a, float w, float v) {
  return a + (double) w * (double) v;
}

KM_INLINE ulong acc_bits(acc_t a) {
  return as_ulong(a);
}

KM_INLINE acc_t acc_from_bits(ulong b) {
  return as_double(b);
}
#else
typedef float2 acc_t;
#define ACC_ZERO ((float2) (0.0f, 0.0f))

KM_INLINE acc_t acc_add(acc_t a, float x) {
  const float s = a.x + x;
  const float e = fabs(a.x) >= fabs(x) ? (a.x - s) + x : (x - s) + a.x;
  return (float2) (s, a.y + e);
}

KM_INLINE acc_t acc_merge(acc_t a, acc_t b) {
  acc_t r = acc_add(a, b.x);
  r.y += b.y;
  return r;
}

/* a + w * v; the float32 product costs one rounding, which the compensation cannot recover. */
KM_INLINE acc_t acc_fma(acc_t a, float w, float v) {
  return acc_add(a, w * v);
}

KM_INLINE ulong acc_bits(acc_t a) {
  return as_ulong(a);
}

KM_INLINE acc_t acc_from_bits(ulong b) {
  return as_float2(b);
}
#endif

/*
 * The start and end of every Lloyd work-group (kmeans.cl, kmeans_gemm.cl, kmeans_pruned.cl).
 * km_clear_stats zeroes the group's statistics, in local memory (accLocal) or in its global
 * slot. km_finish_group writes the integer tree sum of the work-items' moved counts to
 * *changed (exact, any order would do; scratch holds WG_SIZE ints and is reused) and copies
 * local statistics to the slot. Every work-item of the group must call both (barriers).
 */
KM_INLINE void km_clear_stats(const int accLocal, __local float* accL, __global float* slot, const int statLen) {
  for (int e = get_local_id(0); e < statLen; e += WG_SIZE) {
    if (accLocal) {
      accL[e] = 0.0f;
    } else {
      slot[e] = 0.0f;
    }
  }
}

KM_INLINE void km_finish_group(const int moved, __local int* scratch, __global int* changed, const int accLocal,
                               __local const float* accL, __global float* slot, const int statLen) {
  const int lid = get_local_id(0);
  scratch[lid] = moved;
  barrier(CLK_LOCAL_MEM_FENCE);
  for (int s = WG_SIZE / 2; s > 0; s >>= 1) {
    if (lid < s) {
      scratch[lid] += scratch[lid + s];
    }
    barrier(CLK_LOCAL_MEM_FENCE);
  }
  if (lid == 0) {
    *changed = scratch[0];
  }
  if (accLocal) {
    for (int e = lid; e < statLen; e += WG_SIZE) {
      slot[e] = accL[e];
    }
  }
}

#ifdef HAVE_FP64
/*
 * Hamerly's bound test, made safe for float32 searches (io.clmix.engine.pruning.BoundTest, whose
 * derivation it follows): used by kmeans_pruned.cl and by kmeans_gemm.cl's pruned form.
 */
/* Relative slack of values computed in double (distances, the test's products): 2^-30. */
#define KP_RHO 0x1p-30
/* Relative error of a float32 square root (at most 3 ulp in OpenCL's full profile) and of the
   float conversion before it: 2^-20 covers both. */
#define KP_SQRT_SLACK 0x1p-20

/* At least sqrt(y) (y >= 0); +INFINITY past the float range. */
KM_INLINE double kp_sqrt_up(const double y) {
  return y < 3.0e38 ? (double) sqrt((float) y) * (1.0 + KP_SQRT_SLACK) : INFINITY;
}

/* At most sqrt(y); 0 for y <= 0 or NaN; y capped below the float range. */
KM_INLINE double kp_sqrt_down(const double y) {
  return y > 0.0 ? (double) sqrt((float) fmin(y, 1.0e38)) * (1.0 - KP_SQRT_SLACK) : 0.0;
}

/* A float at most v (ScoreMargin.floatDown). */
KM_INLINE float kp_float_down(const double v) {
  return (float) (v * (1.0 - 0x1p-23) - 0x1p-140);
}

/*
 * BoundTest.keep: the new lower bound (>= 0) when the full scan would certainly pick the row's
 * label a again, else -1. d2: the direct squared distance to a; lower: the row's bound from the
 * previous pass; sep, drift: a's separation and drift.
 */
KM_INLINE double kp_keep(const float d2, const float lower, const double sep, const double drift, const double up,
                         const double base, const double slope) {
  const double u = kp_sqrt_up((double) d2 * up);
  const double l = fmax((double) lower - drift, sep - u) * (1.0 - KP_RHO);
  return (l > u && (l - u) * (l + u) > base + slope * u) ? l : -1.0;
}

/* BoundTest.lowerAfterScan: a lower bound on the distance to every centre but the label. */
KM_INLINE double kp_lower_after_scan(const float d2, const float best, const float second, const double up,
                                     const double down, const double base, const double slope) {
  const double u = kp_sqrt_up((double) d2 * up);
  const double l2 = (double) d2 * down + ((double) second - (double) best) - (base + slope * u);
  return kp_sqrt_down(l2);
}
#endif

/* sum_j (x_j - c_j)^2 in float32, j in order, fused as the Java engine does. */
KM_INLINE float sq_dist_g(const float* x, __global const float* c) {
  float s = 0.0f;
#if DIM <= 64
#pragma unroll
#endif
  for (int j = 0; j < DIM; j++) {
    const float e = x[j] - c[j];
    s = fma(e, e, s);
  }
  return s;
}

/*
 * Fixed-order tree reduction of one acc_t per work-item; the result is in scratch[0] for every
 * work-item after the call. Must be reached by all work-items of the group.
 */
KM_INLINE acc_t group_sum(acc_t v, __local acc_t* scratch) {
  const int lid = get_local_id(0);
  barrier(CLK_LOCAL_MEM_FENCE);
  scratch[lid] = v;
  barrier(CLK_LOCAL_MEM_FENCE);
  for (int s = WG_SIZE / 2; s > 0; s >>= 1) {
    if (lid < s) {
      scratch[lid] = acc_merge(scratch[lid], scratch[lid + s]);
    }
    barrier(CLK_LOCAL_MEM_FENCE);
  }
  return scratch[0];
}
