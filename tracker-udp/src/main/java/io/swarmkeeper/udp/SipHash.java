package io.swarmkeeper.udp;

/**
 * SipHash-2-4 of a 24-byte message given as three little-endian words, the shape connection ids
 * hash. Hand-written because it runs on every announce and a general-purpose hasher (Guava's)
 * allocates per call; tested against Guava's implementation.
 */
final class SipHash {
  private SipHash() {}

  static long hash24(long k0, long k1, long m0, long m1, long m2) {
    long v0 = k0 ^ 0x736f6d6570736575L;
    long v1 = k1 ^ 0x646f72616e646f6dL;
    long v2 = k0 ^ 0x6c7967656e657261L;
    long v3 = k1 ^ 0x7465646279746573L;
    // Blocks 0-3 are the message words and the length word, two rounds each (compression);
    // block 4 is finalization: four rounds after v2 ^= 0xff.
    for (int block = 0; block < 5; block++) {
      long m = block == 0 ? m0 : block == 1 ? m1 : block == 2 ? m2 : 24L << 56;
      int rounds = 2;
      if (block < 4) {
        v3 ^= m;
      } else {
        v2 ^= 0xFF;
        rounds = 4;
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
      if (block < 4) {
        v0 ^= m;
      }
    }
    return v0 ^ v1 ^ v2 ^ v3;
  }
}
