#!/usr/bin/env bash
# Turns clmix's OpenCL C kernels into CUDA device functions, so that NVIDIA's profiler (which
# profiles no OpenCL kernel) can see the same code: prints common.cl followed by the named
# family file, rewritten. Mechanical rewrites only (qualifiers, built-in names, vector literals);
# the compat header cl_compat.cuh supplies the OpenCL built-ins.
#   cl2cuda.sh kernels/kmeans_gemm.cl > gen.cuh
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cat "$root/kernels/common.cl" "$1" | sed -E \
  -e 's/__kernel __attribute__\(\(reqd_work_group_size\([^)]*\)\)\)/__device__/' \
  -e 's/^__kernel /__device__ /' \
  -e 's/^#define KM_INLINE .*/#define KM_INLINE __device__ __forceinline__/' \
  -e 's/^#pragma OPENCL EXTENSION.*//' \
  -e 's/\(float4\) *\(/cl_float4_splat(/g' \
  -e 's/\(float2\) *\(/make_float2(/g' \
  -e 's/\brestrict\b/__restrict__/g' \
  -e 's/\bisless\(/cl_isless(/g' -e 's/\bisgreater\(/cl_isgreater(/g'
