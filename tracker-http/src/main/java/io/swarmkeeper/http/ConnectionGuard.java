package io.swarmkeeper.http;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Admits TCP connections up to a total cap and a cap per source address, shared by every event loop
 * (a connection is counted from admission to close, whichever loop holds it). Idle sockets cost a
 * file descriptor each: without caps a few addresses holding connections open exhaust the process's
 * descriptors and nobody else is served. An IPv6 source is counted per /64 (one host usually owns a
 * whole /64). Trusted proxies carry many clients and have no per-address cap.
 */
final class ConnectionGuard {
  /** Descriptors kept free for everything but HTTP connections: jars, epoll, UDP, logs, admin. */
  static final int MAX_RESERVED_DESCRIPTORS = 1024;

  private final int maxConnections;
  private final int maxPerAddress;
  private final AddressMatcher uncapped;
  private final HttpTrackerCounters counters;
  private final AtomicInteger open = new AtomicInteger();
  private final ConcurrentHashMap<Source, Integer> perSource = new ConcurrentHashMap<>();

  /** Where a connection comes from, as capped: an IPv4 address or an IPv6 /64. */
  record Source(boolean ipv6, long bits) {}

  /** Admitted without a per-address count (trusted proxies, or no per-address cap). */
  private static final Source UNCAPPED = new Source(false, -1);

  /**
   * @param maxConnections the effective total cap ({@link #effectiveCap})
   * @param maxPerAddress the per-address cap, 0 for none
   * @param uncapped addresses without a per-address cap (trusted proxies)
   */
  ConnectionGuard(
      int maxConnections,
      int maxPerAddress,
      AddressMatcher uncapped,
      HttpTrackerCounters counters) {
    this.maxConnections = maxConnections;
    this.maxPerAddress = maxPerAddress;
    this.uncapped = uncapped;
    this.counters = counters;
  }

  int maxConnections() {
    return maxConnections;
  }

  int open() {
    return open.get();
  }

  /**
   * Admits a connection from {@code address} (4 or 16 bytes) and answers what to pass to {@link
   * #release}, or null (and a count) when a cap is reached: the caller closes it at once.
   */
  Source admit(byte[] address) {
    if (open.incrementAndGet() > maxConnections) {
      open.decrementAndGet();
      counters.count(HttpTrackerCounters.Counter.CONNECTIONS_OVER_TOTAL_CAP);
      return null;
    }
    Source source = source(address);
    if (maxPerAddress > 0 && !uncapped.matches(address)) {
      boolean[] admitted = {false};
      perSource.compute(
          source,
          (k, n) -> {
            int held = n == null ? 0 : n;
            admitted[0] = held < maxPerAddress;
            return admitted[0] ? held + 1 : n;
          });
      if (!admitted[0]) {
        open.decrementAndGet();
        counters.count(HttpTrackerCounters.Counter.CONNECTIONS_OVER_ADDRESS_CAP);
        return null;
      }
      return source;
    }
    return UNCAPPED;
  }

  /** Releases what {@link #admit} admitted, once, when the connection closes. */
  void release(Source source) {
    open.decrementAndGet();
    if (source != UNCAPPED) {
      perSource.computeIfPresent(source, (k, n) -> n <= 1 ? null : n - 1);
    }
  }

  /** Addresses with at least one counted connection (a test sees released entries go away). */
  int trackedSources() {
    return perSource.size();
  }

  static Source source(byte[] address) {
    byte[] a = IpLiteral.unmapped(address);
    long bits = 0;
    int bytes = a.length == 4 ? 4 : 8; // an IPv6 address counts by its /64
    for (int i = 0; i < bytes; i++) {
      bits = bits << 8 | (a[i] & 0xFF);
    }
    return new Source(a.length != 4, bits);
  }

  /**
   * The total cap to use: the configured one, but never more than the open-file limit leaves after
   * a reserve for the rest of the process (a quarter of the limit, at most {@link
   * #MAX_RESERVED_DESCRIPTORS}); the configured cap when the limit is unknown ({@code <= 0}).
   */
  static int effectiveCap(int configured, long openFileLimit) {
    if (openFileLimit <= 0) {
      return configured;
    }
    long reserve = Math.min(MAX_RESERVED_DESCRIPTORS, openFileLimit / 4);
    return (int) Math.max(1, Math.min(configured, openFileLimit - reserve));
  }

  /** This process's open-file limit, or -1 where the JVM cannot tell (not a Unix). */
  static long openFileLimit() {
    OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    if (os instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
      return unix.getMaxFileDescriptorCount();
    }
    return -1;
  }
}
