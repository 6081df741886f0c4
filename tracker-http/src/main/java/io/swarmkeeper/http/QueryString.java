package io.swarmkeeper.http;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A URL query string with its values percent-decoded to raw bytes: info_hash and peer_id are
 * binary, and decoding them as UTF-8 text (as general-purpose parsers do) would corrupt them.
 */
final class QueryString {
  private static final byte[] EMPTY = new byte[0];

  /**
   * The names clients send: a name that is one of these (unescaped) is taken as the constant,
   * without making a String of it.
   */
  private static final String[] KNOWN = {
    "info_hash",
    "peer_id",
    "port",
    "uploaded",
    "downloaded",
    "left",
    "event",
    "numwant",
    "compact",
    "no_peer_id",
    "key",
    "ip",
    "ipv4",
    "ipv6",
    "trackerid",
    "supportcrypto",
    "corrupt"
  };

  /** Each name's value: a byte[], or a {@code List<byte[]>} once a name repeats. */
  private final Map<String, Object> values;

  private QueryString(Map<String, Object> values) {
    this.values = values;
  }

  /**
   * Parses {@code a=1&b=%20x}; a malformed escape is an {@link IllegalArgumentException}. One pass
   * over the ranges of the string, without splitting it: a value is decoded straight from its range
   * into an array of its exact length, and a known name costs nothing.
   */
  static QueryString parse(String raw) {
    Map<String, Object> values = new HashMap<>();
    int length = raw == null ? 0 : raw.length();
    for (int start = 0; start < length; ) {
      int end = raw.indexOf('&', start);
      if (end < 0) {
        end = length;
      }
      if (end > start) {
        int eq = raw.indexOf('=', start);
        if (eq < 0 || eq > end) {
          eq = end;
        }
        String name = name(raw, start, eq);
        byte[] value = eq == end ? EMPTY : decode(raw, eq + 1, end);
        Object before = values.putIfAbsent(name, value);
        if (before != null) {
          add(values, name, before, value);
        }
      }
      start = end + 1;
    }
    return new QueryString(values);
  }

  @SuppressWarnings("unchecked")
  private static void add(Map<String, Object> values, String name, Object before, byte[] value) {
    if (before instanceof byte[] first) {
      List<byte[]> list = new ArrayList<>(4);
      list.add(first);
      list.add(value);
      values.put(name, list);
    } else {
      ((List<byte[]>) before).add(value);
    }
  }

  private static String name(String raw, int from, int to) {
    for (String known : KNOWN) {
      if (known.length() == to - from && raw.startsWith(known, from)) {
        return known;
      }
    }
    return new String(decode(raw, from, to), StandardCharsets.ISO_8859_1);
  }

  /**
   * Percent-decodes to raw bytes. {@code +} stays a {@code +}: RFC 3986 gives it no meaning in a
   * query (the space of HTML forms is another format), and a client that leaves a 0x2B byte of an
   * info_hash unescaped must not have it turned into 0x20. A character above 0xFF cannot be one
   * byte and is refused; 0x80..0xFF (raw bytes some clients send unescaped) are kept as they are.
   */
  static byte[] decode(String s) {
    return decode(s, 0, s.length());
  }

  /** {@link #decode(String)} of the characters {@code from} to {@code to}. */
  static byte[] decode(String s, int from, int to) {
    int n = 0; // bytes out: an escape counts once (it is checked as it is decoded, below)
    for (int i = from; i < to; i++, n++) {
      if (s.charAt(i) == '%') {
        i += 2;
      }
    }
    byte[] out = new byte[n];
    int o = 0;
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (c == '%') {
        if (i + 2 >= to) {
          throw new IllegalArgumentException("truncated %-escape at the end of a value");
        }
        int hi = hexDigit(s.charAt(i + 1));
        int lo = hexDigit(s.charAt(i + 2));
        if (hi < 0 || lo < 0) {
          throw new IllegalArgumentException(
              "bad %-escape '" + s.substring(i, i + 3) + "': two hex digits must follow %");
        }
        out[o++] = (byte) (hi << 4 | lo);
        i += 2;
      } else if (c > 0xFF) {
        throw new IllegalArgumentException(
            "character U+" + Integer.toHexString(c) + " is not a byte");
      } else {
        out[o++] = (byte) c;
      }
    }
    return out;
  }

  /**
   * 0..15 for an ASCII hex digit, else -1 ({@code Character.digit} also takes non-ASCII digits).
   */
  private static int hexDigit(char c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
      return c - 'A' + 10;
    }
    return -1;
  }

  /** The first value, or null. */
  @SuppressWarnings("unchecked")
  byte[] first(String name) {
    Object v = values.get(name);
    return v == null || v instanceof byte[] ? (byte[]) v : ((List<byte[]>) v).get(0);
  }

  String text(String name) {
    byte[] v = first(name);
    return v == null ? null : new String(v, StandardCharsets.ISO_8859_1);
  }

  @SuppressWarnings("unchecked")
  List<byte[]> all(String name) {
    Object v = values.get(name);
    if (v == null) {
      return List.of();
    }
    return v instanceof byte[] one ? List.of(one) : (List<byte[]>) v;
  }
}
