package io.swarmkeeper.swarm;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.hash.Hashing;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/**
 * Our fixed-length SipHash against Guava's general SipHash-2-4, and against a byte-at-a-time
 * SipHash-c-d written from the paper, itself checked against Guava, for the 1-3 variant Guava
 * lacks.
 */
class SipHashTest {

  private static byte[] littleEndian(long... words) {
    ByteBuffer b = ByteBuffer.allocate(8 * words.length).order(ByteOrder.LITTLE_ENDIAN);
    for (long w : words) {
      b.putLong(w);
    }
    return b.array();
  }

  private static long guava(long k0, long k1, byte[] msg) {
    return Hashing.sipHash24(k0, k1).hashBytes(msg).asLong();
  }

  /** SipHash-c-d of any message, as the paper describes it. */
  private static long reference(int c, int d, long k0, long k1, byte[] msg) {
    long[] v = {
      k0 ^ 0x736f6d6570736575L,
      k1 ^ 0x646f72616e646f6dL,
      k0 ^ 0x6c7967656e657261L,
      k1 ^ 0x7465646279746573L
    };
    ByteBuffer in = ByteBuffer.wrap(msg).order(ByteOrder.LITTLE_ENDIAN);
    while (in.remaining() >= 8) {
      compress(v, in.getLong(), c);
    }
    long last = (long) msg.length << 56;
    for (int i = 0; in.hasRemaining(); i++) {
      last |= (in.get() & 0xFFL) << (8 * i);
    }
    compress(v, last, c);
    v[2] ^= 0xFF;
    rounds(v, d);
    return v[0] ^ v[1] ^ v[2] ^ v[3];
  }

  private static void compress(long[] v, long m, int c) {
    v[3] ^= m;
    rounds(v, c);
    v[0] ^= m;
  }

  private static void rounds(long[] v, int n) {
    for (int r = 0; r < n; r++) {
      v[0] += v[1];
      v[1] = Long.rotateLeft(v[1], 13) ^ v[0];
      v[0] = Long.rotateLeft(v[0], 32);
      v[2] += v[3];
      v[3] = Long.rotateLeft(v[3], 16) ^ v[2];
      v[0] += v[3];
      v[3] = Long.rotateLeft(v[3], 21) ^ v[0];
      v[2] += v[1];
      v[1] = Long.rotateLeft(v[1], 17) ^ v[2];
      v[2] = Long.rotateLeft(v[2], 32);
    }
  }

  @Property(tries = 2000)
  void hash24AgreesWithGuava(
      @ForAll long k0, @ForAll long k1, @ForAll long m0, @ForAll long m1, @ForAll long m2) {
    assertThat(SipHash.hash24(k0, k1, m0, m1, m2))
        .isEqualTo(guava(k0, k1, littleEndian(m0, m1, m2)));
  }

  @Property(tries = 1000)
  void referenceAgreesWithGuava(@ForAll long k0, @ForAll long k1, @ForAll byte[] msg) {
    assertThat(reference(2, 4, k0, k1, msg)).isEqualTo(guava(k0, k1, msg));
  }

  @Property(tries = 2000)
  void hash13AgreesWithTheReference(
      @ForAll long k0, @ForAll long k1, @ForAll long m0, @ForAll long m1, @ForAll long m2) {
    assertThat(SipHash.hash13(k0, k1, m0, m1, m2))
        .isEqualTo(reference(1, 3, k0, k1, littleEndian(m0, m1, m2)));
    assertThat(SipHash.hash13(k0, k1, m0)).isEqualTo(reference(1, 3, k0, k1, littleEndian(m0)));
  }

  @Test
  void referenceKeyAndMessage() {
    // The reference key 00..0f and message 00..17 of the SipHash paper's test vectors.
    long k0 = 0x0706050403020100L;
    long k1 = 0x0f0e0d0c0b0a0908L;
    long m0 = 0x0706050403020100L;
    long m1 = 0x0f0e0d0c0b0a0908L;
    long m2 = 0x1716151413121110L;
    // The reference code's vector for the 15 bytes 00..0e, as a 64-bit result.
    assertThat(reference(2, 4, k0, k1, java.util.Arrays.copyOf(littleEndian(m0, m1), 15)))
        .isEqualTo(0xa129ca6149be45e5L);
    assertThat(SipHash.hash24(k0, k1, m0, m1, m2))
        .isEqualTo(guava(k0, k1, littleEndian(m0, m1, m2)));
  }
}
