package io.swarmkeeper.benchmarks;

import io.swarmkeeper.swarm.InfoHash;

/**
 * The hash-flooding attack on the unkeyed info_hash hash swarmkeeper once had: {@code h = high * C1
 * ^ middle * C2 ^ low; h ^= h >>> 29; hashCode = (int) (h ^ h >>> 32)}. Every step inverts, so any
 * number of info_hashes with one hash code (one shard, one probe sequence) are computed offline:
 * pick 64-bit values whose fold is the target, undo the xorshift, multiply by C1's inverse, and
 * leave middle and low 0.
 */
final class CollidingInfoHashes {
  private static final long C1 = 0x9E3779B97F4A7C15L;
  private static final long C1_INVERSE = inverse(C1);

  private CollidingInfoHashes() {}

  /** The i-th info_hash (i >= 0) whose old hash code is {@code target}. */
  static InfoHash of(int i, int target) {
    long folded = ((long) i << 32) | ((i ^ target) & 0xFFFFFFFFL);
    long unshifted = folded ^ (folded >>> 29) ^ (folded >>> 58);
    return InfoHash.of(unshifted * C1_INVERSE, 0, 0);
  }

  /** The old hash code, to check that the attack still is one. */
  static int oldHashCode(InfoHash h) {
    long x = h.high() * C1 ^ h.middle() * 0xC2B2AE3D27D4EB4FL ^ h.low();
    x ^= x >>> 29;
    return (int) (x ^ (x >>> 32));
  }

  /** The inverse of an odd number modulo 2^64: Newton's iteration doubles the correct bits. */
  private static long inverse(long odd) {
    long x = odd;
    for (int i = 0; i < 5; i++) {
      x *= 2 - odd * x;
    }
    return x;
  }
}
