package io.swarmkeeper.swarm;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.util.concurrent.TimeUnit;

/**
 * Token buckets per source address (an IPv4 address or an IPv6 /64), shared by the UDP and HTTP
 * trackers and every event loop. Memory is bounded for all addresses together: Caffeine keeps at
 * most {@link RateLimitOptions#getMaxAddresses()} buckets, forgets a bucket idle long enough to be
 * full again, and under a flood of spoofed sources evicts by frequency (W-TinyLFU), so the buckets
 * of the addresses that send the most stay. Caffeine rather than bucket4j: the bucket is a few
 * lines, the bounded concurrent map around it is the hard part, and Caffeine is that map.
 */
public final class RateLimiter {
  private final boolean enabled;
  private final boolean exemptLoopback;
  private final double perNano;
  private final double burst;
  private final Ticker ticker;
  private final Cache<AddressKey, Bucket> buckets;
  private final java.util.function.Function<AddressKey, Bucket> newBucket;

  public RateLimiter(RateLimitOptions options, Ticker ticker) {
    this.enabled = options.isEnabled();
    this.exemptLoopback = options.isExemptLoopback();
    this.perNano = options.getRequestsPerSecond() / 1e9;
    this.burst = options.getBurst();
    this.ticker = ticker;
    this.newBucket = k -> new Bucket(burst, ticker.nanos());
    long fullAgainNanos =
        (long) Math.ceil(options.getBurst() * 1e9 / options.getRequestsPerSecond());
    this.buckets =
        Caffeine.newBuilder()
            .maximumSize(options.getMaxAddresses())
            .expireAfterAccess(Math.max(fullAgainNanos, 1_000_000_000L), TimeUnit.NANOSECONDS)
            .ticker(ticker::nanos)
            .executor(Runnable::run)
            .build();
  }

  /** A limiter that lets everything through. */
  public static RateLimiter off() {
    return new RateLimiter(new RateLimitOptions().setEnabled(false), Ticker.system());
  }

  /** Takes one token from the client's address; false when it has none left (limited). */
  public boolean tryAcquire(PeerEndpoint client) {
    return tryAcquire(client.ipv6(), client.high(), client.low());
  }

  /**
   * {@link #tryAcquire(PeerEndpoint)} of an address as {@link PeerEndpoint} holds it, without
   * making one: allocates nothing unless the address is new.
   */
  public boolean tryAcquire(boolean ipv6, long high, long low) {
    if (!enabled || (exemptLoopback && isLoopback(ipv6, high, low))) {
      return true;
    }
    long address = ipv6 ? high : AddressCounts.ipv4(low);
    // The common case: looked up with this thread's key, reset in place (the map keeps only the
    // fresh key of a miss), and without a mapping function.
    AddressKey probe = PROBES.get();
    probe.address = address;
    Bucket b = buckets.getIfPresent(probe);
    if (b == null) {
      b = buckets.get(new AddressKey(address), newBucket);
    }
    return b.take(ticker.nanos(), perNano, burst);
  }

  private static final ThreadLocal<AddressKey> PROBES = ThreadLocal.withInitial(AddressKey::new);

  /**
   * An address as the buckets' key ({@link AddressCounts}' account: an IPv4 address or an IPv6
   * /64). A key in the map never changes; the lookup key of each thread does, between lookups.
   */
  static final class AddressKey {
    long address;

    AddressKey() {}

    AddressKey(long address) {
      this.address = address;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof AddressKey k && k.address == address;
    }

    @Override
    public int hashCode() {
      return Long.hashCode(address);
    }
  }

  /** Addresses with a bucket now. */
  public long trackedAddresses() {
    return enabled ? buckets.estimatedSize() : 0;
  }

  Cache<AddressKey, Bucket> buckets() {
    return buckets;
  }

  public boolean enabled() {
    return enabled;
  }

  private static boolean isLoopback(boolean ipv6, long high, long low) {
    // 127.0.0.0/8, or ::1 (IPv4-mapped addresses arrive as IPv4)
    return ipv6 ? high == 0 && low == 1 : (low >>> 24) == 127;
  }

  private static final class Bucket {
    private double tokens;
    private long at;

    Bucket(double tokens, long at) {
      this.tokens = tokens;
      this.at = at;
    }

    synchronized boolean take(long now, double perNano, double burst) {
      if (now > at) {
        tokens = Math.min(burst, tokens + (now - at) * perNano);
        at = now;
      }
      if (tokens >= 1) {
        tokens -= 1;
        return true;
      }
      return false;
    }
  }
}
