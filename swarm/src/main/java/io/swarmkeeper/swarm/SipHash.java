package io.swarmkeeper.swarm;

/**
 * SipHash of messages of one or three 64-bit words, read as little-endian bytes: 2-4 rounds where
 * the output is a secret (connection ids), 1-3 rounds where it only picks a table slot (what Rust's
 * HashMap uses). Hand-written because it runs on every announce and a general-purpose hasher
 * (Guava's) allocates per call; tested against Guava's implementation.
 */
public final class SipHash {
  private SipHash() {}

  /** SipHash-2-4 of the 24 bytes {@code m0 m1 m2}. */
  public static long hash24(long k0, long k1, long m0, long m1, long m2) {
    return hash(k0, k1, m0, m1, m2, 3, 2, 4);
  }

  /** SipHash-1-3 of the 24 bytes {@code m0 m1 m2}. */
  public static long hash13(long k0, long k1, long m0, long m1, long m2) {
    return hash(k0, k1, m0, m1, m2, 3, 1, 3);
  }

  /** SipHash-1-3 of the 8 bytes {@code m0}. */
  public static long hash13(long k0, long k1, long m0) {
    return hash(k0, k1, m0, 0, 0, 1, 1, 3);
  }

  /** SipHash-c-d of {@code words} message words; the JIT folds the constant arguments. */
  private static long hash(
      long k0, long k1, long m0, long m1, long m2, int words, int compression, int finalization) {
    long v0 = k0 ^ 0x736f6d6570736575L;
    long v1 = k1 ^ 0x646f72616e646f6dL;
    long v2 = k0 ^ 0x6c7967656e657261L;
    long v3 = k1 ^ 0x7465646279746573L;
    // Blocks 0..words-1 are the message words, block `words` the length word (compression
    // rounds each); the block after is finalization: its rounds after v2 ^= 0xff.
    for (int block = 0; block <= words + 1; block++) {
      long m = block == words ? (long) (8 * words) << 56 : block == 0 ? m0 : block == 1 ? m1 : m2;
      int rounds = compression;
      if (block <= words) {
        v3 ^= m;
      } else {
        v2 ^= 0xFF;
        rounds = finalization;
      }
      for (int r = 0; r < rounds; r++) {
        v0 += v1;
        v1 = Long.rotateLeft(v1, 13) ^ v0;
        v0 = Long.rotateLeft(v0, 32);
        v2 += v3;
        v3 = Long.rotateLeft(v3, 16) ^ v2;
        v0 += v3;
        v3 = Long.rotateLeft(v3, 21) ^ v0;
        v2 += v1;
        v1 = Long.rotateLeft(v1, 17) ^ v2;
        v2 = Long.rotateLeft(v2, 32);
      }
      if (block <= words) {
        v0 ^= m;
      }
    }
    return v0 ^ v1 ^ v2 ^ v3;
  }
}
