package io.swarmkeeper.swarm;

import io.vertx.core.buffer.Buffer;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Bencoding (BEP 3): integers, byte strings, lists and dictionaries. Encodes {@code Long}/{@code
 * Integer}, {@code byte[]}, {@code String} (as UTF-8), {@code List} and {@code Map} with String or
 * byte[] keys (sorted by raw bytes, as the format requires). Decodes to {@code Long}, {@code
 * byte[]}, {@code List<Object>} and {@code Map<String, Object>} (keys read as ISO-8859-1, which
 * keeps their bytes); anything malformed is a {@link BencodeException}, never another exception.
 */
public final class Bencode {
  private static final int MAX_DEPTH = 64;

  private Bencode() {}

  /** Raised for bytes that are not bencoding. */
  public static final class BencodeException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    BencodeException(String message) {
      super(message);
    }
  }

  public static byte[] encode(Object value) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    write(out, value);
    return out.toByteArray();
  }

  private static void write(ByteArrayOutputStream out, Object value) {
    if (value instanceof Long || value instanceof Integer) {
      out.writeBytes(("i" + value + "e").getBytes(StandardCharsets.US_ASCII));
    } else if (value instanceof byte[] bytes) {
      out.writeBytes((bytes.length + ":").getBytes(StandardCharsets.US_ASCII));
      out.writeBytes(bytes);
    } else if (value instanceof String s) {
      write(out, s.getBytes(StandardCharsets.UTF_8));
    } else if (value instanceof List<?> list) {
      out.write('l');
      for (Object item : list) {
        write(out, item);
      }
      out.write('e');
    } else if (value instanceof Map<?, ?> map) {
      TreeMap<byte[], Object> sorted = new TreeMap<>(Arrays::compareUnsigned);
      for (Map.Entry<?, ?> e : map.entrySet()) {
        Object k = e.getKey();
        byte[] key = k instanceof byte[] b ? b : ((String) k).getBytes(StandardCharsets.ISO_8859_1);
        sorted.put(key, e.getValue());
      }
      out.write('d');
      for (Map.Entry<byte[], Object> e : sorted.entrySet()) {
        write(out, e.getKey());
        write(out, e.getValue());
      }
      out.write('e');
    } else {
      throw new IllegalArgumentException("cannot bencode " + value);
    }
  }

  /**
   * Appends a dictionary entry with an integer value straight to a buffer: {@code key} is the key
   * already bencoded ({@link #key}); the caller writes the dictionary's {@code d}, its keys in
   * sorted order, and its {@code e}. For answers made per request, without a map or a copy.
   */
  public static Buffer appendEntry(Buffer out, byte[] key, long value) {
    out.appendBytes(key).appendByte((byte) 'i');
    appendDigits(out, value);
    return out.appendByte((byte) 'e');
  }

  /** Appends a dictionary entry whose value is {@code length} bytes of {@code value}. */
  public static Buffer appendEntry(Buffer out, byte[] key, byte[] value, int length) {
    out.appendBytes(key);
    appendDigits(out, length);
    return out.appendByte((byte) ':').appendBytes(value, 0, length);
  }

  /** A dictionary key (ASCII) in its bencoded form, made once, for {@link #appendEntry}. */
  public static byte[] key(String ascii) {
    return (ascii.length() + ":" + ascii).getBytes(StandardCharsets.US_ASCII);
  }

  private static void appendDigits(Buffer out, long value) {
    if (value < 0) {
      out.appendByte((byte) '-');
      if (value == Long.MIN_VALUE) {
        out.appendString("9223372036854775808");
        return;
      }
      value = -value;
    }
    long scale = 1;
    while (scale <= value / 10) {
      scale *= 10;
    }
    for (; scale > 0; scale /= 10) {
      out.appendByte((byte) ('0' + (value / scale) % 10));
    }
  }

  public static Object decode(byte[] data) {
    int[] pos = {0};
    Object value = read(data, pos, 0);
    if (pos[0] != data.length) {
      throw new BencodeException("trailing bytes at " + pos[0]);
    }
    return value;
  }

  /**
   * Where the value of {@code key} in the top-level dictionary lies: {start, end} in {@code data},
   * or null without that key. A torrent's info hash is the digest of exactly those bytes of its
   * {@code info} value, which re-encoding a decoded value would not always reproduce.
   */
  public static int[] valueSpan(byte[] data, String key) {
    if (data.length == 0 || data[0] != 'd') {
      throw new BencodeException("not a dictionary");
    }
    byte[] wanted = key.getBytes(StandardCharsets.ISO_8859_1);
    int[] pos = {1};
    while (peek(data, pos) != 'e') {
      Object k = read(data, pos, 1);
      if (!(k instanceof byte[] name)) {
        throw new BencodeException("dictionary key is not a string at " + pos[0]);
      }
      int start = pos[0];
      read(data, pos, 1);
      if (Arrays.equals(name, wanted)) {
        return new int[] {start, pos[0]};
      }
    }
    return null;
  }

  private static Object read(byte[] d, int[] pos, int depth) {
    if (depth > MAX_DEPTH) {
      throw new BencodeException("nested deeper than " + MAX_DEPTH);
    }
    if (pos[0] >= d.length) {
      throw new BencodeException("unexpected end at " + pos[0]);
    }
    byte b = d[pos[0]];
    if (b == 'i') {
      pos[0]++;
      long v = readNumber(d, pos, 'e', true);
      return v;
    }
    if (b == 'l') {
      pos[0]++;
      List<Object> list = new ArrayList<>();
      while (peek(d, pos) != 'e') {
        list.add(read(d, pos, depth + 1));
      }
      pos[0]++;
      return list;
    }
    if (b == 'd') {
      pos[0]++;
      Map<String, Object> map = new TreeMap<>();
      while (peek(d, pos) != 'e') {
        Object key = read(d, pos, depth + 1);
        if (!(key instanceof byte[] k)) {
          throw new BencodeException("dictionary key is not a string at " + pos[0]);
        }
        map.put(new String(k, StandardCharsets.ISO_8859_1), read(d, pos, depth + 1));
      }
      pos[0]++;
      return map;
    }
    if (b >= '0' && b <= '9') {
      long length = readNumber(d, pos, ':', false);
      if (length > d.length - pos[0]) {
        throw new BencodeException("string of " + length + " bytes runs past the end");
      }
      byte[] s = Arrays.copyOfRange(d, pos[0], pos[0] + (int) length);
      pos[0] += (int) length;
      return s;
    }
    throw new BencodeException("unexpected byte " + (b & 0xFF) + " at " + pos[0]);
  }

  private static byte peek(byte[] d, int[] pos) {
    if (pos[0] >= d.length) {
      throw new BencodeException("unexpected end at " + pos[0]);
    }
    return d[pos[0]];
  }

  private static long readNumber(byte[] d, int[] pos, char end, boolean signed) {
    int start = pos[0];
    if (signed && pos[0] < d.length && d[pos[0]] == '-') {
      pos[0]++;
    }
    int digits = pos[0];
    while (pos[0] < d.length && d[pos[0]] != end) {
      byte c = d[pos[0]++];
      if (c < '0' || c > '9' || pos[0] - digits > 19) {
        throw new BencodeException("bad number at " + start);
      }
    }
    if (pos[0] >= d.length || pos[0] == digits) {
      throw new BencodeException("unterminated number at " + start);
    }
    try {
      long v = Long.parseLong(new String(d, start, pos[0] - start, StandardCharsets.US_ASCII));
      pos[0]++; // the end marker
      return v;
    } catch (NumberFormatException e) {
      throw new BencodeException("number out of range at " + start);
    }
  }
}
