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
 *
 * <p>The fleet may change its key ({@link #rotate}); ids issued under the key before stay valid for
 * one lifetime after the change, so no client loses its id to a rotation.
 */
public final class ConnectionIds {
  /** Tolerated clock difference between fleet members that share a key. */
  static final int FUTURE_SKEW_SECONDS = 5;

  private final InstantSource clock;
  private final int lifetimeSeconds;

  /** Read once per call on the hot path; replaced whole, never changed in place. */
  private volatile Keys keys;

  public ConnectionIds(byte[] key, InstantSource clock, int lifetimeSeconds) {
    if (lifetimeSeconds < 1) {
      throw new IllegalArgumentException("lifetimeSeconds must be >= 1, got " + lifetimeSeconds);
    }
    this.keys = new Keys(Key.of(key), null, 0);
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

  /**
   * Issues ids under {@code newKey} from now on. Ids issued under the key in use until now verify
   * for {@code lifetimeSeconds} more, then only {@code newKey}'s do; a key older than that is
   * dropped at once. Rotating to the key in use changes nothing.
   */
  public synchronized void rotate(byte[] newKey) {
    Key next = Key.of(newKey);
    Keys now = keys;
    if (next.equals(now.current)) {
      return;
    }
    keys = new Keys(next, now.current, nowSeconds());
  }

  /** A copy of the key ids are issued under. */
  public byte[] key() {
    return keys.current.bytes();
  }

  public long issue(PeerEndpoint client) {
    return issue(client.ipv6(), client.high(), client.low());
  }

  /** {@link #issue(PeerEndpoint)} for an address as {@link PeerEndpoint} holds it. */
  public long issue(boolean ipv6, long high, long low) {
    int now = nowSeconds();
    return ((long) now << 32) | (keys.current.mac(now, ipv6, high, low) & 0xFFFFFFFFL);
  }

  public boolean verify(long connectionId, PeerEndpoint client) {
    return verify(connectionId, client.ipv6(), client.high(), client.low());
  }

  /** {@link #verify(long, PeerEndpoint)} for an address as {@link PeerEndpoint} holds it. */
  public boolean verify(long connectionId, boolean ipv6, long high, long low) {
    int now = nowSeconds();
    int issued = (int) (connectionId >>> 32);
    int age = now - issued; // int arithmetic: correct across the 2106 wrap
    if (age < -FUTURE_SKEW_SECONDS || age > lifetimeSeconds) {
      return false;
    }
    Keys k = keys;
    // Both sides are computed in full before one integer compare: no early exit on a prefix.
    // Which key matched may show in the timing; that says nothing about either key.
    if ((int) connectionId == k.current.mac(issued, ipv6, high, low)) {
      return true;
    }
    return k.previous != null
        && now - k.rotatedAt <= lifetimeSeconds
        && (int) connectionId == k.previous.mac(issued, ipv6, high, low);
  }

  private int nowSeconds() {
    return (int) (clock.millis() / 1000);
  }

  /**
   * The key in use and the one before it, accepted until {@code rotatedAt} + lifetime ({@code
   * previous} null before the first rotation).
   */
  private record Keys(Key current, Key previous, int rotatedAt) {}

  /** A 128-bit SipHash key as its two little-endian halves. */
  private record Key(long k0, long k1) {
    static Key of(byte[] key) {
      if (key.length != 16) {
        throw new IllegalArgumentException("key must be 16 bytes, got " + key.length);
      }
      return new Key(littleEndian(key, 0), littleEndian(key, 8));
    }

    int mac(int time, boolean ipv6, long high, long low) {
      long m0 = (time & 0xFFFFFFFFL) | (ipv6 ? 1L << 32 : 0);
      long h = SipHash.hash24(k0, k1, m0, high, low);
      return (int) (h ^ (h >>> 32));
    }

    byte[] bytes() {
      byte[] b = new byte[16];
      for (int i = 0; i < 8; i++) {
        b[i] = (byte) (k0 >>> (8 * i));
        b[8 + i] = (byte) (k1 >>> (8 * i));
      }
      return b;
    }

    /** The key is a secret: a record's generated toString would print it. */
    @Override
    public String toString() {
      return "Key[hidden]";
    }

    private static long littleEndian(byte[] b, int off) {
      long v = 0;
      for (int i = 7; i >= 0; i--) {
        v = (v << 8) | (b[off + i] & 0xFF);
      }
      return v;
    }
  }
}
