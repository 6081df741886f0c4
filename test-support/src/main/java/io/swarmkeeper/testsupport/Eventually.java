package io.swarmkeeper.testsupport;

import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** Waiting in a test for what happens on other threads or in other processes. */
public final class Eventually {
  private Eventually() {}

  /** Returns once {@code condition} holds; fails the test if it does not within {@code millis}. */
  public static void within(long millis, BooleanSupplier condition) throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > end) {
        throw new AssertionError("not within " + millis + " ms");
      }
      Thread.sleep(20);
    }
  }
}
