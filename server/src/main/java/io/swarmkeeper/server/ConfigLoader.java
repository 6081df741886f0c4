package io.swarmkeeper.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the node's options from a YAML or JSON file, then environment variables, then command-line
 * settings, each stronger than the one before. A key {@code udp.port} is set by the variable {@code
 * SWARMKEEPER_UDP_PORT} and by {@code --set udp.port=...}. Every value, from any of the three, is
 * typed the same way: exactly, or refused with its key, its value and what is allowed.
 *
 * <p>Kubernetes injects variables for a Service named {@code swarmkeeper} or {@code swarmkeeper-*}
 * into every pod of its namespace ({@code SWARMKEEPER_UDP_PORT=udp://10.96.0.12:6969} for a Service
 * {@code swarmkeeper-udp}); those are recognised by their form and never taken as config. Any other
 * unknown {@code SWARMKEEPER_*} variable is a typo worth a warning.
 */
public final class ConfigLoader {
  private static final Logger LOG = LoggerFactory.getLogger(ConfigLoader.class);

  public static final String ENV_PREFIX = "SWARMKEEPER_";

  /**
   * Variables of the prefix that are not options: the launcher's JVM options (bin/swarmkeeper) and
   * scripts/local-fleet.sh's settings, which its nodes inherit.
   */
  static final java.util.Set<String> NOT_OPTIONS =
      java.util.Set.of("SWARMKEEPER_OPTS", "SWARMKEEPER_FLEET_DIR", "SWARMKEEPER_FLEET_ARGS");

  /** A service link's value: {@code tcp://10.96.0.12:6969}. */
  private static final Pattern LINK_VALUE = Pattern.compile("(?i)(tcp|udp|sctp)://\\S*");

  /** The names of a service link's other variables. */
  private static final Pattern LINK_NAME =
      Pattern.compile(
          "[A-Z0-9_]*_(SERVICE_HOST|SERVICE_PORT(_[A-Z0-9_]+)?|PORT_\\d+_(TCP|UDP|SCTP)"
              + "(_PROTO|_PORT|_ADDR)?)");

  private ConfigLoader() {}

  /**
   * What was loaded, with a warning per unknown variable and a note per variable recognised as a
   * Kubernetes service link.
   */
  public record Loaded(NodeOptions options, List<String> warnings, List<String> notes) {}

  /** Loads, logging the warnings and notes. */
  public static NodeOptions load(
      Path file, Map<String, String> environment, Map<String, String> settings) {
    Loaded loaded = read(file, environment, settings);
    loaded.warnings().forEach(LOG::warn);
    loaded.notes().forEach(LOG::info);
    return loaded.options();
  }

  public static Loaded read(
      Path file, Map<String, String> environment, Map<String, String> settings) {
    JsonObject json = file == null ? new JsonObject() : readFile(file);
    JsonObject defaults = new NodeOptions().toJson();
    Map<String, Object> known = flatten(defaults, "");
    List<String> warnings = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    Map<String, String> byVariable = new LinkedHashMap<>();
    for (String key : known.keySet()) {
      byVariable.put(envName(key), key);
    }
    for (Map.Entry<String, String> e : new TreeMap<>(environment).entrySet()) {
      String name = e.getKey();
      if (!name.startsWith(ENV_PREFIX)) {
        continue;
      }
      String key = byVariable.get(name);
      if (NOT_OPTIONS.contains(name)) {
        continue;
      }
      if (LINK_VALUE.matcher(e.getValue().trim()).matches()) {
        notes.add("ignoring " + name + "=" + e.getValue() + ": a Kubernetes service link");
      } else if (key != null) {
        put(json, key, e.getValue());
      } else if (LINK_NAME.matcher(name).matches()) {
        LOG.debug("ignoring {}: a Kubernetes service link", name);
      } else {
        warnings.add(
            "ignoring unknown environment variable "
                + name
                + " (no such option; options are SWARMKEEPER_ and the key in capitals,"
                + " udp.port is SWARMKEEPER_UDP_PORT)");
      }
    }
    for (Map.Entry<String, String> e : settings.entrySet()) {
      String key = e.getKey();
      if (!known.containsKey(key)) {
        throw new IllegalArgumentException(
            "unknown option " + key + " (known: " + known.keySet() + ")");
      }
      put(json, key, e.getValue());
    }
    typeLike(json, defaults, "");
    return new Loaded(new NodeOptions(json), warnings, notes);
  }

  /** The environment variable that sets a dotted key: udp.port is SWARMKEEPER_UDP_PORT. */
  public static String envName(String key) {
    return ENV_PREFIX + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
  }

  /** Every settable key with its default value. */
  public static Map<String, Object> flatten(JsonObject json, String prefix) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (String name : json.fieldNames()) {
      Object v = json.getValue(name);
      if (v instanceof JsonObject nested) {
        out.putAll(flatten(nested, prefix + name + "."));
      } else {
        out.put(prefix + name, v);
      }
    }
    return out;
  }

  /**
   * Converts each value in place to the type of its default, so that text from a variable or a
   * quoted YAML scalar reaches the options classes as the number or boolean they take. Unknown keys
   * are left for the options classes to refuse by name.
   */
  private static void typeLike(JsonObject json, JsonObject defaults, String prefix) {
    for (String name : json.fieldNames()) {
      Object given = json.getValue(name);
      Object standard = defaults.getValue(name);
      String key = prefix + name;
      if (standard instanceof JsonObject section) {
        JsonObject nested = OptionValues.section(key, given);
        typeLike(nested, section, key + ".");
        json.put(name, nested);
      } else if (standard != null) {
        json.put(name, OptionValues.like(key, given, standard));
      }
    }
  }

  private static JsonObject readFile(Path file) {
    JsonNode tree;
    try {
      String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
      ObjectMapper mapper = name.endsWith(".json") ? new ObjectMapper() : yaml();
      tree = mapper.readTree(Files.readString(file));
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException("cannot read config file " + file + ": " + e.getMessage());
    }
    // An empty file, or one of comments only, sets nothing.
    if (tree == null || tree.isMissingNode() || tree.isNull()) {
      return new JsonObject();
    }
    if (!tree.isObject()) {
      throw new IllegalArgumentException(
          "config file " + file + " must be a mapping of keys to values, got: " + tree);
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> map = new ObjectMapper().convertValue(tree, Map.class);
    return new JsonObject(map);
  }

  private static ObjectMapper yaml() {
    return new ObjectMapper(new YAMLFactory());
  }

  private static void put(JsonObject json, String dottedKey, Object value) {
    String[] parts = dottedKey.split("\\.");
    JsonObject node = json;
    for (int i = 0; i < parts.length - 1; i++) {
      Object next = node.getValue(parts[i]);
      JsonObject section = next == null ? new JsonObject() : OptionValues.section(parts[i], next);
      node.put(parts[i], section);
      node = section;
    }
    node.put(parts[parts.length - 1], value);
  }
}
