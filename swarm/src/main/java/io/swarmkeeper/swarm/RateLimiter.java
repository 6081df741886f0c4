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
  private final Cache<Long, Bucket> buckets;
  private final java.util.function.Function<Long, Bucket> newBucket;

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
    if (!enabled || (exemptLoopback && isLoopback(client))) {
      return true;
    }
    Long key = AddressCounts.addressOf(client);
    Bucket b = buckets.getIfPresent(key); // the common case, without a mapping function
    if (b == null) {
      b = buckets.get(key, newBucket);
    }
    return b.take(ticker.nanos(), perNano, burst);
  }

  /** Addresses with a bucket now. */
  public long trackedAddresses() {
    return enabled ? buckets.estimatedSize() : 0;
  }

  Cache<Long, Bucket> buckets() {
    return buckets;
  }

  public boolean enabled() {
    return enabled;
  }

  private static boolean isLoopback(PeerEndpoint p) {
    // 127.0.0.0/8, or ::1 (IPv4-mapped addresses arrive as IPv4)
    return p.ipv6() ? p.high() == 0 && p.low() == 1 : (p.low() >>> 24) == 127;
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
