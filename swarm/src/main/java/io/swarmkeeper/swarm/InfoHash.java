package io.swarmkeeper.swarm;

import java.util.HexFormat;

/**
 * A torrent's 20-byte info_hash as a value: two longs and an int with the hash code cached, so it
 * is cheap to compare and to use as a map key, and holds no array. The hash code is keyed with this
 * process's secret ({@link HashKey}): clients choose info_hashes, and must not be able to choose
 * ones that share a shard and a slot.
 */
public final class InfoHash {
  public static final int BYTES = 20;

  private final long high;
  private final long middle;
  private final int low;
  private final int hash;

  private InfoHash(long high, long middle, int low) {
    this.high = high;
    this.middle = middle;
    this.low = low;
    this.hash = keyedHash(high, middle, low);
  }

  /** The hash code an info_hash of these parts has, without making one. */
  static int keyedHash(long high, long middle, int low) {
    return (int) SipHash.hash13(HashKey.K0, HashKey.K1, high, middle, low);
  }

  public static InfoHash of(long high, long middle, int low) {
    return new InfoHash(high, middle, low);
  }

  public static InfoHash fromBytes(byte[] bytes) {
    if (bytes.length != BYTES) {
      throw new IllegalArgumentException(
          "info_hash must be " + BYTES + " bytes, got " + bytes.length);
    }
    return fromBytes(bytes, 0);
  }

  public static InfoHash fromBytes(byte[] bytes, int offset) {
    long h = 0;
    long m = 0;
    int l = 0;
    for (int i = 0; i < 8; i++) {
      h = (h << 8) | (bytes[offset + i] & 0xFF);
      m = (m << 8) | (bytes[offset + 8 + i] & 0xFF);
    }
    for (int i = 16; i < 20; i++) {
      l = (l << 8) | (bytes[offset + i] & 0xFF);
    }
    return new InfoHash(h, m, l);
  }

  public static InfoHash fromHex(String hex) {
    if (hex.length() != 2 * BYTES) {
      throw new IllegalArgumentException(
          "info_hash hex must be " + 2 * BYTES + " characters, got " + hex.length());
    }
    return fromBytes(HexFormat.of().parseHex(hex));
  }

  public long high() {
    return high;
  }

  public long middle() {
    return middle;
  }

  public int low() {
    return low;
  }

  public byte[] toBytes() {
    byte[] out = new byte[BYTES];
    for (int i = 0; i < 8; i++) {
      out[i] = (byte) (high >>> (56 - 8 * i));
      out[8 + i] = (byte) (middle >>> (56 - 8 * i));
    }
    for (int i = 0; i < 4; i++) {
      out[16 + i] = (byte) (low >>> (24 - 8 * i));
    }
    return out;
  }

  public String toHex() {
    return HexFormat.of().formatHex(toBytes());
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof InfoHash other && other.is(high, middle, low);
  }

  /** Whether this is the info_hash of these three parts. */
  private boolean is(long high, long middle, int low) {
    return this.high == high && this.middle == middle && this.low == low;
  }

  @Override
  public int hashCode() {
    return hash;
  }

  @Override
  public String toString() {
    return toHex();
  }

  /**
   * A stand-in for an info_hash as the key asked of a hash map whose keys are {@link InfoHash}es,
   * without making one: equal to an {@code InfoHash} of the same bytes (that way round only: a map
   * compares the key asked with the keys it holds), with its hash code. Mutable, reused: an {@link
   * AnnounceCall} holds one.
   */
  public static final class Lookup {
    private long high;
    private long middle;
    private int low;
    private int hash;

    Lookup set(long high, long middle, int low, int hash) {
      this.high = high;
      this.middle = middle;
      this.low = low;
      this.hash = hash;
      return this;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof InfoHash other && other.is(high, middle, low);
    }

    @Override
    public int hashCode() {
      return hash;
    }
  }
}
