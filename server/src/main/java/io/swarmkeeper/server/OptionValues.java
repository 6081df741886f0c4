package io.swarmkeeper.server;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigInteger;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Takes one option value exactly as given or refuses it naming the key, the value and what is
 * allowed. JsonObject's own getters would truncate 1.5 to 1, wrap 2^32 + 1 to 1 and throw a
 * ClassCastException for a quoted number. Text (an environment variable, {@code --set}, a quoted
 * YAML scalar) and JSON numbers and booleans are read the same way.
 */
final class OptionValues {
  private static final Pattern WHOLE_NUMBER = Pattern.compile("[+-]?\\d+");
  private static final BigInteger INT_MIN = BigInteger.valueOf(Integer.MIN_VALUE);
  private static final BigInteger INT_MAX = BigInteger.valueOf(Integer.MAX_VALUE);

  private OptionValues() {}

  static int integer(String key, Object value) {
    BigInteger n = null;
    if (value instanceof Integer || value instanceof Long || value instanceof Short) {
      n = BigInteger.valueOf(((Number) value).longValue());
    } else if (value instanceof BigInteger b) {
      n = b;
    } else if (value instanceof String s && WHOLE_NUMBER.matcher(s.trim()).matches()) {
      n = new BigInteger(s.trim());
    }
    if (n == null) {
      throw new IllegalArgumentException(
          key + " must be a whole number, got '" + value + "'" + kind(value));
    }
    if (n.compareTo(INT_MIN) < 0 || n.compareTo(INT_MAX) > 0) {
      throw new IllegalArgumentException(
          key + " must be a whole number of at most " + Integer.MAX_VALUE + ", got " + n);
    }
    return n.intValue();
  }

  static boolean bool(String key, Object value) {
    if (value instanceof Boolean b) {
      return b;
    }
    if (value instanceof String s) {
      String v = s.trim().toLowerCase(Locale.ROOT);
      if (v.equals("true") || v.equals("false")) {
        return v.equals("true");
      }
    }
    throw new IllegalArgumentException(key + " must be true or false, got '" + value + "'");
  }

  /**
   * A list option given as a YAML/JSON list or as comma-separated text (what a variable or --set
   * carries): {@code section.key}, or {@code otherwise} when absent.
   */
  static List<String> list(JsonObject json, String prefix, String key, List<String> otherwise) {
    Object value = json.getValue(key, String.join(",", otherwise));
    String text =
        value instanceof JsonArray a
            ? String.join(",", a.stream().map(String::valueOf).toList())
            : string(prefix + key, value);
    return List.of(text.split(","));
  }

  static String string(String key, Object value) {
    if (value instanceof String s) {
      return s;
    }
    throw new IllegalArgumentException(
        key + " must be text (quote it in YAML), got '" + value + "'" + kind(value));
  }

  /** A nested section; a scalar in its place is refused. */
  static JsonObject section(String key, Object value) {
    if (value instanceof JsonObject o) {
      return o;
    }
    if (value instanceof Map<?, ?> m) {
      @SuppressWarnings("unchecked")
      Map<String, Object> map = (Map<String, Object>) m;
      return new JsonObject(map);
    }
    throw new IllegalArgumentException(
        key + " is a section of options (" + key + ".<name>: value), got '" + value + "'");
  }

  /** Refuses a key of a section ({@code prefix}, "" at the top) that is not among {@code keys}. */
  static void known(JsonObject json, String prefix, java.util.Set<String> keys) {
    for (String key : json.fieldNames()) {
      if (!keys.contains(key)) {
        throw new IllegalArgumentException(
            "unknown option " + prefix + key + " (known: " + keys + ")");
      }
    }
  }

  static int integer(JsonObject json, String prefix, String name, int otherwise) {
    return integer(prefix + name, json.getValue(name, otherwise));
  }

  static boolean bool(JsonObject json, String prefix, String name, boolean otherwise) {
    return bool(prefix + name, json.getValue(name, otherwise));
  }

  static String string(JsonObject json, String prefix, String name, String otherwise) {
    return string(prefix + name, json.getValue(name, otherwise));
  }

  /**
   * The value converted to the type of the default value it replaces, for options classes whose
   * JSON constructors take only the exact type.
   */
  static Object like(String key, Object value, Object defaultValue) {
    if (defaultValue instanceof Integer) {
      return integer(key, value);
    }
    if (defaultValue instanceof Boolean) {
      return bool(key, value);
    }
    if (value instanceof JsonArray || value instanceof List<?>) {
      return value; // a list where text is the default (trusted-proxies): its class checks it
    }
    return string(key, value);
  }

  private static String kind(Object value) {
    if (value instanceof Double
        || value instanceof Float
        || value instanceof java.math.BigDecimal) {
      return " (a fraction)";
    }
    return "";
  }
}
