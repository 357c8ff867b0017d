// Runs clmix's GPU Lloyd pass (kernels/kmeans_gemm.cl, the split variant: km_assign_gemm then
// km_accumulate) as CUDA, compiled from the same source by cl2cuda.sh, so that Nsight Compute can
// profile it (it profiles no OpenCL kernel). Same shapes as the engine's defaults on an H100 for
// the bench's K-means workload: groups of WG_SIZE work-items, tiles of KG_TILE rows, 8 tiles per
// group, every centre resident in local memory. Prints each kernel's mean time over the launches.
//   kmeans_profile N LAUNCHES      (run.sh builds it with the -D options of the OpenCL build)
#include "cl_compat.cuh"
#include "gen.cuh"
#include <cstdio>
#include <cstdlib>
#include <cmath>
#include <vector>

#define CHECK(call) do { cudaError_t e_ = (call); if (e_ != cudaSuccess) { \
  fprintf(stderr, "%s:%d %s: %s\n", __FILE__, __LINE__, #call, cudaGetErrorString(e_)); exit(1); } } while (0)

struct AssignLocal { int cT, cn, acc, xt, exScore, exIndex, tLabel, tW, tDist, nz; };
struct AccLocal { int lab, masks, pre, start, perm; };

__device__ char* carve(char*& p, int bytes) {
  char* r = p;
  p += (bytes + 15) / 16 * 16;
  return r;
}

extern "C" __global__ void __launch_bounds__(WG_SIZE) assign_wrap(const float* x, const float* w, int rows, int rpg,
    const float* centres, const float* centresT, const float* cnorm, int k, int kPad, int tileK, int* labels,
    float* dist, float* partials, int* changed, AssignLocal s) {
  extern __shared__ float4 smem[];
  char* p = (char*) smem;
  float4* cT = (float4*) carve(p, s.cT);
  float4* cn = (float4*) carve(p, s.cn);
  float* acc = (float*) carve(p, s.acc);
  float4* xt = (float4*) carve(p, s.xt);
  float* exScore = (float*) carve(p, s.exScore);
  int* exIndex = (int*) carve(p, s.exIndex);
  int* tLabel = (int*) carve(p, s.tLabel);
  float* tW = (float*) carve(p, s.tW);
  float* tDist = (float*) carve(p, s.tDist);
  uint* nz = (uint*) carve(p, s.nz);
  km_assign_gemm(x, w, 0, rows, rpg, centres, centresT, cnorm, k, kPad, tileK, labels, dist, partials, changed, 0, 0,
      cT, cn, acc, xt, exScore, exIndex, tLabel, tW, tDist, nz, 0);
}

extern "C" __global__ void __launch_bounds__(KA_WG) acc_wrap(const float* x, const float* w, int rows, int rpg,
    const float* centres, int k, const int* labels, const float* dist, float* partials, int chunk, AccLocal s) {
  extern __shared__ float4 smem[];
  char* p = (char*) smem;
  int* lab = (int*) carve(p, s.lab);
  uint* masks = (uint*) carve(p, s.masks);
  int* pre = (int*) carve(p, s.pre);
  int* start = (int*) carve(p, s.start);
  int* perm = (int*) carve(p, s.perm);
  km_accumulate(x, w, 0, rows, rpg, centres, k, labels, dist, partials, 0, lab, masks, pre, start, perm, 0, chunk);
}

// Gaussian blobs: row i belongs to blob hash(i) % k, at the blob's centre plus N(0, 1) noise.
__device__ unsigned hash(unsigned a) {
  a ^= a >> 16; a *= 0x7feb352dU; a ^= a >> 15; a *= 0x846ca68bU; a ^= a >> 16;
  return a;
}
__global__ void blobs(float* x, const float* truth, int rows, int k) {
  size_t e = (size_t) blockIdx.x * blockDim.x + threadIdx.x;
  if (e >= (size_t) rows * DIM) return;
  int i = (int) (e / DIM), j = (int) (e % DIM);
  int c = hash(i * 2654435761u + 17u) % k;
  float u1 = (hash((unsigned) e * 2u + 1u) + 1.0f) / 4294967296.0f;
  float u2 = hash((unsigned) e * 2u + 2u) / 4294967296.0f;
  x[e] = truth[c * DIM + j] + sqrtf(-2.0f * logf(u1)) * cospif(2.0f * u2);
}

static int align16(int b) { return (b + 15) / 16 * 16; }

int main(int argc, char** argv) {
  const int n = argc > 1 ? atoi(argv[1]) : 10000000;
  const int launches = argc > 2 ? atoi(argv[2]) : 20;
  const int k = 64, d = DIM, kPad = 64, tileK = 64;
  const int tile = KG_TILE, rpg = tile * 8, chunk = rpg, groups = (n + rpg - 1) / rpg;
  const int statLen = k * (d + 2), xs = (tile + 3) / 4 * 4 + 4, words = ((chunk + 31) / 32) | 1;

  std::vector<float> truth(k * d), cent(k * d), centT(d * kPad), norms(kPad);
  srand(7);
  for (auto& v : truth) v = 20.0f * rand() / RAND_MAX - 10.0f;
  for (int i = 0; i < k * d; i++) cent[i] = truth[i] + 0.5f * rand() / RAND_MAX - 0.25f;
  for (int c = 0; c < kPad; c++) {
    float s = 0.0f;
    for (int j = 0; j < d; j++) {
      float v = c < k ? cent[c * d + j] : 0.0f;
      centT[j * kPad + c] = v;
      s = fmaf(v, v, s);
    }
    norms[c] = c < k ? s : INFINITY;
  }
  float *x, *dTruth, *dCent, *dCentT, *dNorm, *dist, *partials, *w;
  int *labels, *changed;
  CHECK(cudaMalloc(&x, (size_t) n * d * 4));
  CHECK(cudaMalloc(&dTruth, k * d * 4));
  CHECK(cudaMalloc(&dCent, k * d * 4));
  CHECK(cudaMalloc(&dCentT, d * kPad * 4));
  CHECK(cudaMalloc(&dNorm, kPad * 4));
  CHECK(cudaMalloc(&dist, (size_t) n * 4));
  CHECK(cudaMalloc(&labels, (size_t) n * 4));
  CHECK(cudaMalloc(&w, 16));
  CHECK(cudaMalloc(&partials, (size_t) groups * statLen * 4));
  CHECK(cudaMalloc(&changed, groups * 4));
  CHECK(cudaMemcpy(dTruth, truth.data(), k * d * 4, cudaMemcpyHostToDevice));
  CHECK(cudaMemcpy(dCent, cent.data(), k * d * 4, cudaMemcpyHostToDevice));
  CHECK(cudaMemcpy(dCentT, centT.data(), d * kPad * 4, cudaMemcpyHostToDevice));
  CHECK(cudaMemcpy(dNorm, norms.data(), kPad * 4, cudaMemcpyHostToDevice));
  CHECK(cudaMemset(labels, 0, (size_t) n * 4));
  blobs<<<(unsigned) (((size_t) n * d + 255) / 256), 256>>>(x, dTruth, n, k);
  CHECK(cudaGetLastError());

  AssignLocal al{4 * tileK * d, 4 * tileK, 4, 4 * d * xs, 4 * KG_GROUPS * tile, 4 * KG_GROUPS * tile,
                 4 * (tile > WG_SIZE ? tile : WG_SIZE), 4, 4, 4};
  int aBytes = align16(al.cT) + align16(al.cn) + align16(al.acc) + align16(al.xt) + align16(al.exScore)
      + align16(al.exIndex) + align16(al.tLabel) + align16(al.tW) + align16(al.tDist) + align16(al.nz);
  AccLocal cl{4 * chunk, 4 * k * words, 4 * k * words, 4 * (k + 1), 4 * chunk};
  int cBytes = align16(cl.lab) + align16(cl.masks) + align16(cl.pre) + align16(cl.start) + align16(cl.perm);
  CHECK(cudaFuncSetAttribute(assign_wrap, cudaFuncAttributeMaxDynamicSharedMemorySize, aBytes));
  CHECK(cudaFuncSetAttribute(acc_wrap, cudaFuncAttributeMaxDynamicSharedMemorySize, cBytes));
  int occA = 0, occC = 0;
  CHECK(cudaOccupancyMaxActiveBlocksPerMultiprocessor(&occA, assign_wrap, WG_SIZE, aBytes));
  CHECK(cudaOccupancyMaxActiveBlocksPerMultiprocessor(&occC, acc_wrap, KA_WG, cBytes));
  printf("n=%d d=%d k=%d groups=%d rows/group=%d; local bytes: assign %d (%d groups/SM), accumulate %d (%d groups/SM)\n",
         n, d, k, groups, rpg, aBytes, occA, cBytes, occC);

  cudaEvent_t e0, e1, e2;
  cudaEventCreate(&e0); cudaEventCreate(&e1); cudaEventCreate(&e2);
  float tA = 0, tC = 0;
  for (int it = 0; it <= launches; it++) {  // launch 0 is a warm-up
    cudaEventRecord(e0);
    assign_wrap<<<groups, WG_SIZE, aBytes>>>(x, w, n, rpg, dCent, dCentT, dNorm, k, kPad, tileK, labels, dist,
                                             partials, changed, al);
    cudaEventRecord(e1);
    acc_wrap<<<groups, KA_WG, cBytes>>>(x, w, n, rpg, dCent, k, labels, dist, partials, chunk, cl);
    cudaEventRecord(e2);
    CHECK(cudaEventSynchronize(e2));
    float a, c;
    cudaEventElapsedTime(&a, e0, e1);
    cudaEventElapsedTime(&c, e1, e2);
    if (it > 0) { tA += a; tC += c; }
  }
  CHECK(cudaGetLastError());
  std::vector<float> part((size_t) statLen);
  std::vector<int> ch(groups);
  CHECK(cudaMemcpy(part.data(), partials, statLen * 4, cudaMemcpyDeviceToHost));
  CHECK(cudaMemcpy(ch.data(), changed, groups * 4, cudaMemcpyDeviceToHost));
  double weight = 0;
  for (int c = 0; c < k; c++) weight += part[c * (d + 2) + d];
  long moved = 0;
  for (int g = 0; g < groups; g++) moved += ch[g];
  printf("km_assign_gemm %.4f ms, km_accumulate %.4f ms per launch (mean of %d); group 0 weight %.0f, changed %ld\n",
         launches > 0 ? tA / launches : 0.0f, launches > 0 ? tC / launches : 0.0f, launches, weight, moved);
  return 0;
}
