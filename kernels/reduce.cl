/*
 * reduce.cl - adds the per-work-group partial statistics of a pass, on the device, in two
 * levels so thousands of groups do not make a few work-items loop over all of them.
 *
 * Assumptions
 *  - common.cl precedes this file; only HAVE_FP64 matters here.
 *  - partials: groups x len float32, group-major (group g's slot is [g * len, (g + 1) * len)),
 *    written by km_assign; counts: one int per group.
 *  - Level 1 (reduce_segments): segment 0 covers groups [0, firstGroups), segment s > 0 covers
 *    [firstGroups + (s - 1) * groupsPerSegment, ...); work-item s * (len + 1) + e adds element
 *    e over the segment's groups in group order into mid (acc_t bits), and e == len adds the
 *    segment's counts as a 64-bit integer. One device over all the data has firstGroups ==
 *    groupsPerSegment.
 *  - Level 2 (reduce_merge): work-item e adds mid[s * (len + 1) + e] over the first `closed`
 *    segments in order into out[width + e] (width = len + 1), and that plus the remaining open
 *    segment, if any, into out[e]; element len is the total count.
 *  - Chaining (several devices, ShardedSession): `carry` holds what the shard before this one
 *    handed on, width words of segments it merged, then width words of its last segment when
 *    that was still open (fewer than groupsPerSegment groups). With hasOpen, segment 0 starts
 *    from the open segment and takes the groups it lacks (firstGroups), so the segments are
 *    the one device's; with hasMerged, the merge starts from the merged words. A shard that
 *    hands on merges only its closed segments into out[width + e] and hands its open one on.
 *    So shards whose boundaries fall on work-group boundaries add every value in the one
 *    device's order: the same bits.
 *  - The segmentation depends only on the number of groups (and the carry), so the result
 *    does not depend on scheduling: double with cl_khr_fp64, compensated float otherwise.
 *  - Launched with at least segments * (len + 1), respectively len + 1, work-items, any
 *    work-group size.
 *  - reduce_acc_segments / reduce_acc_merge (at the end) do the same for partials that are
 *    already acc_t words (the mixture kernels), without counts.
 */

/* Groups [g0, g1) of segment s: segment 0 holds firstGroups, the others groupsPerSegment. */
KM_INLINE int segment_start(const int s, const int firstGroups, const int groupsPerSegment) {
  return s == 0 ? 0 : firstGroups + (s - 1) * groupsPerSegment;
}

__kernel void reduce_segments(__global const float* restrict partials, const int groups, const int len,
                              const int groupsPerSegment, const int segments,
                              __global const int* restrict counts, __global ulong* restrict mid,
                              const int firstGroups, __global const ulong* restrict carry, const int hasOpen) {
  const int id = get_global_id(0);
  const int width = len + 1;
  if (id >= segments * width) {
    return;
  }
  const int s = id / width;
  const int e = id - s * width;
  const int g0 = segment_start(s, firstGroups, groupsPerSegment);
  const int g1 = min(segment_start(s + 1, firstGroups, groupsPerSegment), groups);
  const bool open = hasOpen && s == 0;
  if (e < len) {
    acc_t a = open ? acc_from_bits(carry[width + e]) : ACC_ZERO;
    for (int g = g0; g < g1; g++) {
      a = acc_add(a, partials[(size_t) g * len + e]);
    }
    mid[id] = acc_bits(a);
  } else {
    long c = open ? (long) carry[width + len] : 0;
    for (int g = g0; g < g1; g++) {
      c += counts[g];
    }
    mid[id] = (ulong) c;
  }
}

__kernel void reduce_merge(__global const ulong* restrict mid, const int segments, const int len,
                           __global ulong* restrict out, const int closed, __global const ulong* restrict carry,
                           const int hasMerged) {
  const int e = get_global_id(0);
  const int width = len + 1;
  if (e < len) {
    acc_t a = hasMerged ? acc_from_bits(carry[e]) : ACC_ZERO;
    for (int s = 0; s < closed; s++) {
      a = acc_merge(a, acc_from_bits(mid[(size_t) s * width + e]));
    }
    out[width + e] = acc_bits(a);
    if (closed < segments) {
      a = acc_merge(a, acc_from_bits(mid[(size_t) closed * width + e]));
    }
    out[e] = acc_bits(a);
  } else if (e == len) {
    long c = hasMerged ? (long) carry[len] : 0;
    for (int s = 0; s < closed; s++) {
      c += (long) mid[(size_t) s * width + len];
    }
    out[width + len] = (ulong) c;
    if (closed < segments) {
      c += (long) mid[(size_t) closed * width + len];
    }
    out[len] = (ulong) c;
  }
}

/*
 * The same two levels for partials that are already acc_t (the mixture kernels accumulate each
 * group's statistics tile by tile in acc_t): partials is groups x len acc_t words, mid is
 * segments x len, out and carry 2 x len. Launched with at least segments * len, respectively
 * len, work-items.
 */
__kernel void reduce_acc_segments(__global const ulong* restrict partials, const int groups, const int len,
                                  const int groupsPerSegment, const int segments, __global ulong* restrict mid,
                                  const int firstGroups, __global const ulong* restrict carry, const int hasOpen) {
  const int id = get_global_id(0);
  if (id >= segments * len) {
    return;
  }
  const int s = id / len;
  const int e = id - s * len;
  const int g0 = segment_start(s, firstGroups, groupsPerSegment);
  const int g1 = min(segment_start(s + 1, firstGroups, groupsPerSegment), groups);
  acc_t a = hasOpen && s == 0 ? acc_from_bits(carry[len + e]) : ACC_ZERO;
  for (int g = g0; g < g1; g++) {
    a = acc_merge(a, acc_from_bits(partials[(size_t) g * len + e]));
  }
  mid[id] = acc_bits(a);
}

__kernel void reduce_acc_merge(__global const ulong* restrict mid, const int segments, const int len,
                               __global ulong* restrict out, const int closed, __global const ulong* restrict carry,
                               const int hasMerged) {
  const int e = get_global_id(0);
  if (e >= len) {
    return;
  }
  acc_t a = hasMerged ? acc_from_bits(carry[e]) : ACC_ZERO;
  for (int s = 0; s < closed; s++) {
    a = acc_merge(a, acc_from_bits(mid[(size_t) s * len + e]));
  }
  out[len + e] = acc_bits(a);
  if (closed < segments) {
    a = acc_merge(a, acc_from_bits(mid[(size_t) closed * len + e]));
  }
  out[e] = acc_bits(a);
}
