package io.swarmkeeper.server;

import io.swarmkeeper.swarm.InfoHash;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;

/**
 * What the dashboard's swarm box takes: an info_hash as 40 hex digits or 32 base32 characters, or a
 * magnet link, whose {@code xt=urn:btih:} (BitTorrent v1) or {@code xt=urn:btmh:1220...} (v2: the
 * swarm a tracker keeps is the SHA-256's first 20 bytes, BEP 52) names the swarm.
 */
final class SwarmQuery {
  private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  static final String EXPECTED =
      "give an info_hash (40 hex digits or 32 base32 characters) or a magnet link"
          + " (magnet:?xt=urn:btih:...)";

  private SwarmQuery() {}

  /**
   * @throws IllegalArgumentException naming what was wrong, for the operator
   */
  static InfoHash parse(String query) {
    String q = query == null ? "" : query.strip();
    if (q.regionMatches(true, 0, "magnet:", 0, 7)) {
      return magnet(q);
    }
    return hash(q);
  }

  private static InfoHash magnet(String link) {
    int question = link.indexOf('?');
    if (question < 0) {
      throw new IllegalArgumentException("a magnet link without parameters: " + EXPECTED);
    }
    InfoHash v2 = null;
    for (String param : link.substring(question + 1).split("&")) {
      int eq = param.indexOf('=');
      if (eq < 0 || !param.substring(0, eq).toLowerCase(Locale.ROOT).matches("xt(\\.\\d+)?")) {
        continue;
      }
      String xt = URLDecoder.decode(param.substring(eq + 1), StandardCharsets.UTF_8);
      String lower = xt.toLowerCase(Locale.ROOT);
      if (lower.startsWith("urn:btih:")) {
        return hash(xt.substring(9)); // v1 first: a hybrid torrent's v1 swarm
      }
      if (lower.startsWith("urn:btmh:") && v2 == null) {
        String multihash = lower.substring(9);
        if (!multihash.matches("1220[0-9a-f]{64}")) {
          throw new IllegalArgumentException(
              "urn:btmh: must be a SHA-256 multihash (1220 and 64 hex digits), got " + multihash);
        }
        v2 = InfoHash.fromHex(multihash.substring(4, 4 + 40));
      }
    }
    if (v2 != null) {
      return v2;
    }
    throw new IllegalArgumentException("the magnet link names no urn:btih: or urn:btmh: hash");
  }

  private static InfoHash hash(String text) {
    if (text.matches("[0-9a-fA-F]{40}")) {
      return InfoHash.fromHex(text.toLowerCase(Locale.ROOT));
    }
    if (text.matches("[A-Za-z2-7]{32}")) {
      return InfoHash.fromBytes(base32(text.toUpperCase(Locale.ROOT)));
    }
    String shown = text.length() > 80 ? text.substring(0, 80) + "..." : text;
    throw new IllegalArgumentException("not an info_hash: '" + shown + "': " + EXPECTED);
  }

  /** RFC 4648 base32 without padding: 32 characters, 160 bits. */
  private static byte[] base32(String text) {
    byte[] out = new byte[InfoHash.BYTES];
    long buffer = 0;
    int bits = 0;
    int n = 0;
    for (int i = 0; i < text.length(); i++) {
      buffer = (buffer << 5) | ALPHABET.indexOf(text.charAt(i));
      bits += 5;
      if (bits >= 8) {
        out[n++] = (byte) (buffer >>> (bits - 8));
        bits -= 8;
      }
    }
    return Arrays.copyOf(out, n);
  }
}
