package io.swarmkeeper.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Builds the node's options from a YAML or JSON file, then environment variables, then command-line
 * settings, each stronger than the one before. A key {@code udp.port} is set by the variable {@code
 * SWARMKEEPER_UDP_PORT} and by {@code --set udp.port=...}; other SWARMKEEPER_ variables are ignored
 * (Kubernetes sets some for a service of that name).
 */
public final class ConfigLoader {
  public static final String ENV_PREFIX = "SWARMKEEPER_";

  private ConfigLoader() {}

  public static NodeOptions load(
      Path file, Map<String, String> environment, Map<String, String> settings) {
    JsonObject json = file == null ? new JsonObject() : readFile(file);
    JsonObject defaults = new NodeOptions().toJson();
    Map<String, String> known = flatten(defaults, "");
    for (String key : known.keySet()) {
      String value = environment.get(envName(key));
      if (value != null) {
        put(json, key, convert(key, value, known.get(key)));
      }
    }
    for (Map.Entry<String, String> e : settings.entrySet()) {
      String key = e.getKey();
      if (!known.containsKey(key)) {
        throw new IllegalArgumentException(
            "unknown option " + key + " (known: " + known.keySet() + ")");
      }
      put(json, key, convert(key, e.getValue(), known.get(key)));
    }
    return new NodeOptions(json);
  }

  /** The environment variable that sets a dotted key: udp.port is SWARMKEEPER_UDP_PORT. */
  public static String envName(String key) {
    return ENV_PREFIX + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
  }

  /** Every settable key with the class name of its default's type. */
  public static Map<String, String> flatten(JsonObject json, String prefix) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String name : json.fieldNames()) {
      Object v = json.getValue(name);
      if (v instanceof JsonObject nested) {
        out.putAll(flatten(nested, prefix + name + "."));
      } else {
        out.put(prefix + name, v.getClass().getSimpleName());
      }
    }
    return out;
  }

  private static JsonObject readFile(Path file) {
    try {
      String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
      if (name.endsWith(".json")) {
        return new JsonObject(Files.readString(file));
      }
      @SuppressWarnings("unchecked")
      Map<String, Object> map =
          new ObjectMapper(new YAMLFactory()).readValue(file.toFile(), Map.class);
      return map == null ? new JsonObject() : new JsonObject(map);
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException("cannot read config file " + file + ": " + e.getMessage());
    }
  }

  private static Object convert(String key, String value, String type) {
    try {
      return switch (type) {
        case "Integer" -> Integer.parseInt(value.trim());
        case "Boolean" -> {
          String v = value.trim().toLowerCase(Locale.ROOT);
          if (!v.equals("true") && !v.equals("false")) {
            throw new IllegalArgumentException("not true or false");
          }
          yield Boolean.parseBoolean(v);
        }
        default -> value;
      };
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "option " + key + " wants " + type.toLowerCase(Locale.ROOT) + ", got '" + value + "'");
    }
  }

  private static void put(JsonObject json, String dottedKey, Object value) {
    String[] parts = dottedKey.split("\\.");
    JsonObject node = json;
    for (int i = 0; i < parts.length - 1; i++) {
      JsonObject next = node.getJsonObject(parts[i]);
      if (next == null) {
        next = new JsonObject();
        node.put(parts[i], next);
      }
      node = next;
    }
    node.put(parts[parts.length - 1], value);
  }
}
