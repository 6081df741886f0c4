package io.swarmkeeper.testsupport;

import net.jqwik.api.lifecycle.AroundPropertyHook;
import net.jqwik.api.lifecycle.PropagationMode;
import net.jqwik.api.lifecycle.PropertyExecutionResult;
import net.jqwik.api.lifecycle.PropertyExecutor;
import net.jqwik.api.lifecycle.PropertyLifecycleContext;

/**
 * {@link NettyLeakCheck} for jqwik properties, which JUnit Jupiter's extensions do not reach:
 * registered for every property through jqwik's ServiceLoader of hooks, it fails a property after
 * which Netty has reported a leak. (The collection of garbage stays with the Jupiter check at the
 * end of a class; a leak only a GC reveals fails the next Jupiter class of the JVM.)
 */
public final class NettyLeakPropertyHook implements AroundPropertyHook {
  private static volatile boolean ran;

  /** Whether jqwik has run a property through this hook in this JVM. */
  public static boolean ran() {
    return ran;
  }

  @Override
  public PropagationMode propagateTo() {
    return PropagationMode.ALL_DESCENDANTS;
  }

  @Override
  public PropertyExecutionResult aroundProperty(
      PropertyLifecycleContext context, PropertyExecutor property) {
    NettyLeaks.install();
    ran = true;
    PropertyExecutionResult result = property.execute();
    try {
      NettyLeaks.assertNone(NettyLeaks.drain(), context.label());
      return result;
    } catch (AssertionError leaked) {
      return result.mapToFailed(leaked);
    }
  }
}
