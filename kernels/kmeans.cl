/*
 * kmeans.cl - the Lloyd assignment pass and the per-point (predict) pass.
 *
 * Kernels: km_assign_resident / km_assign_tiled (the Lloyd pass with all centres in local
 * memory, or streamed through it in tiles) and km_pointwise_resident / km_pointwise_tiled.
 * Each pair shares one body whose `resident` flag is a compile-time constant, so the resident
 * variants carry no barrier in the scoring loop (PoCL then keeps points in registers).
 *
 * Assumptions
 *  - common.cl precedes this file; DIM, WG_SIZE, POINTS_PER_ITEM, CENTRE_VECS, ACC_THREADS
 *    are -D options.
 *  - Data are row-major float32, rows x DIM, in the data set's local coordinates.
 *  - The kernels read the centres three ways, all float32: row-major (k x DIM), transposed and
 *    padded (DIM x kPad, kPad a multiple of CENTRE_STEP, padding columns zero), and their
 *    squared norms (kPad values, padding +INFINITY so a padded centre never wins). The host
 *    copies the row-major form; km_centre_forms makes the other two from it on the device, the
 *    norms with the same fused loop the Java engine uses.
 *  - tileK is a multiple of CENTRE_STEP and at most kPad (== kPad for the resident kernels);
 *    the host sizes the local buffers: cT = tileK * DIM floats, cn = tileK floats, tiles =
 *    TILE_ROWS ints + 2 * TILE_ROWS floats, accL = k * STAT_COLS floats when accLocal != 0
 *    (else any small size). cT and cn are declared float8 so the runtime aligns them
 *    for vector loads; their sizes are multiples of 32 bytes.
 *  - Work-group g of a launch owns rows [g * rowsPerGroup, min((g + 1) * rowsPerGroup, rows))
 *    and partial slot (groupBase + g); rowsPerGroup is a multiple of TILE_ROWS. A launch covers
 *    a whole block or, when rows are streamed, a piece of one that starts at a group boundary;
 *    labels and distances of its row i are at stateOffset + i.
 *  - No atomics on floats: within a group, work-item t owns statistics columns j with
 *    j % ACC_THREADS == t (and work-item 0 the weight and distance columns), and adds the tile's
 *    points in row order, so the same input on the same device gives the same bits.
 */

/*
 * Copies centres [c0, c0 + nk) into local memory: transposed (cT[j * nk + c]) so eight
 * consecutive centres load as one float8, and their norms (cn). Contains barriers: every
 * work-item of the group must call it.
 */
KM_INLINE void km_load_centres(__global const float* restrict centresT, __global const float* restrict cnorm,
                            const int kPad, const int c0, const int nk, __local float* cT, __local float* cn) {
  const int lid = get_local_id(0);
  barrier(CLK_LOCAL_MEM_FENCE); /* the previous tile is no longer read */
  for (int j = 0; j < DIM; j++) {
    for (int c = lid; c < nk; c += WG_SIZE) {
      cT[j * nk + c] = centresT[(size_t) j * kPad + c0 + c];
    }
  }
  for (int c = lid; c < nk; c += WG_SIZE) {
    cn[c] = cnorm[c0 + c];
  }
  barrier(CLK_LOCAL_MEM_FENCE);
}

/*
 * The POINTS_PER_ITEM x CENTRE_VECS float8 dot products of the points at xp with centres
 * [c, c + CENTRE_STEP) of the transposed tile cT (nk centres per column), each accumulated with
 * fma() in column order. Shared by km_score and kmeans_pruned.cl's kp_score, so the pruned and
 * unpruned searches compute the same scores bit for bit.
 */
KM_INLINE void km_dots(const float* xp, __local const float* cT, const int nk, const int c,
                       float8 dot[POINTS_PER_ITEM][CENTRE_VECS]) {
#pragma unroll
  for (int q = 0; q < POINTS_PER_ITEM; q++) {
#pragma unroll
    for (int v = 0; v < CENTRE_VECS; v++) {
      dot[q][v] = (float8) (0.0f);
    }
  }
#if DIM <= 64
#pragma unroll
#endif
  for (int j = 0; j < DIM; j++) {
    float8 cv[CENTRE_VECS];
    /* (j * nk + c) is a multiple of CENTRE_STEP, so the float8 loads are aligned. */
    __local const float8* row = (__local const float8*) (cT + j * nk + c);
#pragma unroll
    for (int v = 0; v < CENTRE_VECS; v++) {
      cv[v] = row[v];
    }
#pragma unroll
    for (int q = 0; q < POINTS_PER_ITEM; q++) {
      const float8 xq = (float8) (xp[q * DIM + j]);
#pragma unroll
      for (int v = 0; v < CENTRE_VECS; v++) {
        dot[q][v] = fma(xq, cv[v], dot[q][v]);
      }
    }
  }
}

/*
 * Scores this work-item's POINTS_PER_ITEM points against the nk centres in local memory
 * (global indices c0..c0+nk-1, nk a multiple of CENTRE_STEP): score = |c|^2 - 2 x.c in
 * float32, the dot product fused in j order as in the Java engine. A work-item computes a
 * POINTS_PER_ITEM x CENTRE_STEP register tile per step; each float8 lane follows the centres
 * c with c % 8 fixed and keeps the first lowest score (strict '<' in increasing c). Vectors
 * are visited in increasing c, so a lane's candidates arrive in increasing order. No barriers.
 */
KM_INLINE void km_score(const float* xp, __local const float* cT, __local const float* cn, const int c0,
                        const int nk, float8* bestScore, int8* bestIndex) {
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
        bestScore[q] = select(bestScore[q], score, better);
        bestIndex[q] = select(bestIndex[q], index, better);
      }
    }
  }
}

/*
 * The nearest centre of each of this work-item's points. With resident != 0 (a compile-time
 * constant at every call) all kPad centres are already in local memory and the function has
 * no barrier, so on CPU devices the points stay in registers; otherwise centres stream through
 * local memory in tiles of tileK and every work-item of the group must call it.
 */
KM_INLINE void km_nearest(const float* xp, __global const float* restrict centresT,
                          __global const float* restrict cnorm, const int kPad, const int tileK,
                          __local float* cT, __local float* cn, const int resident, int* best) {
  float8 bestScore[POINTS_PER_ITEM];
  int8 bestIndex[POINTS_PER_ITEM];
#pragma unroll
  for (int q = 0; q < POINTS_PER_ITEM; q++) {
    bestScore[q] = (float8) (INFINITY);
    bestIndex[q] = (int8) (0);
  }
  if (resident) {
    km_score(xp, cT, cn, 0, kPad, bestScore, bestIndex);
  } else {
    for (int c0 = 0; c0 < kPad; c0 += tileK) {
      const int nk = min(tileK, kPad - c0);
      km_load_centres(centresT, cnorm, kPad, c0, nk, cT, cn);
      km_score(xp, cT, cn, c0, nk, bestScore, bestIndex);
    }
  }

  /* Across lanes the lowest score wins and equal scores go to the lower index: together with
     the per-lane strict '<', exactly the sequential scan over c = 0..k-1. Branch-free: lanes
     hold either (+INF, 0), never updated, or a finite score, never NaN. */
#pragma unroll
  for (int q = 0; q < POINTS_PER_ITEM; q++) {
    const float8 s = bestScore[q];
    const float4 m4 = fmin(s.lo, s.hi);
    const float2 m2 = fmin(m4.lo, m4.hi);
    const float m = fmin(m2.x, m2.y);
    const int8 ix = select((int8) (INT_MAX), bestIndex[q], s == (float8) (m));
    const int4 i4 = min(ix.lo, ix.hi);
    const int2 i2 = min(i4.lo, i4.hi);
    best[q] = min(i2.x, i2.y);
  }
}

/* Loads this work-item's points of the tile starting at row t0 (zeros past rowEnd). */
KM_INLINE void km_load_points(__global const float* restrict x, const int t0, const int rowEnd, float* xp) {
  const int base = t0 + (int) get_local_id(0) * POINTS_PER_ITEM;
#pragma unroll
  for (int q = 0; q < POINTS_PER_ITEM; q++) {
    const int i = base + q;
    if (i < rowEnd) {
      __global const float* xr = x + (size_t) i * DIM;
      for (int j = 0; j < DIM; j++) {
        xp[q * DIM + j] = xr[j];
      }
    } else {
      for (int j = 0; j < DIM; j++) {
        xp[q * DIM + j] = 0.0f;
      }
    }
  }
}

/*
 * Adds a tile's points to the group's statistics, row by row, each work-item its own columns.
 * The same body serves statistics in local memory and in the group's global slot.
 */
#define KM_ACCUMULATE_TILE_BODY                                               \
  const int lid = get_local_id(0);                                            \
  if (lid < ACC_THREADS) {                                                    \
    for (int p = 0; p < count; p++) {                                         \
      const int c = tLabel[p];                                                \
      const float wp = tW[p];                                                 \
      __global const float* xr = x + (size_t) (first + p) * DIM;              \
      __global const float* cr = centres + (size_t) c * DIM;                  \
      const int o = c * STAT_COLS;                                            \
      for (int j = lid; j < DIM; j += ACC_THREADS) {                          \
        acc[o + j] = fma(wp, xr[j] - cr[j], acc[o + j]);                      \
      }                                                                       \
      if (lid == 0) {                                                         \
        acc[o + DIM] += wp;                                                   \
        acc[o + DIM + 1] = fma(wp, tDist[p], acc[o + DIM + 1]);               \
      }                                                                       \
    }                                                                         \
  }

KM_INLINE void km_accumulate_local(__local float* acc, __global const float* restrict x,
                                __global const float* restrict centres, const int first,
                                const int count, __local const int* tLabel, __local const float* tW,
                                __local const float* tDist) {
  KM_ACCUMULATE_TILE_BODY
}

KM_INLINE void km_accumulate_global(__global float* acc, __global const float* restrict x,
                                 __global const float* restrict centres, const int first,
                                 const int count, __local const int* tLabel, __local const float* tW,
                                 __local const float* tDist) {
  KM_ACCUMULATE_TILE_BODY
}

/*
 * One Lloyd pass over one block of rows: labels and distances per point (the session state),
 * and per work-group float32 partial statistics k x STAT_COLS plus the number of labels that
 * changed. reduce.cl adds the partials of all groups in double. `resident` is a compile-time
 * constant (see the two kernels below): all centres stay in local memory for the whole pass.
 */
#define KM_ASSIGN_PARAMS                                                                        \
  __global const float* restrict x, __global const float* restrict w, const int weighted,      \
  const int rows, const int rowsPerGroup, __global const float* restrict centres,               \
  __global const float* restrict centresT, __global const float* restrict cnorm, const int k,   \
  const int kPad, const int tileK, __global int* restrict labels, __global float* restrict dist, \
  __global float* restrict partials, __global int* restrict changed, const int groupBase,       \
  const int accLocal, __local float8* cTv, __local float8* cnv, __local float* accL,            \
  __local int* tLabel, __local float* tW, __local float* tDist, const int stateOffset
#define KM_ASSIGN_ARGS                                                                          \
  x, w, weighted, rows, rowsPerGroup, centres, centresT, cnorm, k, kPad, tileK, labels, dist,   \
  partials, changed, groupBase, accLocal, cTv, cnv, accL, tLabel, tW, tDist, stateOffset

KM_INLINE void km_assign_body(KM_ASSIGN_PARAMS, const int resident) {
  /* Declared as float8 so the runtime aligns them for the vector loads in km_score. */
  __local float* cT = (__local float*) cTv;
  __local float* cn = (__local float*) cnv;
  /* Row i of this launch has its state at stateOffset + i (a streamed piece of a block). */
  labels += stateOffset;
  dist += stateOffset;
  const int lid = get_local_id(0);
  const int g = get_group_id(0);
  const int row0 = g * rowsPerGroup;
  const int rowEnd = min(row0 + rowsPerGroup, rows);
  const int statLen = k * STAT_COLS;
  __global float* slot = partials + (size_t) (groupBase + g) * statLen;

  if (resident) {
    km_load_centres(centresT, cnorm, kPad, 0, kPad, cT, cn);
  }
  km_clear_stats(accLocal, accL, slot, statLen);
  int moved = 0;

  for (int t0 = row0; t0 < rowEnd; t0 += TILE_ROWS) {
    float xp[POINTS_PER_ITEM * DIM];
    int best[POINTS_PER_ITEM];
    km_load_points(x, t0, rowEnd, xp);
    km_nearest(xp, centresT, cnorm, kPad, tileK, cT, cn, resident, best);

#pragma unroll
    for (int q = 0; q < POINTS_PER_ITEM; q++) {
      const int p = lid * POINTS_PER_ITEM + q;
      const int i = t0 + p;
      if (i < rowEnd) {
        const int c = best[q];
        const float d2 = sq_dist_g(xp + q * DIM, centres + (size_t) c * DIM);
        if (labels[i] != c) {
          moved++;
        }
        labels[i] = c;
        dist[i] = d2;
        tLabel[p] = c;
        tW[p] = weighted ? w[i] : 1.0f;
        tDist[p] = d2;
      }
    }
    /* Also orders the zeroing above before the first accumulation (other owners). */
    barrier(CLK_LOCAL_MEM_FENCE | CLK_GLOBAL_MEM_FENCE);
    const int count = min(TILE_ROWS, rowEnd - t0);
    if (accLocal) {
      km_accumulate_local(accL, x, centres, t0, count, tLabel, tW, tDist);
    } else {
      km_accumulate_global(slot, x, centres, t0, count, tLabel, tW, tDist);
    }
    barrier(CLK_LOCAL_MEM_FENCE | CLK_GLOBAL_MEM_FENCE); /* before the next tile reuses tLabel */
  }

  km_finish_group(moved, tLabel, changed + groupBase + g, accLocal, accL, slot, statLen);
}

/* The Lloyd pass when all kPad centres fit in local memory (tileK == kPad): the common case. */
__kernel __attribute__((reqd_work_group_size(WG_SIZE, 1, 1)))
void km_assign_resident(KM_ASSIGN_PARAMS) {
  km_assign_body(KM_ASSIGN_ARGS, 1);
}

/* The Lloyd pass with centres streamed through local memory in tiles of tileK. */
__kernel __attribute__((reqd_work_group_size(WG_SIZE, 1, 1)))
void km_assign_tiled(KM_ASSIGN_PARAMS) {
  km_assign_body(KM_ASSIGN_ARGS, 0);
}

/*
 * The predict pass over rows [first, first + count) of one block: per point the label and the
 * squared distance to the nearest centre and, when wantComponents, the squared distances to
 * all k centres (row-major, count x k). Output index r is row first + r. Same scoring code as
 * the Lloyd pass, so both give the same labels. Work-group g scores rows
 * [first + g * rowsPerGroup, ...) tile by tile; rowsPerGroup is a multiple of TILE_ROWS.
 */
#define KM_POINTWISE_PARAMS                                                                     \
  __global const float* restrict x, const int first, const int count, const int rowsPerGroup,  \
  __global const float* restrict centres, __global const float* restrict centresT,             \
  __global const float* restrict cnorm, const int k, const int kPad, const int tileK,          \
  __global int* restrict outLabel, __global float* restrict outDist,                           \
  __global float* restrict outComp, const int wantComponents, __local float8* cTv,             \
  __local float8* cnv
#define KM_POINTWISE_ARGS                                                                       \
  x, first, count, rowsPerGroup, centres, centresT, cnorm, k, kPad, tileK, outLabel, outDist,  \
  outComp, wantComponents, cTv, cnv

KM_INLINE void km_pointwise_body(KM_POINTWISE_PARAMS, const int resident) {
  __local float* cT = (__local float*) cTv;
  __local float* cn = (__local float*) cnv;
  const int lid = get_local_id(0);
  const int row0 = first + (int) get_group_id(0) * rowsPerGroup;
  const int rowEnd = min(row0 + rowsPerGroup, first + count);
  if (resident) {
    km_load_centres(centresT, cnorm, kPad, 0, kPad, cT, cn);
  }
  for (int t0 = row0; t0 < rowEnd; t0 += TILE_ROWS) {
    float xp[POINTS_PER_ITEM * DIM];
    int best[POINTS_PER_ITEM];
    km_load_points(x, t0, rowEnd, xp);
    km_nearest(xp, centresT, cnorm, kPad, tileK, cT, cn, resident, best);
#pragma unroll
    for (int q = 0; q < POINTS_PER_ITEM; q++) {
      const int i = t0 + lid * POINTS_PER_ITEM + q;
      if (i < rowEnd) {
        const int r = i - first;
        const int c = best[q];
        outLabel[r] = c;
        outDist[r] = sq_dist_g(xp + q * DIM, centres + (size_t) c * DIM);
        if (wantComponents) {
          for (int cc = 0; cc < k; cc++) {
            outComp[(size_t) r * k + cc] = sq_dist_g(xp + q * DIM, centres + (size_t) cc * DIM);
          }
        }
      }
    }
  }
}

__kernel __attribute__((reqd_work_group_size(WG_SIZE, 1, 1)))
void km_pointwise_resident(KM_POINTWISE_PARAMS) {
  km_pointwise_body(KM_POINTWISE_ARGS, 1);
}

__kernel __attribute__((reqd_work_group_size(WG_SIZE, 1, 1)))
void km_pointwise_tiled(KM_POINTWISE_PARAMS) {
  km_pointwise_body(KM_POINTWISE_ARGS, 0);
}

/*
 * The centres' transposed, padded form and squared norms from the row-major copy (k x DIM):
 * work-item c < kPad writes column c of centresT (zeros for c >= k) and cnorm[c], summed
 * j = 0..DIM-1 with fma from 0 (the Java engine's definition, DistanceKernels.squaredNorms;
 * fma is correctly rounded in OpenCL C as in Java, so the bits are the host's), +INFINITY for
 * c >= k. A launch, not two more copies from the host: on an H100 each blocking copy of a pass
 * took 0.023 to 0.036 ms of host time, a launch about 0.01 (docs/benchmarks.md, GPU).
 */
__kernel void km_centre_forms(__global const float* restrict centres, const int k, const int kPad,
                              __global float* restrict centresT, __global float* restrict cnorm) {
  const int c = get_global_id(0);
  if (c >= kPad) {
    return;
  }
  float s = 0.0f;
  for (int j = 0; j < DIM; j++) {
    const float v = c < k ? centres[(size_t) c * DIM + j] : 0.0f;
    centresT[(size_t) j * kPad + c] = v;
    s = fma(v, v, s);
  }
  cnorm[c] = c < k ? s : INFINITY;
}
