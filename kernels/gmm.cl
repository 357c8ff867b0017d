/*
 * gmm.cl - the Gaussian-mixture E-step (gmm_expect) and the per-point pass (gmm_pointwise).
 *
 * Per point x and component c, with U_c the upper-triangular Cholesky factor of the precision
 * (U U^T = inverse(Sigma), scikit-learn's precisions_cholesky_):
 *   lp_c = log(weight_c N(x | mu_c, Sigma_c)) - shift = lnd_c - |(x - mu_c) U_c|^2 / 2
 * in the centred form (never |x|^2 - 2 x.mu + |mu|^2), then per point the log-sum-exp
 * log p(x) - shift = max + log(sum_c exp(lp_c - max)), the responsibilities
 * r_c = w exp(lp_c - max) / sum (SOFT) or r_c = w for the first largest lp_c and 0 otherwise
 * (HARD), and the statistics, about the float means mu_c (the host corrects them to the
 * double means it was given):
 *   N_c = sum r_c,  S_c = sum r_c (x - mu_c),  Q = sum r_c (x - mu_c)(x - mu_c)^T
 * shaped per covariance type (GMM_COV): full, one Q per component (upper-triangular blocks);
 * tied, one Q summed over components; diagonal (diag and spherical), the diagonal per component.
 *
 * Work decomposition. Work-group g of a launch owns rows [g * rowsPerGroup, ...) of one block
 * (or of a streamed piece of one, see RowBlocks) and processes them in tiles of GMM_TILE
 * points. Per tile:
 *  1. staging: the tile is copied (coalesced) into local memory transposed, xt[j][p], and its
 *     weights into wt (0 for rows past the end, so they weigh nothing);
 *  2. E phase, one work-item per GMM_PV-wide vector of points ("pvec": the lanes of a float16
 *     on a CPU, where one work-item per group is the SIMD unit; one point per work-item on a
 *     GPU, GMM_PI of them per work-item): every component's lp_c into the group's scratch slot
 *     lp[c][p] (global memory, so any k fits), with the running maximum and the first index
 *     reaching it; then exp(lp - max), their sum and the responsibilities in place, so every
 *     lp is computed once and one exp per (point, component) is spent (log-sum-exp from the
 *     stored values, which is what an online log-sum-exp across component tiles saves us from
 *     recomputing). No n x k matrix outlives the tile. Parameters come from local memory in
 *     tiles of kt components (GMM_PLOCAL, GPUs) or straight from global memory (CPUs);
 *  3. S phase, the statistics of the tile:
 *     - GPU-shaped (GMM_PV == 1): one work-item per "job", a block of statistics entries (a
 *       GMM_QS x GMM_QS block of a Q, or GMM_QS columns of S and of a diagonal Q), accumulated
 *       over the tile's points in a register tile, visiting only the points whose
 *       responsibility is not exactly 0 (the set bits of a mask per component, built with
 *       local atomic_or; the branch is uniform since the work-items of a warp hold jobs of the
 *       same component), then added once into the group's slot in acc_t;
 *     - CPU-shaped (GMM_PAIRS): the work-item visits the (point, component) pairs with a
 *       non-zero responsibility, sixteen points per mask test, and adds each into the group's
 *       double slot with column vectors (see gmm_pairs): work follows the non-zero pairs,
 *       which matters once responsibilities are sparse.
 *     With cl_khr_fp64 the S phase is in double: the product of two float differences is exact
 *     there, so each point adds an exactly rank-one term (see svec). Without fp64 it is float
 *     within a tile and compensated float pairs across tiles and groups.
 * Jobs and pairs own disjoint entries (no atomics on floats) and add points in row order, so
 * the same input on the same device and configuration gives the same bits.
 *
 * Assumptions
 *  - common.cl precedes this file; DIM, WG_SIZE and HAVE_FP64 as there; GMM_K (components),
 *    GMM_COV, GMM_PV (1, 4, 8 or 16), GMM_PI, GMM_QS (2 or 4), GMM_PLOCAL, GMM_XLOCAL and
 *    GMM_PAIRS (needs HAVE_FP64) are -D options from io.clmix.engine.opencl.GmmLayout, which
 *    also packs the parameters and decodes the statistics with the same layout constants (see
 *    the GMM_* macros below).
 *  - Data are row-major float32, rows x DIM, local coordinates; weights float32 or none.
 *  - params: GMM_K records of GMM_PSTRIDE floats (mean hi, bias = -(mean lo) U, lnd, lndLo,
 *    then the factor: 1/sigma per column for GMM_COV 0, U row-major DIM x GMM_DP for 1), and
 *    for GMM_COV 2 one shared U after the records. Rows of U and the vectors are padded with
 *    zeros to GMM_DP columns, so padded columns contribute exactly 0.
 *  - kt: components per local tile when GMM_PLOCAL (>= GMM_K means all are staged once per
 *    group); the host sizes ptile to min(kt, GMM_K) * GMM_PSTRIDE (+ DIM * GMM_DP for tied)
 *    floats. Without GMM_PLOCAL the parameters are read from global memory (CPU devices,
 *    whose local memory is ordinary memory anyway, or components too large for local memory).
 *  - GMM_XLOCAL 1: xt holds GMM_DP x GMM_XS floats; 0 (a GPU with data too wide for local
 *    memory): points are read from global memory, which needs GMM_PV == 1.
 *  - lp: one slot of GMM_K * GMM_TILE floats per work-group, at (groupBase + g) for gmm_expect
 *    and g for gmm_pointwise.
 *  - partials: one slot of GMM_SLOT acc_t words per work-group at groupBase + g: GMM_STAT
 *    statistics then the objective, sum w (log p(x) - shift) (SOFT) or sum w max_c lp_c (HARD).
 *    Scatter matrices are GMM_NQ upper blocks of GMM_QS x GMM_QS (jobs) or GMM_DP x GMM_DP
 *    rows of which the upper part is written (pairs); the host mirrors the upper triangle.
 *  - nz: GMM_K * GMM_MWORDS uints of local memory (GPU-shaped jobs), else any small size.
 *  - rowsPerGroup is a multiple of GMM_TILE; launches use exactly WG_SIZE work-items per group.
 *  - Built without fast-math (the acc_t compensation and the exact zeros rely on IEEE rules).
 */

#ifndef GMM_K
#define GMM_K 1                  /* components (compile-time so per-component loops are simple) */
#endif
#ifndef GMM_COV
#define GMM_COV 0                /* 0 diagonal factor, 1 triangular per component, 2 one shared triangular */
#endif
#ifndef GMM_PV
#define GMM_PV 1                 /* points per vector: the lanes a work-item computes at once */
#endif
#ifndef GMM_PI
#define GMM_PI 1                 /* point vectors per work-item in the E phase */
#endif
#ifndef GMM_QS
#define GMM_QS 4                 /* side of a scatter block (register tile of the S phase) */
#endif
#ifndef GMM_PLOCAL
#define GMM_PLOCAL 0             /* stage component parameters in local memory */
#endif
#ifndef GMM_XLOCAL
#define GMM_XLOCAL 1             /* stage the point tile in local memory, transposed */
#endif
#ifndef GMM_PAIRS
#define GMM_PAIRS 0              /* S phase by (point, component) pairs (CPU devices, needs HAVE_FP64) */
#endif
/* GPU-shaped jobs (one point per work-item) visit only the points whose responsibility is not
   zero, from a bit mask per component and tile built with local atomic_or (an OR does not
   depend on the order the work-items set their bits in, so neither do the results). */
#define GMM_MASK (GMM_PV == 1 && !GMM_PAIRS)
#define GMM_MWORDS ((GMM_TILE + 31) / 32)
#if GMM_PAIRS && !defined(HAVE_FP64)
#error "GMM_PAIRS accumulates in double and needs cl_khr_fp64"
#endif

/* Columns padded to whole float4 (the triangular kernel's output step, and a multiple of GMM_QS). */
#define GMM_DP (((DIM + 3) / 4) * 4)
#define GMM_TILE (WG_SIZE * GMM_PI * GMM_PV)
#define GMM_VECS (GMM_TILE / GMM_PV)
/* Row stride of XT: one more than the tile on GPUs so the transposing writes and the column
   reads of the S phase fall in different banks. */
#define GMM_XS (GMM_TILE + (GMM_PV == 1 ? 1 : 0))

/* Parameter record of one component. */
#define GMM_P_MEAN 0
#define GMM_P_BIAS GMM_DP
#define GMM_P_LND (2 * GMM_DP)
#define GMM_P_LNDLO (2 * GMM_DP + 1)
#define GMM_P_FACTOR (2 * GMM_DP + 4)
#if GMM_COV == 0
#define GMM_PSTRIDE (GMM_P_FACTOR + GMM_DP)
#elif GMM_COV == 1
#define GMM_PSTRIDE (GMM_P_FACTOR + DIM * GMM_DP)
#else
#define GMM_PSTRIDE GMM_P_FACTOR
#endif

/* Statistics layout (GmmLayout mirrors it). */
#define GMM_NB (GMM_DP / GMM_QS)               /* block rows (and columns) of a scatter matrix */
#define GMM_NQ (GMM_NB * (GMM_NB + 1) / 2)     /* blocks on and above the diagonal */
#define GMM_QBLOCK (GMM_QS * GMM_QS)
/* A scatter matrix: GMM_NQ blocks of GMM_QS x GMM_QS (jobs), or GMM_DP x GMM_DP rows (pairs). */
#if GMM_PAIRS
#define GMM_QLEN (GMM_DP * GMM_DP)
#else
#define GMM_QLEN (GMM_NQ * GMM_QBLOCK)
#endif
#if GMM_COV == 0
#define GMM_STAT_C (1 + 2 * GMM_DP)            /* N, S, diagonal of Q */
#define GMM_STAT (GMM_K * GMM_STAT_C)
#define GMM_JOBS (GMM_K * GMM_NB)
#elif GMM_COV == 1
#define GMM_STAT_C (1 + GMM_DP + GMM_QLEN)
#define GMM_STAT (GMM_K * GMM_STAT_C)
#define GMM_JOBS (GMM_K * (GMM_NB + GMM_NQ))
#else
#define GMM_STAT_C (1 + GMM_DP)                /* N, S per component; then one shared Q */
#define GMM_STAT (GMM_K * GMM_STAT_C + GMM_QLEN)
#define GMM_JOBS (GMM_NQ + GMM_K * GMM_NB)
#endif
#define GMM_SLOT (GMM_STAT + 1)

#if GMM_PLOCAL
#define PSPACE __local
#else
#define PSPACE __global
#endif

/* Unrolling the column loops pays while the bodies stay small (wide data would only bloat). */
#if DIM <= 32
#define GMM_UNROLL _Pragma("unroll")
#else
#define GMM_UNROLL
#endif
/* The point vectors of a work-item: unrolled when few (a GPU keeps them in registers). */
#if GMM_PI <= 2
#define GMM_UNROLL_PI _Pragma("unroll")
#else
#define GMM_UNROLL_PI
#endif

/* ------------------------------------------------------------------ point vectors */

#if GMM_PV == 1
typedef float pvec;
typedef int ivec;
#define PV_LOAD(p) (*(p))
#define PV_STORE(v, p) (*(p) = (v))
#define PV_ANY(b) (b)
KM_INLINE float pv_sum(float v) { return v; }
#elif GMM_PV == 4
typedef float4 pvec;
typedef int4 ivec;
#define PV_LOAD(p) vload4(0, p)
#define PV_STORE(v, p) vstore4(v, 0, p)
#define PV_ANY(b) any(b)
KM_INLINE float pv_sum(float4 v) { const float2 a = v.lo + v.hi; return a.x + a.y; }
#elif GMM_PV == 8
typedef float8 pvec;
typedef int8 ivec;
#define PV_LOAD(p) vload8(0, p)
#define PV_STORE(v, p) vstore8(v, 0, p)
#define PV_ANY(b) any(b)
KM_INLINE float pv_sum(float8 v) { const float4 a = v.lo + v.hi; const float2 b = a.lo + a.hi; return b.x + b.y; }
#elif GMM_PV == 16
typedef float16 pvec;
typedef int16 ivec;
#define PV_LOAD(p) vload16(0, p)
#define PV_STORE(v, p) vstore16(v, 0, p)
#define PV_ANY(b) any(b)
KM_INLINE float pv_sum(float16 v) {
  const float8 a = v.lo + v.hi; const float4 b = a.lo + a.hi; const float2 c = b.lo + b.hi; return c.x + c.y;
}
#else
#error "GMM_PV must be 1, 4, 8 or 16"
#endif

/*
 * Statistics vectors (svec): the S phase's register tiles. With cl_khr_fp64 they are double:
 * (x_a - mu_a)(x_b - mu_b) of two floats is exact in double, so each point adds an exactly
 * rank-one, positive semi-definite term r a a^T. In float32 each entry's product is rounded on
 * its own, which leaks about 1e-7 |a|^2 per point out of the span of the points: for a component
 * with fewer points than columns (digits: 64 columns), that exceeds regCovar in the null space
 * and the M-step's covariance is no longer positive definite.
 */
#if defined(HAVE_FP64) && !defined(GMM_FLOAT_STATS)
#define GMM_SDOUBLE 1
#if GMM_PV == 1
typedef double svec;
#define SV(v) ((double) (v))
KM_INLINE double sv_sum(double v) { return v; }
#elif GMM_PV == 4
typedef double4 svec;
#define SV(v) convert_double4(v)
KM_INLINE double sv_sum(double4 v) { const double2 a = v.lo + v.hi; return a.x + a.y; }
#elif GMM_PV == 8
typedef double8 svec;
#define SV(v) convert_double8(v)
KM_INLINE double sv_sum(double8 v) { const double4 a = v.lo + v.hi; const double2 b = a.lo + a.hi; return b.x + b.y; }
#else
typedef double16 svec;
#define SV(v) convert_double16(v)
KM_INLINE double sv_sum(double16 v) {
  const double8 a = v.lo + v.hi; const double4 b = a.lo + a.hi; const double2 c = b.lo + b.hi; return c.x + c.y;
}
#endif
/* Adds a job's tile sum (double) into an acc_t slot word. */
#define GMM_FLUSH(word, value) ((word) = acc_bits(acc_from_bits(word) + (value)))
#else
#define GMM_SDOUBLE 0
typedef pvec svec;
#define SV(v) (v)
#define sv_sum(v) pv_sum(v)
#define GMM_FLUSH(word, value) ((word) = acc_bits(acc_add(acc_from_bits(word), (value))))
#endif

#ifdef GMM_NATIVE_EXP
#define GMM_EXP(v) native_exp(v)
#else
#define GMM_EXP(v) exp(v)
#endif

/* Column j of the pvec of points starting at tile position p (0 past the data). */
#if GMM_XLOCAL
#define GMM_X(j, p) PV_LOAD(xt + (j) * GMM_XS + (p))
#else
#if GMM_PV != 1
#error "reading points from global memory needs GMM_PV == 1"
#endif
#define GMM_X(j, p) ((j) < DIM && t0 + (p) < rowEnd ? x[(size_t) (t0 + (p)) * DIM + (j)] : 0.0f)
#endif

/* ------------------------------------------------------------------ parameters */

/* Copies records [c0, c0 + nk) (and the shared factor once, when c0 == 0) into local memory. */
KM_INLINE void gmm_stage(__global const float* restrict params, const int c0, const int nk, __local float* pt) {
  const int lid = get_local_id(0);
  barrier(CLK_LOCAL_MEM_FENCE); /* nobody reads the previous tile any more */
  const int n = nk * GMM_PSTRIDE;
  for (int e = lid; e < n; e += WG_SIZE) {
    pt[e] = params[(size_t) c0 * GMM_PSTRIDE + e];
  }
#if GMM_COV == 2
  if (c0 == 0) {
    for (int e = lid; e < DIM * GMM_DP; e += WG_SIZE) {
      pt[n + e] = params[(size_t) GMM_K * GMM_PSTRIDE + e];
    }
  }
#endif
  barrier(CLK_LOCAL_MEM_FENCE);
}

/*
 * lp of one component for the pvec of points at tile position p: pc is the component's record,
 * u its triangular factor (GMM_COV 1, 2). The triangular product goes four output columns at a
 * time: y_j = bias_j + sum_{i <= j} (x_i - mu_i) U_ij, U read as float4 rows (rows i > j of a
 * column block are zeros of the triangle, so the block can take them along).
 */
#define GMM_LOGDENS_BODY                                                                       \
  pvec maha = (pvec) (0.0f);                                                                   \
  if (GMM_COV == 0) {                                                                          \
    /* Four partial sums (columns j % 4): one chain of DIM dependent fmas would bound the      \
       loop by the fma latency rather than its throughput. */                                  \
    pvec m4[4] = {(pvec) (0.0f), (pvec) (0.0f), (pvec) (0.0f), (pvec) (0.0f)};                 \
    GMM_UNROLL                                                                                 \
    for (int j = 0; j < DIM; j++) {                                                            \
      const pvec dj = GMM_X(j, p) - (pvec) (pc[GMM_P_MEAN + j]);                               \
      const pvec y = fma(dj, (pvec) (pc[GMM_P_FACTOR + j]), (pvec) (pc[GMM_P_BIAS + j]));      \
      m4[j & 3] = fma(y, y, m4[j & 3]);                                                        \
    }                                                                                          \
    maha = (m4[0] + m4[1]) + (m4[2] + m4[3]);                                                  \
  } else {                                                                                     \
    pvec dv[DIM];                                                                              \
    GMM_UNROLL                                                                                 \
    for (int j = 0; j < DIM; j++) {                                                            \
      dv[j] = GMM_X(j, p) - (pvec) (pc[GMM_P_MEAN + j]);                                       \
    }                                                                                          \
    GMM_UNROLL                                                                                 \
    for (int j0 = 0; j0 < GMM_DP; j0 += 4) {                                                   \
      pvec y0 = (pvec) (pc[GMM_P_BIAS + j0]);                                                  \
      pvec y1 = (pvec) (pc[GMM_P_BIAS + j0 + 1]);                                              \
      pvec y2 = (pvec) (pc[GMM_P_BIAS + j0 + 2]);                                              \
      pvec y3 = (pvec) (pc[GMM_P_BIAS + j0 + 3]);                                              \
      const int iEnd = min(j0 + 4, DIM);                                                       \
      /* No unroll pragma: the compiler unrolls inner loops first, when iEnd still depends on  \
         j0, so LLVM ignored one here with a "loop not unrolled" warning; the code it makes    \
         is the same without it. */                                                            \
      for (int i = 0; i < iEnd; i++) {                                                         \
        const float4 uu = vload4(0, u + i * GMM_DP + j0);                                      \
        y0 = fma(dv[i], (pvec) (uu.x), y0);                                                    \
        y1 = fma(dv[i], (pvec) (uu.y), y1);                                                    \
        y2 = fma(dv[i], (pvec) (uu.z), y2);                                                    \
        y3 = fma(dv[i], (pvec) (uu.w), y3);                                                    \
      }                                                                                        \
      maha = fma(y0, y0, maha);                                                                \
      maha = fma(y1, y1, maha);                                                                \
      maha = fma(y2, y2, maha);                                                                \
      maha = fma(y3, y3, maha);                                                                \
    }                                                                                          \
  }                                                                                            \
  return fma((pvec) (-0.5f), maha, (pvec) (pc[GMM_P_LND])) + (pvec) (pc[GMM_P_LNDLO]);

#if GMM_XLOCAL
KM_INLINE pvec gmm_logdens(__local const float* xt, const int p, PSPACE const float* pc, PSPACE const float* u) {
  GMM_LOGDENS_BODY
}
#else
KM_INLINE pvec gmm_logdens(__global const float* restrict x, const int t0, const int rowEnd, const int p,
                           PSPACE const float* pc, PSPACE const float* u) {
  GMM_LOGDENS_BODY
}
#endif

/*
 * GPU-shaped (one point per lane, GMM_PI points per work-item): lp of one component for all of
 * the work-item's points at once, so every parameter read from local memory (a broadcast
 * float4 of U) feeds GMM_PI times as many fmas. Same arithmetic, in the same order, as
 * gmm_logdens for each point.
 */
#define GMM_JOINT (GMM_PV == 1 && GMM_PI > 1)
#if GMM_JOINT
#define GMM_JOINT_BODY                                                                         \
  float maha[GMM_PI];                                                                          \
  _Pragma("unroll")                                                                            \
  for (int i = 0; i < GMM_PI; i++) {                                                           \
    maha[i] = 0.0f;                                                                            \
  }                                                                                            \
  if (GMM_COV == 0) {                                                                          \
    float m4[GMM_PI][4];                                                                       \
    _Pragma("unroll")                                                                          \
    for (int i = 0; i < GMM_PI; i++) {                                                         \
      m4[i][0] = m4[i][1] = m4[i][2] = m4[i][3] = 0.0f;                                        \
    }                                                                                          \
    GMM_UNROLL                                                                                 \
    for (int j = 0; j < DIM; j++) {                                                            \
      const float mj = pc[GMM_P_MEAN + j];                                                     \
      const float uj = pc[GMM_P_FACTOR + j];                                                   \
      const float bj = pc[GMM_P_BIAS + j];                                                     \
      _Pragma("unroll")                                                                        \
      for (int i = 0; i < GMM_PI; i++) {                                                       \
        const float y = fma(GMM_X(j, pts[i]) - mj, uj, bj);                                    \
        m4[i][j & 3] = fma(y, y, m4[i][j & 3]);                                                \
      }                                                                                        \
    }                                                                                          \
    _Pragma("unroll")                                                                          \
    for (int i = 0; i < GMM_PI; i++) {                                                         \
      maha[i] = (m4[i][0] + m4[i][1]) + (m4[i][2] + m4[i][3]);                                 \
    }                                                                                          \
  } else {                                                                                     \
    float dv[GMM_PI][DIM];                                                                     \
    GMM_UNROLL                                                                                 \
    for (int j = 0; j < DIM; j++) {                                                            \
      const float mj = pc[GMM_P_MEAN + j];                                                     \
      _Pragma("unroll")                                                                        \
      for (int i = 0; i < GMM_PI; i++) {                                                       \
        dv[i][j] = GMM_X(j, pts[i]) - mj;                                                      \
      }                                                                                        \
    }                                                                                          \
    GMM_UNROLL                                                                                 \
    for (int j0 = 0; j0 < GMM_DP; j0 += 4) {                                                   \
      const float4 b4 = vload4(0, pc + GMM_P_BIAS + j0);                                       \
      float4 y[GMM_PI];                                                                        \
      _Pragma("unroll")                                                                        \
      for (int i = 0; i < GMM_PI; i++) {                                                       \
        y[i] = b4;                                                                             \
      }                                                                                        \
      const int iEnd = min(j0 + 4, DIM);                                                       \
      /* No unroll pragma: iEnd depends on j0 (see GMM_LOGDENS_BODY). */                       \
      for (int ii = 0; ii < iEnd; ii++) {                                                      \
        const float4 uu = vload4(0, u + ii * GMM_DP + j0);                                     \
        _Pragma("unroll")                                                                      \
        for (int i = 0; i < GMM_PI; i++) {                                                     \
          y[i].x = fma(dv[i][ii], uu.x, y[i].x);                                               \
          y[i].y = fma(dv[i][ii], uu.y, y[i].y);                                               \
          y[i].z = fma(dv[i][ii], uu.z, y[i].z);                                               \
          y[i].w = fma(dv[i][ii], uu.w, y[i].w);                                               \
        }                                                                                      \
      }                                                                                        \
      _Pragma("unroll")                                                                        \
      for (int i = 0; i < GMM_PI; i++) {                                                       \
        maha[i] = fma(y[i].x, y[i].x, maha[i]);                                                \
        maha[i] = fma(y[i].y, y[i].y, maha[i]);                                                \
        maha[i] = fma(y[i].z, y[i].z, maha[i]);                                                \
        maha[i] = fma(y[i].w, y[i].w, maha[i]);                                                \
      }                                                                                        \
    }                                                                                          \
  }                                                                                            \
  _Pragma("unroll")                                                                            \
  for (int i = 0; i < GMM_PI; i++) {                                                           \
    out[i] = fma(-0.5f, maha[i], pc[GMM_P_LND]) + pc[GMM_P_LNDLO];                             \
  }

#if GMM_XLOCAL
KM_INLINE void gmm_logdens_joint(__local const float* xt, const int* pts, PSPACE const float* pc,
                                 PSPACE const float* u, float* out) {
  GMM_JOINT_BODY
}
#define GMM_LOGDENS_JOINT(pts, pc, u, out) gmm_logdens_joint(xt, pts, pc, u, out)
#else
KM_INLINE void gmm_logdens_joint(__global const float* restrict x, const int t0, const int rowEnd, const int* pts,
                                 PSPACE const float* pc, PSPACE const float* u, float* out) {
  GMM_JOINT_BODY
}
#define GMM_LOGDENS_JOINT(pts, pc, u, out) gmm_logdens_joint(x, t0, rowEnd, pts, pc, u, out)
#endif
#endif

/* ------------------------------------------------------------------ tiles */

/* Copies the tile at row t0 into xt (transposed, zeros past rowEnd) and its weights into wt. */
KM_INLINE void gmm_load_tile(__global const float* restrict x, __global const float* restrict w, const int weighted,
                             const int t0, const int rowEnd, __local float* xt, __local float* wt) {
  const int lid = get_local_id(0);
  const int valid = min(GMM_TILE, rowEnd - t0);
#if GMM_XLOCAL && GMM_PV == 1
  /* Flat, so consecutive work-items read consecutive floats of the (contiguous) tile. */
  for (int e = lid; e < GMM_TILE * DIM; e += WG_SIZE) {
    const int p = e / DIM;
    const int j = e - p * DIM;
    xt[j * GMM_XS + p] = p < valid ? x[(size_t) t0 * DIM + e] : 0.0f;
  }
#elif GMM_XLOCAL
  /* Row by row (CPU-shaped: few work-items, each copying whole rows with unrolled columns). */
  for (int p = lid; p < GMM_TILE; p += WG_SIZE) {
    __global const float* xr = x + (size_t) (t0 + p) * DIM;
    if (p < valid) {
      GMM_UNROLL
      for (int j = 0; j < DIM; j++) {
        xt[j * GMM_XS + p] = xr[j];
      }
    } else {
      GMM_UNROLL
      for (int j = 0; j < DIM; j++) {
        xt[j * GMM_XS + p] = 0.0f;
      }
    }
  }
#endif
  for (int p = lid; p < GMM_TILE; p += WG_SIZE) {
    wt[p] = p < valid ? (weighted ? w[t0 + p] : 1.0f) : 0.0f;
  }
  barrier(CLK_LOCAL_MEM_FENCE);
}

#if GMM_XLOCAL
#define GMM_LOGDENS(p, pc, u) gmm_logdens(xt, p, pc, u)
#else
#define GMM_LOGDENS(p, pc, u) gmm_logdens(x, t0, rowEnd, p, pc, u)
#endif

/*
 * E phase of one tile: lp of every component of this work-item's pvecs into lp[c * GMM_TILE + p],
 * with the running maximum and the first index reaching it (HARD labels, ties to the lower
 * index). Parameters come from local tiles of kt components (GMM_PLOCAL; barriers inside, every
 * work-item calls it) or straight from global memory.
 */
#define GMM_ESTEP_PARAMS                                                                       \
  __global const float* restrict x, const int t0, const int rowEnd,                            \
  __global const float* restrict params, const int kt, __local float* xt, __local float* pt,   \
  __global float* lp, pvec* m, ivec* best
KM_INLINE void gmm_scores(GMM_ESTEP_PARAMS) {
  const int lid = get_local_id(0);
GMM_UNROLL_PI
  for (int i = 0; i < GMM_PI; i++) {
    m[i] = (pvec) (-INFINITY);
    best[i] = (ivec) (0);
  }
#if GMM_PLOCAL
  const int tileK = min(kt, GMM_K);
  for (int c0 = 0; c0 < GMM_K; c0 += tileK) {
    const int nk = min(tileK, GMM_K - c0);
    if (kt < GMM_K) {
      gmm_stage(params, c0, nk, pt); /* resident parameters were staged once per group */
    }
#if GMM_COV == 2
    __local const float* u = pt + tileK * GMM_PSTRIDE;
#endif
#else
  {
    const int c0 = 0;
    const int nk = GMM_K;
#if GMM_COV == 2
    __global const float* u = params + (size_t) GMM_K * GMM_PSTRIDE;
#endif
#endif
#if GMM_JOINT
    int pts[GMM_PI];
    _Pragma("unroll")
    for (int i = 0; i < GMM_PI; i++) {
      pts[i] = i * WG_SIZE + lid;
    }
    for (int cc = 0; cc < nk; cc++) {
      const int c = c0 + cc;
#if GMM_PLOCAL
      __local const float* pc = pt + cc * GMM_PSTRIDE;
#else
      __global const float* pc = params + (size_t) c * GMM_PSTRIDE;
#endif
#if GMM_COV == 1
      PSPACE const float* u = pc + GMM_P_FACTOR;
#elif GMM_COV == 0
      PSPACE const float* u = pc; /* unused */
#endif
      float v[GMM_PI];
      GMM_LOGDENS_JOINT(pts, pc, u, v);
      _Pragma("unroll")
      for (int i = 0; i < GMM_PI; i++) {
        lp[c * GMM_TILE + pts[i]] = v[i];
        const int better = isgreater(v[i], m[i]);
        m[i] = better ? v[i] : m[i];
        best[i] = better ? c : best[i];
      }
    }
#else
GMM_UNROLL_PI
    for (int i = 0; i < GMM_PI; i++) {
      const int p = (i * WG_SIZE + lid) * GMM_PV;
      for (int cc = 0; cc < nk; cc++) {
        const int c = c0 + cc;
#if GMM_PLOCAL
        __local const float* pc = pt + cc * GMM_PSTRIDE;
#else
        __global const float* pc = params + (size_t) c * GMM_PSTRIDE;
#endif
#if GMM_COV == 1
        PSPACE const float* u = pc + GMM_P_FACTOR;
#elif GMM_COV == 0
        PSPACE const float* u = pc; /* unused */
#endif
        const pvec v = GMM_LOGDENS(p, pc, u);
        PV_STORE(v, lp + c * GMM_TILE + p);
        const ivec better = isgreater(v, m[i]);
        m[i] = select(m[i], v, better);
        best[i] = select(best[i], (ivec) (c), better);
      }
    }
#endif
  }
}

/*
 * Responsibilities of one pvec in place of its lp: SOFT r = w e_c / s with e_c = exp(lp_c - max),
 * s = sum_c e_c (the first largest has e = 1 exactly, so s >= 1), or, with scale == NULL-like
 * unit weights for the pointwise pass, e_c / s. Returns log(s) (-INFINITY when every lp is).
 */
KM_INLINE pvec gmm_soft(__global float* lp, const int p, const pvec m, const pvec wv) {
  const pvec mm = select(m, (pvec) (0.0f), isinf(m)); /* all -inf: exp(-inf) = 0, never NaN */
  pvec s = (pvec) (0.0f);
  for (int c = 0; c < GMM_K; c++) {
    __global float* at = lp + c * GMM_TILE + p;
    const pvec e = GMM_EXP(PV_LOAD(at) - mm);
    s += e;
    PV_STORE(e, at);
  }
  const pvec scale = select((pvec) (0.0f), wv / s, isgreater(s, (pvec) (0.0f)));
  for (int c = 0; c < GMM_K; c++) {
    __global float* at = lp + c * GMM_TILE + p;
    PV_STORE(PV_LOAD(at) * scale, at);
  }
  return log(s);
}

/* ------------------------------------------------------------------ statistics */

/*
 * GMM_FOR_NONZERO(c) { ... } GMM_END_NONZERO: the body once per pvec of the tile with a
 * non-zero responsibility for component c, in point order, with p (its first point) and rf (its
 * responsibilities) defined. With masks, the set bits of nz[c]; otherwise every pvec, skipping
 * all-zero ones.
 */
#if GMM_MASK
#define GMM_FOR_NONZERO(c)                                                   \
  for (int wd = 0; wd < GMM_MWORDS; wd++) {                                  \
    uint bits = nz[(c) * GMM_MWORDS + wd];                                   \
    while (bits != 0u) {                                                     \
      const int p = wd * 32 + (31 - (int) clz(bits & (0u - bits)));          \
      bits &= bits - 1u;                                                     \
      const pvec rf = lp[(c) * GMM_TILE + p];
#define GMM_END_NONZERO }}
#else
#define GMM_FOR_NONZERO(c)                                                   \
  for (int v = 0; v < GMM_VECS; v++) {                                       \
    const int p = v * GMM_PV;                                                \
    const pvec rf = PV_LOAD(lp + (c) * GMM_TILE + p);                        \
    if (PV_ANY(rf != 0.0f)) {
#define GMM_END_NONZERO }}
#endif

/* Position of block (ia, ib), ia <= ib, among the GMM_NQ upper blocks, row by row. */
KM_INLINE int gmm_block_index(const int ia, const int ib) {
  return ia * GMM_NB - ia * (ia - 1) / 2 + (ib - ia);
}

/*
 * S or diagonal job: columns [b0, b0 + GMM_QS) of component c: S (and, diagonal covariances,
 * the diagonal of Q), plus N when b0 == 0. Adds the tile's sums into the slot when any point of
 * the tile had a non-zero responsibility.
 */
KM_INLINE void gmm_job_columns(__local const float* xt, __local const uint* nz, __global const float* restrict params,
                               __global const float* lp,
                               __global ulong* slot, const int c, const int b0, const int t0, const int rowEnd,
                               __global const float* restrict x) {
  __global const float* mu = params + (size_t) c * GMM_PSTRIDE + GMM_P_MEAN;
  svec accS[GMM_QS];
  svec accQ[GMM_QS];
  svec accN = SV((pvec) (0.0f));
#pragma unroll
  for (int q = 0; q < GMM_QS; q++) {
    accS[q] = accN;
    accQ[q] = accN;
  }
  float mq[GMM_QS];
#pragma unroll
  for (int q = 0; q < GMM_QS; q++) {
    mq[q] = mu[b0 + q];
  }
  int touched = 0;
  GMM_FOR_NONZERO(c) {
    touched = 1;
    const svec r = SV(rf);
    accN += r;
#pragma unroll
    for (int q = 0; q < GMM_QS; q++) {
      const svec a = SV(GMM_X(b0 + q, p) - (pvec) (mq[q]));
      const svec ra = r * a;
      accS[q] += ra;
      if (GMM_COV == 0) {
        accQ[q] = fma(ra, a, accQ[q]);
      }
    }
  } GMM_END_NONZERO
  if (!touched) {
    return;
  }
  __global ulong* o = slot + (size_t) c * GMM_STAT_C;
  if (b0 == 0) {
    GMM_FLUSH(o[0], sv_sum(accN));
  }
#pragma unroll
  for (int q = 0; q < GMM_QS; q++) {
    GMM_FLUSH(o[1 + b0 + q], sv_sum(accS[q]));
    if (GMM_COV == 0) {
      GMM_FLUSH(o[1 + GMM_DP + b0 + q], sv_sum(accQ[q]));
    }
  }
}

/*
 * Scatter job: block (ia, ib) of Q, for component c (full) or summed over every component
 * (tied, c < 0): acc[a][b] += r (x_a - mu_a)(x_b - mu_b) over the tile's points with r != 0.
 */
KM_INLINE void gmm_job_block(__local const float* xt, __local const uint* nz, __global const float* restrict params,
                             __global const float* lp,
                             __global ulong* slot, const int c, const int ia, const int ib, const int t0,
                             const int rowEnd, __global const float* restrict x) {
  svec acc[GMM_QS][GMM_QS];
#pragma unroll
  for (int a = 0; a < GMM_QS; a++) {
#pragma unroll
    for (int b = 0; b < GMM_QS; b++) {
      acc[a][b] = SV((pvec) (0.0f));
    }
  }
  const int a0 = ia * GMM_QS;
  const int b0 = ib * GMM_QS;
  const int cFirst = c < 0 ? 0 : c;
  const int cEnd = c < 0 ? GMM_K : c + 1;
  int touched = 0;
  for (int cc = cFirst; cc < cEnd; cc++) {
    __global const float* mu = params + (size_t) cc * GMM_PSTRIDE + GMM_P_MEAN;
    float ma[GMM_QS];
    float mb[GMM_QS];
#pragma unroll
    for (int q = 0; q < GMM_QS; q++) {
      ma[q] = mu[a0 + q];
      mb[q] = mu[b0 + q];
    }
    GMM_FOR_NONZERO(cc) {
      touched = 1;
      const svec r = SV(rf);
      svec bq[GMM_QS];
#pragma unroll
      for (int q = 0; q < GMM_QS; q++) {
        bq[q] = SV(GMM_X(b0 + q, p) - (pvec) (mb[q]));
      }
#pragma unroll
      for (int a = 0; a < GMM_QS; a++) {
        const svec ra = r * SV(GMM_X(a0 + a, p) - (pvec) (ma[a]));
#pragma unroll
        for (int b = 0; b < GMM_QS; b++) {
          acc[a][b] = fma(ra, bq[b], acc[a][b]);
        }
      }
    } GMM_END_NONZERO
  }
  if (!touched) {
    return;
  }
  __global ulong* o = c < 0 ? slot + (size_t) GMM_K * GMM_STAT_C
                            : slot + (size_t) c * GMM_STAT_C + 1 + GMM_DP;
  o += gmm_block_index(ia, ib) * GMM_QBLOCK;
#pragma unroll
  for (int a = 0; a < GMM_QS; a++) {
#pragma unroll
    for (int b = 0; b < GMM_QS; b++) {
      GMM_FLUSH(o[a * GMM_QS + b], sv_sum(acc[a][b]));
    }
  }
}

/* Runs job `job` of the tile (see GMM_JOBS): components in order, so neighbouring work-items
   share a component and its zero responsibilities. */
KM_INLINE void gmm_job(const int job, __local const float* xt, __local const uint* nz,
                       __global const float* restrict params,
                       __global const float* lp, __global ulong* slot, const int t0, const int rowEnd,
                       __global const float* restrict x) {
#if GMM_COV == 0
  const int c = job / GMM_NB;
  gmm_job_columns(xt, nz, params, lp, slot, c, (job - c * GMM_NB) * GMM_QS, t0, rowEnd, x);
#else
#if GMM_COV == 1
  const int per = GMM_NB + GMM_NQ;
  const int c = job / per;
  int jj = job - c * per;
#else
  /* Tied: the shared blocks first (each loops over every component), then the S columns. */
  const int c = job < GMM_NQ ? -1 : (job - GMM_NQ) / GMM_NB;
  const int jj = job < GMM_NQ ? GMM_NB + job : (job - GMM_NQ) % GMM_NB;
#endif
  if (jj < GMM_NB) {
    gmm_job_columns(xt, nz, params, lp, slot, c, jj * GMM_QS, t0, rowEnd, x);
  } else {
    /* Block jj - GMM_NB of the upper triangle, row by row. */
    int q = jj - GMM_NB;
    int ia = 0;
    while (q >= GMM_NB - ia) {
      q -= GMM_NB - ia;
      ia++;
    }
    gmm_job_block(xt, nz, params, lp, slot, c, ia, ia + q, t0, rowEnd, x);
  }
#endif
}

/*
 * The S phase by pairs (GMM_PAIRS, CPU devices): work-item lid owns components c = lid, lid +
 * WG_SIZE, ...; for each, it scans the component's responsibilities in the tile (contiguous) and
 * adds every point with r != 0 straight into the group's double slot: N += r, S += r a,
 * Q += (r a) a^T (the rows' upper parts, four columns per double4) or the diagonal, with
 * a = x - mu read as whole rows from global memory. Work follows the non-zero pairs rather than
 * vectors of points, which matters once responsibilities are sparse (one non-zero component
 * per point: one point in eight of a float8 vector). Points of a component are added in row
 * order, so the result is reproducible.
 */
#if GMM_PAIRS
#define GMM_DV (GMM_DP / 4)

/* Columns [4v, 4v + 4) of a row, zeros past DIM. */
KM_INLINE float4 gmm_row4(__global const float* xr, const int v) {
  if (DIM % 4 == 0 || 4 * v + 3 < DIM) {
    return vload4(v, xr);
  }
  float4 r = (float4) (0.0f);
  r.x = xr[4 * v];
  r.y = 4 * v + 1 < DIM ? xr[4 * v + 1] : 0.0f;
  r.z = 4 * v + 2 < DIM ? xr[4 * v + 2] : 0.0f;
  return r;
}

/* Adds point p (responsibility rd) of the tile to component c's statistics at o (and qc). */
KM_INLINE void gmm_pair(__global const float* restrict x, __global const float* mu, const int t0, const int p,
                        const double rd, __global double* o, __global double* qc) {
  __global const float* xr = x + (size_t) (t0 + p) * DIM;
  double4 a[GMM_DV];
  GMM_UNROLL
  for (int v = 0; v < GMM_DV; v++) {
    a[v] = convert_double4(gmm_row4(xr, v) - vload4(v, mu)); /* mu is padded with zeros */
  }
  o[0] += rd;
  GMM_UNROLL
  for (int v = 0; v < GMM_DV; v++) {
    const double4 ra = rd * a[v];
    vstore4(vload4(v, o + 1) + ra, v, o + 1);
    if (GMM_COV == 0) {
      vstore4(fma(ra, a[v], vload4(v, o + 1 + GMM_DP)), v, o + 1 + GMM_DP);
    }
  }
  if (GMM_COV != 0) {
    __private const double* as = (__private const double*) a;
    GMM_UNROLL
    for (int i = 0; i < DIM; i++) {
      const double4 ra = (double4) (rd * as[i]);
      __global double* row = qc + i * GMM_DP;
      GMM_UNROLL
      for (int v = i / 4; v < GMM_DV; v++) {
        vstore4(fma(ra, a[v], vload4(v, row)), v, row);
      }
    }
  }
}

KM_INLINE void gmm_pairs(__global const float* restrict x, __global const float* restrict params,
                         __global const float* lp, __global ulong* slot, const int t0, const int valid) {
  __global double* q = (__global double*) slot;
  for (int c = get_local_id(0); c < GMM_K; c += WG_SIZE) {
    __global const float* mu = params + (size_t) c * GMM_PSTRIDE + GMM_P_MEAN;
    __global const float* rc = lp + c * GMM_TILE;
    __global double* o = q + (size_t) c * GMM_STAT_C;
    __global double* qc = GMM_COV == 2 ? q + (size_t) GMM_K * GMM_STAT_C : o + 1 + GMM_DP;
#if GMM_TILE % 16 == 0
    /* Sixteen points at a time: the set bits of a mask of the non-zero responsibilities, so
       the common all-zero case costs one compare and the rest no unpredictable branches. */
    const int16 bit = (int16) (1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096, 8192, 16384, 32768);
    for (int p0 = 0; p0 < valid; p0 += 16) {
      const int16 nz = select((int16) (0), bit, vload16(0, rc + p0) != 0.0f);
      const int8 m8 = nz.lo | nz.hi;
      const int4 m4 = m8.lo | m8.hi;
      const int2 m2 = m4.lo | m4.hi;
      int mask = m2.x | m2.y;
      while (mask != 0) {
        const int lane = 31 - clz(mask & -mask);
        mask &= mask - 1;
        const int p = p0 + lane; /* rows past `valid` weigh 0, so their r is 0 and never set */
        gmm_pair(x, mu, t0, p, (double) rc[p], o, qc);
      }
    }
#else
    for (int p = 0; p < valid; p++) {
      const float r = rc[p];
      if (r != 0.0f) {
        gmm_pair(x, mu, t0, p, (double) r, o, qc);
      }
    }
#endif
  }
}
#endif

/* ------------------------------------------------------------------ kernels */

/*
 * One E-step over one block of rows: the group's partial statistics and objective in its slot
 * of partials (reduce.cl's reduce_acc_* add the slots of all groups in a fixed order).
 */
__kernel __attribute__((reqd_work_group_size(WG_SIZE, 1, 1)))
void gmm_expect(__global const float* restrict x, __global const float* restrict w, const int weighted,
                const int rows, const int rowsPerGroup, __global const float* restrict params, const int kt,
                const int hard, __global float* restrict lpAll, __global ulong* restrict partials,
                const int groupBase, __local float* xt, __local float* wt, __local float4* ptv,
                __local acc_t* scratch, __local uint* nz) {
  __local float* pt = (__local float*) ptv;
  const int lid = get_local_id(0);
  const int g = get_group_id(0);
  const int row0 = g * rowsPerGroup;
  const int rowEnd = min(row0 + rowsPerGroup, rows);
  __global ulong* slot = partials + (size_t) (groupBase + g) * GMM_SLOT;
  __global float* lp = lpAll + (size_t) (groupBase + g) * GMM_K * GMM_TILE;

  for (int e = lid; e < GMM_SLOT; e += WG_SIZE) {
    slot[e] = acc_bits(ACC_ZERO);
  }
#if GMM_XLOCAL
  /* Padding rows of the transposed tile stay zero for the whole group. */
  for (int e = lid; e < (GMM_DP - DIM) * GMM_XS; e += WG_SIZE) {
    xt[DIM * GMM_XS + e] = 0.0f;
  }
#endif
#if GMM_PLOCAL
  if (kt >= GMM_K) {
    gmm_stage(params, 0, GMM_K, pt);
  }
#endif
  acc_t objective = ACC_ZERO;

  for (int t0 = row0; t0 < rowEnd; t0 += GMM_TILE) {
#if GMM_MASK
    for (int e = lid; e < GMM_K * GMM_MWORDS; e += WG_SIZE) {
      nz[e] = 0u; /* ordered before the atomic_or below by gmm_load_tile's barrier */
    }
#endif
    gmm_load_tile(x, w, weighted, t0, rowEnd, xt, wt);
    pvec m[GMM_PI];
    ivec best[GMM_PI];
    gmm_scores(x, t0, rowEnd, params, kt, xt, pt, lp, m, best);
GMM_UNROLL_PI
    for (int i = 0; i < GMM_PI; i++) {
      const int p = (i * WG_SIZE + lid) * GMM_PV;
      const pvec wv = PV_LOAD(wt + p);
      pvec value;
      if (hard) {
        for (int c = 0; c < GMM_K; c++) {
          PV_STORE(select((pvec) (0.0f), wv, best[i] == (ivec) (c)), lp + c * GMM_TILE + p);
        }
        value = m[i];
      } else {
        value = m[i] + gmm_soft(lp, p, m[i], wv);
      }
      /* Rows past the end weigh 0 and must not turn the sum into NaN. */
      objective = acc_add(objective, pv_sum(select((pvec) (0.0f), wv * value, isgreater(wv, (pvec) (0.0f)))));
#if GMM_MASK
      if (hard) {
        if (wv != 0.0f) {
          atomic_or(nz + best[i] * GMM_MWORDS + p / 32, 1u << (p % 32));
        }
      } else {
        for (int c = 0; c < GMM_K; c++) {
          if (lp[c * GMM_TILE + p] != 0.0f) {
            atomic_or(nz + c * GMM_MWORDS + p / 32, 1u << (p % 32));
          }
        }
      }
#endif
    }
    /* The S phase reads other work-items' responsibilities (global) and the tile (local). */
    barrier(CLK_LOCAL_MEM_FENCE | CLK_GLOBAL_MEM_FENCE);
#if GMM_PAIRS
    gmm_pairs(x, params, lp, slot, t0, min(GMM_TILE, rowEnd - t0));
#else
    for (int job = lid; job < GMM_JOBS; job += WG_SIZE) {
      gmm_job(job, xt, nz, params, lp, slot, t0, rowEnd, x);
    }
#endif
    barrier(CLK_LOCAL_MEM_FENCE | CLK_GLOBAL_MEM_FENCE); /* before the next tile overwrites lp, xt */
  }
  const acc_t total = group_sum(objective, scratch);
  if (lid == 0) {
    slot[GMM_STAT] = acc_bits(total);
  }
}

/*
 * The per-point pass over rows [first, first + count) of one block: the most likely component
 * (ties to the lower index), log p(x) - shift, and, when wantComponents, the responsibilities
 * (count x GMM_K, row-major). Output index r is row first + r.
 */
__kernel __attribute__((reqd_work_group_size(WG_SIZE, 1, 1)))
void gmm_pointwise(__global const float* restrict x, const int first, const int count, const int rowsPerGroup,
                   __global const float* restrict params, const int kt, __global float* restrict lpAll,
                   __global int* restrict outLabel, __global float* restrict outValue,
                   __global float* restrict outComp, const int wantComponents, __local float* xt,
                   __local float* wt, __local float4* ptv) {
  __local float* pt = (__local float*) ptv;
  const int lid = get_local_id(0);
  const int g = get_group_id(0);
  const int row0 = first + g * rowsPerGroup;
  const int rowEnd = min(row0 + rowsPerGroup, first + count);
  __global float* lp = lpAll + (size_t) g * GMM_K * GMM_TILE;
#if GMM_XLOCAL
  for (int e = lid; e < (GMM_DP - DIM) * GMM_XS; e += WG_SIZE) {
    xt[DIM * GMM_XS + e] = 0.0f;
  }
#endif
#if GMM_PLOCAL
  if (kt >= GMM_K) {
    gmm_stage(params, 0, GMM_K, pt);
  }
#endif
  for (int t0 = row0; t0 < rowEnd; t0 += GMM_TILE) {
    gmm_load_tile(x, x, 0, t0, rowEnd, xt, wt);
    pvec m[GMM_PI];
    ivec best[GMM_PI];
    gmm_scores(x, t0, rowEnd, params, kt, xt, pt, lp, m, best);
GMM_UNROLL_PI
    for (int i = 0; i < GMM_PI; i++) {
      const int p = (i * WG_SIZE + lid) * GMM_PV;
      const pvec value = m[i] + gmm_soft(lp, p, m[i], (pvec) (1.0f));
      for (int q = 0; q < GMM_PV; q++) {
        const int row = t0 + p + q;
        if (row < rowEnd) {
          const int r = row - first;
#if GMM_PV == 1
          outLabel[r] = best[i];
          outValue[r] = value;
#else
          outLabel[r] = ((int*) &best[i])[q];
          outValue[r] = ((float*) &value)[q];
#endif
          if (wantComponents) {
            for (int c = 0; c < GMM_K; c++) {
              outComp[(size_t) r * GMM_K + c] = lp[c * GMM_TILE + p + q];
            }
          }
        }
      }
    }
    barrier(CLK_LOCAL_MEM_FENCE | CLK_GLOBAL_MEM_FENCE); /* before the next tile overwrites lp, xt */
  }
}
