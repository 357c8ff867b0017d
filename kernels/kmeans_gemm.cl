/*
 * kmeans_gemm.cl - the Lloyd pass for GPUs: register-tiled scoring and a deterministic
 * accumulation, fused into the scoring kernel (the data read once per iteration) or, the GPU
 * default, in a second kernel that reads the data again but costs less than the fused step.
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
 *  5. accumulation: each element of the statistics (a cluster's column: DIM sums of
 *     differences, then the weight, then the weighted distance) belongs to one work-item, which
 *     adds the tile's points of that cluster in row order (the set bits of its mask); elements
 *     are dealt out in km_accumulate's order, so a warp's work-items walk one cluster's points
 *     together. No atomics on floats; the same input gives the same bits.
 * The group's statistics (k x STAT_COLS floats) live in local memory when they fit (accLocal),
 * else in its slot of partials; reduce.cl adds the slots of all groups in a fixed order.
 *
 * The split variant (KG_FUSED 0; KernelConfig.kmAccSplit, the GPU default) leaves step 5 to a
 * second kernel, because step 5 is where the fused kernel spends most of its time on a GPU: its
 * work-items each walk one column of a third of the clusters point by point, one dependent chain
 * per tile, a fifth of them idle, and its statistics and masks take local memory that the
 * scoring's tiles need for occupancy. km_assign_gemm then keeps steps 1 to 4 without the masks
 * (labels, distances and changed counts as above, the same bits) and no statistics at all;
 * km_accumulate re-reads the launch's rows with their labels and writes each group's slot with
 * the fused kernel's bits (a counting sort of the group's rows by cluster, then one work-item per
 * statistics element adding its cluster's rows in row order: see km_accumulate). Work-group g
 * owns the same rows as km_assign_gemm's group g, so the slots (and the changed counts, still
 * written by km_assign_gemm) are those reduce.cl expects. Reading the data twice costs less than
 * step 5: on an H100 (n = 10M, d = 32, k = 64) km_accumulate takes 0.66 ms (0.82 before its
 * masks got an odd stride) where step 5 took about 1.9 ms of the fused kernel's 4.2
 * (docs/benchmarks.md, GPU).
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
 *    KA_UNROLL (at least 1) and KA_WG (its work-group size) as -D options, and is launched after
 *    km_assign_gemm on the same rows and groups with the local arrays it names.
 *  - KG_PRUNE (default 0; KernelConfig.pruning, resident data, cl_khr_fp64) selects the pruned
 *    form, which takes the arguments KG_PRUNE_PARAMS names.
 *
 * The pruned form (KG_PRUNE 1) adds Hamerly's bounds, as kmeans_pruned.cl does for the scan
 * kernel, between steps 1 and 2: each point of the tile whose bound test proves that the
 * scoring would pick its label again keeps it, with its exact distance and a new lower bound
 * (step P). If more than KG_SCAN_MAX points fail, the whole tile takes steps 2 to 4 as above
 * (also keeping each point's second-lowest score, for its new bound); if fewer, each failing
 * point is scored by one work-item against every centre (kg_scan_row: kg_score's arithmetic in
 * kg_score's order, so the same label and distance). Either way every point ends with the
 * unpruned kernel's label and distance, and step 5 (or km_accumulate) adds them in row order:
 * the pruned form gives the unpruned kernel's bits, with scoring work only where labels may
 * change. On Gaussian blobs most rows keep their label after a few passes.
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
#ifndef KG_PRUNE
#define KG_PRUNE 0       /* 1: Hamerly's bounds spare rows the scoring (the pruned form, below) */
#endif
#if KG_PRUNE && !defined(HAVE_FP64)
#error "KG_PRUNE needs cl_khr_fp64: the bound test runs in double"
#endif

#define KG_PG (WG_SIZE / KG_GROUPS)          /* point groups */
#define KG_TILE (KG_PG * KG_P)               /* points per tile */
#define KG_STEP (KG_GROUPS * KG_C)           /* centres per scoring step */
#define KG_XS (((KG_TILE + 3) / 4) * 4 + 4)  /* xt row stride: float4 aligned, rows offset in banks */
/* Point p of row j of xt sits at KG_XAT(j, p): p with its float4 slot XORed with (j / 8) % 4.
   Staging writes a warp's four rows of eight float4s (rows p..p+3, columns 4t..4t+3) as four
   scalar stores per work-item; with rows KG_XS = 4 (mod 32) floats apart alone, columns 4t and
   4t + 8 fell in the same banks (4-way conflicts: a fifth of km_assign_gemm's stall samples on
   an H100, docs/benchmarks.md); the XOR spreads them over all 32 banks. The scoring's reads stay
   whole aligned vectors (a warp reads a permutation of a row's slots), constant within its
   eight unrolled columns, and any KG_TILE % 16 == 0 keeps p's slot in its block of four. */
#if KG_TILE % 16 == 0
#define KG_XAT(j, p) ((j) * KG_XS + ((p) ^ ((((j) >> 3) & 3) << 2)))
#else
#define KG_XAT(j, p) ((j) * KG_XS + (p))
#endif
#define KG_WORDS ((KG_TILE + 31) / 32)
#define KG_PPW ((KG_TILE + WG_SIZE - 1) / WG_SIZE) /* points per work-item in step 4 */
/* Pruned form: a tile whose rows failing the bound test are at most this many scores them one
   row per work-item (one warp's worth on a GPU); more, and the whole tile takes steps 2 and 3. */
#define KG_SCAN_MAX (WG_SIZE < 32 ? WG_SIZE : 32)

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
#define KG_XLOAD(j) vload4(0, xt + KG_XAT(j, pg * KG_P))
typedef float4 kg_pts;
#define KG_PT(v, q) ((q) == 0 ? (v).x : (q) == 1 ? (v).y : (q) == 2 ? (v).z : (v).w)
#elif KG_P == 2
#define KG_XLOAD(j) vload2(0, xt + KG_XAT(j, pg * KG_P))
typedef float2 kg_pts;
#define KG_PT(v, q) ((q) == 0 ? (v).x : (v).y)
#elif KG_P == 1
#define KG_XLOAD(j) (xt[KG_XAT(j, pg)])
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
                        const int cg, const int c0, const int nk, float* best, int* bestIndex, float* second) {
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
#if KG_PRUNE
          second[q] = best[q];
#endif
          best[q] = score;
          bestIndex[q] = c0 + cc + i;
        }
#if KG_PRUNE
        else if (isless(score, second[q])) {
          second[q] = score;
        }
#endif
      }
    }
  }
}

#if KG_PRUNE
/* The pruned form's arguments (after stateOffset): per row `lower` (at stateOffset + i, as the
   labels), a lower bound on its distance to every centre but its label, valid for the previous
   pass's centres when `carry` != 0; `moves` (2k doubles: separations, then drifts), `up`,
   `down`, `marginBase`, `marginSlope` as kmeans_pruned.cl's; local exSecond (KG_GROUPS *
   KG_TILE floats) and failList (2 * KG_TILE + 1 ints). */
#define KG_PRUNE_PARAMS                                                                         \
  , __global float* restrict lower, __global const double* restrict moves, const int carry,     \
  const double up, const double down, const double marginBase, const double marginSlope,        \
  __local float* exSecond, __local int* failList
#else
#define KG_PRUNE_PARAMS
#endif

#define KG_PARAMS                                                                               \
  __global const float* restrict x, __global const float* restrict w, const int weighted,      \
  const int rows, const int rowsPerGroup, __global const float* restrict centres,               \
  __global const float* restrict centresT, __global const float* restrict cnorm, const int k,   \
  const int kPad, const int tileK, __global int* restrict labels, __global float* restrict dist, \
  __global float* restrict partials, __global int* restrict changed, const int groupBase,       \
  const int accLocal, __local float4* cTv, __local float4* cnv, __local float* accL,            \
  __local float4* xtv, __local float* exScore, __local int* exIndex, __local int* tLabel,       \
  __local float* tW, __local float* tDist, __local uint* nz, const int stateOffset KG_PRUNE_PARAMS

/*
 * The exact squared distance of the tile's point p to centre c in the direct form (sq_dist
 * order), from the centres in local memory where all are there (the same floats as centres):
 * a gather from global memory here took 0.6 of 4.2 ms per launch of the fused kernel on an H100.
 */
KM_INLINE float kg_exact(__local const float* xt, const int p, const int c, const int resident,
                         __local const float* cT, const int kPad, __global const float* restrict centres) {
  float d2 = 0.0f;
  if (resident) {
    for (int j = 0; j < DIM; j++) {
      const float e = xt[KG_XAT(j, p)] - cT[j * kPad + c];
      d2 = fma(e, e, d2);
    }
  } else {
    __global const float* cr = centres + (size_t) c * DIM;
    for (int j = 0; j < DIM; j++) {
      const float e = xt[KG_XAT(j, p)] - cr[j];
      d2 = fma(e, e, d2);
    }
  }
  return d2;
}

#if KG_PRUNE
/*
 * The pruned form's scoring of one row (the tile's point p) against the nk centres in local
 * memory, by one work-item: kg_score's dot products (fused in column order from 0) and scores,
 * centres in increasing index, so the lowest score and its first index are kg_score's; also the
 * lowest score of the other centres (`second`), for the row's new lower bound.
 */
KM_INLINE void kg_scan_row(__local const float* xt, const int p, __local const float* cT, __local const float* cn,
                           const int c0, const int nk, float* best, int* bestIndex, float* second) {
  for (int cc = 0; cc < nk; cc += 8) {
    float4 a0 = (float4) (0.0f);
    float4 a1 = (float4) (0.0f);
#if DIM <= 64
#pragma unroll 8
#endif
    for (int j = 0; j < DIM; j++) {
      const float4 xj = (float4) (xt[KG_XAT(j, p)]);
      /* (j * nk + cc) is a multiple of 4: nk and cc are multiples of 8. */
      __local const float4* row = (__local const float4*) (cT + j * nk + cc);
      a0 = fma(xj, row[0], a0);
      a1 = fma(xj, row[1], a1);
    }
    const float dot[8] = {a0.x, a0.y, a0.z, a0.w, a1.x, a1.y, a1.z, a1.w};
#pragma unroll
    for (int i = 0; i < 8; i++) {
      const float score = cn[cc + i] - 2.0f * dot[i];
      if (isless(score, *best)) {
        *second = *best;
        *best = score;
        *bestIndex = c0 + cc + i;
      } else if (isless(score, *second)) {
        *second = score;
      }
    }
  }
}
#endif

#if KG_FUSED
/*
 * Adds the tile's points to the group's statistics. Element e of the statistics (cluster c,
 * column col: the k * DIM sums of differences first, cluster by cluster, then each cluster's
 * weight and distance columns, km_accumulate's order) belongs to work-item e % WG_SIZE, which
 * adds the tile's points of cluster c (the set bits of its mask) in row order: the work-items of
 * a warp then walk the same cluster's points, and the sums keep the order, hence the bits, of
 * km_accumulate.
 */
#define KG_ACCUMULATE_BODY                                                                      \
  for (int e = lid; e < k * STAT_COLS; e += WG_SIZE) {                                          \
    int c;                                                                                      \
    int col;                                                                                    \
    if (e < k * DIM) {                                                                          \
      c = e / DIM;                                                                              \
      col = e - c * DIM;                                                                        \
    } else {                                                                                    \
      c = (e - k * DIM) / 2;                                                                    \
      col = DIM + (e - k * DIM - 2 * c);                                                        \
    }                                                                                           \
    uint present = 0u;                                                                          \
    for (int wd = 0; wd < KG_WORDS; wd++) {                                                     \
      present |= nz[c * KG_WORDS + wd];                                                         \
    }                                                                                           \
    if (present == 0u) {                                                                        \
      continue;                                                                                 \
    }                                                                                           \
    float a = acc[c * STAT_COLS + col];                                                         \
    const float cj = col < DIM ? centres[(size_t) c * DIM + col] : 0.0f;                        \
    for (int wd = 0; wd < KG_WORDS; wd++) {                                                     \
      uint bits = nz[c * KG_WORDS + wd];                                                        \
      while (bits != 0u) {                                                                      \
        const int p = wd * 32 + (31 - (int) clz(bits & (0u - bits)));                          \
        bits &= bits - 1u;                                                                      \
        const float wp = tW[p];                                                                 \
        if (col < DIM) {                                                                        \
          a = fma(wp, xt[KG_XAT(col, p)] - cj, a);                                             \
        } else if (col == DIM) {                                                                \
          a += wp;                                                                              \
        } else {                                                                                \
          a = fma(wp, tDist[p], a);                                                             \
        }                                                                                       \
      }                                                                                         \
    }                                                                                           \
    acc[c * STAT_COLS + col] = a;                                                               \
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

/*
 * Writes the tile's point p (row i) with its label c and exact distance d2 into the fused
 * kernel's per-point arrays for step 5, and its bit into its cluster's mask.
 */
#if KG_FUSED
#define KG_RECORD(p, i, c, d2)                                                                  \
  tLabel[p] = (c);                                                                              \
  tW[p] = weighted ? w[i] : 1.0f;                                                               \
  tDist[p] = (d2);                                                                              \
  atomic_or(nz + (c) * KG_WORDS + (p) / 32, 1u << ((p) % 32));
#else
#define KG_RECORD(p, i, c, d2)
#endif

/*
 * Steps 2 and 3 for the staged tile: the point p = lid + m * WG_SIZE of this work-item gets the
 * lowest score s[m], its first index c[m] and, in the pruned form, the lowest score of the
 * other centres s2[m] (the other point groups' best, the winner's second). Reached by all
 * work-items; ends with the exchange read (a barrier precedes the next writes to it).
 */
KM_INLINE void kg_nearest(__local const float* xt, __global const float* restrict centresT,
                          __global const float* restrict cnorm, const int kPad, const int tileK, const int resident,
                          __local float* cT, __local float* cn, __local float* exScore, __local int* exIndex,
                          __local float* exSecond, float* s, int* c, float* s2) {
  const int lid = get_local_id(0);
  const int pg = lid % KG_PG;
  const int cg = lid / KG_PG;
  float best[KG_P];
  int bestIndex[KG_P];
  float second[KG_P];
#pragma unroll
  for (int q = 0; q < KG_P; q++) {
    best[q] = INFINITY;
    bestIndex[q] = 0;
    second[q] = INFINITY;
  }
  if (resident) {
    kg_score(xt, cT, cn, pg, cg, 0, kPad, best, bestIndex, second);
  } else {
    for (int c0 = 0; c0 < kPad; c0 += tileK) {
      const int nk = min(tileK, kPad - c0);
      kg_load_centres(centresT, cnorm, kPad, c0, nk, cT, cn);
      kg_score(xt, cT, cn, pg, cg, c0, nk, best, bestIndex, second);
    }
  }
#pragma unroll
  for (int q = 0; q < KG_P; q++) {
    exScore[cg * KG_TILE + pg * KG_P + q] = best[q];
    exIndex[cg * KG_TILE + pg * KG_P + q] = bestIndex[q];
#if KG_PRUNE
    exSecond[cg * KG_TILE + pg * KG_P + q] = second[q];
#endif
  }
  barrier(CLK_LOCAL_MEM_FENCE);
#pragma unroll
  for (int m = 0; m < KG_PPW; m++) {
    const int p = lid + m * WG_SIZE;
    if (p >= KG_TILE) {
      continue; /* (a break would keep the loop from unrolling) */
    }
    float sm = exScore[p];
    int cm = exIndex[p];
#if KG_PRUNE
    float sm2 = exSecond[p];
#endif
    for (int h = 1; h < KG_GROUPS; h++) {
      const float sh = exScore[h * KG_TILE + p];
      const int ch = exIndex[h * KG_TILE + p];
      if (isless(sh, sm) || (sh == sm && ch < cm)) {
#if KG_PRUNE
        sm2 = fmin(fmin(sm2, sm), exSecond[h * KG_TILE + p]);
#endif
        sm = sh;
        cm = ch;
      }
#if KG_PRUNE
      else {
        sm2 = fmin(sm2, sh);
      }
#endif
    }
    s[m] = sm;
    c[m] = cm;
#if KG_PRUNE
    s2[m] = sm2;
#endif
  }
}

/* Copies rows into the tile, transposed: point p < count is row base + p, or with useList, row
   list[p]; the others are zero. With DIM % 4 == 0 each work-item reads one float4 of a row, so
   a warp reads 512 contiguous bytes of a staged tile, and scatters it into four rows of xt
   (without bank conflicts: see KG_XAT); otherwise points fastest. Where a work-item copies at
   most eight float4s (DIM <= 32 with the default tile) it issues all its loads before its first
   store, so their latencies overlap: on an H100 (n = 10M, d = 32, k = 64) the hoisted loads and
   the swizzle took km_assign_gemm from 1.45 to 1.32 ms per launch (1.40 and 1.45 with one of the
   two alone; docs/benchmarks.md). */
KM_INLINE void kg_stage(__global const float* restrict x, const int base, __local const int* list, const int useList,
                        const int count, __local float* xt) {
  const int lid = get_local_id(0);
#define KG_STAGE_N ((KG_TILE * (DIM / 4)) / WG_SIZE) /* float4s a work-item copies per tile */
#if DIM % 4 == 0 && (KG_TILE * (DIM / 4)) % WG_SIZE == 0 && KG_STAGE_N <= 8
  float4 v[KG_STAGE_N];
#pragma unroll
  for (int m = 0; m < KG_STAGE_N; m++) {
    const int e = lid + m * WG_SIZE;
    const int p = e / (DIM / 4);
    const int j = 4 * (e - p * (DIM / 4));
    const int row = p < count ? (useList ? list[p] : base + p) : 0;
    v[m] = p < count ? vload4(0, x + (size_t) row * DIM + j) : (float4) (0.0f);
  }
#pragma unroll
  for (int m = 0; m < KG_STAGE_N; m++) {
    const int e = lid + m * WG_SIZE;
    const int p = e / (DIM / 4);
    const int j = 4 * (e - p * (DIM / 4));
    xt[KG_XAT(j, p)] = v[m].x;
    xt[KG_XAT(j + 1, p)] = v[m].y;
    xt[KG_XAT(j + 2, p)] = v[m].z;
    xt[KG_XAT(j + 3, p)] = v[m].w;
  }
#elif DIM % 4 == 0
  for (int e = lid; e < KG_TILE * (DIM / 4); e += WG_SIZE) {
    const int p = e / (DIM / 4);
    const int j = 4 * (e - p * (DIM / 4));
    const int row = p < count ? (useList ? list[p] : base + p) : 0;
    const float4 v = p < count ? vload4(0, x + (size_t) row * DIM + j) : (float4) (0.0f);
    xt[KG_XAT(j, p)] = v.x;
    xt[KG_XAT(j + 1, p)] = v.y;
    xt[KG_XAT(j + 2, p)] = v.z;
    xt[KG_XAT(j + 3, p)] = v.w;
  }
#else
  for (int e = lid; e < KG_TILE * DIM; e += WG_SIZE) {
    const int j = e / KG_TILE;
    const int p = e - j * KG_TILE;
    const int row = p < count ? (useList ? list[p] : base + p) : 0;
    xt[KG_XAT(j, p)] = p < count ? x[(size_t) row * DIM + j] : 0.0f;
  }
#endif
}

/* The split variant's pruned form gathers the rows that fail the bound test from all the
   group's tiles into one list and scores them a full tile at a time (a tile of points from
   several staged tiles), so that scoring work follows the failing rows, not the tiles they are
   in: on blobs 4% to 6% of rows fail in every pass, a few in nearly every tile. The fused
   kernel must have each tile's labels before its step 5, so it scores a tile's failing rows
   within the tile. */
#if KG_PRUNE && !KG_FUSED
#define KG_COMPACT 1
#define KG_LIST (2 * KG_TILE)  /* the list never holds more than a tile's rows beyond a tile */
#else
#define KG_COMPACT 0
#define KG_LIST KG_TILE
#endif

__kernel __attribute__((reqd_work_group_size(WG_SIZE, 1, 1)))
void km_assign_gemm(KG_PARAMS) {
  __local float* cT = (__local float*) cTv;
  __local float* cn = (__local float*) cnv;
  __local float* xt = (__local float*) xtv;
#if !KG_PRUNE
  __local float* exSecond = exScore; /* (kg_nearest's argument; unused) */
#endif
  labels += stateOffset;
  dist += stateOffset;
#if KG_PRUNE
  lower += stateOffset;
#endif
  const int lid = get_local_id(0);
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
#if KG_COMPACT
  if (lid == 0) {
    failList[KG_LIST] = 0;
  }
  barrier(CLK_LOCAL_MEM_FENCE);
#endif
  int moved = 0;

  for (int t0 = row0; t0 < rowEnd; t0 += KG_TILE) {
    const int valid = min(KG_TILE, rowEnd - t0);
#if KG_COMPACT
    /* Rows listed by earlier tiles: read before the staging barrier, after which this tile's
       rows are added. */
    const int pending = failList[KG_LIST];
#endif
    /* The previous labels of this work-item's points in step 4, loaded now so that their
       latency passes during staging and scoring: read in step 4 itself, they were a third of
       the kernel's time on an H100 (2.16 against 1.37 to 1.42 ms per launch, n = 10M, d = 32,
       k = 64). */
    int oldLabel[KG_PPW];
#if KG_PRUNE
    float oldLower[KG_PPW];
#endif
#pragma unroll
    for (int m = 0; m < KG_PPW; m++) {
      const int p = lid + m * WG_SIZE;
      oldLabel[m] = p < valid ? labels[t0 + p] : -1;
#if KG_PRUNE
      oldLower[m] = carry && p < valid ? lower[t0 + p] : 0.0f;
#endif
    }
#if KG_PRUNE && !KG_COMPACT
    if (lid == 0) {
      failList[KG_LIST] = 0;
    }
#endif
    /* 1. Stage. */
    kg_stage(x, t0, tLabel, 0, valid, xt); /* (no list: tLabel only fills the argument) */
#if KG_FUSED
    for (int e = lid; e < k * KG_WORDS; e += WG_SIZE) {
      nz[e] = 0u;
    }
#endif
    barrier(CLK_LOCAL_MEM_FENCE | CLK_GLOBAL_MEM_FENCE);

#if KG_PRUNE
    /* P. The bound test (BoundTest.keep): a point whose bounds prove that the scoring would
       pick its label again keeps it, with its exact distance and a new lower bound, and skips
       steps 2 to 4; the others go to failList (a local counter: the list's order does not
       matter, each point's result is its own): the tile's points, or in the compacted form
       the rows themselves. tLabel holds the tile's previous labels for kg_scan_row's points. */
    int kept[KG_PPW];
#pragma unroll
    for (int m = 0; m < KG_PPW; m++) {
      const int p = lid + m * WG_SIZE;
      kept[m] = 0;
      if (p < KG_TILE && p < valid) {
        const int a = oldLabel[m];
        tLabel[p] = a;
        if (carry) {
          const float d2 = kg_exact(xt, p, a, resident, cT, kPad, centres);
          const double l = kp_keep(d2, oldLower[m], moves[a], moves[k + a], up, marginBase, marginSlope);
          if (l >= 0.0) {
            const int i = t0 + p;
            kept[m] = 1;
            dist[i] = d2;
            lower[i] = kp_float_down(l);
            KG_RECORD(p, i, a, d2)
          }
        }
        if (!kept[m]) {
          failList[atomic_inc(failList + KG_LIST)] = KG_COMPACT ? t0 + p : p;
        }
      }
    }
    barrier(CLK_LOCAL_MEM_FENCE);
    int failed = failList[KG_LIST];
#endif

#if KG_COMPACT
    /* Steps 2 to 4 in rounds of a tile. The first round, where more than KG_SCAN_MAX of this
       tile's rows failed (the first passes), scores the tile in place, as the unpruned kernel
       would, and drops those rows from the list; the others score the listed rows a full tile
       at a time (staged from the list), and at the group's end the rest. One call site of
       kg_nearest: PoCL crashed on a kernel with two. */
    int inPlace = failed - pending > KG_SCAN_MAX;
    const int lastTile = t0 + KG_TILE >= rowEnd;
    while (inPlace || failed >= KG_TILE || (lastTile && failed > 0)) {
      const int count = inPlace ? valid : min(failed, KG_TILE);
      if (!inPlace) {
        barrier(CLK_LOCAL_MEM_FENCE); /* xt and the exchange are free */
        kg_stage(x, 0, failList, 1, count, xt);
        barrier(CLK_LOCAL_MEM_FENCE | CLK_GLOBAL_MEM_FENCE);
      }
      float s[KG_PPW];
      int c[KG_PPW];
      float s2[KG_PPW];
      kg_nearest(xt, centresT, cnorm, kPad, tileK, resident, cT, cn, exScore, exIndex, exSecond, s, c, s2);
#pragma unroll
      for (int m = 0; m < KG_PPW; m++) {
        const int p = lid + m * WG_SIZE;
        if (p < KG_TILE && p < count && !(inPlace && kept[m])) {
          const int i = inPlace ? t0 + p : failList[p];
          const int old = inPlace ? oldLabel[m] : labels[i];
          const float d2 = kg_exact(xt, p, c[m], resident, cT, kPad, centres);
          if (old != c[m]) {
            moved++;
          }
          labels[i] = c[m];
          dist[i] = d2;
          lower[i] = kp_float_down(kp_lower_after_scan(d2, s[m], s2[m], up, down, marginBase, marginSlope));
        }
      }
      barrier(CLK_LOCAL_MEM_FENCE);
      if (inPlace) {
        /* This tile's rows leave the list: back to the rows of earlier tiles. */
        if (lid == 0) {
          failList[KG_LIST] = pending;
        }
        failed = pending;
        inPlace = 0;
      } else {
        /* The rest moves to the front: [count, failed) to [0, failed - count), which do not
           overlap (failed < 2 * KG_TILE). */
        for (int e = lid; e < failed - count; e += WG_SIZE) {
          failList[e] = failList[count + e];
        }
        if (lid == 0) {
          failList[KG_LIST] = failed - count;
        }
        failed -= count;
      }
      barrier(CLK_LOCAL_MEM_FENCE);
    }
#else
#if KG_PRUNE
    const int dense = failed > KG_SCAN_MAX;
#else
    const int dense = 1;
#endif
    if (dense) {
      /* 2 and 3. Score; the argmin across the work-items of a point group. */
      float s[KG_PPW];
      int c[KG_PPW];
      float s2[KG_PPW];
      kg_nearest(xt, centresT, cnorm, kPad, tileK, resident, cT, cn, exScore, exIndex, exSecond, s, c, s2);
      /* 4. Per point: label, exact distance, state, mask bit (fused). */
#pragma unroll
      for (int m = 0; m < KG_PPW; m++) {
        const int p = lid + m * WG_SIZE;
#if KG_PRUNE
        /* Kept points were written in step P, with the same label and distance. (Not a
           `continue`: with two points per work-item, PoCL then skipped the second point.) */
        const int todo = !kept[m];
#else
        const int todo = 1;
#endif
        if (todo && p < KG_TILE && p < valid) {
          const int i = t0 + p;
          const float d2 = kg_exact(xt, p, c[m], resident, cT, kPad, centres);
          if (oldLabel[m] != c[m]) {
            moved++;
          }
          labels[i] = c[m];
          dist[i] = d2;
#if KG_PRUNE
          lower[i] = kp_float_down(kp_lower_after_scan(d2, s[m], s2[m], up, down, marginBase, marginSlope));
#endif
          KG_RECORD(p, i, c[m], d2)
        }
      }
    }
#if KG_PRUNE
    else if (failed > 0) {
      /* 2'. The few points that failed, one per work-item (failed <= KG_SCAN_MAX <= WG_SIZE):
         each scored against every centre by kg_scan_row, which gives kg_score's label. */
      const int p = lid < failed ? failList[lid] : -1;
      float best = INFINITY;
      float second = INFINITY;
      int c = 0;
      if (resident) {
        if (p >= 0) {
          kg_scan_row(xt, p, cT, cn, 0, kPad, &best, &c, &second);
        }
      } else {
        for (int c0 = 0; c0 < kPad; c0 += tileK) {
          const int nk = min(tileK, kPad - c0);
          kg_load_centres(centresT, cnorm, kPad, c0, nk, cT, cn);
          if (p >= 0) {
            kg_scan_row(xt, p, cT, cn, c0, nk, &best, &c, &second);
          }
        }
      }
      if (p >= 0) {
        const int i = t0 + p;
        const float d2 = kg_exact(xt, p, c, resident, cT, kPad, centres);
        if (tLabel[p] != c) {
          moved++;
        }
        labels[i] = c;
        dist[i] = d2;
        lower[i] = kp_float_down(kp_lower_after_scan(d2, best, second, up, down, marginBase, marginSlope));
        KG_RECORD(p, i, c, d2)
      }
    }
#endif
#endif
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
#ifndef KA_UNROLL
#define KA_UNROLL 4        /* rows a work-item of km_accumulate loads before it adds them */
#endif
#ifndef KA_WG
#define KA_WG 256          /* work-items per group of km_accumulate */
#endif

/*
 * The split variant's accumulation: group g's statistics slot from the rows km_assign_gemm's
 * group g owns and their labels and distances, with the fused kernel's bits. The group's rows
 * are taken in chunks of chunkRows (a launch argument: the host makes the chunk's arrays fit
 * local memory, so rows per group may grow with n without pushing the kernel out), and per chunk:
 *  1. each row's label goes to local memory and sets its bit in its cluster's mask (atomic_or:
 *     an OR does not depend on the order of the work-items);
 *  2. per cluster, its rows are counted (popcount of its mask words) and the counts scanned in
 *     cluster order: the cluster's rows will be perm[start[c] .. start[c + 1]), in row order
 *     (a stable counting sort, the same on every run);
 *  3. each row finds its place from the scan and the bits below it in its cluster's mask;
 *  4. each (cluster, column) element of the slot is one work-item's, in every chunk: it adds its
 *     cluster's rows in row order to the sum the earlier chunks left in the slot, the fused
 *     kernel's float operations in the fused kernel's order (same bits), KA_UNROLL rows loaded
 *     before they are added. Elements of data columns come first, cluster by cluster, so the
 *     work-items of a warp read one row's columns together (coalesced), and the weight and
 *     distance columns after them.
 * No element is shared, so no float is ever added by two work-items: no atomics on floats.
 * Local arrays: lab and perm chunkRows ints, masks and pre k * (ceil(chunkRows / 32) | 1), start
 * k + 1 ints.
 */
__kernel __attribute__((reqd_work_group_size(KA_WG, 1, 1)))
void km_accumulate(__global const float* restrict x, __global const float* restrict w, const int weighted,
                   const int rows, const int rowsPerGroup, __global const float* restrict centres,
                   const int k, __global const int* restrict labels, __global const float* restrict dist,
                   __global float* restrict partials, const int groupBase, __local int* lab,
                   __local uint* masks, __local int* pre, __local int* start, __local int* perm,
                   const int stateOffset, const int chunkRows) {
  const int lid = get_local_id(0);
  const int g = get_group_id(0);
  const int row0 = g * rowsPerGroup;
  const int rowEnd = min(row0 + rowsPerGroup, rows);
  const int words = (chunkRows + 31) / 32;
  /* Row stride of masks and pre: odd, so that the same word of different clusters falls in
     different banks (with words = 32, a stride of 32 put every cluster's word w in bank w, and a
     warp's atomic_or, counts and places in step 1 to 3 queued up to 32-way on it). */
  const int ms = words | 1;
  const int statLen = k * STAT_COLS;
  __global float* slot = partials + (size_t) (groupBase + g) * statLen;
  labels += stateOffset;
  dist += stateOffset;

  for (int r0 = row0; r0 < rowEnd; r0 += chunkRows) {
    const int n = min(chunkRows, rowEnd - r0);

    /* 1. Labels and masks. */
    for (int e = lid; e < k * ms; e += KA_WG) {
      masks[e] = 0u;
    }
    barrier(CLK_LOCAL_MEM_FENCE);
    for (int r = lid; r < n; r += KA_WG) {
      const int c = labels[r0 + r];
      lab[r] = c;
      atomic_or(masks + c * ms + r / 32, 1u << (r % 32));
    }
    barrier(CLK_LOCAL_MEM_FENCE);

    /* 2. Counts, their scan in cluster order, each word's first place. */
    if (lid == 0) {
      start[0] = 0;
    }
    for (int c = lid; c < k; c += KA_WG) {
      int t = 0;
      for (int wd = 0; wd < words; wd++) {
        t += (int) popcount(masks[c * ms + wd]);
      }
      start[c + 1] = t;
    }
    barrier(CLK_LOCAL_MEM_FENCE);
    if (lid == 0) {
      for (int c = 0; c < k; c++) {
        start[c + 1] += start[c];
      }
    }
    barrier(CLK_LOCAL_MEM_FENCE);
    for (int c = lid; c < k; c += KA_WG) {
      int t = start[c];
      for (int wd = 0; wd < words; wd++) {
        pre[c * ms + wd] = t;
        t += (int) popcount(masks[c * ms + wd]);
      }
    }
    barrier(CLK_LOCAL_MEM_FENCE);

    /* 3. Each row's place. */
    for (int r = lid; r < n; r += KA_WG) {
      const int m = lab[r] * ms + r / 32;
      perm[pre[m] + (int) popcount(masks[m] & ((1u << (r % 32)) - 1u))] = r;
    }
    barrier(CLK_LOCAL_MEM_FENCE);

    /* 4. One (cluster, column) element per work-item at a time; the slot carries the sums from
       one chunk to the next (the same work-item reads what it wrote). */
    for (int e = lid; e < statLen; e += KA_WG) {
      int c;
      int col;
      if (e < k * DIM) {
        c = e / DIM;
        col = e - c * DIM;
      } else {
        c = (e - k * DIM) / 2;
        col = DIM + (e - k * DIM - 2 * c);
      }
      const int end = start[c + 1];
      int j = start[c];
      float a = r0 == row0 ? 0.0f : slot[c * STAT_COLS + col];
      if (col < DIM) {
        const float cj = centres[(size_t) c * DIM + col];
        for (; j + KA_UNROLL <= end; j += KA_UNROLL) {
          float v[KA_UNROLL];
          float wr[KA_UNROLL];
#pragma unroll
          for (int u = 0; u < KA_UNROLL; u++) {
            const int i = r0 + perm[j + u];
            v[u] = x[(size_t) i * DIM + col];
            wr[u] = weighted ? w[i] : 1.0f;
          }
#pragma unroll
          for (int u = 0; u < KA_UNROLL; u++) {
            a = fma(wr[u], v[u] - cj, a);
          }
        }
        for (; j < end; j++) {
          const int i = r0 + perm[j];
          a = fma(weighted ? w[i] : 1.0f, x[(size_t) i * DIM + col] - cj, a);
        }
      } else if (col == DIM) {
        for (; j < end; j++) {
          a += weighted ? w[r0 + perm[j]] : 1.0f;
        }
      } else {
        for (; j + KA_UNROLL <= end; j += KA_UNROLL) {
          float v[KA_UNROLL];
          float wr[KA_UNROLL];
#pragma unroll
          for (int u = 0; u < KA_UNROLL; u++) {
            const int i = r0 + perm[j + u];
            v[u] = dist[i];
            wr[u] = weighted ? w[i] : 1.0f;
          }
#pragma unroll
          for (int u = 0; u < KA_UNROLL; u++) {
            a = fma(wr[u], v[u], a);
          }
        }
        for (; j < end; j++) {
          const int i = r0 + perm[j];
          a = fma(weighted ? w[i] : 1.0f, dist[i], a);
        }
      }
      slot[c * STAT_COLS + col] = a;
    }
    barrier(CLK_LOCAL_MEM_FENCE); /* the next chunk reuses the local arrays */
  }
}
#endif
