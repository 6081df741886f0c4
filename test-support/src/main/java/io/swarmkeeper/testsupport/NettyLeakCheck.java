package io.swarmkeeper.testsupport;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test when Netty reports a leaked buffer. Registered for every Jupiter test by
 * autodetection (the parent pom turns it on). After each test it fails on leaks already reported;
 * after each class it collects garbage first, so a buffer dropped without release is found while
 * its class is still to blame (a GC per test would slow the suite for little more precision). A
 * leak in a test of another engine (jqwik) fails the next Jupiter test in the same JVM.
 */
public final class NettyLeakCheck
    implements BeforeAllCallback, AfterEachCallback, AfterAllCallback {

  @Override
  public void beforeAll(ExtensionContext context) {
    NettyLeaks.install(); // before this class's buffers can be collected
  }

  @Override
  public void afterEach(ExtensionContext context) {
    NettyLeaks.assertNone(NettyLeaks.drain(), context.getDisplayName());
  }

  @Override
  public void afterAll(ExtensionContext context) {
    NettyLeaks.assertNone(NettyLeaks.collect(), context.getDisplayName());
  }
}
