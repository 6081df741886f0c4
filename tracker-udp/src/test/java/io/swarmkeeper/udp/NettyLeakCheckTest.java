package io.swarmkeeper.udp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import io.swarmkeeper.testsupport.NettyLeakPropertyHook;
import io.swarmkeeper.testsupport.NettyLeaks;
import net.jqwik.api.Example;
import org.junit.jupiter.api.Test;

/**
 * The leak check every test JVM runs (test-support's NettyLeakCheck, on by the parent pom) catches
 * a buffer dropped without release. This test leaks one on purpose, then takes the report itself so
 * that the check after it finds nothing.
 */
class NettyLeakCheckTest {

  @Test
  void theTestJvmTracksEveryBufferAndChecksEveryTest() {
    assertThat(ResourceLeakDetector.getLevel()).isEqualTo(ResourceLeakDetector.Level.PARANOID);
    assertThat(NettyLeaks.installed()).as("NettyLeakCheck registered by autodetection").isTrue();
  }

  /** jqwik properties are not Jupiter tests: a hook of their own checks them. */
  @Example
  void propertiesAreCheckedToo() {
    assertThat(NettyLeakPropertyHook.ran()).as("NettyLeakPropertyHook registered").isTrue();
  }

  @Test
  void aBufferDroppedWithoutReleaseFailsTheCheck() {
    NettyLeaks.collect(); // nothing earlier may count here
    leakOne();
    assertThatThrownBy(() -> NettyLeaks.assertNone(NettyLeaks.collect(), "a leaking class"))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("1 Netty buffer leak(s) by the end of a leaking class")
        .hasMessageContaining("leakOne"); // the record names where the buffer was allocated
    assertThat(NettyLeaks.collect()).isEmpty();
  }

  @Test
  void aReleasedBufferPasses() {
    NettyLeaks.collect();
    ByteBuf b = PooledByteBufAllocator.DEFAULT.directBuffer(64);
    b.writeLong(1);
    b.release();
    b = null;
    assertThat(NettyLeaks.collect()).isEmpty();
  }

  private static void leakOne() {
    ByteBuf b = PooledByteBufAllocator.DEFAULT.directBuffer(64);
    b.writeLong(1); // touched, so its record shows this method
  }
}
