package io.swarmkeeper.swarm;

/**
 * Per-address request limits ({@code rate-limit.*}): a token bucket per IPv4 address or IPv6 /64,
 * refilled at {@code requests-per-second} up to {@code burst}. The defaults are far above what an
 * honest client sends, even thousands of users behind one carrier-grade NAT address (each torrent
 * announces once per interval; a client starting with 1,000 torrents sends about 2,000 requests).
 */
public final class RateLimitOptions {
  public static final int DEFAULT_REQUESTS_PER_SECOND = 200;
  public static final int DEFAULT_BURST = 2000;
  public static final int DEFAULT_MAX_ADDRESSES = 1_000_000;

  private boolean enabled = true;
  private int requestsPerSecond = DEFAULT_REQUESTS_PER_SECOND;
  private int burst = DEFAULT_BURST;
  private int maxAddresses = DEFAULT_MAX_ADDRESSES;
  private boolean exemptLoopback = true;

  public RateLimitOptions() {}

  public RateLimitOptions(RateLimitOptions other) {
    enabled = other.enabled;
    requestsPerSecond = other.requestsPerSecond;
    burst = other.burst;
    maxAddresses = other.maxAddresses;
    exemptLoopback = other.exemptLoopback;
  }

  public boolean isEnabled() {
    return enabled;
  }

  public RateLimitOptions setEnabled(boolean enabled) {
    this.enabled = enabled;
    return this;
  }

  public int getRequestsPerSecond() {
    return requestsPerSecond;
  }

  public RateLimitOptions setRequestsPerSecond(int n) {
    this.requestsPerSecond = OptionRange.check("rate-limit.requests-per-second", n, 1, 10_000_000);
    return this;
  }

  public int getBurst() {
    return burst;
  }

  public RateLimitOptions setBurst(int n) {
    this.burst = OptionRange.check("rate-limit.burst", n, 1, 100_000_000);
    return this;
  }

  /** Addresses tracked at once; past it the least useful are forgotten (bounded memory). */
  public int getMaxAddresses() {
    return maxAddresses;
  }

  public RateLimitOptions setMaxAddresses(int n) {
    this.maxAddresses = OptionRange.check("rate-limit.max-addresses", n, 1, 100_000_000);
    return this;
  }

  /** Whether loopback sources (the operator's own tools on the host) are never limited. */
  public boolean isExemptLoopback() {
    return exemptLoopback;
  }

  public RateLimitOptions setExemptLoopback(boolean exempt) {
    this.exemptLoopback = exempt;
    return this;
  }
}
