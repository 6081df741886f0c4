package io.swarmkeeper.udp;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.hash.Hashing;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/** Our 24-byte SipHash-2-4 against Guava's general implementation. */
class SipHashTest {

  private static long guava(long k0, long k1, long m0, long m1, long m2) {
    byte[] msg =
        ByteBuffer.allocate(24)
            .order(ByteOrder.LITTLE_ENDIAN)
            .putLong(m0)
            .putLong(m1)
            .putLong(m2)
            .array();
    return Hashing.sipHash24(k0, k1).hashBytes(msg).asLong();
  }

  @Property(tries = 2000)
  void agreesWithGuava(
      @ForAll long k0, @ForAll long k1, @ForAll long m0, @ForAll long m1, @ForAll long m2) {
    assertThat(SipHash.hash24(k0, k1, m0, m1, m2)).isEqualTo(guava(k0, k1, m0, m1, m2));
  }

  @Test
  void referenceKeyAndMessage() {
    // The reference key 00..0f and message 00..17 of the SipHash paper's test vectors.
    long k0 = 0x0706050403020100L;
    long k1 = 0x0f0e0d0c0b0a0908L;
    long m0 = 0x0706050403020100L;
    long m1 = 0x0f0e0d0c0b0a0908L;
    long m2 = 0x1716151413121110L;
    assertThat(SipHash.hash24(k0, k1, m0, m1, m2)).isEqualTo(guava(k0, k1, m0, m1, m2));
  }
}
