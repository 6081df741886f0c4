package io.swarmkeeper.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.swarmkeeper.swarm.SwarmLimits;
import io.swarmkeeper.udp.UdpTrackerOptions;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every value is typed the same way from a file, a variable or --set: exactly, or refused with the
 * key, the value and what is allowed (never a ClassCastException, never a truncated number).
 */
class ConfigTypingTest {
  @TempDir Path dir;

  private NodeOptions fromFile(String name, String text) throws Exception {
    Path file = dir.resolve(name);
    Files.writeString(file, text);
    return ConfigLoader.load(file, Map.of(), Map.of());
  }

  /** A YAML file of one key: refused with this message. */
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "udp: {allow-ip-override: \"yes\"} | udp.allow-ip-override must be true or false, got 'yes'",
        "udp: {allow-ip-override: 1} | udp.allow-ip-override must be true or false, got '1'",
        "udp: {port: 1.5} | udp.port must be a whole number, got '1.5' (a fraction)",
        "udp: {port: 4294973265} | udp.port must be a whole number of at most 2147483647,"
            + " got 4294973265",
        "udp: {port: 99999999999999999999} | udp.port must be a whole number of at most"
            + " 2147483647, got 99999999999999999999",
        "udp: {port: 70000} | udp.port must be 0..65535, got 70000",
        "udp: {port: \"x\"} | udp.port must be a whole number, got 'x'",
        "udp: {transport: fast} | udp.transport must be one of auto, epoll, vertx, got 'fast'",
        "udp: {host: 127} | udp.host must be text (quote it in YAML), got '127'",
        "udp: 5 | udp is a section of options (udp.<name>: value), got '5'",
        "http: {port: 6969.5} | http.port must be a whole number, got '6969.5' (a fraction)",
        "http: {allow-full-scrape: \"on\"} | http.allow-full-scrape must be true or false,"
            + " got 'on'",
        "limits: {max-peers: -5} | limits.max-peers must be >= 0 (0 for no limit), got -5",
        "limits: {max-peer: 5} | unknown option limits.max-peer",
        "admin: {port: 70000} | admin.port must be -1..65535, got 70000",
        "log-level: loud | log-level must be one of error, warn, info, debug, trace, got 'loud'",
        "event-loops: [1, 2] | event-loops must be a whole number, got '[1,2]'",
        "- a list | must be a mapping of keys to values",
        "store: redit | store must be one of [memory, hazelcast, redis], got 'redit'",
        "redis: {url: \"http://10.0.0.5:6379\"} | redis.url must be redis://HOST:PORT (or"
            + " rediss://, unix://), got 'http://10.0.0.5:6379'",
        "redis: {url: \"http://u:secret@h:1\"} | got 'http://u:***@h:1'",
        "redis: {topology: ring} | redis.topology must be standalone, cluster or sentinel, got"
            + " 'ring'",
        "redis: {key-prefix: \"a b\"} | redis.key-prefix must be up to 32 of A-Z a-z 0-9 : _ . -,"
            + " got 'a b'",
        "redis: {timeout-millis: 5} | redis.timeout-millis must be 10..60000, got 5",
        "redis: {degraded-interval-seconds: -1} | redis.degraded-interval-seconds must be"
            + " 0..10800, got -1",
        "redis: {urls: x} | unknown option redis.urls",
      })
  void badFileValuesAreRefusedByName(String yaml, String message) {
    assertThatThrownBy(() -> fromFile("c.yaml", yaml.replace("\\n", "\n")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(message);
  }

  /** The same keys from a variable and from --set: the same refusals. */
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "udp.port | 1.5 | udp.port must be a whole number, got '1.5'",
        "udp.port | 4294973265 | udp.port must be a whole number of at most 2147483647",
        "udp.allow-ip-override | yes | udp.allow-ip-override must be true or false, got 'yes'",
        "udp.transport | fast | udp.transport must be one of auto, epoll, vertx, got 'fast'",
        "limits.max-swarms | 1e6 | limits.max-swarms must be a whole number, got '1e6'",
        "admin.port | -2 | admin.port must be -1..65535, got -2",
      })
  void badVariablesAndSettingsAreRefusedByName(String key, String value, String message) {
    assertThatThrownBy(
            () -> ConfigLoader.load(null, Map.of(ConfigLoader.envName(key), value), Map.of()))
        .hasMessageContaining(message);
    assertThatThrownBy(() -> ConfigLoader.load(null, Map.of(), Map.of(key, value)))
        .hasMessageContaining(message);
  }

  @Test
  void quotedNumbersAndBooleansAreTakenExactly() throws Exception {
    NodeOptions o =
        fromFile(
            "c.yaml",
            "udp:\n  port: \"6970\"\n  allow-ip-override: \"true\"\nlimits:\n  max-swarms: \"0\"\n");
    assertThat(o.getUdp().getPort()).isEqualTo(6970);
    assertThat(o.getUdp().isAllowIpOverride()).isTrue();
    assertThat(o.limits().maxSwarms()).isZero();
    assertThat(fromFile("c.yaml", "udp: {transport: EPOLL}").getUdp().getTransport())
        .isEqualTo(UdpTrackerOptions.UdpTransport.EPOLL);
  }

  @Test
  void emptyAndCommentOnlyFilesAreTheDefaults() throws Exception {
    JsonObject defaults = new NodeOptions().toJson();
    assertThat(fromFile("empty.yaml", "").toJson()).isEqualTo(defaults);
    assertThat(fromFile("comments.yaml", "# nothing set yet\n  # indented too\n").toJson())
        .isEqualTo(defaults);
    assertThat(fromFile("empty.json", "").toJson()).isEqualTo(defaults);
    assertThat(fromFile("null.yaml", "~\n").toJson()).isEqualTo(defaults);
  }

  @Test
  void limitsSectionMakesTheStoresLimits() throws Exception {
    assertThat(new NodeOptions().limits()).isEqualTo(SwarmLimits.DEFAULT);
    NodeOptions o =
        fromFile(
            "c.yaml",
            """
            limits:
              max-swarms: 10
              max-peers: 20
              max-peers-per-swarm: 30
              max-swarms-per-address: 40
              max-peers-per-address: 0
            """);
    assertThat(o.limits()).isEqualTo(new SwarmLimits(10, 20, 30, 40, 0));
    assertThat(new NodeOptions(o.toJson()).limits()).isEqualTo(o.limits());
  }

  @Test
  void unknownVariablesAreWarnedAboutAndServiceLinksIgnored() {
    Map<String, String> env =
        Map.of(
            "SWARMKEEPER_UPD_PORT", "7000", // a typo
            "SWARMKEEPER_UDP_PORT", "udp://10.96.0.12:6969", // Service swarmkeeper-udp
            "SWARMKEEPER_PORT", "tcp://10.96.0.13:6969", // Service swarmkeeper
            "SWARMKEEPER_SERVICE_HOST", "10.96.0.13",
            "SWARMKEEPER_SERVICE_PORT", "6969",
            "SWARMKEEPER_UDP_PORT_6969_UDP", "udp://10.96.0.12:6969",
            "SWARMKEEPER_UDP_PORT_6969_UDP_PROTO", "udp",
            "SWARMKEEPER_UDP_PORT_6969_UDP_ADDR", "10.96.0.12",
            "SWARMKEEPER_HTTP_PORT", "tcp://10.96.0.14:80",
            "HOME", "/root");
    ConfigLoader.Loaded loaded = ConfigLoader.read(null, env, Map.of());
    assertThat(loaded.options().toJson()).isEqualTo(new NodeOptions().toJson());
    assertThat(loaded.warnings())
        .singleElement()
        .asString()
        .startsWith("ignoring unknown environment variable SWARMKEEPER_UPD_PORT ");
    assertThat(loaded.notes())
        .containsExactlyInAnyOrder(
            "ignoring SWARMKEEPER_HTTP_PORT=tcp://10.96.0.14:80: a Kubernetes service link",
            "ignoring SWARMKEEPER_PORT=tcp://10.96.0.13:6969: a Kubernetes service link",
            "ignoring SWARMKEEPER_UDP_PORT=udp://10.96.0.12:6969: a Kubernetes service link",
            "ignoring SWARMKEEPER_UDP_PORT_6969_UDP=udp://10.96.0.12:6969: a Kubernetes service"
                + " link");
  }

  @Test
  void jsonConstructorsAreExactToo() {
    assertThatThrownBy(() -> new NodeOptions(new JsonObject().put("event-loops", 1.5)))
        .hasMessage("event-loops must be a whole number, got '1.5' (a fraction)");
    assertThatThrownBy(() -> new NodeOptions(new JsonObject().put("sweep-budget", 4294967297L)))
        .hasMessage("sweep-budget must be a whole number of at most 2147483647, got 4294967297");
    assertThatThrownBy(() -> new UdpTrackerOptions(new JsonObject().put("port", 4294973265L)))
        .hasMessage("udp.port must be an integer, got '4294973265'");
    assertThatThrownBy(() -> new UdpTrackerOptions(new JsonObject().put("port", 1.5)))
        .hasMessage("udp.port must be an integer, got '1.5'");
    assertThatThrownBy(
            () -> new UdpTrackerOptions(new JsonObject().put("allow-ip-override", "yes")))
        .hasMessage("udp.allow-ip-override must be true or false, got 'yes'");
    assertThatThrownBy(() -> new UdpTrackerOptions(new JsonObject().put("transport", "fast")))
        .hasMessage("udp.transport must be one of auto, epoll, vertx, got 'fast'");
    assertThatThrownBy(() -> new NodeOptions(new JsonObject().put("admin", "on")))
        .hasMessageContaining("admin is a section of options");
  }
}
