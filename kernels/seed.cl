/*
 * seed.cl - k-means++ seeding: each point's squared distance D(x) to the closest chosen centre,
 * and potentials sum_i w_i D(x_i), per work-group.
 *
 * Assumptions
 *  - common.cl precedes this file; DIM, WG_SIZE and MAX_TRIALS are -D options.
 *  - Data are row-major float32, rows x DIM, local coordinates; D(x) lives in `dmin`, one float
 *    per row, and is only ever written by seed_update.
 *  - Work-group g of a launch owns rows [g * rowsPerGroup, min((g + 1) * rowsPerGroup, rows))
 *    and output slot (groupBase + g); the host adds the group sums in group order, in double.
 *    D(x) of the launch's row i is at dmin[stateOffset + i] (streamed pieces of a block).
 *  - Squared distances are direct differences in float32 (never negative); sums are acc_t
 *    (double with cl_khr_fp64) per work-item, then a fixed-order tree within the group.
 *  - scratch holds WG_SIZE acc_t (8 bytes each).
 */

/* Sets (keepMin == 0) or lowers (keepMin != 0) D(x) with one centre; writes sum w D per group. */
__kernel __attribute__((reqd_work_group_size(WG_SIZE, 1, 1)))
void seed_update(__global const float* restrict x, __global const float* restrict w, const int weighted,
                 const int rows, const int rowsPerGroup, __global const float* restrict centre,
                 __global float* restrict dmin, const int keepMin,
                 __global ulong* restrict groupSums, const int groupBase, __local acc_t* scratch,
                 const int stateOffset) {
  dmin += stateOffset;
  const int lid = get_local_id(0);
  const int g = get_group_id(0);
  const int row0 = g * rowsPerGroup;
  const int rowEnd = min(row0 + rowsPerGroup, rows);
  acc_t a = ACC_ZERO;
  for (int i = row0 + lid; i < rowEnd; i += WG_SIZE) {
    __global const float* xr = x + (size_t) i * DIM;
    float e = 0.0f;
    /* Fully unrolled up to 64 columns, as sq_dist_g; by 8 beyond, to keep wide rows' code short. */
#if DIM <= 64
#pragma unroll
#else
#pragma unroll 8
#endif
    for (int j = 0; j < DIM; j++) {
      const float dj = xr[j] - centre[j];
      e = fma(dj, dj, e);
    }
    const float v = keepMin ? fmin(dmin[i], e) : e;
    dmin[i] = v;
    a = acc_fma(a, weighted ? w[i] : 1.0f, v);
  }
  const acc_t total = group_sum(a, scratch);
  if (lid == 0) {
    groupSums[groupBase + g] = acc_bits(total);
  }
}

/*
 * For m <= MAX_TRIALS candidate centres (m x DIM, row-major), the potential each would leave:
 * per group, sum_i w_i min(D(x_i), |x_i - candidate|^2), at trialSums[(groupBase + g) * m + t].
 * D(x) is not changed.
 */
__kernel __attribute__((reqd_work_group_size(WG_SIZE, 1, 1)))
void seed_trial(__global const float* restrict x, __global const float* restrict w, const int weighted,
                const int rows, const int rowsPerGroup, __global const float* restrict candidates,
                const int m, __global const float* restrict dmin,
                __global ulong* restrict trialSums, const int groupBase, __local acc_t* scratch,
                const int stateOffset) {
  dmin += stateOffset;
  const int lid = get_local_id(0);
  const int g = get_group_id(0);
  const int row0 = g * rowsPerGroup;
  const int rowEnd = min(row0 + rowsPerGroup, rows);
  acc_t a[MAX_TRIALS];
  for (int t = 0; t < MAX_TRIALS; t++) {
    a[t] = ACC_ZERO;
  }
  for (int i = row0 + lid; i < rowEnd; i += WG_SIZE) {
    __global const float* xr = x + (size_t) i * DIM;
    /* All candidates at once, column by column: one load of x_j serves every candidate, and
       their sums are independent chains the core overlaps (one candidate at a time is a single
       chain of dependent fmas, bound by their latency). Each sum still runs over j in order,
       so the bits are sq_dist_g's. */
    float e[MAX_TRIALS];
#pragma unroll
    for (int t = 0; t < MAX_TRIALS; t++) {
      e[t] = 0.0f;
    }
    /* Fully unrolled up to 64 columns, as sq_dist_g; by 8 beyond, to keep wide rows' code short. */
#if DIM <= 64
#pragma unroll
#else
#pragma unroll 8
#endif
    for (int j = 0; j < DIM; j++) {
      const float xj = xr[j];
#pragma unroll
      for (int t = 0; t < MAX_TRIALS; t++) {
        if (t < m) {
          const float dj = xj - candidates[(size_t) t * DIM + j];
          e[t] = fma(dj, dj, e[t]);
        }
      }
    }
    const float di = dmin[i];
    const float wi = weighted ? w[i] : 1.0f;
    for (int t = 0; t < m; t++) {
      a[t] = acc_fma(a[t], wi, fmin(di, e[t]));
    }
  }
  for (int t = 0; t < m; t++) {
    const acc_t total = group_sum(a[t], scratch);
    if (lid == 0) {
      trialSums[(size_t) (groupBase + g) * m + t] = acc_bits(total);
    }
  }
}
