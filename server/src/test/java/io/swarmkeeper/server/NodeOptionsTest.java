package io.swarmkeeper.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.swarmkeeper.udp.UdpTrackerOptions;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeOptionsTest {
  @TempDir Path dir;

  @Test
  void defaults() {
    NodeOptions o = new NodeOptions();
    assertThat(o.getAnnounceIntervalSeconds()).isBetween(300, 3600);
    assertThat(o.getDefaultNumWant()).isEqualTo(50);
    assertThat(o.getMaxNumWant()).isEqualTo(200);
    assertThat(o.announceLimits().resolveNumWant(1000, true)).isEqualTo(66);
    assertThat(o.getMaxScrapeHashes()).isEqualTo(74);
    assertThat(o.getUdp().getPort()).isEqualTo(6969);
    assertThat(o.getUdp().getHost()).isEqualTo("::");
    assertThat(o.getUdp().getConnectionIdLifetimeSeconds()).isGreaterThanOrEqualTo(120);
    assertThat(o.getUdp().isAllowIpOverride()).isFalse();
    assertThat(o.effectiveEventLoops())
        .isEqualTo(Math.max(1, Runtime.getRuntime().availableProcessors() - 1));
    assertThat(NodeOptions.defaultEventLoops(1)).isEqualTo(1);
    assertThat(NodeOptions.defaultEventLoops(2)).isEqualTo(1);
    assertThat(NodeOptions.defaultEventLoops(8)).isEqualTo(7);
  }

  @Test
  void defaultConfigRoundTrips() {
    JsonObject json = new NodeOptions().toJson();
    assertThat(new NodeOptions(json).toJson()).isEqualTo(json);
    UdpTrackerOptions udp = new UdpTrackerOptions().setPort(1).setAllowIpOverride(true);
    assertThat(new UdpTrackerOptions(udp).toJson()).isEqualTo(udp.toJson());
    assertThat(new UdpTrackerOptions(udp.toJson()).toJson()).isEqualTo(udp.toJson());
  }

  @Test
  void unknownKeysAreRefusedByName() {
    assertThatThrownBy(() -> new NodeOptions(new JsonObject().put("intervall", 5)))
        .hasMessageContaining("unknown option intervall");
    assertThatThrownBy(
            () -> new NodeOptions(new JsonObject().put("udp", new JsonObject().put("prot", 1))))
        .hasMessageContaining("unknown option udp.prot");
  }

  @Test
  void httpSection() {
    NodeOptions o =
        new NodeOptions(
            new JsonObject()
                .put(
                    "http",
                    new JsonObject()
                        .put("port", -1)
                        .put("trusted-proxies", "10.0.0.0/8, 192.168.1.1")
                        .put("allow-full-scrape", true)));
    assertThat(o.getHttp().getPort()).isEqualTo(-1);
    assertThat(o.getHttp().getTrustedProxies()).containsExactly("10.0.0.0/8", "192.168.1.1");
    assertThat(o.getHttp().isAllowFullScrape()).isTrue();
    assertThat(new NodeOptions(o.toJson()).toJson()).isEqualTo(o.toJson());
    assertThatThrownBy(
            () -> new NodeOptions(new JsonObject().put("http", new JsonObject().put("prot", 1))))
        .hasMessageContaining("unknown option http.prot");
    assertThatThrownBy(
            () ->
                ConfigLoader.load(
                    null, Map.of("SWARMKEEPER_HTTP_TRUSTED_PROXIES", "proxy.example"), Map.of()))
        .hasMessageContaining("IP address or CIDR");
  }

  @Test
  void badValuesNameTheOption() {
    assertThatThrownBy(() -> new NodeOptions().setMaxScrapeHashes(75))
        .hasMessageContaining("max-scrape-hashes");
    assertThatThrownBy(() -> new UdpTrackerOptions().setPort(70000))
        .hasMessageContaining("udp.port");
    assertThatThrownBy(() -> new UdpTrackerOptions().setConnectionIdKey("xyz"))
        .hasMessageContaining("32 hex digits");
    assertThatThrownBy(
            () ->
                new NodeOptions(new JsonObject().put("max-numwant", 30).put("default-numwant", 40)))
        .hasMessageContaining("default-numwant");
    // a smaller maximum alone pulls the default down with it
    assertThat(new NodeOptions(new JsonObject().put("max-numwant", 30)).getDefaultNumWant())
        .isEqualTo(30);
  }

  @Test
  void fileThenEnvironmentThenFlags() throws Exception {
    Path yaml = dir.resolve("swarmkeeper.yaml");
    Files.writeString(
        yaml,
        """
        interval:
          min-seconds: 900
        udp:
          port: 7000
          host: 127.0.0.1
        """);
    NodeOptions fileOnly = ConfigLoader.load(yaml, Map.of(), Map.of());
    assertThat(fileOnly.getAnnounceIntervalSeconds()).isEqualTo(900);
    assertThat(fileOnly.getUdp().getPort()).isEqualTo(7000);

    Map<String, String> env =
        Map.of(
            "SWARMKEEPER_UDP_PORT", "7001",
            "SWARMKEEPER_PEER_GRACE_SECONDS", "60",
            "SWARMKEEPER_SERVICE_HOST", "10.0.0.1"); // Kubernetes' own: ignored
    NodeOptions withEnv = ConfigLoader.load(yaml, env, Map.of());
    assertThat(withEnv.getUdp().getPort()).isEqualTo(7001);
    assertThat(withEnv.getPeerGraceSeconds()).isEqualTo(60);
    assertThat(withEnv.getUdp().getHost()).isEqualTo("127.0.0.1");

    NodeOptions withFlags =
        ConfigLoader.load(yaml, env, Map.of("udp.port", "7002", "udp.allow-ip-override", "true"));
    assertThat(withFlags.getUdp().getPort()).isEqualTo(7002);
    assertThat(withFlags.getUdp().isAllowIpOverride()).isTrue();
    assertThat(withFlags.getAnnounceIntervalSeconds()).isEqualTo(900);
  }

  @Test
  void jsonFilesAndConversionErrors() throws Exception {
    Path json = dir.resolve("c.json");
    Files.writeString(json, "{\"event-loops\": 3}");
    assertThat(ConfigLoader.load(json, Map.of(), Map.of()).getEventLoops()).isEqualTo(3);
    assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("SWARMKEEPER_UDP_PORT", "x"), Map.of()))
        .hasMessageContaining("udp.port");
    assertThatThrownBy(() -> ConfigLoader.load(null, Map.of(), Map.of("nope", "1")))
        .hasMessageContaining("unknown option nope");
    assertThatThrownBy(() -> ConfigLoader.load(dir.resolve("missing.yaml"), Map.of(), Map.of()))
        .hasMessageContaining("cannot read config file");
    assertThat(ConfigLoader.envName("udp.receive-buffer-bytes"))
        .isEqualTo("SWARMKEEPER_UDP_RECEIVE_BUFFER_BYTES");
  }
}
