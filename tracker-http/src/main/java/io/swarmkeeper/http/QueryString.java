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
  private final Map<String, List<byte[]>> values;

  private QueryString(Map<String, List<byte[]>> values) {
    this.values = values;
  }

  /** Parses {@code a=1&b=%20x}; a malformed escape is an {@link IllegalArgumentException}. */
  static QueryString parse(String raw) {
    Map<String, List<byte[]>> values = new HashMap<>();
    if (raw != null && !raw.isEmpty()) {
      for (String pair : raw.split("&")) {
        if (pair.isEmpty()) {
          continue;
        }
        int eq = pair.indexOf('=');
        String name =
            new String(decode(eq < 0 ? pair : pair.substring(0, eq)), StandardCharsets.ISO_8859_1);
        byte[] value = eq < 0 ? new byte[0] : decode(pair.substring(eq + 1));
        values.computeIfAbsent(name, k -> new ArrayList<>(1)).add(value);
      }
    }
    return new QueryString(values);
  }

  /**
   * Percent-decodes to raw bytes. {@code +} stays a {@code +}: RFC 3986 gives it no meaning in a
   * query (the space of HTML forms is another format), and a client that leaves a 0x2B byte of an
   * info_hash unescaped must not have it turned into 0x20. A character above 0xFF cannot be one
   * byte and is refused; 0x80..0xFF (raw bytes some clients send unescaped) are kept as they are.
   */
  static byte[] decode(String s) {
    byte[] out = new byte[s.length()];
    int n = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '%') {
        if (i + 2 >= s.length()) {
          throw new IllegalArgumentException("truncated %-escape at the end of a value");
        }
        int hi = hexDigit(s.charAt(i + 1));
        int lo = hexDigit(s.charAt(i + 2));
        if (hi < 0 || lo < 0) {
          throw new IllegalArgumentException(
              "bad %-escape '" + s.substring(i, i + 3) + "': two hex digits must follow %");
        }
        out[n++] = (byte) (hi << 4 | lo);
        i += 2;
      } else if (c > 0xFF) {
        throw new IllegalArgumentException(
            "character U+" + Integer.toHexString(c) + " is not a byte");
      } else {
        out[n++] = (byte) c;
      }
    }
    return java.util.Arrays.copyOf(out, n);
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
  byte[] first(String name) {
    List<byte[]> v = values.get(name);
    return v == null ? null : v.get(0);
  }

  String text(String name) {
    byte[] v = first(name);
    return v == null ? null : new String(v, StandardCharsets.ISO_8859_1);
  }

  List<byte[]> all(String name) {
    return values.getOrDefault(name, List.of());
  }
}
