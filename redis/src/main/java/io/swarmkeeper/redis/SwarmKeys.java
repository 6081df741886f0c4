package io.swarmkeeper.redis;

import io.swarmkeeper.swarm.InfoHash;
import java.nio.charset.StandardCharsets;

/**
 * The Redis keys of one torrent: {@code PREFIX{info_hash hex}} and a suffix. The braces are Redis
 * Cluster's hash tag, so every key of a torrent hashes to one slot and one script may touch them
 * all; hex (not the raw 20 bytes) keeps a {@code }} byte out of the tag and the keys readable.
 *
 * <ul>
 *   <li>{@code s4}, {@code l4}, {@code s6}, {@code l6}: sorted sets of the IPv4 and IPv6 seeders
 *       and leechers, the compact endpoint (6 or 18 bytes) as member, 2 x last-seen second (+1 once
 *       its completion was counted) as score;
 *   <li>{@code d}: the times the torrent was completed.
 * </ul>
 */
final class SwarmKeys {
  static final String[] PEER_SUFFIXES = {"s4", "l4", "s6", "l6"};
  static final String COMPLETED_SUFFIX = "d";

  private SwarmKeys() {}

  /** The five keys in the scripts' order: IPv4 seeders, leechers, IPv6 seeders, leechers, count. */
  static byte[][] of(String prefix, InfoHash infoHash) {
    return of(prefix + "{" + infoHash.toHex() + "}");
  }

  /** The five keys of the torrent whose keys start with {@code base} ({@code PREFIX{hex}}). */
  static byte[][] of(String base) {
    byte[] b = base.getBytes(StandardCharsets.US_ASCII);
    byte[][] keys = new byte[5][];
    for (int i = 0; i < 4; i++) {
      keys[i] = withSuffix(b, PEER_SUFFIXES[i]);
    }
    keys[4] = withSuffix(b, COMPLETED_SUFFIX);
    return keys;
  }

  private static byte[] withSuffix(byte[] base, String suffix) {
    byte[] key = new byte[base.length + suffix.length()];
    System.arraycopy(base, 0, key, 0, base.length);
    for (int i = 0; i < suffix.length(); i++) {
      key[base.length + i] = (byte) suffix.charAt(i);
    }
    return key;
  }

  /**
   * The base ({@code PREFIX{hex}}) and the position (0-3) of a peer key found by a scan, or null
   * for any other key.
   */
  static Found parse(String prefix, String key) {
    if (!key.startsWith(prefix + "{") || key.length() != prefix.length() + 44) {
      return null;
    }
    int close = prefix.length() + 41;
    if (key.charAt(close) != '}') {
      return null;
    }
    String suffix = key.substring(close + 1);
    for (int i = 0; i < 4; i++) {
      if (PEER_SUFFIXES[i].equals(suffix)) {
        return new Found(key.substring(0, close + 1), i);
      }
    }
    return null;
  }

  record Found(String base, int position) {}
}
