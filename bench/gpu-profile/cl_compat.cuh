// OpenCL C built-ins for clmix's kernels compiled as CUDA (see cl2cuda.sh). Only what the
// K-means kernels use; work-item functions map to the one-dimensional CUDA launch.
#pragma once
#include <cuda_runtime.h>
#include <cstddef>
typedef unsigned int uint;
typedef unsigned long ulong;
#define __global
#define __local
#define __constant const
#define CLK_LOCAL_MEM_FENCE 1
#define CLK_GLOBAL_MEM_FENCE 2
__device__ __forceinline__ void barrier(int) { __syncthreads(); }
__device__ __forceinline__ int get_local_id(int) { return threadIdx.x; }
__device__ __forceinline__ int get_group_id(int) { return blockIdx.x; }
__device__ __forceinline__ int get_local_size(int) { return blockDim.x; }
__device__ __forceinline__ size_t get_global_id(int) { return (size_t) blockIdx.x * blockDim.x + threadIdx.x; }
__device__ __forceinline__ int cl_isless(float a, float b) { return a < b; }
__device__ __forceinline__ int cl_isgreater(float a, float b) { return a > b; }
__device__ __forceinline__ int cl_isless(double a, double b) { return a < b; }
__device__ __forceinline__ int cl_isgreater(double a, double b) { return a > b; }
__device__ __forceinline__ uint popcount(uint x) { return __popc(x); }
__device__ __forceinline__ uint clz(uint x) { return __clz(x); }
__device__ __forceinline__ uint atomic_or(uint* p, uint v) { return atomicOr(p, v); }
__device__ __forceinline__ int atomic_inc(int* p) { return atomicAdd(p, 1); }
__device__ __forceinline__ ulong as_ulong(double d) { return (ulong) __double_as_longlong(d); }
__device__ __forceinline__ double as_double(ulong b) { return __longlong_as_double((long long) b); }
__device__ __forceinline__ float4 cl_float4_splat(float v) { return make_float4(v, v, v, v); }
// Aligned as the kernels guarantee where they use them (16 bytes for float4, 8 for float2).
__device__ __forceinline__ float4 vload4(size_t o, const float* p) { return *(const float4*) (p + 4 * o); }
__device__ __forceinline__ float2 vload2(size_t o, const float* p) { return *(const float2*) (p + 2 * o); }
__device__ __forceinline__ float4 operator+(float4 a, float4 b) { return make_float4(a.x + b.x, a.y + b.y, a.z + b.z, a.w + b.w); }
__device__ __forceinline__ float4 operator-(float4 a, float4 b) { return make_float4(a.x - b.x, a.y - b.y, a.z - b.z, a.w - b.w); }
__device__ __forceinline__ float4 operator*(float4 a, float4 b) { return make_float4(a.x * b.x, a.y * b.y, a.z * b.z, a.w * b.w); }
__device__ __forceinline__ float4 fma(float4 a, float4 b, float4 c) {
  return make_float4(fmaf(a.x, b.x, c.x), fmaf(a.y, b.y, c.y), fmaf(a.z, b.z, c.z), fmaf(a.w, b.w, c.w));
}
