package io.swarmkeeper.testsupport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The leaks Netty's detector reports for buffers in this JVM, kept for a test to fail on. Netty
 * only logs a leak; we listen on the detector every {@code ByteBuf} shares. It is read by
 * reflection because it is created when the first buffer class loads, which may be before any hook
 * of ours runs (a jqwik property, a static field), so a replaced detector factory could miss it.
 */
public final class NettyLeaks {
  private static final ConcurrentLinkedQueue<String> REPORTED = new ConcurrentLinkedQueue<>();
  private static volatile boolean installed;

  static {
    ResourceLeakDetector<?> detector = byteBufDetector();
    detector.setLeakListener(
        (resourceType, records) -> REPORTED.add(resourceType + " leaked:" + records));
  }

  private NettyLeaks() {}

  private static ResourceLeakDetector<?> byteBufDetector() {
    try {
      Field f = Class.forName("io.netty.buffer.AbstractByteBuf").getDeclaredField("leakDetector");
      f.setAccessible(true);
      return (ResourceLeakDetector<?>) f.get(null);
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw new IllegalStateException("Netty's ByteBuf leak detector is not where it was", e);
    }
  }

  /**
   * Starts listening (idempotent); the detector's level comes from -Dio.netty.leakDetection.level.
   */
  public static void install() {
    installed = true; // loading this class listened
  }

  /** Whether {@link NettyLeakCheck} is registered in this JVM: it installs before every class. */
  public static boolean installed() {
    return installed;
  }

  /** Fails with every leak, and where they were allocated and last touched. */
  public static void assertNone(List<String> leaks, String where) {
    if (!leaks.isEmpty()) {
      throw new AssertionError(
          leaks.size()
              + " Netty buffer leak(s) by the end of "
              + where
              + " (release what you allocate):\n"
              + String.join("\n", leaks));
    }
  }

  /** Leaks reported so far, without waiting for the garbage collector; forgets them. */
  public static List<String> drain() {
    List<String> out = new ArrayList<>();
    for (String s; (s = REPORTED.poll()) != null; ) {
      out.add(s);
    }
    return out;
  }

  /**
   * Collects garbage so that every unreachable unreleased buffer is found, then drains. Netty looks
   * for collected buffers only when it tracks a new one, so each round allocates one.
   */
  public static List<String> collect() {
    for (int round = 0; round < 3; round++) {
      System.gc();
      try {
        Thread.sleep(20); // the reference handler thread enqueues what the collector found
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      ByteBuf probe = PooledByteBufAllocator.DEFAULT.directBuffer(1);
      probe.release();
    }
    return drain();
  }
}
