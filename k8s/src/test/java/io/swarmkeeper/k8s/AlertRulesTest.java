package io.swarmkeeper.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.swarmkeeper.http.HttpTrackerOptions;
import io.swarmkeeper.server.AdminOptions;
import io.swarmkeeper.server.NodeOptions;
import io.swarmkeeper.server.SwarmkeeperNode;
import io.swarmkeeper.udp.UdpTrackerOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The shipped alert rules (k8s/monitoring/alerts.rules.yaml): Prometheus's own promtool accepts
 * them and runs their unit tests (each alert fires on the series that should fire it, after its
 * "for", and not on healthy ones), and every metric they name is one a running node serves.
 */
class AlertRulesTest {
  private static final Path MONITORING = Path.of(System.getProperty("user.dir"), "monitoring");
  private static final String PROMTOOL = "/usr/bin/promtool";

  /** Metrics only a node in another mode serves: the fleet's, the Redis store's, the registry's. */
  private static final Set<String> OTHER_MODES =
      Set.of("swarmkeeper_fleet_members", "swarmkeeper_redis_up", "swarmkeeper_registry_up");

  @Test
  void promtoolAcceptsTheRulesAndTheirUnitTestsPass() throws Exception {
    boolean installed = Files.isExecutable(Path.of(PROMTOOL));
    if (!installed && "true".equals(System.getenv("CI"))) {
      throw new AssertionError("CI must install prometheus (promtool; see .ci/run)");
    }
    assumeTrue(installed, "promtool missing: apt-get install prometheus");
    assertThat(run(PROMTOOL, "check", "rules", "alerts.rules.yaml")).contains("SUCCESS: 8 rules");
    assertThat(run(PROMTOOL, "test", "rules", "alerts.test.yaml")).contains("SUCCESS");
  }

  @Test
  void everyMetricTheRulesNameIsServedByANode() throws Exception {
    Set<String> named = new TreeSet<>();
    Matcher m =
        Pattern.compile("\\b((?:swarmkeeper|jvm)_[a-z_]+)")
            .matcher(Files.readString(MONITORING.resolve("alerts.rules.yaml")));
    while (m.find()) {
      named.add(m.group(1));
    }
    named.removeAll(OTHER_MODES);
    assertThat(named).contains("swarmkeeper_requests_total", "jvm_memory_used_bytes");
    NodeOptions options =
        new NodeOptions()
            .setEventLoops(1)
            .setUdp(new UdpTrackerOptions().setHost("127.0.0.1").setPort(0))
            .setHttp(new HttpTrackerOptions().setHost("127.0.0.1").setPort(0))
            .setAdmin(new AdminOptions().setHost("127.0.0.1").setPort(0));
    SwarmkeeperNode node =
        SwarmkeeperNode.start(options, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT))
            .toCompletionStage()
            .toCompletableFuture()
            .get(30, TimeUnit.SECONDS);
    try {
      String metrics =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(
                          URI.create("http://127.0.0.1:" + node.adminPort() + "/metrics"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString())
              .body();
      for (String name : named) {
        assertThat(metrics).as("/metrics serves " + name).containsPattern("(?m)^" + name + "[{ ]");
      }
    } finally {
      node.close().toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    }
  }

  private static String run(String... command) throws Exception {
    Process p =
        new ProcessBuilder(List.of(command))
            .directory(MONITORING.toFile())
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    return out;
  }
}
