package io.swarmkeeper.udp;

import io.swarmkeeper.swarm.PeerEndpoint;
import io.swarmkeeper.swarm.SipHash;
import java.security.SecureRandom;
import java.time.InstantSource;
import java.util.HexFormat;

/**
 * Stateless BEP 15 connection ids: the issue time in seconds (high 32 bits) and a keyed SipHash of
 * that time and the client's IP address (low 32 bits). Nothing is stored; any node holding the key
 * verifies an id any other issued. An id is accepted for {@code lifetimeSeconds} after issue and
 * rejected when older, when from the future (beyond a small clock skew), or from another address.
 */
public final class ConnectionIds {
  /** Tolerated clock difference between fleet members that share a key. */
  static final int FUTURE_SKEW_SECONDS = 5;

  private final long k0;
  private final long k1;
  private final InstantSource clock;
  private final int lifetimeSeconds;

  public ConnectionIds(byte[] key, InstantSource clock, int lifetimeSeconds) {
    if (key.length != 16) {
      throw new IllegalArgumentException("key must be 16 bytes, got " + key.length);
    }
    if (lifetimeSeconds < 1) {
      throw new IllegalArgumentException("lifetimeSeconds must be >= 1, got " + lifetimeSeconds);
    }
    this.k0 = littleEndian(key, 0);
    this.k1 = littleEndian(key, 8);
    this.clock = clock;
    this.lifetimeSeconds = lifetimeSeconds;
  }

  /** A key from {@code hex} (32 hex digits), or a random one when {@code hex} is null or empty. */
  public static byte[] keyFromHex(String hex) {
    if (hex == null || hex.isEmpty()) {
      byte[] key = new byte[16];
      new SecureRandom().nextBytes(key);
      return key;
    }
    if (hex.length() != 32) {
      throw new IllegalArgumentException(
          "connection id key must be 32 hex digits (16 bytes), got " + hex.length());
    }
    return HexFormat.of().parseHex(hex);
  }

  public long issue(PeerEndpoint client) {
    int now = nowSeconds();
    return ((long) now << 32) | (mac(now, client) & 0xFFFFFFFFL);
  }

  public boolean verify(long connectionId, PeerEndpoint client) {
    int issued = (int) (connectionId >>> 32);
    int age = nowSeconds() - issued; // int arithmetic: correct across the 2106 wrap
    if (age < -FUTURE_SKEW_SECONDS || age > lifetimeSeconds) {
      return false;
    }
    // Both sides are computed in full before one integer compare: no early exit on a prefix.
    return (int) connectionId == mac(issued, client);
  }

  private int mac(int time, PeerEndpoint client) {
    long m0 = (time & 0xFFFFFFFFL) | (client.ipv6() ? 1L << 32 : 0);
    long h = SipHash.hash24(k0, k1, m0, client.high(), client.low());
    return (int) (h ^ (h >>> 32));
  }

  private int nowSeconds() {
    return (int) (clock.millis() / 1000);
  }

  private static long littleEndian(byte[] b, int off) {
    long v = 0;
    for (int i = 7; i >= 0; i--) {
      v = (v << 8) | (b[off + i] & 0xFF);
    }
    return v;
  }
}
