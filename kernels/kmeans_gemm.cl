/*
 * kmeans_gemm.cl - the Lloyd pass for GPUs: register-tiled scoring and a fused, deterministic
 * accumulation, so the data are read once per iteration and most of the time goes to fmas.
 *
 * Kernel km_assign_gemm: work-group g owns rows [g * rowsPerGroup, ...) of one launch (a block,
 * or a streamed piece of one) and processes them in tiles of KG_TILE points:
 *  1. staging: the tile is copied into local memory transposed, xt[j][p] (rows of KG_XS floats,
 *     a multiple of 4 so a work-item's KG_P points load as one float4);
 *  2. scoring: work-item (pg, cg) = (lid % KG_PG, lid / KG_PG) scores points
 *     [pg * KG_P, (pg + 1) * KG_P) of the tile against centres cg * KG_C + i of every step of
 *     KG_GROUPS * KG_C centres: a KG_P x KG_C register tile of dot products, each column one
 *     float4 of points and KG_C / 4 float4s of centres, which all work-items of a warp (same cg)
 *     read at the same address (a broadcast). score = |c|^2 - 2 x.c with the dot product fused
 *     in column order, exactly as kmeans.cl and the Java engine compute it, so the three agree
 *     on every label, ties included;
 *  3. argmin: each work-item keeps the first lowest score of its centres (visited in increasing
 *     index); the KG_GROUPS candidates of a point meet in local memory, where the lowest score
 *     and, among equal scores, the lower index win: the first lowest over all centres;
 *  4. per point (work-item p < KG_TILE): the exact squared distance in the direct form
 *     (sq_dist order), label, distance, changed count, and its bit in the mask of its cluster
 *     (local atomic_or: an OR does not depend on the order of the work-items);
 *  5. accumulation: work-item (column, subset) owns statistics column `column` (DIM sums of
 *     differences, then the weight, then the weighted distance) of the clusters c with
 *     c % KG_SUBS == subset, and adds the tile's points of each such cluster in row order (the
 *     set bits of its mask). No atomics on floats; the same input gives the same bits.
 * The group's statistics (k x STAT_COLS floats) live in local memory when they fit (accLocal),
 * else in its slot of partials; reduce.cl adds the slots of all groups in a fixed order.
 *
 * The split variant (KG_FUSED 0; KernelConfig.kmAccStreams > 0) leaves step 5 to a second kernel,
 * because step 5 is where the fused kernel spends most of its time on a GPU: its work-items each
 * walk one column of a third of the clusters point by point, one dependent chain per tile, a
 * fifth of them idle, and its statistics and masks take local memory that the scoring's tiles
 * need for occupancy. km_assign_gemm then keeps steps 1 to 4 without the masks (labels,
 * distances and changed counts as above, the same bits) and no statistics at all; km_accumulate
 * re-reads the launch's rows with their labels and distances and writes each group's slot:
 *  - work-group g owns the same rows as km_assign_gemm's group g, so the slots (and the changed
 *    counts, still written by km_assign_gemm) are those reduce.cl expects;
 *  - its work-items form `streams` streams (a launch argument: the host lowers it until the
 *    streams' arrays fit local memory) of KA_LANES work-items, work-item `lane` of a stream
 *    owning statistics column lane (and lane + KA_LANES, ..., when a row has more columns than a
 *    stream has work-items); the work-items of a stream read one row's columns together
 *    (coalesced);
 *  - stream s adds the group's rows row0 + s, row0 + s + streams, ... in that order into its own
 *    k x STAT_COLS floats in local memory, KA_UNROLL rows at a time: all their loads (label,
 *    weight, distance, value, centre) first, so that many rows are in flight, then the adds in
 *    row order;
 *  - the streams' arrays are added in stream order into the slot. Same input, same bits; with one
 *    stream the sums are the fused kernel's, bit for bit (the same float operations in the same
 *    order), with several they differ by the rounding of the different order.
 * The host falls back to the fused kernel when not even one stream's array fits local memory.
 *
 * Assumptions
 *  - common.cl precedes this file; DIM, WG_SIZE, HAVE_FP64 as there; KG_GROUPS (a power of two
 *    dividing WG_SIZE, with WG_SIZE / KG_GROUPS work-items per point group), KG_P (1, 2 or 4)
 *    and KG_C (a multiple of 4) are -D options chosen by the host (KernelConfig).
 *  - Centres as in kmeans.cl: row-major (k x DIM), transposed and padded (DIM x kPad, kPad a
 *    multiple of KG_GROUPS * KG_C, padding zero) and norms (kPad values, padding +INFINITY).
 *  - tileK: centres per local tile, a multiple of KG_GROUPS * KG_C and at most kPad; tileK ==
 *    kPad loads the centres once per group. Local sizes (host): cT tileK * DIM floats, cn tileK
 *    floats, accL k * STAT_COLS floats (when accLocal), xt DIM * KG_XS floats, exchange
 *    KG_GROUPS * KG_TILE floats and ints, tile arrays max(KG_TILE, WG_SIZE) ints (also the
 *    changed counts' reduction) and KG_TILE floats twice, masks k * KG_WORDS uints.
 *  - rowsPerGroup is a multiple of KG_TILE; labels and distances of row i of the launch are at
 *    stateOffset + i; launches use exactly WG_SIZE work-items per group.
 *  - KG_FUSED (default 1) selects the variant. With KG_FUSED 0, accLocal, accL, tW, tDist, nz
 *    and partials are not used (the host passes 4-byte local arrays), km_accumulate exists, with
 *    KA_LANES (at least 1) and KA_UNROLL (at least 1) as -D options, and is launched after
 *    km_assign_gemm on the same rows with streams * KA_LANES work-items per group and a local
 *    array of streams * k * STAT_COLS floats.
 */

#ifndef KG_GROUPS
#define KG_GROUPS 4      /* work-items sharing a point group, each scoring its own centres */
#endif
#ifndef KG_P
#define KG_P 4           /* points per work-item (register tile rows) */
#endif
#ifndef KG_C
#define KG_C 16          /* centres per work-item and step (register tile columns) */
#endif
#ifndef KG_FUSED
#define KG_FUSED 1       /* 1: step 5 in km_assign_gemm; 0: in km_accumulate (the split variant) */
#endif

#define KG_PG (WG_SIZE / KG_GROUPS)          /* point groups */
#define KG_TILE (KG_PG * KG_P)               /* points per tile */
#define KG_STEP (KG_GROUPS * KG_C)           /* centres per scoring step */
#define KG_XS (((KG_TILE + 3) / 4) * 4 + 4)  /* xt row stride: float4 aligned, rows offset in banks */
#define KG_WORDS ((KG_TILE + 31) / 32)
#define KG_SUBS (WG_SIZE / STAT_COLS > 0 ? WG_SIZE / STAT_COLS : 1)

#if KG_C % 4 != 0
#error "KG_C must be a multiple of 4"
#endif

/* Copies centres [c0, c0 + nk) into local memory (transposed, cT[j * nk + c]) with their norms. */
KM_INLINE void kg_load_centres(__global const float* restrict centresT, __global const float* restrict cnorm,
                               const int kPad, const int c0, const int nk, __local float* cT, __local float* cn) {
  const int lid = get_local_id(0);
  barrier(CLK_LOCAL_MEM_FENCE); /* the previous tile is no longer read */
  for (int e = lid; e < DIM * nk; e += WG_SIZE) {
    const int j = e / nk;
    const int c = e - j * nk;
    cT[e] = centresT[(size_t) j * kPad + c0 + c];
  }
  for (int c = lid; c < nk; c += WG_SIZE) {
    cn[c] = cnorm[c0 + c];
  }
  barrier(CLK_LOCAL_MEM_FENCE);
}

/* Points of this work-item's group, column j (KG_P values). */
#if KG_P == 4
#define KG_XLOAD(j) vload4(0, xt + (j) * KG_XS + pg * KG_P)
typedef float4 kg_pts;
#define KG_PT(v, q) ((q) == 0 ? (v).x : (q) == 1 ? (v).y : (q) == 2 ? (v).z : (v).w)
#elif KG_P == 2
#define KG_XLOAD(j) vload2(0, xt + (j) * KG_XS + pg * KG_P)
typedef float2 kg_pts;
#define KG_PT(v, q) ((q) == 0 ? (v).x : (v).y)
#elif KG_P == 1
#define KG_XLOAD(j) (xt[(j) * KG_XS + pg])
typedef float kg_pts;
#define KG_PT(v, q) (v)
#else
#error "KG_P must be 1, 2 or 4"
#endif

/*
 * Scores this work-item's points against its centres among the nk in local memory (global
 * indices c0 + ...), keeping the first lowest score per point. No barriers.
 */
KM_INLINE void kg_score(__local const float* xt, __local const float* cT, __local const float* cn, const int pg,
                        const int cg, const int c0, const int nk, float* best, int* bestIndex) {
  for (int cc = cg * KG_C; cc < nk; cc += KG_STEP) {
    float acc[KG_P][KG_C];
#pragma unroll
    for (int q = 0; q < KG_P; q++) {
#pragma unroll
      for (int i = 0; i < KG_C; i++) {
        acc[q][i] = 0.0f;
      }
    }
#if DIM <= 64
#pragma unroll 8
#endif
    for (int j = 0; j < DIM; j++) {
      const kg_pts xv = KG_XLOAD(j);
      /* (j * nk + cc) is a multiple of 4: nk and cc are multiples of KG_C. */
      __local const float4* row = (__local const float4*) (cT + j * nk + cc);
#pragma unroll
      for (int v = 0; v < KG_C / 4; v++) {
        const float4 cv = row[v];
#pragma unroll
        for (int q = 0; q < KG_P; q++) {
          const float xq = KG_PT(xv, q);
          acc[q][4 * v] = fma(xq, cv.x, acc[q][4 * v]);
          acc[q][4 * v + 1] = fma(xq, cv.y, acc[q][4 * v + 1]);
          acc[q][4 * v + 2] = fma(xq, cv.z, acc[q][4 * v + 2]);
          acc[q][4 * v + 3] = fma(xq, cv.w, acc[q][4 * v + 3]);
        }
      }
    }
#pragma unroll
    for (int i = 0; i < KG_C; i++) {
      const float norm = cn[cc + i];
#pragma unroll
      for (int q = 0; q < KG_P; q++) {
        const float score = norm - 2.0f * acc[q][i];
        if (isless(score, best[q])) {
          best[q] = score;
          bestIndex[q] = c0 + cc + i;
        }
      }
    }
  }
}

#define KG_PARAMS                                                                               \
  __global const float* restrict x, __global const float* restrict w, const int weighted,      \
  const int rows, const int rowsPerGroup, __global const float* restrict centres,               \
  __global const float* restrict centresT, __global const float* restrict cnorm, const int k,   \
  const int kPad, const int tileK, __global int* restrict labels, __global float* restrict dist, \
  __global float* restrict partials, __global int* restrict changed, const int groupBase,       \
  const int accLocal, __local float4* cTv, __local float4* cnv, __local float* accL,            \
  __local float4* xtv, __local float* exScore, __local int* exIndex, __local int* tLabel,       \
  __local float* tW, __local float* tDist, __local uint* nz, const int stateOffset

#if KG_FUSED
/* Adds the tile's points to the group's statistics: one column of some clusters per work-item. */
#define KG_ACCUMULATE_BODY                                                                      \
  for (int e = lid; e < STAT_COLS * KG_SUBS; e += WG_SIZE) {                                    \
    const int col = e % STAT_COLS;                                                              \
    const int sub = e / STAT_COLS;                                                              \
    for (int c = sub; c < k; c += KG_SUBS) {                                                    \
      float a = acc[c * STAT_COLS + col];                                                       \
      int any = 0;                                                                              \
      const float cj = col < DIM ? centres[(size_t) c * DIM + col] : 0.0f;                      \
      for (int wd = 0; wd < KG_WORDS; wd++) {                                                   \
        uint bits = nz[c * KG_WORDS + wd];                                                      \
        while (bits != 0u) {                                                                    \
          const int p = wd * 32 + (31 - (int) clz(bits & (0u - bits)));                        \
          bits &= bits - 1u;                                                                    \
          any = 1;                                                                              \
          const float wp = tW[p];                                                               \
          if (col < DIM) {                                                                      \
            a = fma(wp, xt[col * KG_XS + p] - cj, a);                                           \
          } else if (col == DIM) {                                                              \
            a += wp;                                                                            \
          } else {                                                                              \
            a = fma(wp, tDist[p], a);                                                           \
          }                                                                                     \
        }                                                                                       \
      }                                                                                         \
      if (any) {                                                                                \
        acc[c * STAT_COLS + col] = a;                                                           \
      }                                                                                         \
    }                                                                                           \
  }

KM_INLINE void kg_accumulate_local(__local float* acc, __local const float* xt, __global const float* restrict centres,
                                   const int k, __local const uint* nz, __local const float* tW,
                                   __local const float* tDist) {
  const int lid = get_local_id(0);
  KG_ACCUMULATE_BODY
}

KM_INLINE void kg_accumulate_global(__global float* acc, __local const float* xt, __global const float* restrict centres,
                                    const int k, __local const uint* nz, __local const float* tW,
                                    __local const float* tDist) {
  const int lid = get_local_id(0);
  KG_ACCUMULATE_BODY
}
#endif

__kernel __attribute__((reqd_work_group_size(WG_SIZE, 1, 1)))
void km_assign_gemm(KG_PARAMS) {
  __local float* cT = (__local float*) cTv;
  __local float* cn = (__local float*) cnv;
  __local float* xt = (__local float*) xtv;
  labels += stateOffset;
  dist += stateOffset;
  const int lid = get_local_id(0);
  const int pg = lid % KG_PG;
  const int cg = lid / KG_PG;
  const int g = get_group_id(0);
  const int row0 = g * rowsPerGroup;
  const int rowEnd = min(row0 + rowsPerGroup, rows);
  const int resident = tileK >= kPad;
#if KG_FUSED
  const int statLen = k * STAT_COLS;
  __global float* slot = partials + (size_t) (groupBase + g) * statLen;
#endif

  if (resident) {
    kg_load_centres(centresT, cnorm, kPad, 0, kPad, cT, cn);
  }
#if KG_FUSED
  km_clear_stats(accLocal, accL, slot, statLen);
#endif
  int moved = 0;

  for (int t0 = row0; t0 < rowEnd; t0 += KG_TILE) {
    const int valid = min(KG_TILE, rowEnd - t0);
    /* 1. Stage. With DIM % 4 == 0 each work-item reads one float4 of a row, so a warp reads
       512 contiguous bytes, and scatters it into four rows of xt (4-way bank conflicts on a
       GPU, a small price next to 32 sectors per load); otherwise points fastest. */
#if DIM % 4 == 0
    for (int e = lid; e < KG_TILE * (DIM / 4); e += WG_SIZE) {
      const int p = e / (DIM / 4);
      const int j = 4 * (e - p * (DIM / 4));
      const float4 v = p < valid ? vload4(0, x + (size_t) (t0 + p) * DIM + j) : (float4) (0.0f);
      xt[j * KG_XS + p] = v.x;
      xt[(j + 1) * KG_XS + p] = v.y;
      xt[(j + 2) * KG_XS + p] = v.z;
      xt[(j + 3) * KG_XS + p] = v.w;
    }
#else
    for (int e = lid; e < KG_TILE * DIM; e += WG_SIZE) {
      const int j = e / KG_TILE;
      const int p = e - j * KG_TILE;
      xt[j * KG_XS + p] = p < valid ? x[(size_t) (t0 + p) * DIM + j] : 0.0f;
    }
#endif
#if KG_FUSED
    for (int e = lid; e < k * KG_WORDS; e += WG_SIZE) {
      nz[e] = 0u;
    }
#endif
    barrier(CLK_LOCAL_MEM_FENCE | CLK_GLOBAL_MEM_FENCE);

    /* 2. Score. */
    float best[KG_P];
    int bestIndex[KG_P];
#pragma unroll
    for (int q = 0; q < KG_P; q++) {
      best[q] = INFINITY;
      bestIndex[q] = 0;
    }
    if (resident) {
      kg_score(xt, cT, cn, pg, cg, 0, kPad, best, bestIndex);
    } else {
      for (int c0 = 0; c0 < kPad; c0 += tileK) {
        const int nk = min(tileK, kPad - c0);
        kg_load_centres(centresT, cnorm, kPad, c0, nk, cT, cn);
        kg_score(xt, cT, cn, pg, cg, c0, nk, best, bestIndex);
      }
    }

    /* 3. Argmin across the work-items of a point group. */
#pragma unroll
    for (int q = 0; q < KG_P; q++) {
      exScore[cg * KG_TILE + pg * KG_P + q] = best[q];
      exIndex[cg * KG_TILE + pg * KG_P + q] = bestIndex[q];
    }
    barrier(CLK_LOCAL_MEM_FENCE);

    /* 4. Per point: label, exact distance, state, mask bit (fused). */
    for (int p = lid; p < KG_TILE; p += WG_SIZE) {
      float s = exScore[p];
      int c = exIndex[p];
      for (int h = 1; h < KG_GROUPS; h++) {
        const float sh = exScore[h * KG_TILE + p];
        const int ch = exIndex[h * KG_TILE + p];
        if (isless(sh, s) || (sh == s && ch < c)) {
          s = sh;
          c = ch;
        }
      }
      if (p < valid) {
        const int i = t0 + p;
        __global const float* cr = centres + (size_t) c * DIM;
        float d2 = 0.0f;
        for (int j = 0; j < DIM; j++) {
          const float e = xt[j * KG_XS + p] - cr[j];
          d2 = fma(e, e, d2);
        }
        if (labels[i] != c) {
          moved++;
        }
        labels[i] = c;
        dist[i] = d2;
#if KG_FUSED
        tLabel[p] = c;
        tW[p] = weighted ? w[i] : 1.0f;
        tDist[p] = d2;
        atomic_or(nz + c * KG_WORDS + p / 32, 1u << (p % 32));
#endif
      }
    }
    barrier(CLK_LOCAL_MEM_FENCE | CLK_GLOBAL_MEM_FENCE);

#if KG_FUSED
    /* 5. Accumulate. */
    if (accLocal) {
      kg_accumulate_local(accL, xt, centres, k, nz, tW, tDist);
    } else {
      kg_accumulate_global(slot, xt, centres, k, nz, tW, tDist);
    }
    barrier(CLK_LOCAL_MEM_FENCE | CLK_GLOBAL_MEM_FENCE); /* before the next tile reuses xt, nz */
#endif
  }

#if KG_FUSED
  km_finish_group(moved, tLabel, changed + groupBase + g, accLocal, accL, slot, statLen);
#else
  /* Only the changed count: km_accumulate writes the group's slot. */
  km_finish_group(moved, tLabel, changed + groupBase + g, 0, accL, partials, 0);
#endif
}

#if !KG_FUSED
#ifndef KA_LANES
#define KA_LANES STAT_COLS /* work-items per stream */
#endif
#ifndef KA_UNROLL
#define KA_UNROLL 4        /* rows a stream loads before it adds them */
#endif
/* Statistics columns per work-item: 1 unless a row has more columns than a stream work-items. */
#define KA_CPL ((STAT_COLS + KA_LANES - 1) / KA_LANES)

/*
 * Column col of row i's statistics (in the fused kernel's form): the difference to the centre
 * of its cluster c, 1 for the weight, the distance for the weighted distance; the caller adds
 * w times it, fma(w, 1, a) being exactly the fused kernel's a + w.
 */
KM_INLINE float ka_value(__global const float* restrict x, __global const float* restrict dist,
                         __global const float* restrict centres, const int i, const int c, const int col) {
  if (col < DIM) {
    return x[(size_t) i * DIM + col] - centres[(size_t) c * DIM + col];
  }
  return col == DIM ? 1.0f : dist[i];
}

/*
 * The split variant's accumulation (see the header): group g's statistics slot from the rows
 * km_assign_gemm's group g owns, their labels and distances. Launched with streams * KA_LANES
 * work-items per group and acc of streams * k * STAT_COLS floats.
 */
__kernel void km_accumulate(__global const float* restrict x, __global const float* restrict w, const int weighted,
                            const int rows, const int rowsPerGroup, __global const float* restrict centres,
                            const int k, __global const int* restrict labels, __global const float* restrict dist,
                            __global float* restrict partials, const int groupBase, const int streams,
                            __local float* acc, const int stateOffset) {
  const int lid = get_local_id(0);
  const int size = (int) get_local_size(0);
  const int s = lid / KA_LANES;
  const int lane = lid - s * KA_LANES;
  const int g = get_group_id(0);
  const int row0 = g * rowsPerGroup;
  const int rowEnd = min(row0 + rowsPerGroup, rows);
  const int statLen = k * STAT_COLS;
  __global float* slot = partials + (size_t) (groupBase + g) * statLen;
  __local float* mine = acc + s * statLen;
  labels += stateOffset;
  dist += stateOffset;

  for (int e = lid; e < streams * statLen; e += size) {
    acc[e] = 0.0f;
  }
  barrier(CLK_LOCAL_MEM_FENCE);

  if (s < streams) {
    int r = row0 + s;
    /* Whole batches of KA_UNROLL rows: the loads of the batch do not depend on its adds (global
       against local memory), so they can all be in flight before the first add. */
    for (; r + (KA_UNROLL - 1) * streams < rowEnd; r += KA_UNROLL * streams) {
      int c[KA_UNROLL];
      float wr[KA_UNROLL];
      float v[KA_UNROLL][KA_CPL];
#pragma unroll
      for (int u = 0; u < KA_UNROLL; u++) {
        const int i = r + u * streams;
        c[u] = labels[i];
        wr[u] = weighted ? w[i] : 1.0f;
      }
#pragma unroll
      for (int u = 0; u < KA_UNROLL; u++) {
#pragma unroll
        for (int q = 0; q < KA_CPL; q++) {
          const int col = lane + q * KA_LANES;
          v[u][q] = col < STAT_COLS ? ka_value(x, dist, centres, r + u * streams, c[u], col) : 0.0f;
        }
      }
      /* Row order: two rows of one cluster add into the same element. */
#pragma unroll
      for (int u = 0; u < KA_UNROLL; u++) {
#pragma unroll
        for (int q = 0; q < KA_CPL; q++) {
          const int col = lane + q * KA_LANES;
          if (col < STAT_COLS) {
            __local float* a = mine + c[u] * STAT_COLS + col;
            *a = fma(wr[u], v[u][q], *a);
          }
        }
      }
    }
    for (; r < rowEnd; r += streams) {
      const int c = labels[r];
      const float wr = weighted ? w[r] : 1.0f;
#pragma unroll
      for (int q = 0; q < KA_CPL; q++) {
        const int col = lane + q * KA_LANES;
        if (col < STAT_COLS) {
          __local float* a = mine + c * STAT_COLS + col;
          *a = fma(wr, ka_value(x, dist, centres, r, c, col), *a);
        }
      }
    }
  }
  barrier(CLK_LOCAL_MEM_FENCE);

  /* The streams in a fixed order: the same bits on every run. */
  for (int e = lid; e < statLen; e += size) {
    float t = acc[e];
    for (int h = 1; h < streams; h++) {
      t += acc[h * statLen + e];
    }
    slot[e] = t;
  }
}
#endif
