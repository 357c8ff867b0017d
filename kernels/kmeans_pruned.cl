/*
 * kmeans_pruned.cl - the Lloyd pass with Hamerly's bounds: points whose label the bounds prove
 * keep it without being scored against every centre; the others take kmeans.cl's full scan.
 * The results are the bits of km_assign_resident / km_assign_tiled.
 *
 * Kernels: km_assign_pruned_resident / km_assign_pruned_tiled (all centres in local memory, or
 * streamed through it in tiles; one body with a compile-time `resident` flag, as in kmeans.cl).
 *
 * Assumptions
 *  - common.cl and kmeans.cl precede this file (the host builds the three as one program) with
 *    the same -D options as kmeans.cl; HAVE_FP64 is defined (the host uses these kernels only on
 *    devices with cl_khr_fp64): the bound test runs in double, as io.clmix.engine.pruning does.
 *  - Arguments as km_assign_* except: `todo` is local scratch of (window + 1) ints, window >=
 *    WG_SIZE; per row `lower` (float, at stateOffset + i like labels and distances) holds a lower
 *    bound on the row's distance to every centre but its label, valid for the previous pass's
 *    centres when `carry` != 0; `moves` holds 2k doubles: separation[a] = min over c != a of
 *    |a - c| (rounded down), then drift[a] = max over c != a of how far c moved since the
 *    previous pass (rounded up); `up`, `down`, `marginBase`, `marginSlope` are the constants of
 *    io.clmix.engine.pruning.BoundTest (ScoreMargin derives them).
 *  - Work-group g owns rows [g * rowsPerGroup, ...) as in kmeans.cl and processes them in
 *    windows of `window` rows, in row order:
 *      A. each row (work-items take rows round-robin): the squared distance D to its label's new
 *         position by sq_dist_g (the full scan's own function), then the test of
 *         km_pruned_keep; a row that passes keeps its label, D is its distance and the new
 *         lower bound is stored; a row that fails goes to the window's todo list (a local
 *         counter; the order of the list does not matter, every row's result is its own);
 *      B. the todo rows are scored in tiles of TILE_ROWS, exactly as km_assign scores rows
 *         (km_score's arithmetic, the lowest score, ties to the lower index), also keeping the
 *         lowest score among the other centres, from which the lower bound is renewed;
 *      C. the window's rows are added to the group's statistics in row order, each statistics
 *         column by its owner, with km_assign's expressions: the same float32 sums in the same
 *         order, hence the same bits.
 *  - Labels change only in B, so the changed count is B's, tree-summed as in km_assign.
 */

/* The bound test (kp_keep, kp_lower_after_scan, kp_float_down) is in common.cl, shared with the
   register-tiled kernel's pruned form (kmeans_gemm.cl, KG_PRUNE). */

/*
 * km_score with, per lane, the lowest of the lane's other scores: a score below `second`
 * replaces it, and a score that replaces the best hands the old best down. Scores and the best
 * are km_score's, expression for expression.
 */
KM_INLINE void kp_score(const float* xp, __local const float* cT, __local const float* cn, const int c0,
                        const int nk, float8* bestScore, int8* bestIndex, float8* secondScore) {
  const int8 lane = (int8) (0, 1, 2, 3, 4, 5, 6, 7);
  for (int c = 0; c < nk; c += CENTRE_STEP) {
    float8 dot[POINTS_PER_ITEM][CENTRE_VECS];
    km_dots(xp, cT, nk, c, dot);
#pragma unroll
    for (int v = 0; v < CENTRE_VECS; v++) {
      const float8 norm = ((__local const float8*) (cn + c))[v];
      const int8 index = (int8) (c0 + c + v * CENTRE_LANES) + lane;
#pragma unroll
      for (int q = 0; q < POINTS_PER_ITEM; q++) {
        const float8 score = norm - 2.0f * dot[q][v];
        const int8 better = isless(score, bestScore[q]);
        secondScore[q] = select(secondScore[q], score, isless(score, secondScore[q]));
        secondScore[q] = select(secondScore[q], bestScore[q], better);
        bestScore[q] = select(bestScore[q], score, better);
        bestIndex[q] = select(bestIndex[q], index, better);
      }
    }
  }
}

/*
 * km_nearest with the two lowest scores: best[q] the label (the lowest score, ties to the lower
 * index, as km_nearest), lowest[q] its score, second[q] the lowest score of the other centres.
 */
KM_INLINE void kp_nearest(const float* xp, __global const float* restrict centresT,
                          __global const float* restrict cnorm, const int kPad, const int tileK,
                          __local float* cT, __local float* cn, const int resident, int* best, float* lowest,
                          float* second) {
  float8 bestScore[POINTS_PER_ITEM];
  float8 secondScore[POINTS_PER_ITEM];
  int8 bestIndex[POINTS_PER_ITEM];
#pragma unroll
  for (int q = 0; q < POINTS_PER_ITEM; q++) {
    bestScore[q] = (float8) (INFINITY);
    secondScore[q] = (float8) (INFINITY);
    bestIndex[q] = (int8) (0);
  }
  if (resident) {
    kp_score(xp, cT, cn, 0, kPad, bestScore, bestIndex, secondScore);
  } else {
    for (int c0 = 0; c0 < kPad; c0 += tileK) {
      const int nk = min(tileK, kPad - c0);
      km_load_centres(centresT, cnorm, kPad, c0, nk, cT, cn);
      kp_score(xp, cT, cn, c0, nk, bestScore, bestIndex, secondScore);
    }
  }
#pragma unroll
  for (int q = 0; q < POINTS_PER_ITEM; q++) {
    const float8 s = bestScore[q];
    const float4 m4 = fmin(s.lo, s.hi);
    const float2 m2 = fmin(m4.lo, m4.hi);
    const float m = fmin(m2.x, m2.y);
    const int8 ix = select((int8) (INT_MAX), bestIndex[q], s == (float8) (m));
    const int4 i4 = min(ix.lo, ix.hi);
    const int2 i2 = min(i4.lo, i4.hi);
    const int label = min(i2.x, i2.y);
    /* The other centres' lowest: other lanes' best, the chosen lane's second. */
    const float8 others = select(s, secondScore[q], (s == (float8) (m)) & (bestIndex[q] == (int8) (label)));
    const float4 o4 = fmin(others.lo, others.hi);
    const float2 o2 = fmin(o4.lo, o4.hi);
    best[q] = label;
    lowest[q] = m;
    second[q] = fmin(o2.x, o2.y);
  }
}

/* Adds rows [first, end) to the group's statistics: km_assign's accumulation, reading the
   labels, weights and distances the pass just wrote. */
#define KP_ACCUMULATE_BODY                                                    \
  const int lid = get_local_id(0);                                            \
  if (lid < ACC_THREADS) {                                                    \
    for (int i = first; i < end; i++) {                                       \
      const int c = labels[i];                                                \
      const float wp = weighted ? w[i] : 1.0f;                                \
      __global const float* xr = x + (size_t) i * DIM;                        \
      __global const float* cr = centres + (size_t) c * DIM;                  \
      const int o = c * STAT_COLS;                                            \
      for (int j = lid; j < DIM; j += ACC_THREADS) {                          \
        acc[o + j] = fma(wp, xr[j] - cr[j], acc[o + j]);                      \
      }                                                                       \
      if (lid == 0) {                                                         \
        acc[o + DIM] += wp;                                                   \
        acc[o + DIM + 1] = fma(wp, dist[i], acc[o + DIM + 1]);                \
      }                                                                       \
    }                                                                         \
  }

KM_INLINE void kp_accumulate_local(__local float* acc, __global const float* restrict x,
                                   __global const float* restrict w, const int weighted,
                                   __global const float* restrict centres, __global const int* labels,
                                   __global const float* dist, const int first, const int end) {
  KP_ACCUMULATE_BODY
}

KM_INLINE void kp_accumulate_global(__global float* acc, __global const float* restrict x,
                                    __global const float* restrict w, const int weighted,
                                    __global const float* restrict centres, __global const int* labels,
                                    __global const float* dist, const int first, const int end) {
  KP_ACCUMULATE_BODY
}

#define KP_PARAMS                                                                               \
  __global const float* restrict x, __global const float* restrict w, const int weighted,      \
  const int rows, const int rowsPerGroup, __global const float* restrict centres,               \
  __global const float* restrict centresT, __global const float* restrict cnorm, const int k,   \
  const int kPad, const int tileK, __global int* restrict labels, __global float* restrict dist, \
  __global float* restrict partials, __global int* restrict changed, const int groupBase,       \
  const int accLocal, __local float8* cTv, __local float8* cnv, __local float* accL,            \
  __local int* todo, const int window, const int stateOffset, __global float* restrict lower,   \
  __global const double* restrict moves, const int carry, const double up, const double down,   \
  const double marginBase, const double marginSlope
#define KP_ARGS                                                                                 \
  x, w, weighted, rows, rowsPerGroup, centres, centresT, cnorm, k, kPad, tileK, labels, dist,   \
  partials, changed, groupBase, accLocal, cTv, cnv, accL, todo, window, stateOffset, lower,     \
  moves, carry, up, down, marginBase, marginSlope

KM_INLINE void kp_assign_body(KP_PARAMS, const int resident) {
  __local float* cT = (__local float*) cTv;
  __local float* cn = (__local float*) cnv;
  labels += stateOffset;
  dist += stateOffset;
  lower += stateOffset;
  const int lid = get_local_id(0);
  const int g = get_group_id(0);
  const int row0 = g * rowsPerGroup;
  const int rowEnd = min(row0 + rowsPerGroup, rows);
  const int statLen = k * STAT_COLS;
  __global float* slot = partials + (size_t) (groupBase + g) * statLen;
  __global const double* separation = moves;
  __global const double* drift = moves + k;

  if (resident) {
    km_load_centres(centresT, cnorm, kPad, 0, kPad, cT, cn);
  }
  km_clear_stats(accLocal, accL, slot, statLen);
  int moved = 0;

  for (int w0 = row0; w0 < rowEnd; w0 += window) {
    const int w1 = min(w0 + window, rowEnd);
    /* A. The bound test. */
    int count = 0;
    if (lid == 0) {
      todo[window] = 0;
    }
    barrier(CLK_LOCAL_MEM_FENCE);
    for (int i = w0 + lid; i < w1; i += WG_SIZE) {
      int keep = 0;
      if (carry) {
        const int a = labels[i];
        float xr[DIM];
        __global const float* xg = x + (size_t) i * DIM;
        for (int j = 0; j < DIM; j++) {
          xr[j] = xg[j];
        }
        const float d2 = sq_dist_g(xr, centres + (size_t) a * DIM);
        const double l = kp_keep(d2, lower[i], separation[a], drift[a], up, marginBase, marginSlope);
        if (l >= 0.0) {
          keep = 1;
          dist[i] = d2;
          lower[i] = kp_float_down(l);
        }
      }
      if (!keep) {
#if WG_SIZE == 1
        todo[count++] = i;
#else
        todo[atomic_inc(todo + window)] = i;
#endif
      }
    }
#if WG_SIZE == 1
    todo[window] = count;
#endif
    barrier(CLK_LOCAL_MEM_FENCE);
    count = todo[window];

    /* B. The full scan of the rows that failed, TILE_ROWS at a time. */
    for (int t0 = 0; t0 < count; t0 += TILE_ROWS) {
      float xp[POINTS_PER_ITEM * DIM];
      int rowOf[POINTS_PER_ITEM];
#pragma unroll
      for (int q = 0; q < POINTS_PER_ITEM; q++) {
        const int p = t0 + lid * POINTS_PER_ITEM + q;
        rowOf[q] = p < count ? todo[p] : -1;
        if (rowOf[q] >= 0) {
          __global const float* xg = x + (size_t) rowOf[q] * DIM;
          for (int j = 0; j < DIM; j++) {
            xp[q * DIM + j] = xg[j];
          }
        } else {
          for (int j = 0; j < DIM; j++) {
            xp[q * DIM + j] = 0.0f;
          }
        }
      }
      int best[POINTS_PER_ITEM];
      float lowest[POINTS_PER_ITEM];
      float second[POINTS_PER_ITEM];
      kp_nearest(xp, centresT, cnorm, kPad, tileK, cT, cn, resident, best, lowest, second);
#pragma unroll
      for (int q = 0; q < POINTS_PER_ITEM; q++) {
        const int i = rowOf[q];
        if (i >= 0) {
          const int c = best[q];
          const float d2 = sq_dist_g(xp + q * DIM, centres + (size_t) c * DIM);
          if (labels[i] != c) {
            moved++;
          }
          labels[i] = c;
          dist[i] = d2;
          lower[i] = kp_float_down(kp_lower_after_scan(d2, lowest[q], second[q], up, down, marginBase, marginSlope));
        }
      }
    }
    /* Every row's label and distance are written; the zeroing above is ordered too. */
    barrier(CLK_LOCAL_MEM_FENCE | CLK_GLOBAL_MEM_FENCE);

    /* C. Statistics, in row order. */
    if (accLocal) {
      kp_accumulate_local(accL, x, w, weighted, centres, labels, dist, w0, w1);
    } else {
      kp_accumulate_global(slot, x, w, weighted, centres, labels, dist, w0, w1);
    }
    barrier(CLK_LOCAL_MEM_FENCE | CLK_GLOBAL_MEM_FENCE); /* before the next window reuses todo */
  }

  km_finish_group(moved, todo, changed + groupBase + g, accLocal, accL, slot, statLen);
}

__kernel __attribute__((reqd_work_group_size(WG_SIZE, 1, 1)))
void km_assign_pruned_resident(KP_PARAMS) {
  kp_assign_body(KP_ARGS, 1);
}

__kernel __attribute__((reqd_work_group_size(WG_SIZE, 1, 1)))
void km_assign_pruned_tiled(KP_PARAMS) {
  kp_assign_body(KP_ARGS, 0);
}
